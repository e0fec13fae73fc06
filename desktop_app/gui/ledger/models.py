"""The 经费台账 page's tables as columns over read models (the shared ColumnModel shows them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QColor

from desktop_app.domain import ledger as rules
from desktop_app.domain.money import format_yuan
from desktop_app.gui.ledger.forms import GREY, ORANGE, RED, yuan
from desktop_app.gui.widgets.table import CENTER, LEFT, RIGHT, Column
from desktop_app.views.ledger import EntryRow


def with_tooltip(columns: Sequence[Column], tooltip: Callable[[Any], str | None]) -> tuple[Column, ...]:
    """The same columns, each explaining its row with `tooltip`."""
    return tuple(replace(c, tooltip=tooltip) for c in columns)


def _status(e: EntryRow) -> str:
    parts = []
    if e.is_reversal:
        parts.append(f"红字冲销 {e.reversal_of_voucher}")
    if e.reversed_by_voucher:
        parts.append(f"已被 {e.reversed_by_voucher} 冲销")
    if e.month_closed:
        parts.append("已结账")
    return "；".join(parts)


def entry_color(e: EntryRow) -> QColor | None:
    if e.is_reversal:
        return RED
    if e.reversed_by:
        return GREY
    return None


def _entry_tooltip(e: EntryRow) -> str:
    lines = [f"凭证 {e.voucher_no}　{e.entry_date.isoformat()}　{e.direction} {format_yuan(e.amount_fen)} 元",
             f"摘要：{e.memo}", f"经办人：{e.handler or '—'}　录入人：{e.entered_by or '—'}"]
    if e.is_dues:
        lines.append("党费收缴：在“党费”页面登记和撤销")
    return "\n".join(lines)


ENTRY_COLUMNS: tuple[Column, ...] = with_tooltip((
    Column("日期", lambda e: e.entry_date.isoformat(), CENTER, 92),
    Column("凭证号", lambda e: e.voucher_no, CENTER, 84),
    Column("账户", lambda e: e.account_name, LEFT, 110),
    Column("类别", lambda e: e.category, CENTER, 70),
    Column("摘要", lambda e: e.memo, LEFT, 200),  # narrower: 1366 pixels hold every column, 状态 uncut
    Column("收/付款方", lambda e: e.counterparty, LEFT, 100),
    Column("收入", lambda e: yuan(e.income_fen, True), RIGHT, 92),
    Column("支出", lambda e: yuan(e.expense_fen, True), RIGHT, 92),
    Column("经办人", lambda e: e.handler, CENTER, 64),
    Column("附件", lambda e: str(e.attachments) if e.attachments else "", CENTER, 44),
    Column("状态", _status, LEFT, 160),
), _entry_tooltip)

BALANCE_COLUMNS: tuple[Column, ...] = (
    Column("账户", lambda b: b.name + ("（已停用）" if not b.active else ""), LEFT, 180),
    Column("累计收入", lambda b: yuan(b.income_fen), RIGHT, 120),
    Column("累计支出", lambda b: yuan(b.expense_fen), RIGHT, 120),
    Column("余额", lambda b: yuan(b.balance_fen), RIGHT, 120),
)
STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("账户", lambda x: x.account_name, LEFT, 180),
    Column("月初余额", lambda x: yuan(x.opening_fen), RIGHT, 120),
    Column("本月收入", lambda x: yuan(x.income_fen), RIGHT, 120),
    Column("本月支出", lambda x: yuan(x.expense_fen), RIGHT, 120),
    Column("月末余额", lambda x: yuan(x.closing_fen), RIGHT, 120),
)
_LEVEL_COLORS = {rules.NEAR: ORANGE, rules.REACHED: ORANGE, rules.OVER: RED}


def _level_color(b) -> QColor | None:
    return _LEVEL_COLORS.get(b.state.level)


BUDGET_COLUMNS: tuple[Column, ...] = with_tooltip((
    Column("账户", lambda b: b.account_name, LEFT, 170),
    Column("支出类别", lambda b: b.category or "（账户合计）", LEFT, 110),
    Column("预算", lambda b: "未列预算" if b.budget_fen is None else yuan(b.budget_fen), RIGHT, 110),
    Column("实际支出", lambda b: yuan(b.spent_fen), RIGHT, 110),
    Column("剩余", lambda b: "" if b.remaining_fen is None else yuan(b.remaining_fen), RIGHT, 110),
    Column("执行率", lambda b: "" if b.state.percent is None else f"{b.state.percent}%", RIGHT, 70, color=_level_color),
    Column("状态", lambda b: b.state.level, CENTER, 90, color=_level_color),
), lambda b: b.message)
