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


def closing_year(today: date) -> int:
    """The year a year-end print (年度党建工作台账, 经费收支汇总表, 收支明细账, 党费登记表, 落实情况表, 登记簿) is for
    when none is named: in January the year just ended, whose books are being closed and whose folder the
    street asks for; from February on this year. (民主评议 and 考评, held into March: evaluation_votes.usual_year.)"""
    return today.year - 1 if today.month == 1 else today.year
