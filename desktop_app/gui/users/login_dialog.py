"""Log-in, first administrator, change of password; `ensure_login` runs them at start.

A database without accounts offers to create the administrator each start
and may be used without one (as before accounts existed) until one exists;
from then on the program opens only after a log-in.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from desktop_app import APP_NAME
from desktop_app.domain import access
from desktop_app.domain.access import Actor
from desktop_app.domain.errors import ValidationError
from desktop_app.gui import icons
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.fields import FieldForm, Line
from desktop_app.services import auth
from desktop_app.services.database import Database


def _last_login() -> str:
    """The login name used last on this PC (window.ini in the data folder), to type only the password."""
    from desktop_app.gui.widgets.memory import ui_settings

    value = ui_settings().value("login/last", "")
    return value if isinstance(value, str) else ""


def _remember_login(name: str) -> None:
    from desktop_app.gui.widgets.memory import ui_settings

    ui_settings().setValue("login/last", name)
    ui_settings().sync()


NEW_PASSWORD = f"至少 {access.MIN_PASSWORD_LENGTH} 位，不能全是数字"


def secret(name: str, label: str, placeholder: str = "") -> Line:
    """A password field: typed as dots, as long as a password may be."""
    return Line(name, label, placeholder, secret=True, max_length=access.MAX_PASSWORD_LENGTH)


def name_field(name: str, label: str, placeholder: str = "", **kw) -> Line:
    """A login or display name, as long as the account tables keep."""
    return Line(name, label, placeholder, max_length=40, **kw)


class AccountDialog(SavingDialog):
    """A dialog about an account: OK runs the service call in the background and closes only when it succeeded.

    Its cancel button says what it does (退出程序, 暂不设置) and does so without asking about typed passwords.
    """

    asks_before_discard = False

    def __init__(self, parent: QWidget | None, title: str, ok_text: str, cancel_text: str):
        super().__init__(parent, title, ok_text, cancel_text=cancel_text)

    def new_password(self, login: str = "", field: str = "确认密码", typed: QLineEdit | None = None) -> str:
        """The password typed twice (`typed`, by default the field `password`, and `repeat`), checked
        against the policy."""
        password = (typed or self.password).text()
        access.check_password(password, login)
        if password != self.repeat.text():
            raise ValidationError(field, "两次输入的密码不一致")
        return password

    def new_account(self) -> tuple[str, str, str]:
        """A new account's login, name and password (from the fields `login`, `display_name`, `password` and
        `repeat`), each checked before anything is sent."""
        login, name = self.login.text(), self.display_name.text()
        access.check_login_name(login)
        access.check_display_name(name)
        return login, name, self.new_password(login)


class LoginDialog(AccountDialog):
    """Name and password. `actor` holds who logged in once accepted."""

    def __init__(self, db: Database, parent: QWidget | None = None, locked_for: Actor | None = None,
                 org_name: str = "", idle: bool = True):
        super().__init__(parent, "已锁定" if locked_for else f"登录 — {APP_NAME}",
                         "解锁" if locked_for else "登录", "退出程序")
        self.db = db
        self.actor: Actor | None = None
        self.ok_button.setIcon(icons.get("unlock" if locked_for else "login"))
        heading = QLabel(f"<h3>{org_name or APP_NAME}</h3>")
        if locked_for:
            how = "离开时间较长，程序已自动锁定" if idle else "程序已锁定"  # the timeout, or Ctrl+L / 锁定
            note = QLabel(f"{how}（{locked_for.name}）。\n请输入密码解锁，或换一个账户登录。")
        else:
            note = QLabel("请输入用户名和密码。")
        note.setWordWrap(True)
        form = FieldForm(self, None, (
            name_field("name", "用户名", "登录名", default=locked_for.login if locked_for else _last_login()),
            secret("password", "密码", "密码"),
        ))
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(QLabel(f"<small>连续 {access.MAX_FAILURES} 次密码错误，账户将锁定 "
                             f"{access.LOCKOUT_MINUTES} 分钟。忘记密码请找管理员重置。</small>"))
        lay.addWidget(self.buttons)
        (self.password if locked_for or self.name.text() else self.name).setFocus()
        self.setMinimumWidth(380)

    def prepare(self):
        db, name, password = self.db, self.name.text(), self.password.text()
        if not name.strip():
            raise ValidationError("用户名", "请输入")
        if not password:
            raise ValidationError("密码", "请输入")
        return lambda: auth.login(db, name, password)

    def after_save(self, actor) -> None:
        self.actor = actor
        _remember_login(self.name.text().strip())
        super().after_save(actor)

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        self.password.clear()
        self.password.setFocus()


class FirstAdminDialog(AccountDialog):
    """First start: create the administrator, or go on without accounts for now."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent, "设置管理员", "创建管理员并登录", "暂不设置，继续使用")
        self.db = db
        self.actor: Actor | None = None
        intro = QLabel(
            "数据库里有党员和居民的身份证号、电话和住址。建议现在设置管理员账户：\n"
            "设置后，打开程序需要登录，离开电脑一段时间会自动锁定，每一次修改都记下是谁做的。\n"
            "管理员可以再为书记、委员、网格员添加各自的账户。"
        )
        intro.setWordWrap(True)
        form = FieldForm(self, None, (
            name_field("login", "登录名", default="admin"),
            name_field("display_name", "姓名", "如 王书记"),
            secret("password", "密码", NEW_PASSWORD),
            secret("repeat", "确认密码", "再输入一次"),
        ))
        later = QLabel("<small>暂不设置也可以照常使用；在设置管理员之前，每次启动都会再询问。</small>")
        later.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(later)
        lay.addWidget(self.buttons)
        self.display_name.setFocus()
        self.setMinimumWidth(460)

    def prepare(self):
        db = self.db
        login, name, password = self.new_account()
        return lambda: auth.create_first_admin(db, login, name, password)

    def after_save(self, actor) -> None:
        self.actor = actor
        _remember_login(actor.login)  # the form's default (admin) was likely never typed, so not remembered
        super().after_save(actor)


class ChangePasswordDialog(AccountDialog):
    """The logged-in user's own password; `forced` after an administrator's reset."""

    def __init__(self, db: Database, parent: QWidget | None = None, forced: bool = False):
        super().__init__(parent, "修改密码", "修改密码", "退出程序" if forced else "取消")
        self.db = db
        form = FieldForm(self, None, (
            secret("old", "原密码"),
            secret("new", "新密码", NEW_PASSWORD),
            secret("repeat", "确认新密码", "再输入一次"),
        ))
        note = QLabel("管理员为您设置了临时密码，请先改成只有您自己知道的密码。") if forced else None
        if note is not None:
            note.setWordWrap(True)
        self.finish_layout(note, form)
        self.setMinimumWidth(400)

    def prepare(self):
        db, old = self.db, self.old.text()
        if not old:
            raise ValidationError("原密码", "请输入")
        new = self.new_password(field="确认新密码", typed=self.new)
        return lambda: auth.change_password(db, old, new)


def ensure_login(db: Database, parent: QWidget | None = None, org_name: str = "",
                 has_users: bool | None = None) -> Actor | None:
    """At start: who works with the program now. None means the user chose to quit.

    `has_users` is what start-up already read (services.startup), so this asks the database nothing itself.
    """
    if not (auth.has_users(db) if has_users is None else has_users):
        first = FirstAdminDialog(db, parent)
        if first.exec() == QDialog.DialogCode.Accepted and first.actor is not None:
            return first.actor
        auth.set_actor(db, auth.OPEN)
        return auth.OPEN
    dlg = LoginDialog(db, parent, org_name=org_name)
    if dlg.exec() != QDialog.DialogCode.Accepted or dlg.actor is None:
        return None
    if dlg.actor.must_change_password:
        change = ChangePasswordDialog(db, parent, forced=True)
        if change.exec() != QDialog.DialogCode.Accepted:
            auth.logout(db)
            return None
    return auth.current_actor(db)


def change_own_password(db: Database, parent: QWidget | None = None) -> bool:
    """For a menu entry 修改密码: True when the password was changed."""
    return ChangePasswordDialog(db, parent).exec() == QDialog.DialogCode.Accepted
