"""Bits the 共驻共建 pages share: the year choice, dates and hours as shown."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.cobuilding import hours_text


def d(value: date | None) -> str:
    return value.isoformat() if value else ""


def hours(tenths: int) -> str:
    return hours_text(tenths) if tenths else ""


def years(page) -> list[tuple[str, int]]:
    year = page.today.year
    return [(f"{y}年", y) for y in range(year, year - 5, -1)]


def year_of(page) -> int:
    """The year chosen on the page (the current one until another is picked)."""
    value = page.filter_values().year if "year" in page.filter_boxes else None
    return value or page.today.year
