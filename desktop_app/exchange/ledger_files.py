"""经费 ledger sheets (a year's 收支明细账 as a center keeps it): the columns other systems and our template use."""

from __future__ import annotations

from desktop_app.domain import ledger as rules
from desktop_app.exchange.sheets import Spec

COLUMNS: tuple[str, ...] = (
    "日期", "凭证号", "账户", "收支", "类别", "摘要", "收入金额", "支出金额", "金额", "余额", "收付款方", "经办人",
)
ALIASES: dict[str, str] = {
    "记账日期": "日期", "发生日期": "日期", "业务日期": "日期", "凭证日期": "日期",
    "凭证编号": "凭证号", "凭证字号": "凭证号", "凭证": "凭证号",
    "账户名称": "账户", "经费账户": "账户", "科目": "账户", "会计科目": "账户", "资金来源": "账户",
    "收支类型": "收支", "收支方向": "收支", "方向": "收支", "类型": "收支",
    "收支类别": "类别", "用途类别": "类别", "费用类别": "类别",
    "用途": "摘要", "事由": "摘要", "内容": "摘要", "说明": "摘要",
    "收入": "收入金额", "借方": "收入金额", "借方金额": "收入金额", "收入额": "收入金额",
    "支出": "支出金额", "贷方": "支出金额", "贷方金额": "支出金额", "支出额": "支出金额",
    "发生额": "金额", "金额元": "金额", "结余": "余额", "结存": "余额", "账户余额": "余额",
    "收/付款方": "收付款方", "收款方": "收付款方", "付款方": "收付款方",  # 收/付款方: our own 收支明细 export "往来单位": "收付款方", "单位": "收付款方",
    "经手人": "经办人", "经办": "经办人", "报销人": "经办人",
}
FIELDS: dict[str, tuple[str, str]] = {
    "日期": ("on", "date"), "凭证号": ("voucher", "text"), "账户": ("account", "text"),
    "收支": ("direction", "text"), "类别": ("category", "text"), "摘要": ("memo", "text"),
    "收入金额": ("income", "fen"), "支出金额": ("expense", "fen"), "金额": ("amount", "fen"),
    "余额": ("balance", "fen"), "收付款方": ("counterparty", "text"), "经办人": ("handler", "text"),
}
SPEC = Spec(
    kind="ledger", title="经费收支明细", columns=COLUMNS, aliases=ALIASES, required=("摘要",),
    dates=("日期",), choices={"收支": rules.DIRECTIONS},
    codes={"收支": {"收": rules.INCOME, "支": rules.EXPENSE, "进": rules.INCOME, "出": rules.EXPENSE,
                  "借": rules.INCOME, "贷": rules.EXPENSE}},
    date_keywords=(("日期", "日期"), ("时间", "日期")),
    template="经费收支明细导入模板.xlsx",
)
