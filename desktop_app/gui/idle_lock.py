"""Lock the program after N minutes without mouse or keyboard; unlock with a password.

An application-wide event filter restarts a timer on every input event. When
it fires, the acting account is put aside (services refuse until a log-in),
every open window — the main window and any dialog with unsaved input — is
covered by an opaque panel, and the log-in dialog asks for the password.
Nothing underneath is closed, so a half-filled form is still there after
unlocking. A database without accounts has no password to ask: no lock.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.access import Actor
from desktop_app.gui import icons
from desktop_app.gui.users.login_dialog import LoginDialog
from desktop_app.services import auth
from desktop_app.services.database import Database

_ACTIVITY = frozenset({
    QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


class LockCover(QWidget):
    """An opaque panel over a whole window while the program is locked."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockCover { background: #f2f3f5; }")
        icon = QLabel()
        icon.setPixmap(icons.get("lock", "#9aa0a6").pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel("程序已锁定")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet("color: #5f6368; font-size: 16px;")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(icon)
        lay.addWidget(text)
        lay.addStretch(1)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(obj.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class IdleLock(QObject):
    """Install once per main window: IdleLock(db, minutes=auth.policy(db).idle_minutes)."""

    locked = Signal()
    unlocked = Signal(object)  # the Actor now logged in (may be another account)
    quit_requested = Signal()  # the user chose 退出程序 on the lock screen (windows close after it)

    def __init__(self, db: Database, minutes: int | None = None, *, interval_ms: int | None = None,
                 org_name: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.org_name = org_name
        self.covers: list[LockCover] = []
        self.dialog: LoginDialog | None = None
        self.locked_for: Actor | None = None
        # Asked when ANOTHER account unlocks, (who locked, who unlocked) -> go on? The window sets it to say what
        # the first account left unsaved; False keeps the program locked for the first one to come back and save.
        self.may_switch: Callable[[Actor, Actor], bool] | None = None
        # Asked when 退出程序 is chosen under the lock, (who locked) -> go on? No one is logged in to save what
        # that account left unsaved; False keeps the lock for it to come back and save.
        self.may_quit: Callable[[Actor], bool] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(lambda: self.lock_now(idle=True))
        self.set_minutes(minutes, interval_ms=interval_ms)
        QApplication.instance().installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def set_minutes(self, minutes: int | None, *, interval_ms: int | None = None) -> None:
        """Change the idle time (0 or None: never lock); restarts the count."""
        interval = interval_ms if interval_ms is not None else (minutes or 0) * 60_000
        self.timer.stop()
        self.timer.setInterval(max(interval, 0))
        if interval > 0 and not self.is_locked:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY and not self.is_locked and self.timer.interval() > 0:
            self.timer.start()  # restart the count on any input
        return False

    def lock_now(self, idle: bool = False) -> None:
        """Lock: `idle` after the timeout, else asked for (Ctrl+L, 锁定), which the message says."""
        if self.is_locked:
            return
        if not auth.has_users(self.db):
            return  # no account, no password: locking would only lock everyone out
        # Called on the GUI thread on purpose: the account must be put aside before
        # anything else runs, and the audit entry it writes is one small insert.
        self.locked_for = auth.lock_session(self.db)
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, LockCover)]
        self.covers = [LockCover(w) for w in windows]
        self._ask(idle)
        self.locked.emit()

    def _ask(self, idle: bool) -> None:
        self.dialog = LoginDialog(self.db, None, locked_for=self.locked_for, org_name=self.org_name, idle=idle)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.rejected.connect(self._quit)
        self.dialog.open()

    def _release(self) -> None:
        for cover in self._covers_left():
            cover.remove()
        self.covers = []
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _covers_left(self) -> list[LockCover]:
        """The covers whose window still stands (one closed under the lock took its cover with it)."""
        return [c for c in self.covers if shiboken6.isValid(c)]

    def _unlocked(self) -> None:
        actor = self.dialog.actor if self.dialog else None
        old = self.locked_for
        if (actor is not None and old is not None and actor.user_id != old.user_id
                and self.may_switch is not None and not self.may_switch(old, actor)):
            # 取消: the other account leaves again (its session put aside, audited as a lock) and the lock
            # screen waits for the first one, whose typed work is still under the cover
            auth.lock_session(self.db)
            self.dialog.deleteLater()
            self._ask(idle=False)
            return
        self._release()
        if self.timer.interval() > 0:
            self.timer.start()
        self.unlocked.emit(actor)

    def _quit(self) -> None:
        if self.locked_for is not None and self.may_quit is not None and not self.may_quit(self.locked_for):
            self.dialog.deleteLater()
            self._ask(idle=False)  # 取消: the lock screen again, for the one whose work is under the cover
            return
        windows = [c.parentWidget() for c in self._covers_left()]
        self._release()
        self.quit_requested.emit()
        for w in windows:  # closing runs each window's own exit steps (the exit backup)
            if w is not None:
                w.close()
        QApplication.quit()
