"""A worker with a phone number on paper finds the resident by it in the 走访、微心愿 and 调解 forms, and the
search box says she may: it offered only 姓名、拼音首字母或门牌."""

from __future__ import annotations

from desktop_app.gui.mediation.dialogs import CaseDialog
from desktop_app.gui.visits.dialogs import VisitDialog
from desktop_app.gui.wishes.dialogs import WishDialog
from desktop_app.services import residents as res


def test_the_visitee_the_wisher_and_a_party_are_found_by_the_tail_of_their_phone(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    grid = res.grids(db)
    res.create_resident(db, res.ResidentInput(name="王秀英", phone="13905161672"))
    res.create_resident(db, res.ResidentInput(name="王秀兰", phone="13905169999"))
    dialogs = (VisitDialog(None, db, grid, ["其他"]), WishDialog(None, db, grid),
               CaseDialog(None, db, grid, ["邻里纠纷"]))
    for dlg, picker in zip(dialogs, (dialogs[0].visitee, dialogs[1].wisher, dialogs[2].party_picker)):
        qtbot.addWidget(dlg)
        assert "电话" in picker.edit.placeholderText(), dlg.windowTitle()
        picker.edit.setText("1672")
        picker.search_now()
        wait_ops()
        assert picker.matches.count() == 1 and "王秀英" in picker.matches.item(0).text(), dlg.windowTitle()
