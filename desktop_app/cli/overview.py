"""`dangqun report annual`: the 年度党建工作台账 of a year in one PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def report_annual(db, args, out: Path) -> str:
    from desktop_app.domain.clock import closing_year
    from desktop_app.services import overview

    year = args.year or closing_year(date.today())  # in January: the year just ended
    data = overview.print_annual_folder(db, year, out, photos=getattr(args, "photos", True))
    return f"{year}年度党建工作台账，{len(data) // 1024} KB"
