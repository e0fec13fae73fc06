"""出党 and leaving the roster: 除名, 退党, 开除党籍, 自行脱党, 去世, 转出, each with its decision.

An exit writes the dated status the figures read (so every count after that day
leaves the member out, and none before it changes), and keeps the deciding body
and document number. A record entered by mistake is withdrawn whole: the status
history row goes with it and the member's previous status comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import members as member_rules
from desktop_app.domain import memberlife as rules
from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.memberlife._common import Orgs, live_member, record_status, status_before, today_of
from desktop_app.services.memberlife.floating import end_outings, reopen_outings
from desktop_app.services.membership import exemptions_of
from desktop_app.domain.membership import exemption_on
from desktop_app.services.records import chunked, live, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, MemberStatusChange, Transfer
from desktop_app.store.models_cobuilding import registered_member_ids
from desktop_app.store.models_ledger import DuesRecord
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.store.models_memberlife import FloatingRecord, PartyExit
from desktop_app.views.memberlife import ExitRow, LapseRow


def _row(e: PartyExit, m: Member, orgs: Orgs) -> ExitRow:
    return ExitRow(e.id, m.id, m.name, orgs.branch_name(m.org_id), e.kind, e.exit_date, e.decided_by,
                   e.document_no, e.reason, e.note)


def _per_member(s: Session, member_ids: Sequence[str], query) -> dict[str, date]:
    """member id -> date, from `query(chunk)` run over the ids a chunk at a time."""
    out: dict[str, date] = {}
    for chunk in chunked(list(member_ids)):
        out.update(s.execute(query(chunk)).all())
    return out


def _last_life(s: Session, member_ids: Sequence[str], day: date) -> dict[str, date]:
    return _per_member(s, member_ids, lambda chunk: (
        select(Attendance.member_id, func.max(Meeting.meeting_date))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.member_id.in_(chunk), Attendance.deleted.is_(False), Meeting.deleted.is_(False),
               Meeting.status == meeting_rules.HELD, Attendance.status == meeting_rules.PRESENT,
               Meeting.meeting_date <= day)
        .group_by(Attendance.member_id)))


def _dues_paid_to(s: Session, member_ids: Sequence[str], day: date) -> dict[str, date]:
    return _per_member(s, member_ids, lambda chunk: (
        select(DuesRecord.member_id, func.max(DuesRecord.month))
        .where(DuesRecord.member_id.in_(chunk), DuesRecord.deleted.is_(False), DuesRecord.paid_fen > 0,
               DuesRecord.paid_on.is_not(None), DuesRecord.paid_on <= day)
        .group_by(DuesRecord.member_id)))


def _away_until(s: Session, member_ids: Sequence[str], day: date) -> dict[str, date]:
    """The last day of each member's 流出 begun by `day` (`day` while still out)."""
    return _per_member(s, member_ids, lambda chunk: (
        select(FloatingRecord.member_id, func.max(func.coalesce(FloatingRecord.end_date, day)))
        .where(FloatingRecord.member_id.in_(chunk), FloatingRecord.deleted.is_(False),
               FloatingRecord.direction == rules.FLOW_OUT, FloatingRecord.start_date <= day)
        .group_by(FloatingRecord.member_id)))


def _tracked(s: Session) -> tuple[date | None, date | None]:
    """Since when the program keeps meetings and dues (None: not at all, so that ground is not judged)."""
    life = s.scalar(select(func.min(Meeting.meeting_date)).where(
        Meeting.deleted.is_(False), Meeting.status == meeting_rules.HELD))
    dues = s.scalar(select(func.min(DuesRecord.month)).where(DuesRecord.deleted.is_(False)))
    return life, dues


def _lapse(s: Session, m: Member, day: date) -> rules.Lapse:
    since = m.joined_date or m.created_at.date()
    life_from, dues_from = _tracked(s)
    return rules.lapse_on(day, since, _last_life(s, [m.id], day).get(m.id), _dues_paid_to(s, [m.id], day).get(m.id),
                          life_from, dues_from, _away_until(s, [m.id], day).get(m.id))


@writes("discipline.write")
def record_exit(uow: UnitOfWork, member_id: str, inp: rules.ExitInput, today: date | None = None) -> ExitRow:
    """Record a member's exit; refused (nothing written) when the 党章's terms are not met."""
    today = today_of(today)
    s = uow.session
    m = live_member(s, member_id)
    lapse = _lapse(s, m, inp.exit_date) if inp.kind == rules.LAPSED and inp.exit_date else None
    clean = rules.check_exit(inp, today, m.joined_date, m.status, lapse)
    orgs = Orgs(s)
    prior = m.status
    from desktop_app.services.meetings import planned  # meetings reads member life: imported when used

    with planned.following(s, m, today):  # out of 应到 of the branch's planned meetings
        end_outings(s, m, clean.exit_date)
        if clean.kind == member_rules.TRANSFERRED_OUT:
            s.add(Transfer(member_id=m.id, direction=member_rules.TRANSFER_OUT, transfer_date=clean.exit_date,
                           from_org=orgs.branch_name(m.org_id), to_org=clean.destination, note=clean.note,
                           letter_no=clean.document_no))
        change_id = record_status(s, m, clean.kind, clean.exit_date, clean.destination,
                                  f"{clean.kind}（{clean.decided_by} {clean.document_no}）".replace("（ ）", "").strip())
        e = PartyExit(member_id=m.id, kind=clean.kind, exit_date=clean.exit_date, decided_by=clean.decided_by,
                      document_no=clean.document_no, reason=clean.reason, note=clean.note, prior_status=prior,
                      status_change_id=change_id)
        s.add(e)
    s.flush()
    return _row(e, m, orgs)


@writes("discipline.write")
def withdraw_exit(uow: UnitOfWork, exit_id: str) -> None:
    """Withdraw an exit entered by mistake: its status history goes too and the previous status comes back."""
    s = uow.session
    e = live(s, PartyExit, exit_id, "出党记录")
    m = live_member(s, e.member_id)
    if m.status != e.kind:
        raise ValidationError("出党方式", f"该党员现在是“{m.status}”，请先撤销之后的变动")
    from desktop_app.services.meetings import planned  # meetings reads member life: imported when used

    with planned.following(s, m, today_of(None)):  # back on the planned lists it left
        change = s.get(MemberStatusChange, e.status_change_id) if e.status_change_id else None
        if change is not None:
            change.deleted = True
        if e.kind == member_rules.TRANSFERRED_OUT:
            for t in s.scalars(select(Transfer).where(
                    Transfer.member_id == m.id, Transfer.deleted.is_(False),
                    Transfer.direction == member_rules.TRANSFER_OUT, Transfer.transfer_date == e.exit_date)):
                t.deleted = True
        m.status = e.prior_status or status_before(s, m.id, e.status_change_id)
        if m.status == member_rules.FLOATING:
            reopen_outings(s, m, e.exit_date)
        e.deleted = True


def exits(db: Database, year: int | None = None, member_id: str | None = None) -> list[ExitRow]:
    """The exit register, newest first (one year's, or one member's)."""
    auth.require(db, "discipline.read")
    with db.session() as s:
        q = (select(PartyExit, Member).join(Member, Member.id == PartyExit.member_id)
             .where(PartyExit.deleted.is_(False)).order_by(PartyExit.exit_date.desc()))
        if year is not None:
            q = q.where(PartyExit.exit_date >= date(year, 1, 1), PartyExit.exit_date <= date(year, 12, 31))
        if member_id is not None:
            q = q.where(PartyExit.member_id == member_id)
        orgs = Orgs(s)
        out = [_row(e, m, orgs) for e, m in s.execute(q)]
        out += _roster_leavers(s, orgs, {(r.member_id, r.kind, r.exit_date) for r in out}, year, member_id)
    return sorted(out, key=lambda r: r.exit_date, reverse=True)


def _roster_leavers(s: Session, orgs: Orgs, known: set, year: int | None, member_id: str | None) -> list[ExitRow]:
    """去世 and 转出 entered as status changes on the roster, so the register misses no one who left."""
    q = (select(MemberStatusChange, Member).join(Member, Member.id == MemberStatusChange.member_id)
         .where(MemberStatusChange.deleted.is_(False), Member.deleted.is_(False),
                MemberStatusChange.status.in_(member_rules.GONE_STATUSES)))
    if year is not None:
        q = q.where(MemberStatusChange.changed_on >= date(year, 1, 1), MemberStatusChange.changed_on <= date(year, 12, 31))
    if member_id is not None:
        q = q.where(MemberStatusChange.member_id == member_id)
    out = []
    for ch, m in s.execute(q):
        if (m.id, ch.status, ch.changed_on) in known or m.status != ch.status:
            continue  # recorded here already, or the member came back since
        out.append(ExitRow(ch.id, m.id, m.name, orgs.branch_name(m.org_id), ch.status, ch.changed_on, "", "",
                           ch.note, ch.destination, from_roster=True))
    return out


def lapse_candidates(db: Database, day: date | None = None) -> list[LapseRow]:
    """Members who on `day` meet article 9's six months (no organisation life, or no dues), for review.

    A member excused from 应到 that day (长期外出, 病重 …) has a stated reason and is left out; where
    the program keeps no dues (or no meetings) at all, that ground is not judged.
    """
    auth.require(db, "discipline.read")
    day = today_of(day)
    with db.session() as s:
        members = s.scalars(select(Member).where(
            Member.deleted.is_(False), Member.status.not_in(member_rules.GONE_STATUSES),
            Member.id.not_in(registered_member_ids()))).all()
        ids = [m.id for m in members]
        life, dues, away = _last_life(s, ids, day), _dues_paid_to(s, ids, day), _away_until(s, ids, day)
        tracked = _tracked(s)
        excused = exemptions_of(s, ids)
        orgs = Orgs(s)
        out = []
        for m in members:
            if exemption_on(excused.get(m.id, ()), day):
                continue
            since = m.joined_date or m.created_at.date()
            lapse = rules.lapse_on(day, since, life.get(m.id), dues.get(m.id), *tracked, away.get(m.id))
            if lapse.lapsed:
                out.append(LapseRow(m.id, m.name, orgs.branch_name(m.org_id), life.get(m.id), dues.get(m.id),
                                    tuple(lapse.grounds)))
        return sorted(out, key=lambda r: (r.branch_name, r.name))
