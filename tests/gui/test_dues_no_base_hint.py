"""A new center's 党费 page: members without a 党费基数 are counted with the way to register it, and that way
(double-clicking the name) opens the 党费基数 form."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.dues.page import DuesPage
from desktop_app.services import orgs, roster


def test_the_count_of_members_without_a_base_says_how_to_register_it(qtbot, app_ctx, wait_ops, monkeypatch):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一党支部", "B01", "branch", c.id)
    roster.create(db, MemberInput(name="张建国", org_id=b.id,
                                  id_number=idcard.make("320102", date(1958, 3, 12), 1, idcard.MALE),
                                  joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    page = DuesPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    wait_ops()
    assert "1 名未登记党费基数（双击姓名，或选中后点“党费基数”登记）" in page.summary.text()
    opened = []
    monkeypatch.setattr(page, "edit_base", lambda: opened.append(page.selected_row().name))
    name = page.grid_model.index(0, 0)
    page.grid.setCurrentIndex(name)
    page._double_clicked(name)
    assert opened == ["张建国"]
