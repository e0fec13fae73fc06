"""The USB stick round trip as a worker walks it: the dialogs open where the last package went, and a key file
gone missing says which button on the page puts it right."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop_app.domain.errors import Conflict
from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.sync.dialogs import ExportSummaryDialog, ImportPreviewDialog
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site, sync
from tests.gui.test_sync_gui import community, page_for, street_db  # noqa: F401 - the fixtures
from tests.integration.sync_world import enrol


class Chooser:
    """Stands in for Qt's file dialogs: notes the folder each opened on, answers with the file or folder given."""

    def __init__(self, monkeypatch):
        self.starts: list[Path] = []
        self.answer: Path | None = None
        me = self

        def folder(parent, title, start):
            me.starts.append(Path(start))
            return str(me.answer or "")

        def one(parent, title, start, filters):
            me.starts.append(Path(start))
            return str(me.answer or ""), filters

        def many(parent, title, start, filters):
            me.starts.append(Path(start))
            return ([str(me.answer)] if me.answer else []), filters

        def save(parent, title, start, filters):
            me.starts.append(Path(start).parent)
            return str(me.answer or ""), filters

        monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", one)
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", many)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", save)


def test_the_next_dialog_opens_on_the_stick_the_package_went_to(qtbot, community, street_db, tmp_path, wait_ops,
                                                                monkeypatch):
    # an NTFS stick, or a folder on one, is not recognised as a stick: the worker found it once, and every
    # dialog after that opened on Documents again
    monkeypatch.setattr(sync_dialogs, "usb_drives", lambda: [])
    monkeypatch.setattr(ExportSummaryDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    enrol(street_db, community.db, tmp_path)
    stick = tmp_path / "U盘" / "报送"
    stick.mkdir(parents=True)
    chooser = Chooser(monkeypatch)
    documents = Path(sync_dialogs.default_folder())
    assert documents != stick

    page = page_for(qtbot, community, wait_ops)
    chooser.answer = stick
    page.export_button.click()
    wait_ops()
    [made] = list(stick.glob("*.dqsync"))
    assert chooser.starts == [documents]

    # at the street, the same program on the same stick: the import opens where the package is
    street = page_for(qtbot, AppContext(db=street_db, site=site.get_site(street_db)), wait_ops)
    chooser.answer = made
    street.import_button.click()
    wait_ops()
    wait_ops()
    assert chooser.starts[-1] == stick
    assert sync.communities(street_db)[0].org_name == community.site.org_name

    # the stick pulled out: not a folder that is gone, Documents again
    stick.rename(tmp_path / "拔出")
    chooser.answer = None
    page.import_button.click()
    assert chooser.starts[-1] == documents


def test_a_private_key_saved_is_not_where_the_next_package_is_looked_for(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sync_dialogs, "usb_drives", lambda: [])
    chooser = Chooser(monkeypatch)
    stick, safe = tmp_path / "stick", tmp_path / "保管"
    stick.mkdir()
    safe.mkdir()
    chooser.answer = stick / "登记申请.dqreq"
    sync_dialogs.choose_save(None, "保存登记申请", "登记申请.dqreq", sync_dialogs.REQUEST_FILTER)
    chooser.answer = safe / "街道私钥.dqkey"
    sync_dialogs.choose_save(None, "保存街道私钥文件", "街道私钥.dqkey", sync_dialogs.KEY_FILTER)
    assert chooser.starts[-1] == stick  # the key's dialog too opened on the stick's folder, offered, not forced
    chooser.answer = None
    sync_dialogs.choose_open(None, "选择社区的登记申请", sync_dialogs.REQUEST_FILTER)
    assert chooser.starts[-1] == stick


def test_a_stick_plugged_in_comes_before_a_folder_on_the_hard_disk(qapp, tmp_path, monkeypatch):
    disk, stick = tmp_path / "文档", tmp_path / "stick"
    disk.mkdir()
    stick.mkdir()
    sync_dialogs.remember_folder(disk)
    monkeypatch.setattr(sync_dialogs, "usb_drives", lambda: [])
    assert Path(sync_dialogs.default_folder()) == disk
    monkeypatch.setattr(sync_dialogs, "usb_drives", lambda: [stick])
    assert Path(sync_dialogs.default_folder()) == stick
    sync_dialogs.remember_folder(stick / "七月")  # a folder not made yet: its stick
    (stick / "七月").mkdir()
    sync_dialogs.remember_folder(stick / "七月")
    assert Path(sync_dialogs.default_folder()) == stick / "七月"


def _key_path(db) -> Path:
    from desktop_app.store.models_sync import SyncIdentity

    with db.session() as s:
        return Path(s.get(SyncIdentity, 1).key_path)


def test_a_community_whose_key_file_is_gone_is_pointed_at_its_re_enrol_button(qtbot, community, street_db, tmp_path,
                                                                              wait_ops, monkeypatch, error_boxes):
    enrol(street_db, community.db, tmp_path)
    key = _key_path(community.db)
    key.rename(tmp_path / "别处.dqkey")
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: stick)
    page = page_for(qtbot, community, wait_ops)
    page.export_button.click()
    wait_ops()
    [said] = error_boxes
    assert f"找不到同步私钥文件 {key}" in said and "README" not in said  # a worker has the manual, not the README
    assert "“重新登记…”" in said and page.key_button.text() == "重新登记…"
    assert not list(stick.iterdir())

    # a wrong file put back (the street's, or an old one): the same way out
    (tmp_path / "别处.dqkey").unlink()
    key.write_bytes((tmp_path / "street.dqkey").read_bytes())
    page.export_button.click()
    wait_ops()
    said = error_boxes[-1]
    assert f"私钥文件 {key} 不是本库登记的那一把" in said and "“重新登记…”" in said and "README" not in said
    assert not list(stick.iterdir())


def test_the_street_whose_key_file_is_gone_is_told_to_replace_its_key(community, street_db, tmp_path):
    enrol(street_db, community.db, tmp_path)
    sync.import_package(street_db, sync.export_package(community.db, tmp_path).path)
    (tmp_path / "street.dqkey").rename(tmp_path / "别处.dqkey")
    down = tmp_path / "down"
    down.mkdir()
    with pytest.raises(Conflict) as refused:
        sync.send_all(street_db, down)
    said = str(refused.value)
    assert "找不到同步私钥文件" in said and "“更换密钥…”" in said and "重新登记…" not in said
    assert "README" not in said


def test_the_street_s_figures_per_community_add_up_to_its_total(community, street_db, tmp_path):
    """A member moved into the 双报到 register is out of the street's 党员 card: 各社区 (overview and sync page)
    counted them still, and the communities added up to more than the street."""
    from sqlalchemy import select, update

    from desktop_app.services.cobuilding import reporting
    from desktop_app.services.overview.counts import overview
    from desktop_app.services.uow import UnitOfWork
    from desktop_app.store.models import Member

    with UnitOfWork(community.db) as uow:
        mid = uow.session.scalar(select(Member.id).where(Member.name == "张三"))
        uow.session.execute(update(Member).where(Member.id == mid).values(reporting_employer="区税务局"))
        uow.commit()
    reporting.move_from_roster(community.db, mid)
    enrol(street_db, community.db, tmp_path)
    sync.import_package(street_db, sync.export_package(community.db, tmp_path).path)
    total = overview(street_db)
    [listed] = sync.communities(street_db)
    [counted] = sync.community_counts(street_db)
    assert total.members == 2 == listed.members == counted.members
    assert counted.full_members + counted.probationary == 2


def test_a_stick_pulled_out_after_choosing_its_folder_writes_nothing_and_says_so(
        qtbot, community, street_db, tmp_path, wait_ops, monkeypatch):
    from desktop_app.gui.widgets import common

    enrol(street_db, community.db, tmp_path)
    gone = tmp_path / "U盘" / "报送"  # chosen, then the stick came out
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: gone)
    told = []
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    page = page_for(qtbot, community, wait_ops)
    page.export_button.click()
    wait_ops()
    assert not gone.exists() and not gone.parent.exists()
    assert f"找不到文件夹 {gone}" in told[0] and "什么也没有写出" in told[0] and "“导出数据包…”" in told[0]
    assert sync.sync_state(community.db).last_export is None

    sync.import_package(street_db, sync.export_package(community.db, tmp_path).path)
    (tmp_path / "U盘").mkdir()  # the stick's root still there, its folder not: a file named 报送 was written
    street = page_for(qtbot, AppContext(db=street_db, site=site.get_site(street_db)), wait_ops)
    street.send_all.click()
    wait_ops()
    assert not gone.exists() and "“给全部社区生成下发包…”" in told[-1]


def test_the_street_reads_each_community_s_code_whole(qtbot, street_db, tmp_path, wait_ops, qapp):
    """The send-down's summary says to hand each file out by the 组织代码 in its name: a 12-digit code in the
    各社区 list read 110108003… (the column was cut at 84 pixels)."""
    from desktop_app.gui.app import make_app
    from desktop_app.store.migrate import open_database

    make_app()
    db, _ = open_database(tmp_path / "c.db")
    site.init_site(db, "110108003012", "桂花苑社区党委", "community")
    enrol(street_db, db, tmp_path)
    sync.import_package(street_db, sync.export_package(db, tmp_path).path)
    page = page_for(qtbot, AppContext(db=street_db, site=site.get_site(street_db)), wait_ops)
    view = page.community_view
    page.resize(1366 - 192, 700)  # a common laptop, beside the navigation: every column shows
    qtbot.wait(30)
    col = [c.title for c in page.communities.columns].index("组织代码")
    assert page.communities.data(page.communities.index(0, col)) == "110108003012"
    assert not view.horizontalHeader().isSectionHidden(col)
    assert view.columnWidth(col) >= view.sizeHintForColumn(col), (view.columnWidth(col), view.sizeHintForColumn(col))
    db.dispose()


def test_a_refused_export_does_not_leave_the_last_success_on_the_status_line(
        qtbot, community, street_db, tmp_path, wait_ops, monkeypatch, error_boxes):
    enrol(street_db, community.db, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: stick)
    monkeypatch.setattr(ExportSummaryDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    page = page_for(qtbot, community, wait_ops)
    page.export_button.click()
    wait_ops()
    assert page.message.text().startswith("已生成 1 个数据包")
    _key_path(community.db).unlink()
    page.export_button.click()
    wait_ops()
    assert error_boxes and page.message.text() == ""  # not 已生成… under the refusal
