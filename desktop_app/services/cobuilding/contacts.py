"""楼门书记 / 党员联系户 and the 兼职委员 of the 大工委 / 大党委.

A contact ties a member to a building (楼门书记) or a household (联系户) in a
grid; a grid's contacts print as its 联系表. A 兼职委员 is a unit's party leader
sitting on the street's or the community's big committee for a term.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain import idcard
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import (
    copy_changed, end_row, latin_match, live, org_names, search_terms, tombstone,
)
from desktop_app.services.residents import household_label
from desktop_app.services.records import settle, unchanged_since, writes
from desktop_app.services.site import center_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Household, Member, Organization
from desktop_app.store.models_cobuilding import CommitteeSeat, Contact, PartnerUnit
from desktop_app.views.cobuilding import ContactRow, SeatRow


def _contact_rows(s: Session, q) -> list[ContactRow]:
    names = org_names(s)
    mobiles = dict(s.execute(select(Member.id, Member.mobile)).all())
    return [ContactRow(c.id, c.member_id, c.member_name, idcard.mask_phone(mobiles.get(c.member_id) or ""), c.role,
                       c.grid_id, names.get(c.grid_id or "", ""), c.building, c.household_label, c.since)
            for c in s.scalars(q)]


def list_contacts(db: Database, grid_id: str | None = None, text: str = "") -> list[ContactRow]:
    """Current contacts by grid, member and building."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        q = select(Contact).where(Contact.deleted.is_(False), Contact.ended_on.is_(None))
        if grid_id:
            q = q.where(Contact.grid_id == grid_id)
        words, latin = search_terms(text)
        for term in words:
            q = q.where(Contact.member_name.contains(term) | Contact.building.contains(term)
                        | Contact.household_label.contains(term))
        rows = _contact_rows(s, q.order_by(Contact.grid_id, Contact.member_name, Contact.role.desc(),
                                           Contact.building, Contact.household_label))
    return [r for r in rows if all(latin_match(t, r.member_name, r.building, r.household_label) for t in latin)]


@writes("cobuilding.write")
def save_contact(uow: UnitOfWork, contact_id: str | None, inp: rules.ContactInput, today: date | None = None) -> ContactRow:
    clean = rules.check_contact(inp, today or date.today())
    s = uow.session
    m = live(s, Member, clean.member_id, "所选党员不存在或已删除", "党员")
    label, grid = "", clean.grid_id
    if clean.household_id:
        h = live(s, Household, clean.household_id, "所选住户不存在或已删除", "住户")
        label, grid = household_label(h.building, h.unit, h.room, h.address), grid or h.grid_id
    if grid:
        live(s, Organization, grid, "所选网格不存在或已删除", "网格")
    if contact_id:
        c = live(s, Contact, contact_id, "该联系记录不存在或已删除")
    else:
        c = Contact(member_id=m.id, member_name=m.name, role=clean.role)
        s.add(c)
    c.member_id, c.member_name, c.role, c.grid_id = m.id, m.name, clean.role, grid or m.org_id
    c.building, c.household_id, c.household_label, c.since = clean.building, clean.household_id, label, clean.since
    s.flush()
    [row] = _contact_rows(s, select(Contact).where(Contact.id == c.id))
    return row


def end_contact(db: Database, contact_id: str, on: date | None, today: date | None = None) -> None:
    auth.require(db, "cobuilding.write")
    end_row(db, Contact, contact_id, on, "该联系记录不存在或已结束", "since", "开始日期", today)


def print_contact_sheet(db: Database, out: Path, grid_id: str | None = None, *, today: date | None = None) -> int:
    """联系表 of a grid (or every grid): 楼门书记 with their buildings, members with the households they keep
    in touch with. Returns the lines printed."""
    from desktop_app.reports.cobuilding import render_contact_sheet

    rows = list_contacts(db, grid_id)
    with db.session() as s:
        center = center_name(s)
        grid = org_names(s).get(grid_id or "", "") if grid_id else ""
    render_contact_sheet(center, grid, rows, out, today or date.today())
    return len(rows)


# ---------------------------------------------------------------- 兼职委员


def list_seats(db: Database, level: str | None = None, current_only: bool = True,
               today: date | None = None) -> list[SeatRow]:
    auth.require(db, "cobuilding.read")
    today = today or date.today()
    with db.session() as s:
        q = select(CommitteeSeat).where(CommitteeSeat.deleted.is_(False))
        if level:
            q = q.where(CommitteeSeat.level == level)
        if current_only:
            q = q.where((CommitteeSeat.term_end.is_(None)) | (CommitteeSeat.term_end >= today))
        return [_seat_row(c) for c in s.scalars(q.order_by(CommitteeSeat.level, CommitteeSeat.unit_name, CommitteeSeat.name))]


def _seat_row(c: CommitteeSeat) -> SeatRow:
    return SeatRow(c.id, c.level, c.name, c.unit_id, c.unit_name, c.post, c.phone, c.term_start, c.term_end, c.version)


@writes("cobuilding.write")
def save_seat(uow: UnitOfWork, seat_id: str | None, inp: rules.SeatInput, today: date | None = None,
              expected_version: int | None = None) -> SeatRow:
    """`expected_version`: the seat's version the form was read at; a change since is refused."""
    clean = rules.check_seat(inp, today or date.today())
    s = uow.session
    uname = ""
    if clean.unit_id:
        u = live(s, PartnerUnit, clean.unit_id, "所选共建单位不存在或已删除", "所在单位")
        uname = u.name
    if seat_id:
        c = live(s, CommitteeSeat, seat_id, "该委员记录不存在或已删除")
        unchanged_since(s, c, expected_version, f"兼职委员 {c.name}")
    else:
        c = CommitteeSeat(level=clean.level, name=clean.name, term_start=clean.term_start)
        s.add(c)
    copy_changed(c, clean, ("level", "name", "unit_id", "post", "phone", "term_start", "term_end"))
    c.unit_name = uname
    return settle(uow, lambda s: _seat_row(c))


def delete_seat(db: Database, seat_id: str) -> None:
    tombstone(db, CommitteeSeat, seat_id, "该委员记录不存在或已删除")
