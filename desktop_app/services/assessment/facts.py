"""The year's records every computed rule reads, loaded once for all branches.

Computing an assessment must not read the database once per branch: each fact
here is one query over the year (or one call of the meetings or dues service
that already works for every branch at once), grouped by branch in memory and
kept for every rule that asks again. The facts live for one computation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain import development as dev_rules
from desktop_app.domain import meetings as meeting_rules
from desktop_app.services import meetings as ms
from desktop_app.services.database import Database
from desktop_app.services.dues.facts import DuesCalculator, facts_of, members_of, month_state
from desktop_app.services.dues.rates import rate_rules_in
from desktop_app.services.membership import members_on
from desktop_app.services.orgtree import OrgTree
from desktop_app.store.models import Member
from desktop_app.store.models_cobuilding import Activity, ActivityOrg, ActivityUnit
from desktop_app.store.models_development import Applicant, DevelopmentStep
from desktop_app.store.models_meetings import Attendance, CommitteeMember, Evaluation, Meeting
from desktop_app.store.models_service import Visit, VisitMember, Wish


@dataclass(frozen=True)
class MeetingFact:
    id: str
    number: str
    kind: str
    title: str
    org_id: str
    on: date
    status: str
    lecturer: str
    expected: int = 0
    present: int = 0

    def label(self) -> str:
        title = f"“{self.title}”" if self.title and self.title != self.kind else ""
        return f"{self.kind}{title}（{self.number}）"


@dataclass(frozen=True)
class VisitFact:
    id: str
    on: date
    visitee: str
    form: str
    raised_issue: bool
    follow_state: str
    resolved_on: date | None
    visitors: tuple[str, ...]


@dataclass(frozen=True)
class ActivityFact:
    on: date
    kind: str
    title: str
    units: tuple[str, ...]  # partner units that organised or took part
    org_ids: tuple[str, ...]  # organisers (branches or the community committee)


@dataclass(frozen=True)
class WishFact:
    wish_no: str
    content: str
    claimant: str
    fulfilled_on: date


class YearFacts:
    """What the program holds for `year` as of `as_of`, grouped by branch; each part loads on first use."""

    def __init__(self, db: Database, s: Session, year: int, as_of: date):
        self.db, self.s, self.year, self.as_of = db, s, year, as_of
        self.first, self.last = date(year, 1, 1), date(year, 12, 31)
        self.orgs = OrgTree(s)
        self.branches = self.orgs.branches()
        self._memo: dict = {}

    def memo(self, key, make):
        """A computed rule's result, kept for the other indicators that use the same rule and parameters."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def branch_id(self, org_id: str | None) -> str | None:
        b = self.orgs.branch_of(org_id)
        return b.id if b is not None else None

    # ---- members

    @cached_property
    def roster(self) -> dict[str, list[tuple[str, str]]]:
        """(id, name) of the members on the assessment day, by the branch they sat in then: as 概览 counts
        them, so a past year is judged on its own members, not today's (a member who left since still
        counts, one who joined since does not), and without those moved into the 双报到 register (their
        records of the year still count, through member_branch)."""
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for mid, one in members_on(self.s, self.as_of).items():
            b = self.branch_id(one.org_id)
            if b:
                out[b].append((mid, self.member_branch[mid][1]))
        return out

    @cached_property
    def member_branch(self) -> dict[str, tuple[str | None, str]]:
        """Every live member's (branch id, name), members who left included: their past records still count."""
        return {mid: (self.branch_id(org_id), name) for mid, name, org_id in self.s.execute(
            select(Member.id, Member.name, Member.org_id).where(Member.deleted.is_(False)))}

    # ---- meetings

    @cached_property
    def compliance(self) -> ms.ComplianceGrid:
        return ms.compliance(self.db, self.year, min(self.as_of, self.last))

    @cached_property
    def meetings(self) -> dict[str, MeetingFact]:
        """The year's meetings (planned and held), with attendance counts of the held ones."""
        # Counted by the database: a community's year is tens of thousands of attendance rows.
        counts = {meeting_id: (expected, present or 0) for meeting_id, expected, present in self.s.connection().execute(
            select(Attendance.meeting_id, func.count(),
                   func.sum(case((Attendance.status == meeting_rules.PRESENT, 1), else_=0)))
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.deleted.is_(False), Attendance.member_id.is_not(None), Attendance.is_guest.is_(False),
                   Meeting.deleted.is_(False), Meeting.status == meeting_rules.HELD,
                   Meeting.meeting_date.between(self.first, self.last))
            .group_by(Attendance.meeting_id)
        )}
        out = {}
        for r in self.s.execute(
            select(Meeting.id, Meeting.number, Meeting.kind, Meeting.title, Meeting.org_id, Meeting.meeting_date,
                   Meeting.status, Meeting.lecturer)
            .where(Meeting.deleted.is_(False), Meeting.meeting_date.between(self.first, self.last),
                   Meeting.status != meeting_rules.CANCELLED)
            .order_by(Meeting.meeting_date, Meeting.number)
        ):
            c = counts.get(r[0], (0, 0))
            out[r[0]] = MeetingFact(*r, expected=c[0], present=c[1])
        return out

    @cached_property
    def held_by_branch(self) -> dict[str, list[MeetingFact]]:
        """Held meetings of each branch and its party groups, by date."""
        out: dict[str, list[MeetingFact]] = defaultdict(list)
        for m in self.meetings.values():
            if m.status == meeting_rules.HELD and m.on <= self.as_of:
                b = self.branch_id(m.org_id)
                if b:
                    out[b].append(m)
        return out

    @cached_property
    def secretaries(self) -> dict[str, list[tuple[str, date | None, date | None]]]:
        """(name, from, to) of each branch's 书记 over time."""
        out: dict[str, list] = defaultdict(list)
        for org_id, name, start, end in self.s.execute(
            select(CommitteeMember.org_id, Member.name, CommitteeMember.start_date, CommitteeMember.end_date)
            .join(Member, Member.id == CommitteeMember.member_id)
            .where(CommitteeMember.deleted.is_(False), CommitteeMember.role == "书记")
        ):
            out[org_id].append((name, start, end))
        return out

    def secretary_on(self, branch_id: str, on: date) -> str:
        for name, start, end in self.secretaries.get(branch_id, []):
            if (start is None or start <= on) and (end is None or end >= on):
                return name
        return ""

    # ---- 民主评议

    def evaluations(self, of_year: int) -> dict[str, str]:
        """member id → grade given for `of_year`."""
        return self.memo(("evaluations", of_year), lambda: {mid: grade for mid, grade in self.s.execute(
            select(Evaluation.member_id, Evaluation.grade)
            .where(Evaluation.deleted.is_(False), Evaluation.year == of_year))})

    # ---- dues

    @cached_property
    def dues_months(self) -> dict[str, list[tuple[str, date, str, date | None]]]:
        """(member name, month, state, paid on) of every month owed up to the reference month, by branch.

        The dues service's own month rule (bases, exemptions, leaving dates),
        for every member in one pass over the year's records.
        """
        from desktop_app.views import dues as dv

        calc = DuesCalculator(rate_rules_in(self.s))
        current = date(min(self.as_of, self.last).year, min(self.as_of, self.last).month, 1)
        months = [date(self.year, m, 1) for m in range(1, 13) if date(self.year, m, 1) <= current]
        out: dict[str, list] = defaultdict(list)
        for f in facts_of(self.s, members_of(self.s, None), self.year, everyone=True):
            b = self.branch_id(f.org_id)
            if not b:
                continue
            for month in months:
                state, _due, rec = month_state(f, month, calc, current)
                if state in (dv.PAID, dv.PARTIAL, dv.OWED):
                    out[b].append((f.name, month, state, rec.paid_on if rec is not None else None))
        return out

    # ---- 发展党员

    @cached_property
    def development(self) -> dict[str, list[tuple[str, list[dev_rules.Done]]]]:
        """(name, dated steps) of every applicant of each branch with a step up to the year's end."""
        steps: dict[str, list[dev_rules.Done]] = defaultdict(list)
        for applicant_id, step, on, months in self.s.execute(
            select(DevelopmentStep.applicant_id, DevelopmentStep.step, DevelopmentStep.done_on, DevelopmentStep.months)
            .where(DevelopmentStep.deleted.is_(False), DevelopmentStep.done_on <= self.last)
            .order_by(DevelopmentStep.done_on, DevelopmentStep.created_at)
        ):
            steps[applicant_id].append(dev_rules.Done(step, on, months))
        out: dict[str, list] = defaultdict(list)
        for applicant_id, name, org_id in self.s.execute(
            select(Applicant.id, Applicant.name, Applicant.org_id)
            .where(Applicant.deleted.is_(False)).order_by(Applicant.applied_on, Applicant.name)
        ):
            b = self.branch_id(org_id)
            if b and steps.get(applicant_id):
                out[b].append((name, steps[applicant_id]))
        return out

    # ---- visits and wishes

    @cached_property
    def visits(self) -> dict[str, list[VisitFact]]:
        """The year's visits by each branch whose members took part (a visit counts once per branch)."""
        visitors: dict[str, list[str]] = defaultdict(list)
        for visit_id, member_id in self.s.connection().execute(
            select(VisitMember.visit_id, VisitMember.member_id)
            .join(Visit, Visit.id == VisitMember.visit_id)
            .where(VisitMember.deleted.is_(False), Visit.deleted.is_(False),
                   Visit.visit_date.between(self.first, min(self.as_of, self.last)))
        ):
            visitors[visit_id].append(member_id)
        out: dict[str, list[VisitFact]] = defaultdict(list)
        if not visitors:
            return out
        for r in self.s.execute(
            select(Visit.id, Visit.visit_date, Visit.visitee_name, Visit.form, Visit.raised_issue,
                   Visit.follow_state, Visit.resolved_on)
            .where(Visit.deleted.is_(False), Visit.visit_date.between(self.first, min(self.as_of, self.last)))
            .order_by(Visit.visit_date)
        ):
            people = [self.member_branch.get(m, (None, "")) for m in visitors.get(r[0], [])]
            for b in {p[0] for p in people if p[0]}:
                names = tuple(name for branch, name in people if branch == b)
                out[b].append(VisitFact(*r, visitors=names))
        return out

    @cached_property
    def wishes(self) -> dict[str, list[WishFact]]:
        """Wishes members of each branch fulfilled in the year."""
        out: dict[str, list[WishFact]] = defaultdict(list)
        for no, content, member_id, claimant, on in self.s.execute(
            select(Wish.wish_no, Wish.content, Wish.claimant_member_id, Wish.claimant_name, Wish.fulfilled_on)
            .where(Wish.deleted.is_(False), Wish.claimant_member_id.is_not(None),
                   Wish.fulfilled_on.between(self.first, min(self.as_of, self.last)))
            .order_by(Wish.fulfilled_on)
        ):
            b = self.member_branch.get(member_id, (None, ""))[0]
            if b:
                out[b].append(WishFact(no, content, claimant, on))
        return out

    # ---- 共驻共建

    @cached_property
    def activities(self) -> list[ActivityFact]:
        """The year's 共建 activities held with at least one partner unit, with their organisers."""
        last = min(self.as_of, self.last)

        def per_activity(link, value) -> dict[str, list[str]]:
            """activity id -> `value` of its live `link` rows (units, organisers), for the year's activities."""
            out: dict[str, list[str]] = defaultdict(list)
            for activity_id, v in self.s.execute(
                select(link.activity_id, value).join(Activity, Activity.id == link.activity_id)
                .where(link.deleted.is_(False), Activity.deleted.is_(False),
                       Activity.activity_date.between(self.first, last))
            ):
                out[activity_id].append(v)
            return out

        units = per_activity(ActivityUnit, ActivityUnit.unit_name)
        if not units:
            return []
        organisers = per_activity(ActivityOrg, ActivityOrg.org_id)
        return [
            ActivityFact(on, kind, title, tuple(units[aid]), tuple(organisers.get(aid, ())))
            for aid, on, kind, title in self.s.execute(
                select(Activity.id, Activity.activity_date, Activity.kind, Activity.title)
                .where(Activity.deleted.is_(False), Activity.activity_date.between(self.first, last))
                .order_by(Activity.activity_date))
            if aid in units
        ]

    def activities_of_branch(self) -> dict[str, list[ActivityFact]]:
        out: dict[str, list[ActivityFact]] = defaultdict(list)
        for a in self.activities:
            for b in {self.branch_id(o) for o in a.org_ids} - {None}:
                out[b].append(a)
        return out

    def activities_of_community(self) -> dict[str, int]:
        """Activities each community's committee or branches organised (an activity counts once)."""
        out: dict[str, int] = defaultdict(int)
        for a in self.activities:
            for c in {getattr(self.orgs.community_of(o), "id", None) for o in a.org_ids} - {None}:
                out[c] += 1
        return out
