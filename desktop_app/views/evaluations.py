"""民主评议 read models: the grid the page edits, and the summary the report prints."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain import meetings as rules


@dataclass(frozen=True)
class EvaluationRow:
    """One line of the grid: a member of the branch and their grade for the year ("" = not yet)."""

    member_id: str
    seq: int
    name: str
    group_name: str
    category: str
    grade: str
    notes: str
    evaluation_id: str | None


@dataclass(frozen=True)
class EvaluationEntry:
    member_id: str
    grade: str  # "" clears an entered grade
    notes: str = ""


@dataclass(frozen=True)
class SaveResult:
    added: int
    changed: int
    cleared: int
    unchanged: int


@dataclass(frozen=True)
class BranchEvaluation:
    """One branch's grades for the summary table."""

    branch_name: str
    rows: tuple[EvaluationRow, ...]

    def counts(self) -> dict[str, int]:
        out = {g: 0 for g in rules.GRADES}
        out["未评议"] = 0
        for r in self.rows:
            out[r.grade if r.grade in out else "未评议"] += 1
        return out


@dataclass(frozen=True)
class EvaluationSummary:
    center_name: str
    year: int
    branches: tuple[BranchEvaluation, ...]

    def totals(self) -> dict[str, int]:
        out = {g: 0 for g in (*rules.GRADES, "未评议")}
        for b in self.branches:
            for k, v in b.counts().items():
                out[k] += v
        return out
