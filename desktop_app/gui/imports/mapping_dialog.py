"""列映射: say what each column of another system's spreadsheet is, and how its coded values read.

Shown by an import dialog when a file's headers are not all recognised (or on
request): one line per source column with sample values and a choice of the
field it fills (or 不导入); under it, for the coded fields (性别, 人员类别 …),
each value the file holds with the value it stands for. The mapping can be
saved for the header layout, so the same file reads the same way next time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QTableView, QVBoxLayout

from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.services import imports
from desktop_app.views.imports import ColumnPlan, ColumnsReport, Mapping

IGNORE = "（不导入）"
AS_IS = "（自动）"  # the value as written, or its usual code (1/2 → 男/女)
READS_AS = 4  # the 读作 column of the columns table
MEANING = 2  # the 读作 column of the values table


@dataclass
class _Source:
    """One column of the file and the field it fills (IGNORE for none), as chosen so far."""

    plan: ColumnPlan
    target: str


@dataclass
class _Code:
    """One value a coded column holds and what it reads as (AS_IS: as written)."""

    target: str
    value: str
    allowed: tuple[str, ...]
    meaning: str


def _shown(title: str, text, width: int) -> Column:
    return Column(title, text, width=width, tooltip=text)  # samples and headers are often cut short


def _set(attr: str):
    return lambda row, value: setattr(row, attr, value)


def _choices(first: str, values) -> list[tuple[str, str]]:
    return [(first, first), *((v, v) for v in values)]


def show_sheets(box: QComboBox, report: ColumnsReport) -> None:
    """The sheet box beside an import's file: the workbook's sheets, the one read current; hidden for one sheet."""
    box.blockSignals(True)  # filling it is not the user choosing a sheet
    box.clear()
    box.addItems(list(report.sheets))
    box.setCurrentText(report.sheet)
    box.blockSignals(False)
    box.setVisible(len(report.sheets) > 1)


def _table(model: ColumnModel, stretch: int) -> QTableView:
    view = table_view(model, stretch=stretch)
    model.setParent(view)
    view.setAlternatingRowColors(False)
    view.horizontalHeader().setHighlightSections(True)
    view.verticalHeader().resetDefaultSectionSize()  # room for the combo boxes
    return view


class MappingDialog(SavingDialog):
    """Returns (record_saved / .saved) the Mapping the user confirmed, saved for the layout when ticked."""

    def __init__(self, parent, db, kind: str, path: str | Path, report: ColumnsReport, sheet: str | None = None):
        super().__init__(parent, "列映射：说明各列是什么", ok_text="按此映射读取")
        self.db, self.kind, self.path, self.report, self.sheet = db, kind, Path(path), report, sheet
        given = report.saved or Mapping()
        intro = QLabel(
            f"{report.file_name}：表头在第 {report.header_row} 行，数据 {report.data_rows} 行。"
            "请为每一列选择它对应的内容，不需要的列选“不导入”。"
            + (f"<br><b>必需：</b>{'、'.join(report.required)}" if report.required else "")
        )
        intro.setWordWrap(True)
        targets = _choices(IGNORE, report.targets)
        self.source_model = ColumnModel([
            _shown("列", lambda s: s.plan.letter, 36),
            _shown("原表头", lambda s: s.plan.source or "（无表头）", 140),
            _shown("示例", lambda s: "、".join(s.plan.samples), 200),
            _shown("识别", lambda s: s.plan.how, 150),
            Column("读作", lambda s: s.target, edit=_set("target"), tooltip=lambda s: s.plan.how, choices=targets),
        ])
        self.source_model.set_rows([_Source(p, p.target if p.target in report.targets else IGNORE)
                                    for p in report.plan])
        self.columns = _table(self.source_model, READS_AS)
        self.value_model = ColumnModel([
            Column("内容", lambda c: c.target, width=120),
            Column("文件中的值", lambda c: c.value, width=200),
            Column("读作", lambda c: c.meaning, edit=_set("meaning"), choices=lambda c: _choices(AS_IS, c.allowed)),
        ])
        self.values = _table(self.value_model, MEANING)
        self._given_values = given.values
        self.remember = QCheckBox("保存此映射：下次导入同样表头的文件时自动使用")
        self.remember.setChecked(True)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.columns, 3)
        lay.addWidget(QLabel("代码值（如 1/2、Y/N）对应的内容："))
        lay.addWidget(self.values, 2)
        lay.addWidget(self.remember)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.resize(780, 620)
        self._fill_values()
        self.source_model.dataChanged.connect(lambda *_: self._fill_values())  # another field, other codes
        self.first_field = self.columns.indexWidget(self.source_model.index(0, READS_AS)) if report.plan else None

    def _source_row(self, source: str) -> int:
        for r, s in enumerate(self.source_model.rows):
            if s.plan.source == source:
                return r
        raise KeyError(source)

    def target(self, source: str) -> str | None:
        """The field the dialog now maps `source` to (for tests and the values table)."""
        chosen = self.source_model.rows[self._source_row(source)].target
        return None if chosen == IGNORE else chosen

    def choose(self, source: str, target: str | None) -> None:
        self.source_model.setData(self.source_model.index(self._source_row(source), READS_AS), target or IGNORE)

    def choose_value(self, target: str, value: str, meaning: str | None) -> None:
        r = next((r for r, c in enumerate(self.value_model.rows) if (c.target, c.value) == (target, value)), None)
        if r is None:
            raise KeyError((target, value))
        self.value_model.setData(self.value_model.index(r, MEANING), meaning or AS_IS)

    def _fill_values(self) -> None:
        kept = {(c.target, c.value): c.meaning for c in self.value_model.rows}
        codes = []
        for s in self.source_model.rows:
            allowed = self.report.coded.get(s.target)
            if not allowed or not s.plan.values:
                continue
            for value in s.plan.values:
                meaning = kept.get((s.target, value)) or self._given_values.get(s.target, {}).get(value) or AS_IS
                codes.append(_Code(s.target, value, tuple(allowed), meaning if meaning in allowed else AS_IS))
        self.value_model.set_rows(codes)

    def mapping_data(self) -> dict:
        columns: dict[str, str | None] = {}
        for s in self.source_model.rows:
            if s.plan.source:
                columns[s.plan.source] = None if s.target == IGNORE else s.target
        chosen = [t for t in columns.values() if t]
        if dup := next((t for t in chosen if chosen.count(t) > 1), None):
            raise ValidationError("读作", f"有两列都选了“{dup}”，每项内容只能来自一列")
        if missing := [c for c in self.report.required if c not in chosen]:
            raise ValidationError("读作", f"还没有选择哪一列是：{'、'.join(missing)}")
        values: dict[str, dict[str, str]] = {}
        for c in self.value_model.rows:
            if c.meaning != AS_IS:
                values.setdefault(c.target, {})[c.value] = c.meaning
        return {"columns": columns, "values": values}

    def prepare(self):
        data = self.mapping_data()
        db, kind, path, sheet, save = self.db, self.kind, self.path, self.sheet, self.remember.isChecked()

        def confirm() -> Mapping:
            mapping = imports.mapping_from_dict(db, kind, data)
            if save:
                imports.save_mapping(db, kind, path, mapping, sheet)
            return mapping

        return confirm
