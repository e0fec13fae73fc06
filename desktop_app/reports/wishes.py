"""微心愿: cards for the notice board (six to an A4 page, to cut out along their frames) and a list.

A card is public: the wisher's name is masked (王*英) and only the building is
shown, never the flat. Waiting wishes leave blank lines for whoever claims
them; claimed ones say by whom. The list is for the center's own file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from desktop_app.domain import service_flow as flow
from desktop_app.domain.money import format_yuan
from desktop_app.reports.base import A4_LANDSCAPE, A4_PORTRAIT, Column, RecordsReport, iso_date, rich
from desktop_app.reports.fonts import FontInfo
from desktop_app.views.wishes import WishRow

CARDS_PER_ROW = 2
ROWS_PER_PAGE = 3
ACCENT = colors.HexColor("#C8161E")


def _public_place(row: WishRow) -> str:
    """The building (梅园新村3栋) and grid, never the flat."""
    building = row.address
    for marker in ("栋", "幢", "号楼"):
        if marker in building:
            building = building[: building.index(marker) + len(marker)]
            break
    else:
        building = ""
    return "　".join(p for p in (building, row.grid_name if row.grid_name != "未分网格" else "") if p)


def yuan_text(fen: int) -> str:
    return f"约 {format_yuan(fen)} 元" if fen else "—"


class WishCardsReport(RecordsReport):
    title = "微心愿"
    pagesize = A4_PORTRAIT

    def _styles(self):
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle

        assert self.styles is not None
        base = self.styles["Normal"]
        return {
            "head": ParagraphStyle("cardHead", parent=base, fontSize=16, leading=20, alignment=TA_CENTER,
                                   textColor=ACCENT),
            # room under the 编号, which otherwise sits on the 心愿人 line
            "no": ParagraphStyle("cardNo", parent=base, fontSize=8, leading=10, alignment=TA_CENTER,
                                 spaceAfter=2.5 * mm),
            "wish": ParagraphStyle("cardWish", parent=base, fontSize=15, leading=22, spaceBefore=3 * mm),
            "line": ParagraphStyle("cardLine", parent=base, fontSize=10, leading=15),
            "blank": ParagraphStyle("cardBlank", parent=base, fontSize=10, leading=15, spaceBefore=3 * mm),
        }

    def card(self, row: WishRow, width: float, height: float, st, font: FontInfo) -> Flowable:
        inner_w, inner_h = width - 8 * mm, height - 7 * mm
        top: list[Flowable] = [
            Paragraph(rich("微 心 愿", font), st["head"]),
            Paragraph(rich(f"编号 {row.wish_no}", font), st["no"]),
            Paragraph(rich(f"心愿人：{flow.mask_name(row.wisher_name)}　{_public_place(row)}", font), st["line"]),
        ]
        if row.background:
            top.append(Paragraph(rich(f"情况：{row.background}", font), st["line"]))
        top.append(Paragraph(rich(f"我的心愿：{row.content}", font), st["wish"]))
        bottom: list[Flowable] = [
            Paragraph(rich(f"预计价值：{yuan_text(row.estimated_fen)}　发布日期：{iso_date(row.posted_on)}", font),
                      st["line"]),
        ]
        if row.state == flow.WISH_POSTED:
            bottom += [Paragraph(rich(text, font), st["blank"]) for text in (
                "认领人：＿＿＿＿＿＿＿＿＿＿＿＿＿＿", "联系电话：＿＿＿＿＿＿＿＿＿＿＿＿＿")]
        elif row.state == flow.WISH_CLAIMED:
            bottom.append(Paragraph(rich(f"已由 {row.claimant_name} 认领（{iso_date(row.claimed_on)}）", font), st["line"]))
        else:
            bottom.append(Paragraph(rich(f"已实现（{iso_date(row.fulfilled_on)}），认领人：{row.claimant_name}", font),
                                    st["line"]))
        used = sum(f.wrap(inner_w, inner_h)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in top + bottom)
        # The claim lines sit at the foot of the card, where a passer-by writes.
        fitted = KeepInFrame(inner_w, inner_h, [*top, Spacer(1, max(0.0, inner_h - used - 2)), *bottom],
                             mode="shrink")
        return Table([[fitted]], colWidths=[width], rowHeights=[height], style=[
            ("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        ])

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        font = self.font
        if not self.records:
            return [self.para("没有要打印的微心愿。")]
        st = self._styles()
        gap = 6 * mm
        width = (self.frame_width - gap * (CARDS_PER_ROW - 1)) / CARDS_PER_ROW
        height = (self.frame_height - gap * (ROWS_PER_PAGE - 1)) / ROWS_PER_PAGE - 1
        per_page = CARDS_PER_ROW * ROWS_PER_PAGE
        # Cards in columns with a gap column between them; a gap row between card rows.
        col_widths = [gap if i % 2 else width for i in range(2 * CARDS_PER_ROW - 1)]
        story: list[Flowable] = []
        for start in range(0, len(self.records), per_page):
            if start:
                story.append(PageBreak())
            page = self.records[start:start + per_page]
            data: list[list] = []
            heights: list[float] = []
            for r in range(0, len(page), CARDS_PER_ROW):
                if data:
                    data.append([""] * len(col_widths))
                    heights.append(gap)
                line: list = [""] * len(col_widths)
                for i, wish in enumerate(page[r:r + CARDS_PER_ROW]):
                    line[2 * i] = self.card(wish, width, height, st, font)
                data.append(line)
                heights.append(height)
            story.append(Table(data, colWidths=col_widths, rowHeights=heights, style=[
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]))
        return story


# After 序号, each column of the list with its cell of a wish.
LIST_CELLS: tuple[tuple[Column, Callable[[WishRow], str]], ...] = (
    (Column("编号", 62, "CENTER"), lambda row: row.wish_no),
    (Column("心愿人", 46), lambda row: row.wisher_name),
    (Column("网格", 76), lambda row: row.grid_name),
    (Column("心愿内容", 150), lambda row: row.content),
    (Column("价值（元）", 58, "RIGHT"), lambda row: format_yuan(row.estimated_fen) if row.estimated_fen else ""),
    (Column("发布日期", 58, "CENTER"), lambda row: iso_date(row.posted_on)),
    (Column("状态", 40, "CENTER"), lambda row: row.state),
    (Column("认领人", 80), lambda row: row.claimant_name),
    (Column("认领日期", 58, "CENTER"), lambda row: iso_date(row.claimed_on)),
    (Column("实现日期", 58, "CENTER"), lambda row: iso_date(row.fulfilled_on)),
    (Column("照片", 30, "CENTER"), lambda row: str(row.photos or "")),  # as the 共建活动 register counts them
)
LIST_COLUMNS: tuple[Column, ...] = (Column("序号", 26, "CENTER"), *(column for column, _ in LIST_CELLS))


def list_row(seq: int, row: WishRow) -> list[str]:
    return [str(seq), *(cell(row) for _, cell in LIST_CELLS)]


def list_summary(rows: Sequence[WishRow]) -> str:
    by_state = {s: sum(1 for r in rows if r.state == s) for s in flow.WISH_STATES}
    value = sum(r.estimated_fen for r in rows if r.state == flow.WISH_FULFILLED)
    return (f"共 {len(rows)} 个心愿：待认领 {by_state[flow.WISH_POSTED]} 个，已认领 {by_state[flow.WISH_CLAIMED]} 个，"
            f"已实现 {by_state[flow.WISH_FULFILLED]} 个（价值约 {format_yuan(value)} 元）")


class WishListReport(RecordsReport):
    title = "微心愿清单"
    pagesize = A4_LANDSCAPE

    def __init__(self, center_name: str, rows: Sequence[WishRow], scope_text: str = "",
                 fulfilled_by_month: dict[int, int] | None = None, **kwargs) -> None:
        super().__init__(center_name, rows, **kwargs)
        self.scope_text = scope_text
        self.by_month = fulfilled_by_month or {}

    def build_story(self) -> list[Flowable]:
        story = self.heading("　".join(p for p in (self.scope_text, list_summary(self.records)) if p))
        if self.by_month:
            months = [Column(f"{m}月", 1, "CENTER") for m in self.by_month] + [Column("合计", 1.2, "CENTER")]
            values = [str(n) for n in self.by_month.values()] + [str(sum(self.by_month.values()))]
            story += self.headed("按实现日期统计的已实现心愿（个）", self.table(months, [values]))
        heads = [self.para("心愿明细", "Heading")] if self.by_month else []
        if not self.records:
            return story + heads + [self.para("暂无微心愿。")]
        body = [list_row(i, r) for i, r in enumerate(self.records, start=1)]
        story += self.headed(heads, self.table(LIST_COLUMNS, body))
        from desktop_app.reports.signoff import signed_off

        return signed_off(self, story, self.center_name, self.printed_on)  # the list is handed upward


def render_wish_cards(center_name: str, rows: Sequence[WishRow], out: Path | None = None,
                      printed_on: date | None = None, *, font_path: str | None = None,
                      progress: Callable[[int], None] | None = None) -> bytes:
    return WishCardsReport(center_name, rows, printed_on=printed_on, font_path=font_path,
                           progress=progress).render_to(out)


def render_wish_list(center_name: str, rows: Sequence[WishRow], out: Path | None = None, scope_text: str = "",
                     fulfilled_by_month: dict[int, int] | None = None, printed_on: date | None = None, *,
                     font_path: str | None = None, progress: Callable[[int], None] | None = None) -> bytes:
    return WishListReport(center_name, rows, scope_text, fulfilled_by_month, printed_on=printed_on,
                          font_path=font_path, progress=progress).render_to(out)
