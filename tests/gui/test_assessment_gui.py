"""The 支部考评 page: scoring a branch, a title, the scheme, printing, the street's comparison, on real data."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain import assessment as rules
from desktop_app.domain.evaluation_votes import usual_year
from desktop_app.gui.assessment.dialogs import IndicatorDialog, SchemeDialog, ScoreDialog, TitleDialog
from desktop_app.gui.assessment.page import AssessmentPage
from desktop_app.gui.widgets import common, forms
from desktop_app.services import assessment as asm
from desktop_app.services import orgs

YEAR = usual_year(date.today())  # the year the page opens on (until March ends, last year)


def show(qtbot, wait_ops, page):
    qtbot.addWidget(page)
    page.resize(1300, 760)
    page.show()
    wait_ops()
    return page


def exec_with(wait_ops, fill):
    def exec_(self):
        fill(self)
        self.accept()
        wait_ops()
        return self.result()

    return exec_


@pytest.fixture
def town(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id).id
    return dict(b1=b1, b2=b2)


def test_without_a_scheme_the_page_offers_the_sample(qtbot, app_ctx, wait_ops, town, monkeypatch):
    page = show(qtbot, wait_ops, AssessmentPage(app_ctx))
    assert "还没有考评方案" in page.counts.text() and page.panel.model.rowCount() == 0
    monkeypatch.setattr(common, "ask", lambda *a, **k: True)
    page.edit_scheme()
    wait_ops()
    assert asm.scheme(app_ctx.db, YEAR).shape == "6 类 19 项 42 条，满分 100 分"
    assert page.panel.model.rowCount() == 2 and "示例" in page.counts.text()


def test_scoring_a_branch_from_the_page(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester, tmp_path):
    db = app_ctx.db
    asm.load_sample(db, YEAR)
    page = show(qtbot, wait_ops, AssessmentPage(app_ctx))
    for each in page.panels:
        qtmodeltester.check(each.model)
    page.panel.select_id(town["b1"])
    wait_ops()
    assert page.act_score.isEnabled() and "待打分" in page.panel.details.text()
    before = next(r for r in page.panel.model.rows if r.branch_id == town["b1"])

    scan = tmp_path / "换届批复.jpg"
    scan.write_bytes(b"jpeg")

    def fill(dlg: ScoreDialog):
        assert dlg.current().title == "支部委员会按期换届，委员配备齐全"
        dlg.score.setText("1.5")
        dlg.note.setPlainText("委员缺一名，已补选")
        dlg.evidence.setPlainText("换届选举批复\n补选会议记录")
        dlg.add_files([scan])
    monkeypatch.setattr(ScoreDialog, "exec", exec_with(wait_ops, fill))
    page.score()
    wait_ops()
    after = next(r for r in page.panel.model.rows if r.branch_id == town["b1"])
    assert after.manual_tenths == 15 and after.total_tenths == before.total_tenths + 15
    assert after.unscored == before.unscored - 1
    assert after.rank == 1 and "评分" in page.message.text()
    page.panel.select_id(town["b1"])
    wait_ops()
    html = page.panel.details.text()
    assert "1.5 / 2" in html and "换届选举批复" in html and "换届批复.jpg" in html

    def too_much(dlg: ScoreDialog):
        dlg.score.setText("5")
    monkeypatch.setattr(ScoreDialog, "exec", exec_with(wait_ops, too_much))
    page.score()  # refused inside the dialog: nothing saved
    wait_ops()
    assert next(r for r in page.panel.model.rows if r.branch_id == town["b1"]).manual_tenths == 15

    def honour(dlg: TitleDialog):
        dlg.issued_by.setText("梅园街道党工委")
    monkeypatch.setattr(TitleDialog, "exec", exec_with(wait_ops, honour))
    page.add_title()
    wait_ops()
    assert [t.title for t in asm.titles(db, YEAR)] == ["红旗党支部"]
    assert next(r for r in page.panel.model.rows if r.branch_id == town["b1"]).titles == "红旗党支部"
    page.panel.select_id(town["b1"])
    wait_ops()
    page.grab().save(str(tmp_path / "page.png"))


def test_scheme_and_indicator_edits_from_the_page(qtbot, app_ctx, wait_ops, town, monkeypatch):
    db = app_ctx.db
    asm.load_sample(db, YEAR)
    page = show(qtbot, wait_ops, AssessmentPage(app_ctx))

    def lines(dlg: SchemeDialog):
        dlg.name.setText("幸福里社区五好党支部考评方案")
        dlg.excellent.setText("85")
        dlg.passed.setText("70")
    monkeypatch.setattr(SchemeDialog, "exec", exec_with(wait_ops, lines))
    page.edit_scheme()
    wait_ops()
    s = asm.scheme(db, YEAR)
    assert (s.name, s.excellent_tenths, s.pass_tenths, s.is_sample) == ("幸福里社区五好党支部考评方案", 850, 700, False)

    def points(dlg: IndicatorDialog):
        forms.select(dlg.pick, next(n.id for n in dlg.nodes if n.code == "1.1.2"))
        dlg.max_edit.setText("1.5")
    monkeypatch.setattr(IndicatorDialog, "exec", exec_with(wait_ops, points))
    page.edit_indicator()
    wait_ops()
    assert asm.scheme(db, YEAR).total_tenths == 1005

    def new_one(dlg: IndicatorDialog):
        forms.select(dlg.pick, next(n.id for n in asm.scheme(db, YEAR).nodes if n.code == "4.2"))
        dlg.title_edit.setText("共建单位认领微心愿")
        dlg.max_edit.setText("2")
        forms.select(dlg.rule, "wishes_fulfilled")
        dlg.params.setText('{"target": 2}')
    monkeypatch.setattr(IndicatorDialog, "exec", exec_with(wait_ops, new_one))
    page.add_indicator()
    wait_ops()
    s = asm.scheme(db, YEAR)
    added = next(n for n in s.indicators() if n.title == "共建单位认领微心愿")
    assert added.code == "4.2.3" and added.rule == "wishes_fulfilled" and s.total_tenths == 1025

    def delete_it(dlg: IndicatorDialog):
        forms.select(dlg.pick, added.id)
        dlg._ask_delete()

    def exec_delete(self):
        delete_it(self)
        return self.result()
    monkeypatch.setattr(IndicatorDialog, "exec", exec_delete)
    monkeypatch.setattr(common, "ask", lambda *a, **k: True)
    page.edit_indicator()
    wait_ops()
    assert asm.scheme(db, YEAR).total_tenths == 1005


def test_printing_the_form_and_the_ranking_from_the_page(qtbot, app_ctx, wait_ops, town, monkeypatch, tmp_path):
    asm.load_sample(app_ctx.db, YEAR)
    page = show(qtbot, wait_ops, AssessmentPage(app_ctx))
    page.panel.select_id(town["b2"])
    wait_ops()
    out = tmp_path / "form.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    page.print_forms()
    wait_ops()
    assert out.read_bytes().startswith(b"%PDF") and str(out) in page.message.text()
    ranking = tmp_path / "ranking.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: ranking)
    page.print_ranking()
    wait_ops()
    assert ranking.read_bytes().startswith(b"%PDF")


def test_the_page_on_demo_data_shows_both_tables(qtbot, empty_db, qapp, wait_ops, qtmodeltester):
    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import demo, site

    make_app()
    demo.generate(empty_db, members=60, seed=3)
    page = show(qtbot, wait_ops, AssessmentPage(AppContext(empty_db, site.get_site(empty_db))))
    assert page.panel.model.rowCount() > 0
    assert [r.rank for r in page.panel.model.rows] == sorted(r.rank for r in page.panel.model.rows)
    assert all(r.result in rules.RESULTS for r in page.panel.model.rows)
    page.tabs.setCurrentIndex(1)  # the grid: a column per category, headed by the scheme's names
    wait_ops()
    grid = page.panel
    headers = [grid.model.headerData(i, Qt.Orientation.Horizontal) for i in range(grid.model.columnCount())]
    # on two lines, the whole name and the category's maximum in the header's tooltip
    assert [h.replace("\n", "") for h in headers[3:9]] == ["支部班子好", "党员队伍好", "组织生活好", "作用发挥好",
                                                            "群众评价好", "基础保障好"]
    assert grid.model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "支部班子好（满分 16.0 分）"
    assert grid.view.isColumnHidden(9) and not grid.view.isColumnHidden(8)
    assert grid.model.data(grid.model.index(0, 3)).count(".") == 1  # the score; its maximum in the tooltip
    assert grid.model.data(grid.model.index(0, 3), Qt.ItemDataRole.ToolTipRole).startswith("支部班子好：")
    page.tabs.setCurrentIndex(2)
    wait_ops()
    assert page.panel.model.rowCount() == 1
    for each in page.panels:
        qtmodeltester.check(each.model)


def test_evidence_files_open_and_are_removed_after_a_confirmation(qtbot, app_ctx, wait_ops, town, monkeypatch,
                                                                   tmp_path):
    from PySide6.QtGui import QDesktopServices

    db = app_ctx.db
    asm.load_sample(db, YEAR)
    first = next(n for n in asm.scheme(db, YEAR).indicators() if n.rule == rules.MANUAL)
    score_id = asm.set_score(db, town["b1"], YEAR, first.id, 15, "", "换届选举批复")
    for name in ("换届批复.jpg", "补选记录.pdf"):
        (tmp_path / name).write_bytes(b"scan")
        asm.add_evidence_file(db, score_id, tmp_path / name)
    page = show(qtbot, wait_ops, AssessmentPage(app_ctx))
    page.panel.select_id(town["b1"])
    wait_ops()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(common, "ask", lambda _p, _t, text: asked.append(text) or next(answers))

    def work(dlg: ScoreDialog):
        assert [dlg.files.item(i).text() for i in range(dlg.files.count())] == ["换届批复.jpg", "补选记录.pdf"]
        dlg.files.setCurrentRow(0)
        dlg.open_file()
        wait_ops()
        assert len(opened) == 1 and opened[0].endswith(".jpg")
        assert open(opened[0], "rb").read() == b"scan"  # the stored copy, not the original
        dlg.files.setCurrentRow(1)
        dlg.remove_file()  # declined: stays
        assert dlg.files.count() == 2 and not dlg.removed
        dlg.remove_file()  # confirmed: gone on saving
        assert [dlg.files.item(i).text() for i in range(dlg.files.count())] == ["换届批复.jpg"]
        assert "补选记录.pdf" in asked[-1]
        assert [f.file_name for f in asm.branch_assessment(db, YEAR, town["b1"]).scores[0].files] == [
            "换届批复.jpg", "补选记录.pdf"]  # nothing deleted before the save
    monkeypatch.setattr(ScoreDialog, "exec", exec_with(wait_ops, work))
    page.score(first.id)
    wait_ops()
    line = next(x for x in asm.branch_assessment(db, YEAR, town["b1"]).scores if x.indicator_id == first.id)
    assert [f.file_name for f in line.files] == ["换届批复.jpg"] and line.score_tenths == 15
    page.panel.select_id(town["b1"])
    wait_ops()
    assert "补选记录.pdf" not in page.panel.details.text() and "换届批复.jpg" in page.panel.details.text()

    def cancelled(dlg: ScoreDialog):  # removing and then cancelling leaves the file
        dlg.files.setCurrentRow(0)
        dlg.remove_file()

    def exec_cancel(self):
        cancelled(self)
        self.reject()
        return self.result()
    monkeypatch.setattr(common, "ask", lambda *a, **k: True)
    monkeypatch.setattr(ScoreDialog, "exec", exec_cancel)
    page.score(first.id)
    wait_ops()
    line = next(x for x in asm.branch_assessment(db, YEAR, town["b1"]).scores if x.indicator_id == first.id)
    assert [f.file_name for f in line.files] == ["换届批复.jpg"]


def test_titles_are_corrected_and_deleted_after_a_confirmation(qtbot, app_ctx, wait_ops, town, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    db = app_ctx.db
    asm.load_sample(db, YEAR)
    flag = asm.save_title(db, None, town["b1"], YEAR, "红旗党支部", date(YEAR, 1, 1), "梅园街道党工委")
    page = show(qtbot, wait_ops, AssessmentPage(app_ctx))
    page.panel.select_id(town["b2"])
    wait_ops()
    assert not page.act_edit_title.isEnabled() and not page.act_delete_title.isEnabled()
    page.panel.select_id(town["b1"])
    wait_ops()
    assert page.act_edit_title.isEnabled() and page.act_delete_title.isEnabled()

    def correct(dlg: TitleDialog):
        assert dlg.title_box.currentText() == "红旗党支部" and dlg.issued_by.text() == "梅园街道党工委"
        dlg.title_box.setCurrentText("示范点")
        dlg.issued_by.setText("梅园区委组织部")
    monkeypatch.setattr(TitleDialog, "exec", exec_with(wait_ops, correct))
    page.edit_title()
    wait_ops()
    (t,) = asm.titles(db, YEAR)
    assert (t.id, t.title, t.issued_by, t.granted_on) == (flag.id, "示范点", "梅园区委组织部", date(YEAR, 1, 1))
    assert next(r for r in page.panel.model.rows if r.branch_id == town["b1"]).titles == "示范点"
    assert "已修改" in page.message.text()

    second = asm.save_title(db, None, town["b1"], YEAR, "红旗党支部", date(YEAR, 2, 1), "梅园街道党工委")
    page.refresh()
    wait_ops()
    page.panel.select_id(town["b1"])
    wait_ops()
    picked: list[list[str]] = []

    def pick_second(_parent, _title, _label, items, *_a):
        picked.append(items)
        return next(i for i in items if i.startswith("红旗党支部")), True
    monkeypatch.setattr(QInputDialog, "getItem", pick_second)
    monkeypatch.setattr(common, "ask", lambda *a, **k: False)
    page.delete_title()  # declined: nothing deleted
    wait_ops()
    assert len(asm.titles(db, YEAR)) == 2 and len(picked[0]) == 2
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda _p, _t, text: asked.append(text) or True)
    page.delete_title()
    wait_ops()
    assert [x.id for x in asm.titles(db, YEAR)] == [flag.id] and "红旗党支部" in asked[0]
    assert "已删除" in page.message.text()
    assert second.id not in {x.id for x in asm.titles(db, YEAR)}


def test_the_parameter_box_opens_only_for_a_rule_that_takes_parameters(qtbot, app_ctx, town):
    """人工评分 takes no parameters: its box is closed and says so; no box asks a community worker for JSON."""
    from desktop_app.services.assessment.rules import rule_infos

    db = app_ctx.db
    asm.load_sample(db, YEAR)
    dlg = IndicatorDialog(None, db, asm.scheme(db, YEAR), rule_infos(), adding=True)
    qtbot.addWidget(dlg)
    forms.select(dlg.rule, rules.MANUAL)
    assert not dlg.params.isEnabled() and "没有参数" in dlg.params.placeholderText()
    forms.select(dlg.rule, "wishes_fulfilled")
    assert dlg.params.isEnabled() and "JSON" not in dlg.params.placeholderText()
    assert "参数：" in dlg.explain.text()  # the example to follow stands above the box


def test_a_scheme_with_no_branch_yet_says_where_branches_come_from(qtbot, app_ctx, wait_ops):
    """A new center (or a street before sync) loads the scheme: the page says why nothing is ranked, not 0 个."""
    asm.load_sample(app_ctx.db, date.today().year)
    page = show(qtbot, wait_ops, AssessmentPage(app_ctx))
    assert page.counts.text() == rules.NO_BRANCHES
