"""年度经费收支汇总表: per account 上年结转, income, expense and balance; categories; months; budgets.

Plain data in (views.ledger_funds.YearFunds), PDF out. The accounts' 合计 leaves the 党费 account out,
as the 工作台's 经费 figures do (one rule, YearFunds); 党费 follows on its own line, then the 总计
with it, which the month table (all accounts) adds up to.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from desktop_app.domain.money import amount_in_capitals, format_yuan
from desktop_app.reports.base import (
    A4_PORTRAIT,
    Column,
    ModelReport,
    model_renderer,
    rich,
)
from desktop_app.reports.ledger import signature_row
from desktop_app.views.ledger import AnnualSummary, StatementLine
from desktop_app.views.ledger_funds import YearFunds

ACCOUNT_COLUMNS = (
    Column("账户", 150), Column("上年结转", 90, "RIGHT"), Column("本年收入", 90, "RIGHT"),
    Column("本年支出", 90, "RIGHT"), Column("年末余额", 90, "RIGHT"),
)
CATEGORY_COLUMNS = (
    Column("账户", 150), Column("收支", 50, "CENTER"), Column("类别", 130), Column("金额", 100, "RIGHT"),
)
MONTH_COLUMNS = (
    Column("月份", 80, "CENTER"), Column("收入", 110, "RIGHT"), Column("支出", 110, "RIGHT"),
    Column("收支差额", 110, "RIGHT"), Column("结账", 70, "CENTER"),
)
BUDGET_COLUMNS = (
    Column("账户", 130), Column("类别", 80), Column("预算", 80, "RIGHT"), Column("实际支出", 80, "RIGHT"),
    Column("执行率", 55, "RIGHT"), Column("状态", 70, "CENTER"),
)


def _account_row(x: StatementLine) -> list[str]:
    return [x.account_name, format_yuan(x.opening_fen), format_yuan(x.income_fen),
            format_yuan(x.expense_fen), format_yuan(x.closing_fen)]


def account_rows(year: YearFunds) -> list[list[str]]:
    return [_account_row(x) for x in year.rows]  # 合计（不含党费）, 党费, 总计（含党费）: as the 经费台账's 月报


def category_rows(summary: AnnualSummary) -> list[list[str]]:
    return [[c.account_name, c.direction, c.category or "（未分类）", format_yuan(c.amount_fen)] for c in summary.categories]


def month_rows(summary: AnnualSummary) -> list[list[str]]:
    rows = [
        [f"{m.month.month}月", format_yuan(m.income_fen), format_yuan(m.expense_fen),
         format_yuan(m.income_fen - m.expense_fen), "已结账" if m.closed else "未结账"]
        for m in summary.months
    ]
    inc = sum(m.income_fen for m in summary.months)
    exp = sum(m.expense_fen for m in summary.months)
    rows.append(["全年", format_yuan(inc), format_yuan(exp), format_yuan(inc - exp), ""])
    return rows


def budget_rows(summary: AnnualSummary) -> list[list[str]]:
    rows = []
    for b in summary.budgets:
        state = b.state
        rows.append([
            b.account_name, b.category or "（账户合计）",
            "—" if b.budget_fen is None else format_yuan(b.budget_fen), format_yuan(b.spent_fen),
            "" if state.percent is None else f"{state.percent}%", state.level,
        ])
    return rows


class AnnualLedgerReport(ModelReport):
    title = "年度经费收支汇总表"
    pagesize = A4_PORTRAIT

    def _section(self, title: str, columns, rows) -> list[Flowable]:
        return self.headed(title, self.table(columns, rows))

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        year: YearFunds = self.model
        s, styles, font = year.summary, self.styles, self.font
        story: list[Flowable] = [
            self.para(f"{self.center_name}{s.year}年度经费收支汇总表", "Title"),
            self.para(f"{s.year}年1月1日至{s.year}年12月31日　　金额单位：元", "Subtitle"),
        ]
        story += self._section("一、各账户收支及结余", ACCOUNT_COLUMNS, account_rows(year))
        capitals = amount_in_capitals(year.funds_total.closing_fen)
        story.append(Paragraph(rich(f"经费年末余额合计（不含党费，大写）：{capitals}", font), styles["Normal"]))
        story += self._section("二、收支分类", CATEGORY_COLUMNS, category_rows(s) or [["本年无收支", "", "", ""]])
        months = "三、月度收支（含党费）" if year.dues else "三、月度收支"
        story += self._section(months, MONTH_COLUMNS, month_rows(s))
        if s.budgets:
            story += self._section("四、预算执行情况", BUDGET_COLUMNS, budget_rows(s))
        closed = sum(1 for m in s.months if m.closed)
        note = f"本年共记账凭证 {s.entry_count} 张，其中红字冲销 {s.reversal_count} 张；已结账 {closed} 个月。"
        story += [
            Spacer(1, 3 * mm),
            self.para(note),
            Spacer(1, 10 * mm),
            signature_row(self, ("编制人", "审核人", "负责人", "日期")),
        ]
        return story


render_annual_ledger = model_renderer(
    AnnualLedgerReport, "The year's summary PDF as bytes; also written atomically to `out` when given.")
