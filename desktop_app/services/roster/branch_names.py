"""所在党支部 as a worker types it in her own 花名册, read before the import looks the names up.

One file spells one branch several ways (第1支部, 第１支部 with a full-width digit, 第1 支部 with a
space): those are one branch, not three new ones. A spelling that differs only so from an existing
organisation finds it. A name close to another (一支部 against 第一党支部) may or may not be the same
branch: that is hers to say, so the preview points it out rather than guessing. And a workbook kept as
one sheet per branch, with no 所在党支部 column, names each sheet's branch by the sheet's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from desktop_app.domain.orgs import likeness_key as core
from desktop_app.domain.orgs import spelling_key as fold
from desktop_app.views.roster import RowError

COLUMN = "所在党支部"
SHEETS = "工作表"  # the field of the note naming the sheets not read
_BRANCHY = re.compile(r"(支部|总支|党小组)([（(][^）)]*[)）])?$")  # 第一支部, 第三支部（退休）
_NOT_A_BRANCH = re.compile(r"名册|名单|花名|信息|汇总|模板|统计")


def sheet_branch(sheet_name: str, sheets: Sequence[str], has_column: bool) -> str | None:
    """The branch a sheet's name gives its rows: one sheet of several, named as a branch, with no 所在党支部 column."""
    name = (sheet_name or "").strip()
    if has_column or len(sheets) < 2 or not _BRANCHY.search(name) or _NOT_A_BRANCH.search(name):
        return None
    return name


def sheet_notes(sheet_name: str, sheets: Sequence[str], branch: str | None) -> list[RowError]:
    """The preview's word on a workbook: the branch taken from the sheet's name, the sheets not read."""
    notes = []
    if branch:
        notes.append(RowError(0, "", branch, f"文件没有“{COLUMN}”列：按工作表名“{branch}”作为所在党支部"))
    others = [s for s in sheets if s != sheet_name]
    if sheet_name and others:
        notes.append(RowError(0, SHEETS, "、".join(others), (
            f"只读取了工作表“{sheet_name}”；本工作簿另有 {len(others)} 张工作表未读取："
            f"{'、'.join(others)}。要导入它们，请选择“全部工作表”一次导入，或逐张选择工作表再导入")))
    return notes


def unify(names: Sequence[str], known: Mapping[str, str], row_numbers: Sequence[int]) -> tuple[Sequence[str], list[RowError]]:
    """Each row's 所在党支部 with the spellings of one branch made one (an existing organisation's, else the
    file's first), and the notes for the preview: each other spelling, and each new name close to another."""
    existing: dict[str, str | None] = {}
    for key in dict.keys(known):  # names, codes and paths as the lookup keys them
        f = fold(key)
        existing[f] = None if f in existing and existing[f] != key else key  # two keys one fold: neither
    chosen: dict[str, str] = {}  # a name as written -> the spelling used
    first: dict[str, str] = {}  # fold -> the file's first spelling of a new name
    first_row: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name or name in chosen:
            continue
        first_row[name] = row_numbers[i]
        if name in known:
            chosen[name] = name
        elif (found := existing.get(fold(name))) is not None:
            chosen[name] = found
        else:
            chosen[name] = first.setdefault(fold(name), name)
    notes = [RowError(first_row[name], COLUMN, name,
                      f"“{name}”与“{used}”只是全角/半角或空格不同，按同一党支部“{used}”导入")
             for name, used in chosen.items() if used != name]
    new = list(first.values())
    if new:
        cores: dict[str, str] = {}
        for key in dict.keys(known):
            if " / " not in key:
                cores.setdefault(core(key), key)
        for name in new:
            c = core(name)
            other = cores.get(c)
            if other is not None and other != name:
                notes.append(RowError(first_row[name], COLUMN, name, (
                    f"“{name}”与已有的“{other}”相近：如是同一党支部，请把文件中的名称改为“{other}”；"
                    f"否则将新建党支部“{name}”")))
            else:
                for seen in new[:new.index(name)]:
                    if core(seen) == c:
                        notes.append(RowError(first_row[name], COLUMN, name, (
                            f"“{name}”与文件中的“{seen}”相近：如是同一党支部，请统一写法；否则将分别新建")))
                        break
    if not notes:
        return names, notes  # the column as it is: most files spell each branch one way
    return [chosen.get(n, n) if n else n for n in names], notes
