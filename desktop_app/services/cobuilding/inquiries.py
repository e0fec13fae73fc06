"""问需服务: asking residents and units what they need, what they said, and what was done about it.

An inquiry is its own record: who was asked (a resident or a partner unit), by
whom, how, about what, and the answer. What it raised either goes onto the
需求清单 (the need remembers nothing of the inquiry; the inquiry points at the
need and shows its state), or is settled directly (已办结), or nothing was
needed (无需求).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import need_category
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import copy_changed, live, org_names, tombstone, year_span
from desktop_app.services.records import settle, unchanged_since, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Organization, Resident
from desktop_app.store.models_cobuilding import Inquiry, ListItem, PartnerUnit
from desktop_app.views.cobuilding import InquiryRow

EDITABLE = ("inquiry_date", "channel", "party_kind", "unit_id", "resident_id", "asked_name", "asked_by", "topic",
            "answer", "grid_id")


def _rows(s: Session, q) -> list[InquiryRow]:
    items = list(s.scalars(q))
    names = org_names(s)
    needs = {i.id: f"{i.title}（{i.state}）" for i in s.scalars(select(ListItem).where(
        ListItem.id.in_([x.need_id for x in items if x.need_id])))}
    return [InquiryRow(i.id, i.inquiry_date, i.channel, i.party_kind, i.unit_id, i.resident_id, i.asked_name,
                       i.asked_by, i.topic, i.answer, i.state, i.grid_id, names.get(i.grid_id or "", ""), i.need_id,
                       needs.get(i.need_id or "", ""), i.follow_up, i.done_on, i.version) for i in items]


def list_inquiries(db: Database, year: int | None = None, state: str | None = None, text: str = "",
                   unit_id: str | None = None) -> list[InquiryRow]:
    """Inquiries newest first; open ones stay listed whatever the year."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        q = select(Inquiry).where(Inquiry.deleted.is_(False))
        if year:
            start, end = year_span(year)
            q = q.where(Inquiry.inquiry_date <= end,
                        (Inquiry.inquiry_date >= start) | (Inquiry.state == rules.INQUIRY_OPEN))
        if state:
            q = q.where(Inquiry.state == state)
        if unit_id:
            q = q.where(Inquiry.unit_id == unit_id)
        for term in text.split():
            q = q.where(Inquiry.asked_name.contains(term) | Inquiry.topic.contains(term)
                        | Inquiry.answer.contains(term) | Inquiry.follow_up.contains(term))
        return _rows(s, q.order_by(Inquiry.inquiry_date.desc(), Inquiry.asked_name))


def _live(s: Session, inquiry_id: str) -> Inquiry:
    return live(s, Inquiry, inquiry_id, "该问需记录不存在或已删除")


def _one(s: Session, i: Inquiry) -> InquiryRow:
    s.flush()
    return _rows(s, select(Inquiry).where(Inquiry.id == i.id))[0]


@writes("cobuilding.write")
def save_inquiry(uow: UnitOfWork, inquiry_id: str | None, inp: rules.InquiryInput,
                 today: date | None = None, expected_version: int | None = None) -> InquiryRow:
    """Record (inquiry_id None) or correct an inquiry; a resident asked lends their grid when none is given.
    `expected_version`: the version the form was read at; an inquiry changed since is refused."""
    clean = rules.check_inquiry(inp, today or date.today())
    s = uow.session
    if clean.unit_id:
        live(s, PartnerUnit, clean.unit_id, "所选共建单位不存在或已删除", "共建单位")
    if clean.resident_id:
        r = live(s, Resident, clean.resident_id, "所选居民不存在或已删除", "问需对象")
        clean.grid_id = clean.grid_id or r.grid_id
    if clean.grid_id and s.get(Organization, clean.grid_id) is None:
        raise ValidationError("网格", "所选网格不存在")
    if inquiry_id:
        i = _live(s, inquiry_id)
        unchanged_since(s, i, expected_version, f"问需 {i.asked_name}")
    else:
        i = Inquiry(state=rules.INQUIRY_OPEN)
        s.add(i)
    copy_changed(i, clean, EDITABLE)
    return settle(uow, lambda s: _one(s, i))


@writes("cobuilding.write")
def inquiry_to_need(uow: UnitOfWork, inquiry_id: str, today: date | None = None) -> InquiryRow:
    """Put what an open inquiry raised onto the 需求清单, in the same transaction."""
    today = today or date.today()
    s = uow.session
    i = _live(s, inquiry_id)
    if i.state != rules.INQUIRY_OPEN:
        raise ValidationError("状态", f"这条问需已{i.state}，不能再转为需求")
    # 问需服务 says where the need came from, not what it is about: the list's 类别 has no word for it,
    # so it falls to 其他 like an unknown visit category (the 说明 keeps what was said).
    need = rules.check_list_item(rules.ListInput(
        rules.NEED, (i.answer or i.topic)[:80],
        f"{i.inquiry_date.isoformat()} {i.channel}问需 {i.asked_name}：{i.answer}", need_category("问需服务"), today,
        i.grid_id), today)
    item = ListItem(list_kind=rules.NEED, title=need.title, detail=need.detail, category=need.category,
                    raised_on=need.raised_on, state=rules.NEED_OPEN, grid_id=need.grid_id)
    s.add(item)
    s.flush()
    i.need_id, i.state = item.id, rules.INQUIRY_TO_NEED
    return settle(uow, lambda s: _one(s, i))


@writes("cobuilding.write")
def close_inquiry(uow: UnitOfWork, inquiry_id: str, outcome: str, follow_up: str, on: date | None,
                  today: date | None = None) -> InquiryRow:
    """已办结 (what was done) or 无需求; an inquiry already on the 需求清单 may also be closed here."""
    s = uow.session
    i = _live(s, inquiry_id)
    i.state, i.follow_up, i.done_on = rules.check_inquiry_close(
        i.state, outcome, follow_up, on, i.inquiry_date, today or date.today())
    return settle(uow, lambda s: _one(s, i))


def delete_inquiry(db: Database, inquiry_id: str) -> None:
    """Tombstone an inquiry; a need it put on the 需求清单 stays there."""
    tombstone(db, Inquiry, inquiry_id, "该问需记录不存在或已删除")
