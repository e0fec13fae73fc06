"""Page furniture: the toolbar, the search box, filter combos refilled in place, and the debounce.

Search as you type must not send one query per key, so every text filter goes
through `debounced`; combos refilled after a load keep the user's choice and do
not fire a second load.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolBar, QWidget

SEARCH_DELAY_MS = 150
SEARCH_BOX = "searchBox"  # the object name by which Ctrl+F finds a page's search box (Page.focus_search)
FIND_KEYS = "Ctrl+F"
NEW_KEYS = "Ctrl+N"  # 新增 on every page; Insert does the same, as it adds a row in Excel/WPS
INSERT_KEY = "Ins"
DELETE_KEYS = "Del"  # 删除 of the selected record, which asks first
# the QAction property that says an action writes: True, the page's `writes` permission (gui/pages.py); a string,
# the permissions it needs instead, space-separated, all of them. The window hides it from an account without them.
WRITES = "writes"
REFRESH_KEYS = "F5"


def keys_text(shortcut: str) -> str:
    """An action's keys as its tooltip writes them: 新增 names Insert too, which the manual promises."""
    return f"{shortcut} 或 Insert" if shortcut == NEW_KEYS else shortcut


class _Compact(QObject):
    """Icons only while the texts beside them do not fit the toolbar, rather than the last actions hidden
    behind its » (三单's 费用凭证 and 取消费用关联 on a 1024 screen); each icon's tooltip names it, and the texts
    come back once there is room."""

    def __init__(self, tb: QToolBar):
        super().__init__(tb)
        self.tb, self.full = tb, 0
        tb.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        texts = self.tb.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if texts:  # measured with the texts (actions are added after the toolbar is made)
            self.full = self.tb.sizeHint().width()
        wanted = self.tb.width() >= self.full
        if wanted != texts:
            self.tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon if wanted
                                       else Qt.ToolButtonStyle.ToolButtonIconOnly)


def mark_writes(act: QAction, writes: bool | str = True) -> QAction:
    """Say that `act` writes (True: what the page writes; a string: the permissions named), for the window's rule
    (main_window.offer_writes_only_if_allowed): an account that may not save it is not offered it."""
    if writes:
        act.setProperty(WRITES, writes)
    return act


# What a text points at an action by: its name in “…” (“考评方案”, “登记…” as “登记”), or its keys (Ctrl+N, Del).
_QUOTED = re.compile(r"“([^”]+)”")
_ASIDE = re.compile(r"（[^（）]*）")  # an aside of its own: "（双击姓名，或选中后点“党费基数”登记）"
_BREAKS = re.compile(r"^(?:<br>|\s)+|(?:<br>|\s)+$")  # left at either end by a sentence dropped
_SENTENCE = re.compile(r"(?<=。)|(?<=<br>)|(?<=\n)")  # not at "；": "Ctrl+N；也可……转为项目" is one thought


def action_name(text: str) -> str:
    """An action's name as texts quote it: no accelerator, no trailing … ("登记…" is quoted “登记”)."""
    return text.replace("&", "").rstrip(".…").strip()


def action_words(actions: Iterable[QAction]) -> set[str]:
    """The names and keys by which texts point at these actions."""
    words: set[str] = set()
    for act in actions:
        if act.isSeparator() or not act.text():
            continue
        words.add(action_name(act.text()))
        words.update(k.toString() for k in act.shortcuts())
    return words


def names_any(text: str, words: Collection[str]) -> bool:
    """Whether `text` quotes one of `words` or names it as keys."""
    if not words:
        return False
    if any(action_name(q) in words for q in _QUOTED.findall(text)):
        return True
    return any(w in text for w in words if w.startswith(("Ctrl+", "Alt+", "Shift+", "Del", "F2", "Ins")))


def offered(text: str, hidden: Collection[str]) -> str:
    """`text` without what points at an action the account is not shown (`hidden`: action_words of those):
    an aside in （…） that names one goes alone, else the whole sentence (up to 。, a line break or <br>).
    So a hint is written once, for who may do everything; a 只读 account no longer reads “登记走访：Ctrl+N”
    where Ctrl+N does nothing, and keeps what the text says about what it reads."""
    if not hidden or not text:
        return text
    text = _ASIDE.sub(lambda m: "" if names_any(m.group(0), hidden) else m.group(0), text)
    kept = "".join(s for s in _SENTENCE.split(text) if not names_any(s, hidden))
    return _BREAKS.sub("", kept)


def toolbar(owner: QWidget) -> tuple[QToolBar, Callable[..., QAction]]:
    """A text-beside-icon toolbar (icons only where the texts do not fit) and an
    `action(icon, text, slot, shortcut=None, tip=None, writes=False)` that fills it (`writes`: mark_writes)."""
    from desktop_app.gui import icons

    tb = QToolBar()
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    _Compact(tb)

    def action(icon: str, text: str, slot: Callable[..., Any], shortcut: str | None = None,
               tip: str | None = None, writes: bool | str = False) -> QAction:
        act = mark_writes(QAction(icons.get(icon), text, owner), writes)
        if shortcut:
            keys = [QKeySequence(shortcut)] + ([QKeySequence(INSERT_KEY)] if shortcut == NEW_KEYS else [])
            act.setShortcuts(keys)
            # the shortcut works wherever the focus is inside the page, not in other pages
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setToolTip(f"{tip or text}（{keys_text(shortcut)}）")
        elif tip:
            act.setToolTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        tb.addAction(act)
        owner.addAction(act)
        return act

    return tb, action


def tidy_separators(owner: QWidget) -> None:
    """Hide the separators of `owner`'s toolbars left with nothing shown on one side: an account that may
    not write saw 三会一课's bar end in two bare bars once its write actions were hidden."""
    for tb in owner.findChildren(QToolBar):
        shown_before, pending = False, None
        for act in tb.actions():
            if act.isSeparator():
                if pending is not None:
                    pending.setVisible(False)  # two in a row: the later one stands for both
                pending = act if shown_before else None
                act.setVisible(False)  # shown again once something visible follows it
            elif act.isVisible():
                if pending is not None:
                    pending.setVisible(True)
                    pending = None
                shown_before = True


def search_box(placeholder: str) -> QLineEdit:
    from desktop_app.gui import icons

    edit = QLineEdit()
    edit.setObjectName(SEARCH_BOX)
    edit.setPlaceholderText(placeholder)
    edit.setToolTip(f"{placeholder}（{FIND_KEYS} 从页面任何地方回到这里）")
    edit.setClearButtonEnabled(True)
    edit.addAction(icons.get("search"), QLineEdit.ActionPosition.LeadingPosition)
    return edit


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageHeading")
    return label


def refill(box: QComboBox, all_label: str | None, items: Sequence[tuple[str, Any]]) -> None:
    """Replace a filter combo's entries (keeping the choice) without firing its signals."""
    lead = 1 if all_label is not None else 0
    if box.count() and [(box.itemText(i), box.itemData(i)) for i in range(lead, box.count())] == list(items):
        return
    from desktop_app.gui.widgets.forms import select  # the forms' date and file widgets: not for a page's first paint

    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    if all_label is not None:
        box.addItem(all_label, None)
    for label, value in items:
        box.addItem(label, value)
    select(box, current)
    box.blockSignals(False)


ALL_COMMUNITIES = "全部社区"


def community_box(changed: Callable[[], None], tip: str = "") -> QComboBox:
    """At a street office, whose rows a page shows: 全部社区 first, then each community (`refill_communities`)."""
    box = QComboBox()
    box.addItem(ALL_COMMUNITIES, None)
    if tip:
        box.setToolTip(tip)
    box.currentIndexChanged.connect(lambda _i: changed())
    return box


def refill_communities(box: QComboBox, items: Sequence[tuple[str, Any]]) -> None:
    """The communities a load found, as (name, id), after 全部社区; the choice is kept and nothing fires."""
    refill(box, ALL_COMMUNITIES, items)


class Debounce(QObject):
    """Run `slot` once input pauses for `delay_ms`; `flush()` runs it now if it is waiting."""

    def __init__(self, owner: QObject, slot: Callable[[], None], delay_ms: int = SEARCH_DELAY_MS):
        super().__init__(owner)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(slot)
        self._slot = slot

    def __call__(self, *_args: Any) -> None:
        self.timer.start()

    def pending(self) -> bool:
        return self.timer.isActive()

    def flush(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self._slot()


def debounced(owner: QObject, slot: Callable[[], None], delay_ms: int = SEARCH_DELAY_MS) -> Debounce:
    """A callable that runs `slot` once typing pauses (search as you type without a query per key)."""
    return Debounce(owner, slot, delay_ms)
