"""Times are stored in UTC (naive datetimes, as SQLite keeps them) and shown in the PC's local time.

One conversion for every place that shows or prints a stored time (the window, the PDFs,
the command line, package file names), so no screen says UTC while another says local time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone


def to_local(at: datetime | None) -> datetime | None:
    """A stored UTC time as naive local time (an aware time is converted from its own zone)."""
    if at is None:
        return None
    aware = at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)
    return aware.astimezone().replace(tzinfo=None)


def local_text(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M", empty: str = "") -> str:
    local = to_local(at)
    return local.strftime(fmt) if local is not None else empty


def local_day_start(day: date) -> datetime:
    """Local midnight of `day` as naive UTC, the way times are stored (a day's bounds in a query)."""
    return datetime.combine(day, time()).astimezone().astimezone(timezone.utc).replace(tzinfo=None)


def chinese_date(d: date) -> str:
    """2024年5月6日: how printed dates are written on forms and in their subtitles."""
    return f"{d.year}年{d.month}月{d.day}日"
