"""The 欠交名单 follows the 党支部 chosen above it."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.dues import EMPLOYED
from desktop_app.domain.members import MemberInput
from desktop_app.gui.dues.page import DuesPage
from desktop_app.services import dues, orgs, roster


def test_arrears_follow_the_branch_selector(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    for n, (name, branch) in enumerate((("张建国", b1), ("李秀英", b2)), start=1):
        m = roster.create(db, MemberInput(name=name, org_id=branch.id,
                                          id_number=idcard.make("320102", date(1970, 5, 6), n, idcard.MALE),
                                          joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1)))
        dues.set_base(db, m.id, date(date.today().year - 1, 1, 1), EMPLOYED, 300_000)
    page = DuesPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    wait_ops()
    page.branch.setCurrentIndex(page.branch.findData(b1.id))
    page.tabs.setCurrentIndex(1)
    wait_ops()
    assert [r.name for r in page.arrears_model.rows] == ["张建国"]
    assert page.arrears_label.text().startswith("第一网格党支部欠交党费 1 人")
    page.branch.setCurrentIndex(page.branch.findData(b2.id))
    wait_ops()
    assert [r.name for r in page.arrears_model.rows] == ["李秀英"]
