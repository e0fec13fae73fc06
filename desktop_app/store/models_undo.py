"""What a bulk change needs to be reverted, kept unmasked (local, never synced).

Two kinds of rows, one per trail entry, with the batch (import or package)
the entry belongs to:

- a roster import's or a package's change to a row (`table_name`, `row_id`
  set): the real old values of the fields the trail masks. The audit trail
  masks ID numbers and phones (it is append-only, sent to the street and
  shown on screen, so it must not become a copy of personal data), but a
  revert needs the values themselves;
- a history import's one "import" entry (services/revert_imported.py,
  `row_id` empty, `table_name` the imported table): the ids of every row it
  inserted, table by table, and the versions it left them at, so the revert
  finds exactly those rows again.

The file is encrypted at rest; nothing displays this table; a row is deleted
once its change is reverted or after audit.UNDO_DAYS, and the table never
leaves this PC's database.
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
    values_json: Mapped[str] = mapped_column(Text, default="{}")  # old values, or an import's added ids
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


Index("ix_audit_undo_batch", AuditUndo.batch)
