"""Helpers every part of the roster service shares: live-row lookups, chunking, the member detail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import members as rules
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.members import MEMBER_FIELDS, MemberInput
from desktop_app.services.orgtree import org_name_map, org_paths
from desktop_app.store.models import Member, MemberStatusChange, Organization, Transfer
from desktop_app.views.roster import MemberDetail, OpenOuting, StatusChangeRow, TransferRow

_CHUNK = 500  # ids per IN (...): well under SQLite's variable limit on any build


def _today(today: date | None) -> date:
    return today or date.today()


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _live_member(s: Session, member_id: str) -> Member:
    m = s.get(Member, member_id)
    if m is None or m.deleted:
        raise NotFound("该党员不存在或已删除")
    return m


def _live_org(s: Session, org_id: str | None) -> Organization:
    if not org_id:
        raise ValidationError("所在党支部", "请选择党员所在的党组织")
    org = s.get(Organization, org_id)
    if org is None or org.deleted:
        raise ValidationError("所在党支部", "所选党组织不存在或已删除")
    return org


def _check_id_free(s: Session, id_number: str, except_id: str | None = None) -> None:
    row = s.execute(
        select(Member.id, Member.name, Organization.name)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .where(Member.id_number == id_number, Member.deleted.is_(False))
        .limit(2)
    ).all()
    for mid, name, org_name in row:
        if mid != except_id:
            where = f"（{org_name}）" if org_name else ""
            raise ValidationError("公民身份号码", f"{id_number} 已登记为{name}{where}，同一人不能登记两次")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _detail(s: Session, m: Member, today: date) -> MemberDetail:
    org = s.get(Organization, m.org_id) if m.org_id else None
    history = s.scalars(
        select(MemberStatusChange)
        .where(MemberStatusChange.member_id == m.id, MemberStatusChange.deleted.is_(False))
        .order_by(MemberStatusChange.changed_on.desc(), MemberStatusChange.created_at.desc())
    ).all()
    transfers = s.scalars(
        select(Transfer)
        .where(Transfer.member_id == m.id, Transfer.deleted.is_(False))
        .order_by(Transfer.transfer_date.desc(), Transfer.created_at.desc())
    ).all()
    from desktop_app.store.models_memberlife import FloatingRecord  # member life's models: once a member is opened

    outing = s.scalars(select(FloatingRecord).where(
        FloatingRecord.member_id == m.id, FloatingRecord.direction == "流出", FloatingRecord.deleted.is_(False),
        FloatingRecord.end_date.is_(None)).order_by(FloatingRecord.start_date.desc()).limit(1)).first()
    # A member who died or left the party: age and 党龄 as on that day, not growing after it.
    day = rules.counted_to(m.status, next((h.changed_on for h in history if h.status == m.status), None), today)
    detail = MemberDetail(
        **{f: getattr(m, f) for f in MEMBER_FIELDS},
        org_name=org.name if org else "",
        id=m.id,
        status=m.status,
        age=rules.age(m.birth_date, day),
        party_age=rules.party_age(m.category, m.joined_date, m.confirmed_date, day),
        deleted=m.deleted,
        version=m.version,
        updated_at=m.updated_at,
        history=tuple(
            StatusChangeRow(h.id, h.status, h.changed_on, h.destination, h.note) for h in history
        ),
        transfers=tuple(
            TransferRow(t.id, t.direction, t.transfer_date, t.from_org, t.to_org, t.note)
            for t in transfers
        ),
        outing=None if outing is None else OpenOuting(outing.id, outing.start_date, outing.place, outing.card_no,
                                                      outing.other_org),
    )
    return replace(detail, warnings=tuple(rules.warnings(detail, today)))


def _org_designations(s: Session) -> dict[str, str]:
    """Live organisation id -> what a file should write for it in 所在党支部 so that an import
    (org_name_map) finds exactly that organisation again: its bare name when no other bears it,
    else the shortest tail of its path that is unique (第一网格党支部 / 第一党小组), else its code."""
    lookup = org_name_map(s)
    rows, chain = org_paths(s)
    out: dict[str, str] = {}
    for oid, name, code, _parent in rows:
        path = chain(oid)
        tails = [" / ".join(path[i:]) for i in range(len(path) - 2, -1, -1)]
        out[oid] = next((c for c in (name, *tails, code) if c and lookup.exact(c) == oid), name)
    return out


def _validated(inp: MemberInput, today: date) -> MemberInput:
    clean, errors, _ = rules.check(inp, today)
    if errors:
        raise errors[0]
    return clean


def _next_seq(s: Session) -> int:
    return (s.scalar(select(func.max(Member.seq)).where(Member.deleted.is_(False))) or 0) + 1


def _record_status(s: Session, m: Member, status: str, on: date, destination: str = "", note: str = "") -> None:
    s.add(MemberStatusChange(member_id=m.id, status=status, changed_on=on,
                             destination=destination, note=note))

