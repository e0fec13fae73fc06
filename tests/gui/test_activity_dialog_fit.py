"""The 共建活动 form at 1366×768: its branch and unit lists show rows, not a slit, and every
placeholder of 参与人员 can be read whole."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QLineEdit

from desktop_app.gui.cobuilding.activity_dialog import ActivityDialog

HEIGHT = 768 - 40 - 40  # the taskbar, then the dialog's title bar and frame


def _dialog(qtbot, app_ctx) -> ActivityDialog:
    orgs = [SimpleNamespace(id=i, name=f"第{i}网格党支部") for i in range(1, 7)]
    units = [SimpleNamespace(id=i, name=f"共建单位{i}号城东派出所警务站") for i in range(1, 14)]
    dlg = ActivityDialog(None, app_ctx.db, orgs, units, [])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.resize(dlg.width(), HEIGHT)  # what fit_on_screen does on a 1366×768 desk
    qtbot.waitExposed(dlg)
    return dlg


def test_the_branch_and_unit_lists_show_seven_rows(qtbot, app_ctx):
    dlg = _dialog(qtbot, app_ctx)
    assert dlg.minimumSizeHint().height() <= HEIGHT
    assert dlg.width() <= 1366 - 16
    for box in (dlg.orgs, dlg.units):
        row = box.sizeHintForRow(0)
        assert box.viewport().height() >= 7 * row, (box.viewport().height(), row)


def test_the_people_placeholders_are_not_cut_off(qtbot, app_ctx):
    dlg = _dialog(qtbot, app_ctx)
    for edit in (dlg.people.member.edit, dlg.people.volunteer):
        assert isinstance(edit, QLineEdit)
        room = edit.width() - 2 * 6 - (24 if edit.isClearButtonEnabled() else 0)  # text margins, the clear button
        wanted = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        assert wanted <= room, f"{edit.placeholderText()!r} needs {wanted} px, has {room}"
