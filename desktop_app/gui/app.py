"""Start the program: application, fonts, error handling, database, first-run dialog, window.

Everything the window needs from the database (site, whether accounts exist, the
idle-lock time) is read in one service call, `startup.start_state`, before the
window is built; that call and the opening run off the GUI thread, because on a
reopen (after a restore, or another account) a window is already on screen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.gui.errors import install_excepthook, plain_message, setup_logging
from desktop_app.settings import resource_path

log = logging.getLogger(__name__)


def _skip_feature_scan() -> None:
    """Spare PySide's scan of every module imported after it (~80 ms of CPU at start in an installed checkout).

    PySide6 reads the source of each newly imported module to see whether it says
    "PySide6", so that `from __feature__ import snake_case` could apply to it. The
    program uses no __feature__ switch; in the bundle (no sources) the scan already
    finds nothing for every module, which is what this makes it answer everywhere.
    """
    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda module: False


def make_app(argv: list[str] | None = None) -> QApplication:
    _skip_feature_scan()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    from desktop_app.gui.fonts import ensure_cjk_font
    from desktop_app.gui.translations import install_translations

    install_translations(app)  # Qt's own buttons and dialogs in Chinese
    ensure_cjk_font(app)
    qss = resource_path("style.qss")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    return app


def _fitting():
    """A dialog before the first page has its rows fits the screen (gui.widgets.fit: the filter waits for those rows)."""
    from desktop_app.gui.widgets import fit

    return fit.fitting(QApplication.instance())


def _with_progress(label: str | None, fn):
    """Run fn(job) off the GUI thread (behind a progress dialog when labelled), waiting for it here."""
    from PySide6.QtCore import QEventLoop

    from desktop_app.gui.ops import run_op

    loop = QEventLoop()
    box: dict = {}
    run_op(
        None, fn,
        lambda result: (box.setdefault("result", result), loop.quit()),
        lambda exc: (box.setdefault("error", exc), loop.quit()),
        label=label,
    )
    loop.exec()
    if "error" in box:
        raise box["error"]
    return box.get("result")


def _make_demo(db, members: int) -> None:
    from desktop_app.services import demo as demo_service

    _with_progress(
        "正在生成演示数据（党员、会议、走访、经费……）",
        lambda job: demo_service.generate(db, members=members, seed=1, progress=job.report),
    )


_typed_keys: dict[str, str] = {}  # database path -> the key typed for it: a reopen after a restore asks no more


def _key_for(db_path: Path) -> str | None:
    """None when the file is plain, new, damaged, or DANGQUN_DB_KEY or the stored key opens it; else the key
    the user types (KeyProblem after three wrong ones or a cancel: the window cannot open without it)."""
    from desktop_app.services.database import KeyProblem, damaged, default_key, opens_with

    path = Path(db_path)
    if not path.is_file() or opens_with(path, None) or damaged(path):
        # a plain file, a new one, a server's URL, or a damaged file (reported by the check that follows);
        # a plain file is not checked here: that is the background step's (quicker) check
        return None
    typed = _typed_keys.get(str(path))
    if typed and opens_with(path, typed):
        return typed
    if opens_with(path, default_key(path)):
        return None  # plain, or the environment's / the operating system's key opens it
    from desktop_app.gui.shell.key_dialog import TRIES, ask_key  # only for a file that asks its key

    with _fitting():
        key, wrong = ask_key(None, path, lambda k: opens_with(path, k))
    if key is None:
        raise KeyProblem(
            f"密钥已输错 {TRIES} 次，数据库没有打开，也没有被改动。请找到设置加密时打印的密钥单后再试。" if wrong
            else "没有输入密钥：加密的数据库不能打开。数据库没有被改动。")
    _typed_keys[str(path)] = key
    return key


def _load_services(job=None) -> None:
    """Import what opening the database needs (SQLAlchemy, the services): in the background, behind a painted frame.

    Not the backups' service: a damaged file, the daily copy and the menus load it, after the first rows."""
    import desktop_app.gui.widgets.page  # noqa: F401
    import desktop_app.services.startup  # noqa: F401


def _open_and_read(db_path: Path):
    """Open (upgrading) and read the start state: one background step, so a window already open (a
    reopen after a restore or a change of account, or the frame painted at start) never waits.

    The file's check is left for after the first page (watch_file); writes wait for it meanwhile."""
    _with_progress(None, _load_services)
    from desktop_app.services.startup import open_for_window

    key = _key_for(db_path)  # asked here, on the GUI thread, before the background step
    return _with_progress("正在打开数据库……", lambda job: open_for_window(db_path, key))


def watch_file(window, db, on_damaged, then: Callable[[], None] | None = None) -> None:
    """Run the file's check once the window's first reads have delivered; on_damaged(CorruptDatabase) if it fails,
    else `then()` (work that writes at start: its write must not be the one that meets the damage, unreported).

    Then too the garbage collector goes back to its usual pace (_collect_seldom), and every dialog
    is fitted to the screen from then on (gui.widgets.fit).

    The check reads the whole file (a quarter of a second of CPU at 3,000 members):
    run before the first page, it delayed the roster by as much. Until it has passed,
    every write waits for it (store.db.WriteGate); a write that comes first runs it.
    """
    from PySide6.QtCore import QElapsedTimer, QTimer

    from desktop_app.gui import ops
    from desktop_app.gui.widgets import fit
    from desktop_app.services.database import CorruptDatabase

    gate = db.gate
    since = QElapsedTimer()
    since.start()
    timer = QTimer(window)
    timer.setInterval(30)

    def start() -> None:
        if ops.pending() and since.elapsed() < 3000:
            return  # the first page's reads first (at most 3 s: a slow read must not put the check off)
        timer.stop()
        timer.deleteLater()
        _collect_as_usual()
        fit.install(QApplication.instance())
        window.first_rows_shown()  # the upgrade's notes, once, after the rows
        if gate is not None and gate.problems:
            # An early write ran the check and was refused: that refusal alone would not offer the backup.
            on_damaged(CorruptDatabase(db.path, gate.problems))
            return
        if gate is None or gate.problems is not None:
            if then is not None:
                then()
            return  # nothing to check (a new file, a server's database), or a write ran the check already

        def checked(problems: list[str]) -> None:
            if problems:
                on_damaged(CorruptDatabase(db.path, problems))
            elif then is not None:
                then()

        ops.run_op(window, lambda job: gate.settle(), checked,
                   lambda exc: log.error("file check failed to run: %s", exc))

    timer.timeout.connect(start)
    timer.start()


def open_context(db_path: Path, demo: bool, parent=None, ask_setup=None):
    """Open the database, set up the site on first start; None if the user backed out."""
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import site as site_service
    from desktop_app.services.startup import start_state

    db, backup, state = _open_and_read(db_path)
    if backup:
        log.info("database upgraded; copy before upgrade at %s", backup)
    if state.site is None and demo:
        _make_demo(db, 300)
        state = _with_progress(None, lambda job: start_state(db))
    if state.site is None:
        from desktop_app.gui.shell.setup import SetupDialog

        dlg = SetupDialog(parent)
        if ask_setup is not None:
            ask_setup(dlg)
        else:
            with _fitting():
                if dlg.exec() != SetupDialog.DialogCode.Accepted:
                    return None
        if dlg.choice == "demo":
            _make_demo(db, dlg.demo_members)
        else:
            values = dlg.values
            _with_progress(None, lambda job: site_service.init_site(db, **values))
        state = _with_progress(None, lambda job: start_state(db))
    return AppContext(db=db, site=state.site, start=state)


def _recovered(db_path: Path, exc, parent=None) -> bool:
    """Offer the newest good backup for a damaged file; True once it has replaced the file."""
    from desktop_app.gui.widgets import common
    from desktop_app.services import backup

    log.error("corrupt database %s: %s", db_path, exc.problems)
    good = backup.newest_good(db_path.stem)
    if good is None:
        return False
    question = (
        f"{exc}\n\n找到 {good.taken_at:%Y-%m-%d %H:%M} 的完好备份（{good.kind_label}）。"
        "是否用它恢复？损坏的文件会另外保留。"
    )
    with _fitting():
        if not common.ask(parent, "数据库已损坏", question):
            return False
    # the service re-checks the damage and the backup, keeps the damaged file and audits in the restored file
    backup.recover_damaged(db_path, good.path, _typed_keys.get(str(db_path)))
    return True


def _open_or_recover(db_path: Path, demo: bool):
    """open_context, offering the newest good backup when the file is damaged.

    With accounts, the log-in that follows writes at once: the file is checked first,
    so that damage is met here, where the backup is offered, not in the log-in dialog.
    """
    from desktop_app.services.database import CorruptDatabase

    ctx = None
    try:
        ctx = open_context(db_path, demo)
        gate = ctx.db.gate if ctx is not None else None
        if gate is not None and ctx.start.has_users:
            _with_progress(None, lambda job: gate.require())
        return ctx
    except CorruptDatabase as exc:
        if ctx is not None:
            ctx.db.dispose()  # let go of the file before a restore replaces it
        if not _recovered(db_path, exc):
            raise
        return open_context(db_path, demo)


class _WindowKeeper:
    """Keeps the current main window; a restore from backup opens a fresh one."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.window = None

    def show(self, ctx, who, frame=None) -> None:
        """Open the window for `who` (the actor ensure_login returned); everything it needs was read before.

        `frame`: the window painted at start before the database opened, which now gets it.
        """
        from desktop_app.gui.main_window import MainWindow
        from desktop_app.gui.ops import run_op

        from desktop_app.gui.idle_lock import IdleLock

        old = self.window
        if frame is not None and old is None:
            self.window = frame
            frame.attach(ctx)
        else:
            self.window = MainWindow(ctx)
        self.window.reopen_requested.connect(self.reopen)
        self.window.logout_requested.connect(self.logout)
        self.window.show()
        self.idle = IdleLock(ctx.db, ctx.start.idle_minutes, org_name=ctx.site.org_name, parent=self.window)
        self.window.lock_requested.connect(self.idle.lock_now)
        self.idle.may_switch = self.window.let_another_in  # another account unlocking drops typed work: ask
        self.idle.may_quit = self.window.let_locked_quit  # 退出程序 under the lock: no one to save it
        self.idle.unlocked.connect(
            lambda actor: None if who is None or actor.user_id == who.user_id
            else self.reopen(login=False, actor=actor)
        )
        self.idle.quit_requested.connect(self.window.close)
        # the file's check, once the first page is shown; then the one-time repair of planned meetings' lists
        watch_file(self.window, ctx.db, self.damaged, lambda: self.repair_planned(ctx.db))
        if old is not None:
            old.skip_exit_backup = True
            old.close()
            old.deleteLater()
        path = ctx.db.path
        if path is not None:
            def daily(job):
                from desktop_app.services import backup  # in the background: not before the first rows

                if backup.daily_due(path.stem):
                    return backup.backup_now(path, "daily")
                return None

            run_op(self.window, daily, lambda p: p and log.info("daily backup %s", p),
                   lambda exc: log.error("daily backup failed: %s", exc))

    def repair_planned(self, db) -> None:
        """Lists made before planned meetings followed the roster: repaired once per database, by whoever may."""
        from desktop_app.gui.ops import run_op
        from desktop_app.services import planned_repair

        def repair(job):
            if not planned_repair.due(db):
                return None
            from desktop_app.services.meetings import planned

            return planned.repair_once(db)

        def repaired(n) -> None:
            if n:  # pages showing meetings refresh; an open with nothing to repair refreshes nothing
                log.info("planned meetings' 应到 repaired: %s rows", n)
                from desktop_app.gui.bus import bus
                from desktop_app.views.changes import Change

                bus.announce(Change.MEETINGS)

        run_op(self.window, repair, repaired, lambda exc: log.error("planned meetings' 应到 repair failed: %s", exc))

    def damaged(self, exc) -> None:
        """The file failed its check after the window opened (nothing was written: writes waited for the
        check): offer the newest good backup and reopen on it, or close the window saying why."""
        window = self.window
        window.ctx.db.dispose()  # let go of the file before a restore replaces it
        try:
            if _recovered(self.db_path, exc, window):
                self.reopen(login=True)
                return
        except Exception as failed:  # noqa: BLE001 - the restore's own reason goes to the user
            exc = failed
        window.skip_exit_backup = True  # never copy a damaged file over a good backup
        QMessageBox.critical(window, APP_NAME, cannot_open(self.db_path, exc))
        window.close()

    def reopen(self, login: bool = True, actor=None) -> None:
        """Open the database afresh (after a restore, or for `actor`, another account that unlocked)."""
        from desktop_app.gui.users.login_dialog import ensure_login
        from desktop_app.services import auth

        ctx = open_context(self.db_path, demo=False)
        if ctx is None:
            return
        if login:
            with _fitting():
                actor = ensure_login(ctx.db, org_name=ctx.site.org_name, has_users=ctx.start.has_users)
            if actor is None:
                if self.window is not None:
                    self.window.close()
                return
        else:
            auth.set_actor(ctx.db, actor)  # who unlocked acts on the fresh handle too
        self.show(ctx, actor)

    def logout(self) -> None:
        from desktop_app.gui.errors import show_error
        from desktop_app.gui.ops import run_op
        from desktop_app.services import auth

        if not self.window.keep_typed_work("注销"):
            return
        db = self.window.ctx.db
        self.window.hide()
        run_op(None, lambda job: auth.logout(db), lambda _: self.reopen(login=True),
               lambda exc: (self.window.show(), show_error(self.window, exc)))


def run(db_path: Path, demo: bool = False) -> int:
    app = make_app()
    install_excepthook()
    from desktop_app.gui.smoke import arm  # no-op unless DANGQUN_SMOKE is set (bundle check)

    arm(app)
    frame = paint_frame()
    setup_logging()
    try:
        _with_progress(None, _load_services)
        from desktop_app.services.database import claim_for_window  # alone on the file: see store/filelock.py

        ctx = _open_or_recover(claim_for_window(db_path), demo)
    except Exception as exc:  # the window never opened: tell the user why
        log.exception("cannot open %s", db_path)
        frame.hide()
        with _fitting():
            QMessageBox.critical(None, APP_NAME, cannot_open(db_path, exc))
        return 2
    if ctx is None:
        return 0
    from desktop_app.gui.users.login_dialog import ensure_login

    with _fitting():  # the filter leaves after the log-in: the first page builds without it
        who = ensure_login(ctx.db, org_name=ctx.site.org_name, has_users=ctx.start.has_users)
    if who is None:
        return 0
    keeper = _WindowKeeper(db_path)
    keeper.show(ctx, who, frame)
    return app.exec()


_usual_thresholds: tuple[int, ...] | None = None
SELDOM = 1000  # a first-run demo or a slow start still collects, every 700,000 objects made


def _collect_seldom() -> None:
    """Until the first page has its rows, run the cyclic garbage collector a thousandth as often.

    Start-up makes hundreds of thousands of objects that live as long as the program
    (modules, classes, tables, mappers): the collector walked them about 200 times
    before the roster was searchable, for ~60 ms of CPU, and found almost nothing.
    At a hundredth as often it still walked them once between the frame and the
    roster's rows (12-14 ms of CPU); now that walk comes after the rows.
    """
    import gc

    global _usual_thresholds
    if _usual_thresholds is None:
        _usual_thresholds = gc.get_threshold()
        gc.set_threshold(max(_usual_thresholds[0], 1) * SELDOM, *_usual_thresholds[1:])


def _collect_as_usual() -> None:
    import gc

    global _usual_thresholds
    if _usual_thresholds is not None:
        gc.set_threshold(*_usual_thresholds)
        _usual_thresholds = None


def cannot_open(db_path, exc: BaseException) -> str:
    """Why the database did not open, naming it once, a server's address without its password."""
    from desktop_app.services.database import is_server_url, shown_url

    where = shown_url(str(db_path)) if is_server_url(str(db_path)) else str(db_path)
    said = plain_message(exc)
    return f"无法打开数据库：\n{said}" if where in said else f"无法打开数据库 {where}：\n{said}"


def paint_frame():
    """The main window's frame (navigation, menus, status bar), painted before the database is opened.

    Nothing heavy is imported yet: the user sees the program at once, and the
    database, the login and the first page follow into the same window
    (watch_file, once that page has its rows, puts the garbage collector back to usual
    and installs the filter that fits dialogs to the screen).
    """
    from desktop_app.gui.main_window import MainWindow

    _collect_seldom()
    frame = MainWindow(shown=True)
    QApplication.processEvents()
    return frame
