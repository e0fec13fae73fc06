"""The sign-off lines of a form that goes upward (to the street or the district):
填报单位（盖章）, 负责人, 填表人 and 日期, on solid lines rather than dashed "＿ ＿ ＿" blanks.

One flowable so every upward form ends the same way.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop_app.reports.base import ReportRenderer, chinese_date, keep_with_end, rich


def signoff(report: ReportRenderer, unit: str, on: date | None = None, filled_by: str = "") -> Flowable:
    """填报单位（盖章）：unit　负责人：____　填表人：filled_by　日期：on, each value on a solid line."""
    assert report.styles is not None and report.font is not None
    style, font = report.styles["Normal"], report.font
    when = chinese_date(on) if on else ""
    pairs = [("填报单位（盖章）", unit), ("负责人", ""), ("填表人", filled_by), ("日期", when)]
    label_w = [36 * mm, 17 * mm, 17 * mm, 13 * mm]
    rest = report.frame_width - sum(label_w)
    value_w = [rest * 0.36, rest * 0.2, rest * 0.2, rest * 0.24]
    cells, widths = [], []
    for (label, value), lw, vw in zip(pairs, label_w, value_w):
        cells += [Paragraph(rich(f"{label}：", font), style), Paragraph(rich(value, font), style)]
        widths += [lw, vw]
    table = Table([cells], colWidths=widths, rowHeights=[10 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *[("LINEBELOW", (i, 0), (i, 0), 0.6, colors.black) for i in range(1, 8, 2)],  # solid signature lines
    ]))
    return KeepTogether([Spacer(1, 8 * mm), table])


def signed_off(report: ReportRenderer, story: list[Flowable], unit: str, on: date | None = None,
               filled_by: str = "") -> list[Flowable]:
    """`story` ending in the sign-off, which takes the last table's last rows with it to a new page
    rather than stand there alone."""
    return keep_with_end(story, signoff(report, unit, on, filled_by))
