"""三会一课 read models: what the meetings services return, the GUI shows and the reports print.

Plain frozen data classes (MeetingFilter and the import preview are the only
mutable ones), importable from every layer. The sign-in sheet and the meeting
record are the print models: services build them, reports render them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from desktop_app.domain import meetings as rules
from desktop_app.domain.meetings import CellStatus, KindRule, Period
from desktop_app.views.imports import RowError
from desktop_app.views.memberlife import TopicRow
from desktop_app.views.records import BranchMember, KeptFile, input_part


@dataclass(frozen=True)
class KindSetting:
    kind: str
    unit: str
    times: int
    required: bool
    holder: str
    cadence_label: str
    customized: bool  # differs from the street's default


@dataclass(frozen=True, kw_only=True)
class MeetingParticulars:
    """When and where a meeting sat, who ran it and what was written: the edit form's part the record prints."""

    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    host: str = ""
    recorder: str = ""
    lecturer: str = ""
    minutes: str = ""


@dataclass(frozen=True)
class MeetingInput(MeetingParticulars):
    """What a user edits about a meeting (attendees and status have their own calls)."""

    org_id: str | None = None
    kind: str = ""
    title: str = ""
    meeting_date: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class Guest:
    """A 列席 guest: a member of another branch (member_id) or someone from outside (name, unit)."""

    name: str = ""
    unit: str = ""
    member_id: str | None = None


@dataclass(frozen=True)
class AttendanceEntry:
    """How one person attended. Identify by attendance_id, else member_id, else guest_name."""

    status: str
    reason: str = ""
    member_id: str | None = None
    attendance_id: str | None = None
    guest_name: str = ""
    guest_unit: str = ""


@dataclass(frozen=True)
class Attendee:
    id: str
    member_id: str | None
    name: str
    group_name: str  # 所在党小组 ("" when the member sits directly in the branch)
    org_name: str  # the member's own organisation (a guest's branch)
    category: str  # 正式党员 / 预备党员, "" for outside guests
    mobile: str  # unmasked; forms mask it
    status: str  # "" until recorded
    reason: str
    is_guest: bool
    guest_unit: str
    on_committee: bool
    has_vote: bool
    excused_reason: str = ""  # 免于应到 that day, with the reason printed on the sheet


@dataclass(frozen=True)
class AttachmentRow(KeptFile):
    """A file kept with a meeting (the signed sheet's scan, a photo), with what it is."""

    note: str


class _Rated:
    """Mixed into a record with `present` and `expected`: its attendance rate (None when nobody was expected)."""

    present: int
    expected: int

    @property
    def rate(self) -> float | None:
        return rules.attendance_rate(self.present, self.expected)


@dataclass(frozen=True)
class MeetingRow(_Rated):
    id: str
    number: str
    org_id: str
    org_name: str
    branch_id: str | None
    branch_name: str
    kind: str
    title: str
    meeting_date: date
    start_time: time | None
    place: str
    host: str
    status: str
    expected: int
    present: int
    leave: int
    absent: int
    guests: int
    recorded: int  # attendees with a recorded status
    quorum: rules.Quorum
    attachments: int

    @property
    def status_label(self) -> str:
        return rules.MEETING_STATUS_LABELS.get(self.status, self.status)

    @property
    def lacks_quorum(self) -> bool:
        return self.status == rules.HELD and self.quorum.lacking

    def awaiting_attendance(self, today: date) -> bool:
        """Planned and its day gone by: held, most likely, with the attendance not yet entered."""
        return self.status == rules.PLANNED and self.meeting_date < today

    def state_label(self, today: date) -> str:
        """The status as the list shows it, in the window and in `dangqun meetings` alike."""
        return "待登记出勤" if self.awaiting_attendance(today) else self.status_label


def meetings_summary(rows: "list[MeetingRow]", today: date) -> str:
    """共 N 次会议，已召开 …: the line under the meetings list, and the CLI's."""
    held = sum(1 for r in rows if r.status == rules.HELD)
    owed = sum(1 for r in rows if r.awaiting_attendance(today))
    lacking = sum(1 for r in rows if r.lacks_quorum)
    text = f"共 {len(rows)} 次会议，已召开 {held} 次"
    if owed:
        text += f"，{owed} 次已过会议日期但未登记出勤"
    if lacking:
        text += f"，{lacking} 次未达到法定人数"
    return text


@dataclass(frozen=True, kw_only=True)
class MeetingDetail(MeetingParticulars, MeetingRow):
    """The row plus the particulars only the full record shows (end time, recorder, lecturer, minutes)."""

    cancel_reason: str = ""
    notes: str = ""
    version: int = 0  # the meeting's and its attendance rows' (records.record_version): forms' saves name it
    attendees: tuple[Attendee, ...] = ()
    files: tuple[AttachmentRow, ...] = ()

    def to_input(self) -> MeetingInput:
        return input_part(self, MeetingInput)


@dataclass
class MeetingFilter:
    org_id: str | None = None  # this organisation and the ones under it
    kind: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""  # number, title, place or host fragment


@dataclass(frozen=True)
class ExpectedPerson:
    """Someone a new meeting would expect by default (the dialog shows them ticked)."""

    member_id: str
    name: str
    group_name: str
    category: str
    on_committee: bool


@dataclass(frozen=True)
class CommitteeSeat:
    id: str
    member_id: str
    name: str
    role: str
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class ComplianceCell:
    org_id: str
    kind: str
    period: Period
    status: CellStatus
    held: int = 0
    planned: int = 0
    no_quorum: int = 0
    meeting_ids: tuple[str, ...] = ()
    owing: tuple[str, ...] = ()  # party groups behind a branch's 党小组会 cell that owe it

    @property
    def label(self) -> str:
        return rules.CELL_LABELS[self.status]


@dataclass(frozen=True)
class ComplianceRow:
    org_id: str
    name: str
    code: str
    kind: str  # branch (group-held kinds are summed up into their branch)


@dataclass(frozen=True)
class ComplianceGrid:
    year: int
    today: date
    kinds: tuple[str, ...]  # tracked kinds, in the street's order
    rules: dict[str, KindRule]  # by kind, as the site's community has them
    rows: tuple[ComplianceRow, ...]
    cells: dict[tuple[str, str], tuple[ComplianceCell, ...]]  # (branch id, kind) -> a cell per period of the year
    # 书记讲党课: whether each branch's 书记 gave a 党课 in the year (branch id -> bool)
    secretary_lecture: dict[str, bool] = field(default_factory=dict)
    tracking_since: dict[str, date] = field(default_factory=dict)  # branches tracked from a later day
    has_committee: dict[str, bool] = field(default_factory=dict)  # whether a 支委会 is asked of the branch

    def periods(self, kind: str) -> list[Period]:
        return rules.periods_in_year(self.year, self.rules[kind].unit)

    def current(self, org_id: str, kind: str) -> ComplianceCell | None:
        """The cell of the period holding today (or the year's last period for a past year)."""
        cells = self.cells.get((org_id, kind))
        if not cells:
            return None
        day = self.today if self.today.year == self.year else date(self.year, 12, 31)
        if self.today.year < self.year:
            day = date(self.year, 1, 1)
        return next((c for c in cells if c.period.contains(day)), cells[-1])

    def count(self, status: CellStatus) -> int:
        return sum(1 for cells in self.cells.values() for c in cells if c.status == status)

    @property
    def overdue(self) -> int:
        return self.count(CellStatus.OVERDUE)


@dataclass(frozen=True)
class ComplianceSummary:
    overdue: int  # branch-kind-periods of this year that ended unheld
    due: int  # owed in the running period
    no_quorum: int  # held without quorum this year
    branches_owing: int  # branches with at least one overdue meeting


@dataclass(frozen=True)
class MemberMeetingLine:
    meeting_id: str
    number: str
    meeting_date: date
    kind: str
    title: str
    org_name: str
    status: str
    reason: str
    is_guest: bool


@dataclass(frozen=True)
class MemberHistory(BranchMember):
    lines: tuple[MemberMeetingLine, ...]  # held meetings, newest first
    counts: rules.AttendanceCounts  # over those lines: expected, present, leave, absent, guests and the rate


@dataclass(frozen=True)
class MemberRate(BranchMember):
    counts: rules.AttendanceCounts  # over the held meetings in the window
    last_present: date | None


@dataclass(frozen=True)
class AbsenceStreak(BranchMember):
    mobile: str
    streak: int  # latest required meetings missed in a row
    last_present: date | None
    missed: tuple[tuple[date, str], ...]  # (date, kind) of the meetings in the streak, newest first


@dataclass(frozen=True)
class LostContactRisk(BranchMember):
    status: str
    mobile: str
    last_life: date | None  # last meeting attended
    last_dues: date | None
    dues_known: bool  # False: the dues half of the rule was not checked


@dataclass(frozen=True)
class PersonRef:
    """A member as an import finds them: by ID number or by name within a branch."""

    member_id: str
    name: str
    id_number: str
    branch_id: str | None
    org_id: str | None = None  # the branch or 党小组 the member sits in



@dataclass(frozen=True)
class BulkAttendance:
    """Attendance of several meetings, applied at once (the CSV import)."""

    meeting_id: str
    entries: tuple[AttendanceEntry, ...]


# ---------------------------------------------------------------- print models

@dataclass(frozen=True)
class SigninLine:
    name: str
    group: str = ""  # 所在党小组
    leave_reason: str = ""  # a leave asked for before the meeting, printed in 请假
    notes: str = ""
    mobile: str = ""  # unmasked; printed masked, and only when the sheet shows phones
    attendance_id: str = ""  # whose row this is, so a scanned sheet maps back in printed order
    excused_reason: str = ""  # 免于应到 (长期外出, 病重 …): listed with the reason, not counted in 应到


@dataclass(frozen=True)
class PrintedMeeting:
    """What every printed form of a meeting heads with: the center, the organisation and which meeting."""

    center_name: str
    org_name: str  # 第一网格党支部, or 第一网格党支部第一党小组
    kind: str
    title: str
    number: str
    meeting_date: date


@dataclass(frozen=True)
class SigninSheet(PrintedMeeting):
    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    host: str = ""
    lecturer: str = ""
    lines: tuple[SigninLine, ...] = ()


@dataclass(frozen=True)
class RecordPerson:
    name: str
    status: str  # 出席 / 请假 / 缺席 / 列席, "" = not recorded
    reason: str = ""
    unit: str = ""  # a guest's unit
    group: str = ""


@dataclass(frozen=True)
class RecordFile:
    """A file kept with a meeting as its record prints it: photos print as pictures, other files by name."""

    name: str
    path: Path | None = None  # None: not (or no longer) in this data folder


@dataclass(frozen=True)
class MeetingRecord(MeetingParticulars, PrintedMeeting):
    status: str  # planned / held / cancelled
    cancel_reason: str = ""
    people: tuple[RecordPerson, ...] = ()
    quorum: rules.Quorum = rules.Quorum(False, None)
    attachments: tuple[RecordFile, ...] = ()
    topics: tuple[TopicRow, ...] = ()  # 议题 with their votes, in order


def org_label(org_name: str, branch_name: str) -> str:
    """第一网格党支部, or 第一网格党支部第一党小组 for a meeting of a 党小组."""
    return org_name if org_name == branch_name else f"{branch_name}{org_name}"


def _org_label(detail: MeetingDetail) -> str:
    return org_label(detail.org_name, detail.branch_name)


def signin_lines(attendees: tuple[Attendee, ...] | list[Attendee]) -> tuple[SigninLine, ...]:
    """The sign-in sheet's rows: members first, then 列席 guests, each group in the meeting's
    attendance order (sort order, then creation), so a scanned sheet's rows map back to the same people."""
    members = [a for a in attendees if not a.is_guest]
    guests = [a for a in attendees if a.is_guest]
    lines = [
        SigninLine(a.name, a.group_name, a.reason if a.status == rules.LEAVE else "",
                   "　".join(n for n in ("预备党员" if a.category == "预备党员" else "",
                                        f"免于应到：{a.excused_reason}" if a.excused_reason else "") if n),
                   a.mobile, a.id, a.excused_reason)
        for a in members
    ]
    for g in guests:
        where = g.guest_unit or (g.org_name if g.member_id else "")
        lines.append(SigninLine(g.name, "", "", f"列席（{where}）" if where else "列席", g.mobile, g.id))
    return tuple(lines)


def meeting_record(detail: MeetingDetail, center_name: str) -> MeetingRecord:
    """The record of a meeting, ready to file."""
    people = tuple(
        RecordPerson(a.name, rules.GUEST if a.is_guest else a.status, a.reason,
                     a.guest_unit or (a.org_name if a.is_guest and a.member_id else ""), a.group_name)
        for a in detail.attendees
    )
    return MeetingRecord(
        center_name=center_name, org_name=_org_label(detail), kind=detail.kind, title=detail.title,
        number=detail.number, meeting_date=detail.meeting_date, status=detail.status,
        start_time=detail.start_time, end_time=detail.end_time, place=detail.place, host=detail.host,
        recorder=detail.recorder, lecturer=detail.lecturer, minutes=detail.minutes,
        cancel_reason=detail.cancel_reason, people=people, quorum=detail.quorum,
        attachments=tuple(RecordFile(f.file_name) for f in detail.files),
    )


# ---------------------------------------------------------------- attendance import

@dataclass(frozen=True)
class AttendanceLine:
    """One data row of an attendance file, cleaned; fields that failed their own check are blank."""

    row_number: int
    number: str  # the meeting's number as written
    name: str
    id_raw: str  # as written (upper case, no spaces)
    id_number: str  # the valid ID number, "" when none was given or it is not valid
    status: str  # a valid attendance status, "" when missing or wrong
    reason: str
    unit: str
    org: str = ""  # 所在党组织 as written: a code, a path (社区 / 支部 / 小组) or a name


@dataclass(frozen=True)
class AttendanceFile:
    """What an attendance file holds: its lines and the problems found in the file alone."""

    path: Path
    lines: tuple[AttendanceLine, ...]
    errors: tuple[RowError, ...]


@dataclass
class AttendanceCheck:
    """The preview of an attendance import: what it would write; nothing written yet."""

    path: Path
    batches: list[BulkAttendance]
    meetings: dict[str, str]  # meeting id -> number, for the summary
    rows: int  # data rows read (blank ones left out)
    valid_rows: int
    errors: list[RowError] = field(default_factory=list)

    @property
    def invalid_rows(self) -> int:
        return len({e.row_number for e in self.errors})

    def summary(self) -> str:
        text = f"{self.path.name}：共 {self.rows} 行，{len(self.meetings)} 次会议，可导入 {self.valid_rows} 行"
        return text + (f"，有错误 {self.invalid_rows} 行" if self.errors else "")


@dataclass(frozen=True)
class AttendanceImportResult:
    meetings: int
    rows: int
    skipped_invalid: int
    errors: tuple[RowError, ...] = ()  # the rows skipped, when skip_invalid
    dry_run: bool = False
