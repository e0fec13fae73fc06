"""The kit's ColumnModel as the hand-built tables needed it: bold cells, a combo box column, no QTableWidget,
and no page installing a delegate or opening editors itself."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from desktop_app.gui.widgets.table import Column, ColumnModel, table_view

GUI = Path(__file__).resolve().parents[2] / "desktop_app" / "gui"
KIT = GUI / "widgets"
FONT = Qt.ItemDataRole.FontRole


@dataclass
class Line:
    name: str
    kind: str
    pick: str = ""
    total: bool = False


KINDS = {"性别": ("男", "女"), "类别": ("正式党员", "预备党员", "入党积极分子")}


def columns() -> list[Column]:
    return [
        Column("名称", lambda r: r.name, bold=lambda r: r.total),
        Column("类", lambda r: r.kind),
        Column("读作", lambda r: r.pick or "（自动）", value=lambda r: r.pick, edit=lambda r, v: setattr(r, "pick", v),
               tooltip=lambda r: f"{r.kind}的值", choices=lambda r: [("（自动）", "")] + [(k, k) for k in KINDS[r.kind]]),
    ]


def test_a_bold_column_sets_just_its_cells_in_bold(qtmodeltester):
    model = ColumnModel(columns())
    model.set_rows([Line("甲", "性别"), Line("合计", "类别", total=True)])
    qtmodeltester.check(model)
    assert model.index(0, 0).data(FONT) is None
    assert model.index(1, 0).data(FONT).bold()
    assert model.index(1, 1).data(FONT) is None  # declared on one column only


def test_a_column_with_choices_is_a_combo_box_on_every_row_after_every_load(qtbot, qtmodeltester):
    model = ColumnModel(columns())
    view = table_view(model, editable=True)
    qtbot.addWidget(view)
    model.set_rows([Line("甲", "性别"), Line("乙", "类别", pick="预备党员")])
    qtmodeltester.check(model)
    assert isinstance(view.itemDelegateForColumn(2), QStyledItemDelegate)  # the kit's, installed for the column
    first, second = (view.indexWidget(model.index(r, 2)) for r in range(2))
    assert isinstance(first, QComboBox) and isinstance(second, QComboBox)
    assert [first.itemText(i) for i in range(first.count())] == ["（自动）", "男", "女"]  # each row its own
    assert second.count() == 4 and second.currentText() == "预备党员"
    assert second.toolTip() == "类别的值"
    first.setCurrentText("女")  # saved as soon as chosen
    assert model.rows[0].pick == "女"
    model.setData(model.index(1, 2), "入党积极分子")  # and a change of the row shows in its box
    assert second.currentText() == "入党积极分子"
    model.append(Line("丙", "性别"))
    assert isinstance(view.indexWidget(model.index(2, 2)), QComboBox)
    delegate = view.itemDelegateForColumn(2)
    model.set_rows([Line("丁", "类别")])
    assert isinstance(view.indexWidget(model.index(0, 2)), QComboBox)
    assert view.itemDelegateForColumn(2) is delegate  # a reload keeps the delegate
    qtmodeltester.check(model)


def test_a_read_only_view_shows_its_choices_disabled_now_and_after_a_reload(qtbot):
    """A 只读 account could pick a 评议等次 in the always-open box and be left with a change no 保存 offered."""
    from desktop_app.gui.widgets.table import set_read_only

    model = ColumnModel(columns())
    view = table_view(model, editable=True)
    qtbot.addWidget(view)
    model.set_rows([Line("甲", "性别")])
    set_read_only(view)
    assert not view.indexWidget(model.index(0, 2)).isEnabled()  # the box already open
    model.set_rows([Line("甲", "性别"), Line("乙", "类别")])
    assert not any(view.indexWidget(model.index(r, 2)).isEnabled() for r in range(2))  # and those of a reload
    assert view.editTriggers() == view.EditTrigger.NoEditTriggers
    plain = table_view(ColumnModel(columns()))  # not editable by typing, its boxes still are (the import mapping)
    qtbot.addWidget(plain)
    plain.model().set_rows([Line("甲", "性别")])
    assert plain.indexWidget(plain.model().index(0, 2)).isEnabled()


def test_a_grid_s_new_columns_move_the_combo_boxes_and_leave_a_page_s_own_delegate(qtbot):
    model = ColumnModel(columns())
    view = table_view(model, editable=True)
    qtbot.addWidget(view)
    own = QStyledItemDelegate(view)
    view.setItemDelegateForColumn(1, own)
    model.set_grid([columns()[2], Column("名称", lambda r: r.name)], [Line("甲", "性别")])
    assert isinstance(view.indexWidget(model.index(0, 0)), QComboBox)
    assert view.itemDelegateForColumn(1) is own
    assert view.itemDelegateForColumn(2) is None
    model.set_grid([Column("名称", lambda r: r.name)], [Line("甲", "性别")])
    assert view.indexWidget(model.index(0, 0)) is None
    assert view.itemDelegateForColumn(0) is None


def _names(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
        elif isinstance(node, ast.alias):
            out.add(node.name.rsplit(".", 1)[-1])
        elif isinstance(node, ast.FunctionDef):  # a delegate's own createEditor
            out.add(node.name)
    return out


def _modules(root: Path, skip: Path | None = None):
    """(path from desktop_app's parent, names used) of each module under `root`, but those under `skip`."""
    for path in sorted(root.rglob("*.py")):
        if skip is None or not path.is_relative_to(skip):
            yield str(path.relative_to(root.parent.parent)), _names(ast.parse(path.read_text(encoding="utf-8")))


def hand_built_tables(root: Path = GUI) -> list[str]:
    """Modules under gui/ that build a table by hand instead of on a ColumnModel.

    A QStandardItemModel stays allowed for a tree (the organisation tree); next to a table view it is a table.
    """
    found = []
    for where, names in _modules(root):
        if names & {"QTableWidget", "QTableWidgetItem"}:
            found.append(f"{where}: QTableWidget")
        if "QStandardItemModel" in names and (names & {"QTableView", "table_view"} or "QTreeView" not in names):
            found.append(f"{where}: QStandardItemModel table")
    return found


def test_every_table_is_a_column_model():
    assert hand_built_tables() == [], "every table is a ColumnModel (CONTRIBUTING.md); use gui/widgets/table.py"


def test_the_guard_sees_a_hand_built_table(tmp_path):
    gui = tmp_path / "desktop_app" / "gui"
    gui.mkdir(parents=True)
    (gui / "tree.py").write_text("from PySide6.QtGui import QStandardItemModel\nfrom PySide6.QtWidgets import QTreeView\n")
    (gui / "grid.py").write_text("from PySide6 import QtWidgets\nt = QtWidgets.QTableWidget(0, 3)\n")
    (gui / "model.py").write_text("from PySide6.QtGui import QStandardItemModel\nfrom PySide6.QtWidgets import QTableView\n")
    assert hand_built_tables(gui) == ["desktop_app/gui/grid.py: QTableWidget",
                                      "desktop_app/gui/model.py: QStandardItemModel table"]


# What a page would write to put an editor of its own on a table: the kit does that from `Column(choices=...)`.
HAND_EDITORS = {"ChoiceDelegate", "_ChoiceDelegate", "setItemDelegateForColumn", "openPersistentEditor", "createEditor"}


def hand_installed_editors(root: Path = GUI, kit: Path = KIT) -> list[str]:
    """Modules under gui/, outside the kit, that install a cell delegate or open editors themselves."""
    return [f"{where}: {', '.join(sorted(names & HAND_EDITORS))}"
            for where, names in _modules(root, skip=kit) if names & HAND_EDITORS]


def test_no_page_installs_a_delegate_or_opens_editors_itself():
    assert hand_installed_editors() == [], "declare Column(choices=...) (gui/widgets/table.py, CONTRIBUTING.md)"


def test_the_guard_sees_a_page_installing_a_combo_box_delegate(tmp_path):
    gui = tmp_path / "desktop_app" / "gui"
    (gui / "widgets").mkdir(parents=True)
    (gui / "widgets" / "table.py").write_text("class _ChoiceDelegate:\n    def createEditor(self): ...\n")
    (gui / "page.py").write_text("from desktop_app.gui.widgets import table\n"
                                 "view.setItemDelegateForColumn(1, table._ChoiceDelegate([], view))\n"
                                 "view.openPersistentEditor(model.index(0, 1))\n")
    (gui / "own.py").write_text("class Combo(QStyledItemDelegate):\n    def createEditor(self, *a): ...\n")
    (gui / "paint.py").write_text("view.setItemDelegate(Painter(view))\n")  # a whole-view painter is not an editor
    assert hand_installed_editors(gui, gui / "widgets") == [
        "desktop_app/gui/own.py: createEditor",
        "desktop_app/gui/page.py: _ChoiceDelegate, openPersistentEditor, setItemDelegateForColumn"]


def test_the_stretching_column_never_shrinks_below_its_width_and_takes_the_room_left(qtbot):
    """On a narrow screen the others left 三单's 项目 18 pixels: now it keeps its width and the table scrolls."""
    from PySide6.QtWidgets import QHeaderView

    cols = [Column("登记", lambda r: r.name, width=300), Column("项目", lambda r: r.name, width=200),
            Column("状态", lambda r: r.kind, width=300)]
    model = ColumnModel(cols)
    model.set_rows([Line("甲", "男")])
    view = table_view(model, stretch=1)
    qtbot.addWidget(view)
    header = view.horizontalHeader()
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: header.sectionSize(1) == 200)
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Interactive
    view.resize(1200, 300)  # room enough: it stretches again
    qtbot.waitUntil(lambda: header.sectionSize(1) > 200)
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(1) == view.viewport().width() - 600
