"""What a bulk change overwrote, kept unmasked so the change can be reverted (local, never synced).

The audit trail masks ID numbers and phones (it is append-only, sent to the
street and shown on screen, so it must not become a copy of personal data).
Reverting an import or a package needs the real old values, so bulk writers
keep them here, one row per trail entry: only the fields the trail masks,
plus the batch (import or package) the entry belongs to. The file is
encrypted at rest; nothing displays this table; a row is deleted once its
change is reverted, and the table never leaves this PC's database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, utcnow


class AuditUndo(Base):
    __tablename__ = "audit_undo"

    entry_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the audit_entry it completes
    batch: Mapped[str] = mapped_column(String(36), default="")  # the import's batch id or the package id
    table_name: Mapped[str] = mapped_column(String(40), default="")
    row_id: Mapped[str] = mapped_column(String(36), default="")
    values_json: Mapped[str] = mapped_column(Text, default="{}")  # unmasked before values of masked fields
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


Index("ix_audit_undo_batch", AuditUndo.batch)
