"""The window paints its frame before the database opens; pages and their modules come when first shown."""

import hashlib
import json
import os
import subprocess
import sys

from desktop_app.gui.main_window import PAGES, MainWindow

PASSWORD = "frame-test-2026"

FRAME_ONLY = r"""
import json, runpy, sys
from desktop_app.gui import app as gui_app
got = {}


def run(db_path, demo=False):  # the window's start as far as its painted frame
    gui_app.make_app()
    w = gui_app.paint_frame()
    heavy = ("sqlalchemy", "reportlab", "openpyxl", "pypinyin", "qtawesome", "desktop_app.services", "desktop_app.store")
    pages = sorted(m for m in sys.modules if m.startswith("desktop_app.gui.") and m.rsplit(".", 1)[0] in
                   {"desktop_app.gui." + p for p in ("overview", "roster", "orgs", "meetings", "ledger", "cobuilding")})
    got.update(loaded=[m for m in heavy if m in sys.modules], pages=pages, visible=w.isVisible(),
               nav=[w.nav.item(i).text() for i in range(w.nav.count())])
    return 0


gui_app.run = run
sys.argv = ["dangqun"]  # no arguments: the window, as the bundle's shortcut starts it
try:
    runpy.run_module("desktop_app", run_name="__main__")  # the bundle's entry point, through the command line
except SystemExit as exc:
    got["exit"] = exc.code
print(json.dumps(got))
"""


FRAME_FIT = r"""
import enum, gc, json
from desktop_app.gui.app import make_app, paint_frame
from desktop_app.gui.widgets import fit
app = make_app()
w = paint_frame()
fitter_at_paint = getattr(app, "_dialog_fitter", None) is not None
qt_enums = sum(1 for o in gc.get_objects() if isinstance(o, enum.EnumType) and o.__qualname__.startswith("Qt."))
from PySide6.QtWidgets import QDialog
dlg = QDialog()
room = dlg.screen().availableGeometry()
dlg.resize(room.width() + 300, room.height() + 300)
with fit.fitting(app):  # what the start-up dialogs (key, setup, log-in) open in
    dlg.show()
    app.processEvents()
print(json.dumps({"fitter_at_paint": fitter_at_paint, "qt_enums": qt_enums, "maximized": w.isMaximized(),
                  "fits": dlg.width() <= room.width() and dlg.height() <= room.height(),
                  "fitter_after": getattr(app, "_dialog_fitter", None) is not None}))
"""


def test_the_frame_paints_before_qt_namespace_enums_and_the_dialog_filter_and_a_start_up_dialog_still_fits(tmp_path):
    # PySide builds Python enums for all of Qt's namespace on its first use, and the application-wide
    # filter makes it build each event receiver's class: both cost the frame a fifth of its CPU
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DANGQUN_DATA_DIR=str(tmp_path))  # no remembered size
    out = subprocess.run([sys.executable, "-c", FRAME_FIT], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    # the filter leaves with the start-up dialog: the first page builds without it (see the next test)
    assert got == {"fitter_at_paint": False, "qt_enums": 0, "maximized": True, "fits": True, "fitter_after": False}


SEARCHABLE = r"""
import enum, gc, json, sys
from pathlib import Path
from PySide6.QtCore import QEventLoop
from desktop_app.gui.app import make_app, open_context, paint_frame, watch_file
app = make_app()
w = paint_frame()
loop = QEventLoop()
found = []
collected = []
gc.callbacks.append(lambda phase, info: phase == "stop" and not found and collected.append(info["generation"]))
w.page_built.connect(lambda p: p.title == "党员名册" and p.searched.connect(lambda n: (found.append(n), loop.quit())))
w.nav.setCurrentRow(list(w.pages).index("党员名册"))
ctx = open_context(Path(sys.argv[1]), demo=False)
w.attach(ctx)
watch_file(w, ctx.db, print)
if not found:
    loop.exec()
walked = sorted({o.__qualname__.split(".")[0] for o in gc.get_objects() if isinstance(o, enum.EnumType)
                 and o.__qualname__.split(".")[0] in ("QWizard", "QFileDialog", "QMdiArea", "QGraphicsView", "QDockWidget")})
got = {"searched": found == [0], "walked": walked, "collected": collected, "fitter": getattr(app, "_dialog_fitter", None) is not None,
       "kit": [m for m in ("desktop_app.gui.widgets.table", "desktop_app.gui.widgets.forms") if m in sys.modules],
       "after_rows": [m for m in ("desktop_app.gui.release.notes", "desktop_app.services.backup",
                                  "desktop_app.gui.shell.key_dialog") if m in sys.modules]}
from desktop_app.gui import ops
while ops.pending() or getattr(app, "_dialog_fitter", None) is None:
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
got["fitter_later"] = True
w.skip_exit_backup = True
print(json.dumps(got))
"""


def test_the_roster_is_searchable_before_pyside_walks_every_widget_class_or_the_collector_runs_then_dialogs_fit(db):
    # PySide finds the class of an object Qt made (the table's viewport, an event's receiver handed to the
    # dialog filter) by building every widget class's Python type and enums: ~30 ms of the roster's start
    path = db.path
    db.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", SEARCHABLE, str(path)], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    # nor does the collector walk start-up's long-lived objects before the rows (12-14 ms of CPU); the release
    # notes (shown after an upgrade), the backups' service and the key dialog (a plain file) wait too
    assert got == {"searched": True, "walked": [], "collected": [], "fitter": False, "kit": [], "after_rows": [],
                   "fitter_later": True}


def test_the_roster_table_makes_its_viewport_as_qt_does(qapp):
    from PySide6.QtWidgets import QTableView

    from desktop_app.gui.roster.delegate import RosterTable
    from desktop_app.gui.roster.models import ID_ROLE
    from desktop_app.gui.widgets.table import ID_ROLE as KIT_ID_ROLE

    plain = QTableView()

    def seen(view):
        vp = view.viewport()
        return (vp.objectName(), vp.backgroundRole(), vp.autoFillBackground(), vp.focusProxy() is view,
                vp.parent() is view, vp.palette() == plain.viewport().palette())

    ours = RosterTable()
    assert seen(ours) == seen(plain)
    assert ID_ROLE == KIT_ID_ROLE  # the roster's model keeps its own copy of the kit's role


def test_every_page_line_says_what_its_class_says():
    for spec in PAGES:
        cls = spec.load()
        assert (cls.title, cls.icon, getattr(cls, "permission", None)) == (spec.title, spec.icon, spec.permission)
    assert len({spec.title for spec in PAGES}) == len(PAGES)


def test_the_frame_paints_before_sqlalchemy_the_services_or_any_page_module_are_imported(tmp_path):
    # started as the program starts, through the command line: its other commands' modules (services,
    # SQLAlchemy, ~0.4 s of CPU) once loaded before the frame
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DANGQUN_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", FRAME_ONLY], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["exit"] == 0 and got["visible"]
    assert got["nav"] == [spec.title for spec in PAGES]  # the page names are there at once
    assert got["loaded"] == []
    assert got["pages"] == []


def test_a_page_chosen_before_the_database_opens_is_built_once_it_is_open(qtbot, app_ctx, wait_ops):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.pages.built() == {} and w.go_to("党员名册") is None  # nothing is built while the database opens
    built = []
    w.page_built.connect(built.append)
    with qtbot.waitSignal(w.ready):
        w.attach(app_ctx)
    wait_ops()
    page = w.pages.built()["党员名册"]
    assert built == [page] and w.stack.currentWidget() is page
    assert set(w.pages.built()) == {"党员名册"}  # the 概览 the window opens on by default was skipped
    assert "幸福里社区党委" in w.windowTitle() and "幸福里社区党委" in w.site_label.text()
    assert str(app_ctx.db.path) in w.db_label.text()
    w.skip_exit_backup = True


def test_pages_the_account_may_not_use_leave_the_navigation_when_it_opens(qtbot, app_ctx, wait_ops):
    from desktop_app.services import auth

    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD)
    auth.logout(db)
    auth.login(db, "li", PASSWORD)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(len(PAGES) - 1)  # 操作记录, which a secretary may see
    w.attach(app_ctx)
    wait_ops()
    titles = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert "用户管理" not in titles and "用户管理" not in w.pages
    assert titles == list(w.pages) and w.stack.count() == len(titles)
    assert w.stack.currentWidget() is w.pages.built()[titles[w.nav.currentRow()]]
    assert not w.nav.item(0).icon().isNull()  # the icons arrived with the database
    w.skip_exit_backup = True


def test_the_collector_runs_seldom_and_dialogs_wait_to_be_fitted_until_the_first_page_has_its_rows(
        qtbot, qapp, app_ctx, wait_ops):
    import gc

    from desktop_app.gui import app as gui_app
    from desktop_app.gui.widgets import fit

    fit.remove(qapp)  # as at start (another test's window may have installed it)
    usual = gc.get_threshold()
    frame = gui_app.paint_frame()
    qtbot.addWidget(frame)
    assert gc.get_threshold()[0] == usual[0] * gui_app.SELDOM
    frame.nav.setCurrentRow(list(frame.pages).index("党员名册"))
    frame.attach(app_ctx)
    gui_app.watch_file(frame, app_ctx.db, lambda exc: None)  # a handle with no check pending: only the collector
    assert gc.get_threshold()[0] == usual[0] * gui_app.SELDOM  # the roster's reads are still under way
    assert getattr(qapp, "_dialog_fitter", None) is None
    qtbot.waitUntil(lambda: gc.get_threshold() == usual, timeout=10_000)
    assert getattr(qapp, "_dialog_fitter", None) is not None  # every dialog from now on fits the screen
    wait_ops()
    frame.skip_exit_backup = True


def _damaged_after_open(app_ctx):
    """The fixture's file with one table's root page smashed: it opens and its first pages read, the check fails."""
    from tests.integration.test_file_check_gate import _closed, _sha, _smash_root_of

    path = _closed(app_ctx.db)
    _smash_root_of(path, "meeting")
    return path, _sha(path)


def _roster_frame():
    """The painted frame on 党员名册 (whose reads do not touch the smashed table), as a user going there at once."""
    frame = MainWindow()
    frame.nav.setCurrentRow(list(frame.pages).index("党员名册"))
    return frame


def test_the_window_shows_its_page_first_then_checks_the_file_and_reports_the_damage(qtbot, app_ctx, wait_ops):
    from desktop_app.gui import app as gui_app
    from desktop_app.services.database import CorruptDatabase
    from tests.integration.test_file_check_gate import _closed, _sha

    path, before = _damaged_after_open(app_ctx)
    ctx = gui_app.open_context(path, demo=False)  # opens: the check is left for after the first page
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(list(w.pages).index("党员名册"))
    w.attach(ctx)
    reported = []
    gui_app.watch_file(w, ctx.db, reported.append)
    assert ctx.db.gate.problems is None  # the roster's reads go first
    qtbot.waitUntil(lambda: bool(reported), timeout=20_000)
    assert isinstance(reported[0], CorruptDatabase) and reported[0].path == path
    assert "党员名册" in w.pages.built()
    w.skip_exit_backup = True
    _closed(ctx.db)
    assert _sha(path) == before  # the window wrote nothing to the damaged file


def test_damage_met_first_by_an_early_write_is_still_reported(qtbot, app_ctx, wait_ops):
    """A write before the first page's reads settle runs the file's check itself and is refused; the window must
    still offer the damage (and the backup) rather than leave the refusal as the only sign."""
    from desktop_app.gui import app as gui_app
    from desktop_app.services.database import CorruptDatabase
    from tests.integration.test_file_check_gate import _closed

    path, _before = _damaged_after_open(app_ctx)
    ctx = gui_app.open_context(path, demo=False)
    w = _roster_frame()  # a page whose reads do not meet the smashed table
    qtbot.addWidget(w)
    w.show()
    w.attach(ctx)
    assert ctx.db.gate.settle()  # what an early write does: it runs the check, which finds the damage
    reported, then = [], []
    gui_app.watch_file(w, ctx.db, reported.append, lambda: then.append(True))
    qtbot.waitUntil(lambda: bool(reported), timeout=20_000)
    assert isinstance(reported[0], CorruptDatabase) and reported[0].path == path
    assert not then  # nothing that writes at start runs on a damaged file
    w.skip_exit_backup = True
    _closed(ctx.db)


def test_damage_found_after_the_window_opened_offers_the_newest_good_backup_and_reopens(
        qtbot, app_ctx, wait_ops, monkeypatch):
    from desktop_app.gui import app as gui_app
    from desktop_app.gui.users import login_dialog
    from desktop_app.gui.widgets import common
    from desktop_app.services import auth, backup

    good = backup.backup_now(app_ctx.db.path, "manual")
    path, before = _damaged_after_open(app_ctx)
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(login_dialog, "ensure_login", lambda db, **kw: (auth.set_actor(db, auth.OPEN), auth.OPEN)[1])
    keeper = gui_app._WindowKeeper(path)
    keeper.show(gui_app.open_context(path, demo=False), auth.OPEN, _roster_frame())
    first = keeper.window  # closed and deleted by the reopen
    qtbot.waitUntil(lambda: keeper.window is not first, timeout=20_000)  # damage found, restored, reopened
    qtbot.addWidget(keeper.window)
    assert asked and "损坏" in asked[0]
    assert keeper.window.ctx.site.org_name == "幸福里社区党委"
    kept = [p for p in path.parent.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and hashlib.sha256(kept[0].read_bytes()).hexdigest() == before  # kept, untouched
    wal = kept[0].with_name(kept[0].name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # and no write waits in its log either
    assert keeper.window.ctx.db.gate.settle() == []  # the restored file passes
    assert good.exists()
    wait_ops()
    keeper.window.skip_exit_backup = True


def test_with_accounts_the_file_is_checked_before_the_log_in_writes_and_damage_offers_the_backup(
        app_ctx, monkeypatch):
    from desktop_app.gui import app as gui_app
    from desktop_app.gui.widgets import common
    from desktop_app.services import auth, backup

    auth.create_first_admin(app_ctx.db, "admin", "王书记", "frame-test-2026")
    good = backup.backup_now(app_ctx.db.path, "manual")
    path, before = _damaged_after_open(app_ctx)
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    ctx = gui_app._open_or_recover(path, demo=False)  # what `dangqun gui` does before the log-in dialog
    assert asked and "损坏" in asked[0]  # the damage was met here, where a backup can be offered
    assert ctx.start.has_users and ctx.db.gate.settle() == []  # the restored file
    kept = [p for p in path.parent.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and hashlib.sha256(kept[0].read_bytes()).hexdigest() == before
    assert good.exists()
    ctx.db.dispose()


def test_damage_found_without_a_good_backup_closes_the_window_saying_why(qtbot, app_ctx, wait_ops, monkeypatch):
    from desktop_app.gui import app as gui_app
    from desktop_app.services import auth, backup

    path, before = _damaged_after_open(app_ctx)
    told = []
    monkeypatch.setattr(gui_app.QMessageBox, "critical", lambda parent, title, text: told.append(text))
    keeper = gui_app._WindowKeeper(path)
    keeper.show(gui_app.open_context(path, demo=False), auth.OPEN, _roster_frame())
    qtbot.addWidget(keeper.window)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "已损坏" in told[0] and not keeper.window.isVisible()
    assert keeper.window.skip_exit_backup  # a damaged file is never copied over the backups
    wait_ops()
    assert [b for b in backup.list_backups(path.stem) if b.kind == "exit"] == []
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


SOURCE_SCAN = r"""
import inspect, json, sys
from desktop_app.gui.app import make_app
app = make_app()
read = []
real = inspect.getsource
inspect.getsource = lambda obj: read.append(getattr(obj, "__name__", "?")) or real(obj)
import desktop_app.services.startup, desktop_app.views.roster
print(json.dumps({"read": read, "imported": "desktop_app.views.roster" in sys.modules}))
"""


def test_modules_imported_after_the_app_starts_are_not_read_as_source():
    # PySide6 reads each new module's source for `from __feature__ import ...`, which the program never uses;
    # the bundle ships no sources, so there it already finds nothing
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", SOURCE_SCAN], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"read": [], "imported": True}


STARTED = r"""
import json, sys
from pathlib import Path
from desktop_app.gui.app import make_app, open_context, paint_frame
app = make_app()
w = paint_frame()
w.nav.setCurrentRow(list(w.pages).index("党员名册"))
w.attach(open_context(Path(sys.argv[1]), demo=False))
w.skip_exit_backup = True
print(json.dumps([m for m in sys.argv[2:] if m in sys.modules]))
"""


def test_the_window_opened_on_the_roster_leaves_the_menus_dialogs_icon_library_and_sync_tables_unloaded(db):
    path = db.path
    db.dispose()
    later = ["qtawesome", "qtpy", "sqlalchemy.dialects.postgresql", "desktop_app.store.models_sync",
             "desktop_app.gui.users.login_dialog", "desktop_app.gui.settings.dialog", "desktop_app.gui.release.manual",
             "desktop_app.domain.sync_rules", "desktop_app.domain.service_flow"]  # a refusal's labels; paper numbers
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", STARTED, str(path), *later], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


ROSTER_ONLY = r"""
import json, sys
import desktop_app.gui.roster.page
print(json.dumps([m for m in ("reportlab", "openpyxl", "desktop_app.services.memberlife", "desktop_app.store.models_cobuilding",
                              "desktop_app.gui.memberlife.member", "desktop_app.services.cobuilding") if m in sys.modules]))
"""


def test_the_roster_page_opens_without_printing_member_life_or_cobuilding_modules():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", ROSTER_ONLY], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_painted_frame_comes_back_at_the_size_and_place_it_was_left(qtbot, qapp):
    from desktop_app.gui.widgets import memory

    first = MainWindow(shown=True)  # as paint_frame makes it
    qtbot.addWidget(first)
    assert first.isVisible() and first.isMaximized()  # nothing remembered yet (a fresh data folder)
    first.showNormal()
    first.setGeometry(30, 40, 700, 560)  # the offscreen screen is 800 wide
    memory.save_window(first)
    again = MainWindow(shown=True)
    qtbot.addWidget(again)
    assert again.isVisible() and not again.isMaximized()
    assert (again.geometry().width(), again.geometry().height()) == (700, 560)
