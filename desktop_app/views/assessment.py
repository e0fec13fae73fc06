"""Read models of 五好党支部 assessment: the scheme, a branch's year, the grid, the street's comparison.

What the assessment page, its dialogs and the printed forms show. Points are
integers in tenths (domain.assessment.points writes them); a manual indicator
not scored yet has `score_tenths` None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.views.records import KeptFile


@dataclass(frozen=True)
class RuleInfo:
    """A scoring rule the scheme may name: "manual", or one of the computed rules."""

    key: str
    label: str
    description: str = ""
    params_hint: str = ""


@dataclass(frozen=True)
class IndicatorNode:
    """A node of the scheme's tree, in tree order (categories, their items, their indicators)."""

    id: str
    parent_id: str | None
    level: str
    code: str
    title: str
    description: str = ""
    max_tenths: int = 0  # an indicator's maximum; a category's or item's the sum below it
    rule: str = "manual"
    rule_label: str = "人工评分"
    params: str = ""
    note: str = ""
    sort_order: int = 0
    version: int = 0  # as read: a form's save over a later change is refused


@dataclass(frozen=True)
class SchemeInfo:
    id: str
    year: int
    name: str
    is_sample: bool
    excellent_tenths: int
    pass_tenths: int
    notes: str
    shape: str  # 6 类 19 项 42 条，满分 100 分
    total_tenths: int
    nodes: tuple[IndicatorNode, ...] = ()
    editable: bool = True  # False: sent down by the street; a community adapts a copy
    version: int = 0  # as read: a form's save over a later change is refused

    def indicators(self) -> list[IndicatorNode]:
        return [n for n in self.nodes if n.level == "indicator"]


@dataclass(frozen=True)
class EvidenceLine:
    """One record behind a score: a meeting, a payment month, a visit, a wish …"""

    on: date | None
    text: str
    ok: bool = True  # False: a record that lost points (an overdue period, an unpaid month)


# A scan or photo behind a manual score is a file kept in the data folder like any other (id, name, where, size).
EvidenceFile = KeptFile


@dataclass(frozen=True)
class IndicatorScore:
    indicator_id: str
    code: str
    title: str
    category: str
    item: str
    max_tenths: int
    rule: str
    rule_label: str
    computed: bool
    score_tenths: int | None  # None: a manual indicator not scored yet
    measure: str = ""  # 11/12（91.7%）
    hint: str = ""  # what would raise it
    note: str = ""  # the scorer's note, or the scheme's note on a manual indicator
    evidence: tuple[EvidenceLine, ...] = ()
    files: tuple[EvidenceFile, ...] = ()
    score_id: str | None = None

    @property
    def lost_tenths(self) -> int:
        return self.max_tenths - (self.score_tenths or 0) if self.score_tenths is not None else 0


@dataclass(frozen=True)
class TitleRow:
    id: str
    org_id: str
    branch_name: str
    year: int
    title: str
    granted_on: date | None
    issued_by: str
    note: str
    version: int = 0  # as read: a form's save over a later change is refused


@dataclass(frozen=True)
class CategoryScore:
    """A category's subtotal for one branch (支部班子好 13.5 of 16)."""

    title: str
    score_tenths: int
    max_tenths: int


@dataclass(frozen=True)
class AssessmentRow:
    """One branch in the year's list and ranking."""

    branch_id: str
    branch_name: str
    community_name: str
    total_tenths: int
    max_tenths: int
    computed_tenths: int
    manual_tenths: int
    unscored: int  # manual indicators not scored yet
    result: str
    rank: int
    weakest: str  # the indicators losing most, in a line
    titles: str = ""
    categories: tuple[CategoryScore, ...] = ()

    @property
    def id(self) -> str:  # lists select by `id`
        return self.branch_id


@dataclass(frozen=True)
class BranchAssessment:
    """A branch's year in full: every indicator's score and evidence, its weakest, its titles."""

    center_name: str
    year: int
    scheme_name: str
    excellent_tenths: int
    pass_tenths: int
    row: AssessmentRow
    ranked_among: int
    scores: tuple[IndicatorScore, ...]
    weakest: tuple[IndicatorScore, ...]
    titles: tuple[TitleRow, ...] = ()
    as_of: date | None = None


@dataclass(frozen=True)
class AssessmentYear:
    """Every branch of the year, ranked, with the scheme's indicators as grid columns."""

    center_name: str
    year: int
    scheme: SchemeInfo | None
    rows: tuple[AssessmentRow, ...]
    cells: dict[tuple[str, str], int | None] = field(default_factory=dict)  # (branch, indicator) → tenths
    as_of: date | None = None


@dataclass(frozen=True)
class Share:
    """achieved out of required, e.g. meetings held of meetings owed."""

    achieved: float
    required: float

    def percent(self) -> float | None:
        return self.achieved * 100 / self.required if self.required else None

    def text(self) -> str:
        p = self.percent()
        return "—" if p is None else f"{p:.1f}%"


@dataclass(frozen=True)
class CommunityRow:
    """One community side by side with the others (互比互看)."""

    org_id: str
    name: str
    branches: int
    members: int
    compliance: Share
    attendance: Share
    dues_on_time: Share
    evaluation_done: Share
    development: str  # 发展党员: new 预备党员 and the share of its time limits met
    activities: str  # 共建活动 with partner units, "N 次"
    excellent: int
    passed: int
    failed: int
    average_tenths: int
    rank: int

    @property
    def id(self) -> str:
        return self.org_id


@dataclass(frozen=True)
class Comparison:
    center_name: str
    year: int
    rows: tuple[CommunityRow, ...]
    scheme_name: str = ""
    as_of: date | None = None
