"""读取签到表扫描件: pick a scan or photo, read it off the GUI thread, confirm it in the attendance dialog.

The reading proposes and never saves; the pre-filled attendance dialog is where a person
confirms (one click) or corrects, and only then is the attendance recorded and the scan
attached to the meeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING


from desktop_app.gui.meetings.attendance_dialog import AttendanceDialog
from desktop_app.gui.ops import run_op
from desktop_app.services import meetings as ms
from desktop_app.views.changes import Change, changes

if TYPE_CHECKING:
    from desktop_app.gui.meetings.page import MeetingsPage

SCAN_FILTER = "签到表扫描件或照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp *.heic *.heif);;所有文件 (*)"


def read_signin_scan(page: MeetingsPage, path: str | None = None) -> None:
    """Read a signed sheet of the selected meeting (pages of other meetings are refused)."""
    row = page.selected_row()
    if row is None:
        return
    if path is None:
        from desktop_app.gui.widgets.forms import ask_open_path  # starts in Documents, refuses the data folder

        path = ask_open_path(page, f"读取会议 {row.number} 的签到表扫描件", SCAN_FILTER)
        if not path:
            return
    db = page.ctx.db

    def work(job):
        proposal = ms.read_scan(db, path, row.id, progress=lambda done, total: job.report(
            done, total, f"正在读取签到表：已读 {done} / {total} 页…" if total > 1 else f"正在读取签到表：已读 {done} 页…"))
        return proposal, ms.get(db, row.id)

    run_op(page, work, lambda result: confirm_scan(page, *result), label="正在读取签到表…")


def confirm_scan(page: MeetingsPage, proposal: ms.ScanProposal, detail: ms.MeetingDetail) -> AttendanceDialog:
    """Open the pre-filled attendance dialog; on OK it records what it shows and keeps the scan, from
    inside: a refusal (the meeting recorded by someone else meanwhile) stays in it, the marks kept."""
    db = page.ctx.db

    def save(entries: list[ms.AttendanceEntry], read_at: int) -> list[ms.MeetingDetail]:
        return ms.apply_scan(db, proposal, entries, read_at={detail.id: read_at})

    dlg = AttendanceDialog(page, detail, proposal.lines_of(detail.id), proposal.unnamed_of(detail.id),
                           [r.reason for r in proposal.refused], save=save, changes=changes(Change.MEETINGS),
                           sheet_pages=proposal.pages_of(detail.id),
                           unnamed_rows=proposal.unnamed_rows_of(detail.id))
    page.scan_dialog = dlg  # tests reach the open dialog here
    dlg.record_saved.connect(lambda details: [page._attendance_saved(d) for d in details])
    dlg.open()
    return dlg

