"""矛盾纠纷调处: a dispute as a case — parties, sessions, outcome and agreement.

A case is 调解中 until it is closed as 调解成功, 调解未成功 or 已转交; closing
needs at least one recorded session. A closed case can be reopened with a
reason (the agreement was not kept), which is appended to its notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.idcard import mask_phone
from desktop_app.domain.service_flow import CaseInput, PartyInput, SessionInput
from desktop_app.files import put_in_place_after
from desktop_app.services import auth, privacy
from desktop_app.services.records import (
    any_like, assign, chosen, chunked, given, in_year, live_children, next_year_number, over_children,
    record_version, settle, tombstone_children, unchanged_since, writes,
)
from desktop_app.services.residents import (
    NO_GRID,
    ResidentPick,
    check_grid,
    grid_names,
    live,
    name_match,
    pick_residents,
    text_terms,
)
from desktop_app.services.site import center_of
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Resident
from desktop_app.store.models_service import MediationCase, MediationParty, MediationSession
from desktop_app.views.mediation import (  # noqa: F401  re-exported
    CaseDetail, CaseRow, MediationAgreement, PartyRow, SessionRow, agreement_of, why_no_agreement,
)

PREFIX = "TJ"  # 案号 TJ2024-001


@dataclass
class CaseFilter:
    text: str = ""
    state: str | None = None
    open_only: bool = False
    grid_id: str | None = None
    kind: str | None = None
    year: int | None = None  # received in this year


def _parties_text(names: list[str]) -> str:
    return " 与 ".join(names)


def _detail(s: Session, c: MediationCase) -> CaseDetail:
    parties = s.scalars(live_children(MediationParty, MediationParty.case_id, c.id)
                        .order_by(MediationParty.sort_order, MediationParty.created_at)).all()
    sessions = s.scalars(live_children(MediationSession, MediationSession.case_id, c.id)
                         .order_by(MediationSession.session_date, MediationSession.created_at)).all()
    return CaseDetail(
        kind=c.kind, summary=c.summary, received_on=c.received_on, source=c.source, mediator=c.mediator,
        grid_id=c.grid_id, notes=c.notes,
        parties=tuple(PartyInput(p.name, p.role, p.resident_id, p.phone, p.address) for p in parties),
        id=c.id, case_no=c.case_no, state=c.state, grid_name=grid_names(s).get(c.grid_id or "", NO_GRID),
        closed_on=c.closed_on, agreement=c.agreement, transferred_to=c.transferred_to,
        party_rows=tuple(PartyRow(p.id, p.name, p.role, p.resident_id, p.phone, p.address) for p in parties),
        sessions=tuple(SessionRow(x.id, x.session_date, x.place, x.mediators, x.notes, x.version) for x in sessions),
        version=record_version(s, c, MediationParty.case_id),  # the parties are saved with the case form
    )


def _conditions(flt: CaseFilter) -> list[ColumnElement]:
    c: list[ColumnElement] = [MediationCase.deleted.is_(False), *given(
        (MediationCase.state, flt.state), (MediationCase.state, flt.open_only and flow.MEDIATING),
        (MediationCase.grid_id, flt.grid_id), (MediationCase.kind, flt.kind),
    ), *in_year(flt.year, MediationCase.received_on)]
    for term in text_terms(flt.text):
        # a party who is a resident is found by pinyin too ("wxy"), as on 走访 and 微心愿
        residents = select(Resident.id).where(or_(*name_match(
            term, Resident.name, Resident.name_pinyin, Resident.name_initials)))
        parties = select(MediationParty.case_id).where(MediationParty.deleted.is_(False), or_(
            *any_like(term, MediationParty.name), MediationParty.resident_id.in_(residents)))
        c.append(or_(*any_like(term, MediationCase.case_no, MediationCase.summary, MediationCase.kind,
                               MediationCase.mediator), MediationCase.id.in_(parties)))
    return c


def list_cases(db: Database, flt: CaseFilter | None = None) -> list[CaseRow]:
    """Cases matching `flt`: open ones first, then by receipt date, newest first."""
    auth.require(db, "mediation.read")
    flt = flt or CaseFilter()
    q = select(MediationCase).where(*_conditions(flt)).order_by(
        MediationCase.state != flow.MEDIATING, MediationCase.received_on.desc(), MediationCase.case_no.desc())
    with db.session() as s:
        return _case_rows(s, list(s.scalars(q)))


def find_cases(db: Database, text: str, limit: int = 20) -> list[CaseRow]:
    """Cases by a party's name, or the resident who is a party by pinyin too (查找); open ones first, then
    the newest. The list's search reads the case number, summary and mediator as well."""
    auth.require(db, "mediation.read")
    terms = text_terms(text)
    if not terms:
        return []
    q = select(MediationCase).where(MediationCase.deleted.is_(False))
    for term in terms:
        residents = select(Resident.id).where(or_(*name_match(
            term, Resident.name, Resident.name_pinyin, Resident.name_initials)))
        q = q.where(MediationCase.id.in_(select(MediationParty.case_id).where(
            MediationParty.deleted.is_(False),
            or_(*any_like(term, MediationParty.name), MediationParty.resident_id.in_(residents)))))
    q = q.order_by(MediationCase.state != flow.MEDIATING, MediationCase.received_on.desc(),
                   MediationCase.case_no.desc()).limit(limit)
    with db.session() as s:
        return _case_rows(s, list(s.scalars(q)))


def _case_rows(s: Session, cases: list[MediationCase]) -> list[CaseRow]:
    """The list's rows for these cases, in their order: parties named, sessions counted."""
    ids = [c.id for c in cases]
    names: dict[str, list[str]] = {}
    sessions: dict[str, int] = {}
    for chunk in chunked(ids):
        for cid, name in s.execute(
            select(MediationParty.case_id, MediationParty.name)
            .where(MediationParty.case_id.in_(chunk), MediationParty.deleted.is_(False))
            .order_by(MediationParty.sort_order, MediationParty.created_at)
        ):
            names.setdefault(cid, []).append(name)
        sessions.update(s.execute(
            select(MediationSession.case_id, func.count())
            .where(MediationSession.case_id.in_(chunk), MediationSession.deleted.is_(False))
            .group_by(MediationSession.case_id)
        ).all())
    grids = grid_names(s)
    return [
        CaseRow(c.id, c.case_no, c.kind, _parties_text(names.get(c.id, [])), grids.get(c.grid_id or "", NO_GRID),
                c.received_on, c.mediator, sessions.get(c.id, 0), c.state, c.closed_on, c.summary)
        for c in cases
    ]


def get_case(db: Database, case_id: str) -> CaseDetail:
    auth.require(db, "mediation.read")
    with db.session() as s:
        detail = _detail(s, live(s, MediationCase, case_id, "调解案件"))
    # The parties' phones are residents' personal data: masked unless the role may see them.
    return replace(detail, parties=privacy.mask_unless(db, "residents.reveal", detail.parties),
                   party_rows=privacy.mask_unless(db, "residents.reveal", detail.party_rows))


def party_picks(db: Database, text: str) -> list[tuple[ResidentPick, str | None]]:
    """Residents to add as parties, each with the phone a party picked from the residents comes with: the
    resident's whole number ("" when none), as a case keeps its parties' phones; None when this account may not
    see it whole, so the form leaves the field to be typed rather than keeping masked digits as the number.
    Read with the picker's search, off the GUI thread, so picking one reads nothing more."""
    auth.require(db, "residents.read")  # the picks keep to the account's grids (pick_residents)
    picks = pick_residents(db, text)
    if not picks:
        return []
    with db.session() as s:
        phones = dict(s.execute(select(Resident.id, Resident.phone).where(
            Resident.id.in_([p.resident_id for p in picks]))).tuples().all())
    reveal: dict[str | None, bool] = {}
    for p in picks:
        if p.grid_id not in reveal:
            reveal[p.grid_id] = auth.can(db, "residents.reveal", p.grid_id)
    return [(p, (phones.get(p.resident_id) or "") if reveal[p.grid_id] else None) for p in picks]


def case_id_by_no(db: Database, case_no: str) -> str:
    """A case's id from its printed number (TJ2024-001), for the CLI."""
    auth.require(db, "mediation.read")
    with db.session() as s:
        found = s.scalar(select(MediationCase.id).where(
            MediationCase.case_no == case_no.strip(), MediationCase.deleted.is_(False)))
    if found is None:
        raise ValidationError("案号", f"没有案号为“{case_no}”的调解案件")
    return found


def _set_parties(s: Session, c: MediationCase, parties: tuple[PartyInput, ...]) -> None:
    """Replace the case's parties (tombstoning removed ones, keeping unchanged rows as they are)."""
    current = list(s.scalars(live_children(MediationParty, MediationParty.case_id, c.id)))
    by_key = {(p.name, p.role): p for p in current}
    keep: set[str] = set()
    for order, p in enumerate(parties, start=1):
        if p.resident_id:
            chosen(s, Resident, p.resident_id, "当事人", "居民", f"{p.name}：")
        row = by_key.get((p.name, p.role))
        if row is None or row.id in keep:
            row = MediationParty(case_id=c.id, name=p.name, role=p.role)
            s.add(row)
        assign(row, {"resident_id": p.resident_id, "phone": p.phone, "address": p.address, "sort_order": order})
        s.flush()
        keep.add(row.id)
    for row in current:
        if row.id not in keep:
            row.deleted = True


def _kept_phones(s: Session, c: MediationCase, inp: CaseInput) -> CaseInput:
    """`inp` with each masked phone (139****5678) put back to the stored number it masks.

    An account without residents.reveal is shown the parties' phones masked and its form sends them back
    so: an unchanged mask keeps the party's stored number (never the mask itself), a typed number replaces
    it. The mask is looked for on the same party first (name and role, then name, then the resident),
    so changing a party's role keeps their phone."""
    stored = list(s.scalars(live_children(MediationParty, MediationParty.case_id, c.id)))

    def whole(p: PartyInput) -> PartyInput:
        typed, name = (p.phone or "").strip(), (p.name or "").strip()
        if "*" not in typed:
            return p
        same = sorted(stored, key=lambda r: (r.name != name or r.role != p.role, r.name != name,
                                             not p.resident_id or r.resident_id != p.resident_id))
        for row in same:
            if row.phone and (row.name == name or (p.resident_id and row.resident_id == p.resident_id)) \
                    and mask_phone(row.phone) == typed:
                return replace(p, phone=row.phone)
        raise ValidationError(f"{name or '当事人'}的联系电话",
                              f"“{typed}”隐藏了部分数字，不能作为号码保存：请填写当事人的完整号码")

    return replace(inp, parties=tuple(whole(p) for p in inp.parties))


@writes("mediation.write")
def create_case(uow: UnitOfWork, inp: CaseInput, today: date | None = None) -> CaseDetail:
    today = today or date.today()
    clean = flow.check_case(inp, today)
    s = uow.session
    c = MediationCase(
        case_no=next_year_number(s, MediationCase.case_no, PREFIX, clean.received_on.year),
        kind=clean.kind, summary=clean.summary,
        received_on=clean.received_on, source=clean.source, mediator=clean.mediator,
        grid_id=check_grid(s, clean.grid_id), state=flow.MEDIATING, agreement="", transferred_to="",
        notes=clean.notes,
    )
    s.add(c)
    s.flush()
    _set_parties(s, c, clean.parties)
    return settle(uow, _detail, c)


@writes("mediation.write")
def update_case(uow: UnitOfWork, case_id: str, inp: CaseInput, today: date | None = None,
                expected_version: int | None = None) -> CaseDetail:
    """`expected_version`: the version the form was read at; a case or its parties changed since is refused."""
    today = today or date.today()
    s = uow.session
    c = live(s, MediationCase, case_id, "调解案件")
    unchanged_since(s, c, expected_version, f"调解案件 {c.case_no}", MediationParty.case_id)
    clean = flow.check_case(_kept_phones(s, c, inp), today)
    first = over_children(s, func.min(MediationSession.session_date), MediationSession.case_id, c.id)
    if first is not None and clean.received_on > first:
        raise ValidationError("受理日期", f"不能晚于第一次调解（{first.isoformat()}）")
    assign(c, {
        "kind": clean.kind, "summary": clean.summary, "received_on": clean.received_on,
        "source": clean.source, "mediator": clean.mediator, "grid_id": check_grid(s, clean.grid_id),
        "notes": clean.notes,
    })
    _set_parties(s, c, clean.parties)
    return settle(uow, _detail, c)


@writes("mediation.write")
def add_session(uow: UnitOfWork, case_id: str, inp: SessionInput, today: date | None = None) -> CaseDetail:
    """Record one mediation session (date, place, mediators, what happened)."""
    today = today or date.today()
    s = uow.session
    c = live(s, MediationCase, case_id, "调解案件")
    if c.state != flow.MEDIATING:
        raise ValidationError("调解记录", f"案件已“{c.state}”，如需继续调解请先重新打开")
    clean = flow.check_session(inp, c.received_on, today)
    s.add(MediationSession(case_id=c.id, session_date=clean.session_date, place=clean.place,
                           mediators=clean.mediators, notes=clean.notes))
    return settle(uow, _detail, c)


@writes("mediation.write")
def update_session(uow: UnitOfWork, session_id: str, inp: SessionInput, today: date | None = None,
                   expected_version: int | None = None) -> CaseDetail:
    """`expected_version`: the version the form was read at; a session record changed since is refused."""
    today = today or date.today()
    s = uow.session
    x = live(s, MediationSession, session_id, "调解记录")
    unchanged_since(s, x, expected_version, f"调解记录 {x.session_date.isoformat()}")
    c = live(s, MediationCase, x.case_id, "调解案件")
    clean = flow.check_session(inp, c.received_on, today)
    if c.closed_on and clean.session_date > c.closed_on:
        raise ValidationError("调解日期", f"不能晚于结案日期（{c.closed_on.isoformat()}）")
    assign(x, {key: getattr(clean, key) for key in ("session_date", "place", "mediators", "notes")})
    return settle(uow, _detail, c)


@writes("mediation.write")
def delete_session(uow: UnitOfWork, session_id: str) -> CaseDetail:
    s = uow.session
    x = live(s, MediationSession, session_id, "调解记录")
    c = live(s, MediationCase, x.case_id, "调解案件")
    if c.state != flow.MEDIATING:
        raise ValidationError("调解记录", "已结案的案件不能删除调解记录，请先重新打开")
    x.deleted = True
    return settle(uow, _detail, c)


@writes("mediation.write")
def close_case(
    uow: UnitOfWork, case_id: str, outcome: str, closed_on: date | None, agreement: str = "",
    transferred_to: str = "", today: date | None = None,
) -> CaseDetail:
    """调解成功 (with the agreement), 调解未成功, or 已转交 (to whom)."""
    today = today or date.today()
    s = uow.session
    c = live(s, MediationCase, case_id, "调解案件")
    last = over_children(s, func.max(MediationSession.session_date), MediationSession.case_id, c.id)
    step = flow.check_outcome(c.state, outcome, closed_on, c.received_on, last, today, agreement, transferred_to)
    c.state, c.closed_on, c.agreement, c.transferred_to = step.outcome, step.closed_on, step.agreement, step.transferred_to
    return settle(uow, _detail, c)


@writes("mediation.write")
def reopen_case(uow: UnitOfWork, case_id: str, reason: str, today: date | None = None) -> CaseDetail:
    today = today or date.today()
    reason = flow.required(reason, "重新调解原因", "请写明为什么重新调解", 500)
    s = uow.session
    c = live(s, MediationCase, case_id, "调解案件")
    if c.state == flow.MEDIATING:
        raise ValidationError("调解结果", "案件正在调解中")
    c.notes = "\n".join(p for p in (c.notes, f"{today.isoformat()} 重新调解（原结果：{c.state}）：{reason}") if p)
    c.state, c.closed_on = flow.MEDIATING, None
    return settle(uow, _detail, c)


@writes("mediation.write")
def delete_case(uow: UnitOfWork, case_id: str) -> None:
    s = uow.session
    c = live(s, MediationCase, case_id, "调解案件")
    tombstone_children(s, c.id, MediationParty.case_id, MediationSession.case_id)
    c.deleted = True


# ---------------------------------------------------------------- printing


def print_mediation_records(db: Database, out: Path, case_ids: Sequence[str], *, today: date | None = None,
                            progress: Callable[[int], None] | None = None) -> int:
    """矛盾纠纷调解记录, one case after another, to `out`. Returns the cases printed."""
    from desktop_app.reports.mediation import render_mediation_record  # reportlab loads only when printing

    auth.require(db, "mediation.read")
    # Both parties see the record: neither's phone is printed whole.
    cases = [replace(c, party_rows=tuple(replace(p, phone=mask_phone(p.phone)) for p in c.party_rows))
             for c in (get_case(db, cid) for cid in case_ids)]
    render_mediation_record(center_of(db), cases, out, today or date.today(), progress=progress)
    return len(cases)


def may_print_whole_phones(db: Database) -> bool:
    """Whether this account may ask for a 调解协议书 with the parties' whole phones (print_mediation_agreement)."""
    auth.require(db, "mediation.read")
    return auth.can(db, "residents.reveal") and auth.can(db, "export.personal")


def _genders_and_births(db: Database, resident_ids: Sequence[str | None]) -> dict[str, tuple[str, date | None]]:
    """(性别, 出生日期) of the residents among a case's parties, for the agreement's 当事人基本情况."""
    ids = [i for i in resident_ids if i]
    if not ids:
        return {}
    with db.session() as s:
        rows = s.execute(select(Resident.id, Resident.gender, Resident.birth_date).where(Resident.id.in_(ids)))
        return {rid: (gender or "", born) for rid, gender, born in rows}


def print_mediation_agreement(db: Database, case_id: str, out: Path | None = None, *, whole_phones: bool = False,
                              printed_on: date | None = None, font_path: str | None = None) -> MediationAgreement:
    """人民调解协议书 of a case closed as 调解成功, to `out`. Returns what was printed.

    Each party takes a copy home, so the parties' phones print masked, as every printout shows them
    (services.privacy). `whole_phones` prints them whole for a copy that needs them: a file carrying whole
    phones is a personal export, so it needs residents.reveal (seeing them at all) and export.personal, and
    is recorded in the audit trail before the file is written.
    """
    from desktop_app.reports.mediation_agreement import render_mediation_agreement  # reportlab loads only here

    auth.require(db, "mediation.read")
    if whole_phones:
        auth.require(db, "residents.reveal")
        auth.require(db, "export.personal")
        with db.session() as s:
            c = _detail(s, live(s, MediationCase, case_id, "调解案件"))
    else:
        c = get_case(db, case_id)
        c = replace(c, party_rows=tuple(replace(p, phone=mask_phone(p.phone)) for p in c.party_rows))
    why = why_no_agreement(c)
    if why:
        raise ValidationError("调解协议书", why)
    model = agreement_of(c, center_of(db), _genders_and_births(db, [p.resident_id for p in c.party_rows]))
    data = render_mediation_agreement(model, None, printed_on, font_path=font_path)
    # Written beside `out` first; with whole phones the file is in place only once its export is logged.
    with put_in_place_after(out, data, private=False) if out is not None else nullcontext():
        if whole_phones:
            privacy.confirm_personal_export(db, f"人民调解协议书 {c.case_no}（完整联系电话）", str(out or ""),
                                            rows=len(c.party_rows), table=MediationCase.__tablename__)
    return model
