"""列映射: say what each column of another system's spreadsheet is, and how its coded values read.

Shown by an import dialog when a file's headers are not all recognised (or on
request): one line per source column with sample values and a choice of the
field it fills (or 不导入); under it, for the coded fields (性别, 人员类别 …),
each value the file holds with the value it stands for. The mapping can be
saved for the header layout, so the same file reads the same way next time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.services import imports
from desktop_app.views.imports import ColumnsReport, Mapping

IGNORE = "（不导入）"
AS_IS = "（自动）"  # the value as written, or its usual code (1/2 → 男/女)


def _table(headers: tuple[str, ...]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return t


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


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
        self.columns = _table(("列", "原表头", "示例", "识别", "读作"))
        self.combos: list[QComboBox] = []
        for p in report.plan:
            row = self.columns.rowCount()
            self.columns.insertRow(row)
            self.columns.setItem(row, 0, _item(p.letter))
            self.columns.setItem(row, 1, _item(p.source or "（无表头）"))
            self.columns.setItem(row, 2, _item("、".join(p.samples)))
            self.columns.setItem(row, 3, _item(p.how))
            combo = QComboBox()
            combo.addItems([IGNORE, *report.targets])
            combo.setCurrentText(p.target or IGNORE)
            combo.setToolTip(p.how)
            combo.currentTextChanged.connect(self._fill_values)
            self.columns.setCellWidget(row, 4, combo)
            self.combos.append(combo)
        for col, width in enumerate((36, 140, 200, 150)):
            self.columns.setColumnWidth(col, width)
        self.values = _table(("内容", "文件中的值", "读作"))
        self.value_combos: dict[tuple[str, str], QComboBox] = {}
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
        self.first_field = self.combos[0] if self.combos else None

    def target(self, source: str) -> str | None:
        """The field the dialog now maps `source` to (for tests and the values table)."""
        for p, combo in zip(self.report.plan, self.combos):
            if p.source == source:
                return None if combo.currentText() == IGNORE else combo.currentText()
        raise KeyError(source)

    def choose(self, source: str, target: str | None) -> None:
        for p, combo in zip(self.report.plan, self.combos):
            if p.source == source:
                combo.setCurrentText(target or IGNORE)
                return
        raise KeyError(source)

    def choose_value(self, target: str, value: str, meaning: str | None) -> None:
        self.value_combos[(target, value)].setCurrentText(meaning or AS_IS)

    def _fill_values(self) -> None:
        kept = {k: c.currentText() for k, c in self.value_combos.items()}
        self.values.setRowCount(0)
        self.value_combos = {}
        for p, combo in zip(self.report.plan, self.combos):
            target = combo.currentText()
            allowed = self.report.coded.get(target)
            if not allowed or not p.values:
                continue
            for value in p.values:
                row = self.values.rowCount()
                self.values.insertRow(row)
                self.values.setItem(row, 0, _item(target))
                self.values.setItem(row, 1, _item(value))
                box = QComboBox()
                box.addItems([AS_IS, *allowed])
                current = kept.get((target, value)) or self._given_values.get(target, {}).get(value) or AS_IS
                box.setCurrentText(current)
                self.values.setCellWidget(row, 2, box)
                self.value_combos[(target, value)] = box
        self.values.setColumnWidth(0, 120)
        self.values.setColumnWidth(1, 200)

    def mapping_data(self) -> dict:
        columns: dict[str, str | None] = {}
        for p, combo in zip(self.report.plan, self.combos):
            if p.source:
                columns[p.source] = None if combo.currentText() == IGNORE else combo.currentText()
        chosen = [t for t in columns.values() if t]
        if dup := next((t for t in chosen if chosen.count(t) > 1), None):
            raise ValidationError("读作", f"有两列都选了“{dup}”，每项内容只能来自一列")
        if missing := [c for c in self.report.required if c not in chosen]:
            raise ValidationError("读作", f"还没有选择哪一列是：{'、'.join(missing)}")
        values: dict[str, dict[str, str]] = {}
        for (target, value), box in self.value_combos.items():
            if box.currentText() != AS_IS:
                values.setdefault(target, {})[value] = box.currentText()
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
