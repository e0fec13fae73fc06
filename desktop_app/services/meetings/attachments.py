"""A meeting's files (the signed sheet's scan, photos), kept through the shared attachment storage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from desktop_app.domain import meetings as rules
from desktop_app.services import attachments, auth
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _live_meeting
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.records import keep_files, live, stored_file, writes
from desktop_app.store.models_meetings import MeetingAttachment
from desktop_app.views.meetings import AttachmentRow

MAX_ATTACHMENT_BYTES = attachments.MAX_BYTES
ATTACHMENTS_DIR = attachments.ATTACHMENTS_DIR


def attachments_dir() -> Path:
    return attachments.root()


def add_attachment(db: Database, meeting_id: str, source: str | Path, note: str = "") -> AttachmentRow:
    """Copy a file (the signed sheet's scan, a photo) into the data folder and keep it with the meeting."""
    return add_attachments(db, meeting_id, [source], note)[0]


def add_attachments(db: Database, meeting_id: str, sources: Sequence[str | Path], note: str = "") -> list[AttachmentRow]:
    """Keep several files with the meeting as one act: every file is checked first (a refusal names
    the file and why) and then all are copied and recorded, or none is."""
    auth.require(db, "meetings.write")
    sources = attachments.check_sources(sources, MAX_ATTACHMENT_BYTES)
    note = rules.check_short("附件说明", note, 200)
    with db.session() as s:
        m = _live_meeting(s, meeting_id)
        folder = re.sub(r"[^0-9A-Za-z_-]", "_", m.number) or m.id
    rows = keep_files(db, sources, folder, lambda s, file: MeetingAttachment(
        meeting_id=_live_meeting(s, meeting_id).id, note=note, **file), MAX_ATTACHMENT_BYTES)
    return [AttachmentRow.of(row, note=row.note) for row in rows]


def attachment_path(db: Database, attachment_id: str) -> Path:
    auth.require(db, "meetings.read")
    return stored_file(db, MeetingAttachment, attachment_id, "附件")


@writes("meetings.write")
def remove_attachment(uow: UnitOfWork, attachment_id: str) -> None:
    """Tombstone the record; the file stays in the data folder (a restore or another copy may need it)."""
    live(uow.session, MeetingAttachment, attachment_id, "附件").deleted = True
