"""人民调解协议书 (人民调解法 第二十八、二十九条): one case closed as 调解成功, as the parties sign it.

编号, 当事人基本情况 (申请人 first, then 被申请人: 性别, 年龄, 住址, 联系电话), 纠纷主要事实、争议事项,
调解协议内容 (履行方式和期限 as typed), the closing lines, then each party's, the mediator's and the
recorder's signature lines and the committee's seal, kept together on the last page however long the
agreement runs. Blanks the program cannot know print as lines to fill by hand.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop_app.reports.base import A4_PORTRAIT, ModelReport, chinese_date, model_renderer, rich
from desktop_app.views.mediation import MediationAgreement

BLANK = "＿＿＿＿＿＿"
SHORT_BLANK = "＿＿＿"
_DIGITS = "零一二三四五六七八九"


def chinese_count(n: int) -> str:
    """一式三份: 1..99 in Chinese numerals (十, 十二, 二十, 二十三)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


def closing_lines(copies: int) -> tuple[str, str]:
    return ("本协议自各方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章之日起生效。",
            f"本协议书一式{chinese_count(copies)}份，当事人各执一份，人民调解委员会留存一份。")


class MediationAgreementReport(ModelReport):
    title = "人民调解协议书"
    pagesize = A4_PORTRAIT
    model: MediationAgreement

    def _p(self, text: str, size: float = 11.5, leading: float = 20, align: int = TA_JUSTIFY,
           indent: float = 0, before: float = 0) -> Paragraph:
        assert self.styles is not None and self.font is not None
        style = ParagraphStyle("agreement", parent=self.styles["Normal"], fontSize=size, leading=leading,
                               alignment=align, firstLineIndent=indent, spaceBefore=before)
        return Paragraph(rich(text, self.font), style)

    def _section(self, head: str, text: str) -> list[Flowable]:
        """A heading and its text as typed: each line a paragraph of its own, wrapping (and breaking over
        pages) within the frame."""
        lines = [line.strip() for line in text.splitlines() if line.strip()] or [BLANK]
        return [self._p(f"{head}", size=12, before=6),
                *(self._p(line, indent=23) for line in lines)]

    def _signatures(self) -> Table:
        """Each party, the mediator and the recorder sign on a solid line; the date is written by hand."""
        m = self.model
        assert self.styles is not None and self.font is not None
        style = ParagraphStyle("sign", parent=self.styles["Normal"], fontSize=11.5, leading=16)
        signers = [f"{p.role} {p.name}（签名或盖章）" for p in m.parties] + ["人民调解员（签名）", "记录人（签名）"]
        w = self.frame_width
        rows = [[Paragraph(rich(f"{who}：", self.font), style), "", Paragraph(rich("日期：", self.font), style), ""]
                for who in signers]
        table = Table(rows, colWidths=[w * 0.42, w * 0.26, w * 0.09, w * 0.23], rowHeights=[12 * mm] * len(rows),
                      hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            *[("LINEBELOW", (col, 0), (col, -1), 0.6, colors.black) for col in (1, 3)],
        ]))
        return table

    def build_story(self) -> list[Flowable]:
        m = self.model
        story: list[Flowable] = [
            self._p(m.committee, size=13, leading=18, align=TA_CENTER),
            self._p(self.title, size=20, leading=30, align=TA_CENTER),
            self._p(f"编号：{m.case_no}", align=TA_RIGHT),
            self._p("当事人基本情况", size=12, before=4),
        ]
        for p in m.parties:
            # 性别 and 年龄 from the resident's record; a blank to fill by hand when the program does not know
            age = f"{p.age}岁" if p.age is not None else SHORT_BLANK
            # the address on a line of its own: a long one no longer parts 联系电话 from its number
            story.append(self._p(f"{p.role}：{p.name}　性别：{p.gender or SHORT_BLANK}　年龄：{age}　"
                                 f"联系电话：{p.phone or BLANK}", indent=23))
            story.append(self._p(f"住址：{p.address or BLANK}", indent=23 + 11.5 * (len(p.role) + 1)))
        story += self._section("纠纷主要事实、争议事项", m.summary)
        story.append(self._p("经人民调解委员会调解，各方当事人自愿达成如下协议：", size=12, before=6))
        story += self._section("调解协议内容（含履行方式和期限）", m.agreement)
        effective, copies = closing_lines(m.copies)
        # the closing lines, the signatures and the seal stay together: a signature never starts a page alone
        story.append(KeepTogether([
            Spacer(1, 3 * mm),
            self._p(effective, indent=23),
            self._p(copies, indent=23),
            Spacer(1, 4 * mm),
            self._signatures(),
            Spacer(1, 10 * mm),
            self._p(f"{m.committee}（印）", align=TA_RIGHT),
            self._p(chinese_date(m.agreed_on), align=TA_RIGHT),
        ]))
        return story


render_mediation_agreement = model_renderer(
    MediationAgreementReport, "The 人民调解协议书 of `model` as PDF bytes; also written to `out` when given.")
