"""The main window is a frame: navigation on the left, pages on the right."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QStackedWidget,
    QWidget,
)

from desktop_app import APP_NAME, __version__
from desktop_app.gui import icons
from desktop_app.gui.widgets import common
from desktop_app.gui.shell.backup_dialog import MirrorDialog, RestoreDialog
from desktop_app.gui.users.login_dialog import change_own_password
from desktop_app.gui.errors import show_error
from desktop_app.gui.settings.dialog import open_settings
from desktop_app.gui.release.notes import show_changelog, show_pending_notes
from desktop_app.gui.release.manual import open_manual
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.meetings.compliance import CompliancePage
from desktop_app.gui.dues.page import DuesPage
from desktop_app.gui.development.page import DevelopmentPage
from desktop_app.gui.transfers.page import TransfersPage
from desktop_app.gui.memberlife.page import MemberLifePage
from desktop_app.gui.memberlife.floating_page import FloatingPage
from desktop_app.gui.audit.page import AuditPage
from desktop_app.gui.meetings.evaluations import EvaluationsPage
from desktop_app.gui.assessment.page import AssessmentPage
from desktop_app.gui.ledger.page import LedgerPage
from desktop_app.gui.mediation.page import MediationPage
from desktop_app.gui.meetings.page import MeetingsPage
from desktop_app.gui.orgs.page import OrgsPage
from desktop_app.gui.overview.page import OverviewPage
from desktop_app.gui.projects.page import ProjectsPage
from desktop_app.gui.residents.page import ResidentsPage
from desktop_app.gui.roster.page import RosterPage
from desktop_app.gui.sync.page import SyncPage
from desktop_app.gui.imports.page import ImportsPage
from desktop_app.gui.users.page import UsersPage
from desktop_app.gui.visits.page import VisitsPage
from desktop_app.gui.wishes.page import WishesPage
from desktop_app.gui.cobuilding.units import UnitsPage
from desktop_app.gui.cobuilding.activities import ActivitiesPage
from desktop_app.gui.cobuilding.reporting import ReportingPage
from desktop_app.gui.cobuilding.care import CarePage
from desktop_app.gui.cobuilding.contacts import ContactsPage
from desktop_app.gui.cobuilding.pairing import PairingPage
from desktop_app.gui.cobuilding.lists import ListsPage
from desktop_app.gui.cobuilding.joint import JointPage
from desktop_app.gui.cobuilding.inquiries import InquiriesPage
from desktop_app.gui.cobuilding.unit_reports import UnitReportsPage
from desktop_app.services import auth, backup, database
from desktop_app.settings import Settings, data_dir, log_dir

# Only modules that really work are listed.
PAGES: list[type[Page]] = [
    OverviewPage, OrgsPage, RosterPage, DevelopmentPage, TransfersPage, MemberLifePage, FloatingPage, MeetingsPage, CompliancePage, EvaluationsPage, AssessmentPage,
    ResidentsPage, VisitsPage, WishesPage, ProjectsPage, MediationPage,
    UnitsPage, ActivitiesPage, ReportingPage, UnitReportsPage, PairingPage, InquiriesPage, ListsPage, JointPage, CarePage, ContactsPage, LedgerPage, DuesPage,
    ImportsPage, SyncPage, UsersPage, AuditPage,
]


class MainWindow(QMainWindow):
    reopen_requested = Signal()  # the database file was replaced (restore): open it afresh
    lock_requested = Signal()
    logout_requested = Signal()

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.skip_exit_backup = False
        self.setWindowTitle(f"{APP_NAME} — {ctx.site.org_name}")
        self.resize(1200, 760)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages = LazyPages(self)
        for cls in PAGES:
            needed = getattr(cls, "permission", None)
            if needed and not auth.can(ctx.db, needed):
                continue  # pages the current account may not use are not shown at all
            self.pages.add(cls)
            item = QListWidgetItem(icons.get(cls.icon, icons.NAV), cls.title)
            item.setSizeHint(QSize(150, 40))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.pages.show_row)

        body = QWidget()
        lay = QHBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self._build_menus()
        db_file = str(ctx.db.path) if ctx.db.path else database.shown_url(ctx.db.url)
        self.site_label = QLabel(f"{ctx.site.org_name}（{ctx.site.level_label}）")
        self.db_label = QLabel(f"数据库：{db_file}")
        actor = auth.current_actor(ctx.db)
        self.user_label = QLabel(f"当前用户：{actor.name}（{actor.role_label}）" if actor and actor.user_id else "")
        self.statusBar().addWidget(self.site_label)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.nav.setCurrentRow(0)
        from desktop_app.gui.widgets import memory  # size, place and column widths of the last session

        memory.restore_window(self)  # each page's column widths are applied when it is built
        from desktop_app.gui.widgets.outside import OutsideChanges

        self.outside = OutsideChanges(ctx.db.path, self)  # a package imported from the command line shows

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        act_data = QAction(icons.get("open"), "打开数据文件夹", self)
        act_data.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir()))))
        act_quit = QAction(icons.get("quit"), "退出", self)
        act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        act_quit.triggered.connect(self.close)
        act_backup = QAction(icons.get("backup"), "立即备份", self)
        act_backup.triggered.connect(self.backup_now)
        act_restore = QAction(icons.get("restore"), "从备份恢复…", self)
        act_restore.triggered.connect(self.restore_backup)
        act_mirror = QAction(icons.get("settings"), "备份设置…", self)
        act_mirror.triggered.connect(self.backup_settings)
        file_menu.addAction(act_data)
        file_menu.addSeparator()
        file_menu.addAction(act_backup)
        act_restore.setEnabled(auth.can(self.ctx.db, "backup.restore"))
        file_menu.addAction(act_restore)
        act_restore_file = QAction(icons.get("restore"), "从文件恢复…", self)
        act_restore_file.triggered.connect(self.restore_from_file)
        act_restore_file.setEnabled(act_restore.isEnabled())
        file_menu.addAction(act_restore_file)
        file_menu.addAction(act_mirror)
        act_settings = QAction(icons.get("settings"), "设置…", self)
        act_settings.setEnabled(auth.can(self.ctx.db, "settings.manage"))
        act_settings.triggered.connect(lambda: open_settings(self, self.ctx.db))
        file_menu.addAction(act_settings)
        file_menu.addSeparator()
        file_menu.addAction(act_quit)

        account_menu = self.menuBar().addMenu("账户(&A)")
        act_password = QAction(icons.get("rename"), "修改密码…", self)
        act_password.triggered.connect(lambda: change_own_password(self.ctx.db, self))
        act_lock = QAction(icons.get("lock"), "锁定", self)
        act_lock.setShortcut(QKeySequence("Ctrl+L"))
        act_lock.triggered.connect(self.lock_requested)
        act_logout = QAction(icons.get("quit"), "注销（换用户登录）", self)
        act_logout.triggered.connect(self.logout_requested)
        has_users = auth.has_users(self.ctx.db)
        for act in (act_password, act_lock, act_logout):
            act.setEnabled(has_users)
            account_menu.addAction(act)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        act_logs = QAction(icons.get("logs"), "打开日志文件夹", self)
        act_logs.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir()))))
        act_about = QAction(icons.get("about"), "关于", self)
        act_about.triggered.connect(self.show_about)
        act_manual = QAction(icons.get("about"), "用户手册", self)
        act_manual.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1: the current page's section
        act_manual.triggered.connect(lambda: open_manual(self, getattr(self.stack.currentWidget(), "title", None)))
        help_menu.addAction(act_manual)
        act_notes = QAction(icons.get("about"), "更新说明", self)
        act_notes.triggered.connect(lambda: show_changelog(self, self.ctx.db))
        help_menu.addAction(act_logs)
        help_menu.addAction(act_notes)
        help_menu.addAction(act_about)
        # after an upgrade, once: what changed (nothing shows on an up-to-date database)
        QTimer.singleShot(0, self, lambda: show_pending_notes(self, self.ctx.db))

    def about_text(self) -> str:
        db_file = str(self.ctx.db.path) if self.ctx.db.path else database.shown_url(self.ctx.db.url)
        return (
            f"<h3>{APP_NAME}</h3><p>版本 {__version__}</p>"
            f"<p>本单位：{self.ctx.site.org_name}（{self.ctx.site.org_code}）</p>"
            f"<p>数据库文件：{db_file}<br>数据文件夹：{data_dir()}<br>日志：{log_dir()}</p>"
        )

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("关于")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.exec()

    # --- backups -------------------------------------------------------------
    def backup_now(self) -> None:
        path = self.ctx.db.path
        run_op(
            self, lambda job: backup.backup_now(path, "manual"),
            lambda dest: self.statusBar().showMessage(f"已备份到 {dest}", 10_000),
            label="正在备份…",
        )

    def restore_backup(self) -> None:
        from desktop_app.gui.shell.backup_dialog import restore_choices

        dlg = RestoreDialog(self, restore_choices(self.ctx.db.path))
        if dlg.exec() != RestoreDialog.DialogCode.Accepted or dlg.chosen() is None:
            return
        chosen = dlg.chosen()
        self._restore_from(chosen.path, f"用 {chosen.taken_at:%Y-%m-%d %H:%M} 的备份替换当前全部数据吗？")

    def restore_from_file(self) -> None:
        from desktop_app.gui.shell.backup_dialog import pick_backup_file

        path = pick_backup_file(self)
        if path is not None:
            self._restore_from(path, f"用备份文件 {path} 替换当前全部数据吗？")

    def _restore_from(self, path, question: str) -> None:
        from desktop_app.domain.errors import DomainError
        from desktop_app.gui.shell.backup_dialog import backup_key

        if not common.ask(self, "从备份恢复", question + "\n当前数据会先另存为“恢复前”备份。"):
            return
        try:  # the service checks for an administrator, audits, and refuses a bad file untouched
            go, key = backup_key(self, self.ctx.db, path)
            if not go:
                return
            backup.restore_database(self.ctx.db, path, key)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.reopen_requested.emit()

    def backup_settings(self) -> None:
        settings = Settings.load()
        dlg = MirrorDialog(self, settings.backup_mirror_dir)
        if dlg.exec() == MirrorDialog.DialogCode.Accepted:
            settings.backup_mirror_dir = dlg.path.text().strip()
            settings.save()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        path = self.ctx.db.path
        if not self.skip_exit_backup and path is not None and path.exists():
            try:
                backup.backup_now(path, "exit")
            except Exception:  # noqa: BLE001 - closing must never be blocked by a backup
                logging.getLogger(__name__).exception("exit backup failed")
        from desktop_app.gui.widgets import memory

        memory.save_window(self)
        super().closeEvent(event)

    def go_to(self, title: str) -> Page:
        index = list(self.pages).index(title)
        self.nav.setCurrentRow(index)
        return self.pages[title]


class LazyPages(Mapping[str, Page]):
    """title -> page, each page built the first time it is shown or asked for.

    Building all 32 pages took two of the six seconds of a start: the window now
    paints with a placeholder in every slot of the stack but the first, and a
    page replaces its placeholder when the user (or code, through window.pages[…]
    or go_to) first needs it. A page not yet built hears no change notices; it
    loads fresh when it is built.
    """

    def __init__(self, window: MainWindow):
        self._window = window
        self._classes: dict[str, type[Page]] = {}
        self._built: dict[str, Page] = {}

    def add(self, cls: type[Page]) -> None:
        self._classes[cls.title] = cls
        self._window.stack.addWidget(QWidget())

    def built(self) -> dict[str, Page]:
        return dict(self._built)

    def __getitem__(self, title: str) -> Page:
        page = self._built.get(title)
        if page is None:
            cls = self._classes[title]  # KeyError for a page this account does not have
            page = self._built[title] = cls(self._window.ctx)
            stack = self._window.stack
            index = list(self._classes).index(title)
            placeholder = stack.widget(index)
            stack.insertWidget(index, page)
            if stack.currentWidget() is placeholder:
                stack.setCurrentWidget(page)
            stack.removeWidget(placeholder)
            placeholder.deleteLater()
            from desktop_app.gui.widgets import memory

            memory.remember_tables(page, cls.__name__)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)

    def show_row(self, row: int) -> None:
        if 0 <= row < len(self._classes):
            self._window.stack.setCurrentWidget(self[list(self._classes)[row]])
