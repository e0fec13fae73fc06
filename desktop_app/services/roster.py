"""党员名册: search, read, edit, status and transfers, statistics, bulk import and export.

Filtering and sorting happen in SQL, and the GUI keeps only the ordered ids and
fetches rows for what it shows (Anki's browser does the same), so a roster of
100,000 members stays responsive. Every write is one UnitOfWork.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, insert, literal, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain import orgs as org_rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.members import MEMBER_FIELDS, MemberInput
from desktop_app.domain.access import ActorKind
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.services import auth, privacy
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import sync_values, utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Member, MemberStatusChange, Organization, Site, Transfer

_CHUNK = 500  # ids per IN (...): well under SQLite's variable limit on any build


# ---------------------------------------------------------------- value types

@dataclass(frozen=True)
class MemberRow:
    """One line of the roster table: masked, computed, ready to show."""

    id: str
    seq: int
    name: str
    org_id: str | None
    org_name: str
    gender: str
    age: int | None
    birth_date: date | None
    category: str
    joined_date: date | None
    party_age: int | None
    id_masked: str
    mobile_masked: str
    status: str
    party_status: str
    is_floating: bool
    is_reporting: bool
    is_hardship: bool
    education: str


@dataclass
class MemberFilter:
    text: str = ""  # name, pinyin, initials, ID-number or mobile fragment; words are ANDed
    org_id: str | None = None  # this organisation and everything under it
    category: str | None = None
    status: str | None = None
    reporting: bool | None = None
    floating: bool | None = None
    age_band: str | None = None
    party_age_band: str | None = None
    include_deleted: bool = False
    active_only: bool = False  # leave out 转出 and 去世 (members no longer on the roster)


@dataclass(frozen=True)
class StatusChangeRow:
    id: str
    status: str
    changed_on: date
    destination: str
    note: str


@dataclass(frozen=True)
class TransferRow:
    id: str
    direction: str
    transfer_date: date
    from_org: str
    to_org: str
    note: str


@dataclass(frozen=True)
class MemberDetail(MemberInput):
    """Every field, unmasked, plus where the member stands; to_input() gives the editable part."""

    id: str = ""
    status: str = rules.NORMAL
    age: int | None = None
    party_age: int | None = None
    deleted: bool = False
    version: int = 0
    updated_at: datetime | None = None
    history: tuple[StatusChangeRow, ...] = ()  # newest first
    transfers: tuple[TransferRow, ...] = ()  # newest first
    warnings: tuple[str, ...] = ()

    def to_input(self) -> MemberInput:
        return MemberInput(**{f.name: getattr(self, f.name) for f in fields(MemberInput)})


@dataclass(frozen=True)
class RosterStats:
    total: int
    by_category: dict[str, int]
    by_gender: dict[str, int]
    by_age_band: dict[str, int]  # AGE_BANDS in order, then 未填
    by_education: dict[str, int]
    by_party_age_band: dict[str, int]  # 正式党员 only: PARTY_AGE_BANDS in order, then 未填
    by_branch: dict[str, int]
    by_status: dict[str, int]


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_existing: int = 0  # on file and in the roster, but update_existing was off
    skipped_invalid: int = 0  # rows left out because they had errors (skip_invalid)
    branches_created: tuple[str, ...] = ()


# ---------------------------------------------------------------- helpers

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


def _band_condition(col_start: ColumnElement, label: str, today: date) -> ColumnElement:
    lower, upper = rules.start_range(label, today)
    parts = [col_start.is_not(None)]
    if lower is not None:
        parts.append(col_start > lower)
    if upper is not None:
        parts.append(col_start <= upper)
    return and_(*parts)


def _party_age_condition(label: str, today: date) -> ColumnElement:
    """Portable SQL for rules.party_age_band(...) == label (see rules.party_age_start)."""
    lower, upper = rules.start_range(label, today)

    def joined_bound(d: date) -> date:
        # joined + 1 year <= d  <=>  joined <= latest_start_for(d, 1)
        return rules.latest_start_for(d, 1)

    by_confirmed = [Member.confirmed_date.is_not(None)]
    by_joined = [Member.confirmed_date.is_(None), Member.joined_date.is_not(None)]
    if lower is not None:
        by_confirmed.append(Member.confirmed_date > lower)
        by_joined.append(Member.joined_date > joined_bound(lower))
    if upper is not None:
        by_confirmed.append(Member.confirmed_date <= upper)
        by_joined.append(Member.joined_date <= joined_bound(upper))
    return and_(Member.category != rules.PROBATIONARY, or_(and_(*by_confirmed), and_(*by_joined)))


def _text_conditions(text: str) -> list[ColumnElement]:
    out: list[ColumnElement] = []
    for term in unicodedata.normalize("NFKC", text).split():
        t = _like_escape(term)
        alts = [Member.name.like(f"%{t}%", escape="\\")]
        if term.isascii() and term.isalnum() and not term.isdigit():  # pinyin, maybe with a digit
            low = t.lower()
            alts.append(Member.name_pinyin.like(f"%{low}%", escape="\\"))
            alts.append(Member.name_initials.like(f"{low}%", escape="\\"))
        if re.fullmatch(r"[0-9xX]+", term):
            alts.append(Member.id_number.like(f"%{t.upper()}%", escape="\\"))
            if term.isdigit():
                alts.append(Member.mobile.like(f"%{t}%", escape="\\"))
        out.append(or_(*alts))
    return out


def _org_subtree(org_id: str):
    tree = (
        select(Organization.id)
        .where(Organization.id == org_id)
        .cte("org_tree", recursive=True)
    )
    tree = tree.union_all(
        select(Organization.id).where(
            Organization.parent_id == tree.c.id, Organization.deleted.is_(False)
        )
    )
    return select(tree.c.id)


def _conditions(flt: MemberFilter, today: date) -> list[ColumnElement]:
    c: list[ColumnElement] = []
    if not flt.include_deleted:
        c.append(Member.deleted.is_(False))
    if flt.text.strip():
        c.extend(_text_conditions(flt.text))
    if flt.org_id:
        c.append(Member.org_id.in_(_org_subtree(flt.org_id)))
    if flt.category:
        c.append(Member.category == flt.category)
    if flt.status:
        c.append(Member.status == flt.status)
    if flt.active_only:
        c.append(Member.status.not_in(rules.GONE_STATUSES))
    if flt.reporting is not None:
        c.append(Member.reporting_employer != "" if flt.reporting else Member.reporting_employer == "")
    if flt.floating is not None:
        c.append(Member.is_floating.is_(flt.floating))
    if flt.age_band:
        c.append(_band_condition(Member.birth_date, flt.age_band, today))
    if flt.party_age_band:
        c.append(_party_age_condition(flt.party_age_band, today))
    return c


def _nulls_last(col: ColumnElement, descending: bool) -> list[ColumnElement]:
    return [col.is_(None), col.desc() if descending else col.asc()]


# Sort keys: MemberRow field names work too. "age" sorts youngest first (birth_date
# descending); "party_age" approximates the party-age start by confirmation or joining date.
SORT_KEYS = (
    "seq", "name", "org", "gender", "age", "birth_date", "category", "joined_date",
    "party_age", "status", "party_status", "education", "mobile", "id_number",
    "is_floating", "is_reporting", "is_hardship",
)
_SORT_ALIASES = {"org_name": "org", "org_id": "org", "id_masked": "id_number", "mobile_masked": "mobile"}


def _order_by(sort: str, descending: bool) -> tuple[list[ColumnElement], bool]:
    """ORDER BY terms, and whether the organisation table must be joined."""
    key = _SORT_ALIASES.get(sort, sort)

    def ranked(col: ColumnElement, values: Sequence[str]) -> ColumnElement:
        # Code-point order would put 女 before 男 and 停止党籍 before 正常: use the listed order.
        return case({v: i for i, v in enumerate(values)}, value=col, else_=len(values))

    simple = {
        "seq": Member.seq, "gender": ranked(Member.gender, rules.GENDERS),
        "category": ranked(Member.category, rules.CATEGORIES),
        "status": ranked(Member.status, rules.STATUSES),
        "party_status": ranked(Member.party_status, rules.PARTY_STATUSES),
        "education": Member.education, "mobile": Member.mobile, "id_number": Member.id_number,
        "is_floating": Member.is_floating, "is_hardship": Member.is_hardship,
        "is_reporting": Member.reporting_employer != "",
    }
    join_org = False
    if key in simple:
        primary = [simple[key].desc() if descending else simple[key].asc()]
    elif key == "name":
        primary = [c.desc() if descending else c.asc() for c in (Member.name_pinyin, Member.name)]
    elif key == "org":
        join_org = True
        primary = [Organization.code.desc() if descending else Organization.code.asc()]
    elif key == "birth_date":
        primary = _nulls_last(Member.birth_date, descending)
    elif key == "age":
        primary = _nulls_last(Member.birth_date, not descending)
    elif key == "joined_date":
        primary = _nulls_last(Member.joined_date, descending)
    elif key == "party_age":
        start = func.coalesce(Member.confirmed_date, Member.joined_date)
        primary = [(Member.category == rules.PROBATIONARY)] + _nulls_last(start, not descending)
    else:
        raise ValueError(f"unknown sort key {sort!r}; use one of {SORT_KEYS}")
    # Ties broken by roster order; an ORDER BY that repeats a column defeats the index.
    ties = [Member.name_pinyin, Member.id] if key == "seq" else [Member.seq, Member.name_pinyin, Member.id]
    return primary + ties, join_org


# ---------------------------------------------------------------- reading

def search_ids(
    db: Database,
    flt: MemberFilter,
    sort: str = "seq",
    descending: bool = False,
    today: date | None = None,
) -> list[str]:
    """Ids of the members matching `flt`, in display order, filtered and sorted in SQL."""
    auth.require(db, "members.read")
    order, join_org = _order_by(sort, descending)
    q = select(Member.id).where(*_conditions(flt, _today(today)))
    if join_org:
        q = q.outerjoin(Organization, Organization.id == Member.org_id)
    with db.engine.connect() as conn:
        result = conn.execute(q.order_by(*order))
        # Ids are plain strings that need no result processing: reading the DBAPI
        # cursor directly skips building a Row per id, which halves the time for
        # 100,000 ids (SQLAlchemy still compiles and binds the statement).
        cursor = getattr(result, "cursor", None)
        if cursor is None:
            return list(result.scalars())
        try:
            return [mid for (mid,) in cursor.fetchall()]
        finally:
            result.close()


_ROW_COLUMNS = (
    Member.id, Member.seq, Member.name, Member.org_id, Organization.name, Member.gender,
    Member.birth_date, Member.category, Member.joined_date, Member.confirmed_date,
    Member.id_number, Member.mobile, Member.status, Member.party_status, Member.is_floating,
    Member.reporting_employer, Member.is_hardship, Member.education,
)


def _make_row(r, today: date) -> MemberRow:
    (mid, seq, name, org_id, org_name, gender, birth, category, joined, confirmed,
     id_number, mobile, status, party_status, floating, employer, hardship, education) = r
    return MemberRow(
        id=mid, seq=seq, name=name, org_id=org_id, org_name=org_name or "", gender=gender,
        age=rules.age(birth, today), birth_date=birth, category=category, joined_date=joined,
        party_age=rules.party_age(category, joined, confirmed, today),
        id_masked=idcard.mask(id_number), mobile_masked=idcard.mask_phone(mobile),
        status=status, party_status=party_status, is_floating=bool(floating),
        is_reporting=bool(employer), is_hardship=bool(hardship), education=education,
    )


def _rows(conn, ids: Sequence[str], today: date) -> list[MemberRow]:
    found: dict[str, MemberRow] = {}
    base = select(*_ROW_COLUMNS).outerjoin(Organization, Organization.id == Member.org_id)
    for chunk in _chunks(list(ids)):
        for r in conn.execute(base.where(Member.id.in_(chunk))):
            found[r[0]] = _make_row(r, today)
    return [found[i] for i in ids if i in found]


def rows(db: Database, ids: Sequence[str], today: date | None = None) -> list[MemberRow]:
    """Table rows for `ids`, in the order given (unknown ids are left out)."""
    auth.require(db, "members.read")
    with db.engine.connect() as conn:
        return _rows(conn, ids, _today(today))


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
    detail = MemberDetail(
        **{f: getattr(m, f) for f in MEMBER_FIELDS},
        org_name=org.name if org else "",
        id=m.id,
        status=m.status,
        age=rules.age(m.birth_date, today),
        party_age=rules.party_age(m.category, m.joined_date, m.confirmed_date, today),
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
    )
    return replace(detail, warnings=tuple(rules.warnings(detail, today)))


def get(db: Database, member_id: str, today: date | None = None) -> MemberDetail:
    auth.require(db, "members.read")
    with db.session() as s:
        m = s.get(Member, member_id)
        if m is None:
            raise NotFound("该党员不存在")
        detail = _detail(s, m, _today(today))
    shown = privacy.mask_unless(db, "members.reveal", detail)
    actor = auth.current_actor(db)
    if shown is detail and actor is not None and actor.kind == ActorKind.USER:
        # The detail form shows the whole ID number and phones: a reveal, logged.
        with UnitOfWork(db) as uow:
            audit.record(uow.session, "reveal", "member", detail.id, "查看完整公民身份号码和电话",
                         label=detail.name)
            uow.commit()
    return shown


def org_name_map(db: Database) -> dict[str, str]:
    """Live organisation name -> id; with duplicate names the first in tree order wins."""
    auth.require(db, "members.read")
    with db.session() as s:
        return _org_name_map(s)


def _org_name_map(s: Session) -> dict[str, str]:
    out: dict[str, str] = {}
    for oid, name in s.execute(
        select(Organization.id, Organization.name)
        .where(Organization.deleted.is_(False))
        .order_by(Organization.code)
    ):
        out.setdefault(name, oid)
    return out


def root_org_id(db: Database) -> str | None:
    """The organisation this database belongs to (the site's 社区党委 or 街道党工委)."""
    auth.require(db, "orgs.read")
    with db.session() as s:
        code = s.scalar(select(Site.org_code).limit(1))
        q = select(Organization.id).where(Organization.deleted.is_(False))
        found = s.scalar(q.where(Organization.code == code)) if code else None
        return found or s.scalar(q.where(Organization.parent_id.is_(None)).order_by(Organization.code))


# ---------------------------------------------------------------- writing one member

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


def create(db: Database, inp: MemberInput, today: date | None = None) -> MemberDetail:
    auth.require(db, "members.write")
    today = _today(today)
    clean = _validated(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        _live_org(s, clean.org_id)
        _check_id_free(s, clean.id_number)
        values = {f: getattr(clean, f) for f in MEMBER_FIELDS}
        values["seq"] = clean.seq or _next_seq(s)
        pinyin, initials = pinyin_keys(clean.name)
        m = Member(**values, name_pinyin=pinyin, name_initials=initials,
                   status=rules.derived_status(clean))
        s.add(m)
        s.flush()
        detail = _detail(s, m, today)
        uow.commit()
        return detail


def update(db: Database, member_id: str, inp: MemberInput, today: date | None = None) -> MemberDetail:
    """Save an edited record; fields that did not change are not touched (no version bump)."""
    auth.require(db, "members.write")
    today = _today(today)
    clean = _validated(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_member(s, member_id)
        if clean.org_id != m.org_id:
            _live_org(s, clean.org_id)
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
        s.flush()
        detail = _detail(s, m, today)
        uow.commit()
        return detail


def delete(db: Database, member_id: str) -> None:
    """Tombstone a member (kept for sync and for restore)."""
    auth.require(db, "members.write")
    with UnitOfWork(db) as uow:
        _live_member(uow.session, member_id).deleted = True
        uow.commit()


def restore(db: Database, member_id: str) -> None:
    auth.require(db, "members.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = s.get(Member, member_id)
        if m is None:
            raise NotFound("该党员不存在")
        if not m.deleted:
            return
        try:
            _check_id_free(s, m.id_number, except_id=m.id)
        except ValidationError as exc:
            raise Conflict(f"不能恢复：{exc.message}") from None
        m.deleted = False
        uow.commit()


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


def change_status(
    db: Database,
    member_id: str,
    status: str,
    changed_on: date,
    destination: str = "",
    note: str = "",
    today: date | None = None,
) -> MemberDetail:
    auth.require(db, "members.write")
    today = _today(today)
    if status not in rules.STATUSES:
        raise ValidationError("状态", f"“{status}”应为 {'、'.join(rules.STATUSES)} 之一")
    if changed_on is None:
        raise ValidationError("变更日期", "不能为空")
    if changed_on > today:
        raise ValidationError("变更日期", "不能晚于今天")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_member(s, member_id)
        destination, note = destination.strip(), note.strip()
        _apply_status_flags(m, status, changed_on, destination)
        m.status = status
        _record_status(s, m, status, changed_on, destination, note)
        s.flush()
        detail = _detail(s, m, today)
        uow.commit()
        return detail


def transfer(
    db: Database,
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
    auth.require(db, "members.write")
    today = _today(today)
    if direction not in rules.DIRECTIONS:
        raise ValidationError("转接方向", "应为 转入 或 转出")
    if transfer_date is None:
        raise ValidationError("转接日期", "不能为空")
    if transfer_date > today:
        raise ValidationError("转接日期", "不能晚于今天")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_member(s, member_id)
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
        s.flush()
        detail = _detail(s, m, today)
        uow.commit()
        return detail


# ---------------------------------------------------------------- lists and counts

def probationary_due(db: Database, today: date, within_days: int = 30) -> list[MemberRow]:
    """预备党员 due for confirmation within `within_days` days, or overdue; most overdue first."""
    auth.require(db, "members.read")
    last_joined = rules.latest_start_for(today + timedelta(days=within_days), 1)
    q = (
        select(*_ROW_COLUMNS)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .where(
            Member.deleted.is_(False),
            Member.category == rules.PROBATIONARY,
            Member.status.not_in(rules.GONE_STATUSES),
            Member.joined_date.is_not(None),
            Member.joined_date <= last_joined,
        )
        .order_by(Member.joined_date, Member.seq, Member.id)
    )
    with db.engine.connect() as conn:
        return [_make_row(r, today) for r in conn.execute(q)]


def stats(db: Database, flt: MemberFilter | None = None, today: date | None = None) -> RosterStats:
    """Counts for the members matching `flt` (default: everyone still on the roster)."""
    auth.require(db, "members.read")
    today = _today(today)
    flt = flt if flt is not None else MemberFilter(active_only=True)
    where = _conditions(flt, today)
    age_label = case(
        *[(_band_condition(Member.birth_date, b, today), b) for b in rules.AGE_BANDS],
        else_=literal("未填"),
    )
    party_label = case(
        (Member.category == rules.PROBATIONARY, literal(rules.PROBATIONARY)),
        *[(_party_age_condition(b, today), b) for b in rules.PARTY_AGE_BANDS],
        else_=literal("未填"),
    )

    dims = (Member.category, Member.gender, age_label, Member.education, party_label,
            Organization.name, Member.status)
    q = (
        select(*dims, func.count())
        .select_from(Member)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .where(*where)
        .group_by(*dims)
    )
    # One scan, grouped by every dimension at once, then summed per dimension here.
    counts: list[Counter] = [Counter() for _ in dims]
    with db.engine.connect() as conn:
        for *keys, n in conn.execute(q):
            for counter, key in zip(counts, keys):
                counter[key if key not in (None, "") else "未填"] += n
    category, gender, age_band, education, party, branch, status = counts
    party.pop(rules.PROBATIONARY, None)  # 预备党员 have no party age yet

    def in_order(c: Counter, order: Sequence[str]) -> dict[str, int]:
        return {k: c.get(k, 0) for k in order} | {k: v for k, v in c.items() if k not in order}

    def by_count(c: Counter) -> dict[str, int]:
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    return RosterStats(
        total=sum(category.values()),
        by_category=in_order(category, rules.CATEGORIES),
        by_gender=in_order(gender, rules.GENDERS),
        by_age_band=in_order(age_band, (*rules.AGE_BANDS, "未填")),
        by_education=by_count(education),
        by_party_age_band=in_order(party, (*rules.PARTY_AGE_BANDS, "未填")),
        by_branch=by_count(branch),
        by_status=in_order(status, rules.STATUSES),
    )


# ---------------------------------------------------------------- bulk import and export

# MemberInput fields an import writes when its file has the column.
TEMPLATE_FIELDS: tuple[str, ...] = tuple(rules.COLUMN_FIELDS.values())


def _create_branches(s: Session, names: Sequence[str], parent_org_id: str | None) -> dict[str, str]:
    """Branches under `parent_org_id`, coded as the orgs service does: parent code + next free 01..99."""
    if not names:
        return {}
    parent = _live_org(s, parent_org_id)
    org_rules.check_child(OrgKind(parent.kind), OrgKind.BRANCH)
    taken = set(s.scalars(select(Organization.code).where(Organization.deleted.is_(False))))
    order = s.scalar(
        select(func.max(Organization.sort_order)).where(
            Organization.parent_id == parent.id, Organization.deleted.is_(False)
        )
    ) or 0
    created: dict[str, str] = {}
    n = 0
    for raw in names:
        name = org_rules.check_name(raw)
        if name in created:
            continue
        while True:
            n += 1
            if n > 999:
                raise Conflict("无法为新党支部生成组织代码，请先在组织架构中手工建立")
            code = f"{parent.code}{n:02d}"
            if code not in taken:
                break
        taken.add(code)
        order += 1
        org = Organization(name=name, code=org_rules.check_code(code), kind=OrgKind.BRANCH.value,
                           parent_id=parent.id, sort_order=order)
        s.add(org)
        s.flush()
        created[name] = org.id
    return created


@contextmanager
def _big_cache(s: Session, kib: int = 65536):
    """A bigger SQLite page cache while a bulk insert fills the member indexes (about 2x faster)."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(old)}")


def import_members(
    db: Database,
    rows: list[MemberInput],
    update_existing: bool,
    create_branches: list[str],
    parent_org_id: str | None,
    fields: Collection[str] | None = None,
    today: date | None = None,
    prechecked: bool = False,
) -> ImportResult:
    """Write an import in one transaction.

    Creates the missing branches under `parent_org_id`, bulk-inserts new
    members and (with update_existing) updates members matched by ID number.
    Only the `fields` the file carried are compared and written (default: all
    template fields), so a file without a 手机号码 column erases no phones.
    A row's org is its org_id, else its org_name, else `parent_org_id`.
    Rows are validated unless `prechecked` says they are members.check()'s
    normalized output already (an ImportPreview's are): on 100,000 rows that
    second check would cost about a third of the import.
    """
    auth.require(db, "members.import")
    today = _today(today)
    fields = set(TEMPLATE_FIELDS if fields is None else fields) & set(MEMBER_FIELDS)
    cleaned: list[MemberInput] = []
    seen: dict[str, int] = {}
    for i, inp in enumerate(rows, start=1):
        if prechecked:
            clean = inp
        else:
            clean, errors, _ = rules.check(inp, today)
            if errors:
                raise ValidationError(errors[0].field, f"第 {i} 条（{inp.name}）：{errors[0].message}")
        if clean.id_number in seen:
            raise ValidationError("公民身份号码", f"第 {i} 条与第 {seen[clean.id_number]} 条重复：{clean.id_number}")
        seen[clean.id_number] = i
        cleaned.append(clean)

    with UnitOfWork(db) as uow:
        s = uow.session
        site_id = uow.site_id
        now = utcnow()
        by_name = _org_name_map(s)
        live_orgs = set(s.scalars(select(Organization.id).where(Organization.deleted.is_(False))))
        wanted = [n for n in dict.fromkeys(create_branches) if n.strip() and n.strip() not in by_name]
        created = _create_branches(s, wanted, parent_org_id)
        by_name.update(created)
        live_orgs.update(created.values())

        def org_of(inp: MemberInput) -> str | None:
            """The row's org; None when it names none (new members then go to parent_org_id)."""
            if inp.org_id:
                if inp.org_id not in live_orgs:
                    raise ValidationError("所在党支部", f"{inp.name}：所选党组织不存在或已删除")
                return inp.org_id
            if inp.org_name:
                if inp.org_name not in by_name:
                    raise ValidationError("所在党支部", f"{inp.name}：党组织“{inp.org_name}”不存在")
                return by_name[inp.org_name]
            return None

        existing = dict(
            s.execute(select(Member.id_number, Member.id).where(Member.deleted.is_(False))).all()
        )
        new_rows: list[dict] = []
        matched: dict[str, MemberInput] = {}
        seq = _next_seq(s) - 1
        for inp in cleaned:
            org_id = org_of(inp)
            mid = existing.get(inp.id_number)
            if mid is not None:
                matched[mid] = replace(inp, org_id=org_id)
                continue
            values = {f: getattr(inp, f) for f in MEMBER_FIELDS}
            values["org_id"] = org_id or parent_org_id
            if not values["seq"]:
                seq += 1
                values["seq"] = seq
            else:
                seq = max(seq, values["seq"])
            values["name_pinyin"], values["name_initials"] = pinyin_keys(inp.name)
            values["status"] = rules.derived_status(inp)
            new_rows.append(sync_values(site_id, now) | values)
        if new_rows:
            # Core insert: every dict carries every column, so it is one executemany.
            with _big_cache(s):
                s.execute(insert(Member.__table__), new_rows)

        updated = unchanged = 0
        if matched and update_existing:
            changes, history = _diff_existing(s, matched, fields, site_id, now, today)
            updated, unchanged = len(changes), len(matched) - len(changes)
            if changes:
                s.execute(sql_update(Member), changes)
            if history:
                s.execute(insert(MemberStatusChange.__table__), history)
        # Core inserts and updates pass no ORM listener: one trail entry for the whole batch.
        n = len(new_rows) + updated
        audit.record(s, "import", "member", "", f"导入党员 {n} 名",
                     after={"added": len(new_rows), "updated": updated, "branches_created": len(created)})
        uow.commit()
    return ImportResult(
        added=len(new_rows),
        updated=updated,
        unchanged=unchanged,
        skipped_existing=0 if update_existing else len(matched),
        branches_created=tuple(created),
    )


_STORED_NAMES = ("id", "status", "version", *MEMBER_FIELDS)
_STORED_COLUMNS = [getattr(Member, n) for n in _STORED_NAMES]


def _stored(conn, key: ColumnElement, values: Sequence[str]) -> list[dict]:
    wanted = set(values)
    live = select(*_STORED_COLUMNS).where(Member.deleted.is_(False))
    if len(wanted) > 5000:
        # Most of a big roster: one sequential scan beats thousands of index lookups.
        index = _STORED_NAMES.index(key.key)
        return [dict(zip(_STORED_NAMES, r)) for r in conn.execute(live) if r[index] in wanted]
    out: list[dict] = []
    for chunk in _chunks(sorted(wanted)):
        out.extend(dict(zip(_STORED_NAMES, r)) for r in conn.execute(live.where(key.in_(chunk))))
    return out


def stored_by_id_number(db: Database, id_numbers: Sequence[str]) -> dict[str, dict]:
    """Stored MEMBER_FIELDS (plus id, status, version) of live members, by ID number."""
    # Unmasked whole records, for an import preview: only for those who may import.
    auth.require(db, "members.import")
    with db.engine.connect() as conn:
        return {d["id_number"]: d for d in _stored(conn, Member.id_number, id_numbers)}


def changed_fields(stored: dict, inp: MemberInput, fields: Collection[str]) -> list[str]:
    """MemberInput fields whose value differs from the stored one.

    A seq of 0 or an org_id of None means "not given" and keeps what is stored.
    """
    out = []
    for f in MEMBER_FIELDS:
        if f not in fields:
            continue
        new = getattr(inp, f)
        if (f == "seq" and not new) or (f == "org_id" and new is None):
            continue
        if stored[f] != new:
            out.append(f)
    return out


def _diff_existing(
    s: Session, matched: dict[str, MemberInput], fields: set[str], site_id: str,
    now: datetime, today: date,
) -> tuple[list[dict], list[dict]]:
    stored = {d["id"]: d for d in _stored(s, Member.id, list(matched))}
    changes: list[dict] = []
    history: list[dict] = []
    for mid, inp in matched.items():
        old = stored[mid]
        diff = changed_fields(old, inp, fields)
        if not diff:
            continue
        row = {f: getattr(inp, f) for f in diff}
        if "name" in row:
            row["name_pinyin"], row["name_initials"] = pinyin_keys(inp.name)
        if old["status"] not in rules.GONE_STATUSES:
            merged = replace(inp, **{f: old[f] for f in MEMBER_FIELDS if f not in fields})
            status = rules.derived_status(merged)
            if status != old["status"]:
                row["status"] = status
                history.append(sync_values(site_id, now) | {
                    "member_id": mid, "status": status, "changed_on": today,
                    "destination": merged.floating_to, "note": "导入党员信息",
                })
        row.update(id=mid, version=old["version"] + 1, updated_at=now, updated_by_site=site_id)
        changes.append(row)
    return changes, history


def export_rows(db: Database, flt: MemberFilter | None = None, today: date | None = None) -> list[dict]:
    """Members as template rows (keys are TEMPLATE_COLUMNS, in order), roster order.

    Dates stay `date`, yes/no become 是/否; the writer decides how a cell looks.
    """
    auth.require(db, "members.read")
    flt = flt or MemberFilter()
    order, _ = _order_by("seq", False)
    cols = [Organization.name, *[getattr(Member, rules.COLUMN_FIELDS[c])
                                 for c in rules.TEMPLATE_COLUMNS if c != "所在党支部"]]
    q = (
        select(*cols)
        .select_from(Member)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .where(*_conditions(flt, _today(today)))
        .order_by(*order)
    )
    header = ["所在党支部", *[c for c in rules.TEMPLATE_COLUMNS if c != "所在党支部"]]
    out: list[dict] = []
    with db.engine.connect() as conn:
        for r in conn.execute(q):
            rec = dict(zip(header, r))
            rec["所在党支部"] = rec["所在党支部"] or ""
            for c in ("是否为失联党员", "是否为流动党员"):
                rec[c] = rules.YES if rec[c] else rules.NO
            out.append({c: rec[c] for c in rules.TEMPLATE_COLUMNS})
    return out
