"""Bits the 共驻共建 pages share: the year choice, dates and hours as shown, a listed section, a choice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from typing import Any

from PySide6.QtWidgets import QInputDialog, QWidget

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


def is_a(kind: type, test: Callable[[Any], Any] | None = None) -> Callable[[Any], bool]:
    """An action's `when`: the selected detail is a `kind` (and passes `test`)."""
    return lambda x: isinstance(x, kind) and (test is None or bool(test(x)))


def bullets(label: str, items: Sequence[str]) -> str:
    """A labelled list for a details pane; nothing when there is nothing to list."""
    if not items:
        return ""
    return f"<p>{escape(label)}：</p><ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>"


def choose(parent: QWidget | None, title: str, label: str, items: Sequence[tuple[str, Any]]) -> Any:
    """One of several (label, value) pairs, or None when cancelled (tests replace this)."""
    text, ok = QInputDialog.getItem(parent, title, label, [t for t, _ in items], 0, False)
    return dict(items).get(text) if ok else None
