"""组织关系转接 register: every 转入 and 转出 with its 介绍信 (number, validity, 党费交至) and 回执.

The transfer itself is made on the roster (services.roster.transfer, which also
moves the member's status); this module keeps the letter that goes with it and
whether the 回执 came back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain import members as member_rules
from desktop_app.domain import transfers as rules
from desktop_app.domain.errors import Conflict
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, Transfer
from desktop_app.views.transfers import TransferLetterRow, TransferLetterSheet
from desktop_app.services.records import live, writes


def _live(s, transfer_id: str) -> Transfer:
    return live(s, Transfer, transfer_id, "转接记录")


def transfers(db: Database, direction: str | None = None, open_only: bool = False,
              today: date | None = None) -> list[TransferLetterRow]:
    """The register, newest first; `open_only` keeps those still waiting for their 回执."""
    auth.require(db, "members.read")
    today = today or date.today()
    with db.session() as s:
        q = (select(Transfer, Member.name).join(Member, Member.id == Transfer.member_id)
             .where(Transfer.deleted.is_(False))
             .order_by(Transfer.transfer_date.desc(), Transfer.created_at.desc()))
        if direction:
            q = q.where(Transfer.direction == direction)
        if open_only:
            q = q.where(Transfer.receipt_on.is_(None))
        return [TransferLetterRow(t.id, t.member_id, name, t.direction, t.transfer_date, t.from_org, t.to_org,
                                  t.letter_no, t.valid_until, t.receipt_on, t.dues_paid_to,
                                  rules.receipt_overdue(t.valid_until, t.receipt_on, today), t.note)
                for t, name in s.execute(q)]


@writes("members.write")
def set_letter(uow: UnitOfWork, transfer_id: str, letter_no: str, valid_until: date | None,
               dues_paid_to: date | None) -> str:
    """Record the 介绍信 of a transfer: its number, how long it is valid, up to which month dues were paid."""
    t = _live(uow.session, transfer_id)
    letter = rules.check_letter(t.transfer_date, letter_no, valid_until, dues_paid_to)
    t.letter_no, t.valid_until, t.dues_paid_to = letter.letter_no, letter.valid_until, letter.dues_paid_to
    return transfer_id


@writes("members.write")
def record_receipt(uow: UnitOfWork, transfer_id: str, on: date | None, today: date | None = None) -> str:
    """The 回执 came back (转出) or was returned (转入) on `on`: the transfer is complete."""
    t = _live(uow.session, transfer_id)
    t.receipt_on = rules.check_receipt(t.transfer_date, on, today or date.today())
    return transfer_id


@writes("members.write")
def undo_receipt(uow: UnitOfWork, transfer_id: str) -> str:
    """Clear a 回执 recorded by mistake: the transfer is open again. Refused once the member has a later transfer,
    which was made on the strength of this one being complete."""
    s = uow.session
    t = _live(s, transfer_id)
    if t.receipt_on is None:
        raise Conflict("这条转接还没有登记回执，无需撤销")
    later = s.execute(select(Transfer.direction, Transfer.transfer_date)
                      .where(Transfer.member_id == t.member_id, Transfer.deleted.is_(False), Transfer.id != t.id,
                             (Transfer.transfer_date > t.transfer_date)
                             | ((Transfer.transfer_date == t.transfer_date) & (Transfer.created_at > t.created_at)))
                      .order_by(Transfer.transfer_date)).first()
    if later is not None:
        name = s.get(Member, t.member_id).name
        raise Conflict(f"{name}在此之后又办理了{later.transfer_date:%Y-%m-%d}的{later.direction}，"
                       "这份回执已是后来转接的依据，不能撤销")
    t.receipt_on = None
    return transfer_id


def letter_sheet(db: Database, transfer_id: str) -> TransferLetterSheet:
    """What the printed 介绍信 of a 转出 says (the ID number masked unless the reader may see it)."""
    from desktop_app.services.site import center_name

    auth.require(db, "members.read")
    with db.session() as s:
        t = _live(s, transfer_id)
        m = s.get(Member, t.member_id)
        center = center_name(s)
        number = m.id_number if auth.can(db, "members.reveal") else idcard.mask(m.id_number or "")
        return TransferLetterSheet(center, m.name, m.gender, member_rules.age(m.birth_date, t.transfer_date),
                                   m.ethnicity, number, m.category, t.from_org, t.to_org, t.transfer_date,
                                   t.letter_no, t.valid_until, t.dues_paid_to)


def print_letter(db: Database, transfer_id: str, out: Path | None = None, *, printed_on: date | None = None,
                 font_path: str | None = None) -> bytes:
    """The 党员组织关系介绍信 of a transfer (存根, 介绍信, 回执) as PDF bytes; also written to `out` when given."""
    from desktop_app.reports.transfer_letter import render_transfer_letter

    return render_transfer_letter(letter_sheet(db, transfer_id), out, printed_on, font_path=font_path)
