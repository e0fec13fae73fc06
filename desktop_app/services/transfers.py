"""组织关系转接 register: every 转入 and 转出 with its 介绍信 (number, validity, 党费交至) and 回执.

The transfer itself is made on the roster (services.roster.transfer, which also
moves the member's status); this module keeps the letter that goes with it and
whether the 回执 came back.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop_app.domain import transfers as rules
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, Transfer
from desktop_app.views.transfers import TransferLetterRow
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
