"""The menu's restore goes through the service: administrators only, audited, a bad file refused untouched."""

import pytest
from sqlalchemy import select

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.shell import backup_dialog
from desktop_app.gui.shell.backup_dialog import RestoreDialog
from desktop_app.gui.widgets import common
from desktop_app.services import auth, backup, orgs, roster
from desktop_app.settings import backup_dir
from desktop_app.store.models_access import AuditEntry

pytestmark = pytest.mark.sqlite_only
PASSWORD = "admin-pass-1"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


@pytest.fixture
def town(app_ctx):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.create_user(db, "sec", "赵委员", "secretary", "secretary-1", must_change_password=False)
    auth.login(db, "admin", PASSWORD)
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    return app_ctx


def _window(qtbot, ctx, wait_ops, monkeypatch, pick: str):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    wait_ops()

    def choose(self):
        row = next(i for i, b in enumerate(self.backups) if b.path.name == pick)
        self.table.selectRow(row)
        self.accept()
        return self.result()

    monkeypatch.setattr(RestoreDialog, "exec", choose)
    monkeypatch.setattr(common, "ask", lambda *a: True)
    return w


def _names(db):
    return {n.name for n in orgs.list_tree(db)}


def _restores(db):
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "restore")))


def test_a_non_administrator_is_refused_by_the_service_not_only_by_the_menu(
        qtbot, town, wait_ops, monkeypatch, error_boxes):
    db = town.db
    good = backup.backup_now(db.path, "manual")
    orgs.create(db, "误建的支部", "32010200199", "branch", roster.root_org_id(db))
    auth.login(db, "sec", "secretary-1")
    w = _window(qtbot, town, wait_ops, monkeypatch, good.name)
    emitted = []
    w.reopen_requested.connect(lambda: emitted.append(True))
    w.restore_backup()  # as if the disabled menu entry were reached anyway
    assert error_boxes and "只有管理员" in error_boxes[0]
    assert not emitted
    auth.login(db, "admin", PASSWORD)
    assert "误建的支部" in _names(db) and _restores(db) == []


def test_an_administrators_restore_is_audited_and_lists_the_copy_kept_beside_the_database(
        qtbot, town, wait_ops, monkeypatch):
    db = town.db
    good = backup.backup_now(db.path, "manual")
    orgs.create(db, "误建的支部", "32010200199", "branch", roster.root_org_id(db))
    w = _window(qtbot, town, wait_ops, monkeypatch, good.name)
    with qtbot.waitSignal(w.reopen_requested, timeout=5000):
        w.restore_backup()  # an error box would fail the test (tests/gui/conftest.py)
    auth.login(db, "admin", PASSWORD)
    assert "误建的支部" not in _names(db)
    [entry] = _restores(db)
    assert entry.user_name == "王管理" and good.name in entry.note + entry.after_json + entry.label
    # the before-restore copy sits beside the database (outside the data folder) and the list offers it
    assert db.path.parent.resolve() != backup_dir().resolve()
    kinds = {b.kind: b for b in backup_dialog.restore_choices(db.path)}
    assert "before-restore" in kinds and kinds["before-restore"].path.parent == db.path.parent


def test_a_bad_backup_file_is_refused_with_the_data_untouched(qtbot, town, wait_ops, monkeypatch, error_boxes):
    db = town.db
    bad = backup_dir() / f"{db.path.stem}-20260101-080000-manual.db"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 500)
    orgs.create(db, "保留的支部", "32010200198", "branch", roster.root_org_id(db))
    w = _window(qtbot, town, wait_ops, monkeypatch, bad.name)
    emitted = []
    w.reopen_requested.connect(lambda: emitted.append(True))
    w.restore_backup()
    assert error_boxes and ("不可用" in error_boxes[0] or "校验失败" in error_boxes[0])
    assert not emitted
    auth.login(db, "admin", PASSWORD)
    assert "保留的支部" in _names(db) and _restores(db) == []
