"""会议记录: one meeting's record with its attendance summary and minutes, ready to file. A4 portrait.

Photos kept with the meeting print as pictures, two to a row, each captioned by its name; each is scaled
down before it is embedded (a 30 MB phone photo must not make a 30 MB record), and one that cannot be read
prints as a line saying so. Other files (a scanned sheet as PDF, a document) are listed by name.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import PurePath

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table

from desktop_app.domain import meetings as rules
from desktop_app.reports.base import (
    A4_PORTRAIT, GRID_COLOR, HEADER_FILL, ModelReport, chinese_date, keep_with_end, keep_with_start, model_renderer, rich,
)
from desktop_app.reports.signin import GAP, heading, when
from desktop_app.views.meetings import MeetingRecord, RecordFile, RecordPerson  # noqa: F401 - the model this renders

ALERT = colors.HexColor("#C8161E")
# Files whose name says they are pictures: they print as photos, or as a line when they cannot be read.
PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".heic", ".heif"})
PHOTO_LONG_SIDE = 900  # px: a photo printed about 85 mm wide, at some 250 dpi
PHOTO_HEIGHT = 55 * mm  # the box a photo is fitted into, its caption under it
MISSING = "照片文件缺失（不在本机数据文件夹中）："
UNREADABLE = "照片无法读取（文件已损坏，或是 HEIC 等无法读取的格式）："


class MeetingRecordReport(ModelReport):
    title = "会议记录"
    pagesize = A4_PORTRAIT

    def build_stylesheet(self, font_name: str) -> StyleSheet1:
        sheet = super().build_stylesheet(font_name)
        # Chinese paragraphs open with a two-character indent.
        sheet.add(ParagraphStyle("Body", parent=sheet["Normal"], firstLineIndent=20, leading=16))
        return sheet

    def _p(self, text: str, style: str = "Normal", color: colors.Color | None = None) -> Paragraph:
        assert self.font is not None and self.styles is not None
        body = rich(text, self.font)
        if color is not None:
            body = f'<font color="{color.hexval()}">{body}</font>'
        return Paragraph(body, self.styles[style])

    def _info_table(self) -> Table:
        r = self.model
        counts = rules.count_attendance(p.status for p in r.people)
        label_w, width = 22 * mm, self.frame_width
        value_w = (width - 2 * label_w) / 2

        def label(text: str) -> Paragraph:
            return self._p(text, "CellCenter")

        def value(text: str, color: colors.Color | None = None) -> Paragraph:
            return self._p(text, "Cell", color)

        rows: list[list[object]] = [
            [label("会议编号"), value(r.number), label("会议类型"), value(r.kind)],
            [label("会议主题"), value(r.title), "", ""],
            [label("会议时间"), value(when(r.meeting_date, r.start_time, r.end_time)), label("会议地点"), value(r.place)],
            [label("主持人"), value(r.host), label("记录人"), value(r.recorder)],
        ]
        spans = [("SPAN", (1, 1), (3, 1))]
        if r.kind == rules.PARTY_LECTURE or r.lecturer:
            rows.append([label("授课人"), value(r.lecturer), "", ""])
            spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
        tally = (f"应到 {counts.expected} 人，实到 {counts.present} 人，请假 {counts.leave} 人，"
                 f"缺席 {counts.absent} 人，列席 {counts.guests} 人；出席率 {rules.format_rate(counts.rate)}")
        rows.append([label("出勤情况"), value(tally), "", ""])
        spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
        if r.quorum.applies:
            lacking = r.quorum.met is False
            text = r.quorum.note + ("，未达到法定人数，会议决定无效，应另行召开" if lacking and r.status == rules.HELD
                                    else ("，达到法定人数" if r.quorum.met else ""))
            rows.append([label("法定人数"), value(text, ALERT if lacking else None), "", ""])
            spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
            ("BACKGROUND", (2, 0), (2, 0), HEADER_FILL),
            ("BACKGROUND", (2, 2), (2, 3), HEADER_FILL),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            *spans,
        ]
        return Table(rows, colWidths=[label_w, value_w, label_w, value_w], style=style)

    def _topics_table(self) -> Table:
        """One row per 议题: what was decided and how the vote went (no vote: 未表决)."""
        def votes(t) -> str:
            if t.votes_for is None:
                return "未表决"
            return f"赞成 {t.votes_for}，反对 {t.votes_against or 0}，弃权 {t.votes_abstain or 0}"

        def result(t) -> str:
            return "—" if t.passed is None else ("通过" if t.passed else "未通过")

        head = [self._p(h, "CellCenter") for h in ("序号", "议题", "决定事项", "表决情况", "结果")]
        rows: list[list[object]] = [head] + [
            [self._p(str(i), "CellCenter"), self._p(t.title, "Cell"), self._p(t.decision or "—", "Cell"),
             self._p(votes(t), "Cell"), self._p(result(t), "CellCenter", ALERT if t.passed is False else None)]
            for i, t in enumerate(self.model.topics, start=1)
        ]
        w = self.frame_width
        return Table(rows, colWidths=[12 * mm, w * 0.3, w - 12 * mm - w * 0.3 - 42 * mm - 16 * mm, 42 * mm, 16 * mm],
                     repeatRows=1, style=[
                         ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
                         ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                         ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                     ])

    def _people(self, heading: str, people: list[RecordPerson], show: Callable[[RecordPerson], str]) -> list[Flowable]:
        text = "、".join(show(p) for p in people) if people else "无"
        return [self._p(f"{heading}（{len(people)} 人）：{text}")]

    def _photo(self, name: str, jpeg: bytes, width: int, height: int, cell_w: float) -> Table:
        """A photo fitted into its box, on its caption: the file's name without its extension."""
        scale = min((cell_w - 6 * mm) / width, PHOTO_HEIGHT / height)
        img = Image(BytesIO(jpeg), width=width * scale, height=height * scale)
        return Table([[img], [self._p(PurePath(name).stem, "CellCenter")]], colWidths=[cell_w - 4 * mm],
                     rowHeights=[PHOTO_HEIGHT + 2 * mm, None],
                     style=[("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])

    def _files(self) -> list[Flowable]:
        """会议照片 as pictures two to a row (a row moves to the next page whole), lines for those that cannot be
        read, then the other files as a numbered list."""
        from desktop_app.reports.annual_photos import prepare  # PIL loads only for a record with photos

        cells: list[Table] = []
        unreadable: list[str] = []  # each with the reason it does not print
        others: list[str] = []
        cell_w = self.frame_width / 2
        for f in self.model.attachments:
            ready = prepare(f.path, PHOTO_LONG_SIDE) if f.path is not None else None
            if ready is not None:
                cells.append(self._photo(f.name, ready.data, ready.width, ready.height, cell_w))
            elif PurePath(f.name).suffix.lower() in PICTURE_SUFFIXES:
                unreadable.append((MISSING if f.path is None else UNREADABLE) + f.name)
            else:
                others.append(f.name)
        story: list[Flowable] = []
        if cells or unreadable:
            rows: list[Flowable] = [
                Table([cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2]))], colWidths=[cell_w, cell_w],
                      style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")])
                for i in range(0, len(cells), 2)
            ]
            rows += [self._p(line, color=ALERT) for line in unreadable]
            story += keep_with_start(self._p(f"会议照片（{len(cells) + len(unreadable)} 张）", "Heading"), rows, rows=1)
        if others:
            story += keep_with_start(self._p("附件", "Heading"),
                                     [self._p(f"{i}. {name}") for i, name in enumerate(others, start=1)])
        return story

    def build_story(self) -> list[Flowable]:
        r = self.model
        story: list[Flowable] = [
            self._p(heading(r.org_name, r.kind, "会议记录"), "Title"),
            self._p(f"{r.center_name}{GAP}{chinese_date(r.meeting_date)}", "Subtitle"),
        ]
        if r.status == rules.CANCELLED:
            story.append(self._p(f"本次会议已取消。{('原因：' + r.cancel_reason) if r.cancel_reason else ''}",
                                 "Heading", ALERT))
        elif r.status == rules.PLANNED:
            story.append(self._p("本次会议尚未登记为已召开，以下为计划内容。", "Heading", ALERT))
        story.append(self._info_table())
        story.append(Spacer(1, 4 * mm))
        expected = [p for p in r.people if p.status != rules.GUEST]
        story += self._people("出席人员", [p for p in expected if p.status == rules.PRESENT], lambda p: p.name)
        story += self._people("请假人员", [p for p in expected if p.status == rules.LEAVE],
                              lambda p: f"{p.name}（{p.reason}）" if p.reason else p.name)
        story += self._people("缺席人员", [p for p in expected if p.status not in (rules.PRESENT, rules.LEAVE)],
                              lambda p: p.name)
        story += self._people("列席人员", [p for p in r.people if p.status == rules.GUEST],
                              lambda p: f"{p.name}（{p.unit}）" if p.unit else p.name)
        minutes = r.minutes.strip()
        # Each paragraph flows on its own, so long minutes break across pages.
        body = [self._p(para.strip(), "Body") if para.strip() else Spacer(1, 2 * mm)
                for para in minutes.split("\n")] if minutes else [self._p("（未填写）")]
        # the heading stays with the minutes' first lines; a page-long first paragraph splits under it
        story += keep_with_start(self._p("会议内容", "Heading"), body, rows=1, lines=2)
        if r.topics:
            story += keep_with_start(self._p("议题与表决", "Heading"), [self._topics_table()])
        # The signatures vouch for the minutes: they follow them (with their last lines, never alone atop
        # a page), and the photos and attachments come after as the record's appendix.
        story = keep_with_end(story, KeepTogether([
            Spacer(1, 10 * mm),
            self._p(f"主持人（签字）：＿＿＿＿＿＿＿＿{GAP * 2}记录人（签字）：＿＿＿＿＿＿＿＿"),
            Spacer(1, 3 * mm),
            self._p(f"年{GAP}月{GAP}日{GAP}", "CellRight"),
        ]), rows=2)
        return story + self._files()


render_meeting_record = model_renderer(MeetingRecordReport, "A meeting's 会议记录 as PDF bytes (and `out`).")
