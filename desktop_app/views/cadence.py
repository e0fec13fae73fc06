"""Read model of a branch's cadence settings (三会一课 tracking since, committee)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BranchCadenceRow:
    org_id: str
    name: str
    tracking_since: date | None  # None: tracked from the start of every year
    has_committee: bool | None  # None: decided by the 党章 (7+ 正式党员 or a registered committee)
    committee_now: bool  # what applies today
    groups: int  # 党小组 under the branch (none: no 党小组会 asked)
    note: str = ""


# ---------------------------------------------------------------- 三会一课落实情况表

# What a month's cell says: the status of the period ending in that month.
MARK_HELD = "已开"
MARK_NO_QUORUM = "未达"
MARK_OVERDUE = "未开"
MARK_DUE = "待开"
MARK_PLANNED = "已排"
MARK_NOT_REQUIRED = "—"
MARKS_LEGEND = (f"{MARK_HELD}：按要求召开　{MARK_NO_QUORUM}：召开但未达法定人数　{MARK_OVERDUE}：逾期未开　"
                f"{MARK_DUE}：本期待开　{MARK_PLANNED}：已安排　{MARK_NOT_REQUIRED}：不要求；"
                "季度、半年、年度会议标在该期最后一个月，组织生活会、民主评议可在次年3月底前召开")


@dataclass(frozen=True)
class ComplianceSheetLine:
    branch: str
    kind: str
    cadence: str  # 每月 / 每季度 …
    months: tuple[str, ...]  # 12 marks
    required: int  # periods asked for so far (ended or held)
    done: int  # of those, held as required

    @property
    def rate(self) -> str:
        return f"{self.done * 100 / self.required:.0f}%" if self.required else "—"


@dataclass(frozen=True)
class ComplianceSheet:
    """三会一课落实情况表: branch × kind × month of one year."""

    center_name: str
    year: int
    today: date
    lines: tuple[ComplianceSheetLine, ...]
    secretary_lecture: tuple[tuple[str, bool], ...] = ()  # (branch, whether its 书记 lectured)
    notes: tuple[str, ...] = ()  # tracked-since and committee remarks per branch
