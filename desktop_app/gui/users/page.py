"""用户管理 (管理员): accounts and roles, grids of 网格员, passwords, lock-outs, auto-lock time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog, QGroupBox, QHBoxLayout, QLabel,
    QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from desktop_app.domain import access
from desktop_app.domain.clock import local_text
from desktop_app.domain.access import Role
from desktop_app.gui import icons
from desktop_app.gui.ops import run_op
from desktop_app.gui.users.login_dialog import NEW_PASSWORD, AccountDialog, name_field, secret
from desktop_app.gui.widgets.fields import Choice, FieldForm, Put, show
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.bars import heading as page_heading
from desktop_app.gui.widgets.bars import toolbar
from desktop_app.gui.widgets.items import checked, checklist
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.services import auth
from desktop_app.views.changes import Change, changes
from desktop_app.views.users import UserInfo

USERS = changes(Change.USERS)

WHOLE = "全部"  # an account not confined to one organisation sees the whole database
DARK_RED = QColor(Qt.GlobalColor.darkRed)
COLUMNS = (
    Column("登录名", lambda u: u.login, width=100),
    Column("姓名", lambda u: u.display_name, width=90),
    Column("角色", lambda u: u.role_label, width=90),
    Column("负责网格", lambda u: "、".join(u.grid_names) if u.role == "grid" else "—", width=200),
    Column("管辖范围", lambda u: u.org_name or WHOLE, width=140),
    Column("状态", lambda u: u.state_label(), width=110,
           color=lambda u: DARK_RED if u.state_label() != "正常" else None),
    Column("上次登录", lambda u: local_text(u.last_login_at, empty="从未登录"), width=130),
)


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
            uid = self.user.id
            return lambda: auth.update_user(db, uid, name, role, grids, org_id=scope)
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


class UsersPage(Page):
    watches = changes(Change.USERS, Change.ORGS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.users: list[UserInfo] = []
        heading = page_heading("用户管理")  # the heading every page has
        tb, action = toolbar(self)
        self.act_add = action("person-add", "新增用户", self.add_user)
        self.act_edit = action("edit", "修改", self.edit_selected)
        self.act_reset = action("key", "重置密码", self.reset_selected)
        self.act_unlock = action("unlock", "解除锁定", self.unlock_selected)
        self.act_active = action("user-off", "停用", self.toggle_active)

        self.model = ColumnModel(COLUMNS, parent=self)
        self.table = table_view(self.model, multi=False, stretch=3)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())

        roles = QLabel("<br>".join(
            f"<b>{access.ROLE_LABELS[r]}</b>：{access.ROLE_NOTES[r]}" for r in Role
        ))
        roles.setWordWrap(True)
        roles.setStyleSheet("color: #5f6368")

        self.idle = QSpinBox()
        self.idle.setRange(0, access.MAX_IDLE_MINUTES)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不自动锁定")
        save_idle = QPushButton("保存")
        save_idle.clicked.connect(self.save_idle)
        security = QGroupBox("安全设置（本机）")
        row = QHBoxLayout(security)
        row.addWidget(QLabel("无操作自动锁定："))
        row.addWidget(self.idle)
        row.addWidget(save_idle)
        row.addStretch(1)
        row.addWidget(QLabel(f"连续 {access.MAX_FAILURES} 次密码错误锁定 {access.LOCKOUT_MINUTES} 分钟"))

        self.message = QLabel()
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(tb)
        lay.addWidget(self.table, 1)
        lay.addWidget(roles)
        lay.addWidget(security)
        lay.addWidget(self.message)
        self._update_actions()

    # --- loading ---------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        db = self.ctx.db
        run_op(self, lambda job: (auth.list_users(db), auth.policy(db)), self._loaded)

    def _loaded(self, result, keep: str | None = None) -> None:
        users, policy = result
        keep = keep or (self.selected().id if self.selected() else None)
        self.users = users
        self.model.set_rows(users)
        index = next((i for i, u in enumerate(users) if u.id == keep), 0 if users else -1)
        if index >= 0:
            self.table.selectRow(index)
        self.idle.setValue(policy.idle_minutes)
        self.message.setText(f"共 {len(users)} 个账户" if users else
                             "还没有账户：打开程序不用登录，谁都能做全部操作。点“新增用户”建一个管理员账户后，"
                             "打开程序须先登录。")
        self._update_actions()

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows and rows[0].row() < len(self.users) else None

    def select(self, user_id: str) -> None:
        for i, u in enumerate(self.users):
            if u.id == user_id:
                self.table.selectRow(i)

    def _update_actions(self) -> None:
        u = self.selected()
        for act in (self.act_edit, self.act_reset, self.act_active):
            act.setEnabled(u is not None)
        self.act_unlock.setEnabled(u is not None and u.locked())
        if u is not None and not u.active:
            self.act_active.setText("启用")
            self.act_active.setIcon(icons.get("user-on"))
        else:
            self.act_active.setText("停用")
            self.act_active.setIcon(icons.get("user-off"))

    def _changed(self, info: UserInfo | None = None, note: str = "") -> None:
        if note:
            self.message.setText(note)
        if info is not None:
            db = self.ctx.db
            run_op(self, lambda job: (auth.list_users(db), auth.policy(db)),
                   lambda result: self._loaded(result, info.id))

    # --- actions ---------------------------------------------------------------
    def _open_user(self, user: UserInfo | None, said: str) -> None:
        """The user form (after grids and scopes are read off the GUI thread); `said` is told with the saved name."""
        def open_dialog(choices):
            grids, scopes = choices
            dlg = UserDialog(self, self.ctx.db, grids, user, scopes)
            if dlg.exec() == QDialog.DialogCode.Accepted and dlg.result_user:
                self._changed(dlg.result_user, said.format(dlg.result_user.display_name))

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
        if user is None:
            return
        dlg = ResetPasswordDialog(self, self.ctx.db, user)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self._changed(user, f"已为“{user.display_name}”重置密码")

    def unlock_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        db = self.ctx.db
        run_op(self, lambda job: auth.unlock_user(db, user.id),
               lambda info: self._changed(info, f"已解除“{info.display_name}”的锁定"), changes=USERS)

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
        run_op(self, lambda job: auth.set_active(db, user.id, active),
               lambda info: self._changed(info, f"已{'启用' if active else '停用'}“{info.display_name}”"),
               changes=USERS)

    def save_idle(self) -> None:
        db, minutes = self.ctx.db, self.idle.value()
        run_op(self, lambda job: auth.set_idle_minutes(db, minutes),
               lambda p: self.message.setText("已保存：" + (f"{p.idle_minutes} 分钟无操作自动锁定"
                                                         if p.idle_minutes else "不自动锁定")),
               changes=changes(Change.ACCESS_POLICY))
