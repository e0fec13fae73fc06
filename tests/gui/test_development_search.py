"""发展党员's search finds a person as the roster's does: by pinyin initials (zxm), full pinyin, or part of the phone."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import pinyin
from desktop_app.gui.development.page import DevelopmentPage
from desktop_app.services import development, orgs
from desktop_app.views.development import ApplicantInput


@pytest.fixture
def page(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id
    for name, mobile in (("周晓梅", "13912345678"), ("张一鸣", "15918991190"), ("单雪", "")):
        development.add_applicant(db, ApplicantInput(name, branch, date(2026, 3, 1), mobile=mobile))
    p = DevelopmentPage(app_ctx)
    qtbot.addWidget(p)
    p.show()
    wait_ops()
    return p


@pytest.mark.parametrize("typed, found", [
    ("zxm", ["周晓梅"]), ("zhangyi", ["张一鸣"]), ("1190", ["张一鸣"]), ("晓梅", ["周晓梅"]),
    ("sx", ["单雪"]), ("z 5678", ["周晓梅"]), ("xm", []),  # initials from the start; each word must match
])
def test_search_by_initials_pinyin_and_phone(page, wait_ops, typed, found):
    page.search.setText(typed)
    page.search_debounce.flush()
    wait_ops()
    assert sorted(r.name for r in page.panel.model.rows) == sorted(found)


def test_matches_reads_as_the_database_search_does():
    assert pinyin.matches("ZS", "张三") and pinyin.matches("sanz", "三张") and not pinyin.matches("q", "张三")
    assert pinyin.matches("", "张三") and not pinyin.matches("123", "张三")
