"""The roster table's own cell painter draws exactly what the style would: pixel for pixel."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyledItemDelegate, QTableView

from desktop_app.domain import members as rules
from desktop_app.gui.roster.delegate import RosterDelegate
from desktop_app.gui.roster.page import RosterPage
from desktop_app.services import orgs, roster
from tests.gui.test_roster_gui import person


def _grab(page: RosterPage, delegate) -> QImage:
    page.table.setItemDelegate(delegate)
    return page.table.viewport().grab().toImage()


def _differing(a: QImage, b: QImage) -> int:
    assert a.size() == b.size()
    return sum(a.pixel(x, y) != b.pixel(x, y) for y in range(a.height()) for x in range(a.width()))


def test_cells_look_as_the_style_draws_them(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部（幸福里小区及周边商铺联合）", "B01", "branch", community.id)  # elided
    made = [roster.create(db, person(f"成员{n}" + "长" * (n % 5), branch.id, n * 37 % 100,
                                     born=date(1940 + 2 * n, 1 + n % 12, 1 + n), mobile=f"13{n * 7919 % 10**9:09d}"))
            for n in range(24)]  # texts of many widths: centring at fractions of a pixel
    roster.change_status(db, made[1].id, rules.LOST, date(2024, 3, 1))  # red
    roster.change_status(db, made[2].id, rules.SUSPENDED, date(2024, 3, 1))  # red
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 500)
    p.show()
    wait_ops()
    p.status.setCurrentIndex(1)  # everyone, the gone too
    wait_ops()
    p.table.selectRow(3)  # the highlight and the focused cell
    p.table.setFocus()
    assert isinstance(p.table.itemDelegate(), RosterDelegate)
    assert "*" in p.model.index(0, 9).data()  # masked ID numbers are what is drawn

    mine = p.table.itemDelegate()
    ours = _grab(p, mine)
    assert _differing(ours, _grab(p, QStyledItemDelegate(p.table))) == 0
    # a text seen once is drawn directly, seen again laid out once and drawn from that: the same pixels
    assert _differing(_grab(p, mine), ours) == 0
    assert _differing(_grab(p, mine), ours) == 0

    # a member's text changes: the new text is drawn, not one kept from before
    roster.update(db, made[0].id, person("改名后", branch.id, 0))
    p.run_search()
    wait_ops()
    after = _grab(p, mine)
    assert p.model.index(0, 1).data() == "改名后"
    assert _differing(ours, after) > 0
    assert _differing(after, _grab(p, QStyledItemDelegate(p.table))) == 0

    # a larger font: laid out again in it, still as the style draws it
    font = p.table.font()
    font.setPointSize(font.pointSize() + 3)
    p.table.setFont(font)
    bigger = _grab(p, mine)
    assert _differing(bigger, after) > 0
    assert _differing(bigger, _grab(p, QStyledItemDelegate(p.table))) == 0


def test_row_bands_are_the_ones_qt_paints(qtbot, app_ctx, wait_ops):
    """The table paints its alternating rows itself (one band a row): the pixels of Qt's own cell by cell fill."""
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一党支部", "B01", "branch", community.id)
    for n in range(30):  # more rows than the page's height: the last band is cut by the viewport's edge
        roster.create(db, person(f"成员{n}", branch.id, n))
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 420)
    p.show()
    wait_ops()
    p.table.selectRow(2)  # a selected odd row: the highlight covers the band as it covers Qt's
    p.table.verticalScrollBar().setValue(3)  # scrolled: the first row shown is an odd one
    assert p.table.alternatingRowColors()
    ours = p.table.viewport().grab().toImage()

    p.table._bands = False
    QTableView.setAlternatingRowColors(p.table, True)
    qts = p.table.viewport().grab().toImage()
    assert _differing(ours, qts) == 0

    QTableView.setAlternatingRowColors(p.table, False)
    plain = p.table.viewport().grab().toImage()
    assert _differing(ours, plain) > 0  # the bands are there to be seen
