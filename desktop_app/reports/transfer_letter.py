"""党员组织关系介绍信: the 存根 kept here, the letter the member carries, and the 回执 the receiving
organisation sends back, on one A4 sheet with cut lines between them (the usual three-part form).

Blanks the program cannot know (编号, 有效期 or 党费 not yet recorded) print as lines to fill by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from desktop_app.reports.base import A4_PORTRAIT, ReportRenderer, chinese_date, rich
from desktop_app.views.transfers import TransferLetterSheet

BLANK = "＿＿＿＿"


def _or_blank(text: str) -> str:
    return text or BLANK


def _month(d: date | None) -> str:
    return f"{d.year}年{d.month}月" if d else f"{BLANK}年{BLANK}月"


class TransferLetterReport(ReportRenderer):
    title = "党员组织关系介绍信"
    pagesize = A4_PORTRAIT

    def __init__(self, sheet: TransferLetterSheet, **kwargs) -> None:
        super().__init__(sheet.center_name, **kwargs)
        self.sheet = sheet

    def _p(self, text: str, size: float = 11.5, leading: float = 20, align: int = 0, indent: float = 0) -> Paragraph:
        assert self.styles is not None and self.font is not None
        from reportlab.lib.styles import ParagraphStyle

        style = ParagraphStyle("letter", parent=self.styles["Normal"], fontSize=size, leading=leading,
                               alignment=align, firstLineIndent=indent)
        return Paragraph(rich(text, self.font), style)

    def _cut(self) -> list[Flowable]:
        return [Spacer(1, 3 * mm), self._p("－ " * 17 + "裁　剪　线" + " －" * 17, size=8, leading=10, align=1),
                Spacer(1, 3 * mm)]

    def build_story(self) -> list[Flowable]:
        t = self.sheet
        # 梅组转〔2025〕7号 is already a whole number; a bare 7 gets 第 … 号 round it.
        number = t.letter_no if t.letter_no.endswith("号") else f"第 {_or_blank(t.letter_no)} 号"
        who = f"{t.member_name}（{'，'.join(x for x in (t.gender, f'{t.age} 岁' if t.age is not None else '', t.ethnicity) if x)}）"
        moved = f"组织关系由 {_or_blank(t.from_org)} 转到 {_or_blank(t.to_org)}"
        valid = f"有效期至 {chinese_date(t.valid_until)}" if t.valid_until else f"有效期{BLANK}天"
        issued = chinese_date(t.transfer_date)
        indent = 23
        return [
            self._p("党员组织关系介绍信（存根）", size=14, leading=20, align=1), self._p(number, align=2),
            self._p(f"{t.member_name} 同志系中共{t.category}，{moved}。党费已交到{_month(t.dues_paid_to)}。{valid}。",
                    indent=indent),
            self._p(issued, align=2),
            *self._cut(),
            self._p("中国共产党党员组织关系介绍信", size=16, leading=24, align=1), self._p(number, align=2),
            self._p(f"{_or_blank(t.to_org)}："),
            self._p(f"兹介绍 {who} 同志，公民身份号码 {_or_blank(t.id_number)}，系中共{t.category}，{moved}，请接洽。",
                    indent=indent),
            self._p(f"该同志党费已交到{_month(t.dues_paid_to)}。", indent=indent),
            self._p(f"（{valid}）", indent=indent),
            Spacer(1, 6 * mm),
            self._p(f"{t.center_name}（盖章）", align=2), self._p(issued, align=2),
            *self._cut(),
            self._p("党员组织关系介绍信回执", size=14, leading=20, align=1), self._p(number, align=2),
            self._p(f"{t.center_name}："),
            self._p(f"{t.member_name} 同志的党员组织关系已转达我处，特此回执。", indent=indent),
            Spacer(1, 6 * mm),
            self._p("接收党组织（盖章）", align=2), self._p(f"{BLANK}年{BLANK}月{BLANK}日", align=2),
        ]


def render_transfer_letter(sheet: TransferLetterSheet, out: Path | None = None, printed_on: date | None = None, *,
                           font_path: str | None = None) -> bytes:
    return TransferLetterReport(sheet, printed_on=printed_on, font_path=font_path).render_to(out)
