"""记账凭证: one voucher per entry, two to an A4 page, with the amount in capitals.

Plain data in (views.ledger.VoucherData), PDF out. A 红字冲销 prints its
negative amount, "负…" in capitals, and the voucher it cancels.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from desktop_app.domain.money import format_yuan
from desktop_app.reports.base import (
    A4_PORTRAIT,
    CELL_PAD_X,
    GRID_COLOR,
    HEADER_FILL,
    RecordsReport,
    chinese_date,
    records_renderer,
    rich,
)
from desktop_app.views.ledger import VoucherData

BLANK_LINES = 3  # empty rows under the entry, as on the printed voucher form


class VoucherReport(RecordsReport):
    title = "记账凭证"
    pagesize = A4_PORTRAIT

    def _p(self, text: str, style: str = "Cell") -> Paragraph:
        assert self.styles is not None and self.font is not None
        return Paragraph(rich(text, self.font), self.styles[style])

    def voucher(self, v: VoucherData) -> list[Flowable]:
        e = v.entry
        w = self.frame_width
        head = Table(
            [[self._p(f"单位：{v.center_name}"), self._p(f"日期：{chinese_date(e.entry_date)}", "CellCenter"),
              self._p(f"凭证号：{e.voucher_no}", "CellRight")]],
            colWidths=[w * 0.4, w * 0.3, w * 0.3],
        )
        income = format_yuan(e.amount_fen) if e.direction == "收入" else ""
        expense = format_yuan(e.amount_fen) if e.direction == "支出" else ""
        widths = [w * 0.36, w * 0.2, w * 0.14, w * 0.15, w * 0.15]
        rows: list[list] = [
            [self._p("摘要", "CellCenter"), self._p("账户", "CellCenter"), self._p("类别", "CellCenter"),
             self._p("收入金额", "CellCenter"), self._p("支出金额", "CellCenter")],
            [self._p(e.summary), self._p(e.account_name), self._p(e.category, "CellCenter"),
             self._p(income, "CellRight"), self._p(expense, "CellRight")],
        ]
        rows += [[""] * 5 for _ in range(BLANK_LINES)]
        rows.append([
            self._p(f"合计（大写）：{v.capitals}"), "", "",
            self._p(format_yuan(e.amount_fen, symbol=True), "CellRight"), "",
        ])
        details = [f"收/付款方：{e.counterparty or '—'}", f"附件：{len(v.attachment_names)} 张"]
        if v.attachment_names:
            details[-1] += "（" + "、".join(v.attachment_names[:3]) + ("等" if len(v.attachment_names) > 3 else "") + "）"
        if e.is_reversal:
            details.append(f"本凭证红字冲销凭证 {e.reversal_of_voucher}")
        if e.reversed_by_voucher:
            details.append(f"本凭证已被凭证 {e.reversed_by_voucher} 冲销")
        rows.append([self._p("　　".join(details)), "", "", "", ""])
        last = len(rows) - 1
        body = Table(
            rows,
            colWidths=widths,
            rowHeights=[None, None] + [6 * mm] * BLANK_LINES + [None, None],
            style=[
                ("BOX", (0, 0), (-1, -1), 1.0, GRID_COLOR),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, GRID_COLOR),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
                ("SPAN", (0, last - 1), (2, last - 1)),
                ("SPAN", (3, last - 1), (4, last - 1)),
                ("SPAN", (0, last), (4, last)),
                ("LINEABOVE", (0, last - 1), (-1, last - 1), 1.0, GRID_COLOR),
            ],
        )
        handler = e.handler or ""
        signatures = Table(
            [[self._p("会计主管："), self._p(f"记账：{e.entered_by}"), self._p("审核："), self._p("出纳："),
              self._p(f"经办人：{handler}")]],
            colWidths=[w / 5] * 5,
        )
        title = self._p("记 账 凭 证" + ("（红字冲销）" if e.is_reversal else ""), "Title")
        cut = Table([[""]], colWidths=[w], style=[("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey, None, (2, 3))])
        return [KeepTogether([title, head, Spacer(1, 1 * mm), body, Spacer(1, 2 * mm), signatures]),
                Spacer(1, 4 * mm), cut, Spacer(1, 6 * mm)]

    def build_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        if not self.records:
            return [self._p("没有要打印的凭证。", "Normal")]
        for v in self.records:
            story.extend(self.voucher(v))
        return story


render_vouchers = records_renderer(
    VoucherReport, "记账凭证 for each entry, as PDF bytes; also written atomically to `out` when given.")
