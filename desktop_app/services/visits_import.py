"""走访记录 import: a worker's 走访台账 — who was visited, by whom, how, what was raised and how it ended.

Each row is one visit to a resident on record, found by name and, where the
sheet gives them, by address and phone; a name not registered, or shared by
residents the address and phone do not tell apart, is a row error (import the
residents first). 走访人 names a member on the roster become the visit's
party members, other names (网格员, 楼栋长) its other visitors. A row with
反映问题 waits as 待处理, or is closed as 已解决 when 办理结果 says how; a row
without is closed as 无需处理, as a visit logged by hand. A visit already on
record (same day, resident and content) is 无变化, so importing the same
台账 again adds nothing. A grid-scoped user imports visits of their own grids
only. preview() writes nothing; apply() writes every visit or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.exchange import history
from desktop_app.services import auth, imports, revert_imported
from desktop_app.services.database import Database
from desktop_app.services.residents import household_label
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.visits import add_visit
from desktop_app.store.models import Household, Member, Resident
from desktop_app.store.models_service import Visit
from desktop_app.views.imports import HistoryPreview, Mapping
from desktop_app.views.roster import RowError

__all__ = ["PlannedVisit", "apply", "preview"]

_NAMES = re.compile(r"[、，,；;/\s]+")
# check_visit's field -> the sheet's column
_COLUMN = {"走访党员": "走访人", "其他走访人": "走访人", "走访对象": "走访对象", "走访日期": "走访日期",
           "走访形式": "走访形式", "反映问题": "反映问题", "问题类别": "问题类别", "备注": "备注",
           "办理日期": "办结日期", "办理情况": "办理结果", "办理人": "走访人"}
DEFAULT_CATEGORY = "其他"  # a 台账 seldom sorts its problems; the worker can re-sort them on the 走访 page


@dataclass(frozen=True)
class PlannedVisit:
    row_number: int
    visit: flow.VisitInput  # checked
    solved_how: str
    solved_on: date | None
    key: tuple[date, str, str]  # (day, resident id, content): the same visit on record is not added again


@dataclass(frozen=True)
class _Known:
    id: str
    grid_id: str | None
    phone: str
    address: str


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def _same_place(written: str, known: str) -> bool:
    a, b = re.sub(r"\s", "", written), re.sub(r"\s", "", known)
    return bool(a and b) and (a in b or b in a)


def preview(db: Database, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None,
            today: date | None = None) -> HistoryPreview:
    """Read a 走访台账 and check each row against the residents and the roster; writes nothing."""
    return imports.preview_history(db, "visits", path, mapping, sheet, today, _checked)


def _residents(db: Database, names: list[str]) -> dict[str, list[_Known]]:
    with db.session() as s:
        found: dict[str, list[_Known]] = {}
        for rid, name, grid, phone, hgrid, b, u, r, a in s.execute(
                select(Resident.id, Resident.name, Resident.grid_id, Resident.phone, Household.grid_id,
                       Household.building, Household.unit, Household.room, Household.address)
                .outerjoin(Household, (Household.id == Resident.household_id) & Household.deleted.is_(False))
                .where(Resident.deleted.is_(False), Resident.name.in_(names))):
            found.setdefault(name, []).append(_Known(rid, hgrid or grid, phone or "",
                                                     household_label(b or "", u or "", r or "", a or "")))
        return found


def _members(db: Database) -> dict[str, list[str]]:
    with db.session() as s:
        out: dict[str, list[str]] = {}
        for mid, name in s.execute(select(Member.id, Member.name).where(
                Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES))):
            out.setdefault(name, []).append(mid)
        return out


def _on_record(db: Database, resident_ids: set[str]) -> set[tuple[date, str, str]]:
    with db.session() as s:
        return set(s.execute(select(Visit.visit_date, Visit.resident_id, Visit.content).where(
            Visit.deleted.is_(False), Visit.resident_id.in_(list(resident_ids)))).tuples())


def _checked(db: Database, parsed: history.Parsed, mapping: Mapping | None, today: date) -> HistoryPreview:
    residents = _residents(db, sorted({r.values["name"] for r in parsed.rows if r.values["name"]}))
    members = _members(db)
    on_record = _on_record(db, {k.id for ks in residents.values() for k in ks})
    items: list[PlannedVisit] = []
    errors: list[RowError] = []
    first: dict[tuple, int] = {}
    unchanged = 0
    for row in parsed.rows:
        v, n = row.values, row.row_number
        row_errors, fail = history.refusals(row)
        who = _resident(v, residents.get(v["name"], []), fail)
        if who is not None and not auth.can(db, "visits.write", grid_id=who.grid_id):
            fail("走访对象", "您只能导入自己负责的网格的走访记录")
        member_ids: list[str] = []
        others: list[str] = []
        for name in _NAMES.split(v["visitors"]):
            ids = members.get(name, []) if name else []
            if len(ids) > 1:
                fail("走访人", f"“{name}”有同名的多名党员，请在“走访”页逐条登记", name)
            elif ids:
                member_ids.append(ids[0])
            elif name:
                others.append(name)
        if not member_ids and not others and not any(e.field == "走访人" for e in row_errors):
            fail("走访人", "请填写走访人的姓名")
        raised = bool(v["issue"])
        notes = "；".join(t for t in (v["notes"], "" if raised or not v["result"] else f"办理结果：{v['result']}") if t)
        inp = flow.VisitInput(
            visit_date=v["visit_date"], form=v["form"] or flow.VISIT_FORMS[0], member_ids=tuple(member_ids),
            other_visitors="、".join(others), resident_id=who.id if who else None, visitee_name=v["name"],
            category=v["category"] or (DEFAULT_CATEGORY if raised else ""),
            content="；".join(t for t in (v["situation"], v["issue"]) if t), raised_issue=raised,
            notes=notes)
        if not row_errors and who is not None:
            try:
                inp = flow.check_visit(inp, today)
                if raised and v["result"]:
                    flow.check_follow_up(flow.PENDING, flow.SOLVED, "导入", v["resolved_on"] or inp.visit_date,
                                         v["result"], inp.visit_date, today)
            except ValidationError as exc:
                fail(_COLUMN.get(exc.field, "走访对象"), exc.message)
        if row_errors or who is None:
            errors += row_errors
            continue
        key = (inp.visit_date, who.id, inp.content)
        if key in on_record:
            unchanged += 1
            continue
        if key in first:
            errors.append(RowError(n, "走访对象", v["name"], f"与第 {first[key]} 行是同一次走访"))
            continue
        first[key] = n
        items.append(PlannedVisit(n, inp, v["result"] if raised else "", v["resolved_on"], key))
    pending = sum(1 for it in items if it.visit.raised_issue and not it.solved_how)
    lines = (f"新增走访记录 {len(items)} 条（其中待处理 {pending} 条）", f"无变化（已有同一次走访）{unchanged} 条")
    return HistoryPreview.of_sheet("visits", parsed, items, errors, lines, mapping)


def _resident(v: dict, known: list[_Known], fail) -> _Known | None:
    """The one registered resident the row names, or None with the refusal added."""
    if not v["name"]:
        return None  # the required cell's own error is already there
    if not known:
        fail("走访对象", "不是已登记的居民：请先在“居民”页登记或导入居民，再导入走访记录")
        return None
    fit = known
    if v["phone"]:
        fit = [k for k in fit if _digits(k.phone) == _digits(v["phone"])]
        if not fit:
            fail("联系电话", f"与登记的居民{v['name']}的电话不符")
            return None
    if v["address"]:
        fit = [k for k in fit if _same_place(v["address"], k.address)]
        if not fit:
            fail("地址", f"与登记的居民{v['name']}的住址不符")
            return None
    if len(fit) > 1:
        fail("走访对象", f"有 {len(fit)} 名同名的居民，请填写地址或联系电话以区分")
        return None
    return fit[0]


@writes("visits.write")
def apply(uow: UnitOfWork, plan: HistoryPreview) -> int:
    """Write the previewed visits with their visitors and follow-up, in one transaction."""
    plan.check_applicable("visits", "走访记录")
    s = uow.session
    today = date.today()
    wanted = {it.key[1] for it in plan.items}
    if wanted and set(s.execute(select(Visit.visit_date, Visit.resident_id, Visit.content).where(
            Visit.deleted.is_(False), Visit.resident_id.in_(list(wanted)))).tuples()) & {it.key for it in plan.items}:
        raise Conflict("预览之后已有其中的走访记录，未导入任何数据。请重新预览")
    members = {m for it in plan.items for m in it.visit.member_ids}
    live = set(s.scalars(select(Member.id).where(Member.deleted.is_(False), Member.id.in_(list(members)))))
    with revert_imported.tracking(s) as added:  # kept so 操作记录 can take the whole import back
        for it in plan.items:
            if set(it.visit.member_ids) - live:
                raise Conflict(f"第 {it.row_number} 行：预览之后有走访党员已删除，未导入任何数据。请重新预览")
            add_visit(s, it.visit, it.solved_how, "", it.solved_on, today)
        s.flush()
    revert_imported.record(s, "visit", f"导入走访记录 {len(plan.items)} 条（{plan.file_name}）",
                           {"visits": len(plan.items)}, added)
    return len(plan.items)
