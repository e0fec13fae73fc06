"""Read models of 共驻共建: partner units, activities, the 双报到 register and what their printouts show.

Services build them (services.cobuilding), reports render them (reports.cobuilding)
and the pages show them. Hours are tenths of an hour; phones are masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from desktop_app.domain import cobuilding as rules
from desktop_app.views.records import KeptFile, MemberRecord, input_part

R = TypeVar("R")


@dataclass(frozen=True)
class Detail(Generic[R]):
    """A register entry opened in full: the list's row (so a page can refresh that one line) and what only
    the full record shows; its id is the row's."""

    row: R

    @property
    def id(self) -> str:
        return self.row.id


@dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    kind: str
    party_org: str
    contact_person: str
    phone: str
    address: str
    joined_on: date | None
    offers: str
    notes: str
    activities: int = 0  # this year
    reporting: int = 0  # reporting members from this unit, still serving
    claims: int = 0  # wishes claimed, withdrawn ones left out
    version: int = 0  # as read: the unit form's save is refused over a later change

    def to_input(self) -> rules.UnitInput:
        return input_part(self, rules.UnitInput, offers=rules.split_offers(self.offers))


@dataclass(frozen=True)
class ActivityRow:
    id: str
    activity_date: date
    kind: str
    title: str
    place: str
    organisers: str  # branches and units, joined by 、
    residents_served: int
    people: int
    hours_tenths: int
    cost_fen: int
    photos: int
    linked_cost_fen: int = 0  # ledger vouchers linked to it, reversed ones left out


# A person on an activity's list is the same record the form edits (kind, name, hours, who they are).
ActivityPersonRow = rules.PersonInput


@dataclass(frozen=True)
class PhotoRow(KeptFile):
    """A photo of an activity."""


@dataclass(frozen=True)
class ActivityDetail(Detail[ActivityRow]):
    content: str
    orgs: tuple[tuple[str, str], ...]  # (id, name)
    units: tuple[tuple[str, str], ...]  # (id, name)
    people: tuple[ActivityPersonRow, ...]
    photos: tuple[PhotoRow, ...]
    costs: tuple["CostRow", ...] = ()
    version: int = 0  # as read (with the lists the form saves): its save is refused over a later change

    def to_input(self) -> rules.ActivityInput:
        return input_part(self.row, rules.ActivityInput, content=self.content, org_ids=[o for o, _ in self.orgs],
                          unit_ids=[u for u, _ in self.units],
                          people=list(self.people))


@dataclass(frozen=True)
class ActivitySigninLine:
    """One expected participant on a 共建活动's sign-in sheet."""

    name: str
    kind: str = ""  # 党员 / 报到党员 / 志愿者
    unit: str = ""  # a member's branch, a reporting member's employer


@dataclass(frozen=True)
class ActivitySigninSheet:
    """签到表 of a 共建活动: its particulars and the people it lists (none: blank rows only).

    An activity keeps a date but no clock time; the sheet leaves the time to be written in."""

    center_name: str
    kind: str
    title: str
    activity_date: date
    place: str
    organisers: str  # branches and units, joined by 、
    lines: tuple[ActivitySigninLine, ...] = ()
    number: str = ""  # no number: the sheet is not scanned back


@dataclass(frozen=True)
class VolunteerHours:
    """One person's hours over a year's activities (and 双报到 services for reporting members)."""

    kind: str
    name: str
    activities: int
    hours_tenths: int


@dataclass(frozen=True)
class UnitYear:
    """What a partner unit did with the community in one year: its page and its line in the summary."""

    unit: UnitRow
    year: int
    activities: tuple[ActivityRow, ...]
    reporting: tuple["ReportingRow", ...]
    service_count: int
    service_hours_tenths: int
    wishes: tuple[str, ...]  # 微心愿 fulfilled or claimed by the unit this year
    pairing: tuple[str, ...] = ()  # 双进双认: posts taken and households adopted, with the year's visits
    topics: tuple[str, ...] = ()  # 联席会议 议题 the unit took on in the year
    reported: tuple[str, ...] = ()  # 单位报到: its date, then the year's 认领, services and 评价
    inquiries: tuple[str, ...] = ()  # 问需服务 of the unit in the year, with what became of them


@dataclass(frozen=True)
class ActivityRegister:
    """活动登记册: a year's activities, totals by kind, and the hours per person."""

    year: int
    rows: tuple[ActivityRow, ...]
    by_kind: tuple[tuple[str, int, int], ...]  # (kind, activities, residents served)
    volunteers: tuple[VolunteerHours, ...]


# ---------------------------------------------------------------- 双报到


@dataclass(frozen=True)
class ReportingRow:
    id: str
    name: str
    gender: str
    mobile_masked: str
    employer: str
    employer_org: str
    unit_id: str | None
    job: str
    reported_on: date | None
    org_id: str | None
    org_name: str
    posts: str  # posts held now, joined by 、
    services: int  # in the year asked for
    hours_tenths: int
    points: int
    left_on: date | None
    from_roster: bool  # moved over from the community's roster


@dataclass(frozen=True)
class ServiceRow:
    id: str
    service_date: date
    content: str
    post_name: str
    hours_tenths: int
    points: int


@dataclass(frozen=True)
class PostClaimRow:
    id: str
    post_id: str
    post_name: str
    claimed_on: date
    ended_on: date | None


@dataclass(frozen=True)
class ReportingDetail(Detail[ReportingRow]):
    skills: str
    notes: str
    services: tuple[ServiceRow, ...]  # the year asked for, newest first
    claims: tuple[PostClaimRow, ...]
    activities: tuple[ActivityRow, ...]  # the year asked for
    version: int = 0  # as read (with the lists the form saves): its save is refused over a later change

    def to_input(self) -> rules.ReportingInput:
        # The row's mobile is masked: the form starts blank and keeps the stored number unless one is typed.
        return input_part(self.row, rules.ReportingInput, mobile="", skills=self.skills, notes=self.notes)


@dataclass(frozen=True)
class PostRow:
    id: str
    name: str
    org_id: str | None
    org_name: str
    duties: str
    places: int
    holders: tuple[str, ...]  # who holds it now
    version: int = 0  # as read: the post form's save is refused over a later change


@dataclass(frozen=True)
class FeedbackPerson:
    name: str
    job: str
    reported_on: date | None
    posts: str
    services: int
    hours_tenths: int
    points: int
    activities: int
    items: tuple[ServiceRow, ...]


@dataclass(frozen=True)
class FeedbackForm:
    """在职党员到社区报到服务情况反馈表: one per employer's party organisation and year."""

    year: int
    employer: str
    employer_org: str
    people: tuple[FeedbackPerson, ...]


@dataclass(frozen=True, kw_only=True)
class CobuildingCounts:
    """The figures of a year of 共驻共建 that the whole site's year and a community's line on the street's table both
    count (given by name: the two add their own around them)."""

    activities: int
    four_into: int  # 四进 activities
    residents_served: int
    activity_hours_tenths: int
    units_active: int  # units that took part in at least one activity in the year
    reporting_members: int
    reporting_services: int
    reporting_hours_tenths: int
    adopted: int = 0  # 认亲戚 households
    pairing_visits: int = 0  # visits to them in the year
    cost_fen: int = 0  # ledger vouchers linked to activities and projects, dated in the year


@dataclass(frozen=True, kw_only=True)
class CobuildingFigures(CobuildingCounts):
    """A year of 共驻共建 in numbers (stats, the summary's first lines, the overview)."""

    year: int
    units: int
    reporting_points: int
    posts: int
    posts_taken: int
    pairings: int = 0  # 双进双认 in force
    pairing_posts: int = 0  # 认岗位
    inquiries: int = 0  # 问需服务 in the year
    units_reported: int = 0  # 单位报到 in force in the year


# ---------------------------------------------------------------- 慰问, 兼职委员, 联系户


# A person on a 慰问's list is the same record the form edits (name, category, gifts, money, address, who they are).
RecipientRow = rules.RecipientInput


@dataclass(frozen=True)
class CareRow:
    id: str
    care_date: date
    occasion: str
    title: str
    unit_name: str
    givers: str
    people: int
    amount_fen: int


@dataclass(frozen=True)
class CareDetail(Detail[CareRow]):
    unit_id: str | None
    notes: str
    recipients: tuple[RecipientRow, ...]
    version: int = 0  # as read (with the lists the form saves): its save is refused over a later change

    def to_input(self) -> rules.CareInput:
        return input_part(self.row, rules.CareInput, unit_id=self.unit_id, notes=self.notes,
                          recipients=list(self.recipients))


@dataclass(frozen=True)
class SeatRow:
    id: str
    level: str
    name: str
    unit_id: str | None
    unit_name: str
    post: str
    phone: str
    term_start: date
    term_end: date | None
    version: int = 0  # as read: the form's save is refused over a later change


@dataclass(frozen=True)
class ContactRow(MemberRecord):
    mobile_masked: str
    role: str
    grid_id: str | None
    grid_name: str
    building: str
    household_label: str
    since: date | None


# ---------------------------------------------------------------- 双进双认


@dataclass(frozen=True)
class PairingVisitRow:
    id: str
    visit_date: date
    visitors: str
    content: str


@dataclass(frozen=True)
class PairingItemRow:
    id: str
    kind: str  # 认岗位 / 认亲戚
    name: str
    household_id: str | None
    since: date
    ended_on: date | None
    visits: tuple[PairingVisitRow, ...]  # the year asked for, newest first


@dataclass(frozen=True)
class PairingRow:
    id: str
    unit_id: str
    unit_name: str
    party_org: str
    paired_on: date
    ended_on: date | None
    posts: int
    households: int
    visits: int  # in the year asked for


@dataclass(frozen=True)
class PairingDetail(Detail[PairingRow]):
    notes: str
    items: tuple[PairingItemRow, ...]


# ---------------------------------------------------------------- 三单


@dataclass(frozen=True)
class ListRow:
    id: str
    list_kind: str
    title: str
    detail: str
    category: str
    raised_on: date
    state: str
    grid_id: str | None
    grid_name: str
    unit_id: str | None
    unit_name: str
    need_id: str | None
    need_title: str
    resource_id: str | None
    resource_title: str
    project_id: str | None
    project_name: str  # the 微实事 carrying it out
    claimed_on: date | None
    done_on: date | None
    linked_cost_fen: int = 0  # ledger vouchers linked to a project, reversed ones left out
    costs: tuple["CostRow", ...] = ()  # the vouchers themselves, filled for a project's detail
    visit_id: str | None = None  # a need raised on a 走访 / 恳谈
    visit_date: date | None = None
    visit_form: str = ""  # 走访, 民情恳谈, ...
    visit_visitee: str = ""  # whom they saw (or where, when no one was named)
    version: int = 0  # the item's, as read: its form passes it back so a save over a later change is refused


@dataclass(frozen=True)
class ThreeLists:
    """三单 as printed for the 联席会议: the lists chosen, each oldest first, as this account sees them.

    `year` None: every year; `with_done` False leaves out needs 已解决 and projects 已完成;
    `text` is the page's search. `need_projects` names the projects answering each need (by the need's id)."""

    as_of: date
    year: int | None
    kinds: tuple[str, ...]
    needs: tuple[ListRow, ...] = ()
    resources: tuple[ListRow, ...] = ()
    projects: tuple[ListRow, ...] = ()
    need_projects: tuple[tuple[str, str], ...] = ()
    with_done: bool = True
    text: str = ""

    def rows(self, kind: str) -> tuple[ListRow, ...]:
        return {rules.NEED: self.needs, rules.RESOURCE: self.resources, rules.PROJECT: self.projects}[kind]

    def projects_of(self, need_id: str) -> str:
        return "、".join(title for nid, title in self.need_projects if nid == need_id)


@dataclass(frozen=True, kw_only=True)
class CommunityFigures(CobuildingCounts):
    """One community's year of 共驻共建 as the street totals it (rows hang on the community's organisations; its
    cost_fen is the vouchers in the community's own books)."""

    org_id: str
    org_name: str
    care_people: int  # people visited on 慰问


# ---------------------------------------------------------------- 联席会议


@dataclass(frozen=True)
class JointMeetingRow:
    id: str
    number: str
    meeting_date: date
    title: str
    place: str
    status: str
    units: str  # attending units, joined by 、
    topics: int
    done: int


@dataclass(frozen=True)
class TopicRow:
    id: str
    topic: str
    unit_id: str | None
    unit_name: str
    done_on: date | None
    result: str


@dataclass(frozen=True)
class JointDetail(Detail[JointMeetingRow]):
    units: tuple[tuple[str, str], ...]  # (id, name) attending
    topics: tuple[TopicRow, ...]


# ---------------------------------------------------------------- 费用关联


@dataclass(frozen=True)
class CostRow:
    """A ledger voucher linked to an activity or a 项目清单 item; `reversed` ones count for nothing."""

    id: str
    entry_id: str
    voucher_no: str
    entry_date: date
    amount_fen: int
    reversed: bool
    target: str  # 共建活动：… / 项目清单：…
    activity_id: str | None = None
    item_id: str | None = None


# ---------------------------------------------------------------- 问需服务


@dataclass(frozen=True)
class InquiryRow:
    id: str
    inquiry_date: date
    channel: str
    party_kind: str  # 居民 / 单位
    unit_id: str | None
    resident_id: str | None
    asked_name: str
    asked_by: str
    topic: str
    answer: str
    state: str
    grid_id: str | None
    grid_name: str
    need_id: str | None
    need_title: str
    follow_up: str
    done_on: date | None
    version: int = 0  # as read: the inquiry form's save is refused over a later change

    def to_input(self) -> rules.InquiryInput:
        return input_part(self, rules.InquiryInput)


# ---------------------------------------------------------------- 单位报到


@dataclass(frozen=True)
class UnitReportRow:
    """A unit's 报到 with its year in figures: open 认领, services and hours, activities, the year's 评价."""

    id: str
    unit_id: str
    unit_name: str
    org_id: str | None
    org_name: str
    reported_on: date
    liaison: str
    phone_masked: str
    promise: str
    ended_on: date | None
    claims: int
    services: int
    hours_tenths: int
    activities: int
    grade: str
    version: int = 0  # as read (the 报到 itself, not its items): the form's save is refused over a later change


@dataclass(frozen=True)
class ReportItemRow:
    id: str
    kind: str  # 认领 / 服务 / 评价
    item_date: date
    title: str
    post_id: str | None
    list_item_id: str | None
    people: int
    hours_tenths: int
    year: int | None
    notes: str
    ended_on: date | None


@dataclass(frozen=True)
class UnitReportDetail(Detail[UnitReportRow]):
    year: int
    items: tuple[ReportItemRow, ...]  # 认领 still open or of the year, the year's services, every 评价
    activities: tuple[ActivityRow, ...]  # the year's
    projects: tuple[ListRow, ...]  # 项目清单 items the unit claimed
