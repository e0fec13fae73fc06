"""民主评议 read models: the grid the page edits, and the summary the report prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain import evaluation_votes as votes
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


# ---------------------------------------------------------------- 民主测评 (the ballots' tallies)

@dataclass(frozen=True)
class BallotInfo:
    """A branch's 民主测评 for a year: ballots issued (发出), returned (收回), the day held (测评日期)."""

    issued: int = 0
    returned: int = 0
    held_on: date | None = None

    def is_blank(self) -> bool:
        return not self.issued and not self.returned and self.held_on is None


@dataclass(frozen=True)
class VoteEntry:
    """One member's tally as entered (all four 0 removes a stored one)."""

    member_id: str
    excellent: int = 0
    qualified: int = 0
    basic: int = 0
    unqualified: int = 0

    def tally(self) -> votes.Tally:
        return votes.Tally(self.excellent, self.qualified, self.basic, self.unqualified)


@dataclass(frozen=True)
class TallyRow:
    """A line of the 统计表 and of the page's grid: the member, the grade entered and the votes."""

    no: int  # 1..n within the branch, as the page and the 测评票 number it
    row: EvaluationRow
    tally: votes.Tally

    def note(self) -> str:
        return votes.note(self.row.grade, self.tally)


@dataclass(frozen=True)
class BranchTally:
    """One branch's 民主测评 for a year: the ballot counts (None: not yet entered) and each member's line."""

    center_name: str
    branch_name: str
    year: int
    ballot: BallotInfo | None
    rows: tuple[TallyRow, ...]

    @property
    def returned(self) -> int:
        return self.ballot.returned if self.ballot else 0

    def ballot_copies(self) -> int:
        """测评票 to print unless told: the 发出 entered, else one for each member to be graded."""
        return self.ballot.issued if self.ballot and self.ballot.issued else len(self.rows)


@dataclass(frozen=True)
class TallySaveResult:
    """What one save of the page wrote: the grades, and how many members' tallies changed."""

    grades: SaveResult
    votes_changed: int
    ballot_changed: bool
