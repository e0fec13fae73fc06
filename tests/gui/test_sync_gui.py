"""The sync page offscreen: a community takes the key and exports; the street previews, imports, decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select, update

from desktop_app.gui.widgets import common, forms
from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.sync.conflicts import DIFF_BG
from desktop_app.gui.sync.dialogs import ExportSummaryDialog, ImportPreviewDialog
from desktop_app.gui.sync.page import SyncPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.base import utcnow
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_sync import SyncPeer
from tests.integration.sync_world import enrol


@pytest.fixture
def street_db(tmp_path):
    db, _ = open_database(tmp_path / "street.db")
    site.init_site(db, "320102", "梅园街道党工委", "street")
    sync.new_key(db, tmp_path / "street.dqkey")
    yield db
    db.dispose()


@pytest.fixture
def community(app_ctx):
    """The conftest community with a branch and three members."""
    db = app_ctx.db
    with UnitOfWork(db) as uow:
        s = uow.session
        root = s.scalar(select(Organization.id).where(Organization.kind == "community"))
        branch = Organization(name="第一网格党支部", code="32010200101", kind="branch", parent_id=root)
        s.add(branch)
        s.flush()
        for i, name in enumerate(("张三", "李四", "王五"), start=1):
            s.add(Member(name=name, id_number=f"11010119700101{i:03d}X", org_id=branch.id, seq=i))
        uow.commit()
    return app_ctx


def page_for(qtbot, ctx, wait_ops) -> SyncPage:
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    wait_ops()
    return page


class Dialogs:
    """Stands in for exec() of a dialog class: records each dialog, answers Accepted."""

    def __init__(self, monkeypatch, cls):
        self.seen = []
        seen = self.seen

        def exec_(dialog):
            seen.append(dialog)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(cls, "exec", exec_)


def test_a_community_takes_the_key_and_exports_to_a_usb_folder(qtbot, community, street_db, wait_ops, tmp_path,
                                                                 monkeypatch, qtmodeltester):
    page = page_for(qtbot, community, wait_ops)
    assert "尚未向街道登记" in page.key_label.text()
    assert not page.export_button.isEnabled()

    told, offered = [], []
    monkeypatch.setattr(sync_dialogs, "choose_save", lambda *a: tmp_path / "c.dqreq")
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: offered.append((path, text)))
    page.key_button.click()
    wait_ops()
    shown = sync.read_request(street_db, tmp_path / "c.dqreq").fingerprint
    assert offered[0][0] == tmp_path / "c.dqreq" and shown in offered[0][1]  # the same fingerprint on both screens
    assert not page.export_button.isEnabled()  # not until the street's reply is in
    assert sync.enrol_accept(street_db, tmp_path / "c.dqreq", tmp_path / "c.dqreply").fingerprint == shown
    monkeypatch.setattr(sync_dialogs, "choose_open", lambda *a: tmp_path / "c.dqreply")
    page.finish_button.click()
    wait_ops()
    fingerprint = sync.key_info(street_db).fingerprint
    assert fingerprint in told[0] and "挂到“梅园街道党工委”之下" in told[0]
    assert fingerprint in page.key_status.text()
    assert page.export_button.isEnabled()

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: usb)
    summaries = Dialogs(monkeypatch, ExportSummaryDialog)
    page.export_button.click()
    wait_ops()
    [made] = list(usb.glob("*.dqsync"))
    [dlg] = summaries.seen
    assert dlg.results[0].path == made and dlg.results[0].counts["member"] == 3
    assert "已加密" in " ".join(w.text() for w in dlg.findChildren(type(page.key_label)))
    assert "已加密：只有梅园街道党工委能打开。" in " ".join(w.text() for w in dlg.findChildren(type(page.key_label)))
    assert page.history.rowCount() == 1 and page.history.data(page.history.index(0, 5)) == "待确认"
    qtmodeltester.check(page.history)
    # the street can take what the community made
    assert sync.import_package(street_db, made).total("inserted") > 3


def test_plain_export_asks_first(qtbot, community, street_db, wait_ops, tmp_path, monkeypatch):
    enrol(street_db, community.db, tmp_path)
    page = page_for(qtbot, community, wait_ops)
    page.plain.setChecked(True)
    monkeypatch.setattr(common, "ask", lambda *a: False)
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: pytest.fail("must not get this far"))
    page.export_button.click()
    wait_ops()
    assert page.history.rowCount() == 0


def _street_ctx(street_db) -> AppContext:
    return AppContext(db=street_db, site=site.get_site(street_db))


def test_the_street_previews_then_imports_and_lists_the_community(qtbot, community, street_db, wait_ops,
                                                                    tmp_path, monkeypatch, qtmodeltester):
    enrol(street_db, community.db, tmp_path)
    pkg = sync.export_package(community.db, tmp_path).path
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    # enrolled, nothing sent yet: listed, and flagged as not reporting
    assert page.communities.rowCount() == 1 and page.communities.row(0).packages == 0
    assert page.key_button.text() == "接受社区登记…"

    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [pkg])
    previews = Dialogs(monkeypatch, ImportPreviewDialog)
    page.import_button.click()
    wait_ops()
    wait_ops()
    first, second = previews.seen
    assert first.report.dry_run and first.report.new_community
    assert not second.report.dry_run and second.report.total("inserted") == first.report.total("inserted")
    assert "第一次收到这个社区" in first.notes.text()
    lines = first.table.model()
    qtmodeltester.check(lines)
    total = lines.index(lines.rowCount() - 1, 0)
    assert total.data() == "合计" and total.data(Qt.ItemDataRole.FontRole).bold()
    assert lines.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert lines.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert page.communities.rowCount() == 1
    assert page.communities.data(page.communities.index(0, 0)) == "幸福里社区党委"
    assert page.communities.data(page.communities.index(0, 2)) == "3"
    assert not page.warnings.isVisible()
    qtmodeltester.check(page.communities)
    assert page.imports.rowCount() == 1
    qtmodeltester.check(page.imports)

    # forty days later the community has sent nothing since
    with street_db.session() as s:
        s.execute(update(SyncPeer).values(last_package_at=utcnow() - timedelta(days=40)))
        s.commit()
    from desktop_app.gui.bus import bus
    from desktop_app.views.changes import Change

    bus.announce(Change.SYNC)
    wait_ops()
    assert "40 天未报送" in page.warnings.text() and page.warnings.isVisible()
    cell = page.communities.index(0, 9)
    assert page.communities.data(cell) == "已 40 天未报送"
    assert page.communities.data(cell, Qt.ItemDataRole.ForegroundRole).name() == "#c8161e"
    assert page.communities.data(cell, Qt.ItemDataRole.ToolTipRole) == "已 40 天未报送"


def test_the_page_reads_and_decrypts_a_package_once_for_preview_and_import(qtbot, community, street_db, wait_ops,
                                                                           tmp_path, monkeypatch):
    from desktop_app.sync import package

    enrol(street_db, community.db, tmp_path)
    pkg = sync.export_package(community.db, tmp_path).path
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    decrypted = []
    real = package._decrypt
    monkeypatch.setattr(package, "_decrypt", lambda *a: decrypted.append(1) or real(*a))
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [pkg])
    seen = []

    def exec_(dialog):
        seen.append(dialog.report)
        if dialog.report.dry_run:
            pkg.unlink()  # the stick is pulled out while the preview is on screen
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", exec_)
    page.import_button.click()
    wait_ops()
    wait_ops()
    assert [r.dry_run for r in seen] == [True, False]
    assert len(decrypted) == 1
    assert seen[1].total("inserted") == seen[0].total("inserted") > 3
    assert page.communities.rowCount() == 1


def test_a_cancelled_preview_imports_nothing(qtbot, community, street_db, wait_ops, tmp_path, monkeypatch):
    enrol(street_db, community.db, tmp_path)
    pkg = sync.export_package(community.db, tmp_path).path
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [pkg])
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    page.import_button.click()
    wait_ops()
    assert page.communities.row(0).packages == 0
    with street_db.session() as s:
        assert s.scalar(select(Member.id).limit(1)) is None


def test_a_refused_package_says_why(qtbot, community, street_db, wait_ops, tmp_path, monkeypatch, error_boxes):
    enrol(street_db, community.db, tmp_path)
    pkg = sync.export_package(community.db, tmp_path).path
    data = bytearray(pkg.read_bytes())
    data[-5] ^= 1
    pkg.write_bytes(bytes(data))
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [pkg])
    page.import_button.click()
    wait_ops()
    assert error_boxes and "未导入" in error_boxes[0] and "被改动" in error_boxes[0]


def _conflict(community, street_db, tmp_path) -> str:
    """The street and the community both change one member's phone after the first package."""
    enrol(street_db, community.db, tmp_path)
    sync.import_package(street_db, sync.export_package(community.db, tmp_path / "p1.dqsync").path)
    with community.db.session() as s:
        mid = s.scalar(select(Member.id).where(Member.name == "张三"))
    for db, phone in ((street_db, "13811111111"), (community.db, "13922222222")):
        with UnitOfWork(db) as uow:
            uow.session.get(Member, mid).mobile = phone
            uow.commit()
    sync.import_package(street_db, sync.export_package(community.db, tmp_path / "p2.dqsync").path)
    return mid


def test_the_street_sees_both_versions_and_a_person_decides(qtbot, community, street_db, wait_ops, tmp_path,
                                                             monkeypatch, qtmodeltester):
    mid = _conflict(community, street_db, tmp_path)
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    page.tabs.setCurrentWidget(page.conflicts)
    wait_ops()
    panel = page.conflicts
    assert page.tabs.tabText(page.conflict_tab) == "冲突（1）"
    assert panel.model.rowCount() == 1 and panel.model.data(panel.model.index(0, 1)) == "张三"
    qtmodeltester.check(panel.model)
    wait_ops()
    fields = panel.field_model
    qtmodeltester.check(fields)
    cells = {fields.index(r, 0).data(): (fields.index(r, 1).data(), fields.index(r, 2).data())
             for r in range(fields.rowCount())}
    assert cells["手机号码"] == ("13811111111", "13922222222")
    assert "姓名" not in cells  # only what differs
    assert fields.headerData(2, Qt.Orientation.Horizontal) == "来件版本（幸福里社区党委）"
    phone = next(r for r in range(fields.rowCount()) if fields.index(r, 0).data() == "手机号码")
    assert fields.index(phone, 0).data(Qt.ItemDataRole.BackgroundRole) == DIFF_BG
    assert fields.index(phone, 0).data(Qt.ItemDataRole.FontRole) is None  # the label plain, both values bold
    assert fields.index(phone, 2).data(Qt.ItemDataRole.FontRole).bold()
    panel.only_diff.setChecked(False)
    assert fields.rowCount() > len(cells)
    qtmodeltester.check(fields)
    name = next(r for r in range(fields.rowCount()) if fields.index(r, 0).data() == "姓名")
    assert fields.index(name, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert fields.index(name, 1).data(Qt.ItemDataRole.FontRole) is None
    assert panel.take_local.isEnabled() and panel.take_incoming.isEnabled()

    monkeypatch.setattr(common, "ask", lambda *a: True)
    panel.take_incoming.click()
    wait_ops()
    wait_ops()
    assert panel.model.rowCount() == 0 and page.tabs.tabText(page.conflict_tab) == "冲突"
    with street_db.session() as s:
        assert s.get(Member, mid).mobile == "13922222222"
    assert "采用来件" in page.message.text()


def test_the_street_sends_a_package_down_to_the_chosen_community(qtbot, community, street_db, wait_ops, tmp_path,
                                                                monkeypatch):
    enrol(street_db, community.db, tmp_path)
    sync.import_package(street_db, sync.export_package(community.db, tmp_path).path)
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    page.community_view.selectRow(0)
    assert page.send_selected.isEnabled()
    out = tmp_path / "down"
    out.mkdir()
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: out)
    summaries = Dialogs(monkeypatch, ExportSummaryDialog)
    page.send_selected.click()
    wait_ops()
    [pkg] = list(out.glob("下发包_*.dqsync"))
    assert summaries.seen[0].results[0].to_org_name == "幸福里社区党委"
    # sealed to the community it is for: the street itself cannot open it (it said 只有本街道的程序才能打开)
    said = " ".join(w.text() for w in summaries.seen[0].findChildren(type(page.message)))
    assert "已加密：只有收件社区（幸福里社区党委）能打开" in said and "本街道" not in said
    # the community takes it through its own page
    cpage = page_for(qtbot, community, wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_open", lambda *a: pkg)
    previews = Dialogs(monkeypatch, ImportPreviewDialog)
    cpage.import_button.click()
    wait_ops()
    wait_ops()
    assert [d.report.dry_run for d in previews.seen] == [True, False]
    assert previews.seen[1].report.confirmed == 1
    assert "街道已确认" in cpage.last_export.text()


def test_a_community_cannot_keep_its_own_side_but_may_take_the_street_s(qtbot, community, street_db, wait_ops,
                                                                       tmp_path, monkeypatch):
    mid = _conflict(community, street_db, tmp_path)
    # the street's own edit reaches the community, which changed the same phone meanwhile
    with UnitOfWork(community.db) as uow:
        uow.session.get(Member, mid).mobile = "13933333333"
        uow.commit()
    pkg = sync.send_package(street_db, tmp_path, site.get_site(community.db).id).path
    sync.import_package(community.db, pkg)
    page = page_for(qtbot, community, wait_ops)
    page.tabs.setCurrentWidget(page.conflicts)
    wait_ops()
    panel = page.conflicts
    assert panel.model.rowCount() == 1
    assert not panel.take_local.isEnabled() and panel.take_incoming.isEnabled()
    assert "由街道决定" in panel.note.text()
    monkeypatch.setattr(common, "ask", lambda *a: True)
    panel.take_incoming.click()
    wait_ops()
    with community.db.session() as s:
        assert s.get(Member, mid).mobile == "13811111111"


def test_the_street_makes_its_key_once(qtbot, app_ctx, wait_ops, tmp_path, monkeypatch):
    db, _ = open_database(tmp_path / "new-street.db")
    try:
        site.init_site(db, "320105", "新街道党工委", "street")
        page = page_for(qtbot, _street_ctx(db), wait_ops)
        assert "尚未生成街道密钥" in page.key_label.text() and not page.replace_key.isVisible()
        assert not page.import_button.isEnabled()
        monkeypatch.setattr(sync_dialogs, "choose_save", lambda *a: tmp_path / "k.dqkey")
        told = []
        monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: told.append(text))
        page.key_button.click()
        wait_ops()
        assert (tmp_path / "k.dqkey").exists() and "受口令保护" in told[0]
        assert b"PRIVATE" not in (tmp_path / "k.dqkey").read_bytes()
        assert page.key_button.text() == "接受社区登记…" and page.replace_key.isVisible()
        assert page.revoke_button.isVisible()
        assert sync.key_info(db).fingerprint in page.key_label.text()
        assert page.import_button.isEnabled()
    finally:
        db.dispose()


def test_revoking_a_community_key_says_what_follows_and_asks_first(qtbot, community, street_db, wait_ops, tmp_path,
                                                                   monkeypatch):
    enrol(street_db, community.db, tmp_path)
    sync.import_package(street_db, sync.export_package(community.db, tmp_path).path)
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    page.community_view.selectRow(0)
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    page.revoke_button.click()
    wait_ops()
    assert "拒收" in asked[0] and "不能撤销" in asked[0] and "幸福里社区党委" in asked[0]
    assert [e.status for e in sync.enrolments(street_db)] == ["active"]  # "no" leaves the key in use
    monkeypatch.setattr(common, "ask", lambda *a: True)
    monkeypatch.setattr(common, "inform", lambda *a: None)
    page.revoke_button.click()
    wait_ops()
    assert [e.status for e in sync.enrolments(street_db)] == ["revoked"]


def test_key_files_are_saved_through_the_one_save_flow(qtbot, app_ctx, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.settings import data_dir

    monkeypatch.setattr(sync_dialogs, "usb_drives", lambda: [])
    monkeypatch.setattr(common, "inform", lambda *a: None)
    seen = []

    def dialog(parent, title, start, filters):
        seen.append(start)
        return str(data_dir() / "k"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    # the data folder is refused, and a name typed without its extension gets it
    assert sync_dialogs.choose_save(None, "保存", "街道私钥.dqkey", sync_dialogs.KEY_FILTER) is None
    assert seen[0] == str(forms.prints_dir() / "街道私钥.dqkey")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "k"), ""))
    monkeypatch.setattr(sync_dialogs, "usb_drives", lambda: [tmp_path])
    assert sync_dialogs.choose_save(None, "保存", "街道私钥.dqkey", sync_dialogs.KEY_FILTER) == tmp_path / "k.dqkey"
