"""用户管理 (管理员): accounts and roles, grids of 网格员, passwords, lock-outs, auto-lock time.

The list is the kit's record-list page (accounts beside the selected one's details); in its footer
what each role may do and this PC's auto-lock. Every write is a service call that checks
`users.manage` itself.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from desktop_app.domain import access
from desktop_app.domain.access import Role
from desktop_app.domain.clock import local_text
from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.gui import icons
from desktop_app.gui.errors import show_error
from desktop_app.gui.ops import run_op
from desktop_app.gui.users.login_dialog import NEW_PASSWORD, AccountDialog, name_field, secret
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.fields import Choice, FieldForm, Put, show
from desktop_app.gui.widgets.items import checked, checklist
from desktop_app.gui.widgets.record_list import Act, Loaded, RecordListPage, Table, selected as any_selected
from desktop_app.gui.widgets.table import Column
from desktop_app.services import auth
from desktop_app.views.changes import Change, changes
from desktop_app.views.users import UserInfo

USERS = changes(Change.USERS)

WHOLE = "全部"  # an account not confined to one organisation sees the whole database
NO_ACCOUNTS = ("还没有账户：打开程序不用登录，谁都能做全部操作。点“新增用户”建一个管理员账户后，"
               "打开程序须先登录。")
DARK_RED = QColor(Qt.GlobalColor.darkRed)
COLUMNS = (
    Column("登录名", lambda u: u.login, width=100),
    Column("姓名", lambda u: u.display_name, width=90),
    Column("角色", lambda u: u.role_label, width=90),
    Column("负责网格", lambda u: "、".join(u.grid_names) if u.role == "grid" else "—", width=200),
    Column("管辖范围", lambda u: u.org_name or WHOLE, width=140),
    Column("状态", lambda u: state_text(u), width=110,
           color=lambda u: DARK_RED if u.state_label() != "正常" else None),
    Column("上次登录", lambda u: local_text(u.last_login_at, empty="从未登录"), width=130),
)


def state_text(u: UserInfo) -> str:
    """The list's 状态: a locked account says until when (已锁定至 14:35), as the details and `user list` do."""
    if u.active and u.locked():
        return f"已锁定至 {local_text(u.locked_until, '%H:%M')}"
    return u.state_label()


class UserDialog(AccountDialog):
    """Add an account (with its first password) or change name, role, grids and scope of one.

    `scopes` are the (id, label) streets and communities the account can be confined to.
    """

    changes_made = USERS

    def __init__(self, parent: QWidget | None, db, grids: list[tuple[str, str]], user: UserInfo | None = None,
                 scopes: list[tuple[str, str]] = ()):
        super().__init__(parent, "修改用户" if user else "新增用户", "保存", "取消")
        self.db, self.user = db, user
        self.result_user: UserInfo | None = None
        self.role_note = QLabel()
        self.role_note.setWordWrap(True)
        self.role_note.setStyleSheet("color: #5f6368")
        self.grids = checklist([(name, gid) for gid, name in grids], user.grid_ids if user else (), height=120)
        self.password = self.repeat = None
        first_password = (
            secret("password", "初始密码", NEW_PASSWORD),
            secret("repeat", "确认密码", "再输入一次"),
            show("", "<small>首次登录时，本人须把初始密码改成自己的密码。</small>"),
        )
        self.fields = FieldForm(self, user, (
            name_field("login", "登录名"),
            name_field("display_name", "姓名"),
            Choice("role", "角色", items=[(access.ROLE_LABELS[r], r.value) for r in Role],
                   default=Role.SECRETARY.value),
            Put("role_note", "", self.role_note),
            Put("grids", "负责网格", self.grids),
            Choice("org_id", "管辖范围", items=self._scope_items(user, scopes)),
            *(first_password if user is None else ()),
        ))
        self.login.setEnabled(user is None)  # the trail names people by account: keep the login
        self.finish_layout(self.fields)
        self.setMinimumWidth(440)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    @staticmethod
    def _scope_items(user: UserInfo | None, scopes) -> list[tuple[str, str]]:
        items = [(f"{WHOLE}（整个数据库）", ""), *((label, oid) for oid, label in scopes)]
        if user is not None and user.org_id and user.org_id not in {oid for oid, _l in scopes}:
            items.append((user.org_name or user.org_id, user.org_id))  # keep a scope the list no longer offers
        return items

    def _role_changed(self) -> None:
        role = Role(self.role.currentData())
        self.role_note.setText(access.ROLE_NOTES[role])
        self.fields.setRowVisible(self.grids, role == Role.GRID)

    def chosen_grids(self) -> list[str]:
        return checked(self.grids)

    def prepare(self):
        db, name, role, grids = self.db, self.display_name.text(), self.role.currentData(), self.chosen_grids()
        scope = self.org_id.currentData() or ""
        if self.user is not None:
            uid, read = self.user.id, self.user  # the account as shown: a change since is refused
            return lambda: auth.update_user(db, uid, name, role, grids, org_id=scope, read=read)
        login, name, password = self.new_account()
        return lambda: auth.create_user(db, login, name, role, password, grids, org_id=scope)

    def after_save(self, result) -> None:
        self.result_user = result
        super().after_save(result)


class ResetPasswordDialog(AccountDialog):
    """An administrator sets a forgotten password anew; the user must change it at the next log-in."""

    changes_made = USERS

    def __init__(self, parent: QWidget | None, db, user: UserInfo):
        super().__init__(parent, "重置密码", "重置密码", "取消")
        self.db, self.user = db, user
        form = FieldForm(self, None, (
            secret("password", "新密码", NEW_PASSWORD),
            secret("repeat", "确认密码", "再输入一次"),
        ))
        note = QLabel(f"为“{user.display_name}”（{user.login}）设置一个临时密码。\n"
                      "本人下次登录时须改成自己的密码；账户如已锁定，会同时解锁。")
        note.setWordWrap(True)
        self.finish_layout(note, form)
        self.setMinimumWidth(400)

    def prepare(self):
        db, uid, password = self.db, self.user.id, self.new_password(self.user.login)
        return lambda: auth.reset_password(db, uid, password)


def details_html(u: UserInfo) -> str:
    """The selected account in the details pane: who, what the role may do, where, and its state."""
    e = escape
    role = Role(u.role)
    lines = [f"<h3>{e(u.display_name)}（{e(u.login)}）</h3>",
             f"<p>角色：<b>{e(u.role_label)}</b><br><small>{e(access.ROLE_NOTES[role])}</small></p>"]
    if role == Role.GRID:
        lines.append(f"<p>负责网格：{e('、'.join(u.grid_names) or '（未指定）')}</p>")
    lines.append(f"<p>管辖范围：{e(u.org_name or WHOLE + '（整个数据库）')}</p>")
    state = u.state_label()
    if u.active and u.locked():
        state += f"（至 {local_text(u.locked_until, '%H:%M')}，可解除锁定）"
    colour = f" style='color:{DARK_RED.name()}'" if u.state_label() != "正常" else ""
    lines.append(f"<p>状态：<b{colour}>{e(state)}</b><br>上次登录：{e(local_text(u.last_login_at, empty='从未登录'))}</p>")
    if u.must_change_password:
        lines.append("<p>下次登录时须修改密码。</p>")
    return "".join(lines)


def _locked(u: UserInfo | None) -> bool:
    return u is not None and u.locked()


class UsersPage(RecordListPage):
    watches = changes(Change.USERS, Change.ORGS)
    writes = USERS
    tables = (Table(COLUMNS, stretch=3, details_width=280, empty=NO_ACCOUNTS),)
    actions = (
        Act("person-add", "新增用户", "add_user", "Ctrl+N", name="add"),
        Act("edit", "修改", "edit_selected", when=any_selected, name="edit", writes=True),
        Act("key", "重置密码", "reset_selected", when=any_selected, name="reset", writes=True),
        Act("unlock", "解除锁定", "unlock_selected", when=_locked, name="unlock", writes=True,
            why=lambda u: "请先在列表中选中一条记录" if u is None else "所选账户没有锁定"),
        Act("user-off", "停用", "toggle_active", when=any_selected, name="active", writes=True),
    )
    activate = "edit_selected"
    details = staticmethod(details_html)
    # no 导出Excel: the accounts are the program's own keys (logins, roles, who is locked), no worker's
    # record; a sheet of logins only helps someone guessing passwords
    exports = False

    def footer(self) -> list[QWidget]:
        """Below the list, as before: what each role may do, and this PC's auto-lock."""
        roles = QLabel("<br>".join(f"<b>{access.ROLE_LABELS[r]}</b>：{access.ROLE_NOTES[r]}" for r in Role))
        roles.setWordWrap(True)
        roles.setStyleSheet("color: #5f6368")
        self.idle = QSpinBox()
        self.idle.setRange(0, access.MAX_IDLE_MINUTES)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不自动锁定")
        self._idle_saved: int | None = None  # the minutes as read or saved; None until read: nothing typed yet
        save_idle = QPushButton("保存")
        save_idle.clicked.connect(self.save_idle)
        security = QGroupBox("安全设置（本机）")
        row = QHBoxLayout(security)
        row.addWidget(QLabel("无操作自动锁定："))
        row.addWidget(self.idle)
        row.addWidget(save_idle)
        row.addStretch(1)
        row.addWidget(QLabel(f"连续 {access.MAX_FAILURES} 次密码错误锁定 {access.LOCKOUT_MINUTES} 分钟"))
        return [roles, security]

    # --- loading ---------------------------------------------------------------
    def load(self, db, f):
        return Loaded(auth.list_users(db), policy=auth.policy(db))

    def on_loaded(self, loaded: Loaded) -> None:
        self.set_counts(f"共 {len(loaded.rows)} 个账户" if loaded.rows else "还没有账户")
        self.idle.setValue(loaded.policy.idle_minutes)
        self._idle_saved = loaded.policy.idle_minutes

    @property
    def users(self) -> list[UserInfo]:
        """The accounts listed, in the table's order."""
        return self.panel.model.rows

    def selected(self) -> UserInfo | None:
        return self.panel.selected()

    def _update_actions(self) -> None:
        super()._update_actions()
        stopped = self.detail is not None and not self.detail.active  # one button: 停用, or 启用 for a stopped one
        self.act_active.setText("启用" if stopped else "停用")
        self.act_active.setIcon(icons.get("user-on" if stopped else "user-off"))
        if self.detail is not None:
            self.act_active.setToolTip(self.act_active.text())

    # --- actions ---------------------------------------------------------------
    def _open_user(self, user: UserInfo | None, said: str) -> None:
        """The user form (after grids and scopes are read off the GUI thread); `said` is told with the saved name."""
        def open_dialog(choices):
            grids, scopes = choices
            self.run_dialog(UserDialog(self, self.ctx.db, grids, user, scopes), lambda u: said.format(u.display_name))

        db = self.ctx.db
        run_op(self, lambda job: (auth.grid_choices(db), auth.scope_choices(db)), open_dialog)

    def add_user(self) -> None:
        self._open_user(None, "已新增用户“{}”")

    def edit_selected(self) -> None:
        user = self.selected()
        if user is not None:
            self._open_user(user, "已保存“{}”")

    def reset_selected(self) -> None:
        user = self.selected()
        if user is not None:
            self.run_dialog(ResetPasswordDialog(self, self.ctx.db, user), f"已为“{user.display_name}”重置密码")

    def unlock_selected(self) -> None:
        user = self.selected()
        if user is not None:
            db = self.ctx.db
            self.write(lambda: auth.unlock_user(db, user.id), lambda u: f"已解除“{u.display_name}”的锁定")

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        if user.active and not common.ask(
            self, "停用账户",
            f"停用“{user.display_name}”（{user.login}）后，该账户不能再登录；\n"
            "操作记录里仍保留其姓名。以后可以重新启用。确定停用吗？",
        ):
            return
        db, active = self.ctx.db, not user.active

        def refused(exc: BaseException) -> None:
            show_error(self, exc)
            if isinstance(exc, ConcurrentEditError):
                self.refresh()  # the list was stale: show the account as it now is

        run_op(self, lambda job: auth.set_active(db, user.id, active, was_active=user.active),
               lambda u: self.show_message(f"已{'启用' if active else '停用'}“{u.display_name}”"), refused,
               changes=self.writes)

    def unsaved(self) -> str:
        saved = self._idle_saved
        return "用户管理：无操作自动锁定的时间" if saved is not None and self.idle.value() != saved else ""

    def save_unsaved(self) -> None:
        self.save_idle()

    def save_idle(self) -> None:
        db, minutes = self.ctx.db, self.idle.value()

        def said(p) -> str:
            self._idle_saved = p.idle_minutes
            return "已保存：" + (f"{p.idle_minutes} 分钟无操作自动锁定" if p.idle_minutes else "不自动锁定")

        self.write(lambda: auth.set_idle_minutes(db, minutes), said, changes(Change.ACCESS_POLICY))
