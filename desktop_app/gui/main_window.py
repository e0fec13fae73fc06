"""The main window is a frame: navigation on the left, pages on the right.

The frame paints before the database is open: this module imports nothing but
Qt and the settings, the navigation lists the pages by their titles (PAGES), and
each page's module is imported the first time the page is shown. `attach(ctx)`
then hands the window its open database: pages the account may not use leave
the navigation, the menus and the status bar fill in, and the current page is
built. Importing every page module up front cost most of a start (SQLAlchemy,
reportlab, the icon font and 32 page modules before the first paint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

# Only what the frame needs: the first use of Qt's namespace (Qt.…) alone costs 40-140 ms, menus 20 ms more.
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from desktop_app import APP_NAME, __version__
from desktop_app.gui.errors import show_error  # light (Qt and logging); tests replace it here
from desktop_app.gui.pages import PAGES, PageSpec  # the titles the navigation lists
from desktop_app.settings import Settings, data_dir, log_dir

if TYPE_CHECKING:
    from desktop_app.gui.widgets.page import AppContext, Page


class MainWindow(QMainWindow):
    reopen_requested = Signal()  # the database file was replaced (restore): open it afresh
    lock_requested = Signal()
    logout_requested = Signal()
    ready = Signal()  # attach() is done: the database is open and the current page is built
    page_built = Signal(object)  # a page, the first time it is built

    def __init__(self, ctx: AppContext | None = None, *, shown: bool = False):
        """`shown`: show the window at once, at its remembered size (paint_frame's frame)."""
        super().__init__()
        self.ctx: AppContext | None = None
        self.skip_exit_backup = False
        self.typed_work_dropped = False  # agreed at the lock screen (退出 with no one logged in): close asks nothing
        self.setWindowTitle(APP_NAME)
        self.resize(1200, 760)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(192)  # the longest title, 联系户与兼职委员, whole beside its icon and the scroll bar
        self.stack = QStackedWidget()
        self.pages = LazyPages(self)
        blank = QPixmap(20, 20)  # keeps the icons' room, so the titles do not move when the icons arrive
        blank.fill(QColor(0, 0, 0, 0))
        for spec in PAGES:
            self.pages.add(spec)
            item = QListWidgetItem(QIcon(blank), spec.title)
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

        bar = self.menuBar()
        self.menus = {"file": bar.addMenu("文件(&F)"), "account": bar.addMenu("账户(&A)"), "help": bar.addMenu("帮助(&H)")}
        self.site_label = QLabel("")
        self.db_label = QLabel("正在打开数据库……")
        self.user_label = QLabel("")
        self.statusBar().addWidget(self.site_label)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.nav.setCurrentRow(0)
        from desktop_app.gui.widgets import memory  # size, place and column widths of the last session

        memory.restore_window(self, shown)  # each page's column widths are applied when it is built
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext) -> None:
        """The database is open: drop the pages this account may not use, fill menus and status bar, build the page."""
        from desktop_app.gui import icons
        from desktop_app.gui.widgets.outside import OutsideChanges
        from desktop_app.services import auth, database

        from desktop_app.services import site

        # signed in by now: an account confined to one community sees that community named, not the district
        # (one small read, for such an account only: the others' window reads nothing itself)
        if site.is_confined(ctx.db):
            ctx.site = site.seen_by(ctx.db) or ctx.site
        self.ctx = ctx
        self.setWindowTitle(f"{APP_NAME} — {ctx.site.org_name}")
        self.nav.blockSignals(True)
        for spec in PAGES:
            if spec.permission and spec.title in self.pages and not auth.can(ctx.db, spec.permission):
                self.nav.takeItem(self.pages.drop(spec.title))
        for row, spec in enumerate(self.pages.specs()):
            self.nav.item(row).setIcon(icons.get(spec.icon, icons.NAV))
        self.nav.setCurrentRow(min(max(self.nav.currentRow(), 0), self.nav.count() - 1))
        self.nav.blockSignals(False)
        self._build_menus()
        db_file = str(ctx.db.path) if ctx.db.path else database.shown_url(ctx.db.url)
        self.site_label.setText(f"只管：{ctx.site.org_name}" if ctx.site.confined
                                else f"{ctx.site.org_name}（{ctx.site.level_label}）")
        self.db_label.setText(f"数据库：{db_file}")
        actor = auth.current_actor(ctx.db)
        self.user_label.setText(f"当前用户：{actor.name}（{actor.role_label}）" if actor and actor.user_id else "")
        self.outside = OutsideChanges(ctx.db.path, self)  # a package imported from the command line shows
        self.pages.show_row(self.nav.currentRow())
        self.ready.emit()

    def _build_menus(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices, QKeySequence

        from desktop_app.gui import icons
        from desktop_app.gui.widgets.bars import REFRESH_KEYS
        from desktop_app.services import auth

        # the dialogs behind the menus are imported when first opened (~30 ms of CPU off every start)
        def open_manual(*args):
            from desktop_app.gui.release.manual import open_manual

            open_manual(*args)

        def open_settings(*args):
            from desktop_app.gui.settings.dialog import open_settings

            open_settings(*args)

        def change_own_password(*args):
            from desktop_app.gui.users.login_dialog import change_own_password

            change_own_password(*args)

        file_menu = self.menus["file"]
        act_data = QAction(icons.get("open"), "打开数据文件夹", self)
        act_data.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir()))))
        # Ctrl+F from anywhere in the window (the navigation too): the search box of the page shown
        act_find = QAction(icons.get("search"), "在本页搜索", self)
        act_find.setShortcut(QKeySequence.StandardKey.Find)
        act_find.triggered.connect(self.focus_search)
        self.addAction(act_find)
        # Ctrl+K: 查找 a person or record anywhere, without knowing which page holds it
        act_find_any = QAction(icons.get("search"), "查找人员和记录…", self)
        act_find_any.setShortcut(QKeySequence("Ctrl+K"))
        act_find_any.triggered.connect(self.open_find)
        self.addAction(act_find_any)
        # F5 from anywhere in the window: the page shown reads again what others entered meanwhile
        act_refresh = QAction(icons.get("refresh"), "刷新", self)
        act_refresh.setShortcut(QKeySequence(REFRESH_KEYS))
        act_refresh.triggered.connect(self.refresh_page)
        act_quit = QAction(icons.get("quit"), "退出", self)
        act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        act_quit.triggered.connect(self.close)
        act_backup = QAction(icons.get("backup"), "立即备份", self)
        act_backup.triggered.connect(lambda: self.backup_now())  # not the action's checked flag as `then`
        act_restore = QAction(icons.get("restore"), "从备份恢复…", self)
        act_restore.triggered.connect(self.restore_backup)
        act_mirror = QAction(icons.get("settings"), "备份设置…", self)
        act_mirror.triggered.connect(self.backup_settings)
        file_menu.addAction(act_find_any)
        file_menu.addAction(act_find)
        file_menu.addAction(act_refresh)
        file_menu.addSeparator()
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
        self.backup_actions = {"backup": act_backup, "restore": act_restore, "restore_file": act_restore_file,
                               "settings": act_mirror}
        file_menu.setToolTipsVisible(True)  # a greyed backup item says why
        file_menu.aboutToShow.connect(self.grey_backup_items)
        act_settings = QAction(icons.get("settings"), "设置…", self)
        act_settings.setEnabled(auth.can(self.ctx.db, "settings.manage"))
        act_settings.triggered.connect(lambda: open_settings(self, self.ctx.db))
        file_menu.addAction(act_settings)
        file_menu.addSeparator()
        file_menu.addAction(act_quit)

        account_menu = self.menus["account"]
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

        help_menu = self.menus["help"]
        act_logs = QAction(icons.get("logs"), "打开日志文件夹", self)
        act_logs.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir()))))
        act_about = QAction(icons.get("about"), "关于", self)
        act_about.triggered.connect(self.show_about)
        act_manual = QAction(icons.get("about"), "用户手册", self)
        act_manual.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1: the current page's section
        act_manual.triggered.connect(lambda: open_manual(self, getattr(self.stack.currentWidget(), "title", None)))
        help_menu.addAction(act_manual)
        act_notes = QAction(icons.get("about"), "更新说明", self)
        act_notes.triggered.connect(lambda: _notes().show_changelog(self, self.ctx.db))
        help_menu.addAction(act_logs)
        help_menu.addAction(act_notes)
        help_menu.addAction(act_about)

    def about_text(self) -> str:
        from desktop_app.services import database

        db_file = str(self.ctx.db.path) if self.ctx.db.path else database.shown_url(self.ctx.db.url)
        return (
            f"<h3>{APP_NAME}</h3><p>版本 {__version__}</p>"
            # a confined account's name is its organisation's, the code the database's: not one unit's pair
            + (f"<p>只管：{self.ctx.site.org_name}</p>" if self.ctx.site.confined
               else f"<p>本单位：{self.ctx.site.org_name}（{self.ctx.site.org_code}）</p>")
            + f"<p>数据库文件：{db_file}<br>数据文件夹：{data_dir()}<br>日志：{log_dir()}</p>"
        )

    def show_about(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle("关于")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.exec()

    def first_rows_shown(self) -> None:
        """The first page has its rows (gui.app.watch_file): after an upgrade, once, what changed.

        Not at attach: the notes' modules and their read came before the roster's rows (~4 ms of CPU).
        Nothing shows on an up-to-date database.
        """
        if getattr(self, "ctx", None) is not None:
            _notes().show_pending_notes(self, self.ctx.db)

    # --- backups -------------------------------------------------------------
    def backup_now(self, then: Callable[[], None] | None = None) -> None:
        """文件 → 立即备份; `then` runs once the copy is made (the to-do that asked for it goes)."""
        from desktop_app.gui.ops import run_op
        from desktop_app.services import backup

        def done(dest) -> None:
            self.statusBar().showMessage(f"已备份到 {dest}", 10_000)
            if then is not None:
                then()

        db = self.ctx.db  # the service checks the account (a whole-database copy), audits, and says why not
        run_op(self, lambda job: backup.take_backup(db), done, label="正在备份…")

    def grey_backup_items(self) -> None:
        """The backup items greyed, with the service's reason as tooltip, for an account without the right.

        Asked when the 文件 menu opens, not at start-up: the backup modules stay unimported until then.
        """
        from desktop_app.gui.shell.backup_dialog import grey, menu_rights

        if getattr(self, "ctx", None) is None:
            return
        rights = menu_rights(self.ctx.db)
        for key, act in self.backup_actions.items():
            grey(act, rights[key.removesuffix("_file")])

    def restore_backup(self) -> None:
        from desktop_app.gui.shell.backup_dialog import RestoreDialog, restore_choices

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
        from desktop_app.gui.widgets import common
        from desktop_app.services import backup

        # Say what goes: what was entered since the backup, kept only in the 恢复前 copy.
        if not common.ask(self, "从备份恢复", question + "\n备份之后录入和修改的内容会全部撤掉；当前数据先另存为"
                                                         "“恢复前”备份，需要时可再用它恢复。"):
            return
        if not self.keep_typed_work("恢复备份"):  # 保存 puts it in the 恢复前 copy, as all else entered
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
        from desktop_app.gui.shell.backup_dialog import MirrorDialog

        # the dialog saves through the service: administrators only, audited with the folder before and after
        MirrorDialog(self, Settings.load().backup_mirror_dir, self.ctx.db).exec()

    # --- typed work not yet saved ---------------------------------------------
    def keep_typed_work(self, leaving: str = "关闭窗口") -> bool:
        """Before the window closes or leaves the database: ask once, naming every page holding edits not yet
        saved (Page.unsaved), 保存 / 不保存 / 取消. True to go on: nothing was waiting, 不保存, or 保存 and every
        page's save succeeded; False keeps the window open (取消, or a save refused: its page is shown)."""
        if self.ctx is None or self.typed_work_dropped:
            return True
        waiting = [(page, page.unsaved()) for page in self.pages.built().values()]
        waiting = [(page, what) for page, what in waiting if what]
        if not waiting:
            return True
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "尚未保存",
                          f"{leaving}前，以下内容尚未保存：\n\n" + "\n".join(f"· {what}" for _p, what in waiting)
                          + "\n\n要先保存吗？", parent=self)
        save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
        drop = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is drop:
            return True
        if box.clickedButton() is not save:
            return False
        for page, _what in waiting:
            page.save_unsaved()
        self._wait_for_saves()
        left = [page for page, _what in waiting if page.unsaved()]
        if left:  # the page says why (a red cell, a message): show it rather than lose what it holds
            self.go_to(left[0].title)
            return False
        return True

    def let_another_in(self, old, new) -> bool:
        """Another account unlocked the window locked for `old`: the database is reopened for it and the pages'
        unsaved edits go, and so do form dialogs left half filled (党员信息…). Say so, naming them, 继续 / 取消;
        never save them under the new account's name. 继续 closes those dialogs, asking nothing more."""
        return self._drop_typed_work(old, "换用您的账户", "继续")

    def let_locked_quit(self, old) -> bool:
        """退出程序 chosen on the lock screen: no one is logged in, so nothing may be saved. Say what `old` left
        unsaved, 退出 / 取消 (取消 keeps the lock for `old` to come back and save); 退出 closes asking nothing more."""
        if not self._drop_typed_work(old, "退出程序", "退出"):
            return False
        self.typed_work_dropped = True  # the close that follows asks no 保存 / 不保存 / 取消 with no one logged in
        return True

    def _drop_typed_work(self, old, doing: str, go: str) -> bool:
        if self.ctx is None:
            return True
        waiting = [what for what in (page.unsaved() for page in self.pages.built().values()) if what]
        forms = self.half_filled_forms()
        waiting += [f"“{dlg.windowTitle()}”窗口中填了一半的内容" for dlg in forms]
        if not waiting:
            return True
        from PySide6.QtWidgets import QMessageBox

        page, _, what = waiting[0].partition("：")
        if len(waiting) == 1 and forms:
            said = f"{old.name}在{waiting[0]}，{doing}会放弃这些内容。"
        elif len(waiting) == 1 and what:
            said = f"{old.name}在“{page}”有未保存的修改（{what}），{doing}会放弃这些修改。"
        else:
            said = (f"{old.name}有以下未保存的修改，{doing}会放弃这些修改：\n\n"
                    + "\n".join(f"· {w}" for w in waiting))
        box = QMessageBox(QMessageBox.Icon.Warning, "尚未保存",
                          f"{said}\n\n取消则回到锁定画面，可由{old.name}解锁后保存。", parent=self)
        go_on = box.addButton(go, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is not go_on:
            return False
        for dlg in forms:  # dropped as agreed: no second 放弃填写的内容？ to the new account
            dlg.asks_before_discard = False
            dlg.reject()
        return True

    def half_filled_forms(self) -> list[QWidget]:
        """This window's open form dialogs (the kit's, asking before Esc drops them) holding typed content."""
        from PySide6.QtWidgets import QApplication

        from desktop_app.gui.widgets.dialog import DiscardGuard

        def ours(w: QWidget | None) -> bool:
            while w is not None and w is not self:
                w = w.parentWidget()
            return w is self

        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, DiscardGuard) and w.isVisible() and w.asks_before_discard and w.is_modified()
                and ours(w)]

    def _wait_for_saves(self) -> None:
        """The pages' saves run in the background (ops.run_op): wait for them, the window still painting."""
        from PySide6.QtCore import QEventLoop, QTimer

        from desktop_app.gui import ops

        if not ops.pending():
            return
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: ops.pending() or loop.quit())
        timer.start(30)
        self.setEnabled(False)  # no second edit typed while the first is being saved
        try:
            loop.exec()
        finally:
            timer.stop()
            self.setEnabled(True)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        # skip_exit_backup: the keeper is replacing this window (its caller asked already) or the file is damaged
        if not self.skip_exit_backup and not self.keep_typed_work():
            event.ignore()
            return
        path = self.ctx.db.path if self.ctx is not None else None
        if not self.skip_exit_backup and path is not None and path.exists():
            from desktop_app.services import backup

            try:
                backup.backup_now(path, "exit")
            except Exception:  # noqa: BLE001 - closing must never be blocked by a backup
                logging.getLogger(__name__).exception("exit backup failed")
        from desktop_app.gui.widgets import memory

        memory.save_window(self)
        super().closeEvent(event)

    def focus_search(self) -> bool:
        page = self.stack.currentWidget()
        return bool(getattr(page, "focus_search", None)) and page.focus_search()

    def open_find(self) -> None:
        """查找 (Ctrl+K): the one box over every kind of record, kept between uses (the last words stay)."""
        if self.ctx is None:
            return  # the database is still opening
        popup = getattr(self, "find_popup", None)
        if popup is None:
            from desktop_app.gui.find.popup import FindPopup  # its modules load when first asked for

            self.find_popup = popup = FindPopup(self)
        popup.open_here()

    def refresh_page(self) -> None:
        page = self.stack.currentWidget()
        if callable(getattr(page, "refresh", None)):
            page.refresh()

    def go_to(self, title: str) -> Page | None:
        """Show the page `title` (None while the database is still opening: it is built then)."""
        index = list(self.pages).index(title)
        self.nav.setCurrentRow(index)
        return self.pages[title] if self.ctx is not None else None


def _notes():
    """The release notes' dialogs, imported when first shown."""
    from desktop_app.gui.release import notes

    return notes


class LazyPages(Mapping[str, "Page"]):
    """title -> page, each page built (and its module imported) the first time it is shown or asked for.

    Building all 32 pages took two of the six seconds of a start, importing their
    modules most of the rest: the window paints with a placeholder in every slot
    of the stack, and a page replaces its placeholder when the user (or code,
    through window.pages[…] or go_to) first needs it. A page not yet built hears
    no change notices; it loads fresh when it is built.
    """

    def __init__(self, window: MainWindow):
        self._window = window
        self._specs: dict[str, PageSpec] = {}
        self._built: dict[str, Page] = {}

    def add(self, spec: PageSpec) -> None:
        self._specs[spec.title] = spec
        self._window.stack.addWidget(QWidget())

    def drop(self, title: str) -> int:
        """Take a page (not built yet) out of the window; its row, for the navigation to drop too."""
        index = list(self._specs).index(title)
        del self._specs[title]
        placeholder = self._window.stack.widget(index)
        self._window.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        return index

    def specs(self) -> list[PageSpec]:
        return list(self._specs.values())

    def built(self) -> dict[str, Page]:
        return dict(self._built)

    def __getitem__(self, title: str) -> Page:
        page = self._built.get(title)
        if page is None:
            spec = self._specs[title]  # KeyError for a page this account does not have
            if self._window.ctx is None:
                raise KeyError(f"{title}: the database is not open yet")
            page = self._built[title] = spec.load()(self._window.ctx)
            stack = self._window.stack
            index = list(self._specs).index(title)
            placeholder = stack.widget(index)
            stack.insertWidget(index, page)
            if stack.currentWidget() is placeholder:
                stack.setCurrentWidget(page)
            stack.removeWidget(placeholder)
            placeholder.deleteLater()
            from desktop_app.gui.widgets import memory

            memory.remember_tables(page, spec.name)
            offer_writes_only_if_allowed(page, spec.writes)
            self._window.page_built.emit(page)
        return page

    def __contains__(self, title: object) -> bool:  # Mapping's own would build the page to find out
        return title in self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def show_row(self, row: int) -> None:
        if not 0 <= row < len(self._specs):
            return
        if self._window.ctx is None:
            self._window.stack.setCurrentIndex(row)  # its placeholder; the page is built once the database is open
            return
        self._window.stack.setCurrentWidget(self[list(self._specs)[row]])


def offer_writes_only_if_allowed(page: Page, writes: str | None) -> None:
    """Hide each action of the page marked as a write (bars.WRITES, from `Act(writes=…)` or `action(…, writes=…)`)
    from an account without what it needs: True, the page's `writes` permission (gui/pages.py); a string, the
    permissions named. A 只读 account was offered every form, 办理, 认领, 结案 …, filled it in, and was refused only on
    保存. Its keys go with it; a double-click that runs a hidden 修改 says the account only reads
    (RecordListPage._activate). An action marked True on a page whose line names no `writes` is hidden from
    everyone: a missing permission must not offer a write to all."""
    from desktop_app.gui.widgets.bars import WRITES, tidy_separators
    from desktop_app.services import auth

    may: dict[str, bool] = {}

    def allowed(needs: str) -> bool:
        if needs not in may:
            may[needs] = auth.can(page.ctx.db, needs)
        return may[needs]

    hidden = False
    for action in page.findChildren(QAction):
        marked = action.property(WRITES)
        if not marked:
            continue
        needs = writes if marked is True else str(marked)
        if not needs or not all(allowed(p) for p in needs.split()):
            action.setVisible(False)
            hidden = True
    if hidden:
        tidy_separators(page)
        say_only_what_is_offered(page)


def say_only_what_is_offered(page: Page) -> None:
    """The page's texts no longer point at what was hidden (“登记走访：Ctrl+N”, “点“考评方案”载入示例方案”): those
    already shown are rewritten here, those set later go through Page.offered."""
    from desktop_app.gui.widgets.bars import WRITES, action_words, offered

    actions = [a for a in page.findChildren(QAction) if not a.isSeparator()]
    shown = action_words(a for a in actions if a.isVisible())
    page.hidden_writes = frozenset(action_words(a for a in actions if a.property(WRITES) and not a.isVisible())
                                   - shown)
    for widget in page.findChildren(QWidget):
        if isinstance(widget, QLabel) and widget.text():
            widget.setText(offered(widget.text(), page.hidden_writes))
        if widget.toolTip():
            widget.setToolTip(offered(widget.toolTip(), page.hidden_writes))

