"""Fetch and print the 党费收缴登记表: the GUI and the command line call this, not the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop_app.domain.money import format_yuan
from desktop_app.services import auth
from desktop_app.services.dues.grid import registry_grids
from desktop_app.services.site import center_name
from desktop_app.store.db import Database


def print_dues_registry(
    db: Database,
    year: int,
    out: Path,
    branch: str | None = None,
    *,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> str:
    """The 党费收缴登记表 of every 党支部 (or `branch`: id, code or name) for `year`; a summary line."""
    # reportlab loads when printing, not at start-up
    from desktop_app.reports.dues import render_dues_registry

    auth.require(db, "dues.read")
    grids = registry_grids(db, year, branch, today)
    with db.session() as s:
        name = center_name(s)
    render_dues_registry(grids, out, center_name=name, progress=progress)
    return (f"{year}年 {len(grids)} 个党支部，党员 {sum(len(g.rows) for g in grids)} 名，"
            f"已收缴 {format_yuan(sum(g.paid_fen for g in grids))} 元")
