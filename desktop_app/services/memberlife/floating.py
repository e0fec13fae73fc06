"""流动党员 流入 and 流出 registers (活动证, 流向, contact, the branch attended) and 失联党员 searches.

A 流出 is one of our members gone elsewhere: the roster status becomes 流动 from
its start (and 正常 again when it ends). A 流入 is a member of another
organisation attending one of our branches; they are not on our roster.
A 失联党员 keeps a record of each search (who tried what, when) and the
decision taken, with the waiting times of the 中组部 rules.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain import members as member_rules
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.memberlife._common import Orgs, live_member, record_status, today_of
from desktop_app.services.records import live, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, MemberStatusChange, Organization
from desktop_app.store.models_memberlife import FloatingRecord, LostSearch, PartyExit
from desktop_app.views.memberlife import FloatingRow, LostRow, SearchRow


def _frow(r: FloatingRecord, orgs: Orgs, reveal: bool) -> FloatingRow:
    idn = r.id_number if reveal or not r.id_number else idcard.mask(r.id_number)
    contact = r.contact if reveal or not r.contact else idcard.mask_phone(r.contact)
    return FloatingRow(r.id, r.direction, r.member_id, r.name, idn, r.card_no, r.org_id, orgs.branch_name(r.org_id),
                       r.start_date, r.end_date, r.place, r.other_org, contact, r.note)


@writes("members.write")
def add_floating(uow: UnitOfWork, inp: rules.FloatingInput, today: date | None = None) -> FloatingRow:
    """Register a 流出 (our member, marked 流动 from the start day) or a 流入 (attending a branch here)."""
    today = today_of(today)
    clean = rules.check_floating(inp, today)
    s = uow.session
    m = live_member(s, clean.member_id) if clean.direction == rules.FLOW_OUT else None
    # A 流出 is registered under the member's own branch: a branch picked apart from the member listed
    # them under another branch's register.
    org = Orgs(s).branch(m.org_id) if m is not None else s.get(Organization, clean.org_id)
    if org is None or org.deleted:
        raise ValidationError("党支部", "该党员没有所在党组织，请先在党员名册中补上" if m is not None
                              else "所选党组织不存在或已删除")
    name, idn = clean.name, clean.id_number
    if m is not None:
        if m.status in member_rules.GONE_STATUSES:
            raise ValidationError("党员", f"该党员已{m.status}")
        name, idn = m.name, m.id_number
        if clean.end_date is None:
            _refuse_second_outing(s, m)
            m.is_floating, m.floating_to = True, clean.place
            record_status(s, m, member_rules.FLOATING, clean.start_date, clean.place, "流出登记")
    r = FloatingRecord(org_id=org.id, direction=clean.direction, member_id=clean.member_id, name=name,
                       id_number=idn, card_no=clean.card_no, start_date=clean.start_date,
                       end_date=clean.end_date, place=clean.place, other_org=clean.other_org,
                       contact=clean.contact, note=clean.note)
    s.add(r)
    s.flush()
    return _frow(r, Orgs(s), True)


def register_imported(s, items: list[tuple[str, rules.FloatingInput]], note: str, now: datetime) -> int:
    """The 流出 of members a roster import marks 流动 ((member id, the 流出 as check_floating passed it) each),
    under each member's own branch as add_floating() puts them, created at the import's instant (reverting the
    import finds them by it). The import has set the members 流动 and written their status history itself."""
    orgs = Orgs(s)
    people = {m.id: m for m in s.scalars(select(Member).where(Member.id.in_([mid for mid, _ in items]))
                                         .execution_options(populate_existing=True))}  # the import wrote past the session
    for mid, out in items:
        m = people[mid]
        branch = orgs.branch(m.org_id)
        if branch is None:
            raise ValidationError("所在党支部", f"{m.name}没有所在党组织，无法登记流出")
        s.add(FloatingRecord(org_id=branch.id, direction=rules.FLOW_OUT, member_id=m.id, name=m.name,
                             id_number=m.id_number, start_date=out.start_date, place=out.place, card_no=out.card_no,
                             other_org=out.other_org, contact=out.contact, note=note,
                             created_at=now, updated_at=now))
    s.flush()
    return len(items)


def _open_outing(s, m: Member) -> FloatingRecord | None:
    return s.scalars(select(FloatingRecord).where(
        FloatingRecord.member_id == m.id, FloatingRecord.direction == rules.FLOW_OUT,
        FloatingRecord.deleted.is_(False), FloatingRecord.end_date.is_(None)).limit(1)).first()


def refuse_bare_floating(s, m: Member) -> None:
    """A status change to 流动 needs an open 流出 (registered on 流动与失联): without one the member would be
    流动 with no 活动证 and missing from the 流出 register. With one (say back from 失联) it may be set again."""
    if _open_outing(s, m) is None:
        raise ValidationError("状态", f"{m.name}没有登记流出：{rules.FLOATING_BY_REGISTER}")


def refuse_floating_flag(s, m: Member | None, floating: bool, name: str = "") -> None:
    """The record's 流动 follows the 流出 register: set only with an open 流出, cleared only by its 返回 (a form
    or a file saying otherwise made a 流动 member the register missed, or ended a 流出 without its day).
    `m` None: a member not yet on the roster, who has no 流出 to follow."""
    open_ = _open_outing(s, m) if m is not None else None
    who = m.name if m is not None else name
    if floating and open_ is None:
        raise ValidationError("流动", f"{who}没有登记流出：{rules.FLOATING_BY_REGISTER}")
    if not floating and open_ is not None:
        raise ValidationError("流动", f"{who}已登记流出（{open_.start_date.isoformat()} 起，{open_.place}），尚未返回："
                                     "返回请在“流动与失联”对那条登记办理“返回/离开”")


def _refuse_second_outing(s, m: Member) -> None:
    """One open 流出 per member: a second would count them twice as 在外, and its 返回 would mark them 正常
    while the first is still open."""
    open_ = _open_outing(s, m)
    if open_ is not None:
        card = f"活动证 {open_.card_no}，" if open_.card_no else ""
        raise ValidationError("党员", f"{m.name}已登记流出（{card}{open_.start_date.isoformat()} 起，{open_.place}），尚未返回："
                                     "去向变了请先对那条登记办理“返回/离开”再登记新的流出")


def end_outings(s, m: Member, on: date) -> None:
    """Close the member's open 流出 on `on`: back as 正常 or gone (去世, 转出, 出党) by another page, they are
    no longer 在外, and the register kept counting them."""
    for r in s.scalars(select(FloatingRecord).where(
            FloatingRecord.member_id == m.id, FloatingRecord.direction == rules.FLOW_OUT,
            FloatingRecord.deleted.is_(False), FloatingRecord.end_date.is_(None))):
        if on < r.start_date:
            raise ValidationError("日期", f"早于{m.name}流出登记的外出日期 {r.start_date.isoformat()}：请核对日期")
        r.end_date = on


def reopen_outings(s, m: Member, on: date) -> None:
    """An exit withdrawn: the 流出 it closed on its day are open again."""
    for r in s.scalars(select(FloatingRecord).where(
            FloatingRecord.member_id == m.id, FloatingRecord.direction == rules.FLOW_OUT,
            FloatingRecord.deleted.is_(False), FloatingRecord.end_date == on)):
        r.end_date = None


@writes("members.write")
def end_floating(uow: UnitOfWork, record_id: str, on: date | None, today: date | None = None) -> FloatingRow:
    """A 流出 member came back (正常 again from that day) or a 流入 member left."""
    today = today_of(today)
    s = uow.session
    r = live(s, FloatingRecord, record_id, "流动党员登记")
    if r.end_date is not None:
        raise ValidationError("结束日期", "该登记已结束")
    if on is None or on < r.start_date or on > today:
        raise ValidationError("结束日期", "请填写开始日期之后、今天以前的日期")
    r.end_date = on
    if r.direction == rules.FLOW_OUT and r.member_id:
        m = live_member(s, r.member_id)
        if m.status == member_rules.FLOATING:
            m.is_floating, m.floating_to = False, ""
            record_status(s, m, member_rules.NORMAL, on, "", "流动党员返回")
    s.flush()
    return _frow(r, Orgs(s), True)


def floating(db: Database, direction: str | None = None, active_only: bool = False) -> list[FloatingRow]:
    """The 流出 and 流入 registers, newest first; ID numbers and contacts masked unless revealed."""
    auth.require(db, "members.read")
    reveal = auth.can(db, "members.reveal")
    with db.session() as s:
        q = select(FloatingRecord).where(FloatingRecord.deleted.is_(False)).order_by(FloatingRecord.start_date.desc())
        if direction:
            q = q.where(FloatingRecord.direction == direction)
        if active_only:
            q = q.where(FloatingRecord.end_date.is_(None))
        orgs = Orgs(s)
        return [_frow(r, orgs, reveal) for r in s.scalars(q)]


@writes("members.write")
def withdraw_floating(uow: UnitOfWork, record_id: str) -> None:
    """Remove a registration entered by mistake (the status history it wrote stays: dates were real)."""
    live(uow.session, FloatingRecord, record_id, "流动党员登记").deleted = True


# ---------------------------------------------------------------- 失联党员

def _srow(r: LostSearch, name: str) -> SearchRow:
    return SearchRow(r.id, r.member_id, name, r.tried_on, r.tried_by, r.method, r.result, r.decision, r.note)


@writes("members.write")
def add_search(uow: UnitOfWork, member_id: str, on: date | None, tried_by: str, method: str, result: str = "",
               note: str = "", today: date | None = None) -> SearchRow:
    """One attempt to find a 失联党员: who tried, how, when, with what result."""
    today = today_of(today)
    day, who, how, res = rules.check_search(on, tried_by, method, result, today)
    s = uow.session
    m = live_member(s, member_id)
    if m.status not in (member_rules.LOST, member_rules.SUSPENDED):
        raise ValidationError("党员", "只有失联党员需要登记查找记录")
    r = LostSearch(member_id=m.id, tried_on=day, tried_by=who, method=how, result=res, note=(note or "").strip())
    s.add(r)
    s.flush()
    return _srow(r, m.name)


def _since(s, member_id: str, status: str) -> date | None:
    return s.scalar(select(MemberStatusChange.changed_on).where(
        MemberStatusChange.member_id == member_id, MemberStatusChange.deleted.is_(False),
        MemberStatusChange.status == status).order_by(MemberStatusChange.changed_on.desc()).limit(1))


def decide_lost(db: Database, member_id: str, decision: str, on: date | None, decided_by: str = "",
                document_no: str = "", note: str = "", today: date | None = None) -> SearchRow:
    """The decision on a 失联党员: 恢复联系, 继续查找, 停止党籍 (after six months) or 按自行脱党除名."""
    auth.require(db, "members.write")
    if decision in (rules.SUSPEND, rules.REMOVE_AS_LAPSED):  # a decision on the 党籍 itself
        auth.require(db, "discipline.write")
    today = today_of(today)
    from desktop_app.services.meetings import planned  # meetings reads member life: imported when used

    with UnitOfWork(db) as uow:
        s = uow.session
        m = live_member(s, member_id)
        with planned.following(s, m, today):  # 停止党籍 or 除名: off the planned meetings' 应到
            lost_since = m.lost_date or _since(s, m.id, member_rules.LOST)
            searches = len(s.scalars(select(LostSearch.id).where(
                LostSearch.member_id == m.id, LostSearch.deleted.is_(False), LostSearch.decision == "")).all())
            day = rules.check_lost_decision(decision, on, today, m.status, lost_since,
                                            _since(s, m.id, member_rules.SUSPENDED), searches)
            body = rules.short_text("决定机关", decided_by)
            number = rules.short_text("文号", document_no, rules.DOC_MAX)
            if decision == rules.FOUND:
                m.is_lost, m.lost_date = False, None
                m.party_status = member_rules.NORMAL
                record_status(s, m, member_rules.NORMAL, day, "", "失联党员恢复联系")
            elif decision == rules.SUSPEND:
                m.party_status = member_rules.SUSPENDED
                record_status(s, m, member_rules.SUSPENDED, day, "", f"失联满{rules.LOST_SUSPEND_MONTHS}个月，停止党籍")
            elif decision == rules.REMOVE_AS_LAPSED:
                if not body or not number:
                    raise ValidationError("决定机关", "按自行脱党除名须写明决定机关和文号")
                prior = m.status
                change_id = record_status(s, m, member_rules.LAPSED, day, "", "失联，按自行脱党除名")
                s.add(PartyExit(member_id=m.id, kind=member_rules.LAPSED, exit_date=day, decided_by=body,
                                document_no=number, reason=f"失去联系，停止党籍满{rules.SUSPENDED_REMOVE_YEARS}年仍无法取得联系",
                                note=(note or "").strip(), prior_status=prior, status_change_id=change_id))
            r = LostSearch(member_id=m.id, tried_on=day, tried_by=body, method="", result=number,
                           decision=decision, note=(note or "").strip())
            s.add(r)
        s.flush()
        out = _srow(r, m.name)
        uow.commit()
    return out


def searches(db: Database, member_id: str) -> list[SearchRow]:
    """One member's searches and decisions, newest first."""
    auth.require(db, "members.read")
    with db.session() as s:
        return [_srow(r, name) for r, name in s.execute(
            select(LostSearch, Member.name).join(Member, Member.id == LostSearch.member_id)
            .where(LostSearch.member_id == member_id, LostSearch.deleted.is_(False))
            .order_by(LostSearch.tried_on.desc(), LostSearch.created_at.desc()))]


def lost_members(db: Database, today: date | None = None) -> list[LostRow]:
    """失联党员 and those suspended for it, with their searches and what the rules allow next."""
    auth.require(db, "members.read")
    today = today_of(today)
    with db.session() as s:
        members = s.scalars(select(Member).where(
            Member.deleted.is_(False), Member.status.in_((member_rules.LOST, member_rules.SUSPENDED)))).all()
        orgs = Orgs(s)
        out = []
        for m in members:
            rows = s.scalars(select(LostSearch).where(LostSearch.member_id == m.id, LostSearch.deleted.is_(False))
                             .order_by(LostSearch.tried_on.desc())).all()
            tries = [r for r in rows if not r.decision]
            decisions = [r for r in rows if r.decision]
            if m.status == member_rules.SUSPENDED and not decisions:
                continue  # suspended for another reason, not 失联
            since = m.lost_date or _since(s, m.id, member_rules.LOST)
            months = rules.months_between(since, today) if since else None
            if m.status == member_rules.LOST:
                if months is not None and months >= rules.LOST_SUSPEND_MONTHS and tries:
                    step = "可停止党籍"
                elif not tries:
                    step = "请登记查找"
                else:  # the worker is told from when the next decision may be taken
                    step = "继续查找" + (f"（{rules.add_months(since, rules.LOST_SUSPEND_MONTHS).isoformat()} 起可停止党籍）"
                                        if since else "")
            else:
                susp = _since(s, m.id, member_rules.SUSPENDED)
                due = member_rules.add_years(susp, rules.SUSPENDED_REMOVE_YEARS) if susp is not None else None
                step = ("可按自行脱党除名" if due is not None and today >= due
                        else "继续查找" + (f"（{due.isoformat()} 起可按自行脱党除名）" if due else ""))
            out.append(LostRow(m.id, m.name, orgs.branch_name(m.org_id), m.status, since, months, len(tries),
                               tries[0].tried_on if tries else None, decisions[0].decision if decisions else "", step))
        return sorted(out, key=lambda r: (r.branch_name, r.name))
