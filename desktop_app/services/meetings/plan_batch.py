"""按周期批量计划: the meetings branches still owe over some months, previewed, then planned in one go.

`preview_batch` lists what is missing (domain/batch_plan.py decides); the
secretary unticks what they do not want, and `plan_batch` plans the rest in one
transaction that works the preview out again inside it: a meeting someone
planned meanwhile is not planned twice, it is reported skipped. Each planned
meeting is an ordinary planned meeting (number, default 应到 list), audited
row by row as `plan` is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import batch_plan as batch
from desktop_app.domain import cadence
from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth, orgtree
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _today
from desktop_app.services.meetings.cadence import branch_settings
from desktop_app.services.meetings.kinds import _RuleBook
from desktop_app.services.meetings.lifecycle import (
    _add_attendees, _default_attendees, check_holder, check_meeting, next_number,
)
from desktop_app.services.orgtree import OrgNode, OrgTree
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models_meetings import Meeting
from desktop_app.views.batch_plan import BatchPlanRequest, BatchPlanResult, BatchPlanRow, HabitRow
from desktop_app.views.meetings import MeetingInput

MAX_MONTHS = 24  # two years at most in one go: a typo in the year should not plan a decade


def _branches(orgs: OrgTree, s: Session, org_ids: Sequence[str]) -> list[OrgNode]:
    """The branches asked for: a branch itself, a group's branch, or every branch under a community."""
    if not org_ids:
        raise ValidationError("党组织", "请选择党支部")
    wanted: set[str] = set()
    for oid in org_ids:
        org = orgs.get(oid)
        if org is None:
            raise ValidationError("党组织", "所选党组织不存在或已删除")
        top = orgs.branch_of(oid)
        if top is not None:
            wanted.add(top.id)
        else:
            wanted |= set(orgtree.subtree_ids(s, oid))
    return [b for b in orgs.branches() if b.id in wanted]


def _check_request(req: BatchPlanRequest) -> None:
    if req.last < req.first:
        raise ValidationError("月份", "结束月份不能早于开始月份")
    months = (req.last.year - req.first.year) * 12 + req.last.month - req.first.month + 1
    if months > MAX_MONTHS:
        raise ValidationError("月份", f"一次最多计划 {MAX_MONTHS} 个月")
    for kind in req.kinds:
        rules.check_kind(kind)


def _holders(s: Session, orgs: OrgTree, branches: Sequence[OrgNode], kinds: Sequence[str], year: int,
             day: date) -> Iterator[tuple[str, rules.KindRule, OrgNode, str, list[str], date | None]]:
    """Who holds which kind: (kind, the branch's rule, holder, its name, the ids whose meetings count for it,
    tracking since), the branches in order. A 党小组会 the branch recorded as its own counts for each group."""
    book = _RuleBook(s, orgs)
    settings = branch_settings(s, orgs, [b.id for b in branches], year, day)
    for b in branches:
        since, committee = settings[b.id]
        groups = orgs.groups_of(b.id)
        for kind in kinds or rules.KINDS:
            rule = cadence.branch_rule(book.for_org(b.id)[kind], committee, bool(groups))
            if not rule.tracked or rule.holder == rules.Holder.COMMUNITY:
                continue
            holders = groups if rule.holder == rules.Holder.GROUP and groups else [b]
            for h in holders:
                ids = [h.id] if h.id == b.id else [h.id, b.id]
                yield kind, rule, h, (b.name if h.id == b.id else f"{b.name}·{h.name}"), ids, since


def _past(s: Session, year: int) -> dict[tuple[str, str], list[batch.PastMeeting]]:
    """The meetings of `year` not cancelled, per holder and kind (a review's reach into the next March)."""
    out: dict[tuple[str, str], list[batch.PastMeeting]] = defaultdict(list)
    for org_id, kind, day, status, title, place, lecturer in s.execute(
        select(Meeting.org_id, Meeting.kind, Meeting.meeting_date, Meeting.status, Meeting.title, Meeting.place,
               Meeting.lecturer)
        .where(Meeting.deleted.is_(False), Meeting.status != rules.CANCELLED,
               Meeting.meeting_date >= date(year, 1, 1), Meeting.meeting_date <= cadence.review_deadline(year))
    ):
        out[(org_id, kind)].append(batch.PastMeeting(day, status, title or "", place or "", lecturer or ""))
    return out


def _check_like_year(year: int | None, last: date) -> None:
    if year is not None and not 2000 <= year <= last.year:
        raise ValidationError("照去年", f"参照的年份应在 2000 年到 {last.year} 年之间")


def _proposals(s: Session, req: BatchPlanRequest, today: date) -> list[BatchPlanRow]:
    _check_request(req)
    _check_like_year(req.like_year, req.last)
    orgs = OrgTree(s)
    branches = _branches(orgs, s, req.org_ids)
    existing: dict[tuple[str, str], list[batch.Existing]] = defaultdict(list)
    for org_id, kind, day, status in s.execute(
        select(Meeting.org_id, Meeting.kind, Meeting.meeting_date, Meeting.status)
        # from the year before: a review year's meetings reach into the next one
        .where(Meeting.deleted.is_(False), Meeting.meeting_date >= date(req.first.year - 1, 1, 1),
               Meeting.meeting_date <= cadence.review_deadline(req.last.year))
    ):
        existing[(org_id, kind)].append(batch.Existing(day, status))
    past = _past(s, req.like_year) if req.like_year is not None else {}
    place = rules.check_short("会议地点", req.place, 60)
    places = {k: rules.check_short("会议地点", v, 60) for k, v in req.places.items()}
    out: list[BatchPlanRow] = []
    for kind, rule, h, name, ids, since in _holders(s, orgs, branches, req.kinds, req.first.year,
                                                    max(min(today, req.last), req.first)):
        habit = (batch.like_year(rule, req.like_year, [x for i in ids for x in past.get((i, kind), ())])
                 if req.like_year is not None else None)
        day_rule = req.days.get(kind) or (habit and habit.day_rule) or req.default_day
        pattern = req.titles.get(kind) or (habit and habit.title) or batch.DEFAULT_TITLES[rule.unit]
        where = places.get(kind) or (habit and habit.place) or place
        lecturer = habit.lecturer if habit else ""
        for p in batch.propose(rule, req.first, req.last, day_rule,
                               [x for i in ids for x in existing.get((i, kind), ())], today, since,
                               habit.month if habit else None):
            out.append(BatchPlanRow(h.id, name, kind, p.period.label, p.day,
                                    batch.title_for(pattern, kind, p.period, p.day), where, p.note, lecturer))
    return sorted(out, key=lambda r: (r.day, rules.KINDS.index(r.kind), r.org_name))


def like_year_habits(db: Database, org_ids: Sequence[str], year: int,
                     today: date | None = None) -> list[HabitRow]:
    """照去年: how each holder under `org_ids` kept each batch kind in `year`, the dialog's and the
    command line's words, before anything is planned."""
    auth.require(db, "meetings.read")
    today = _today(today)
    _check_like_year(year, date(today.year + 1, 12, 31))
    with db.session() as s:
        orgs = OrgTree(s)
        past = _past(s, year)
        return [HabitRow(h.id, name, batch.like_year(rule, year, [x for i in ids for x in past.get((i, kind), ())]))
                for kind, rule, h, name, ids, _since in _holders(s, orgs, _branches(orgs, s, org_ids), (),
                                                                  year + 1, today)
                if rule.unit != rules.PeriodUnit.NONE]


def batch_kinds(db: Database, org_id: str | None = None) -> dict[str, rules.KindRule]:
    """The kinds with a fixed cadence and their rules, as `org_id`'s community sets them: the form's lines."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        book = _RuleBook(s, OrgTree(s)).for_org(org_id)
        return {k: book[k] for k in rules.KINDS if book[k].unit != rules.PeriodUnit.NONE}


def kind_holders(db: Database, org_id: str | None, today: date | None = None) -> dict[str, tuple[int, int]]:
    """Per batch kind, how many of `org_id`'s branches hold it and how many branches there are:
    a branch with no 支委会 holds no 支委会, one with no 党小组 no 党小组会 (the preview leaves them out)."""
    auth.require(db, "meetings.read")
    today = _today(today)
    with db.session() as s:
        orgs = OrgTree(s)
        book = _RuleBook(s, orgs)
        branches = _branches(orgs, s, [org_id]) if org_id else []
        settings = branch_settings(s, orgs, [b.id for b in branches], today.year, today)
        out: dict[str, tuple[int, int]] = {}
        for kind in rules.KINDS:
            held = 0
            for b in branches:
                rule = book.for_org(b.id)[kind]
                if rule.unit == rules.PeriodUnit.NONE or rule.holder == rules.Holder.COMMUNITY:
                    continue
                # the community's own rule aside (a kind it does not require stays tickable): the branch's make-up
                if cadence.branch_rule(rule, settings[b.id][1], bool(orgs.groups_of(b.id))).required or not rule.required:
                    held += 1
            out[kind] = (held, len(branches))
        return out


def preview_batch(db: Database, req: BatchPlanRequest, today: date | None = None) -> list[BatchPlanRow]:
    """The meetings `req`'s branches still owe in its months, on its day rules, none of them past."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        return _proposals(s, req, _today(today))


@writes("meetings.write")
def plan_batch(uow: UnitOfWork, req: BatchPlanRequest, chosen: Sequence[BatchPlanRow],
               today: date | None = None) -> BatchPlanResult:
    """Plan the chosen rows of a preview of `req`, each still owed: the preview is worked out again here,
    so a period someone planned meanwhile is skipped, not planned twice."""
    s = uow.session
    today = _today(today)
    # How many each holder still owes per kind and period (a kind held twice a month owes two of one key)
    owed: dict[tuple, int] = defaultdict(int)
    for r in _proposals(s, req, today):
        owed[r.key] += 1
    orgs = OrgTree(s)
    planned: list[BatchPlanRow] = []
    skipped: list[BatchPlanRow] = []
    ids: list[str] = []
    counted: dict[tuple, int] = defaultdict(int)
    for row in chosen:
        # The row as the secretary saw it: same holder, kind, period; its day may be theirs.
        if counted[row.key] >= owed[row.key] or row.day < today:
            skipped.append(row)
            continue
        counted[row.key] += 1
        clean = check_meeting(MeetingInput(org_id=row.org_id, kind=row.kind, title=row.title,
                                           meeting_date=row.day, place=row.place, lecturer=row.lecturer))
        org = check_holder(orgs, clean.org_id, clean.kind)
        m = Meeting(number=next_number(s, clean.meeting_date.year), status=rules.PLANNED,
                    org_id=clean.org_id, kind=clean.kind, title=clean.title, meeting_date=clean.meeting_date,
                    place=clean.place, lecturer=clean.lecturer)
        s.add(m)
        s.flush()  # the next number sees this one
        _add_attendees(s, m, _default_attendees(s, orgs, org, clean.kind, clean.meeting_date), ())
        planned.append(row)
        ids.append(m.id)
    s.flush()
    return BatchPlanResult(tuple(planned), tuple(skipped), tuple(ids))


def said(result: BatchPlanResult) -> str:
    """The result in a sentence, the same in the window and on the command line."""
    text = f"已计划 {len(result.planned)} 次会议"
    if result.skipped:
        text += f"；{len(result.skipped)} 次未计划（期间已有人计划，或已不再需要）"
    return text
