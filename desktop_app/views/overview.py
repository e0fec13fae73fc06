"""Read models of the 工作台 (the morning page) and the year-end folder.

One computation (services.overview) fills them; the page, `dangqun stats` and
the 年度党建工作台账 PDF all show the same numbers from them, so a figure on
screen, on paper and in a script never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop_app.domain.money import format_yuan

MONTHS = tuple(f"{m}月" for m in range(1, 13))


@dataclass(frozen=True)
class Figure:
    """One figure of the year beside last year's, and the page that lists what it counts."""

    key: str  # stable: the JSON key of `dangqun stats --json`
    label: str
    value: int
    last_year: int | None  # None: not known for last year (a figure of today only)
    page: str  # the title of the main window's page behind it
    unit: str = ""  # "%" for a rate (value is a whole percentage), "元" for money (value in fen)
    group: str = ""  # the card it belongs to
    # A rate of a year with nothing to count (no meeting, no problem raised): its value is 0 but shows "—",
    # and no change is figured against it (0% would read as nobody attending).
    empty: bool = False
    last_empty: bool = False

    @property
    def text(self) -> str:
        return "—" if self.empty else _fmt(self.value, self.unit)

    @property
    def last_text(self) -> str:
        if self.last_year is None:
            return ""
        return "—" if self.last_empty else _fmt(self.last_year, self.unit)

    @property
    def change(self) -> str:
        """"+3" / "−2" / "持平" against last year ("" when last year is unknown or either year has no rate)."""
        if self.last_year is None or self.empty or self.last_empty:
            return ""
        d = self.value - self.last_year
        if not d:
            return "持平"
        return ("+" if d > 0 else "−") + _fmt(abs(d), self.unit)


def _fmt(value: int, unit: str) -> str:
    if unit == "元":
        return format_yuan(value)
    return f"{value}{unit}" if unit == "%" else str(value)


@dataclass(frozen=True)
class Charts:
    """What the four charts draw (the page with Qt, the PDF with reportlab)."""

    meetings_by_month: tuple[tuple[str, tuple[int, ...]], ...] = ()  # kind -> 12 monthly counts of held
    problems_by_category: tuple[tuple[str, int], ...] = ()  # category -> problems raised, biggest first
    spending: tuple[tuple[str, int, int], ...] = ()  # account -> (budget fen, 0 when none; spent fen)
    attendance_by_month: tuple[int | None, ...] = ()  # 12 whole percentages, None: no meeting that month


@dataclass(frozen=True)
class Dashboard:
    year: int
    as_of: date  # the year's last day, or today for the running year
    scope: str  # the community (or the whole site) the figures cover
    figures: tuple[Figure, ...]
    charts: Charts
    left_out: tuple[str, ...] = ()  # figures not shown: modules missing or not readable by this account

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def values(self) -> dict[str, int]:
        return {f.key: f.value for f in self.figures}


@dataclass(frozen=True)
class CommunityColumn:
    """The street's side-by-side table: one community's figures."""

    org_id: str
    name: str
    values: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TodoItem:
    kind: str  # meetings / probation / development / dues / visits / wishes / projects / ledger / sync / backup / roster
    # / birthdays
    text: str
    page: str  # the page to open
    record_id: str | None = None  # the record to select there
    overdue: bool = True  # False: due soon, not late yet
    filters: tuple[tuple[str, object], ...] = ()  # the page's filters that show exactly the rows the item is about


@dataclass(frozen=True)
class TodoList:
    items: tuple[TodoItem, ...]
    left_out: tuple[str, ...] = ()  # checks not made (module missing here, or not readable)


@dataclass(frozen=True)
class FolderColumn:
    title: str
    width: float  # relative
    align: str = "LEFT"  # LEFT | CENTER | RIGHT
    whole: bool = False  # names (a branch, a state, a stage): each printed on one line, the column widened for it


@dataclass(frozen=True)
class FolderSection:
    """One chapter of the year-end folder: a heading, a line of totals, the list behind a figure."""

    title: str
    columns: tuple[FolderColumn, ...]  # none: the chapter has no list, its summary says why
    rows: tuple[tuple[str, ...], ...]
    summary: str = ""


@dataclass(frozen=True)
class AnnualFolder:
    """年度党建工作台账: the year's figures and charts, then per module the lists behind them."""

    center_name: str
    year: int
    board: Dashboard
    sections: tuple[FolderSection, ...]
    left_out: tuple[str, ...] = ()  # modules this version or this account has no section for
    photos: FolderPhotos | None = None  # 活动照片 after the lists; None: left out or none kept


@dataclass(frozen=True)
class FolderPhoto:
    """One stored photo as the folder prints it: its file, or None when the file is gone or no photo."""

    name: str  # as the user named the file
    path: Path | None
    caption: str  # the day it was stored; the printer adds the day taken when the photo says


@dataclass(frozen=True)
class PhotoGroup:
    """An activity's (or a 微心愿's) photos under one heading of the folder's 活动照片."""

    heading: str
    photos: tuple[FolderPhoto, ...]


@dataclass(frozen=True)
class FolderPhotos:
    """活动照片: the year's evidence after the lists; no groups when the year kept none or it was left out."""

    groups: tuple[PhotoGroup, ...] = ()
    summary: str = ""
