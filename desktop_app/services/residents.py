"""居民与住户: households and residents, search with pinyin, and the editable lists of the service module.

Lists show phones and ID numbers masked; the detail view (an edit form)
shows them whole. Every write is one UnitOfWork. The other service modules
(visits, wishes, projects, mediation) use the helpers at the end to name
grids and addresses the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import idcard
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.members import age as age_on
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.services import auth, privacy
from desktop_app.services.records import (  # noqa: F401  live, text_terms and writes re-exported
    chosen, like_escape, live, live_in_grid, number_like, settle, text_terms, unchanged_since, writes,
)
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Household, Organization, Resident
from desktop_app.store.models_service import ServiceListItem
from desktop_app.views.orgs import OrgNode, path_names
from desktop_app.views.residents import (  # noqa: F401  re-exported: callers import them from here
    Grid, HouseholdDetail, HouseholdInput, HouseholdRow, ResidentDetail, ResidentInput, ResidentPick, ResidentRow,
)

NO_GRID = "未分网格"

# ---------------------------------------------------------------- value types


@dataclass
class ResidentFilter:
    text: str = ""  # name, pinyin, initials, address, phone or ID fragment; words are ANDed
    grid_id: str | None = None
    tag: str | None = None
    household_id: str | None = None
    include_deleted: bool = False


# ---------------------------------------------------------------- shared helpers


def household_label(building: str, unit: str, room: str, address: str = "") -> str:
    label = f"{building or ''}{unit or ''}{room or ''}"
    return label or (address or "")


def _org_nodes(s) -> list[OrgNode]:
    return [OrgNode(*r) for r in s.execute(select(
        Organization.id, Organization.code, Organization.name, Organization.kind, Organization.parent_id,
        Organization.sort_order).where(Organization.deleted.is_(False)))]


def grid_names(s) -> dict[str, str]:
    """Organisation id -> name, for naming the grid of a row (any live or tombstoned org).

    Where names repeat (a street's communities each have a 第一网格党支部) the name is led by its
    community, as everywhere else organisations are listed.
    """
    names = dict(s.execute(select(Organization.id, Organization.name)).all())
    names.update(path_names(_org_nodes(s)))
    return names


def _community_of(nodes: Sequence[OrgNode]) -> dict[str, OrgNode]:
    """Organisation id -> the community above it (or itself), for those below one."""
    by_id = {n.id: n for n in nodes}
    out: dict[str, OrgNode] = {}
    for n in nodes:
        up: OrgNode | None = n
        while up is not None and up.kind != OrgKind.COMMUNITY.value:
            up = by_id.get(up.parent_id) if up.parent_id else None
        if up is not None:
            out[n.id] = up
    return out


def check_grid(s: Session, grid_id: str | None) -> str | None:
    if not grid_id:
        return None
    return chosen(s, Organization, grid_id, "所属网格", "网格").id


def name_match(term: str, name_col, pinyin_col=None, initials_col=None) -> list[ColumnElement]:
    """Name contains the term; an ASCII term also matches pinyin (anywhere) and initials (prefix)."""
    t = like_escape(term)
    alts = [name_col.like(f"%{t}%", escape="\\")]
    if pinyin_col is not None and term.isascii() and term.isalpha():
        low = t.lower()
        alts.append(pinyin_col.like(f"%{low}%", escape="\\"))
        alts.append(initials_col.like(f"{low}%", escape="\\"))
    return alts


def tag_condition(col, tag: str) -> ColumnElement:
    """Exact tag in a comma-separated column (独居老人 does not match 非独居老人)."""
    sep = flow.TAG_SEPARATOR
    return (literal(sep) + col + literal(sep)).like(f"%{sep}{like_escape(tag)}{sep}%", escape="\\")


def resident_place(s: Session, resident_id: str | None, household_id: str | None):
    """(resident, household, grid_id, visitee name) for a chosen resident and/or household.

    A resident's own household wins over a different household_id; the grid
    follows the household, else the resident.
    """
    resident = live(s, Resident, resident_id, "居民") if resident_id else None
    if resident is not None and resident.household_id:
        household_id = resident.household_id
    household = live(s, Household, household_id, "住户") if household_id else None
    grid_id = (household.grid_id if household else None) or (resident.grid_id if resident else None)
    name = resident.name if resident else (household.head_name if household else "")
    return resident, household, grid_id, name


# ---------------------------------------------------------------- grids and lists


def grids(db: Database) -> list[Grid]:
    """The branches a household can belong to (网格党支部 first, in tree order)."""
    auth.require(db, "orgs.read")
    with db.session() as s:
        nodes = _org_nodes(s)
    labels, community = path_names(nodes), _community_of(nodes)
    branches = sorted((n for n in nodes if n.kind == OrgKind.BRANCH.value), key=lambda n: (n.sort_order, n.code))
    return [Grid(n.id, labels[n.id], community[n.id].id if n.id in community else None,
                 community[n.id].name if n.id in community else "")
            for n in sorted(branches, key=lambda n: "网格" not in n.name)]


def grid_id_by_name(db: Database, name: str) -> str:
    """The grid called `name` (for the CLI's --grid); a clear refusal naming the choices otherwise."""
    known = grids(db)
    found = next((g.id for g in known if g.name == name.strip()), None)
    if found is None:
        raise ValidationError("网格", f"没有名为“{name}”的网格；可选：{'、'.join(g.name for g in known) or '（无）'}")
    return found


def _stored_list(s: Session, kind: str) -> list[ServiceListItem]:
    return list(s.scalars(
        select(ServiceListItem)
        .where(ServiceListItem.list_kind == kind, ServiceListItem.deleted.is_(False))
        .order_by(ServiceListItem.sort_order, ServiceListItem.name)
    ))


def get_list(db: Database, kind: str) -> tuple[str, ...]:
    """An editable list (flow.RESIDENT_TAG, ISSUE_CATEGORY …): stored entries, else the defaults."""
    auth.require(db, "residents.read")
    if kind not in flow.DEFAULT_LISTS:
        raise ValidationError("列表", f"未知的列表“{kind}”")
    with db.session() as s:
        names = [r.name for r in _stored_list(s, kind)]
    # Two offline copies may each add the same name: show it once.
    return tuple(dict.fromkeys(names)) or flow.DEFAULT_LISTS[kind]


@writes("settings.write")
def set_list(uow: UnitOfWork, kind: str, names: Iterable[str]) -> tuple[str, ...]:
    """Replace a list with `names` in that order. Records keep the names they already carry."""
    names = flow.check_list(kind, names)
    s = uow.session
    stored = _stored_list(s, kind)
    by_name: dict[str, ServiceListItem] = {}
    for row in stored:
        if row.name in by_name or row.name not in names:
            row.deleted = True
        else:
            by_name[row.name] = row
    for order, name in enumerate(names, start=1):
        row = by_name.get(name)
        if row is None:
            s.add(ServiceListItem(list_kind=kind, name=name, sort_order=order))
        elif row.sort_order != order:
            row.sort_order = order
    return names


# ---------------------------------------------------------------- households


def check_household(inp: HouseholdInput) -> HouseholdInput:
    building = flow.optional(inp.building, "楼栋", 20)
    unit = flow.optional(inp.unit, "单元", 20)
    room = flow.optional(inp.room, "室", 20)
    address = flow.optional(inp.address, "地址", 120)
    if not (building or address):
        raise ValidationError("楼栋", "请填写楼栋（或完整地址）")
    return replace(
        inp, building=building, unit=unit, room=room,
        address=address or household_label(building, unit, room),
        head_name=flow.optional(inp.head_name, "户主", 40),
        phone=_check_phone(inp.phone), notes=flow.optional(inp.notes, "备注", 2000),
    )


def _check_phone(phone: str) -> str:
    return flow.phone(phone, "联系电话")


def _household_rows(s: Session, households: Sequence[Household]) -> list[HouseholdRow]:
    ids = [h.id for h in households]
    counts: dict[str, int] = {}
    tags: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        for hid, rtags in s.execute(
            select(Resident.household_id, Resident.tags).where(
                Resident.household_id.in_(ids[start:start + 500]), Resident.deleted.is_(False)
            )
        ):
            counts[hid] = counts.get(hid, 0) + 1
            bucket = tags.setdefault(hid, [])
            bucket.extend(t for t in flow.split_tags(rtags) if t not in bucket)
    names = grid_names(s)
    return [
        HouseholdRow(
            id=h.id, grid_id=h.grid_id, grid_name=names.get(h.grid_id or "", NO_GRID),
            label=household_label(h.building, h.unit, h.room, h.address), address=h.address,
            head_name=h.head_name, phone_masked=idcard.mask_phone(h.phone),
            residents=counts.get(h.id, 0), tags=tuple(tags.get(h.id, ())),
        )
        for h in households
    ]


def search_households(db: Database, text: str = "", grid_id: str | None = None) -> list[HouseholdRow]:
    """Households by address, head's name (or its pinyin) or phone; ordered by building, unit, room."""
    with db.session() as s:
        q = select(Household).where(Household.deleted.is_(False))
        q = q.where(auth.scoped(db, "residents.read", Household.grid_id))
        if grid_id:
            q = q.where(Household.grid_id == grid_id)
        for term in text_terms(text):
            t = like_escape(term)
            heads = select(Resident.household_id).where(
                Resident.deleted.is_(False), or_(*name_match(term, Resident.name, Resident.name_pinyin,
                                                            Resident.name_initials))
            )
            alts = [
                Household.address.like(f"%{t}%", escape="\\"),
                Household.head_name.like(f"%{t}%", escape="\\"),
                (Household.building + Household.unit + Household.room).like(f"%{t}%", escape="\\"),
                Household.id.in_(heads),
            ]
            if term.isdigit():
                alts.append(Household.phone.like(f"%{t}%", escape="\\"))
            q = q.where(or_(*alts))
        q = q.order_by(Household.building, Household.unit, Household.room, Household.id)
        return _household_rows(s, list(s.scalars(q)))


def _household_detail(s: Session, h: Household, today: date) -> HouseholdDetail:
    residents = list(s.scalars(
        select(Resident).where(Resident.household_id == h.id, Resident.deleted.is_(False))
        .order_by(Resident.created_at, Resident.name_pinyin)
    ))
    names = grid_names(s)
    label = household_label(h.building, h.unit, h.room, h.address)
    return HouseholdDetail(
        grid_id=h.grid_id, building=h.building, unit=h.unit, room=h.room, address=h.address,
        head_name=h.head_name, phone=h.phone, notes=h.notes, id=h.id,
        grid_name=names.get(h.grid_id or "", NO_GRID), label=label,
        residents=tuple(_resident_row(r, label, names, today) for r in residents), version=h.version,
    )


def get_household(db: Database, household_id: str, today: date | None = None) -> HouseholdDetail:
    with db.session() as s:
        h = live_in_grid(db, s, Household, household_id, "住户", "residents.read")
        detail = _household_detail(s, h, today or date.today())
    return privacy.mask_unless(db, "residents.reveal", detail)


def create_household(db: Database, inp: HouseholdInput, today: date | None = None) -> HouseholdDetail:
    clean = check_household(inp)
    with UnitOfWork(db) as uow:
        s = uow.session
        grid = check_grid(s, clean.grid_id)
        auth.require(db, "residents.write", grid_id=grid)
        _check_flat_free(s, clean)
        h = Household(**{f.name: getattr(clean, f.name) for f in fields(HouseholdInput)})
        h.grid_id = grid
        s.add(h)
        return settle(uow, _household_detail, h, today or date.today())


def _check_flat_free(s: Session, clean: HouseholdInput, except_id: str | None = None) -> None:
    if not (clean.building and clean.room):
        return
    other = s.scalar(select(Household.id).where(
        Household.deleted.is_(False), Household.building == clean.building,
        Household.unit == clean.unit, Household.room == clean.room,
    ).limit(1))
    if other and other != except_id:
        label = household_label(clean.building, clean.unit, clean.room)
        raise ValidationError("室", f"{label} 已经登记过住户")


def update_household(db: Database, household_id: str, inp: HouseholdInput,
                     today: date | None = None, expected_version: int | None = None) -> HouseholdDetail:
    """Save a household; a move to another grid moves its residents with it.

    `expected_version`: the version the form was read at; a household changed since is refused."""
    clean = check_household(inp)
    with UnitOfWork(db) as uow:
        s = uow.session
        h = live_in_grid(db, s, Household, household_id, "住户", "residents.write")
        unchanged_since(s, h, expected_version, f"住户 {household_label(h.building, h.unit, h.room, h.address)}")
        grid = check_grid(s, clean.grid_id)
        auth.require(db, "residents.write", grid_id=grid)  # and into the grid it moves to
        _check_flat_free(s, clean, except_id=h.id)
        for f in fields(HouseholdInput):
            new = grid if f.name == "grid_id" else getattr(clean, f.name)
            if getattr(h, f.name) != new:
                setattr(h, f.name, new)
        for r in s.scalars(select(Resident).where(Resident.household_id == h.id, Resident.deleted.is_(False))):
            if r.grid_id != grid:
                r.grid_id = grid
        return settle(uow, _household_detail, h, today or date.today())


def delete_household(db: Database, household_id: str, with_residents: bool = False) -> int:
    """Tombstone a household; its residents too when `with_residents`. Returns residents removed."""
    with UnitOfWork(db) as uow:
        s = uow.session
        h = live_in_grid(db, s, Household, household_id, "住户", "residents.write")
        people = list(s.scalars(select(Resident).where(Resident.household_id == h.id, Resident.deleted.is_(False))))
        if people and not with_residents:
            raise Conflict(f"该户还有 {len(people)} 名居民，请先删除或迁出居民，或选择连同居民一起删除")
        for r in people:
            r.deleted = True
        h.deleted = True
        uow.commit()
        return len(people)


# ---------------------------------------------------------------- residents


def check_resident(inp: ResidentInput, today: date) -> ResidentInput:
    name = flow.required(inp.name, "姓名", limit=40)
    gender = flow.optional(inp.gender, "性别", 2)
    if gender and gender not in (idcard.MALE, idcard.FEMALE):
        raise ValidationError("性别", "应为 男 或 女")
    birth = inp.birth_date
    number = idcard.normalize(inp.id_number)
    if number:
        info = idcard.parse_or_refuse(number)
        if gender and gender != info.gender:
            raise ValidationError("性别", f"与身份证号不符（应为 {info.gender}）")
        if birth and birth != info.birth_date:
            raise ValidationError("出生日期", f"与身份证号不符（应为 {info.birth_date.isoformat()}）")
        gender, birth = info.gender, info.birth_date
    if birth and birth > today:
        raise ValidationError("出生日期", "不能晚于今天")
    return replace(
        inp, name=name, id_number=number, gender=gender, birth_date=birth,
        phone=_check_phone(inp.phone), tags=tuple(flow.split_tags(flow.join_tags(inp.tags))),
        notes=flow.optional(inp.notes, "备注", 2000),
    )


def _check_resident_id_free(s: Session, number: str, except_id: str | None = None) -> None:
    if not number:
        return
    for rid, name in s.execute(
        select(Resident.id, Resident.name).where(Resident.id_number == number, Resident.deleted.is_(False)).limit(2)
    ):
        if rid != except_id:
            raise ValidationError("公民身份号码", f"{idcard.mask(number)} 已登记为居民{name}")


def _resident_row(r, address: str, names: dict[str, str], today: date) -> ResidentRow:
    return ResidentRow(
        id=r.id, name=r.name, gender=r.gender, age=age_on(r.birth_date, today), grid_id=r.grid_id,
        grid_name=names.get(r.grid_id or "", NO_GRID), household_id=r.household_id, address=address,
        phone_masked=idcard.mask_phone(r.phone), id_masked=idcard.mask(r.id_number),
        tags=tuple(flow.split_tags(r.tags)), notes=r.notes,
    )


def _resident_conditions(flt: ResidentFilter) -> list[ColumnElement]:
    c: list[ColumnElement] = []
    if not flt.include_deleted:
        c.append(Resident.deleted.is_(False))
    if flt.grid_id:
        c.append(Resident.grid_id == flt.grid_id)
    if flt.household_id:
        c.append(Resident.household_id == flt.household_id)
    if flt.tag:
        c.append(tag_condition(Resident.tags, flt.tag))
    flat = func.coalesce(Household.building, "") + func.coalesce(Household.unit, "") + func.coalesce(Household.room, "")
    for term in text_terms(flt.text):
        t = like_escape(term)
        alts = name_match(term, Resident.name, Resident.name_pinyin, Resident.name_initials)
        alts += [flat.like(f"%{t}%", escape="\\"), Household.address.like(f"%{t}%", escape="\\"),
                 Resident.tags.like(f"%{t}%", escape="\\")]
        alts += number_like(term, Resident.id_number, Resident.phone)
        c.append(or_(*alts))
    return c


# Plain columns, not entities: building 3,000 ORM objects costs more than the query.
_ROW_COLUMNS = (
    Resident.id, Resident.name, Resident.gender, Resident.birth_date, Resident.grid_id, Resident.household_id,
    Resident.phone, Resident.id_number, Resident.tags, Resident.notes,
    Household.building.label("h_building"), Household.unit.label("h_unit"), Household.room.label("h_room"),
    Household.address.label("h_address"),
)


def search_residents(db: Database, flt: ResidentFilter | None = None, today: date | None = None,
                     limit: int | None = None) -> list[ResidentRow]:
    """Residents matching `flt`, by address then name, filtered in SQL."""
    flt = flt or ResidentFilter()
    today = today or date.today()
    q = (
        select(*_ROW_COLUMNS)
        .outerjoin(Household, Household.id == Resident.household_id)
        .where(*_resident_conditions(flt))
        .where(auth.scoped(db, "residents.read", Resident.grid_id))
        .order_by(Household.building.is_(None), Household.building, Household.unit, Household.room,
                  Resident.created_at, Resident.name_pinyin, Resident.id)
    )
    if limit:
        q = q.limit(limit)
    with db.engine.connect() as conn:
        names = grid_names(conn)
        return [
            _resident_row(r, household_label(r.h_building or "", r.h_unit or "", r.h_room or "", r.h_address or ""),
                          names, today)
            for r in conn.execute(q)
        ]


def pick_residents(db: Database, text: str, limit: int = 12) -> list[ResidentPick]:
    """Residents for a picker, by name, pinyin, initials or address fragment."""
    if not text.strip():
        return []
    return [
        ResidentPick(r.id, r.household_id, r.grid_id, r.name, r.address, r.grid_name, r.tags)
        for r in search_residents(db, ResidentFilter(text=text), limit=limit)
    ]


def tag_counts(db: Database, grid_id: str | None = None) -> dict[str, int]:
    """How many live residents carry each tag (in the tag list's order, then others)."""
    q = select(Resident.tags).where(Resident.deleted.is_(False), Resident.tags != "")
    q = q.where(auth.scoped(db, "residents.read", Resident.grid_id))
    if grid_id:
        q = q.where(Resident.grid_id == grid_id)
    counts: dict[str, int] = {}
    with db.session() as s:
        for (tags,) in s.execute(q):
            for t in flow.split_tags(tags):
                counts[t] = counts.get(t, 0) + 1
    order = get_list(db, flow.RESIDENT_TAG)
    return {t: counts.pop(t) for t in order if t in counts} | dict(sorted(counts.items()))


def _resident_detail(s: Session, r: Resident, today: date) -> ResidentDetail:
    h = s.get(Household, r.household_id) if r.household_id else None
    names = grid_names(s)
    return ResidentDetail(
        name=r.name, household_id=r.household_id, grid_id=r.grid_id, id_number=r.id_number,
        gender=r.gender, birth_date=r.birth_date, phone=r.phone, tags=tuple(flow.split_tags(r.tags)),
        notes=r.notes, id=r.id, grid_name=names.get(r.grid_id or "", NO_GRID),
        address=household_label(h.building, h.unit, h.room, h.address) if h else "",
        age=age_on(r.birth_date, today), deleted=r.deleted, version=r.version, updated_at=r.updated_at,
    )


def get_resident(db: Database, resident_id: str, today: date | None = None) -> ResidentDetail:
    with db.session() as s:
        r = s.get(Resident, resident_id)
        if r is None:
            raise NotFound("该居民不存在")
        auth.require(db, "residents.read", grid_id=r.grid_id)
        detail = _resident_detail(s, r, today or date.today())
    return privacy.mask_unless(db, "residents.reveal", detail)


def _apply_resident(s: Session, r: Resident, clean: ResidentInput) -> None:
    household = live(s, Household, clean.household_id, "住户") if clean.household_id else None
    grid = household.grid_id if household else check_grid(s, clean.grid_id)
    values = {
        "name": clean.name, "household_id": household.id if household else None, "grid_id": grid,
        "id_number": clean.id_number, "gender": clean.gender, "birth_date": clean.birth_date,
        "phone": clean.phone, "tags": flow.join_tags(clean.tags), "notes": clean.notes,
    }
    values["name_pinyin"], values["name_initials"] = pinyin_keys(clean.name)
    for key, new in values.items():
        if getattr(r, key) != new:
            setattr(r, key, new)


def _check_not_in_household(s: Session, clean: ResidentInput) -> None:
    """The same name in the same household is the same person typed twice (met again on a round), unless
    both carry ID numbers, which tell two namesakes apart."""
    if not clean.household_id:
        return
    for name, number in s.execute(select(Resident.name, Resident.id_number).where(
            Resident.household_id == clean.household_id, Resident.name == clean.name, Resident.deleted.is_(False))):
        if not (number and clean.id_number):
            h = s.get(Household, clean.household_id)
            where = household_label(h.building, h.unit, h.room, h.address) if h else "这一户"
            raise ValidationError("姓名", f"{where}已登记居民{name}，不必再登记；同名的另一人请填写公民身份号码")


def create_resident(db: Database, inp: ResidentInput, today: date | None = None) -> ResidentDetail:
    today = today or date.today()
    clean = check_resident(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        _check_resident_id_free(s, clean.id_number)
        _check_not_in_household(s, clean)
        r = Resident(name=clean.name, name_pinyin="", name_initials="", id_number="", gender="",
                     phone="", tags="", notes="")
        _apply_resident(s, r, clean)
        auth.require(db, "residents.write", grid_id=r.grid_id)
        s.add(r)
        return settle(uow, _resident_detail, r, today)


def update_resident(db: Database, resident_id: str, inp: ResidentInput,
                    today: date | None = None, expected_version: int | None = None) -> ResidentDetail:
    """Save an edited resident; unchanged fields are not touched (no version bump).

    `expected_version`: the version the form was read at; a resident changed since is refused."""
    today = today or date.today()
    clean = check_resident(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        r = live_in_grid(db, s, Resident, resident_id, "居民", "residents.write")
        unchanged_since(s, r, expected_version, f"居民 {r.name}")
        if clean.id_number != r.id_number:
            _check_resident_id_free(s, clean.id_number, except_id=r.id)
        _apply_resident(s, r, clean)
        auth.require(db, "residents.write", grid_id=r.grid_id)  # and into the grid it moves to
        return settle(uow, _resident_detail, r, today)


def delete_resident(db: Database, resident_id: str) -> None:
    """Tombstone a resident; visits and wishes keep the name they recorded."""
    with UnitOfWork(db) as uow:
        r = live_in_grid(db, uow.session, Resident, resident_id, "居民", "residents.write")
        r.deleted = True
        uow.commit()


def restore_resident(db: Database, resident_id: str) -> None:
    with UnitOfWork(db) as uow:
        s = uow.session
        r = s.get(Resident, resident_id)
        if r is None:
            raise NotFound("该居民不存在")
        auth.require(db, "residents.write", grid_id=r.grid_id)
        if not r.deleted:
            return
        try:
            _check_resident_id_free(s, r.id_number, except_id=r.id)
        except ValidationError as exc:
            raise Conflict(f"不能恢复：{exc.message}") from None
        r.deleted = False
        uow.commit()
