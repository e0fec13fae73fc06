"""Command line of the per-branch cadence: the 三会一课落实情况表 (PDF, and XLSX with --xlsx)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_app.cli.common import CliError, org_arg


def report_compliance(db, args, out: Path) -> str:
    """dangqun report compliance --year Y --out F.pdf [--xlsx F.xlsx] [--org CODE]"""
    from desktop_app.domain.clock import closing_year
    from desktop_app.services import meetings

    year = args.year or closing_year(date.today())  # in January: the year just ended
    org_id = org_arg(db, args.org)
    meetings.print_compliance(db, year, out, org_id=org_id)
    sheet = meetings.compliance_sheet(db, year, org_id=org_id)
    overdue = sum(1 for line in sheet.lines for mark in line.months if mark == "未开")
    said = f"{year} 年 {len({line.branch for line in sheet.lines})} 个党支部，逾期未开 {overdue} 期"
    xlsx = getattr(args, "xlsx", None)
    if xlsx:
        target = Path(xlsx)
        if target.suffix.lower() != ".xlsx":
            raise CliError(f"表格文件应以 .xlsx 结尾：{target}")
        meetings.export_compliance(db, year, target, org_id=org_id)
        said += f"；表格 {target}"
    return said
