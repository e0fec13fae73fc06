"""After an upgrade the window shows the 更新说明 once; 帮助 → 更新说明 shows them on demand."""

from __future__ import annotations

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.release import notes as notes_gui
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site
from desktop_app.services.database import open_database
from desktop_app.store import migrate
from desktop_app.store.db import Database


def test_notes_show_once_after_an_upgrade(qtbot, qapp, wait_ops, tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    old = Database.at(path)
    migrate.upgrade(old, "0008")
    old.dispose()
    db, backup = open_database(path)
    assert backup is not None
    info = site.init_site(db, "320102001", "幸福里社区党委", "community")
    shown: list[str] = []

    def fake_exec(dlg):
        shown.append(dlg.text.toPlainText())
        return 1

    monkeypatch.setattr(notes_gui.NotesDialog, "exec", fake_exec)
    for _ in range(2):  # the second window (a later start) owes nothing
        w = MainWindow(AppContext(db=db, site=info))
        qtbot.addWidget(w)
        w.show()
        wait_ops()
        w.first_rows_shown()  # what gui.app.watch_file calls once the first page has its rows
        qtbot.wait(50)
        wait_ops()
        w.skip_exit_backup = True
        w.close()
    assert len(shown) == 1
    assert "0.2.0" in shown[0]

    notes_gui.show_changelog(w, db)
    wait_ops()
    assert len(shown) == 2 and "0.1.0" in shown[1]
    db.dispose()
