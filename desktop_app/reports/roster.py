"""党员花名册: the member roster, one section per branch, A4 landscape.

Plain data in, PDF out: services.roster.print_roster builds the read model
(views.roster.RosterPrint) and calls render_roster; this module never touches
the database. ID numbers and mobiles are
masked here, so a caller cannot forget to; only `full_ids=True` prints them whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from desktop_app.domain.idcard import mask, mask_phone
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.reports.base import (
    A4_LANDSCAPE,
    Column,
    ReportRenderer,
    iso_date,
    rich,
)
from desktop_app.views.roster import FULL_MEMBER, PROBATIONARY, RosterLine

__all__ = ["RosterLine", "RosterReport", "render_roster", "roster_row", "COLUMNS"]


def _remark(line: RosterLine) -> str:
    return "；".join(part for part in (line.job.strip(), line.notes.strip()) if part)


# After 序号, each column with its cell of a member's line (ID number and mobile already masked unless full).
# Widths are relative (they happen to be points on A4 landscape). Fixed-format
# columns fit their content in the widest font we may pick (WenQuanYi's "*" and
# digits are wider than SimSun's); 姓名 and 备注 wrap when needed.
CELLS: tuple[tuple[Column, Callable[[RosterLine], str]], ...] = (
    (Column("姓名", 54), lambda line: line.name),
    (Column("性别", 26, "CENTER"), lambda line: line.gender),
    (Column("民族", 46, "CENTER"), lambda line: line.ethnicity),
    (Column("出生日期", 56, "CENTER"), lambda line: iso_date(line.birth_date)),
    (Column("学历", 52, "CENTER"), lambda line: line.education),
    (Column("人员类别", 46, "CENTER"), lambda line: line.category),
    (Column("入党日期", 56, "CENTER"), lambda line: iso_date(line.joined_date)),
    (Column("转正日期", 56, "CENTER"), lambda line: iso_date(line.confirmed_date)),
    (Column("公民身份号码", 104, "CENTER"), lambda line: line.id_number),
    (Column("手机号码", 68, "CENTER"), lambda line: line.mobile),
    (Column("党籍状态", 46, "CENTER"), lambda line: line.status if line.status in GONE_STATUSES else line.party_status),
    (Column("备注（工作岗位）", 117), _remark),
)
COLUMNS: tuple[Column, ...] = (Column("序号", 30, "CENTER"), *(column for column, _ in CELLS))


def roster_row(seq: int, line: RosterLine, full_ids: bool = False) -> list[str]:
    if not full_ids:
        line = replace(line, id_number=mask(line.id_number), mobile=mask_phone(line.mobile))
    return [str(seq), *(cell(line) for _, cell in CELLS)]


class RosterReport(ReportRenderer):
    title = "党员花名册"
    pagesize = A4_LANDSCAPE

    def __init__(
        self,
        center_name: str,
        groups: list[tuple[str, list[RosterLine]]],
        *,
        printed_on: date | None = None,
        font_path: str | None = None,
        progress: Callable[[int], None] | None = None,
        full_ids: bool = False,
    ) -> None:
        super().__init__(center_name, printed_on=printed_on, font_path=font_path, progress=progress)
        self.groups = groups
        self.full_ids = full_ids

    def summary(self) -> str:
        every = [line for _, members in self.groups for line in members]
        # Those gone (转出, 去世, 出党) are listed in a print of everyone but are no longer 党员 here.
        lines = [line for line in every if line.status not in GONE_STATUSES]
        full = sum(1 for line in lines if line.category == FULL_MEMBER)
        probationary = sum(1 for line in lines if line.category == PROBATIONARY)
        text = f"共 {len(self.groups)} 个党支部，党员 {len(lines)} 名（正式党员 {full} 名，预备党员 {probationary} 名"
        other = len(lines) - full - probationary
        text += f"，其他 {other} 名）" if other else "）"
        gone = Counter(line.status for line in every if line.status in GONE_STATUSES)
        if gone:
            text += f"；另列已离开的 {sum(gone.values())} 名（" + "、".join(
                f"{status} {gone[status]} 名" for status in GONE_STATUSES if gone[status]) + "）"
        return text

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        styles, font = self.styles, self.font
        story: list[Flowable] = [
            self.para(f"{self.center_name}{self.title}", "Title"),
            self.para(self.summary(), "Subtitle"),
        ]
        if self.full_ids:  # the copy says what it is on its first page
            story.append(Paragraph(rich("本册含完整公民身份号码和手机号码，属个人敏感信息，注意保密，用后销毁。", font),
                                   styles["Subtitle"]))
        if not self.groups:
            story.append(Paragraph("暂无党员。", styles["Normal"]))
            return story
        for branch, members in self.groups:
            rows = [roster_row(seq, line, self.full_ids) for seq, line in enumerate(members, start=1)]
            story += self.headed(f"{branch}（{len(members)} 名）", self.table(COLUMNS, rows))
        from desktop_app.reports.signoff import signed_off

        return signed_off(self, story, self.center_name, self.printed_on)  # the 花名册 goes to the street


def render_roster(
    center_name: str,
    groups: list[tuple[str, list[RosterLine]]],
    out: Path | None = None,
    printed_on: date | None = None,
    *,
    font_path: str | None = None,
    progress: Callable[[int], None] | None = None,
    full_ids: bool = False,
) -> bytes:
    """The roster PDF as bytes; also written to `out` (atomically) when given.

    ID numbers and mobiles are masked unless `full_ids` (the service decides who may ask).

    `groups` is [(branch name, members in print order)]. `font_path` defaults to
    the font in the user's settings (None); pass "" to ignore the setting.
    `progress(page)` is called as each page starts; raise from it to cancel.
    """
    report = RosterReport(center_name, groups, printed_on=printed_on, font_path=font_path, progress=progress,
                          full_ids=full_ids)
    return report.render_to(out)
