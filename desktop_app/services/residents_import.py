"""居民 import: a 网格's roll of residents and their households, as a center already keeps it.

Each row is one resident; rows with the same flat (楼栋, 单元, 室) or the same
address share one household, matched to the household already registered
there or created. Residents are checked as the resident form checks them
(ID number, gender and birth date agree, phone); an ID number already
registered, or twice in the file, is a row error. A grid-scoped user may only
import residents of their own grids. preview() writes nothing; apply() writes
every household and resident or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.exchange import history
from desktop_app.exchange import resident_files as files
from desktop_app.services import auth, imports, revert_imported
from desktop_app.services.database import Database
from desktop_app.services.residents import check_household, check_resident, grids, household_label
from desktop_app.services.roster import org_name_map
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Household, Resident
from desktop_app.views.imports import HistoryPreview, Mapping
from desktop_app.views.residents import HouseholdInput, ResidentInput
from desktop_app.views.roster import RowError

__all__ = ["PlannedResident", "apply", "preview"]

_FIELD_COLUMN = {"所属网格": "所属网格", "联系电话": "联系电话", "楼栋": "楼栋", "地址": "地址", "室": "室"}


@dataclass(frozen=True)
class PlannedResident:
    row_number: int
    resident: ResidentInput
    flat: tuple[str, str, str, str] | None  # (building, unit, room, address) of its household
    household: HouseholdInput | None  # to create, when no household is registered there
    household_id: str | None  # the registered household


def _flat_key(h: HouseholdInput) -> tuple[str, str, str, str]:
    return (h.building, h.unit, h.room, "" if h.building else h.address)


def preview(db: Database, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None,
            today: date | None = None) -> HistoryPreview:
    return imports.preview_history(db, "residents", path, mapping, sheet, today, _checked)


def _checked(db: Database, parsed: history.Parsed, mapping: Mapping | None, today: date) -> HistoryPreview:
    lookup = org_name_map(db)
    unknown_grid = history.unknown_org([g.name for g in grids(db)], "网格", "网格党支部", may_leave_empty=True)
    numbers = [r.values["id_number"] for r in parsed.rows if r.values["id_number"]]
    with db.session() as s:
        taken = set(s.scalars(select(Resident.id_number).where(
            Resident.deleted.is_(False), Resident.id_number.in_(numbers))))
        homes = {(h.building, h.unit, h.room, "" if h.building else h.address): h.id for h in s.scalars(
            select(Household).where(Household.deleted.is_(False)))}
    items: list[PlannedResident] = []
    errors: list[RowError] = []
    first: dict[str, int] = {}
    new_homes: set[tuple] = set()
    heads: dict[tuple, tuple[str, int]] = {}  # household -> its head's name and the row that named them
    for row in parsed.rows:
        v, n = row.values, row.row_number
        row_errors, fail = history.refusals(row)

        grid = lookup.get(v["grid"]) if v["grid"] else None
        if v["grid"] and grid is None:
            fail("所属网格", f"有多个党组织名为“{v['grid']}”，请写明路径或组织代码"
                 if lookup.candidates(v["grid"]) else unknown_grid + lookup.near(v["grid"]))
        elif not auth.can(db, "residents.write", grid_id=grid):
            fail("所属网格", "您只能导入自己负责的网格的居民")
        household = None
        is_head, head = files.head_of(v["head"], v["name"])  # 是 / 本人 is this resident, never a head called 是
        if v["building"] or v["address"]:
            try:
                household = check_household(HouseholdInput(grid_id=grid, building=v["building"], unit=v["unit"],
                                                            room=v["room"], address=v["address"], head_name=head))
            except ValidationError as exc:
                fail(_FIELD_COLUMN.get(exc.field, "地址"), exc.message)
        elif is_head:
            fail("户主", "写明是户主，但没有楼栋或地址：不知道是哪一户的户主，请填写楼栋、单元、室或地址")
        key = _flat_key(household) if household else None
        if key and head:
            named = heads.setdefault(key, (head, n))
            if named[0] != head:
                fail("户主", f"同一住户第 {named[1]} 行写的户主是“{named[0]}”：一户只有一个户主，请核对后统一")
        tags = tuple(flow.split_tags(v["tags"].replace("、", ",").replace("，", ",")))
        resident = ResidentInput(name=v["name"], grid_id=grid, id_number=v["id_number"], gender=v["gender"],
                                 birth_date=v["birth_date"], phone=v["phone"], tags=tags, notes=v["notes"])
        if not row_errors:
            try:
                resident = check_resident(resident, today)
            except ValidationError as exc:
                fail(exc.field if exc.field in files.COLUMNS else "姓名", exc.message)
        number = v["id_number"]
        if number and number in taken:
            fail("公民身份号码", "已登记为居民", idcard.mask(number))
        elif number and number in first:
            fail("公民身份号码", f"与第 {first[number]} 行重复", idcard.mask(number))
        elif number:
            first[number] = n
        if row_errors:
            errors += row_errors
            continue
        home_id = homes.get(key) if key else None
        create = household if key and home_id is None and key not in new_homes else None
        if create is not None:
            new_homes.add(key)
        items.append(PlannedResident(n, resident, key, create, home_id))
    # the household takes its head from whichever row names them, not only from its first row
    items = [replace(it, household=replace(it.household, head_name=heads.get(it.flat, ("",))[0]))
             if it.household is not None else it for it in items]
    lines = (f"居民 {len(items)} 人", f"新建住户 {sum(1 for it in items if it.household)} 户")
    return HistoryPreview.of_sheet("residents", parsed, items, errors, lines, mapping)


@writes("residents.write")
def apply(uow: UnitOfWork, plan: HistoryPreview) -> int:
    plan.check_applicable("residents", "居民")
    s = uow.session
    numbers = [it.resident.id_number for it in plan.items if it.resident.id_number]
    if numbers and (clash := s.scalar(select(Resident.name).where(
            Resident.deleted.is_(False), Resident.id_number.in_(numbers)).limit(1))):
        raise Conflict(f"预览之后居民{clash}已登记，未导入任何数据。请重新预览")
    with revert_imported.tracking(s) as added:  # kept so 操作记录 can take the whole import back
        made: dict[tuple, str] = {}
        for it in plan.items:
            if it.household is not None:
                h = it.household
                if h.building and h.room and s.scalar(select(Household.id).where(
                        Household.deleted.is_(False), Household.building == h.building, Household.unit == h.unit,
                        Household.room == h.room).limit(1)):
                    raise Conflict(f"预览之后 {household_label(h.building, h.unit, h.room)} 已登记住户，"
                                   "未导入任何数据。请重新预览")
                row = Household(grid_id=h.grid_id, building=h.building, unit=h.unit, room=h.room,
                                address=h.address, head_name=h.head_name, phone=h.phone, notes=h.notes)
                s.add(row)
                s.flush()
                made[it.flat] = row.id
            r = it.resident
            pinyin, initials = pinyin_keys(r.name)
            s.add(Resident(name=r.name, name_pinyin=pinyin, name_initials=initials, id_number=r.id_number,
                           gender=r.gender, birth_date=r.birth_date, phone=r.phone, tags=flow.join_tags(r.tags),
                           notes=r.notes, grid_id=r.grid_id,
                           household_id=it.household_id or (made.get(it.flat) if it.flat else None)))
        s.flush()
    revert_imported.record(s, "resident", f"导入居民 {len(plan.items)} 人（{plan.file_name}）",
                           {"residents": len(plan.items), "households": len(made)}, added)
    return len(plan.items)
