"""The audit trail as an XLSX workbook: 操作记录 (one row per entry, streamed) and 说明 (the filter, who, when).

Knows no database: the service hands over the rows as cell values (already named and masked as the
page shows them) and the 说明 lines. Rows are streamed into a write-only workbook, so a trail of a
hundred thousand entries needs little memory; `progress(done, total)` is called as they go and may
raise to cancel (the caller then removes the unfinished file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import DomainError
from desktop_app.exchange.cells import is_formula_like, xlsx_cell, xml_safe

HEADERS = ("时间", "操作人", "操作", "对象", "名称", "内容", "修改详情", "操作记录编号", "记录编号")
WIDTHS = (19, 12, 12, 12, 16, 40, 60, 38, 38)
DETAIL = HEADERS.index("修改详情")
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TRAIL_SHEET, NOTES_SHEET = "操作记录", "说明"
PROGRESS_EVERY = 200  # rows between progress reports (each report crosses threads)


def check_target(path: Path) -> None:
    """Refuse, before anything is written or recorded, a file that cannot be written where asked:
    not .xlsx, a folder that is gone (a USB stick pulled out), a file held open by Excel or WPS."""
    if path.suffix.lower() != ".xlsx":
        raise DomainError(f"{path.name}：只能导出为 .xlsx 文件")
    if not path.parent.is_dir():
        raise DomainError(f"保存位置“{path.parent}”不存在（U 盘是否已拔出？），请重新选择保存位置")
    if path.is_dir():
        raise DomainError(f"“{path}”是一个文件夹，请另取文件名")
    if path.exists():
        try:  # Windows: Excel and WPS hold an open workbook against writing; the rename would fail later
            with open(path, "r+b"):
                pass
        except PermissionError:
            raise DomainError(f"{path.name} 正在 Excel 或 WPS 中打开（或是只读文件），无法覆盖。"
                              "请先关闭该文件，或另取一个文件名后重试") from None
        except OSError as exc:
            raise DomainError(f"{path.name}：无法写入（{exc.strerror or exc}）") from None


def write_trail(out: Path, rows: Iterable[Sequence[Any]], total: int,
                notes: Callable[[int], Sequence[tuple[str, str]]],
                progress: Callable[[int, int], None] | None = None) -> int:
    """Write the workbook to `out` (a temporary file the caller renames); returns the rows written.

    Each row holds HEADERS' values, 时间 a datetime. `notes(rows written)` gives the 说明 sheet's
    (item, text) lines, once the rows are written (their count is the one the sheet holds).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(TRAIL_SHEET)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="E6E6E6")
    wrap = Alignment(wrap_text=True, vertical="top")

    def head(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = bold, grey
        return cell

    ws.append([head(h) for h in HEADERS])
    done = 0
    if progress is not None:
        progress(0, total)
    try:
        for row in rows:
            cells: list[Any] = []
            for i, value in enumerate(row):
                if isinstance(value, datetime):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = TIME_FORMAT
                elif i == DETAIL and value:  # one field a line
                    cell = WriteOnlyCell(ws, value=xml_safe(value))
                    if is_formula_like(cell.value):
                        cell.data_type = "s"
                    cell.alignment = wrap
                else:
                    cell = xlsx_cell(ws, value)
                cells.append(cell)
            ws.append(cells)
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
    except BaseException:
        _discard(ws)
        raise
    notes_ws = wb.create_sheet(NOTES_SHEET)
    notes_ws.column_dimensions["A"].width = 14
    notes_ws.column_dimensions["B"].width = 70
    for item, text in notes(done):
        notes_ws.append([WriteOnlyCell(notes_ws, value=item), xlsx_cell(notes_ws, text)])
    wb.save(out)
    if progress is not None:
        progress(done, total)
    return done


def _discard(ws) -> None:
    """A sheet given up half-way (取消, an error reading the rows): close its stream and remove the
    temporary file openpyxl spools it to, rather than leave both to the garbage collector."""
    from contextlib import suppress

    with suppress(Exception):
        ws.close()
        ws._writer.cleanup()  # openpyxl keeps no public way to drop an unsaved write-only sheet
