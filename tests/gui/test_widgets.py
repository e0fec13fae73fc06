"""The GUI kit on its own: the column model, the record-list page's loading, the saving dialog."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from desktop_app.domain.errors import ValidationError
from desktop_app.gui.bus import bus
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.bars import refill
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import combo
from desktop_app.gui.widgets.items import VALUE_ROLE, add_item, check_all, checked, checklist, current_value, set_checked
from desktop_app.gui.widgets.page import AppContext
from desktop_app.gui.widgets.record_list import (
    Act,
    Choice,
    Loaded,
    RecordListPage,
    Search,
    Table,
    selected,
)
from desktop_app.gui.widgets.table import (
    ALERT,
    CENTER,
    DONE,
    ID_ROLE,
    Column,
    ColumnModel,
)
from desktop_app.views.changes import Change, changes


@dataclass(frozen=True)
class Thing:
    id: str
    name: str
    size: int
    note: str = ""


THINGS = [Thing("a", "苹果", 3), Thing("b", "香蕉", 12, "一段很长很长很长很长很长的说明文字"), Thing("c", "橙子", 7)]
COLUMNS = (
    Column("名称", lambda t: t.name, width=80),
    Column("大小", lambda t: str(t.size), CENTER, 40, sort_key=lambda t: t.size,
           color=lambda t: ALERT if t.size > 10 else None),
    Column("说明", lambda t: t.note, tooltip=lambda t: f"说明：{t.note}" if t.note else None),
)


# ---------------------------------------------------------------- the column model


def test_column_model_passes_the_model_tester_and_answers_each_role(qtmodeltester, qapp):
    model = ColumnModel(COLUMNS, row_color=lambda t: DONE if t.id == "a" else None)
    qtmodeltester.check(model)
    model.set_rows(THINGS)
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 3
    assert model.headerData(1, Qt.Orientation.Horizontal) == "大小"
    assert model.data(model.index(1, 0)) == "香蕉"
    assert model.data(model.index(1, 1), int(Qt.ItemDataRole.TextAlignmentRole)) == CENTER
    assert model.data(model.index(1, 1), int(Qt.ItemDataRole.ForegroundRole)) == ALERT  # the cell's own colour
    assert model.data(model.index(0, 0), int(Qt.ItemDataRole.ForegroundRole)) == DONE  # the row's colour
    assert model.data(model.index(2, 0), int(Qt.ItemDataRole.ForegroundRole)) is None
    assert model.data(model.index(1, 2), int(Qt.ItemDataRole.ToolTipRole)).startswith("说明：")
    assert model.data(model.index(0, 2), int(Qt.ItemDataRole.ToolTipRole)) is None
    assert model.data(model.index(2, 0), ID_ROLE) == "c"
    assert model.find("c") == 2 and model.find("zz") == -1 and model.find(None) == -1
    assert model.row(5) is None


def test_column_model_sorts_by_the_declared_key_and_keeps_persistent_indexes(qtmodeltester, qapp):
    model = ColumnModel(COLUMNS)
    model.set_rows(THINGS)
    banana = QPersistentModelIndex(model.index(1, 0))
    model.sort(1, Qt.SortOrder.DescendingOrder)  # by size as a number, not as text ("12" < "3")
    assert [t.size for t in model.rows] == [12, 7, 3]
    assert banana.row() == 0 and model.data(model.index(banana.row(), 0)) == "香蕉"
    model.sort(1)
    assert [t.size for t in model.rows] == [3, 7, 12]
    qtmodeltester.check(model)
    model.set_rows(list(reversed(THINGS)))  # a reload keeps the order the user chose
    assert [t.size for t in model.rows] == [3, 7, 12]


def test_the_list_keeps_the_services_order_until_a_header_is_clicked(qtbot, qapp):
    from desktop_app.gui.widgets.list_panel import ListPanel

    panel = ListPanel(COLUMNS)
    qtbot.addWidget(panel)
    panel.set_rows(THINGS)
    assert [t.id for t in panel.model.rows] == ["a", "b", "c"]
    panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [t.id for t in panel.model.rows] == ["b", "c", "a"]


def test_a_checklist_reads_back_the_ticked_values_in_list_order(qtbot):
    box = checklist([("甲", "a"), ("乙", "b"), ("丙", "c")], ["c", "a"])
    qtbot.addWidget(box)
    assert checked(box) == ["a", "c"]
    set_checked(box, "a", False)
    set_checked(box, "b")
    assert checked(box) == ["b", "c"]
    check_all(box, False)
    assert checked(box) == []
    check_all(box, True)
    assert checked(box) == ["a", "b", "c"]
    assert box.item(1).data(VALUE_ROLE) == "b" and box.item(1).data(ID_ROLE) is None  # not the table's row id


def test_a_value_list_answers_its_current_value(qtbot):
    box = checklist([], [])
    qtbot.addWidget(box)
    assert current_value(box) is None
    add_item(box, "文件", Thing("x", "甲", 1))
    box.setCurrentRow(0)
    assert current_value(box) == Thing("x", "甲", 1)


def test_refill_keeps_the_choice_and_fires_nothing(qtbot):
    box = combo([("全部", None), ("一", 1), ("二", 2)], 2)
    qtbot.addWidget(box)
    with qtbot.assert_not_emitted(box.currentIndexChanged):
        refill(box, "全部", [("二", 2), ("三", 3)])
    assert box.currentData() == 2 and box.count() == 3


# ---------------------------------------------------------------- the record-list page


class Store:
    """What the page's loader reads; it counts and remembers its callers."""

    def __init__(self):
        self.things = list(THINGS)
        self.loads: list[str] = []
        self.threads: set[str] = set()
        self.gate: threading.Event | None = None

    def list(self, text: str, big: bool | None) -> list[Thing]:
        gate = self.gate
        self.threads.add(threading.current_thread().name)
        self.loads.append(text)
        if gate is not None:
            gate.wait(5)
        return [t for t in self.things if text in t.name and (big is None or (t.size > 10) == big)]


class ThingsPage(RecordListPage):
    title = "东西"
    exports = False  # its store is no database: 导出Excel asks the account's rights of one
    watches = changes(Change.WISHES)
    writes = changes(Change.WISHES)
    tables = (Table(COLUMNS, stretch=2, empty="没有选中"),)
    filters = (Search("搜索"), Choice("big", [("大", True), ("小", False)], "全部"))
    actions = (Act("add", "新增", "add", "Ctrl+N"), Act("delete", "删除", "remove", when=selected, name="delete"))
    activate = "remove"

    def __init__(self, ctx, store: Store):
        self.store = store
        self.added = 0
        super().__init__(ctx)

    def load(self, db, f):
        return Loaded(self.store.list(f.text, f.big), total=len(self.store.things))

    def detail_html(self, t: Thing) -> str:
        return f"<h3>{t.name}</h3>"

    def on_loaded(self, loaded: Loaded) -> None:
        self.counts.setText(f"{len(loaded.rows)} / {loaded.total}")

    def add(self) -> None:
        self.added += 1

    def remove(self) -> None:
        d = self.detail
        self.write(lambda: self.store.things.remove(d), f"已删除{d.name}")


@pytest.fixture
def things_page(qtbot, qapp, wait_ops):
    store = Store()
    page = ThingsPage(AppContext(db=None, site=None), store)
    qtbot.addWidget(page)
    page.resize(800, 400)
    page.show()
    wait_ops()
    return page


def test_list_page_loads_off_the_gui_thread_and_shows_the_first_row(things_page):
    page = things_page
    assert page.panel.model.rowCount() == 3 and page.counts.text() == "3 / 3"
    assert threading.main_thread().name not in page.store.threads
    assert page.detail == THINGS[0] and "苹果" in page.panel.details.text()
    assert page.act_delete.isEnabled() and page.act_add.isEnabled()


def test_list_page_debounces_the_search(things_page, qtbot, wait_ops):
    page = things_page
    before = len(page.store.loads)
    for text in ("香", "香蕉"):
        page.search.setText(text)  # two edits in quick succession …
    assert page.search_debounce.pending()
    qtbot.waitUntil(lambda: not page.search_debounce.pending())
    wait_ops()
    assert page.store.loads[before:] == ["香蕉"]  # … one query, for what was typed last
    assert [t.name for t in page.panel.model.rows] == ["香蕉"]


def test_a_choice_filter_reloads_at_once(things_page, wait_ops):
    page = things_page
    page.choice("big").setCurrentIndex(page.choice("big").findData(False))
    wait_ops()
    assert [t.name for t in page.panel.model.rows] == ["苹果", "橙子"]


def test_a_late_answer_to_an_older_query_is_dropped(things_page, wait_ops, qtbot):
    page = things_page
    gate = threading.Event()
    page.store.gate = gate
    page.search.setText("苹")
    page.refresh()  # this query waits at the gate
    qtbot.waitUntil(lambda: page.store.loads[-1] == "苹")
    page.store.gate = None
    page.search.setText("橙")
    page.refresh()  # the newer query answers first
    qtbot.waitUntil(lambda: [t.name for t in page.panel.model.rows] == ["橙子"])
    gate.set()
    wait_ops()
    assert [t.name for t in page.panel.model.rows] == ["橙子"]  # the older answer did not overwrite it


def test_list_page_refreshes_on_a_change_it_watches_and_keeps_the_selection(things_page, wait_ops, qtbot):
    page = things_page
    page.panel.select_id("c")
    loads = len(page.store.loads)
    page.store.things.append(Thing("d", "葡萄", 1))
    bus.announce(Change.MEMBERS)  # not shown here: nothing happens
    wait_ops()
    assert len(page.store.loads) == loads
    bus.announce(Change.WISHES)
    wait_ops()
    assert len(page.store.loads) == loads + 1 and page.panel.model.rowCount() == 4
    assert page.panel.selected().id == "c"  # the selection survives the reload


def test_a_write_announces_its_changes_and_the_page_reloads(things_page, wait_ops, qtbot):
    page = things_page
    page.panel.select_id("b")
    wait_ops()
    with qtbot.wait_signal(bus.changed) as sent:
        page.act_delete.trigger()
        wait_ops()
    assert sent.args[0] == changes(Change.WISHES)
    wait_ops()
    assert [t.id for t in page.panel.model.rows] == ["a", "c"] and page.message.text() == "已删除香蕉"


def test_a_hidden_page_reloads_when_shown_again(things_page, wait_ops):
    page = things_page
    page.hide()
    loads = len(page.store.loads)
    bus.announce(Change.WISHES)
    wait_ops()
    assert len(page.store.loads) == loads  # stale, not reloaded while nobody looks
    page.show()
    wait_ops()
    assert len(page.store.loads) == loads + 1


def test_nothing_selected_disables_what_needs_a_record(things_page, wait_ops):
    page = things_page
    page.search.setText("没有这个")
    page.refresh()
    wait_ops()
    assert page.detail is None and not page.act_delete.isEnabled()
    # the search emptied the list: that first, then the table's own hint
    assert "没有符合搜索和筛选条件的记录" in page.panel.details.text()
    assert page.panel.details.text().endswith("<p>没有选中</p>")


# ---------------------------------------------------------------- the saving dialog


class NameDialog(SavingDialog):
    changes_made = changes(Change.WISHES)

    def __init__(self, save):
        super().__init__(None, "名称")
        self.name = QLineEdit()
        self._save = save
        self.finish_layout(self.name)
        self.first_field = self.name

    def prepare(self):
        name = self.name.text().strip()
        if not name:
            raise ValidationError("名称", "不能为空")
        save = self._save
        return lambda: save(name)


def test_saving_dialog_names_a_mistake_inline_before_anything_is_sent(qtbot, wait_ops):
    sent = []
    dlg = NameDialog(sent.append)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.accept()
    wait_ops()
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.isVisible()
    assert dlg.message.text() == "名称：不能为空" and not dlg.message.isHidden()
    assert sent == []


def test_saving_dialog_shows_a_refusal_from_the_service_and_keeps_what_was_typed(qtbot, wait_ops):
    def refuse(name: str):
        raise ValidationError("名称", f"“{name}”已存在")

    dlg = NameDialog(refuse)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name.setText("苹果")
    with qtbot.assert_not_emitted(bus.changed):
        dlg.accept()
        wait_ops()
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.isVisible()
    assert dlg.message.text() == "名称：“苹果”已存在" and dlg.name.text() == "苹果"
    assert dlg.buttons.isEnabled()  # ready for another try


def test_saving_dialog_saves_off_the_gui_thread_announces_and_closes(qtbot, wait_ops):
    threads = []

    def save(name: str) -> Thing:
        threads.append(threading.current_thread())
        return Thing("n", name, 1)

    dlg = NameDialog(save)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitActive(dlg)
    qtbot.waitUntil(dlg.name.hasFocus)  # typing starts in the first field
    dlg.name.setText("梨")
    with qtbot.wait_signal(bus.changed) as announced, qtbot.wait_signal(dlg.record_saved) as saved:
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        wait_ops()
    assert threads and threads[0] is not threading.main_thread()
    assert announced.args[0] == changes(Change.WISHES)
    assert saved.args[0].name == "梨" and dlg.saved.name == "梨"
    assert dlg.result() == QDialog.DialogCode.Accepted and not dlg.isVisible()


@dataclass(frozen=True)
class KindFilter:
    words: str
    kind: str | None


class KindsPage(RecordListPage):
    """A page whose filter row fills its service filter by itself, and whose kinds come with each load."""

    title = "种类"
    exports = False  # as ThingsPage
    tables = (Table(COLUMNS),)
    filters = (Search("搜索", field="words"), Choice("kind", all_label="全部种类", fill="kinds"))
    filter_type = KindFilter

    def __init__(self, ctx, store: Store):
        self.store, self.deleted = store, []
        super().__init__(ctx)

    def load(self, db, f):
        flt = self.current_filter(f)
        return Loaded([t for t in self.store.things if flt.words in t.name and flt.kind in (None, t.note or "无")],
                      kinds=sorted({t.note or "无" for t in self.store.things}))

    def on_loaded(self, loaded: Loaded) -> None:
        self.set_counts(f"{len(loaded.rows)} 个", "有长说明" if any(t.note for t in loaded.rows) else "")

    def remove(self) -> None:
        self.delete_detail("删除", lambda d: f"删除{d.name}？", lambda db, thing_id: self.deleted.append((db, thing_id)))


def test_a_page_declares_its_filter_type_fills_choices_from_the_load_and_deletes_after_asking(
        qtbot, qapp, wait_ops, monkeypatch):
    page = KindsPage(AppContext(db="数据库", site=None), Store())
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    box = page.choice("kind")
    assert [box.itemText(i) for i in range(box.count())] == ["全部种类", THINGS[1].note, "无"]
    assert page.current_filter() == KindFilter("", None)
    assert "color:#c8161e'>有长说明</span>" in page.counts.text()
    box.setCurrentIndex(box.findData("无"))
    wait_ops()
    assert page.current_filter() == KindFilter("", "无")
    assert [t.id for t in page.panel.model.rows] == ["a", "c"] and page.counts.text() == "2 个"
    page.panel.select_id("c")
    wait_ops()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    page.remove()
    wait_ops()
    assert asked == ["删除橙子？"] and page.deleted == []  # said no: nothing deleted
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    page.remove()
    wait_ops()
    assert page.deleted == [("数据库", "c")] and page.message.text() == "已删除。"


def test_delete_detail_keeps_to_its_when_and_deletes_by_the_id_it_is_told(qtbot, qapp, wait_ops, monkeypatch):
    page = KindsPage(AppContext(db="数据库", site=None), Store())
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    monkeypatch.setattr(common, "ask", lambda *a: pytest.fail("asked although the record may not be deleted"))
    page.delete_detail("删除", lambda d: "?", lambda db, i: page.deleted.append(i), when=lambda d: False)
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.delete_detail("删除", lambda d: "?", lambda db, i: page.deleted.append(i), record_id=lambda d: d.name)
    wait_ops()
    assert page.deleted == [page.detail.name]
