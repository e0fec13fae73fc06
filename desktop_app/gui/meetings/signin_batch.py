"""打印签到表 for many meetings at once: the selected ones, or with none selected those the list shows, in one PDF.

Printed through the services' batch door (their data read together, one document), off the GUI thread with
a progress dialog that can cancel between pages; one meeting prints as it always has (MeetingsPage._print).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.domain import meetings as rules
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common
from desktop_app.services import meetings as ms

if TYPE_CHECKING:
    from desktop_app.gui.meetings.page import MeetingsPage

TITLE = "打印签到表"


def print_signin_batch(page: MeetingsPage, selected: list[ms.MeetingRow]) -> None:
    """The sheets of `selected` (two or more), or of every meeting in the list when nothing is selected (asked
    first, with the count). Cancelled meetings are left out: nobody signs in for them."""
    chosen = selected or list(page.model.rows)
    rows = [r for r in chosen if r.status != rules.CANCELLED]
    skipped = len(chosen) - len(rows)
    if not rows:
        common.inform(page, TITLE, "列表中没有可以打印签到表的会议（已取消的会议不打印签到表）。")
        return
    left_out = f"已取消的 {skipped} 个会议不打印。" if skipped else ""
    if not selected and not common.ask(
            page, TITLE, f"打印当前列表中 {len(rows)} 个会议的签到表？\n\n"
                         f"全部保存在一个 PDF 文件里，每个会议从新的一页开始。{left_out}"):
        return
    path = page._save_path(TITLE, f"签到表-{len(rows)}个会议.pdf")
    if path is None:
        return
    db, ids = page.ctx.db, [r.id for r in rows]

    def done(_pdf: bytes) -> None:
        said = f"{len(rows)} 个会议的签到表已保存到 {path}"
        page.show_message(said + (f"（{left_out.rstrip('。')}）" if left_out else ""), Path(path))
        from desktop_app.gui.widgets import forms

        forms.offer_open(page, path, f"{len(rows)} 个会议的签到表已保存到\n{path}")

    run_op(page, lambda job: ms.print_signin_sheets(db, ids, path, progress=job.report), done,
           label=f"正在生成 {len(rows)} 个会议的签到表…")
