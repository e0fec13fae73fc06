"""党员名册 import of a workbook kept as one sheet per branch: all its sheets in one preview (全部工作表).

Every sheet whose header reads as a roster's is read; a row with no 所在党支部 takes its sheet's
name where that names a branch (第二支部, not Sheet1 or 汇总). The rows make one preview, so one
apply writes them all or none, and a problem is named by its sheet and row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from desktop_app.domain.errors import DomainError
from desktop_app.exchange import members as member_files
from desktop_app.services.roster import branch_names
from desktop_app.views.roster import ImportPreview, RowError

ALL_SHEETS = "全部工作表"  # what the sheet box and --all-sheets choose
_BRANCH = "org_name"  # the values key of 所在党支部


def preview(path: Path, mapping, check: Callable[[member_files.MemberSheet], ImportPreview]) -> ImportPreview:
    """`check(sheet)`: the one-sheet preview (the caller's, with its permission checked), run on the sheets joined."""
    first = member_files.read_member_file(path, mapping, None)
    names = first.sheets
    if len(names) < 2:  # a CSV, or a workbook of one sheet: read as it is
        return check(first)
    parts: list[tuple[int, member_files.MemberSheet]] = []
    left: list[str] = []
    for n, name in enumerate(names, 1):
        try:
            part = first if name == first.sheet else member_files.read_member_file(path, mapping, name)
        except DomainError:  # no roster's header on it (a 说明 or 汇总 sheet): said, not read
            left.append(name)
            continue
        parts.append((n, _with_branch(part, name, names)))
    got = check(member_files.join_sheets(parts))
    return _by_sheet(got, names, [names[n - 1] for n, _ in parts], left)


def _with_branch(part: member_files.MemberSheet, name: str, names: Sequence[str]) -> member_files.MemberSheet:
    """The sheet with its name as the 所在党支部 of each row that names none (where the name is a branch's)."""
    branch = branch_names.sheet_branch(name, names, False)
    if branch is None:
        return part
    said = part.values.get(_BRANCH) or [""] * len(part)
    filled = [x or branch for x in said]
    columns = part.columns if branch_names.COLUMN in part.columns else {
        **part.columns, branch_names.COLUMN: max(part.columns.values(), default=-1) + 1}
    cells = {**part.cells, branch_names.COLUMN: filled}
    return replace(part, columns=columns, cells=cells, values={**part.values, _BRANCH: filled})


def _by_sheet(p: ImportPreview, names: Sequence[str], read: Sequence[str], left: Sequence[str]) -> ImportPreview:
    """The joined preview's rows said back as sheet and row, with what was read and what was left."""
    def back(e: RowError) -> RowError:
        n, row = divmod(e.row_number, member_files.SHEET_ROWS)
        return replace(e, row_number=row, sheet=names[n - 1]) if n else e

    notes = [RowError(0, branch_names.SHEETS, "、".join(read), (
        f"读取了全部 {len(read)} 张党员名册工作表：{'、'.join(read)}；"
        "未填所在党支部的行，按其工作表名（是党支部名称的）作为所在党支部"))]
    if left:
        notes.append(RowError(0, branch_names.SHEETS, "、".join(left), (
            f"工作表{'、'.join(f'“{x}”' for x in left)}没有党员名册的表头，未读取")))
    errors = [back(e) for e in p.errors]
    names_of = {back(RowError(no, "", "", "")).row_label: name for no, name in p.error_names.items()}
    return replace(p, errors=errors, warnings=notes + [back(w) for w in p.warnings], error_names=names_of,
                   read_as_probationary=tuple((x.sheet, x.row_number) for x in (
                       back(RowError(n, "", "", "")) for n in p.read_as_probationary)),
                   hidden_rows=tuple((x.sheet, x.row_number) for x in (
                       back(RowError(n, "", "", "")) for n in p.hidden_rows)))
