"""查找 (Ctrl+K): a small window over the main one with one search box and what it finds, grouped by kind.

The worker types a name, its pinyin initials or the last digits of an ID number or phone; each
pause in typing asks services.find off the GUI thread (a result that arrives after a newer search is
dropped, as the roster's search drops it). ↑/↓ walk the hits without leaving the box, Enter (or a
double click) opens the hit's page with the record selected, Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from desktop_app.gui.ops import Cancelled, run_op
from desktop_app.gui.widgets.bars import debounced, search_box
from desktop_app.gui.widgets.layouts import column, hint
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.views import find as v
from desktop_app.views.find import Found, Hit

FIND_KEYS = "Ctrl+K"
KEYS_HINT = "↑/↓ 选择　Enter 打开　Esc 关闭"
_MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}


class FindPopup(QDialog):
    """One per window, kept between uses: opened again, it shows the last words selected to be typed over."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("查找")
        self.resize(760, 440)
        self.found: Found | None = None
        self._generation = 0
        self._prepared = False
        self._open_on_arrival = False  # Enter pressed before the words' hits came: open the first once they do
        self._first: set[int] = set()  # ids of the hits that lead their kind (their kind is written beside them)

        self.search = search_box(v.HINT)
        self.search.setToolTip(f"{v.HINT}（{FIND_KEYS} 从窗口任何地方打开查找）")
        self.search.textChanged.connect(self._typed)
        self.search.installEventFilter(self)
        self._later = debounced(self, self._run)

        self.model = ColumnModel([
            Column("类别", lambda h: h.kind if id(h) in self._first else "", width=70,
                   bold=lambda h: id(h) in self._first),
            Column("名称", lambda h: h.title, width=150),
            Column("情况", lambda h: h.context, width=420),
        ], parent=self)
        self.table = table_view(self.model, self, stretch=2, multi=False)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the keys stay in the box; ↑/↓ move the row
        self.table.doubleClicked.connect(lambda _i: self.open_current())

        self.status = QLabel(v.HINT)
        self.status.setObjectName("findStatus")
        self.status.setWordWrap(True)
        column(self, self.search, self.status, (self.table, 1), hint(KEYS_HINT))

    # ---------------------------------------------------------------- showing

    def open_here(self) -> None:
        """Show (or raise) the window with the cursor in the box, the last words selected; the first time,
        the member search's lists are read meanwhile, so the first word typed answers at once."""
        if not self._prepared:
            self._prepared = True
            from desktop_app.services import find

            db = self.window_.ctx.db
            run_op(self, lambda job: find.prepare(db), on_error=lambda _exc: None)  # the search says any refusal
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus()
        self.search.selectAll()

    # ---------------------------------------------------------------- searching

    def _typed(self, text: str) -> None:
        self._generation += 1  # whatever is on its way answers words no longer in the box
        self._open_on_arrival = False
        if not text.strip():
            self._show(Found("", ()))
            return
        self._later()

    def _run(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self._generation += 1
        generation = self._generation
        db = self.window_.ctx.db

        def work(job):
            if generation != self._generation:
                raise Cancelled()  # typed on meanwhile: never run it
            from desktop_app.services import find

            return find.find(db, text)

        def done(found: Found) -> None:
            if generation == self._generation:
                self._show(found)

        self.status.setText("正在查找……")
        run_op(self, work, done)

    def _show(self, found: Found) -> None:
        self.found = found
        self._first = {id(g.hits[0]) for g in found.groups if g.hits}
        self.model.set_rows(found.hits)
        if found.hits:
            self.table.selectRow(0)
        self.status.setText(self._summary(found))
        if self._open_on_arrival:
            self._open_on_arrival = False
            self.open_current()

    @staticmethod
    def _summary(found: Found) -> str:
        if not found.text:
            return v.HINT
        if found.empty:
            return f"没有找到“{found.text}”。可换用姓名中的一两个字、拼音首字母，或号码的后四位再试。"
        counts = "，".join(f"{g.kind} {len(g.hits)}{'+' if g.more else ''}" for g in found.groups)
        more = [g.kind for g in found.groups if g.more]
        tail = f"。{'、'.join(more)}还有更多：多输入几个字可以缩小范围" if more else ""
        return f"找到 {counts}{tail}"

    # ---------------------------------------------------------------- keys and opening

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in _MOVES:
                self.walk(_MOVES[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enter()
                return True
        return super().eventFilter(obj, event)

    def walk(self, step: int) -> None:
        """↑/↓ (and Page Up/Down) from the box: the row `step` rows on, kept inside the list."""
        rows = self.model.rowCount()
        if not rows:
            return
        now = self.table.currentIndex().row()
        self.table.selectRow(min(max(now + step if now >= 0 else 0, 0), rows - 1))

    def enter(self) -> None:
        """Enter: the selected hit; typed faster than the search answers, the first hit of these words when
        they come (a worker who knows the name types it and Enter at once)."""
        words = " ".join(self.search.text().split())
        if self.found is not None and self.found.text == words:
            self.open_current()
        elif words:
            self._open_on_arrival = True
            self._later.flush()  # still waiting for a pause in typing: ask now

    def current(self) -> Hit | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def open_current(self) -> None:
        hit = self.current()
        if hit is None:
            return
        pages = getattr(self.window_, "pages", {})
        if hit.page not in pages:
            return  # a page this account does not see (the service lists none such)
        page = pages[hit.page]
        page.show_record(hit.id)  # filters opened up and the record kept, before the page loads
        self.window_.go_to(hit.page)
        self.close()
        self.window_.activateWindow()  # the keys go back to the window, on the page just opened
