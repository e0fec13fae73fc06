"""收支明细账: one account's entries for a period, with running balance, monthly totals and capitals.

Plain data in (views.ledger.AccountLedger), PDF out; no SQL here.
A 红字冲销 prints with its negative amount in the same column as the entry it
cancels, so each column adds up as printed.
"""

from __future__ import annotations

from datetime import date

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
    running = data.running()
    total_in = total_out = month_in = month_out = 0
    for i, (entry, balance) in enumerate(running):
        summary = entry.summary
        if entry.reversed_by_voucher:
            summary += f"（已被 {entry.reversed_by_voucher} 冲销）"
        rows.append([
            iso_date(entry.entry_date), entry.voucher_no, summary, entry.counterparty,
            _amount(entry.income_fen), _amount(entry.expense_fen), format_yuan(balance),
        ])
        total_in += entry.income_fen
        total_out += entry.expense_fen
        month_in += entry.income_fen
        month_out += entry.expense_fen
        d = entry.entry_date
        following = running[i + 1][0].entry_date if i + 1 < len(running) else None
        if following is None or (following.year, following.month) != (d.year, d.month):
            rows.append(["", "", f"{d.year}年{d.month}月 本月合计", "", format_yuan(month_in),
                         format_yuan(month_out), format_yuan(balance)])
            rows.append(["", "", "本期累计", "", format_yuan(total_in), format_yuan(total_out), format_yuan(balance)])
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
        reversals = sum(1 for e in d.entries if e.is_reversal)
        summary = (
            f"本期收入 {format_yuan(d.income_fen)} 元，支出 {format_yuan(d.expense_fen)} 元，"
            f"凭证 {len(d.entries)} 张" + (f"（其中红字冲销 {reversals} 张）" if reversals else "") + "。"
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
    months = []
    y, m = d.date_from.year, d.date_from.month
    while (y, m) <= (d.date_to.year, d.date_to.month):
        if date(y, m, 1) not in d.closed_months and any(
            (e.entry_date.year, e.entry_date.month) == (y, m) for e in d.entries
        ):
            months.append(f"{y}年{m}月")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return "、".join(months)


def signature_row(report: ReportRenderer, roles: tuple[str, ...]) -> Table:
    """A row of "会计：______" blanks for signatures."""
    assert report.styles is not None and report.font is not None
    cells = [Paragraph(rich(f"{role}：", report.font), report.styles["Normal"]) for role in roles]
    width = report.frame_width / len(roles)
    return Table([cells], colWidths=[width] * len(roles), hAlign="LEFT")


render_account_ledger = model_renderer(
    AccountLedgerReport, "The 收支明细账 PDF as bytes; also written atomically to `out` when given.")
