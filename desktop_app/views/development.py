"""Read models of 发展党员: the pipeline's rows, one person's file, the year's register."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain.development import SPONSORS, Reminder, kind_or_other


@dataclass(frozen=True)
class ApplicantInput:
    name: str
    org_id: str | None
    applied_on: date | None
    gender: str = ""
    birth_date: date | None = None
    id_number: str = ""
    education: str = ""
    job: str = ""
    mobile: str = ""
    notes: str = ""


@dataclass(frozen=True)
class StepRecord:
    """What a step of development records, as the form enters it and the person's file lists it."""

    step: str
    done_on: date | None
    body: str = ""
    document_no: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    voters_expected: int | None = None
    months: int | None = None  # 延长预备期
    documents: tuple[str, ...] = ()  # the checklist's documents on file
    note: str = ""


@dataclass(frozen=True)
class StepInput(StepRecord):
    contacts: str = ""  # 培养联系人 named when an activist is made (kept on the applicant, not the step)
    people: tuple[str, ...] = ()  # roster member ids the step names: 培养联系人 or 入党介绍人
    result: str = ""  # 上级党委预审: 合格 (a 不合格 is refused, not recorded)


# What an applicant owes next is the domain's reminder as it stands (text, due date, overdue): no copy of it here.
ReminderRow = Reminder


@dataclass(frozen=True)
class ApplicantRow:
    id: str
    name: str
    gender: str
    org_id: str
    branch_name: str
    stage: str
    applied_on: date
    stage_since: date  # the date of the step that moved them into the stage
    contacts: str
    next_due: date | None  # the soonest reminder
    overdue: int  # reminders already overdue
    mobile: str = ""


@dataclass(frozen=True)
class StepRow(StepRecord):
    """A recorded step (its date always set); id and missing come by name after the record's fields."""

    id: str = field(kw_only=True)
    missing: tuple[str, ...] = field(kw_only=True)  # the checklist's documents not yet on file

    @property
    def body_shown(self) -> str:
        """The deciding body as the file lists it; 确定入党介绍人 keeps the two members it named there."""
        return f"{kind_or_other(self.step).people}：{self.body}" if self.step == SPONSORS and self.body else self.body


@dataclass(frozen=True)
class ApplicantDetail:
    row: ApplicantRow
    birth_date: date | None
    id_number: str
    education: str
    job: str
    notes: str
    member_id: str | None
    steps: tuple[StepRow, ...]
    reminders: tuple[ReminderRow, ...]
    next_steps: tuple[str, ...]  # what may be recorded now
    probation_end: date | None
    version: int = 0  # as read: the particulars form's save is refused over a later change
    sponsors: str = ""  # 入党介绍人 as the 确定入党介绍人 step named them, joined by 、


@dataclass(frozen=True)
class DevelopmentRegister:
    """发展党员工作登记簿 of a year: everyone whose development moved in it, with their steps."""

    center_name: str
    year: int
    people: tuple[ApplicantDetail, ...]
    counts: dict[str, int]  # stage -> people in it now (of those listed)
