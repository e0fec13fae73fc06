"""收支明细账: one account's entries for a period, with running balance, monthly totals and capitals.

Plain data in (views.ledger.AccountLedger), PDF out; no SQL here.
A 红字冲销 prints with its negative amount in the same column as the entry it
cancels, so each column adds up as printed.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from desktop_app.domain.money import amount_in_capitals, format_yuan
from desktop_app.reports.base import (
    A4_PORTRAIT,
    Column,
    ModelReport,
    ReportRenderer,
    chinese_date,
    iso_date,
    model_renderer,
    rich,
)
from desktop_app.views.ledger import AccountLedger

# Points on A4 portrait (510 pt of frame). Dates, voucher numbers and amounts up to
# 99,999,999.99 fit on one line in the widest font we may pick (WenQuanYi Zen Hei).
COLUMNS: tuple[Column, ...] = (
    Column("日期", 57, "CENTER"),
    Column("凭证号", 54, "CENTER"),
    Column("摘要", 131),
    Column("收/付款方", 66),
    Column("收入", 66, "RIGHT"),
    Column("支出", 66, "RIGHT"),
    Column("余额", 70, "RIGHT"),
)


def _amount(fen: int, blank_zero: bool = True) -> str:
    return "" if blank_zero and fen == 0 else format_yuan(fen)


def ledger_rows(data: AccountLedger) -> list[list[str]]:
    """The table's rows: 期初余额, entries with 本月合计 after each month, 本期累计, 期末余额."""
    rows: list[list[str]] = [
        [iso_date(data.date_from), "", "期初余额", "", "", "", format_yuan(data.opening_fen)]
    ]
    lines = data.lines
    total_in = total_out = month_in = month_out = 0
    for i, line in enumerate(lines):
        summary = line.summary
        if line.reversed_by_voucher:
            summary += f"（已被 {line.reversed_by_voucher} 冲销）"
        balance = format_yuan(line.balance_fen)
        rows.append([
            iso_date(line.entry_date), line.voucher_no, summary, line.counterparty,
            _amount(line.income_fen), _amount(line.expense_fen), balance,
        ])
        total_in += line.income_fen
        total_out += line.expense_fen
        month_in += line.income_fen
        month_out += line.expense_fen
        d = line.entry_date
        following = lines[i + 1].entry_date if i + 1 < len(lines) else None
        if following is None or (following.year, following.month) != (d.year, d.month):
            rows.append(["", "", f"{d.year}年{d.month}月 本月合计", "", format_yuan(month_in),
                         format_yuan(month_out), balance])
            rows.append(["", "", "本期累计", "", format_yuan(total_in), format_yuan(total_out), balance])
            month_in = month_out = 0
    rows.append([iso_date(data.date_to), "", "期末余额", "", "", "", format_yuan(data.closing_fen)])
    return rows


class AccountLedgerReport(ModelReport):
    title = "收支明细账"
    pagesize = A4_PORTRAIT

    def build_story(self) -> list[Flowable]:
        d = self.model
        period = f"{chinese_date(d.date_from)}至{chinese_date(d.date_to)}"
        story: list[Flowable] = [
            self.para(f"{self.center_name}收支明细账", "Title"),
            self.para(f"账户：{d.account_name}　　期间：{period}　　金额单位：元", "Subtitle"),
        ]
        story.extend(self.table(COLUMNS, ledger_rows(d)))
        reversals = sum(1 for x in d.lines if x.is_reversal)
        summary = (
            f"本期收入 {format_yuan(d.income_fen)} 元，支出 {format_yuan(d.expense_fen)} 元，"
            f"凭证 {len(d.lines)} 张" + (f"（其中红字冲销 {reversals} 张）" if reversals else "") + "。"
        )
        story += [
            Spacer(1, 3 * mm),
            self.para(summary),
            self.para(f"期末余额（大写）：{amount_in_capitals(d.closing_fen)}"),
        ]
        open_months = _open_months(d)
        if open_months:
            story.append(self.para(f"注：{open_months}尚未结账，数字可能变动。", "Small"))
        story += [Spacer(1, 8 * mm), signature_row(self, ("会计", "出纳", "审核", "负责人"))]
        return story


def _open_months(d: AccountLedger) -> str:
    """The months of the period with entries that are not closed yet, in order."""
    busy = {(x.entry_date.year, x.entry_date.month) for x in d.lines}
    closed = {(m.year, m.month) for m in d.closed_months}
    return "、".join(f"{y}年{m}月" for y, m in sorted(busy - closed))


def signature_row(report: ReportRenderer, roles: tuple[str, ...]) -> Table:
    """A row of "会计：______" blanks for signatures."""
    assert report.styles is not None and report.font is not None
    cells = [Paragraph(rich(f"{role}：", report.font), report.styles["Normal"]) for role in roles]
    width = report.frame_width / len(roles)
    return Table([cells], colWidths=[width] * len(roles), hAlign="LEFT")


render_account_ledger = model_renderer(
    AccountLedgerReport, "The 收支明细账 PDF as bytes; also written atomically to `out` when given.")
