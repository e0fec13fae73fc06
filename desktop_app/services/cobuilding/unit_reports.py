"""单位报到: a partner unit reports to the community, takes things on (认领), serves, and is rated each year (评价).

A unit has at most one 报到 in force. What it did is one list of dated items:
认领 (a post the community offers, a project of the 项目清单, or anything named),
服务 (a service with how many people came and their hours in all) and 评价
(the year's grade). The unit's page adds the year's activities and the
projects it claimed, so the community can show what each unit did this year.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.service_flow import check_day
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import activity_rows, live, org_names, tombstone, year_span
from desktop_app.services.cobuilding.lists import list_rows
from desktop_app.services.records import assign, in_force, over_children, settle, unchanged_since, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_cobuilding import (
    Activity, ActivityUnit, ListItem, PartnerUnit, ReportingPost, UnitReport, UnitReportItem,
)
from desktop_app.views.cobuilding import ReportItemRow, UnitReportDetail, UnitReportRow

GONE = "该单位报到记录不存在或已删除"


def _rows(s: Session, reports: list[UnitReport], year: int) -> list[UnitReportRow]:
    if not reports:
        return []
    start, end = year_span(year)
    ids = [r.id for r in reports]
    names = org_names(s)
    claims: dict[str, int] = defaultdict(int)
    services: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    grades: dict[str, str] = {}
    for it in s.scalars(select(UnitReportItem).where(UnitReportItem.report_id.in_(ids),
                                                     UnitReportItem.deleted.is_(False))):
        if it.kind == rules.CLAIM and it.ended_on is None:
            claims[it.report_id] += 1
        elif it.kind == rules.SERVICE and start <= it.item_date <= end:
            services[it.report_id][0] += 1
            services[it.report_id][1] += it.hours_tenths
        elif it.kind == rules.REVIEW and it.year == year:
            grades[it.report_id] = it.title
    acts = dict(s.execute(
        select(ActivityUnit.unit_id, func.count(func.distinct(ActivityUnit.activity_id)))
        .join(Activity, Activity.id == ActivityUnit.activity_id)
        .where(ActivityUnit.deleted.is_(False), Activity.deleted.is_(False),
               Activity.activity_date.between(start, end), ActivityUnit.unit_id.in_([r.unit_id for r in reports]))
        .group_by(ActivityUnit.unit_id)).all())
    return [UnitReportRow(r.id, r.unit_id, r.unit_name, r.org_id, names.get(r.org_id or "", ""), r.reported_on,
                          r.liaison, idcard.mask_phone(r.phone), r.promise, r.ended_on, claims[r.id],
                          *services[r.id], int(acts.get(r.unit_id, 0)), grades.get(r.id, ""), r.version)
            for r in reports]


def list_unit_reports(db: Database, year: int, text: str = "", serving_only: bool = False) -> list[UnitReportRow]:
    """Units that reported, by unit name, with the year's services, hours, activities and 评价."""
    auth.require(db, "cobuilding.read")
    start, end = year_span(year)
    with db.session() as s:
        q = select(UnitReport).where(UnitReport.deleted.is_(False),
                                     *in_force(UnitReport.reported_on, UnitReport.ended_on, start, end))
        if serving_only:
            q = q.where(UnitReport.ended_on.is_(None))
        for term in text.split():
            q = q.where(UnitReport.unit_name.contains(term) | UnitReport.liaison.contains(term)
                        | UnitReport.promise.contains(term))
        return _rows(s, list(s.scalars(q.order_by(UnitReport.unit_name, UnitReport.reported_on))), year)


def _item_row(i: UnitReportItem) -> ReportItemRow:
    return ReportItemRow(i.id, i.kind, i.item_date, i.title, i.post_id, i.list_item_id, i.people, i.hours_tenths,
                         i.year, i.notes, i.ended_on)


def get_unit_report(db: Database, report_id: str, year: int) -> UnitReportDetail:
    """A reporting unit's page for `year`: open and the year's 认领, services, every 评价, activities, projects."""
    auth.require(db, "cobuilding.read")
    start, end = year_span(year)
    with db.session() as s:
        r = live(s, UnitReport, report_id, GONE)
        items = [_item_row(i) for i in s.scalars(
            select(UnitReportItem).where(UnitReportItem.report_id == r.id, UnitReportItem.deleted.is_(False))
            .order_by(UnitReportItem.kind, UnitReportItem.item_date.desc()))
            if i.kind == rules.REVIEW or start <= i.item_date <= end
            or (i.kind == rules.CLAIM and i.item_date <= end and (i.ended_on is None or i.ended_on >= start))]
        act_ids = list(s.scalars(select(ActivityUnit.activity_id).where(
            ActivityUnit.unit_id == r.unit_id, ActivityUnit.deleted.is_(False))))
        projects = list_rows(s, select(ListItem).where(
            ListItem.deleted.is_(False), ListItem.list_kind == rules.PROJECT, ListItem.unit_id == r.unit_id)
            .order_by(ListItem.raised_on.desc()))
        return UnitReportDetail(_rows(s, [r], year)[0], year, tuple(items),
                                tuple(activity_rows(s, year, ids=act_ids)) if act_ids else (), tuple(projects))


@writes("cobuilding.write")
def save_unit_report(uow: UnitOfWork, report_id: str | None, inp: rules.UnitReportInput,
                     today: date | None = None, expected_version: int | None = None) -> UnitReportRow:
    """Register (report_id None) or correct a unit's 报到; a unit has one 报到 in force at a time.

    A blank phone on a correction keeps the stored number (the page only ever shows it masked).
    `expected_version`: the 报到's version the form was read at; a change since is refused."""
    clean = rules.check_unit_report(inp, today or date.today())
    s = uow.session
    u = live(s, PartnerUnit, clean.unit_id, "所选共建单位不存在或已删除", "共建单位")
    if clean.org_id and s.get(Organization, clean.org_id) is None:
        raise ValidationError("报到组织", "所选党组织不存在")
    other = s.scalar(select(UnitReport.id).where(UnitReport.unit_id == u.id, UnitReport.deleted.is_(False),
                                                 UnitReport.ended_on.is_(None), UnitReport.id != (report_id or "")))
    if other:
        raise Conflict(f"“{u.name}”已经报到，请在原来的报到记录上登记")
    if report_id:
        r = live(s, UnitReport, report_id, GONE)
        unchanged_since(s, r, expected_version, f"单位报到 {r.unit_name}")
        if r.unit_id != u.id:
            raise ValidationError("共建单位", "不能把报到记录改到另一个单位")
        first = over_children(s, func.min(UnitReportItem.item_date), UnitReportItem.report_id, r.id)
        if first is not None and clean.reported_on > first:
            raise ValidationError("报到日期", f"已有 {first.isoformat()} 的记录，报到日期不能晚于它")
    else:
        r = UnitReport(unit_id=u.id, unit_name=u.name, reported_on=clean.reported_on)
        s.add(r)
    values = {"unit_name": u.name, "reported_on": clean.reported_on, "org_id": clean.org_id,
              "liaison": clean.liaison, "promise": clean.promise}
    if clean.phone or not report_id:  # the page shows the number masked: an edit left blank keeps it
        values["phone"] = clean.phone
    assign(r, values)
    return settle(uow, lambda s: _rows(s, [r], (today or date.today()).year)[0])


@writes("cobuilding.write")
def end_unit_report(uow: UnitOfWork, report_id: str, on: date | None, today: date | None = None) -> None:
    """The unit no longer reports here (its record and what it did stay)."""
    r = live(uow.session, UnitReport, report_id, GONE)
    if r.ended_on is not None:
        raise ValidationError("状态", f"已于 {r.ended_on.isoformat()} 结束报到")
    r.ended_on = check_day(on, "结束日期", today or date.today(), r.reported_on, "报到日期")


@writes("cobuilding.write")
def add_report_item(uow: UnitOfWork, report_id: str, inp: rules.ReportItemInput,
                    today: date | None = None) -> ReportItemRow:
    """A 认领, a service or the year's 评价 (a second 评价 of the same year replaces the first)."""
    s = uow.session
    r = live(s, UnitReport, report_id, GONE)
    clean = rules.check_report_item(inp, r.reported_on, today or date.today())
    if clean.post_id:
        post = live(s, ReportingPost, clean.post_id, "所选岗位不存在或已删除")
        clean.title = clean.title or post.name
    if clean.list_item_id:
        item = live(s, ListItem, clean.list_item_id, "所选项目不存在或已删除")
        if item.list_kind != rules.PROJECT:
            raise ValidationError("认领项目", "请选择项目清单中的一条")
        clean.title = clean.title or item.title
    row = None
    if clean.kind == rules.REVIEW:
        row = s.scalar(select(UnitReportItem).where(
            UnitReportItem.report_id == r.id, UnitReportItem.kind == rules.REVIEW,
            UnitReportItem.year == clean.year, UnitReportItem.deleted.is_(False)))
    if row is None:
        row = UnitReportItem(report_id=r.id, kind=clean.kind, item_date=clean.item_date, title=clean.title)
        s.add(row)
    assign(row, {"item_date": clean.item_date, "title": clean.title, "post_id": clean.post_id,
                      "list_item_id": clean.list_item_id, "people": clean.people,
                      "hours_tenths": clean.hours_tenths, "year": clean.year, "notes": clean.notes})
    return settle(uow, lambda s: _item_row(row))


@writes("cobuilding.write")
def end_report_item(uow: UnitOfWork, item_id: str, on: date | None, today: date | None = None) -> ReportItemRow:
    """A 认领 is done or given up on `on`."""
    i = live(uow.session, UnitReportItem, item_id, "该记录不存在或已删除")
    if i.kind != rules.CLAIM or i.ended_on is not None:
        raise ValidationError("状态", "只有进行中的认领可以结束")
    i.ended_on = check_day(on, "结束日期", today or date.today(), i.item_date, "认领日期")
    return settle(uow, lambda s: _item_row(i))


def delete_report_item(db: Database, item_id: str) -> None:
    tombstone(db, UnitReportItem, item_id, "该记录不存在或已删除")
