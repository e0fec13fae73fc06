"""Several packages chosen at once, every one imported before: not "共 0 条记录" but 均已导入过, each with its date."""

from datetime import datetime

from PySide6.QtWidgets import QDialog, QLabel

from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.sync.dialogs import BatchConfirmDialog
from desktop_app.services import sync
from tests.gui.test_sync_gui import _street_ctx, community, page_for, street_db  # noqa: F401 - fixtures
from tests.integration.sync_world import enrol


def _confirmation(qtbot, street_db, wait_ops, monkeypatch, files):
    """The street's several-packages confirmation for `files`, as the 导入 button opens it (left unanswered:
    the dialog answers Rejected)."""
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: list(files))
    seen = []
    monkeypatch.setattr(BatchConfirmDialog, "exec", lambda dlg: seen.append(dlg) or QDialog.DialogCode.Rejected)
    page.import_button.click()
    wait_ops()
    wait_ops()
    (confirm,) = seen
    return confirm


def test_all_imported_before_says_so_with_the_dates(qtbot, community, street_db, wait_ops, tmp_path,  # noqa: F811
                                                    monkeypatch, shot):
    enrol(street_db, community.db, tmp_path)
    first = sync.export_package(community.db, tmp_path / "第一次.dqsync").path
    second = sync.export_package(community.db, tmp_path / "第二次.dqsync").path
    sync.import_packages(street_db, [first, second])
    confirm = _confirmation(qtbot, street_db, wait_ops, monkeypatch, [first, second])
    text = "\n".join(label.text() for label in confirm.findChildren(QLabel))
    assert "均已导入过，无需再导入" in text and "共 0 条记录" not in text
    today = f"{datetime.now():%Y-%m-%d}"
    for path in (first, second):
        assert any(line.startswith(path.name) and today in line and line.endswith("导入") for line in text.splitlines())
    assert not confirm.ok_button.isEnabled() and confirm.ok_button.text() == "无需导入"
    confirm.resize(820, 440)
    confirm.show()
    shot(confirm, "sync_all_imported_before.png")


def test_another_streets_packages_say_whose_they_are(qtbot, community, street_db, wait_ops, tmp_path,  # noqa: F811
                                                      monkeypatch, shot):
    from desktop_app.services import site
    from desktop_app.store.migrate import open_database

    other, _ = open_database(tmp_path / "other.db")
    site.init_site(other, "320199", "别的街道党工委", "street")
    sync.new_key(other, tmp_path / "other.dqkey")
    enrol(other, community.db, tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    sealed = sync.export_package(community.db, usb).path
    plain = sync.export_package(community.db, usb, plain=True).path
    confirm = _confirmation(qtbot, street_db, wait_ops, monkeypatch, [sealed, plain])
    reasons = confirm.reasons.text()
    assert f"{plain.name}：这是“幸福里社区党委”" in reasons and "登记在另一个街道（组织代码 320199）" in reasons
    assert f"{sealed.name}：本库无法读取" in reasons and "交给另一个街道" in reasons
    assert reasons.count("\n详细信息：") == 2 and not confirm.ok_button.isEnabled()
    heads = [label.text() for label in confirm.findChildren(QLabel)]
    assert "选择的 2 个数据包都不能导入，原因写在下面。" in heads and not any("共 0 条" in h for h in heads)
    confirm.resize(820, 520)
    confirm.show()
    shot(confirm, "sync_other_street.png")
    other.dispose()
