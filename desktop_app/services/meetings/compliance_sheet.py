"""三会一课落实情况表: the compliance grid laid out branch × kind × month, printed (PDF) or exported (XLSX).

Each month's cell carries the status of the period that ends in it (a quarter's
in its third month, a year's in December), so quarterly and yearly kinds sit on
the same twelve columns as the monthly ones.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_app.domain.meetings import CellStatus, PeriodUnit
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _today
from desktop_app.services.meetings.compliance_grid import compliance
from desktop_app.services.site import center_of
from desktop_app.views import cadence as v
from desktop_app.views.meetings import ComplianceGrid

_MARK = {
    CellStatus.HELD: v.MARK_HELD, CellStatus.NO_QUORUM: v.MARK_NO_QUORUM, CellStatus.OVERDUE: v.MARK_OVERDUE,
    CellStatus.DUE: v.MARK_DUE, CellStatus.PLANNED: v.MARK_PLANNED, CellStatus.FUTURE: "",
    CellStatus.NOT_REQUIRED: v.MARK_NOT_REQUIRED,
}


def sheet_of_grid(grid: ComplianceGrid, center: str) -> v.ComplianceSheet:
    """The printed layout of a compliance grid (pure: no database)."""
    lines = []
    for row in grid.rows:
        for kind in grid.kinds:
            cells = grid.cells.get((row.org_id, kind), ())
            if not cells:
                continue
            months = [""] * 12
            for c in cells:
                months[c.period.end.month - 1] = _MARK[c.status]
                if c.status == CellStatus.NOT_REQUIRED:  # the whole period is not asked for
                    for m in range(c.period.start.month, c.period.end.month + 1):
                        months[m - 1] = v.MARK_NOT_REQUIRED
            asked = [c for c in cells if c.status in (CellStatus.HELD, CellStatus.NO_QUORUM, CellStatus.OVERDUE)]
            unit = cells[0].period.unit
            rule = grid.rules.get(kind)
            cadence = rule.cadence_label if rule is not None else ""
            if all(c.status == CellStatus.NOT_REQUIRED for c in cells):
                cadence = "不要求"
            lines.append(v.ComplianceSheetLine(
                row.name, kind, cadence if unit != PeriodUnit.NONE else "", tuple(months),
                required=len(asked), done=sum(1 for c in asked if c.status == CellStatus.HELD),
            ))
    notes = []
    for row in grid.rows:
        since = grid.tracking_since.get(row.org_id)
        if since is not None:
            notes.append(f"{row.name}自{since.year}年{since.month}月{since.day}日起建档统计")
        if row.org_id in grid.has_committee and not grid.has_committee[row.org_id]:
            notes.append(f"{row.name}未设支部委员会（正式党员不足7人），不要求召开支委会")
    return v.ComplianceSheet(
        center_name=center, year=grid.year, today=grid.today, lines=tuple(lines),
        secretary_lecture=tuple((row.name, grid.secretary_lecture.get(row.org_id, False)) for row in grid.rows
                                if row.org_id in grid.secretary_lecture),
        notes=tuple(notes),
    )


def compliance_sheet(db: Database, year: int, today: date | None = None,
                     org_id: str | None = None) -> v.ComplianceSheet:
    """三会一课落实情况表 of `year` (branches under `org_id`, default all)."""
    auth.require(db, "meetings.read")
    grid = compliance(db, year, _today(today), org_id)
    return sheet_of_grid(grid, center_of(db))


def print_compliance(db: Database, year: int, out: Path | None = None, *, today: date | None = None,
                     org_id: str | None = None, printed_on: date | None = None,
                     font_path: str | None = None) -> bytes:
    """三会一课落实情况表 as PDF bytes (A4 landscape); also written to `out` when given."""
    from desktop_app.reports.compliance import render_compliance  # reportlab loads on the first print

    sheet = compliance_sheet(db, year, today, org_id)
    return render_compliance(sheet, out, printed_on=printed_on, font_path=font_path)


def export_compliance(db: Database, year: int, out: Path, *, today: date | None = None,
                      org_id: str | None = None) -> int:
    """三会一课落实情况表 as an XLSX workbook at `out`; returns the rows written."""
    from desktop_app.exchange.compliance_xlsx import export_compliance as write

    return write(compliance_sheet(db, year, today, org_id), out)
