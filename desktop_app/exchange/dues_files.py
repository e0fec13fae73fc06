"""党费收缴登记表 sheets: a branch's dues of the years before the program, WIDE or LONG.

WIDE, as treasurers keep it: a title row (2025年度党费收缴登记表), one row per
member (序号, 姓名, 身份证号, 所在支部, 月缴纳额) and the months 1月 … 12月 holding
the amount paid, a mark (√, 已交) or nothing, and a 合计 row at the bottom.
LONG, as other systems export it: one row per member and month (姓名, 月份,
应交, 实交, 交纳日期, 收缴人). Both are read with the same Spec; which shape a
sheet has follows from its columns. Here are the cells: what they mean is
services.dues_import's.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from desktop_app.exchange import history
from desktop_app.exchange.sheets import Spec

MONTHS: tuple[str, ...] = tuple(f"{k}月" for k in range(1, 13))
COLUMNS: tuple[str, ...] = (
    "姓名", "公民身份号码", "所在党支部", "应交", *MONTHS, "全年合计", "月份", "实交", "交纳日期", "收缴人", "备注",
)
# The WIDE register the template gives: the LONG columns are read, not offered
TEMPLATE_COLUMNS: tuple[str, ...] = ("姓名", "公民身份号码", "所在党支部", "应交", *MONTHS, "全年合计", "收缴人", "备注")
_CN = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
_MONTH_ALIASES = {alias: f"{k}月" for k in range(1, 13)
                  for alias in (f"{k}月份", f"{k:02d}月", f"{_CN[k - 1]}月", f"{_CN[k - 1]}月份")}
# A register headed 2025年1月 … names its year in every month's header
_MONTH_ALIASES |= {f"{y}年{k}月": f"{k}月" for y in range(2000, 2041) for k in range(1, 13)}
ALIASES: dict[str, str] = {
    "党员姓名": "姓名", "交纳人": "姓名", "缴纳人": "姓名",
    "身份证号": "公民身份号码", "身份证号码": "公民身份号码", "证件号码": "公民身份号码", "身份证": "公民身份号码",
    "所在支部": "所在党支部", "党支部": "所在党支部", "支部": "所在党支部", "所属支部": "所在党支部",
    "所属党支部": "所在党支部", "支部名称": "所在党支部", "所在党组织": "所在党支部",
    "月缴纳额": "应交", "交纳标准": "应交", "缴纳标准": "应交", "每月应交": "应交", "月应交党费": "应交",
    "应交党费": "应交", "应交金额": "应交", "应缴": "应交", "应缴金额": "应交", "应缴党费": "应交",
    "月交纳额": "应交", "每月交纳额": "应交", "月交纳标准": "应交", "月缴纳标准": "应交",
    "所属月份": "月份", "交纳月份": "月份", "缴纳月份": "月份", "缴费月份": "月份", "党费月份": "月份", "月度": "月份",
    "实交金额": "实交", "实缴": "实交", "实缴金额": "实交", "交纳金额": "实交", "缴纳金额": "实交",
    "实交党费": "实交", "实缴党费": "实交", "金额": "实交", "已交金额": "实交",
    "缴纳日期": "交纳日期", "缴费日期": "交纳日期", "交费日期": "交纳日期", "收缴日期": "交纳日期", "交纳时间": "交纳日期",
    "缴纳时间": "交纳日期",
    "合计": "全年合计", "年度合计": "全年合计", "小计": "全年合计", "合计金额": "全年合计", "总计": "全年合计",
    "全年合计金额": "全年合计", "全年": "全年合计", "累计": "全年合计",
    "经办人": "收缴人", "收款人": "收缴人", "收费人": "收缴人", "收缴经办人": "收缴人",
    **_MONTH_ALIASES,
}
# template column -> (key, parser); the month cells, 实交 and 月份 are read as text and judged below
FIELDS: dict[str, tuple[str, str]] = {
    "姓名": ("name", "text"), "公民身份号码": ("id_number", "id"), "所在党支部": ("branch", "text"),
    "应交": ("due", "fen"), "月份": ("month", "text"), "实交": ("paid", "text"), "交纳日期": ("paid_on", "date"),
    "收缴人": ("collector", "text"), "备注": ("notes", "text"), "全年合计": ("total", "fen"),
    **{m: (f"m{k}", "text") for k, m in enumerate(MONTHS, start=1)},
}
SPEC = Spec(
    kind="dues", title="党费收缴", columns=COLUMNS, aliases=ALIASES, required=("姓名",),
    dates=("交纳日期",), id_column="公民身份号码", date_keywords=(("交纳", "交纳日期"), ("缴费", "交纳日期")),
    template="党费收缴登记表导入模板.xlsx",
)

# A month cell that says "paid" without the amount, and one that says nothing was paid
PAID_MARKS = frozenset({"√", "✓", "✔", "☑", "已交", "已缴", "已交纳", "已缴纳", "交", "是", "v", "V", "已收"})
NOT_PAID = frozenset({"-", "—", "–", "/", "／", "未交", "未缴", "欠", "欠交", "否", "×", "x", "X", "0", "免交", "免"})
PAID = "paid"  # a month cell's reading: (PAID, None) for a mark, (PAID, fen) for an amount, None for nothing


def month_cell(text: str) -> tuple[str, int | None] | None:
    """A month's cell in a WIDE register: an amount, a mark without one, or nothing paid."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not t or t in NOT_PAID:
        return None
    if t in PAID_MARKS:
        return PAID, None
    fen = history.fen(t)
    if fen is None or fen == 0:
        return None
    if fen < 0:
        raise ValueError("交纳金额不能为负数")
    return PAID, fen


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_MONTH_PATTERNS = (
    re.compile(r"^((?:19|20)\d{2})[-/.年](\d{1,2})月?(?:[-/.](\d{1,2})日?)?$"),  # 2025-03, 2025年3月, 2025.3, 2025-03-01
    re.compile(r"^((?:19|20)\d{2})(\d{2})$"),  # 202503
)


def month_of(value: Any, year: int | None) -> date:
    """A LONG row's 月份: 2025-03, 2025年3月, 202503, an Excel date, or 3月 / 3 with `year` (the title's)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))
    if not t:
        raise ValueError("请填写交纳的月份")
    for pattern in _MONTH_PATTERNS:
        if m := pattern.match(t):
            y, k = int(m[1]), int(m[2])
            if 1 <= k <= 12:
                return date(y, k, 1)
            raise ValueError("月份应在 1 到 12 之间")
    if m := re.fullmatch(r"(\d{1,2})月?份?", t) or re.fullmatch(r"(十[一二]?|[一二三四五六七八九])月份?", t):
        k = int(m[1]) if m[1].isdigit() else _CN.index(m[1]) + 1
        if not 1 <= k <= 12:
            raise ValueError("月份应在 1 到 12 之间")
        if year is None:
            raise ValueError("没有写年份，表格标题中也没有年度：请在标题中写明（如 2025年度）或导入时填写年度")
        return date(year, k, 1)
    raise ValueError("不是月份：请写成 2025-03、2025年3月，或在标题写明年度后只写 3月")


def year_in(*texts: str) -> int | None:
    """The year a title, sheet name or file name names (2025年度党费收缴登记表 -> 2025)."""
    for t in texts:
        if m := _YEAR.search(unicodedata.normalize("NFKC", t or "")):
            return int(m[1])
    return None


def header_year(header: list[str]) -> int | None:
    """The year of a register whose month columns are headed 2025年1月 …"""
    return year_in(*(h for h in header if re.search(r"年\s*\d{1,2}\s*月", h or "")))


def yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"
