"""Column mappings of spreadsheets made for other systems, saved under their header's signature.

Local to this PC's database and never synced: they describe the files this
center keeps, not its records. Writes are audited by the service (this is no
SyncMixin table, so the trail listener does not see them).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, utcnow


class ImportMapping(Base):
    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("kind", "signature", name="uq_import_mapping_kind_signature"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(String(20))  # members, development, meetings, residents, ledger
    signature: Mapped[str] = mapped_column(String(64))
    header: Mapped[str] = mapped_column(Text, default="")  # the source headers (JSON list), to show
    mapping: Mapped[str] = mapped_column(Text, default="{}")  # the Mapping as JSON
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    saved_by: Mapped[str] = mapped_column(String(60), default="")
