"""党纪处分 and 不合格党员处置: the decisions, their terms, and what they change.

A 留党察看 bars the member's vote from the decision to the end of its term
(quorum and every vote read it as of their day, services/membership). A 处置
of 除名 after a 民主评议 is also an exit (出党), written in the same unit of work.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.memberlife._common import live_member, record_status, today_of
from desktop_app.services.records import live, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_memberlife import Discipline, Disposal, PartyExit
from desktop_app.views.memberlife import DisciplineRow, DisposalRow


def _drow(d: Discipline, name: str, today: date) -> DisciplineRow:
    running = rules.vote_barred([rules.Sanction(d.kind, d.decided_on, d.ends_on, d.lifted_on)], today)
    return DisciplineRow(d.id, d.member_id, name, d.kind, d.decided_on, d.decided_by, d.document_no, d.ends_on,
                         d.lifted_on, d.reason, running, d.note)


def _prow(p: Disposal, name: str, today: date) -> DisposalRow:
    overdue = p.measure == rules.RECTIFY and p.deadline is not None and p.deadline < today and not p.outcome
    return DisposalRow(p.id, p.member_id, name, p.year, p.measure, p.decided_on, p.decided_by, p.document_no,
                       p.deadline, p.outcome, overdue, p.note)


def _named(model, member_id: str | None):
    """Live decisions of `model` with the member's name, latest first (one member's when given)."""
    q = (select(model, Member.name).join(Member, Member.id == model.member_id)
         .where(model.deleted.is_(False)).order_by(model.decided_on.desc()))
    return q if member_id is None else q.where(model.member_id == member_id)


@writes("discipline.write")
def add_discipline(uow: UnitOfWork, member_id: str, inp: rules.DisciplineInput,
                   today: date | None = None) -> DisciplineRow:
    """Record a 党纪处分 (开除党籍 is an exit: record_exit)."""
    today = today_of(today)
    s = uow.session
    m = live_member(s, member_id)
    clean = rules.check_discipline(inp, today, m.joined_date)
    d = Discipline(member_id=m.id, kind=clean.kind, decided_on=clean.decided_on, decided_by=clean.decided_by,
                   document_no=clean.document_no, ends_on=clean.ends_on, reason=clean.reason, note=clean.note)
    s.add(d)
    s.flush()
    return _drow(d, m.name, today)


@writes("discipline.write")
def lift_probation(uow: UnitOfWork, discipline_id: str, on: date | None, today: date | None = None) -> DisciplineRow:
    """恢复党员权利 at the end of a 留党察看: the vote comes back from that day."""
    today = today_of(today)
    s = uow.session
    d = live(s, Discipline, discipline_id, "处分记录")
    d.lifted_on = rules.check_lift(rules.Sanction(d.kind, d.decided_on, d.ends_on), on, today)
    s.flush()
    return _drow(d, live_member(s, d.member_id).name, today)


@writes("discipline.write")
def withdraw_discipline(uow: UnitOfWork, discipline_id: str) -> None:
    """Withdraw a 处分 entered by mistake (or annulled on appeal)."""
    live(uow.session, Discipline, discipline_id, "处分记录").deleted = True


def disciplines(db: Database, member_id: str | None = None, running_only: bool = False,
                today: date | None = None) -> list[DisciplineRow]:
    auth.require(db, "discipline.read")
    today = today_of(today)
    with db.session() as s:
        rows = [_drow(d, name, today) for d, name in s.execute(_named(Discipline, member_id))]
    return [r for r in rows if r.running] if running_only else rows


@writes("discipline.write")
def add_disposal(uow: UnitOfWork, member_id: str, inp: rules.DisposalInput, today: date | None = None) -> DisposalRow:
    """处置 of a member found 不合格 in the 民主评议; 除名 also records the exit."""
    today = today_of(today)
    s = uow.session
    m = live_member(s, member_id)
    earlier = list(s.scalars(select(Disposal.measure).where(
        Disposal.member_id == m.id, Disposal.year == inp.year, Disposal.deleted.is_(False))))
    clean = rules.check_disposal(inp, today, earlier)
    if clean.measure == rules.DISPOSAL_REMOVE:
        exit_inp = rules.check_exit(
            rules.ExitInput(rules.REMOVED, clean.decided_on, clean.decided_by, clean.document_no,
                            f"{clean.year}年度民主评议为不合格党员，经教育仍无转变", clean.note),
            today, m.joined_date, m.status)
        prior = m.status
        from desktop_app.services.meetings import planned  # meetings reads member life: imported when used

        with planned.following(s, m, today):  # off the planned meetings' 应到
            change_id = record_status(s, m, rules.REMOVED, clean.decided_on, "",
                                      f"不合格党员处置：除名（{clean.document_no}）")
            s.add(PartyExit(member_id=m.id, kind=rules.REMOVED, exit_date=clean.decided_on,
                            decided_by=clean.decided_by, document_no=clean.document_no, reason=exit_inp.reason,
                            note=clean.note, prior_status=prior, status_change_id=change_id))
    p = Disposal(member_id=m.id, year=clean.year, measure=clean.measure, decided_on=clean.decided_on,
                 decided_by=clean.decided_by, document_no=clean.document_no, deadline=clean.deadline,
                 note=clean.note)
    s.add(p)
    s.flush()
    return _prow(p, m.name, today)


@writes("discipline.write")
def set_disposal_outcome(uow: UnitOfWork, disposal_id: str, outcome: str, today: date | None = None) -> DisposalRow:
    """How a 限期改正 or 劝退 ended (已改正, 仍无转变, 本人退党 …)."""
    outcome = (outcome or "").strip()
    if not outcome or len(outcome) > 40:
        raise ValidationError("处置结果", "请写明结果（不超过 40 个字）")
    s = uow.session
    p = live(s, Disposal, disposal_id, "处置记录")
    p.outcome = outcome
    s.flush()
    return _prow(p, live_member(s, p.member_id).name, today_of(today))


def disposals(db: Database, year: int | None = None, member_id: str | None = None,
              today: date | None = None) -> list[DisposalRow]:
    auth.require(db, "discipline.read")
    today = today_of(today)
    with db.session() as s:
        q = _named(Disposal, member_id)
        if year is not None:
            q = q.where(Disposal.year == year)
        return [_prow(p, name, today) for p, name in s.execute(q)]


@writes("discipline.write")
def withdraw_disposal(uow: UnitOfWork, disposal_id: str) -> None:
    """Withdraw a 处置 entered by mistake (a 除名 is withdrawn as an exit: withdraw_exit)."""
    p = live(uow.session, Disposal, disposal_id, "处置记录")
    if p.measure == rules.DISPOSAL_REMOVE:
        raise ValidationError("处置方式", "除名请在出党记录中撤销")
    p.deleted = True

