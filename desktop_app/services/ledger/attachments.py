"""Scanned receipts and invoices (附件) linked to an entry, kept by the shared attachment storage."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import NotFound
from desktop_app.services import attachments as storage
from desktop_app.services import auth
from desktop_app.services.ledger.books import closed_set_in
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_ledger import LedgerAttachment, LedgerEntry
from desktop_app.views.ledger import AttachmentInfo

MAX_ATTACHMENT_BYTES = storage.MAX_BYTES


def attachments_dir() -> Path:
    return storage.root()


def _attachment_info(a: LedgerAttachment) -> AttachmentInfo:
    return AttachmentInfo(a.id, a.entry_id, a.file_name, attachments_dir() / a.stored_path, a.size, a.sha256, a.note)


def add_attachment(db: Database, entry_id: str, source: Path | str, note: str = "") -> AttachmentInfo:
    """Copy a scanned receipt into the data folder and link it to the entry."""
    auth.require(db, "ledger.write")
    source = storage.check_source(source, MAX_ATTACHMENT_BYTES)
    with UnitOfWork(db) as uow:
        s = uow.session
        entry = s.get(LedgerEntry, entry_id)
        if entry is None or entry.deleted:
            raise NotFound("该凭证不存在")
        rules.check_open(entry.entry_date, closed_set_in(s, entry.org_id), "为")
        n = s.scalar(select(func.count()).select_from(LedgerAttachment).where(LedgerAttachment.entry_id == entry.id)) or 0
        rel = f"{entry.entry_date.year}/{entry.voucher_no}-{n + 1}-{storage.safe_name(source.name)}"
        stored = storage.store(source, rel, MAX_ATTACHMENT_BYTES)
        att = LedgerAttachment(
            entry_id=entry.id, file_name=source.name[:200], stored_path=stored.relative,
            sha256=stored.sha256, size=stored.size, note=(note or "").strip(),
        )
        s.add(att)
        try:
            uow.commit()
        except BaseException:
            storage.discard(stored)  # nothing half-written: no file without its row
            raise
        return _attachment_info(att)


def list_attachments(db: Database, entry_id: str) -> list[AttachmentInfo]:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return [
            _attachment_info(a)
            for a in s.scalars(
                select(LedgerAttachment)
                .where(LedgerAttachment.entry_id == entry_id, LedgerAttachment.deleted.is_(False))
                .order_by(LedgerAttachment.created_at)
            )
        ]
