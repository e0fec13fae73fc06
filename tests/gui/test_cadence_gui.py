"""三会一课落实 page: a branch's own settings (tracking since, committee) change what it is asked for;
the 落实情况表 prints as PDF and exports as XLSX."""

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.meetings import CellStatus
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings import compliance as page_mod
from desktop_app.gui.meetings.cadence_dialog import NO, YES, BranchCadenceDialog
from desktop_app.gui.meetings.compliance import CompliancePage
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import orgs, roster


@pytest.fixture
def branch(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(("王建国", "李秀英", "张伟")):
        roster.create(db, MemberInput(
            name=name, org_id=b.id, id_number=idcard.make("320102", date(1950 + i, 2, 1 + i), i, idcard.MALE),
            joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    return b.id


@pytest.fixture
def page(qtbot, app_ctx, branch, wait_ops):
    p = CompliancePage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    wait_ops()
    return p


def test_a_small_branch_is_asked_for_no_committee_until_set_by_hand(qtbot, page, branch, wait_ops, monkeypatch, shot):
    cells = page.grid.cells[(branch, r.COMMITTEE)]
    assert {c.status for c in cells} == {CellStatus.NOT_REQUIRED}  # three members: no committee
    assert {c.status for c in page.grid.cells[(branch, r.GROUP_MEETING)]} == {CellStatus.NOT_REQUIRED}
    assert "书记讲党课" in page.summary.text()

    def set_committee(dlg):
        assert dlg.info.text().startswith("目前：不要求支委会")
        dlg.committee.setCurrentIndex(dlg.committee.findData(YES))
        dlg.since.set_value(date(date.today().year, 1, 1))
        dlg.note.setText("按街道要求建支委")
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(BranchCadenceDialog, "exec", set_committee)
    page.edit_branches()
    wait_ops()
    page.refresh()
    wait_ops()
    assert page.grid.has_committee[branch] is True
    assert CellStatus.NOT_REQUIRED not in {c.status for c in page.grid.cells[(branch, r.COMMITTEE)]}

    def unset(dlg):
        dlg.committee.setCurrentIndex(dlg.committee.findData(NO))
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(BranchCadenceDialog, "exec", unset)
    page.edit_branches()
    wait_ops()
    page.refresh()
    wait_ops()
    assert page.grid.has_committee[branch] is False
    shot(page, "compliance_page.png")


def test_the_sheet_prints_and_exports(qtbot, page, wait_ops, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    pdf, xlsx = tmp_path / "落实.pdf", tmp_path / "落实.xlsx"
    monkeypatch.setattr(page_mod, "ask_save_path", lambda *a: pdf)
    monkeypatch.setattr(page_mod, "ask_xlsx_path", lambda *a: xlsx)
    page.print_sheet()
    wait_ops()
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "三会一课落实情况表" in text and "第一网格党支部" in text
    page.export_sheet()
    wait_ops()
    ws = load_workbook(xlsx).active
    assert ws.cell(row=3, column=1).value == "党支部"
    assert ws.cell(row=4, column=1).value == "第一网格党支部"
    assert "已导出" in page.summary.text()


def test_excuse_a_member_from_attendance(qtbot, app_ctx, branch, wait_ops, monkeypatch, qtmodeltester):
    from desktop_app.gui.meetings.exemptions import ExemptionDialog, ExemptionsDialog
    from desktop_app.services import membership
    from desktop_app.views.visits import MemberChoice

    member_id = roster.search_ids(app_ctx.db, roster.MemberFilter())[0]
    dlg = ExemptionsDialog(None, app_ctx.db)
    qtbot.addWidget(dlg)
    wait_ops()
    assert dlg.model.rowCount() == 0

    def fill(d):
        d.member.set_chosen(MemberChoice(member_id, "王建国", "第一网格党支部"), "王建国")
        d.reason.setCurrentText("长期外出")
        d.note.setText("在外地务工")
        d.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: d.saved is not None or bool(d.message.text()), timeout=20_000)
        return d.result()

    monkeypatch.setattr(ExemptionDialog, "exec", fill)
    dlg.add()
    wait_ops()
    assert [(r.member_name, r.reason, r.note) for r in dlg.model.rows] == [("王建国", "长期外出", "在外地务工")]
    qtmodeltester.check(dlg.model)
    assert membership.exemptions(app_ctx.db, member_id)[0].reason == "长期外出"
