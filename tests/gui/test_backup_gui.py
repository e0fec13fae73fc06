"""Backups from the window: on exit, on demand, restore with confirmation, recovery on start."""

from desktop_app.gui import app as gui_app
from desktop_app.gui.widgets import common
from desktop_app.gui.shell.backup_dialog import RestoreDialog
from desktop_app.gui.main_window import MainWindow
from desktop_app.services import backup, orgs
from tests.integration.test_backup_recover import _damage


def test_closing_the_window_makes_an_exit_backup(qtbot, app_ctx):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    stem = app_ctx.db.path.stem
    assert backup.list_backups(stem) == []
    w.close()
    kinds = [b.kind for b in backup.list_backups(stem)]
    assert kinds == ["exit"]


def test_restore_from_the_menu_replaces_the_data_and_reopens(qtbot, app_ctx, wait_ops, monkeypatch, qtmodeltester):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    good = backup.backup_now(db.path, "manual")
    orgs.create(db, "误建的支部", "B02", "branch", c.id)

    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    wait_ops()

    def pick_first(self):
        qtmodeltester.check(self.table.model())
        assert self.model.rowCount() == 1 and self.model.index(0, 1).data() == "手动"
        self.table.selectRow(0)
        self.accept()
        return self.result()

    monkeypatch.setattr(RestoreDialog, "exec", pick_first)
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda _parent, _title, text: asked.append(text) and False)
    w.restore_backup()
    assert any(n.name == "误建的支部" for n in orgs.list_tree(db))  # said no: nothing changed
    # the question says what is lost (what was entered since) and where it is kept
    assert "备份之后录入和修改的内容会全部撤掉" in asked[0] and "“恢复前”备份" in asked[0]

    monkeypatch.setattr(common, "ask", lambda *a: True)
    with qtbot.waitSignal(w.reopen_requested, timeout=5000):
        w.restore_backup()
    reopened = gui_app.open_context(db.path, demo=False)
    names = [n.name for n in orgs.list_tree(reopened.db)]
    assert "第一网格党支部" in names and "误建的支部" not in names
    # the copy of the replaced data sits beside the database it replaced (here not in the data folder)
    assert any(b.kind == "before-restore" for b in backup.list_backups(db.path.stem, db.path.parent))
    assert good.exists()


def test_a_damaged_database_is_offered_its_newest_good_backup(app_ctx, monkeypatch):
    db = app_ctx.db
    good = backup.backup_now(db.path, "manual")
    _damage(db)
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    ctx = gui_app._open_or_recover(db.path, demo=False)
    assert asked and "损坏" in asked[0]
    assert ctx.site.org_name == "幸福里社区党委"
    assert good.exists()


def test_start_up_recovery_goes_through_the_service_and_is_audited_in_the_restored_file(app_ctx, monkeypatch):
    from sqlalchemy import select

    from desktop_app.store.models_access import AuditEntry

    db = app_ctx.db
    good = backup.backup_now(db.path, "manual")
    damaged = _damage(db)
    called = []
    real = backup.recover_damaged
    monkeypatch.setattr(backup, "recover_damaged", lambda *a, **k: called.append(a) or real(*a, **k))
    monkeypatch.setattr(common, "ask", lambda *a: True)
    ctx = gui_app._open_or_recover(db.path, demo=False)
    assert called and called[0][1] == good
    with ctx.db.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "restore")).all()
    assert "启动时发现数据库损坏" in entry.note and good.name in entry.note
    kept = [p for p in db.path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged  # the damaged file is kept, never destroyed
    ctx.db.dispose()
