"""移入党小组: several members of a branch put into one of its 党小组 at once, from the roster."""

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QInputDialog

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict
from desktop_app.domain.members import MemberInput
from desktop_app.gui.roster.page import RosterPage
from desktop_app.services import orgs, roster


def person(name: str, org_id: str, n: int) -> MemberInput:
    born = date(1970, 5, 6)
    return MemberInput(name=name, org_id=org_id, id_number=idcard.make("320102", born, n, idcard.MALE),
                       joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1), mobile=f"1391234{n:04d}")


@pytest.fixture
def branch(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    g1 = orgs.create(db, "第一党小组", "G01", "group", b1.id)
    orgs.create(db, "第一党小组", "G02", "group", b2.id)
    people = [roster.create(db, person(n, b1.id, i)) for i, n in enumerate(("张三", "李四", "王五"), start=1)]
    other = roster.create(db, person("赵六", b2.id, 4))
    return b1, g1, people, other


def test_members_move_into_a_group_of_their_branch(app_ctx, branch):
    db = app_ctx.db
    b1, g1, people, other = branch
    assert roster.move_to_group(db, [p.id for p in people[:2]], g1.id) == 2
    assert {roster.get(db, p.id).org_id for p in people[:2]} == {g1.id}
    with pytest.raises(Conflict, match="赵六"):
        roster.move_to_group(db, [people[2].id, other.id], g1.id)
    assert roster.get(db, people[2].id).org_id == b1.id  # all or none
    assert roster.move_to_group(db, [people[0].id], b1.id) == 1  # back to the branch


def test_the_roster_moves_the_selected_members(qtbot, app_ctx, branch, wait_ops, monkeypatch):
    b1, g1, people, _other = branch
    page = RosterPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    wait_ops()
    page.branch.setCurrentIndex(page.branch.findData(b1.id))
    wait_ops()
    sel = page.table.selectionModel()
    for r in range(page.model.rowCount()):
        row = page.model.row_at(r)
        if row.name in ("张三", "李四"):
            sel.select(page.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                       | QItemSelectionModel.SelectionFlag.Rows)
            sel.setCurrentIndex(page.model.index(r, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    offered = []
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda parent, title, label, items, *a: offered.append(items) or ("第一党小组", True)))
    page.move_to_group()
    wait_ops()
    assert offered[0][0] == "第一党小组" and "（移回第一网格党支部，不在党小组）" in offered[0]
    moved = {p.name for p in people if roster.get(app_ctx.db, p.id).org_id == g1.id}
    assert moved == {"张三", "李四"}
    assert "已将 2 名党员移入" in page.message_text.text()


def test_roster_numbers_run_without_gaps(qtbot, qtmodeltester, app_ctx, branch, wait_ops):
    _b1, _g1, people, _other = branch
    roster.delete(app_ctx.db, people[1].id)  # 李四 leaves a gap in the stored numbers
    page = RosterPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    n = page.model.rowCount()
    assert [page.model.index(r, 0).data() for r in range(n)] == [str(i) for i in range(1, n + 1)]
    qtmodeltester.check(page.model)
