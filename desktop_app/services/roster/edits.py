"""党员名册 writes of one member: create, edit, delete and restore, status changes, transfers.

Every write is one UnitOfWork and returns the member's detail as stored. A
write that checks the ID number takes the write lock before the check, so two
people saving the same person at once get one record and a clear refusal.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain import members as rules
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.members import MEMBER_FIELDS, MemberInput
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.services.roster._common import (
    _check_id_free,
    _detail,
    _live_member,
    _live_org,
    _next_seq,
    _record_status,
    _today,
    _validated,
)
from desktop_app.services.records import settle, unchanged_since, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import take_write_lock
from desktop_app.store.models import Member, Organization, Transfer
from desktop_app.views.roster import MemberDetail


def _planned_lists():
    """The planned meetings' 应到 follow a member's change (their models: not needed to show the roster)."""
    from desktop_app.services.meetings import planned

    return planned


def _flush_unique(s: Session, id_number: str) -> None:
    """Flush; the live-ID-number index catching a duplicate the checks could not see is the same refusal."""
    try:
        s.flush()
    except IntegrityError as exc:
        if "id_number" not in str(exc.orig):
            raise
        raise ValidationError("公民身份号码", f"{id_number} 刚刚已由别处登记，同一人不能登记两次") from None


@writes("members.write")
def create(uow: UnitOfWork, inp: MemberInput, today: date | None = None) -> MemberDetail:
    today = _today(today)
    clean = _validated(inp, today)
    s = uow.session
    if clean.is_floating:  # 流动 is a 流出 registered on 流动与失联 once the member is on the roster
        from desktop_app.services.memberlife.floating import refuse_floating_flag  # member life: not needed to show the roster

        refuse_floating_flag(s, None, True, clean.name)
    take_write_lock(s)
    _live_org(s, clean.org_id)
    _check_id_free(s, clean.id_number)
    values = {f: getattr(clean, f) for f in MEMBER_FIELDS}
    values["seq"] = clean.seq or _next_seq(s)
    pinyin, initials = pinyin_keys(clean.name)
    m = Member(**values, name_pinyin=pinyin, name_initials=initials,
               status=rules.derived_status(clean))
    s.add(m)
    _flush_unique(s, clean.id_number)
    return settle(uow, _detail, m, today)


@writes("members.write")
def update(uow: UnitOfWork, member_id: str, inp: MemberInput, today: date | None = None,
           expected_version: int | None = None) -> MemberDetail:
    """Save an edited record; fields that did not change are not touched (no version bump).

    `expected_version`: the version the form was read at; a record changed since is refused
    (ConcurrentEditError), since writing the form back would quietly undo that change."""
    today = _today(today)
    clean = _validated(inp, today)
    s = uow.session
    take_write_lock(s)
    m = _live_member(s, member_id)
    refuse_moved_away(s, m)
    unchanged_since(s, m, expected_version, f"党员 {m.name}")
    if clean.is_floating != m.is_floating and m.status not in rules.GONE_STATUSES:
        from desktop_app.services.memberlife.floating import refuse_floating_flag  # member life: not needed to show the roster

        refuse_floating_flag(s, m, clean.is_floating)
    with _planned_lists().following(s, m, today):
        if clean.org_id != m.org_id:
            _live_org(s, clean.org_id)
            # dated from today, so figures for earlier days keep the member where they sat then
            from desktop_app.services.memberlife import record_move  # its models: not needed to show the roster

            record_move(s, m, clean.org_id, today, "修改党员信息")
        if clean.id_number != m.id_number:
            _check_id_free(s, clean.id_number, except_id=m.id)
        for f in MEMBER_FIELDS:
            new = getattr(clean, f)
            if f == "seq" and not new:
                continue  # 0 means "not given": keep the place in the roster
            if getattr(m, f) != new:
                setattr(m, f, new)
        pinyin, initials = pinyin_keys(m.name)
        if (m.name_pinyin, m.name_initials) != (pinyin, initials):
            m.name_pinyin, m.name_initials = pinyin, initials
        if m.status not in rules.GONE_STATUSES:
            status = rules.derived_status(clean)
            if status != m.status:
                m.status = status
                _record_status(s, m, status, today, clean.floating_to, "修改党员信息")
        _flush_unique(s, clean.id_number)
    return settle(uow, _detail, m, today)


@writes("members.write")
def delete(uow: UnitOfWork, member_id: str, today: date | None = None) -> None:
    """Tombstone a member (kept for sync and for restore); they leave the 应到 of meetings planned ahead."""
    s = uow.session
    m = _live_member(s, member_id)
    refuse_moved_away(s, m)
    with _planned_lists().following(s, m, _today(today)):
        m.deleted = True


@writes("members.write")
def restore(uow: UnitOfWork, member_id: str, today: date | None = None) -> None:
    """Bring a deleted member back; meetings planned ahead whose kind lists all members list them again."""
    s = uow.session
    take_write_lock(s)
    m = s.get(Member, member_id)
    if m is None:
        raise NotFound("该党员不存在")
    if not m.deleted:
        return
    with _planned_lists().following(s, m, _today(today)):
        try:
            _check_id_free(s, m.id_number, except_id=m.id)
            m.deleted = False
            _flush_unique(s, m.id_number)
        except ValidationError as exc:
            raise Conflict(f"不能恢复：{exc.message}") from None


def refuse_moved_away(s: Session, m: Member) -> None:
    """At a community enrolled with a street, a member it transferred out is no longer its own to change.

    The street hands the member to the community named in 转往 once that one records the 转入;
    a later change here would be set aside there (sync.ownership.set_aside_moved) and never reach
    anyone. A 转出 made in error is undone by a 转入 back (transfer), which stays open.
    """
    if m.status != rules.TRANSFERRED_OUT:
        return
    from desktop_app.store.models_sync import SyncIdentity  # sync's models: not needed to show the roster

    ident = s.get(SyncIdentity, 1)
    if ident is None or ident.role != "community" or ident.state != "enrolled":
        return
    last = s.execute(select(Transfer.transfer_date, Transfer.to_org).where(
        Transfer.member_id == m.id, Transfer.direction == rules.TRANSFER_OUT, Transfer.deleted.is_(False))
        .order_by(Transfer.transfer_date.desc(), Transfer.created_at.desc()).limit(1)).first()
    when = f"已于 {last.transfer_date.isoformat()} " if last is not None else "已"
    where = f"转出至{last.to_org}" if last is not None and last.to_org else "转出"
    raise ValidationError("", f"该党员{when}{where}，组织关系已不在本社区，不能再修改、变更状态或删除："
                              "信息如需更正，请由转入的社区修改后报送；转出办理有误的，请先办理转入")


def moved_away(db, member_id: str) -> str:
    """Why this member may not be edited, have its status changed or be deleted here (refuse_moved_away), or "".

    For the roster's buttons: greyed, with this as their tooltip, before a worker fills a form in vain.
    """
    from desktop_app.services import auth

    auth.require(db, "members.read")
    with db.session() as s:
        m = s.get(Member, member_id)
        if m is None or m.deleted:
            return ""
        try:
            refuse_moved_away(s, m)
        except ValidationError as exc:
            return exc.message
    return ""


def _apply_status_flags(m: Member, status: str, on: date, destination: str) -> None:
    """Keep the template's flags in step with the status, so derived_status(m) == status."""
    if status in (rules.NORMAL, rules.FLOATING):
        m.party_status = rules.NORMAL
        m.is_lost, m.lost_date = False, None
        m.is_floating = status == rules.FLOATING
        m.floating_to = (destination or m.floating_to) if status == rules.FLOATING else ""
    elif status == rules.LOST:
        m.party_status = rules.NORMAL
        m.is_lost, m.lost_date = True, on
    elif status == rules.SUSPENDED:
        m.party_status = rules.SUSPENDED
    # 转出 / 去世 leave the flags as they were: the record shows the member's last state.


def _refuse_after_exit(s: Session, m: Member) -> None:
    """出党, and a 去世 or 转出 kept in the 出党与处分 register, are undone there only: changing the status here
    put an expelled member back as 正常 while the register still listed the 除名."""
    from desktop_app.store.models_memberlife import PartyExit  # member life's models: not needed to show the roster

    e = s.scalars(select(PartyExit).where(PartyExit.member_id == m.id, PartyExit.deleted.is_(False),
                                          PartyExit.kind == m.status)
                  .order_by(PartyExit.exit_date.desc()).limit(1)).first()
    if e is not None:
        by = " ".join(x for x in (e.decided_by, e.document_no) if x)
        raise ValidationError("状态", f"{m.name}已于 {e.exit_date.isoformat()} {m.status}" + (f"（{by}）" if by else "")
                              + "，是在“出党与处分”页登记的：登记有误请在该页撤销这条记录，名册里不能改状态")
    if m.status in rules.EXIT_STATUSES:
        raise ValidationError("状态", f"{m.name}已{m.status}，不再是党员：名册里不能改状态")


@writes("members.write")
def change_status(
    uow: UnitOfWork,
    member_id: str,
    status: str,
    changed_on: date,
    destination: str = "",
    note: str = "",
    today: date | None = None,
) -> MemberDetail:
    today = _today(today)
    if status not in rules.STATUSES:
        raise ValidationError("状态", f"“{status}”应为 {'、'.join(rules.STATUSES)} 之一")
    flow.check_day(changed_on, "变更日期", today)
    s = uow.session
    m = _live_member(s, member_id)
    _refuse_after_exit(s, m)
    refuse_moved_away(s, m)
    if status == rules.FLOATING:  # 流动 comes with a 流出 on 流动与失联 (活动证, 流向), not as a bare status
        from desktop_app.services.memberlife.floating import refuse_bare_floating  # member life: not needed to show the roster

        refuse_bare_floating(s, m)
    destination, note = destination.strip(), note.strip()
    with _planned_lists().following(s, m, today):
        if status == rules.NORMAL or status in rules.GONE_STATUSES:
            from desktop_app.services.memberlife.floating import end_outings  # member life: not needed to show the roster

            end_outings(s, m, changed_on)
        _apply_status_flags(m, status, changed_on, destination)
        m.status = status
        _record_status(s, m, status, changed_on, destination, note)
    return settle(uow, _detail, m, today)


def _in_order(s: Session, m: Member, direction: str, on: date) -> None:
    """A transfer follows the member's last one: not dated before it, and no second 转入 without a 转出 between."""
    last = s.execute(select(Transfer.direction, Transfer.transfer_date).where(
        Transfer.member_id == m.id, Transfer.deleted.is_(False))
        .order_by(Transfer.transfer_date.desc(), Transfer.created_at.desc()).limit(1)).first()
    if last is None:
        return
    if direction == rules.TRANSFER_IN and last.direction == rules.TRANSFER_IN and m.status != rules.TRANSFERRED_OUT:
        raise ValidationError("转接方向", f"{m.name}已于 {last.transfer_date.isoformat()} 转入，此后没有转出，"
                                          "不能再次转入")
    if on < last.transfer_date:
        raise ValidationError("转接日期", f"不能早于上一次组织关系{last.direction}（{last.transfer_date.isoformat()}）")


@writes("members.write")
def transfer(
    uow: UnitOfWork,
    member_id: str,
    direction: str,
    transfer_date: date,
    from_org: str = "",
    to_org: str = "",
    note: str = "",
    new_org_id: str | None = None,
    today: date | None = None,
) -> MemberDetail:
    """组织关系转接: 转出 marks the member 转出; 转入 (into new_org_id, if given) makes them 正常 again."""
    today = _today(today)
    if direction not in rules.DIRECTIONS:
        raise ValidationError("转接方向", "应为 转入 或 转出")
    flow.check_day(transfer_date, "转接日期", today)
    s = uow.session
    m = _live_member(s, member_id)
    if m.status in rules.EXIT_STATUSES or m.status == rules.DECEASED:
        raise ValidationError("转接方向", f"{m.name}已{m.status}，不能办理组织关系转接")
    _in_order(s, m, direction, transfer_date)
    with _planned_lists().following(s, m, today):
        from desktop_app.services.memberlife.floating import end_outings  # member life: not needed to show the roster

        end_outings(s, m, transfer_date)  # 转出 or back in: no longer 在外 either way
        current = s.get(Organization, m.org_id) if m.org_id else None
        from_org, to_org, note = from_org.strip(), to_org.strip(), note.strip()
        if direction == rules.TRANSFER_OUT:
            if m.status == rules.TRANSFERRED_OUT:
                raise ValidationError("转接方向", "该党员已经转出")
            from_org = from_org or (current.name if current else "")
            status = rules.TRANSFERRED_OUT
        else:
            if new_org_id:
                target = _live_org(s, new_org_id)
                m.org_id = target.id
                to_org = to_org or target.name
            else:
                to_org = to_org or (current.name if current else "")
            status = rules.NORMAL
            _apply_status_flags(m, status, transfer_date, "")
        m.status = status
        s.add(Transfer(member_id=m.id, direction=direction, transfer_date=transfer_date,
                       from_org=from_org, to_org=to_org, note=note))
        _record_status(s, m, status, transfer_date,
                       to_org if direction == rules.TRANSFER_OUT else from_org,
                       note or f"组织关系{direction}")
    return settle(uow, _detail, m, today)

