"""三单: the 需求清单 (what residents need, from visits and 恳谈), 资源清单 (what units offer) and
项目清单 (projects that match them, claimed by a unit, tracked to done, linked to 微实事).

A project made for a need marks the need 已立项; when the project is done the need is 已解决.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import need_category
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import copy_changed, linked_totals, live, org_names, year_span
from desktop_app.services.cobuilding.costs import rebook_item
from desktop_app.services.records import settle, unchanged_since, writes
from desktop_app.services.site import center_of
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_cobuilding import ListItem, PartnerUnit
from desktop_app.store.models_service import Project, Visit
from desktop_app.views.cobuilding import ListRow, ThreeLists


def list_rows(s: Session, q) -> list[ListRow]:
    names = org_names(s)
    units = dict(s.execute(select(PartnerUnit.id, PartnerUnit.name)).all())
    projects = dict(s.execute(select(Project.id, Project.name)).all())
    items = list(s.scalars(q))
    titles = dict(s.execute(select(ListItem.id, ListItem.title).where(ListItem.id.in_(
        [i.need_id for i in items if i.need_id] + [i.resource_id for i in items if i.resource_id]))).all())
    linked = linked_totals(s, item_ids=[i.id for i in items if i.list_kind == rules.PROJECT])
    visits = {v.id: (v.visit_date, v.form, v.visitee_name or v.place) for v in s.execute(
        select(Visit.id, Visit.visit_date, Visit.form, Visit.visitee_name, Visit.place)
        .where(Visit.id.in_({i.visit_id for i in items if i.visit_id})))}
    return [ListRow(i.id, i.list_kind, i.title, i.detail, i.category, i.raised_on, i.state, i.grid_id,
                    names.get(i.grid_id or "", ""), i.unit_id, units.get(i.unit_id or "", ""), i.need_id,
                    titles.get(i.need_id or "", ""), i.resource_id, titles.get(i.resource_id or "", ""), i.project_id,
                    projects.get(i.project_id or "", ""), i.claimed_on, i.done_on, linked.get(i.id, 0),
                    visit_id=i.visit_id, **_visit_fields(visits.get(i.visit_id or "")), version=i.version)
            for i in items]


def _visit_fields(visit: tuple | None) -> dict:
    if visit is None:  # no visit, or it is no longer stored
        return {}
    on, form, who = visit
    return {"visit_date": on, "visit_form": form, "visit_visitee": who}


def list_items(db: Database, list_kind: str, year: int | None = None, state: str | None = None,
               text: str = "") -> list[ListRow]:
    """One of the three lists, newest first; open needs and projects stay listed whatever the year."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        q = select(ListItem).where(ListItem.deleted.is_(False), ListItem.list_kind == list_kind)
        if year:
            start, end = year_span(year)
            q = q.where(ListItem.raised_on <= end,
                        (ListItem.raised_on >= start) | ListItem.state.in_((rules.NEED_OPEN, rules.PROJECT_OPEN,
                                                                             rules.PROJECT_CLAIMED, rules.RESOURCE_OPEN)))
        if state:
            q = q.where(ListItem.state == state)
        for term in text.split():
            q = q.where(ListItem.title.contains(term) | ListItem.detail.contains(term))
        return list_rows(s, q.order_by(ListItem.raised_on.desc(), ListItem.title))


_DONE = (rules.NEED_MET, rules.PROJECT_DONE)


def three_lists(db: Database, kinds: Sequence[str] = rules.LIST_KINDS, year: int | None = None, *,
                with_done: bool = True, text: str = "", today: date | None = None) -> ThreeLists:
    """三单 to hand out at the 联席会议: the lists the page shows (same year, search and scope), oldest first.

    `with_done` False leaves out needs 已解决 and projects 已完成, so the meeting sees what is still to do."""
    auth.require(db, "cobuilding.read")
    chosen = tuple(k for k in rules.LIST_KINDS if k in kinds)
    if not chosen:
        raise ValidationError("清单", "请至少选择一张清单")
    lists = {}
    for kind in chosen:
        rows = [r for r in list_items(db, kind, year, text=text) if with_done or r.state not in _DONE]
        lists[kind] = tuple(sorted(rows, key=lambda r: (r.raised_on, r.title)))
    needs = lists.get(rules.NEED, ())
    answers: tuple[tuple[str, str], ...] = ()
    if needs:
        with db.session() as s:  # the projects answering them, whether or not the 项目清单 is printed
            answers = tuple(s.execute(
                select(ListItem.need_id, ListItem.title)
                .where(ListItem.deleted.is_(False), ListItem.list_kind == rules.PROJECT,
                       ListItem.need_id.in_([n.id for n in needs]))
                .order_by(ListItem.raised_on, ListItem.title)).tuples())
    return ThreeLists(today or date.today(), year, chosen, needs, lists.get(rules.RESOURCE, ()),
                      lists.get(rules.PROJECT, ()), answers, with_done, " ".join(text.split()))


def print_cobuilding_lists(db: Database, out: Path, kinds: Sequence[str] = rules.LIST_KINDS,
                           year: int | None = None, *, with_done: bool = True, text: str = "",
                           today: date | None = None, progress: Callable[[int], None] | None = None) -> ThreeLists:
    """共驻共建三单 for the 联席会议 (three_lists' choice), one section per list. Returns what was printed."""
    from desktop_app.reports.cobuilding import render_three_lists  # reportlab loads only when printing

    sheet = three_lists(db, kinds, year, with_done=with_done, text=text, today=today)
    render_three_lists(center_of(db), sheet, out, sheet.as_of, progress=progress)
    return sheet


def _live(s: Session, item_id: str | None, what: str = "清单条目") -> ListItem:
    return live(s, ListItem, item_id, f"该{what}不存在或已删除")


def _one(s: Session, item: ListItem) -> ListRow:
    return list_rows(s, select(ListItem).where(ListItem.id == item.id))[0]


@writes("cobuilding.write")
def save_item(uow: UnitOfWork, item_id: str | None, inp: rules.ListInput, today: date | None = None,
              expected_version: int | None = None) -> ListRow:
    """Add (item_id None) or edit a line of one of the lists; a project names its need and resource.

    `expected_version`: the item's version the form was read at; an item changed since (edited, or a
    project claimed, done or tied to a 微实事) is refused (None: not checked)."""
    clean = rules.check_list_item(inp, today or date.today())
    s = uow.session
    u = s.get(PartnerUnit, clean.unit_id) if clean.unit_id else None
    if clean.unit_id and (u is None or u.deleted):
        raise ValidationError("共建单位", "所选共建单位不存在或已删除")
    if clean.visit_id and s.get(Visit, clean.visit_id) is None:
        raise ValidationError("走访记录", "所选走访记录不存在")
    need = _live(s, clean.need_id, "需求") if clean.need_id else None
    if need is not None and need.list_kind != rules.NEED:
        raise ValidationError("对应需求", "请选择需求清单中的一条")
    if clean.resource_id and _live(s, clean.resource_id, "资源").list_kind != rules.RESOURCE:
        raise ValidationError("对应资源", "请选择资源清单中的一条")
    if item_id:
        item = _live(s, item_id)
        unchanged_since(s, item, expected_version, f"{item.list_kind} {item.title}")
        if item.list_kind != clean.list_kind:
            raise ValidationError("清单", "不能把条目移到另一张清单")
    else:
        item = ListItem(list_kind=clean.list_kind, title=clean.title, raised_on=clean.raised_on,
                        state=rules.FIRST_STATE[clean.list_kind])
        s.add(item)
    left = item.need_id if item_id and item.need_id != clean.need_id else None
    copy_changed(item, clean, ("title", "detail", "category", "raised_on", "grid_id", "unit_id", "need_id",
                               "resource_id"))
    if clean.visit_id:  # an edit that does not name the visit keeps it
        item.visit_id = clean.visit_id
    if need is not None and need.state == rules.NEED_OPEN:
        need.state = rules.NEED_MATCHED
    _reopen_need(s, left)
    return settle(uow, lambda s: _one(s, item))


def _reopen_need(s: Session, need_id: str | None) -> None:
    """A need 已立项 that no project answers any more (its project deleted or pointed at another need) is
    待对接 again: left 已立项 it would drop out of what the worker still has to match, with no project to follow."""
    if not need_id:
        return
    need = s.get(ListItem, need_id)
    if need is None or need.deleted or need.state != rules.NEED_MATCHED:
        return
    s.flush()  # the project's own change first, so it is not counted as still answering
    if s.scalar(select(ListItem.id).where(ListItem.deleted.is_(False), ListItem.list_kind == rules.PROJECT,
                                          ListItem.need_id == need_id)) is None:
        need.state = rules.NEED_OPEN


@writes("cobuilding.write")
def claim_project(uow: UnitOfWork, item_id: str, unit_id: str, on: date | None, today: date | None = None) -> ListRow:
    """A unit claims a project of the list."""
    today = today or date.today()
    s = uow.session
    item = _live(s, item_id, "项目")
    u = live(s, PartnerUnit, unit_id, "请选择共建单位", "认领单位")
    item.claimed_on = rules.check_claim(item.state, on, item.raised_on, today)
    item.unit_id, item.state = u.id, rules.PROJECT_CLAIMED
    return settle(uow, lambda s: _one(s, item))


@writes("cobuilding.write")
def complete_project(uow: UnitOfWork, item_id: str, on: date | None, today: date | None = None) -> ListRow:
    """The project is done; the need it answered is 已解决."""
    today = today or date.today()
    s = uow.session
    item = _live(s, item_id, "项目")
    item.done_on = rules.check_done(item.state, on, item.claimed_on, today)
    item.state = rules.PROJECT_DONE
    if item.need_id:
        need = s.get(ListItem, item.need_id)
        if need is not None and not need.deleted:
            need.state, need.done_on = rules.NEED_MET, item.done_on
    return settle(uow, lambda s: _one(s, item))


@writes("cobuilding.write")
def link_project(uow: UnitOfWork, item_id: str, project_id: str | None) -> ListRow:
    """Tie a project of the list to the 微实事 that carries it out (None unties it); its vouchers follow."""
    s = uow.session
    item = _live(s, item_id, "项目")
    if item.list_kind != rules.PROJECT:
        raise ValidationError("清单", "只有项目清单的条目能关联微实事")
    if project_id:
        live(s, Project, project_id, "所选微实事项目不存在或已删除", "微实事")
    rebook_item(uow.db, s, item, project_id or None)
    item.project_id = project_id or None
    return settle(uow, lambda s: _one(s, item))


def need_from_visit(db: Database, visit_id: str, today: date | None = None) -> ListRow:
    """A problem raised on a visit or 恳谈 goes onto the 需求清单 (once)."""
    auth.require(db, "cobuilding.write")
    with db.session() as s:
        v = live(s, Visit, visit_id, "该走访记录不存在或已删除")
        if s.scalar(select(ListItem.id).where(ListItem.visit_id == v.id, ListItem.deleted.is_(False))):
            raise ValidationError("走访记录", "这次走访反映的问题已在需求清单中")
        inp = rules.ListInput(rules.NEED, (v.content or v.category or "居民需求")[:80], v.content, need_category(v.category),
                              v.visit_date, v.grid_id, visit_id=v.id)
    return save_item(db, None, inp, today)


@writes("cobuilding.write")
def delete_item(uow: UnitOfWork, item_id: str) -> None:
    s = uow.session
    item = _live(s, item_id)
    used = aliased(ListItem)
    if s.scalar(select(used.id).where(used.deleted.is_(False),
                                      (used.need_id == item.id) | (used.resource_id == item.id))):
        raise ValidationError("清单", "已有项目对应这一条，请先修改或删除那个项目")
    item.deleted = True
    if item.list_kind == rules.PROJECT:
        _reopen_need(s, item.need_id)
