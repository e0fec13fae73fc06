"""党费比例: the rate table in force and its history, in words; a new table for one category from a month on.

Read-only where the street sets the rates (an enrolled community) or the account may
not change settings: the reason is shown instead of the editor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.domain import dues as rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.money import format_yuan
from desktop_app.gui.ledger.forms import date_edit, from_qdate
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.layouts import hint
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.services import dues
from desktop_app.views.changes import Changes

COLUMNS = ("以上（元）", "至（元，含）", "比例（%）", "定额或最低（元）", "最高（元）")
KEEP_OLD = "所选月份之前的各月仍按原标准计算，已登记交纳的党费金额不变。"


def _bracket_column(i: int, title: str) -> Column:
    """A bracket's cell as typed (a row is a list of the five texts)."""
    def typed(row: list[str], value) -> None:
        row[i] = str(value or "").strip()

    return Column(title, lambda row: row[i], edit=typed, value=lambda row: row[i])


BRACKET_COLUMNS = tuple(_bracket_column(i, t) for i, t in enumerate(COLUMNS))


def _cells(r: RateRule) -> tuple[str, ...]:
    def yuan(fen: int | None) -> str:
        return "" if fen is None else format_yuan(fen, grouping=False)

    rate = "" if r.rate_bp is None else rules.rate_text(r.rate_bp).removesuffix("%")
    low = r.fixed_fen if r.fixed_fen is not None else r.min_fen
    return yuan(r.over_fen), yuan(r.upto_fen), rate, yuan(low), yuan(r.max_fen)


def table_html(table: Sequence[RateRule], today: date | None = None) -> str:
    parts = []
    for t in dues.rate_tables(table, today):
        colour = "#000" if t.state == "现行" else "#777"
        items = "".join(f"<li>{w}</li>" for w in t.words)
        parts.append(f'<p style="color:{colour}; margin:6px 0 0 0"><b>{t.heading}</b></p>'
                     f'<ul style="color:{colour}; margin:0">{items}</ul>')
    return "".join(parts)


class RatesDialog(SavingDialog):
    """The 党费比例; `locked` (why it may not be changed here) or no `save` makes it read-only."""

    def __init__(self, parent: QWidget | None, table: Sequence[RateRule], *, locked: str | None = None,
                 save: Callable[[list[RateRule]], object] | None = None, changes: Changes | None = None,
                 today: date | None = None):
        super().__init__(parent, "党费比例", "保存新标准", save=save, changes=changes,
                         cancel_text="关闭" if locked else "取消")
        self.table = list(table)
        self.today = today or date.today()
        self.words = QTextBrowser()
        self.words.setHtml(table_html(self.table, self.today))
        self.words.setMinimumHeight(160)
        self.lock_note = QLabel(locked or "")
        self.lock_note.setWordWrap(True)
        self.lock_note.setStyleSheet("color: #b26a00; font-weight: bold")
        self.lock_note.setVisible(bool(locked))

        self.category = QComboBox()
        self.category.addItems(list(rules.CATEGORIES))
        self.month = date_edit(rules.add_months(rules.month_of(self.today), 1), month_only=True)
        self.brackets = ColumnModel(BRACKET_COLUMNS)
        self.rows = table_view(self.brackets, editable=True, fit=False)
        self.rows.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.rows.setMinimumHeight(150)
        add, remove = QPushButton("添加一档"), QPushButton("删除选中的档")
        add.clicked.connect(lambda: self.add_row(("",) * len(COLUMNS)))
        remove.clicked.connect(self.remove_rows)
        top = QHBoxLayout()
        for w in (QLabel("人员类别"), self.category, QLabel("自"), self.month, QLabel("起执行")):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(add)
        top.addWidget(remove)
        how = hint("金额以元填写。按收入分档的类别：“以上”不含、“至”含，最低一档“以上”空着，最高一档“至”空着；"
                   "每档填比例，或填定额；农民等自愿交纳的，在“定额或最低”和“最高”填范围。" + KEEP_OLD)
        how.setWordWrap(True)
        self.editor = QGroupBox("调整某一类别的党费比例（自某月起执行新标准）")
        box = QVBoxLayout(self.editor)
        box.addLayout(top)
        box.addWidget(self.rows, 1)
        box.addWidget(how)
        self.editor.setVisible(not locked and save is not None)
        self.ok_button.setVisible(not locked and save is not None)

        lay = self.finish_layout(self.lock_note, QLabel("现行标准和历次调整："), self.words, self.editor)
        # the room a larger window gives goes to the table in words and the brackets, not below them
        lay.setStretchFactor(self.words, 3)
        lay.setStretchFactor(self.editor, 2)
        lay.setStretch(lay.count() - 3, 0)  # finish_layout's spacer above the refusal line and the buttons
        self.resize(780, 660)
        self.category.currentTextChanged.connect(self.fill_from_table)
        self.fill_from_table()
        self.first_field = self.category

    # ------------------------------------------------------------------ rows
    def add_row(self, cells: Sequence[str]) -> None:
        self.brackets.append(list(cells))

    def remove_rows(self) -> None:
        gone = {i.row() for i in self.rows.selectionModel().selectedRows()}
        self.brackets.set_rows([r for k, r in enumerate(self.brackets.rows) if k not in gone])

    def clear_rows(self) -> None:
        self.brackets.set_rows([])

    def row_count(self) -> int:
        return len(self.brackets.rows)

    def fill_from_table(self, *_args) -> None:
        """The category's table in force on the month chosen: the worker changes what differs."""
        got = sorted(rules.rules_in_force(self.table, self.category.currentText(), from_qdate(self.month.date())),
                     key=lambda r: -1 if r.over_fen is None else r.over_fen)
        self.brackets.set_rows([list(_cells(r)) for r in got])

    def cell(self, row: int, col: int) -> str:
        return self.brackets.rows[row][col]

    def typed(self) -> list[list[str]]:
        return [list(r) for r in self.brackets.rows]

    def field_values(self) -> list:
        """The brackets typed count as fields: closing after changing one asks first."""
        return [*super().field_values(), self.typed()]

    # ------------------------------------------------------------------ saving
    def lines(self) -> list[RateRule]:
        return dues.rate_lines(self.category.currentText(), from_qdate(self.month.date()), self.typed())

    def check(self) -> None:
        self.lines()

    def values(self) -> tuple[list[RateRule]]:
        return (self.lines(),)

    def confirmed(self) -> bool:
        from desktop_app.gui.widgets import common

        since = rules.month_label(from_qdate(self.month.date()))
        return common.ask(self, "确认党费比例", f"{self.category.currentText()}自{since}起按新标准计算党费。\n{KEEP_OLD}\n确定保存吗？")
