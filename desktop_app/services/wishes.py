"""微心愿: a resident's wish is posted, claimed by a member or a partner unit, and fulfilled.

待认领 → 已认领 → 已实现; a claim can be withdrawn, which puts the wish back
on the board (待认领). Every claim is kept in wish_claim with how it ended,
and the wish carries its current claimant for lists and cards. A wish counts
as fulfilled on the day it was fulfilled (fulfilled_counts).

共建单位 (partner units) are kept here too, as the claimants that are not members.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.service_flow import WishInput
from desktop_app.services import attachments, auth
from desktop_app.services.records import (
    any_like, assign, chosen, given, in_year, keep_files, live_in_grid, next_year_number, settle, stored_file, tombstone_children,
    unchanged_since, within, writes,
)
from desktop_app.services.residents import (
    NO_GRID, check_grid, grid_names, household_label, live, name_match, resident_place, text_terms,
)
from desktop_app.services.site import center_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Household, Member, Resident
from desktop_app.store.models_service import PartnerUnit, Wish, WishClaim, WishPhoto
from desktop_app.views.wishes import (  # noqa: F401  re-exported
    ClaimRow, PartnerUnitRow, WishDetail, WishPhotoRow, WishRow,
)

PREFIX = "XY"  # 心愿编号 XY2024-001
MAX_PHOTO_BYTES = 20 * 1024 * 1024  # as a 共建活动's photos

# ---------------------------------------------------------------- value types


@dataclass
class WishFilter:
    text: str = ""
    state: str | None = None
    grid_id: str | None = None
    year: int | None = None  # in this year, by `year_of`
    # which date `year` reads: "posted" 发布, "claimed" 认领 (the current claim), "fulfilled" 实现 — the 工作台
    # counts claimed and fulfilled wishes by the year they were claimed or fulfilled, and opens this list so
    year_of: str = "posted"
    fulfilled_from: date | None = None
    fulfilled_to: date | None = None


# ---------------------------------------------------------------- partner units


def list_units(db: Database) -> list[PartnerUnitRow]:
    auth.require(db, "wishes.read")
    with db.session() as s:
        claims = dict(s.execute(
            select(WishClaim.unit_id, func.count()).where(
                WishClaim.deleted.is_(False), WishClaim.unit_id.is_not(None),
                WishClaim.status != flow.CLAIM_WITHDRAWN,
            ).group_by(WishClaim.unit_id)
        ).all())
        return [
            PartnerUnitRow(u.id, u.name, u.contact_person, u.phone, u.notes, claims.get(u.id, 0), u.version)
            for u in s.scalars(select(PartnerUnit).where(PartnerUnit.deleted.is_(False)).order_by(PartnerUnit.name))
        ]


@writes("settings.write")
def save_unit(uow: UnitOfWork, unit_id: str | None, name: str, contact_person: str = "", phone: str = "",
              notes: str = "", *, expected_version: int | None = None) -> PartnerUnitRow:
    """Create (unit_id None) or update a partner unit; names are unique among live units.
    `expected_version`: the version the form was read at; a unit changed since is refused."""
    name = flow.required(name, "单位名称", limit=60)
    contact_person = flow.optional(contact_person, "联系人", 40)
    phone = flow.phone(phone, "联系电话")
    notes = flow.optional(notes, "备注", 1000)
    s = uow.session
    other = s.scalar(select(PartnerUnit.id).where(PartnerUnit.name == name, PartnerUnit.deleted.is_(False)))
    if other and other != unit_id:
        raise ValidationError("单位名称", f"“{name}”已经登记过")
    u = live(s, PartnerUnit, unit_id, "共建单位") if unit_id else PartnerUnit(name=name)
    if unit_id:
        unchanged_since(s, u, expected_version, f"共建单位 {u.name}")
    assign(u, {"name": name, "contact_person": contact_person, "phone": phone, "notes": notes})
    s.add(u)
    s.flush()
    return PartnerUnitRow(u.id, u.name, u.contact_person, u.phone, u.notes, 0)


@writes("settings.write")
def delete_unit(uow: UnitOfWork, unit_id: str) -> None:
    """Tombstone a partner unit that holds no open claim (past claims keep its name)."""
    u = live(uow.session, PartnerUnit, unit_id, "共建单位")
    refuse_open_claims(uow.session, u)
    u.deleted = True


def refuse_open_claims(s: Session, u: PartnerUnit) -> None:
    """A unit still holding a wish it claimed cannot be deleted (the 共建单位 register asks this too)."""
    open_claims = s.scalar(select(func.count()).select_from(WishClaim).where(
        WishClaim.unit_id == u.id, WishClaim.status == flow.CLAIM_ACTIVE, WishClaim.deleted.is_(False)))
    if open_claims:
        raise Conflict(f"“{u.name}”还有 {open_claims} 个认领中的心愿，请先实现或撤回认领后再删除")


# ---------------------------------------------------------------- reading


YEAR_OF = {"posted": Wish.posted_on, "claimed": Wish.claimed_on, "fulfilled": Wish.fulfilled_on}
YEAR_OF_LABELS = (("发布", "posted"), ("认领", "claimed"), ("实现", "fulfilled"))
_YEAR_WORD = {key: word for word, key in YEAR_OF_LABELS}


def _conditions(flt: WishFilter) -> list[ColumnElement]:
    c: list[ColumnElement] = [
        Wish.deleted.is_(False), *given((Wish.state, flt.state), (Wish.grid_id, flt.grid_id)),
        *in_year(flt.year, YEAR_OF.get(flt.year_of, Wish.posted_on)),
        *within(Wish.fulfilled_on, flt.fulfilled_from, flt.fulfilled_to),
    ]
    for term in text_terms(flt.text):
        residents = select(Resident.id).where(or_(*name_match(
            term, Resident.name, Resident.name_pinyin, Resident.name_initials)))
        c.append(or_(*any_like(term, Wish.wisher_name, Wish.content, Wish.claimant_name, Wish.wish_no),
                     Wish.resident_id.in_(residents)))
    return c


def _row(w: Wish, names: dict[str, str], address: str, photos: int = 0) -> WishRow:
    return WishRow(
        id=w.id, wish_no=w.wish_no, wisher_name=w.wisher_name, grid_id=w.grid_id,
        grid_name=names.get(w.grid_id or "", NO_GRID), address=address, content=w.content,
        background=w.background, estimated_fen=w.estimated_fen, posted_on=w.posted_on, state=w.state,
        claimant_kind=w.claimant_kind, claimant_name=w.claimant_name, claimed_on=w.claimed_on,
        fulfilled_on=w.fulfilled_on, fulfil_note=w.fulfil_note, photos=photos,
    )


def list_wishes(db: Database, flt: WishFilter | None = None) -> list[WishRow]:
    """Wishes matching `flt`: waiting ones first (oldest first), then claimed, then fulfilled."""
    flt = flt or WishFilter()
    order = {flow.WISH_POSTED: 0, flow.WISH_CLAIMED: 1, flow.WISH_FULFILLED: 2}
    q = (
        select(Wish, Household.building, Household.unit, Household.room, Household.address)
        .outerjoin(Household, Household.id == Wish.household_id)
        .where(*_conditions(flt))
        .where(auth.scoped(db, "wishes.read", Wish.grid_id))
    )
    with db.session() as s:
        names = grid_names(s)
        found = s.execute(q).all()
        photos = _photo_counts(s, [w.id for w, *_ in found])
        rows = [_row(w, names, household_label(b or "", u or "", r or "", a or ""), photos.get(w.id, 0))
                for w, b, u, r, a in found]
    return sorted(rows, key=lambda r: (order.get(r.state, 3), r.fulfilled_on and -r.fulfilled_on.toordinal() or 0,
                                       r.posted_on, r.wish_no))


def find_wishes(db: Database, text: str, limit: int = 20) -> list[WishRow]:
    """Wishes by the person who made them: 心愿人, or the resident behind the wish by pinyin too (查找 answers a
    caller asking after their wish). Newest first; the list's search reads content and claimant as well."""
    terms = text_terms(text)
    if not terms:
        return []
    q = (
        select(Wish, Household.building, Household.unit, Household.room, Household.address)
        .outerjoin(Household, Household.id == Wish.household_id)
        .where(Wish.deleted.is_(False), auth.scoped(db, "wishes.read", Wish.grid_id))
    )
    for term in terms:
        residents = select(Resident.id).where(or_(*name_match(
            term, Resident.name, Resident.name_pinyin, Resident.name_initials)))
        q = q.where(or_(*any_like(term, Wish.wisher_name), Wish.resident_id.in_(residents)))
    with db.session() as s:
        names = grid_names(s)
        found = s.execute(q.order_by(Wish.posted_on.desc(), Wish.wish_no.desc(), Wish.id).limit(limit)).all()
        return [_row(w, names, household_label(b or "", u or "", r or "", a or "")) for w, b, u, r, a in found]


def _photo_counts(s: Session, wish_ids: list[str]) -> dict[str, int]:
    """Live photos per wish, for the list's column (in chunks: a year's wishes may exceed a bound list)."""
    out: dict[str, int] = {}
    for start in range(0, len(wish_ids), 500):
        out.update(s.execute(select(WishPhoto.wish_id, func.count()).where(
            WishPhoto.wish_id.in_(wish_ids[start:start + 500]), WishPhoto.deleted.is_(False))
            .group_by(WishPhoto.wish_id)).all())
    return out


def _photos(s: Session, wish_id: str) -> tuple[WishPhotoRow, ...]:
    return tuple(WishPhotoRow.of(p) for p in s.scalars(
        select(WishPhoto).where(WishPhoto.wish_id == wish_id, WishPhoto.deleted.is_(False))
        .order_by(WishPhoto.created_at, WishPhoto.id)))


def _detail(s: Session, w: Wish) -> WishDetail:
    h = s.get(Household, w.household_id) if w.household_id else None
    claims = s.scalars(
        select(WishClaim).where(WishClaim.wish_id == w.id, WishClaim.deleted.is_(False))
        .order_by(WishClaim.claimed_on, WishClaim.created_at)
    ).all()
    return WishDetail(
        **{f.name: getattr(w, f.name) for f in fields(WishInput)},
        id=w.id, wish_no=w.wish_no, state=w.state, grid_name=grid_names(s).get(w.grid_id or "", NO_GRID),
        address=household_label(h.building, h.unit, h.room, h.address) if h else "",
        claimant_kind=w.claimant_kind, claimant_member_id=w.claimant_member_id,
        claimant_unit_id=w.claimant_unit_id, claimant_name=w.claimant_name, claimed_on=w.claimed_on,
        fulfilled_on=w.fulfilled_on, fulfil_note=w.fulfil_note,
        claims=tuple(ClaimRow(c.id, c.claimant_kind, c.claimant_name, c.claimed_on, c.status, c.ended_on, c.note)
                     for c in claims),
        photos=_photos(s, w.id),
        version=w.version,
    )


def get_wish(db: Database, wish_id: str) -> WishDetail:
    with db.session() as s:
        w = live_in_grid(db, s, Wish, wish_id, "心愿", "wishes.read")
        return _detail(s, w)


def fulfilled_counts(db: Database, year: int, grid_id: str | None = None) -> dict[int, int]:
    """Wishes fulfilled in each month of `year` (1..12), counted by fulfilment date."""
    q = select(extract("month", Wish.fulfilled_on), func.count()).where(
        Wish.deleted.is_(False), Wish.state == flow.WISH_FULFILLED,
        Wish.fulfilled_on.between(date(year, 1, 1), date(year, 12, 31)),
    )
    q = q.where(auth.scoped(db, "wishes.read", Wish.grid_id))  # a 网格员 counts their own grids
    if grid_id:
        q = q.where(Wish.grid_id == grid_id)
    with db.session() as s:
        found = {int(m): n for m, n in s.execute(q.group_by(extract("month", Wish.fulfilled_on)))}
    return {m: found.get(m, 0) for m in range(1, 13)}


# ---------------------------------------------------------------- writing


def _place(s: Session, clean: WishInput) -> tuple[str | None, str | None, str | None, str]:
    if clean.resident_id or clean.household_id:
        resident, household, grid, name = resident_place(s, clean.resident_id, clean.household_id)
        return (resident.id if resident else None, household.id if household else None,
                grid or check_grid(s, clean.grid_id), resident.name if resident else clean.wisher_name or name)
    return None, None, check_grid(s, clean.grid_id), clean.wisher_name


def post_wish(db: Database, inp: WishInput, today: date | None = None) -> WishDetail:
    """Put a wish on the board (待认领), numbered XY<year>-NNN by its posting year."""
    today = today or date.today()
    if (inp.resident_id or inp.household_id) and not inp.wisher_name.strip():
        with db.session() as s:
            _r, _h, _g, name = resident_place(s, inp.resident_id, inp.household_id)
        inp = WishInput(**{**{f.name: getattr(inp, f.name) for f in fields(WishInput)}, "wisher_name": name})
    clean = flow.check_wish(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        resident_id, household_id, grid_id, name = _place(s, clean)
        auth.require(db, "wishes.write", grid_id=grid_id)
        w = Wish(
            wish_no=next_year_number(s, Wish.wish_no, PREFIX, clean.posted_on.year),
            resident_id=resident_id, household_id=household_id,
            wisher_name=name, grid_id=grid_id, content=clean.content, background=clean.background,
            estimated_fen=clean.estimated_fen, posted_on=clean.posted_on, state=flow.WISH_POSTED,
            claimant_kind="", claimant_name="", fulfil_note="", notes=clean.notes,
        )
        s.add(w)
        return settle(uow, _detail, w)


def update_wish(db: Database, wish_id: str, inp: WishInput, today: date | None = None,
                expected_version: int | None = None) -> WishDetail:
    """`expected_version`: the version the form was read at; a wish changed since (claimed, edited) is refused."""
    today = today or date.today()
    clean = flow.check_wish(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        w = _writable(db, s, wish_id)
        unchanged_since(s, w, expected_version, f"心愿 {w.wish_no}")
        if w.claimed_on and clean.posted_on > w.claimed_on:
            raise ValidationError("发布日期", f"不能晚于认领日期（{w.claimed_on.isoformat()}）")
        resident_id, household_id, grid_id, name = _place(s, clean)
        auth.require(db, "wishes.write", grid_id=grid_id)  # and the grid it moves to
        assign(w, {
            "resident_id": resident_id, "household_id": household_id, "wisher_name": name, "grid_id": grid_id,
            "content": clean.content, "background": clean.background, "estimated_fen": clean.estimated_fen,
            "posted_on": clean.posted_on, "notes": clean.notes,
        })
        return settle(uow, _detail, w)


def _writable(db: Database, s: Session, wish_id: str) -> Wish:
    """The live wish, refused unless the user may write in its grid."""
    return live_in_grid(db, s, Wish, wish_id, "心愿", "wishes.write")


def _active_claim(s: Session, w: Wish) -> WishClaim | None:
    return s.scalars(select(WishClaim).where(
        WishClaim.wish_id == w.id, WishClaim.status == flow.CLAIM_ACTIVE, WishClaim.deleted.is_(False)
    ).order_by(WishClaim.created_at.desc())).first()


def _end_claim(s: Session, w: Wish, status: str, on: date) -> WishClaim | None:
    """The wish's current claim ends (withdrawn or fulfilled) on `on`; None when it had none."""
    claim = _active_claim(s, w)
    if claim is not None:
        claim.status, claim.ended_on = status, on
    return claim


def claim_wish(
    db: Database, wish_id: str, claimed_on: date | None, member_id: str | None = None,
    unit_id: str | None = None, note: str = "", today: date | None = None,
) -> WishDetail:
    """A member (member_id) or a partner unit (unit_id) takes on a posted wish."""
    today = today or date.today()
    if bool(member_id) == bool(unit_id):
        raise ValidationError("认领人", "请选择一名认领的党员或一个共建单位")
    with UnitOfWork(db) as uow:
        s = uow.session
        w = _writable(db, s, wish_id)
        if member_id:
            m = chosen(s, Member, member_id, "认领人", "党员")
            kind, name = flow.CLAIMANT_MEMBER, m.name
        else:
            u = chosen(s, PartnerUnit, unit_id, "认领人", "共建单位")
            kind, name = flow.CLAIMANT_UNIT, u.name
        if w.state == flow.WISH_CLAIMED:  # taken meanwhile, in another window or on another PC
            raise ValidationError("认领人", f"心愿 {w.wish_no} 已由 {w.claimant_name} 认领，不能再认领；"
                                          f"换人请先“撤回认领”")
        on = flow.check_claim(w.state, kind, name, claimed_on, w.posted_on, today)
        s.add(WishClaim(wish_id=w.id, claimant_kind=kind, member_id=member_id or None, unit_id=unit_id or None,
                        claimant_name=name, claimed_on=on, status=flow.CLAIM_ACTIVE,
                        note=flow.optional(note, "认领说明", 500)))
        w.state, w.claimant_kind, w.claimant_name, w.claimed_on = flow.WISH_CLAIMED, kind, name, on
        w.claimant_member_id, w.claimant_unit_id = member_id or None, unit_id or None
        return settle(uow, _detail, w)


def withdraw_claim(db: Database, wish_id: str, on: date | None, reason: str = "",
                   today: date | None = None) -> WishDetail:
    """The claimant steps back: the claim is kept as 已撤回 and the wish goes back on the board."""
    today = today or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        w = _writable(db, s, wish_id)
        on, reason = flow.check_withdraw(w.state, on, w.claimed_on or w.posted_on, today, reason)
        claim = _end_claim(s, w, flow.CLAIM_WITHDRAWN, on)
        if claim is not None:
            claim.note = "；".join(p for p in (claim.note, f"撤回原因：{reason}" if reason else "撤回认领") if p)
        w.state = flow.WISH_POSTED
        w.claimant_kind, w.claimant_name, w.claimed_on = "", "", None
        w.claimant_member_id = w.claimant_unit_id = None
        return settle(uow, _detail, w)


def fulfil_wish(db: Database, wish_id: str, on: date | None, note: str, today: date | None = None) -> WishDetail:
    """The wish came true: on which day and how (what was given, by whom)."""
    today = today or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        w = _writable(db, s, wish_id)
        on, note = flow.check_fulfil(w.state, on, w.claimed_on or w.posted_on, today, note)
        _end_claim(s, w, flow.CLAIM_FULFILLED, on)
        w.state, w.fulfilled_on, w.fulfil_note = flow.WISH_FULFILLED, on, note
        return settle(uow, _detail, w)


def delete_wish(db: Database, wish_id: str) -> None:
    """Tombstone a wish and its claims (a wish posted by mistake, or the resident changed their mind)."""
    with UnitOfWork(db) as uow:
        s = uow.session
        w = _writable(db, s, wish_id)
        tombstone_children(s, w.id, WishClaim.wish_id, WishPhoto.wish_id)  # photo files stay, as an activity's
        w.deleted = True
        uow.commit()


# ---------------------------------------------------------------- photos


def add_photos(db: Database, wish_id: str, sources: Sequence[str | Path]) -> list[WishPhotoRow]:
    """Keep photos with a wish (its card, the hand-over) as one act, as a 共建活动's: every file is
    checked first (missing, too big, not a JPEG or PNG by its content; each refusal names its file),
    then all are copied and recorded, or none is and no copy stays behind. Needs the right to write
    the wish (its grid)."""
    with db.session() as s:
        folder = f"wishes/{_writable(db, s, wish_id).posted_on.year}"
    sources = attachments.check_images(attachments.check_sources(sources, MAX_PHOTO_BYTES, "照片"))
    rows = keep_files(db, sources, folder, lambda s, file: WishPhoto(
        wish_id=_writable(db, s, wish_id).id, **file), MAX_PHOTO_BYTES)
    return [WishPhotoRow.of(row) for row in rows]


def add_photo(db: Database, wish_id: str, source: str | Path) -> WishPhotoRow:
    """One photo, as `add_photos`."""
    return add_photos(db, wish_id, [source])[0]


def remove_photo(db: Database, photo_id: str) -> None:
    """Take a photo off its wish (a tombstone, so the removal travels); the file stays in the data folder."""
    with UnitOfWork(db) as uow:
        s = uow.session
        photo = live(s, WishPhoto, photo_id, "照片")
        _writable(db, s, photo.wish_id)
        photo.deleted = True
        uow.commit()


def photo_path(db: Database, photo_id: str) -> Path:
    """The photo's file, to open with the system viewer or to print."""
    with db.session() as s:
        photo = live(s, WishPhoto, photo_id, "照片")
        live_in_grid(db, s, Wish, photo.wish_id, "心愿", "wishes.read")
    return stored_file(db, WishPhoto, photo_id, "照片")


# ---------------------------------------------------------------- printing


def _printed(db: Database, flt: WishFilter) -> tuple[str, list[WishRow]]:
    """(the community's name, the wishes matching `flt`) for a printout."""
    if flt.grid_id:
        auth.require(db, "wishes.read", grid_id=flt.grid_id)
    rows = list_wishes(db, flt)
    with db.session() as s:
        return center_name(s), rows


def print_wish_cards(db: Database, out: Path, flt: WishFilter | None = None, *, wish_ids: Sequence[str] = (),
                     today: date | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Cards for the notice board: the wishes `wish_ids` names, else those matching `flt`
    (only 待认领 ones unless `flt.state` says otherwise). Returns the cards printed."""
    from desktop_app.reports.wishes import render_wish_cards  # reportlab loads only when printing

    flt = replace(flt) if flt else WishFilter()  # the caller's filter stays as it was
    if flt.state is None and not wish_ids:
        flt.state = flow.WISH_POSTED  # the notice board shows what is still waiting
    center, rows = _printed(db, flt)
    if wish_ids:
        wanted = set(wish_ids)
        rows = [r for r in rows if r.id in wanted]
    # A card hangs in public: the wisher is named only masked (王*英).
    rows = [replace(r, wisher_name=flow.mask_name(r.wisher_name)) for r in rows]
    render_wish_cards(center, rows, out, today or date.today(), progress=progress)
    return len(rows)


def print_wish_list(db: Database, out: Path, flt: WishFilter | None = None, *, today: date | None = None,
                    progress: Callable[[int], None] | None = None) -> int:
    """微心愿清单 of the wishes matching `flt`; for a year, with the wishes fulfilled per month.
    Returns the wishes listed."""
    from desktop_app.reports.wishes import render_wish_list

    flt = flt or WishFilter()
    center, rows = _printed(db, flt)
    scope = f"{flt.year}年{_YEAR_WORD.get(flt.year_of, '发布')}" if flt.year else ""
    by_month = fulfilled_counts(db, flt.year, flt.grid_id) if flt.year else None
    render_wish_list(center, rows, out, scope, by_month, today or date.today(), progress=progress)
    return len(rows)
