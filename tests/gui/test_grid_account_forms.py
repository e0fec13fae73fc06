"""A 网格员's round, on the real forms.

A visitee typed in (new on the way, not yet a resident) left the form's 网格 on 不指定网格 and the save was
refused with 「只能处理本人负责网格的记录」: a 网格员 with one grid now finds it chosen on a new visit or
wish. Deleting a visit whose problem is still open said nothing of it; the problem dropped out of 未办结,
逾期 and the 月报 unseen: the question now says so and points to 办理.
"""

from PySide6.QtWidgets import QDialog

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import VisitInput
from desktop_app.gui.visits.dialogs import VisitDialog
from desktop_app.gui.visits.page import VisitsPage
from desktop_app.gui.widgets import common
from desktop_app.gui.wishes.dialogs import WishDialog
from desktop_app.services import residents as res
from desktop_app.services import visits
from tests.integration.test_roles import TODAY, as_user, fast_kdf, town  # noqa: F401


def test_a_grid_workers_new_visit_and_wish_start_on_their_grid(qtbot, app_ctx, wait_ops, town):
    db = app_ctx.db
    as_user(db, "grid1")
    dlg = VisitDialog(None, db, res.grids(db), flow.DEFAULT_LISTS[flow.ISSUE_CATEGORY], today=TODAY)
    qtbot.addWidget(dlg)
    assert dlg.grid.currentData() == town["g1"]
    dlg.others.setText("网格员小李")
    dlg.visitee.edit.setText("赵新来")  # typed in, not picked: no resident, no grid from the pick
    dlg.mode_nothing.setChecked(True)
    dlg.content.setPlainText("新搬来的住户，了解情况")
    dlg.accept()
    wait_ops()
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.message.text()
    assert (dlg.saved.visitee_name, dlg.saved.grid_id) == ("赵新来", town["g1"])
    wish = WishDialog(None, db, res.grids(db), today=TODAY)
    qtbot.addWidget(wish)
    assert wish.grid.currentData() == town["g1"]
    as_user(db, "admin")  # the whole community: no grid is guessed
    for form in (VisitDialog(None, db, res.grids(db), flow.DEFAULT_LISTS[flow.ISSUE_CATEGORY], today=TODAY),
                 WishDialog(None, db, res.grids(db), today=TODAY)):
        qtbot.addWidget(form)
        assert form.grid.currentData() is None


def test_deleting_a_visit_with_its_problem_open_says_so(qtbot, app_ctx, wait_ops, town, monkeypatch):
    db = app_ctx.db
    as_user(db, "admin")
    v = visits.log_visit(db, VisitInput(visit_date=TODAY, resident_id=town["r1"], category="路灯",
                                        content="楼道灯坏了", other_visitors="网格员小李"), today=TODAY)
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    page = VisitsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    for closed in (False, True):
        if closed:
            visits.move_follow_up(db, v.id, flow.SOLVED, "小李", TODAY, "已换灯泡", TODAY)
        page.refresh()
        wait_ops()
        page.panel.select_id(v.id)
        wait_ops()
        page.delete_selected()  # answered 否: kept
        assert len(visits.list_visits(db, visits.VisitFilter(), TODAY)) == 1
    plain = f"确定删除 {TODAY.isoformat()} 对“王秀英”的走访记录吗？"
    assert asked[0].startswith(plain + "\n\n这条走访反映的问题还没有办结（待处理）")
    assert "请改用“办理”记下结果" in asked[0]
    assert asked[1] == plain  # closed: nothing more to say
