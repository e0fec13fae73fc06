"""导出Excel on the record-list kit, offscreen on a real SQLite file: the list as filtered, every row, read back
with openpyxl; the audit entry; a 只读 account refused; a cancelled save writes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, select

from desktop_app.domain import access
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import DomainError

from desktop_app.domain.service_flow import VisitInput, WishInput
from desktop_app.gui.visits.page import VisitsPage
from desktop_app.gui.widgets import common, forms
from desktop_app.gui.wishes.page import WishesPage
from desktop_app.services import audit_log, auth, privacy, table_export, visits, wishes
from desktop_app.services.auth import PermissionDenied
from desktop_app.services import residents as res
from desktop_app.store.models_access import AuditEntry
from desktop_app.views.audit import AuditFilter
from tests.gui.test_cobuilding_lists_narrow import demo_ctx  # noqa: F401 (fixtures)
from tests.gui.test_service_gui import show, town  # noqa: F401

TODAY = date.today()


@pytest.fixture
def li(app_ctx, town):
    """A second resident, 李桂兰, in 王秀英's grid (the town of test_service_gui)."""
    h = res.create_household(app_ctx.db, res.HouseholdInput(grid_id=town["g1"], building="梅园新村5栋", room="101室"))
    return res.create_resident(app_ctx.db, res.ResidentInput(name="李桂兰", household_id=h.id)).id


def saving_to(monkeypatch, out, asked=None):
    """The save dialog answers `out` (None: cancelled); the personal-data question is answered yes and kept."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out) if out else "", "Excel")))
    monkeypatch.setattr(common, "ask", lambda parent, title, text: (asked.append(text) if asked is not None else 0)
                        or True)
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)


def exports(db):
    return audit_log.search(db, AuditFilter(action="export")).rows


def export_entries(db) -> int:
    """The export entries however the trail is read (a 只读 account may not read it through the service)."""
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export"))


def test_wishes_export_what_the_filter_shows(qtbot, app_ctx, wait_ops, town, li, monkeypatch, tmp_path):
    db = app_ctx.db
    for n, content in enumerate(("一台收音机", "一副老花镜", "一把轮椅")):
        w = wishes.post_wish(db, WishInput(resident_id=town["wang"] if n else li, content=content,
                                           estimated_fen=12050 + n, posted_on=TODAY))
    wishes.claim_wish(db, w.id, TODAY, unit_id=wishes.save_unit(db, None, "区人民医院").id, today=TODAY)
    page = show(qtbot, wait_ops, WishesPage(app_ctx))
    assert page.act_export.isEnabled() and page.act_export.text() == "导出Excel"
    page.choice("state").setCurrentIndex(page.choice("state").findData(flow.WISH_POSTED))
    wait_ops()
    shown = page.panel.model.rowCount()
    assert shown == 2
    seen = {}
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, proposed, *a: seen.setdefault("name", proposed) and ("", "")))
    page.act_export.trigger()
    assert seen["name"].endswith(f"微心愿_{TODAY:%Y-%m-%d}.xlsx")

    out, asked = tmp_path / "心愿.xlsx", []
    saving_to(monkeypatch, out, asked)
    page.act_export.trigger()
    wait_ops()
    assert asked == [privacy.LIST_EXPORT_WARNING]  # wishers are residents by name; the list carries them masked
    ws = load_workbook(out).active
    assert ws.title == "微心愿"
    assert ws["A1"].value == f"微心愿（{flow.WISH_POSTED}）" and "导出时间" in ws["A2"].value
    headers = [c.value for c in ws[3]]
    assert headers == [c.title for c in page.tables[0].columns]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == shown
    value, posted = headers.index("价值（元）"), headers.index("发布")
    assert {Decimal(str(r[value])) for r in rows} == {Decimal("120.5"), Decimal("120.51")}  # numbers, exact
    assert ws.cell(row=4, column=value + 1).number_format == "#,##0.00;[Red]-#,##0.00"
    assert isinstance(ws.cell(row=4, column=posted + 1).value, datetime)  # a date cell, not text
    assert ws.cell(row=4, column=posted + 1).value.date() == TODAY
    assert ws.freeze_panes == "A4"
    [entry] = exports(db)
    assert "微心愿" in entry.note and "2 条" in entry.note and str(out) in entry.note
    assert entry.after["rows"] == 2 and entry.after["file"] == str(out)


def test_visits_export_the_search_and_say_it_in_the_title(qtbot, app_ctx, wait_ops, town, li, monkeypatch, tmp_path):
    db = app_ctx.db
    for who, content in ((town["wang"], "楼道漏水"), (li, "路灯不亮"), (town["wang"], "厨房漏水")):
        visits.log_visit(db, VisitInput(visit_date=TODAY, other_visitors="网格员小周", resident_id=who,
                                        category="供水", content=content))
    page = show(qtbot, wait_ops, VisitsPage(app_ctx))
    page.search.setText("漏水")
    page.refresh()
    wait_ops()
    assert page.panel.model.rowCount() == 2
    out = tmp_path / "走访.xlsx"
    saving_to(monkeypatch, out)
    page.act_export.trigger()
    wait_ops()
    ws = load_workbook(out).active
    assert ws["A1"].value.startswith("走访与民情恳谈（") and "搜索“漏水”" in ws["A1"].value
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 2 and all("漏水" in r[5] for r in rows)
    assert all(isinstance(r[0], datetime) for r in rows)  # 日期
    assert "共 2 条" in ws["A2"].value
    assert len(exports(db)) == 1


def test_a_cancelled_save_writes_nothing(qtbot, app_ctx, wait_ops, town, monkeypatch, tmp_path):
    wishes.post_wish(app_ctx.db, WishInput(resident_id=town["wang"], content="一台收音机", posted_on=TODAY))
    page = show(qtbot, wait_ops, WishesPage(app_ctx))
    saving_to(monkeypatch, None)
    page.act_export.trigger()
    wait_ops()
    assert list(tmp_path.glob("*.xlsx")) == [] and exports(app_ctx.db) == []
    # and saying no to the personal-data warning writes nothing either
    out = tmp_path / "心愿.xlsx"
    saving_to(monkeypatch, out)
    monkeypatch.setattr(common, "ask", lambda *a: False)
    page.act_export.trigger()
    wait_ops()
    assert not out.exists() and exports(app_ctx.db) == []


def test_a_read_only_account_may_not_export_personal_lists(qtbot, app_ctx, wait_ops, town, monkeypatch, tmp_path):
    """只读 reads the list masked but holds no export.personal: privacy.py's rule for any file of people."""
    db = app_ctx.db
    wishes.post_wish(db, WishInput(resident_id=town["wang"], content="一台收音机", posted_on=TODAY))
    auth.set_actor(db, access.Actor("u-viewer", "viewer", "只读者", access.Role.VIEWER))
    page = show(qtbot, wait_ops, WishesPage(app_ctx))
    assert page.panel.model.rowCount() == 1
    assert not page.act_export.isEnabled() and "导出含完整个人信息的文件" in page.act_export.toolTip()
    out = tmp_path / "心愿.xlsx"
    # the caller names the list and nothing more: whether it names people is the service's rule
    table = table_export.ListTable("wishes", "微心愿", ["编号"], [["X"]])
    with pytest.raises(PermissionDenied):
        table_export.export_list(db, table, out)
    assert not out.exists() and export_entries(db) == 0
    # a list that names nobody needs only the right to read it
    table_export.export_list(db, table_export.ListTable("projects", "微实事", ["编号"], [["X"]]), out)
    assert out.exists() and export_entries(db) == 1


def test_a_list_the_service_does_not_know_is_refused(qtbot, app_ctx, tmp_path):
    """A page or script naming no list, or one not in table_export.LISTS, cannot pass as a list of no one."""
    db = app_ctx.db
    out = tmp_path / "名单.xlsx"
    for kind in ("", "wishes_anonymous", None):
        assert not table_export.may_export(db, kind)
        with pytest.raises(DomainError, match="不是可以导出的列表"):
            table_export.export_list(db, table_export.ListTable(kind, "居民", ["姓名"], [["王秀英"]]), out)
    assert not out.exists() and export_entries(db) == 0
    assert table_export.may_export(db, "wishes")  # the admin of app_ctx may export a known list


def test_every_exporting_page_names_a_list_the_service_knows():
    """Each page the window lists that offers 导出Excel declares its kind, and its kind's rule is in LISTS;
    each kind belongs to one page (two pages sharing a name would share a rule unseen)."""
    from desktop_app.gui.pages import PAGES
    from desktop_app.gui.widgets.record_list import RecordListPage

    kinds = {}
    for spec in PAGES:
        cls = spec.load()
        # a page that is no record list (民主评议) exports through list_export.export_table under its export_kind
        if cls.exports if issubclass(cls, RecordListPage) else getattr(cls, "export_kind", ""):
            assert cls.export_kind in table_export.LISTS, f"{spec.title}: export_kind {cls.export_kind!r}"
            assert cls.export_kind not in kinds, f"{spec.title} and {kinds.get(cls.export_kind)}"
            kinds[cls.export_kind] = spec.title
    assert set(kinds) == set(table_export.LISTS)  # no rule left for a list no page shows
    assert not table_export.is_personal("assessment") and table_export.is_personal("residents")


def test_an_empty_list_greys_the_export_and_says_why(qtbot, app_ctx, wait_ops, town):
    page = show(qtbot, wait_ops, WishesPage(app_ctx))
    assert not page.act_export.isEnabled() and "没有记录" in page.act_export.toolTip()


def test_the_accounts_page_has_no_export(qtbot, app_ctx, wait_ops):
    """用户管理 opts out: logins and roles are the program's keys, not a worker's record."""
    from desktop_app.gui.users.page import UsersPage

    page = show(qtbot, wait_ops, UsersPage(app_ctx))
    assert not hasattr(page, "act_export")
    assert "导出Excel" not in [a.text() for a in page.toolbar.actions()]


def test_a_page_of_several_lists_exports_the_one_in_view(qtbot, demo_ctx, wait_ops, monkeypatch, tmp_path):
    """三单: the tab in view names the sheet's title and the file; its rows, not the other tabs', are written."""
    from desktop_app.gui.cobuilding.lists import ListsPage

    page = show(qtbot, wait_ops, ListsPage(demo_ctx))
    page.tabs.setCurrentIndex(1)
    wait_ops()
    seen = {}
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, proposed, *a: seen.setdefault("name", proposed) and ("", "")))
    page.act_export.trigger()
    assert seen["name"].endswith(f"·资源清单_{TODAY:%Y-%m-%d}.xlsx")
    out = tmp_path / "资源.xlsx"
    saving_to(monkeypatch, out)
    page.act_export.trigger()
    wait_ops()
    ws = load_workbook(out).active
    assert ws["A1"].value.endswith("·资源清单") and [c.value for c in ws[3]] == [c.title for c in page.tables[1].columns]
    assert ws.max_row - 3 == page.panels[1].model.rowCount() > 0
