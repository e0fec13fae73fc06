"""党员名册 page, offscreen, on real SQLite files: add, edit, search, filter, delete and undo,
status and transfer, import preview, export, print, the model tester and 20,000 members."""

from __future__ import annotations

import csv
import time
from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.idcard import FEMALE, MALE
from desktop_app.domain.members import MemberInput
from desktop_app.gui.widgets import common
from desktop_app.gui.roster.import_dialog import ImportDialog
from desktop_app.gui.roster.member_dialog import MemberDialog, StatusDialog, TransferDialog
from desktop_app.gui.widgets.page import AppContext
from desktop_app.gui.roster import page as roster_page
from desktop_app.gui.roster.page import CACHED_PAGES, PAGE_SIZE, RosterPage
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import demo, orgs, roster, site
from desktop_app.services.roster import MemberFilter
from tests.party_people import floating_out

ZHANG_ID = "11010519491231002X"  # a real-format number: 1949-12-31, female


def person(name: str, org_id: str, n: int, gender: str = MALE, born: date = date(1970, 5, 6), **kw) -> MemberInput:
    values = dict(
        name=name, org_id=org_id, id_number=idcard.make("320102", born, n, gender),
        joined_date=date(born.year + 25, 7, 1), confirmed_date=date(born.year + 26, 7, 1),
        mobile=f"1391234{n:04d}", education="本科",
    )
    values.update(kw)
    return MemberInput(**values)


@pytest.fixture
def tree(app_ctx):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", community.id)
    return community, b1, b2


@pytest.fixture
def people(app_ctx, tree):
    db = app_ctx.db
    _c, b1, b2 = tree
    zhang = roster.create(db, MemberInput(
        name="张三", org_id=b1.id, id_number=ZHANG_ID, joined_date=date(1975, 7, 1),
        confirmed_date=date(1976, 7, 1), mobile="13812345678", education="大专",
    ))
    li = roster.create(db, person("李四", b1.id, 1))
    wang = roster.create(db, person("王五", b2.id, 2, FEMALE))
    return {"张三": zhang, "李四": li, "王五": wang}


@pytest.fixture
def page(qtbot, app_ctx, people, wait_ops):
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    wait_ops()
    return p


def shown(page) -> list[str]:
    out = []
    for i in range(page.model.rowCount()):
        row = page.model.row_at(i)
        assert row is not None, "the first page comes with the search result"
        out.append(row.name)
    return out


def search(qtbot, page, text: str) -> list[str]:
    with qtbot.waitSignal(page.searched, timeout=5000):
        page.search.setText(text)
    return shown(page)


def dialog_exec(fill, wait_ops):
    """Replace a dialog's exec: fill it in as a user would, press OK, wait for the save."""

    def exec_(self):
        fill(self)
        self.accept()
        wait_ops()
        return self.result()

    return exec_


# ---------------------------------------------------------------- add and edit

def test_add_a_member_through_the_form(page, app_ctx, tree, monkeypatch, wait_ops):
    _c, _b1, b2 = tree
    group = orgs.create(app_ctx.db, "第一党小组", "B02G1", "group", b2.id)
    page.refresh()
    wait_ops()
    seen = {}

    def fill(dlg: MemberDialog):
        dlg.set_value("name", "赵六")
        dlg.set_value("id_number", "110105198506150030")
        # birth date and gender come from the ID number by themselves
        seen["birth"], seen["gender"] = dlg.w["birth_date"].text(), dlg.w["gender"].currentData()
        dlg.set_value("org_id", b2.id)
        dlg.set_value("joined_date", "2010年7月1日")
        dlg.set_value("confirmed_date", "2011.7.1")
        dlg.set_value("mobile", "139-0000-1111")
        # the 党小组 is picked within the branch; 双报到 is no longer typed here
        seen["groups"] = [dlg.group_box.itemText(i) for i in range(dlg.group_box.count())]
        dlg.group_box.setCurrentIndex(dlg.group_box.findData(group.id))
        seen["reporting"] = [f for f in dlg.w if f.startswith("reporting")]
        dlg.set_value("is_hardship", True)

    monkeypatch.setattr(MemberDialog, "exec", dialog_exec(fill, wait_ops))
    page.add_member()
    wait_ops()

    assert seen == {"birth": "1985-06-15", "gender": "男", "groups": ["（不在党小组）", "第一党小组"], "reporting": []}
    ids = roster.search_ids(app_ctx.db, MemberFilter(text="赵六"))
    assert len(ids) == 1
    saved = roster.get(app_ctx.db, ids[0])
    assert (saved.org_id, saved.birth_date, saved.gender) == (group.id, date(1985, 6, 15), "男")
    assert (saved.joined_date, saved.confirmed_date, saved.mobile) == (date(2010, 7, 1), date(2011, 7, 1), "13900001111")
    assert saved.is_hardship is True
    assert "赵六" in shown(page)
    assert page.selected_id() == saved.id  # the new member is selected
    assert page.count_label.text() == "共 4 名"
    assert "赵六" in page.message_text.text()


def test_the_form_checks_as_the_user_types_and_saves_nothing_wrong(qtbot, app_ctx, tree, people, wait_ops):
    _c, b1, _b2 = tree
    nodes = orgs.list_tree(app_ctx.db)
    dlg = MemberDialog(None, nodes, lambda inp: roster.create(app_ctx.db, inp), default_org_id=b1.id)
    qtbot.addWidget(dlg)
    dlg.set_value("name", "孙七")
    id_edit = dlg.w["id_number"]
    id_edit.setText("110105194912310021")  # wrong check digit
    id_edit.editingFinished.emit()  # the user leaves the field
    assert dlg.err["id_number"].isVisibleTo(dlg)
    assert "校验码" in dlg.err["id_number"].text()
    assert not dlg.err["joined_date"].text()  # untouched fields stay quiet

    id_edit.setText("110105200001010016")  # born 2000-01-01
    assert dlg.err["id_number"].text() == ""
    assert dlg.w["birth_date"].text() == "2000-01-01" and dlg.w["gender"].currentData() == "男"
    dlg.set_value("joined_date", "2016-05-01")  # 16 years old
    dlg.w["joined_date"].editingFinished.emit()
    assert "未满 18 周岁" in dlg.err["joined_date"].text()
    dlg.set_value("mobile", "12345")
    dlg.w["mobile"].editingFinished.emit()
    assert "11 位" in dlg.err["mobile"].text()

    dlg.accept()
    wait_ops()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "2 处" in dlg.message.text()
    assert roster.search_ids(app_ctx.db, MemberFilter(text="孙七")) == []

    # The same ID as 张三: the service refuses; the dialog stays open and says so at the field.
    dlg.set_value("mobile", "")
    dlg.set_value("joined_date", "")
    dlg.set_value("id_number", ZHANG_ID.lower())
    dlg.set_value("joined_date", "1975-07-01")
    dlg.set_value("category", "预备党员")
    dlg.accept()
    wait_ops()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "张三" in dlg.err["id_number"].text() and "张三" in dlg.message.text()
    assert dlg.w["name"].text() == "孙七"  # nothing the user typed is lost
    assert len(roster.search_ids(app_ctx.db, MemberFilter())) == 3


def test_edit_a_member_shows_full_numbers_and_history(page, app_ctx, people, monkeypatch, wait_ops):
    zhang = people["张三"]
    floating_out(app_ctx.db, zhang.id, date(2020, 3, 1), "深圳市南山区")
    page.refresh()
    wait_ops()
    assert page.select(zhang.id)
    # masked in the table
    row = page.model.find(zhang.id)
    assert page.model.index(row, 9).data() == "110105********002X"
    assert page.model.index(row, 10).data() == "138****5678"
    seen = {}

    def fill(dlg: MemberDialog):
        seen["id"] = dlg.w["id_number"].text()
        seen["mobile"] = dlg.w["mobile"].text()
        seen["tabs"] = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
        dlg.set_value("mobile", "13900002222")
        dlg.set_value("address", "幸福里小区3栋2单元101室")

    monkeypatch.setattr(MemberDialog, "exec", dialog_exec(fill, wait_ops))
    page.edit_selected()
    wait_ops()

    assert seen["id"] == ZHANG_ID and seen["mobile"] == "13812345678"  # unmasked in the form
    assert any("记录（1）" in t for t in seen["tabs"])  # the 流动 status change is listed
    saved = roster.get(app_ctx.db, zhang.id)
    assert (saved.mobile, saved.address) == ("13900002222", "幸福里小区3栋2单元101室")
    assert page.selected_id() == zhang.id
    assert page.model.index(page.model.find(zhang.id), 10).data() == "139****2222"


# ---------------------------------------------------------------- search, filters, sort

def test_search_by_pinyin_initials_full_pinyin_id_and_phone(qtbot, page):
    assert search(qtbot, page, "zs") == ["张三"]
    assert search(qtbot, page, "zhangsan") == ["张三"]
    assert search(qtbot, page, "ZhangSan") == ["张三"]
    assert search(qtbot, page, "lisi") == ["李四"]
    assert search(qtbot, page, "002x") == ["张三"]  # an ID fragment
    assert search(qtbot, page, "5678") == ["张三"]  # a phone fragment
    assert search(qtbot, page, "王") == ["王五"]
    assert search(qtbot, page, "nobody") == []
    assert page.count_label.text() == "共 0 名"
    assert search(qtbot, page, "") == ["张三", "李四", "王五"]


def test_typing_waits_for_a_pause_and_a_stale_result_never_wins(qtbot, page, app_ctx, monkeypatch, wait_ops):
    calls = []
    real = roster.search_hits

    def slow_for_zs(db, flt, **kw):
        calls.append(flt.text)
        if flt.text == "zs":
            time.sleep(0.4)  # the older query finishes last
        return real(db, flt, **kw)

    monkeypatch.setattr(roster_page.roster, "search_hits", slow_for_zs)
    for text in ("z", "zh", "zs"):  # fast typing: one search after the pause
        page.search.setText(text)
    qtbot.waitUntil(lambda: calls == ["zs"], timeout=3000)
    page.search.setText("lisi")
    page.run_search()  # the newer search starts while "zs" is still running
    wait_ops()
    qtbot.wait(50)
    assert calls[-1] == "lisi"
    assert shown(page) == ["李四"]
    assert page.count_label.text() == "共 1 名"


def test_a_search_superseded_while_it_runs_never_reads_its_rows(qtbot, page, monkeypatch, wait_ops):
    wait_ops()
    searched, read = [], []
    real_search, real_rows = roster.search_hits, roster.rows

    def slow_for_zs(db, flt, **kw):
        searched.append(flt.text)
        if flt.text == "zs":
            time.sleep(0.4)  # typing goes on meanwhile
        return real_search(db, flt, **kw)

    monkeypatch.setattr(roster_page.roster, "search_hits", slow_for_zs)
    monkeypatch.setattr(roster_page.roster, "rows", lambda db, ids, **kw: read.append(list(ids)) or real_rows(db, ids, **kw))
    page.search.setText("zs")
    page.run_search()
    qtbot.waitUntil(lambda: searched == ["zs"], timeout=3000)
    page.search.setText("lisi")
    page.run_search()
    wait_ops()
    assert searched == ["zs", "lisi"]
    assert read == [[people_id for people_id in page.model.ids]]  # only the newer search's rows were read
    assert shown(page) == ["李四"]


def test_a_search_superseded_before_it_starts_never_runs(qtbot, page, monkeypatch, wait_ops):
    import threading

    from PySide6.QtCore import QThreadPool

    from desktop_app.gui.ops import run_op

    wait_ops()
    calls = []
    real = roster.search_hits

    def recorded(db, flt, **kw):
        calls.append(flt.text)
        return real(db, flt, **kw)

    monkeypatch.setattr(roster_page.roster, "search_hits", recorded)
    pool = QThreadPool.globalInstance()
    threads = pool.maxThreadCount()
    gate = threading.Event()
    pool.setMaxThreadCount(1)
    try:
        run_op(None, lambda job: gate.wait(5))  # the only worker is busy: the searches queue behind it
        for text in ("l", "li", "lisi"):
            page.search.setText(text)
            page.run_search()
        gate.set()
        wait_ops()
    finally:
        pool.setMaxThreadCount(threads)
    assert calls == ["lisi"]  # the two stale keystrokes were cancelled before they reached the database
    assert shown(page) == ["李四"]


def test_filter_by_branch_category_and_status(qtbot, page, app_ctx, tree, people, wait_ops):
    _c, b1, b2 = tree
    with qtbot.waitSignal(page.searched):
        page.branch.select(b2.id)
    assert shown(page) == ["王五"]
    with qtbot.waitSignal(page.searched):
        page.branch.select(b1.id)
    assert shown(page) == ["张三", "李四"]
    with qtbot.waitSignal(page.searched):
        page.floating.setCurrentIndex(page.floating.findData(True))
    assert shown(page) == []
    with qtbot.waitSignal(page.searched):
        page.clear_filters()
    assert shown(page) == ["张三", "李四", "王五"]
    with qtbot.waitSignal(page.searched):
        page.age_band.setCurrentIndex(page.age_band.findData("71-80岁"))
    assert shown(page) == ["张三"]  # born 1949
    with qtbot.waitSignal(page.searched):
        page.clear_filters()

    # 转出 leaves the roster shown by default; "全部" brings it back
    roster.transfer(app_ctx.db, people["李四"].id, "转出", date.today(), to_org="外区党委")
    page.refresh()
    wait_ops()
    assert shown(page) == ["张三", "王五"]
    with qtbot.waitSignal(page.searched):
        page.status.setCurrentIndex(page.status.findData("转出"))
    assert shown(page) == ["李四"]


def test_sort_by_clicking_a_header(qtbot, page, app_ctx):
    with qtbot.waitSignal(page.searched):
        page.sort_by(1, descending=True)  # 姓名
    expected = roster.search_ids(app_ctx.db, MemberFilter(active_only=True), sort="name", descending=True)
    assert page.model.ids == expected
    assert shown(page) == ["张三", "王五", "李四"]  # zhang, wang, li
    with qtbot.waitSignal(page.searched):
        page.sort_by(3)  # 年龄: youngest first
    assert shown(page)[-1] == "张三"
    assert page.table.horizontalHeader().sortIndicatorSection() == 3


# ---------------------------------------------------------------- delete, status, transfer

def test_delete_asks_first_leaves_a_tombstone_and_can_be_undone(qtbot, page, app_ctx, people, monkeypatch, wait_ops):
    li = people["李四"]
    page.select(li.id)
    questions = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: questions.append(text) or False)
    page.delete_selected()
    wait_ops()
    assert "李四" in questions[0]
    assert "李四" in shown(page) and not roster.get(app_ctx.db, li.id).deleted

    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.delete_selected()
    wait_ops()
    assert "李四" not in shown(page)
    assert roster.get(app_ctx.db, li.id).deleted  # a tombstone, the record is kept
    assert page.message_bar.isVisible() and page.undo_button.isVisible()
    assert "李四" in page.message_text.text()

    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    wait_ops()
    assert not roster.get(app_ctx.db, li.id).deleted
    assert "李四" in shown(page)
    assert page.selected_id() == li.id
    assert "恢复" in page.message_text.text() and not page.undo_button.isVisible()


def test_status_change_and_transfer_dialogs(page, app_ctx, tree, people, monkeypatch, wait_ops):
    wang = people["王五"]
    page.select(wang.id)

    def floating(dlg: StatusDialog):
        dlg.status.setCurrentIndex(dlg.status.findData("流动"))
        dlg.destination.setText("北京市海淀区")
        dlg.changed_on.setText("2024-03-01")

    # 流动 is not set bare: the form offers the 流出 on 流动与失联, opened for this member
    monkeypatch.setattr(StatusDialog, "exec", dialog_exec(floating, wait_ops))
    monkeypatch.setattr(common, "ask", lambda *a: True)
    went = []
    monkeypatch.setattr(page, "register_outflow", lambda mid, name: went.append((mid, name)))
    page.change_status_selected()
    wait_ops()
    assert went == [(wang.id, "王五")] and roster.get(app_ctx.db, wang.id).status == "正常"
    floating_out(app_ctx.db, wang.id, date(2024, 3, 1), "北京市海淀区")
    page.refresh()
    wait_ops()
    detail = roster.get(app_ctx.db, wang.id)
    assert (detail.status, detail.is_floating, detail.floating_to) == ("流动", True, "北京市海淀区")
    assert detail.history[0].changed_on == date(2024, 3, 1)
    assert page.model.index(page.model.find(wang.id), 11).data() == "流动"

    def transfer_out(dlg: TransferDialog):
        dlg.direction.setCurrentIndex(dlg.direction.findData("转出"))
        dlg.to_org.setText("某区机关党委")
        dlg.note.setText("介绍信 2024-017")

    monkeypatch.setattr(TransferDialog, "exec", dialog_exec(transfer_out, wait_ops))
    page.transfer_selected()
    wait_ops()
    detail = roster.get(app_ctx.db, wang.id)
    assert detail.status == "转出"
    assert (detail.transfers[0].direction, detail.transfers[0].to_org) == ("转出", "某区机关党委")
    assert detail.transfers[0].from_org == "第二网格党支部"
    assert "王五" not in shown(page)  # no longer on the roster shown by default


def test_probationary_members_due_are_announced(qtbot, app_ctx, tree, people, monkeypatch, wait_ops):
    _c, b1, _b2 = tree
    joined = date.today() - timedelta(days=370)  # a year and five days ago: overdue
    roster.create(app_ctx.db, person("周八", b1.id, 7, born=date(1995, 1, 1), joined_date=joined,
                                     confirmed_date=None, category="预备党员"))
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.show()
    wait_ops()
    assert p.due_banner.isVisible()
    assert "周八" in p.due_banner.text() and "已超期" in p.due_banner.text()
    opened = []
    monkeypatch.setattr(MemberDialog, "exec", lambda self: opened.append(self.w["name"].text()) or 0)
    member_id = roster.search_ids(app_ctx.db, MemberFilter(text="周八"))[0]
    p.due_banner.linkActivated.emit(f"member:{member_id}")
    wait_ops()
    assert opened == ["周八"]


def test_statistics_panel_follows_the_filter(qtbot, page, tree):
    _c, b1, _b2 = tree
    with qtbot.waitSignal(page.stats_shown):
        page.act_stats.trigger()
    assert page.stats_panel.isVisible()
    st = page.last_stats
    assert st.total == 3 and st.by_gender == {"男": 1, "女": 2}
    assert st.by_branch == {"第一网格党支部": 2, "第二网格党支部": 1}
    assert "合计 3 名" in page.stats_label.text() and "第一网格党支部" in page.stats_label.text()
    with qtbot.waitSignal(page.stats_shown):
        page.branch.select(b1.id)
    assert page.last_stats.total == 2
    page.act_stats.trigger()
    assert not page.stats_panel.isVisible()


# ---------------------------------------------------------------- files

def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(rules.TEMPLATE_COLUMNS)
        for r in rows:
            w.writerow([r.get(c, "") for c in rules.TEMPLATE_COLUMNS])


def test_import_preview_shows_bad_rows_and_imports_nothing_until_confirmed(
    page, app_ctx, tmp_path, monkeypatch, wait_ops, qtmodeltester
):
    path = tmp_path / "去年名册.csv"
    write_csv(path, [
        {"姓名": "钱九", "所在党支部": "第三网格党支部", "公民身份号码": "110105198001010016",
         "人员类别": "正式党员", "加入党组织日期": "2005/7/1", "转为正式党员日期": "2006.7.1"},
        {"姓名": "吴十", "所在党支部": "第一网格党支部", "公民身份号码": "1.10101E+17",
         "人员类别": "正式党员", "加入党组织日期": "2005-07-01"},
    ])
    before = roster.search_ids(app_ctx.db, MemberFilter(include_deleted=True))
    old = tmp_path / "旧名册.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    dlg = ImportDialog(None, app_ctx.db, path=old)
    dlg.show()
    wait_ops()
    # .xls files are read now; this one is no workbook: refused by name, with what to do
    said = dlg.summary.text()
    assert "旧名册.xls" in said and "另存为 .xlsx" in said and not dlg.import_button.isEnabled()

    dlg.load(path)
    wait_ops()

    errors = dlg.error_view.model()
    assert errors.rowCount() == 1
    assert errors.index(0, 0).data() == "3"  # the header is row 1, 吴十 is row 3
    assert errors.index(0, 1).data() == "吴十"  # the person, as the worker looks for them
    assert errors.index(0, 2).data() == "公民身份号码"
    assert errors.index(0, 3).data() == "1.10101E+17"
    assert "科学计数法" in errors.index(0, 4).data()
    assert dlg.tabs.currentIndex() == 2  # the problems are shown first
    assert dlg.add_view.model().index(0, 0).data() == "钱九"
    assert dlg.branch_view.model().index(0, 0).data() == "第三网格党支部"
    assert not dlg.import_button.isEnabled()  # a file with bad rows imports nothing by default
    for view in (dlg.add_view, dlg.update_view, dlg.error_view, dlg.warning_view, dlg.branch_view):
        qtmodeltester.check(view.model())
    assert roster.search_ids(app_ctx.db, MemberFilter(include_deleted=True)) == before  # preview wrote nothing

    dlg.skip_invalid.setChecked(True)
    assert dlg.import_button.isEnabled()
    assert roster.search_ids(app_ctx.db, MemberFilter(include_deleted=True)) == before  # still nothing
    dlg.close()

    # Through the page: import only the good rows, the roster and org tree learn of it.
    def run(self: ImportDialog):
        self.load(path)
        wait_ops()
        self.skip_invalid.setChecked(True)
        self.import_button.click()
        wait_ops()
        return 1

    monkeypatch.setattr(ImportDialog, "exec", run)
    page.import_members()
    wait_ops()
    assert "钱九" in shown(page) and "吴十" not in shown(page)
    assert "新增 1 名" in page.message_text.text() and "第三网格党支部" in page.message_text.text()
    assert any(n.name == "第三网格党支部" for n in orgs.list_tree(app_ctx.db))
    assert page.branch.findText("第三网格党支部") >= 0


def test_export_and_template(page, app_ctx, tmp_path, monkeypatch, wait_ops):
    out = tmp_path / "名册.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "CSV")))
    warned = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: warned.append(text) or False)
    page.export_members()
    wait_ops()
    assert warned and not out.exists()  # the personal-data warning came first; declining writes nothing
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.export_members()
    wait_ops()
    text = out.read_text(encoding="utf-8-sig")
    assert "张三" in text and "王五" in text
    assert "已导出 3 名党员" in page.message_text.text()

    tpl = tmp_path / "模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tpl), "Excel")))
    page.save_template()
    wait_ops()
    assert tpl.stat().st_size > 0


def test_print_the_roster_to_pdf(page, app_ctx, tree, tmp_path, monkeypatch, wait_ops):
    _c, b1, _b2 = tree
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    out = tmp_path / "花名册.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "PDF")))
    asked, opened = [], []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    from desktop_app.gui.widgets import forms

    boxes, offer = [], forms.offer_open
    monkeypatch.setattr(forms, "offer_open", lambda *a: boxes.append(offer(*a)))
    page.print_roster()
    wait_ops(30_000)

    assert out.exists()
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages)
    for name in ("张三", "李四", "王五"):
        assert name in text
    assert "110105********002X" in text and ZHANG_ID not in text
    assert "第一网格党支部（2 名）" in text and "幸福里社区党委" in text
    assert asked == [] and str(out) in boxes[0].text()
    next(b for b in boxes[0].buttons() if b.text() == "打开").click()
    assert opened == [str(out)]

    # The printed roster follows the filter on screen.
    page.branch.select(b1.id)
    wait_ops()
    monkeypatch.setattr(common, "ask", lambda *a: False)
    page.print_roster()
    wait_ops(30_000)
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages)
    assert "张三" in text and "王五" not in text
    assert opened == [str(out)]  # not opened the second time


# ---------------------------------------------------------------- the model

def test_model_passes_the_model_tester(qtmodeltester, page, wait_ops):
    qtmodeltester.check(page.model)
    wait_ops()
    assert page.model.rowCount() == 3
    assert page.model.headerData(9, Qt.Orientation.Horizontal) == "公民身份号码"


def test_a_new_result_is_told_as_rows_gone_added_and_changed(qtmodeltester, qtbot, page, wait_ops):
    qtmodeltester.check(page.model)  # and it keeps watching: every change below is checked as it is told
    told = []
    for signal in ("rowsRemoved", "rowsInserted", "dataChanged", "modelReset"):
        getattr(page.model, signal).connect(lambda *a, s=signal: told.append(s))
    page.table.selectRow(2)
    assert page.selected_id() is not None
    for text, names in (("张", ["张三"]), ("", ["张三", "李四", "王五"]), ("王", ["王五"]), ("li", ["李四"]),
                        ("nobody", []), ("", ["张三", "李四", "王五"])):
        with qtbot.waitSignal(page.searched):
            page.search.setText(text)
            page.run_search()
        assert shown(page) == names
        assert [page.model.index(i, 1).data() for i in range(len(names))] == names
    assert "modelReset" not in told and {"rowsRemoved", "rowsInserted", "dataChanged"} <= set(told)
    assert not page.table.selectionModel().hasSelection()  # 王五 was not among 张三's: nothing kept selected
    page.table.selectRow(1)
    kept = page.selected_id()
    with qtbot.waitSignal(page.searched):
        page.search.setText("li")
        page.run_search()
    assert page.selected_id() == kept and [r.row() for r in page.table.selectionModel().selectedRows()] == [0]


def test_a_search_brings_a_screenful_of_rows_and_the_rest_of_the_first_page_when_shown(
        qtmodeltester, qtbot, app_ctx, tree, wait_ops):
    from desktop_app.gui.roster.models import FIRST_ROWS

    db = app_ctx.db
    for n in range(FIRST_ROWS + 40):
        roster.create(db, person(f"成员{n:03d}", tree[1].id, 100 + n))
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    wait_ops()
    assert p.model.rowCount() == FIRST_ROWS + 40
    screenful = p.table.viewport().height() // p.table.verticalHeader().defaultSectionSize() + 2
    assert len(p.model._pages[0]) == screenful < FIRST_ROWS  # the search read what is shown, not the first page
    assert p.model.index(3, 1).data() == "成员003"
    beyond = FIRST_ROWS + 10
    assert p.model.index(beyond, 1).data() == "…"  # asked for: read in the background
    wait_ops()
    assert p.model.index(beyond, 1).data() == f"成员{beyond:03d}"
    assert len(p.model._pages[0]) == FIRST_ROWS + 40
    qtmodeltester.check(p.model)


def test_empty_roster_model_passes_the_model_tester(qtmodeltester, qtbot, app_ctx, wait_ops):
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.show()
    wait_ops()
    assert p.model.rowCount() == 0 and p.count_label.text() == "共 0 名"
    qtmodeltester.check(p.model)


@pytest.mark.slow
def test_stays_responsive_on_20000_members(qtbot, qapp, empty_db, wait_ops, capsys):
    from desktop_app.gui.app import make_app

    t0 = time.perf_counter()
    demo.generate(empty_db, members=20_000, seed=7, with_modules=False)
    generated = time.perf_counter() - t0
    make_app()
    ctx = AppContext(db=empty_db, site=site.get_site(empty_db))
    p = RosterPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    t0 = time.perf_counter()
    with qtbot.waitSignal(p.searched, timeout=20_000):
        p.show()
    first_show = time.perf_counter() - t0
    wait_ops()
    total = len(roster.search_ids(empty_db, MemberFilter(active_only=True)))
    assert p.model.rowCount() == total > 19_000
    cached = sum(len(rows) for rows in p.model._pages.values())
    assert cached <= 2 * PAGE_SIZE  # only what is on screen was read

    def round_trip(text: str) -> float:
        """Keystroke to rows on screen, including the typing pause (debounce)."""
        start = time.perf_counter()
        with qtbot.waitSignal(p.searched, timeout=10_000):
            p.search.setText(text)
        return (time.perf_counter() - start) * 1000

    trips = {text: round_trip(text) for text in ("w", "wa", "wang", "wxm", "1380", "")}
    queries = p.last_search_ms
    assert p.model.rowCount() == total

    start = time.perf_counter()
    with qtbot.waitSignal(p.searched, timeout=10_000):
        p.sort_by(1)  # 姓名
    sort_ms = (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    p.table.scrollToBottom()
    qapp.processEvents()
    wait_ops()
    qapp.processEvents()
    scroll_ms = (time.perf_counter() - start) * 1000
    last = p.model.rowCount() - 1
    assert p.model.row_at(last) is not None
    assert len(p.model._pages) <= CACHED_PAGES

    with capsys.disabled():
        print(f"\n[roster 20,000] demo data {generated:.1f} s; first show {first_show * 1000:.0f} ms; "
              + "; ".join(f"search {t!r} {ms:.0f} ms" for t, ms in trips.items())
              + f" (round trips incl. {roster_page.SEARCH_DELAY_MS} ms typing pause; last query+reset {queries:.0f} ms); "
              f"sort by name {sort_ms:.0f} ms; scroll to bottom {scroll_ms:.0f} ms")


def test_the_form_shows_branch_and_group_apart_and_keeps_the_old_reporting_columns(qtbot, app_ctx, tree):
    _c, b1, b2 = tree
    db = app_ctx.db
    g1 = orgs.create(db, "第一党小组", "B01G1", "group", b1.id)
    g2 = orgs.create(db, "第一党小组", "B02G1", "group", b2.id)
    m = roster.create(db, person("钱八", g1.id, 41, reporting_employer="区人民医院", reporting_post="医生"))
    nodes = orgs.list_tree(db)
    dlg = MemberDialog(None, nodes, lambda inp: roster.update(db, m.id, inp), roster.get(db, m.id), registration=None)
    qtbot.addWidget(dlg)
    org = dlg.w["org_id"]
    assert org.currentData() == b1.id and dlg.group_box.currentData() == g1.id
    assert all(org.itemData(i) not in (g1.id, g2.id) for i in range(org.count()))  # groups have their own field
    assert "未在双报到名册中" in dlg.registration_label.text()
    # another branch offers its own groups only; 不在党小组 puts the member in the branch itself
    dlg.set_value("org_id", b2.id)
    assert [dlg.group_box.itemData(i) for i in range(dlg.group_box.count())] == [None, g2.id]
    inp, _ = dlg.current_input()
    assert inp.org_id == b2.id
    dlg.group_box.setCurrentIndex(1)
    inp, _ = dlg.current_input()
    assert inp.org_id == g2.id
    assert (inp.reporting_employer, inp.reporting_post) == ("区人民医院", "医生")  # carried through, not wiped


def test_the_form_shows_the_register_entry_and_opens_the_register(qtbot, app_ctx, tree, monkeypatch):
    from desktop_app.gui.roster.member_dialog import REG_UNKNOWN
    from desktop_app.services import cobuilding

    _c, b1, _b2 = tree
    db = app_ctx.db
    m = roster.create(db, person("孙九", b1.id, 42, reporting_employer="区税务局", reporting_post="科员"))
    cobuilding.move_from_roster(db, m.id)
    registration = cobuilding.registration_of(db, m.id)
    assert registration.employer == "区税务局"
    dlg = MemberDialog(None, orgs.list_tree(db), lambda inp: None, roster.get(db, m.id), registration=registration)
    qtbot.addWidget(dlg)
    assert "已登记：区税务局（科员）" in dlg.registration_label.text()
    opened = []
    dlg.open_register.connect(opened.append)
    dlg.register_button.click()
    assert opened == ["孙九"]
    hidden = MemberDialog(None, orgs.list_tree(db), lambda inp: None, roster.get(db, m.id), registration=REG_UNKNOWN)
    qtbot.addWidget(hidden)
    assert not hidden.register_button.isEnabled() and "无权查看" in hidden.registration_label.text()


def test_a_new_member_form_does_not_say_the_register_is_hidden(qtbot, app_ctx, tree):
    """The page opens 新增党员 without reading the register: that is no refusal, the member is not saved yet."""
    _c, b1, _b2 = tree
    dlg = MemberDialog(None, orgs.list_tree(app_ctx.db), lambda inp: None, default_org_id=b1.id)
    qtbot.addWidget(dlg)
    assert "无权" not in dlg.registration_label.text() and "保存后" in dlg.registration_label.text()
    assert not dlg.register_button.isEnabled()


def test_the_full_id_copy_asks_first_and_is_logged(page, app_ctx, tmp_path, monkeypatch, wait_ops):
    from desktop_app.gui.widgets import forms
    from desktop_app.services import audit_log
    from desktop_app.views.audit import AuditFilter

    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    out = tmp_path / "全号.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a, **k: out)
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    assert page.act_print_full.isEnabled()  # no accounts yet: the operator holds every right
    page.act_print_full.trigger()
    wait_ops()
    assert "审计日志" in asked[0] and "完整的公民身份号码" in asked[0] and not out.exists()
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.act_print_full.trigger()
    wait_ops(30_000)
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages)
    assert ZHANG_ID in text
    [entry] = audit_log.search(app_ctx.db, AuditFilter(action="export")).rows
    assert str(out) in entry.note


def test_an_empty_roster_says_how_to_fill_it_and_a_fruitless_filter_how_to_undo_it(qtbot, app_ctx, tree, wait_ops,
                                                                                     monkeypatch):
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    wait_ops()
    assert p.empty_hint.isVisible() and "还没有党员" in p.empty_hint.text()
    opened = []
    monkeypatch.setattr(p, "import_members", lambda: opened.append("import"))
    p.empty_hint.linkActivated.emit("import")
    assert opened == ["import"]
    _c, b1, _b2 = tree
    roster.create(app_ctx.db, person("赵六", b1.id, 3))
    p.refresh()
    wait_ops()
    assert not p.empty_hint.isVisible()
    p.search.setText("没有这个人")
    p.run_search()
    wait_ops()
    assert p.empty_hint.isVisible() and "没有符合条件" in p.empty_hint.text()
    p.empty_hint.linkActivated.emit("clear")
    wait_ops()
    assert not p.empty_hint.isVisible() and p.search.text() == "" and shown(p) == ["赵六"]
