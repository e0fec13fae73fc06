"""What an import of another system's spreadsheet shows before it reads a row: the column plan and the mapping.

Plain values shared by the file readers (exchange), the import services, the
command line (--show-columns, --map) and the import dialog's mapping step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from desktop_app.domain.errors import DomainError


def header_key(text: Any) -> str:
    """姓名, ' 姓 名 ', '*姓名', '姓名（必填）' all become 姓名."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\(.*?\)|\[.*?\]", "", s)
    return re.sub(r"[\s*:：]", "", s)


@dataclass(frozen=True)
class RowError:
    """A problem on one row of an imported file (members, attendance, history, ledger …)."""

    row_number: int  # as the spreadsheet shows it; the header is row 1
    field: str  # template column, "" for a problem of the whole row
    value: str
    reason: str
    sheet: str = ""  # the workbook's sheet, where one import read several

    def message(self, file_name: str = "") -> str:
        where = f"{file_name}：" if file_name else ""
        value = f"“{self.value}”" if self.value else ""
        what = f"，{self.field}{value}" if self.field else ""
        return f"{where}{self.place}{what}：{self.reason}"

    @property
    def place(self) -> str:
        """第 5 行, or 工作表“第二支部”第 5 行 when the import read several sheets."""
        return (f"工作表“{self.sheet}”" if self.sheet else "") + f"第 {self.row_number} 行"

    @property
    def row_label(self) -> str:
        """The row in a table's 行号 cell: 5, or 第二支部 5."""
        return f"{self.sheet} {self.row_number}" if self.sheet else str(self.row_number)

    def __str__(self) -> str:
        return self.message()


@dataclass(frozen=True)
class Mapping:
    """{"columns": {"source header": "template header or None"}, "values": {"template header": {"source": "value"}}}."""

    columns: dict[str, str | None] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def target_of(self, header: str) -> tuple[str, str | None] | None:
        """(source header, target or None) when the mapping names this header (as written, or spaces aside)."""
        if header in self.columns:
            return header, self.columns[header]
        key = header_key(header)
        for source, target in self.columns.items():
            if key and header_key(source) == key:
                return source, target
        return None

    def as_dict(self) -> dict:
        return {"columns": dict(self.columns), "values": {k: dict(v) for k, v in self.values.items()}}

    @property
    def empty(self) -> bool:
        return not self.columns and not self.values


# How a 序号 / 编号 column reads where the import has no such column: the rows' own numbering, nothing to
# import and nothing to ask about (its 1, 2 … are not 性别 codes).
ROW_COUNTER = "序号（行的编号），不导入"
ROW_COUNTER_HEADERS = frozenset({"序号", "序", "编号", "行号", "no", "no."})


@dataclass(frozen=True)
class ColumnPlan:
    index: int
    source: str  # the header as written
    target: str | None  # the template column it fills, None when ignored
    how: str  # 模板列名 / 别名 / 按内容 / 映射 / 未识别 …
    samples: tuple[str, ...]
    values: tuple[str, ...] = ()  # distinct values (up to 30), for a coded column's value mapping
    clashes: str | None = None  # the template column it also looked like, which an earlier column took

    @property
    def letter(self) -> str:
        n, out = self.index + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out

    def line(self) -> str:
        target = f"→ {self.target}" if self.target else "→ （不导入）"
        sample = "、".join(self.samples) if self.samples else "（空）"
        return f"{self.letter} 列“{self.source}” {target}［{self.how}］ 例：{sample}"


def hidden_column_line(sheet: str, plan: ColumnPlan) -> str:
    """工作表“党员信息”第 D 列“联系电话”（导入为“手机号码”）在表格中被隐藏，也会导入."""
    where = f"工作表“{sheet}”" if sheet else ""
    field = "" if header_key(plan.source) == plan.target else f"（导入为“{plan.target}”）"
    return f"{where}第 {plan.letter} 列“{plan.source}”{field}在表格中被隐藏，也会导入"


def hidden_rows_line(rows: tuple[int, ...], shown: int = 10) -> str:
    """其中 2 行在表格中是隐藏的 … 第 3、5 行, as the member import says it; "" for none."""
    if not rows:
        return ""
    numbers = "、".join(map(str, rows[:shown])) + ("……" if len(rows) > shown else "")
    return f"其中 {len(rows)} 行在表格中是隐藏的（隐藏行或筛选掉的行），照常导入：第 {numbers} 行"


@dataclass(frozen=True)
class Skipped:
    row_number: int
    reason: str  # 说明行 / 合计行
    text: str

    def line(self) -> str:
        return f"第 {self.row_number} 行是{self.reason}，已跳过：{self.text}"


@dataclass(frozen=True)
class ColumnsReport:
    """How a file would be read: for --show-columns and the import dialog's mapping step."""

    kind: str
    file_name: str
    sheet: str
    sheets: tuple[str, ...]
    header_row: int
    data_rows: int
    plan: tuple[ColumnPlan, ...]
    skipped: tuple[Skipped, ...]
    signature: str
    targets: tuple[str, ...]  # every template column one may map to
    required: tuple[str, ...]
    coded: dict[str, tuple[str, ...]]  # coded template columns and their values
    saved: Mapping | None = None  # the mapping saved earlier for this header, if any

    @property
    def missing(self) -> list[str]:
        found = {p.target for p in self.plan}
        return [c for c in self.required if c not in found]

    @property
    def unrecognised(self) -> list[str]:
        return [p.source for p in self.plan if p.target is None and p.source and p.how != ROW_COUNTER]

    @property
    def ambiguous(self) -> list[str]:
        """Required columns two of the file's columns look like: the first was taken, perhaps the wrong one."""
        return [c for c in self.required if any(p.clashes == c for p in self.plan)]

    @property
    def needs_mapping(self) -> bool:
        """Only what the import cannot do without asks; an extra column it does not know is left out and
        listed (未识别的列（不导入）) under the preview."""
        return bool(self.missing or self.ambiguous)

    def mapping_reason(self) -> str:
        """Why the 列映射 step asks: 缺少“党组织”，“姓名”有不止一列像是它，另有 2 列未识别."""
        parts = [f"缺少“{'、'.join(self.missing)}”"] if self.missing else []
        parts += [f"“{c}”有不止一列像是它" for c in self.ambiguous]
        if self.unrecognised:
            parts.append(f"另有 {len(self.unrecognised)} 列未识别")
        return "，".join(parts)

    def lines(self) -> list[str]:
        lines = [f"{self.file_name}：表头在第 {self.header_row} 行，数据 {self.data_rows} 行"]
        if len(self.sheets) > 1:
            lines.append(f"工作表：{'、'.join(self.sheets)}（读取“{self.sheet}”，可用 --sheet 选择）")
        if self.saved is not None:
            lines.append("（已按上次为此表头保存的列映射读取）")
        lines += [p.line() for p in self.plan]
        lines += [s.line() for s in self.skipped]
        if self.missing:
            lines.append(f"缺少必需的列：{'、'.join(self.missing)}（可用 --map 指定哪一列是它）")
        return lines


@dataclass(frozen=True)
class HistoryPreview:
    """A history import (发展党员, 三会一课, 居民, 台账) as previewed: what apply writes, and why rows were refused.

    `items` are the import's own planned records; apply takes exactly these,
    re-checks them in its transaction and writes all of them or nothing.
    """

    kind: str
    file_name: str
    items: tuple[Any, ...]
    errors: tuple[RowError, ...]
    skipped: tuple[Skipped, ...]
    total_rows: int
    lines: tuple[str, ...] = ()  # what the import will do, one line each
    mapping: Mapping | None = None
    signature: str = ""
    unread_sheets: tuple[str, ...] = ()  # a workbook's other sheets, each imported on its own
    # rows and columns the sheet hides, imported all the same: the worker may not see them (一句一条)
    hidden: tuple[str, ...] = ()

    @classmethod
    def of_sheet(cls, kind: str, parsed: Any, items, errors, lines, mapping: Mapping | None) -> HistoryPreview:
        """The preview of a sheet read by exchange.sheets (`parsed`: its table and rows)."""
        t = parsed.table
        rows = hidden_rows_line(tuple(t.hidden))
        return cls(kind, t.name, tuple(items), tuple(errors), tuple(t.skipped), len(parsed.rows), tuple(lines),
                   mapping, t.signature, tuple(s for s in t.sheets if s != t.sheet) if t.sheet else (),
                   ((rows,) if rows else ()) + tuple(t.hidden_column_lines()))

    @property
    def invalid_rows(self) -> int:
        return len({e.row_number for e in self.errors})

    def check_applicable(self, kind: str, what: str) -> None:
        """Apply writes a clean preview of its own kind only (`what`: the import's name in the refusal)."""
        if self.kind != kind:
            raise DomainError(f"不是{what}导入的预览")
        if self.errors:
            raise DomainError(f"{self.file_name}：有 {self.invalid_rows} 行数据有误，未导入任何数据")

    def error_lines(self, limit: int | None = None) -> list[str]:
        shown = self.errors if limit is None else self.errors[:limit]
        out = [e.message() for e in shown]
        if limit is not None and len(self.errors) > limit:
            out.append(f"……另有 {len(self.errors) - limit} 处")
        return out
