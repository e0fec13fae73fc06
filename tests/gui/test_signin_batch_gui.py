"""三会一课 page: several meetings' sign-in sheets into one PDF (selected ones, or the whole list when none is)."""

from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings.page import MeetingsPage
from desktop_app.gui.widgets import common, forms
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import orgs, roster
from desktop_app.services import meetings as ms

NAMES = ("王建国", "李秀英", "张伟")


@pytest.fixture
def page(qtbot, app_ctx, wait_ops, monkeypatch, tmp_path):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(NAMES):
        roster.create(db, MemberInput(name=name, org_id=b.id, id_number=idcard.make("320102", date(1960 + i, 2, 1), i,
                                                                                     idcard.MALE),
                                      joined_date=date(1985, 7, 1), mobile=f"1391234{i:04d}"))
    today = date.today()
    for k, title in enumerate(("学习党章", "部署工作", "民主生活", "改期的会")):
        m = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.BRANCH_CONGRESS, title=title,
                                        meeting_date=today - timedelta(days=k)))
        if title == "改期的会":
            ms.cancel(db, m.id, "下雨")
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    p = MeetingsPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 720)
    p.show()
    wait_ops()
    p.period_filter.setCurrentText("全部")
    wait_ops()
    assert p.model.rowCount() == 4
    p.out = tmp_path / "签到表.pdf"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(p.out), "PDF 文件 (*.pdf)"))
    p.offered = []
    monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: p.offered.append(path))
    return p


def _titles(pdf) -> list[str]:
    """The meeting topic printed on each page."""
    pages = [pg.extract_text() for pg in PdfReader(pdf).pages]
    return [next(t for t in ("学习党章", "部署工作", "民主生活", "改期的会") if t in text) for text in pages]


def test_two_selected_meetings_print_into_one_pdf(qtbot, page, wait_ops, monkeypatch):
    asked = []
    monkeypatch.setattr(common, "ask", lambda *a: asked.append(a[2]) or False)
    rows = {row.title: i for i, row in enumerate(page.model.rows)}
    selection = page.view.selectionModel()
    for title in ("民主生活", "学习党章"):
        selection.select(page.model.index(rows[title], 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    assert len(page.selected_rows()) == 2 and page.act_signin.isEnabled()
    assert page.act_signin.text() == "打印签到表（2 个会议）"  # says what it will print
    page.act_signin.trigger()
    wait_ops()
    assert asked == []  # what is selected prints without a question
    # one PDF, a page for each sheet, in the list's order, names on both
    titles = _titles(page.out)
    assert sorted(titles) == ["学习党章", "民主生活"] and titles == [
        row.title for row in page.model.rows if row.title in titles]
    text = "".join(pg.extract_text() for pg in PdfReader(page.out).pages)
    assert all(text.count(name) == 2 for name in NAMES)
    assert page.offered == [page.out] and "2 个会议的签到表" in page.message.text()


def test_nothing_selected_asks_with_the_count_and_prints_the_list(qtbot, page, wait_ops, monkeypatch):
    page.view.clearSelection()
    assert page.selected_rows() == [] and page.act_signin.isEnabled()
    asked = []
    monkeypatch.setattr(common, "ask", lambda *a: asked.append(a[2]) or False)
    page.print_signin()
    wait_ops()
    assert len(asked) == 1 and "打印当前列表中 3 个会议的签到表" in asked[0] and "已取消的 1 个会议不打印" in asked[0]
    assert not page.out.exists()  # said no: nothing written
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.print_signin()
    wait_ops()
    assert sorted(_titles(page.out)) == ["学习党章", "民主生活", "部署工作"]
