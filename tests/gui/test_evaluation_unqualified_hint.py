"""民主评议: saving a grid with a 不合格 names those members and says where their 处置 is recorded next;
the secretary was told only how many lines were saved."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain import meetings as rules
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings.evaluations import EvaluationsPage
from desktop_app.services import orgs, roster

NAMES = ("王建国", "李秀英", "张伟")


def _page(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(NAMES):
        roster.create(db, MemberInput(
            name=name, org_id=branch.id, id_number=idcard.make("320102", date(1960 + i, 3, 4), i, idcard.MALE),
            joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    page = EvaluationsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.year.setValue(2025)
    wait_ops()
    return page


def test_unqualified_members_are_named_with_the_next_step(qtbot, app_ctx, wait_ops):
    page = _page(qtbot, app_ctx, wait_ops)
    page.fill_blank()
    page.set_grade(1, rules.UNQUALIFIED)
    page.save()
    wait_ops()
    text = page.message.text()
    assert text.startswith("2025 年度评议结果已保存：新增 3 人")
    assert "不合格 1 名（李秀英）" in text
    assert "“出党与处分”" in text and "不合格党员处置" in text


def test_no_follow_up_line_without_an_unqualified_grade(qtbot, app_ctx, wait_ops):
    page = _page(qtbot, app_ctx, wait_ops)
    page.fill_blank()
    page.save()
    wait_ops()
    assert "不合格" not in page.message.text()
