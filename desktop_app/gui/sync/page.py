"""数据同步: a community sends its data to the street on a USB stick; the street takes them all.

Community: take the street's key once; export a package to a chosen folder or
USB drive (progress, then a summary); import what the street sends back.
Street: make the key once (and copy it for communities joining later); import
a community package with a preview first (the package is read and checked once,
and the preview is what gets applied), or several at once: one confirmation
listing them, one merge in the background, one result; every community with the date and size
of its last package, a warning when one has been silent for over 30 days; send
packages back down; the conflicts, both versions side by side, for a person to
decide (采用本地 / 采用来件).

All work goes through services.sync off the GUI thread.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QTabWidget, QWidget,
)

from desktop_app.gui import icons
from desktop_app.gui.widgets import common, forms
from desktop_app.gui.errors import show_error
from desktop_app.gui.ops import run_op
from desktop_app.gui.sync import dialogs
from desktop_app.gui.sync.conflicts import ConflictsPanel
from desktop_app.gui.sync.dialogs import (
    KEY_FILTER, PACKAGE_FILTER, REPLY_FILTER, REQUEST_FILTER, BatchConfirmDialog, BatchResultDialog, ExportSummaryDialog,
    ImportPreviewDialog, local_time, size_text,
)
from desktop_app.gui.sync.models import (
    COMMUNITY_GIVE_WAY, IMPORT_COLUMNS, ColumnModel, button, community_columns, export_columns, silent_red, table_view,
)
from desktop_app.gui.widgets.bars import WRITES, community_box, mark_writes, refill_communities
from desktop_app.gui.widgets.layouts import column, error_line, fill, scrolled, wrapped
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import table_view as fitted_view
from desktop_app.services import auth, sync
from desktop_app.services.sync import ImportPreview
from desktop_app.views.changes import Change, changes
from desktop_app.views.sync import BatchReport, CommunityStatus, ImportReport, KeyInfo, KeyUseResult, PackageCheck, SyncState


class SyncPage(Page):
    watches = changes(Change.SYNC, Change.ORGS, Change.MEMBERS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.is_street = ctx.site.is_top
        # 街道 or 区: the database holding the key (a community learns it from its enrolment reply)
        self.upper = sync.upper(ctx.db)
        self.state: SyncState | None = None
        self._phrase: str | None = None
        self._queue: list[Path] = []
        self._full_once = False  # 导出全部数据 ticked by enrolment, for the one export after it
        self._allowed: dict[str, bool] = {}  # auth.can by permission, for the write buttons (_write)
        heading = QLabel("数据同步" + (f"（{ctx.site.level_label}）" if self.is_street else ""))  # 街道 or 区
        heading.setObjectName("pageHeading")
        self.key_label = wrapped()
        self.message = QLabel()
        self.message.setStyleSheet("color: #2e7d32")
        self.tabs = QTabWidget()
        self.conflicts = ConflictsPanel(self)
        if self.is_street:
            self._build_street()
        else:
            self._build_community()
        self.conflict_tab = self.tabs.addTab(self.conflicts, icons.get("conflict"), "冲突")
        self.key_label.setVisible(self.is_street)  # a community shows its key in its own box
        # at the street the key's buttons stand beside it: on the list's bar they made the page 1026 pixels wide
        key_row = fill(QHBoxLayout(), (self.key_label, 1), self.key_button, self.replace_key) if self.is_street \
            else self.key_label
        column(self, heading, key_row, (self.tabs, 1), self.message)

    # --- layout ---------------------------------------------------------------------
    def _build_community(self) -> None:
        # 网格员 and 只读 saved a request and typed a passphrase twice, to be refused: enrolment is the 管理员's
        self.key_button = self._write(button("", "key", self.enrol_request), "settings.write")
        self.finish_button = self._write(button("导入登记回执…", "key", self.enrol_finish), "settings.write")
        self.may_enrol = self._may("settings.write")
        key_box = QGroupBox("同步登记")
        self.key_status = wrapped()
        fill(QHBoxLayout(key_box), (self.key_status, 1), self.key_button, self.finish_button)

        self.full = QCheckBox()
        self.plain = QCheckBox("不加密（明文 CSV，能用 Excel 打开；含身份证号，仅在安全场合使用）")
        self.export_button = self._write(button("导出数据包…", "package-out", self.export_package), "sync.export")
        # a package refused for 党费 changed in a closed month names this button (sync.ownership)
        self.closed_dues_button = self._write(
            button("恢复已结账月份的党费…", "undo", self.closed_dues), "dues.write sync.export")
        self.last_export = wrapped()
        self.out_box = QGroupBox()
        self.out_lead = QLabel()
        column(self.out_box, self.out_lead, self.full, self.plain,
               fill(QHBoxLayout(), (self.last_export, 1), self.closed_dues_button, self.export_button))

        self.import_button = self._write(button("", "package-in", self.import_packages), "sync.import")
        self.last_import = wrapped()
        self.in_box = QGroupBox()
        fill(QHBoxLayout(self.in_box), (self.last_import, 1), self.import_button)

        self.history = ColumnModel(export_columns(self.upper), parent=self)
        self.history_view = table_view(self.history)
        tab = QWidget()
        column(tab, key_box, self.out_box, self.in_box, QLabel("报送记录"), (self.history_view, 1))
        self.out_tab = self.tabs.addTab(scrolled(tab), icons.get("usb"), "")  # three boxes and a list: 405 pixels tall
        self._name_upper(self.upper)

    def _name_upper(self, up: str) -> None:
        """A community's words for where its data goes: 街道, or 区 once its enrolment says so."""
        self.upper = up
        self.key_button.setText(f"向{up}登记…")
        self.full.setText(f"导出全部数据（默认只导出{up}上次确认收到之后的变化）")
        self.out_box.setTitle(f"报送{up}")
        self.out_lead.setText(f"把本社区的数据导出为一个数据包文件，存到 U 盘交给{up}。")
        self.import_button.setText(f"导入{up}下发包…")
        self.in_box.setTitle(f"{up}下发")
        self.tabs.setTabText(self.out_tab, f"报送{up}")
        self.history.set_grid(export_columns(up), self.history.rows)
        self.conflicts.name_upper(up)

    def _build_street(self) -> None:
        w = self._write
        self.import_button = w(button("导入社区数据包…", "package-in", self.import_packages), "sync.import")
        self.send_selected = w(button("给所选社区生成下发包…", "send-down", lambda: self.send_down(all_=False)),
                               "sync.export")
        self.send_all = w(button("给全部社区生成下发包…", "send-down", lambda: self.send_down(all_=True)), "sync.export")
        self.key_button = w(button(f"生成{self.upper}密钥…", "key", self.new_key), "settings.write")
        self.replace_key = w(button("更换密钥…", "key", self.replace_street_key), "settings.write")
        self.revoke_button = w(button("作废所选社区的密钥…", "key", self.enrol_revoke), "settings.write")
        # At a district: a community enrolled before its street was kept (0036) sits under the 区委 until named
        self.street_button = w(button("设置所属街道…", "org-street", self.set_street), "settings.write orgs.write")
        self.street_button.setToolTip("所选社区属于哪个街道党工委：已导入的社区党委随即移到该街道之下")
        self._offer(self.street_button, self.ctx.site.level == "district")
        bar = fill(QHBoxLayout(), self.import_button, self.send_selected, self.send_all, 1,
                   self.street_button, self.revoke_button)
        self.warnings = error_line()
        columns = community_columns(self.ctx.site.level == "district")
        self.communities = ColumnModel(columns, row_color=silent_red, parent=self)
        titles = [c.title for c in columns]
        # fitted as the kit's lists: on a 1024 screen the lesser columns fold instead of a sideways scroll
        self.community_view = fitted_view(self.communities, multi=False, stretch=len(columns) - 1,
                                          give_way=[titles.index(t) for t in COMMUNITY_GIVE_WAY])
        self.community_view.selectionModel().selectionChanged.connect(lambda *_: self._set_send_buttons())
        tab = QWidget()
        column(tab, bar, self.warnings, (self.community_view, 1))
        self.tabs.addTab(tab, icons.get("org-community", icons.ACCENT), "各社区")
        self.imports = ColumnModel(IMPORT_COLUMNS, parent=self)
        self.import_view = table_view(self.imports)
        # "did you get our package of the 3rd?": one community's packages, not the newest 100 of all mixed
        self.import_community = community_box(self._load_imports, tip="只看这个社区报送的数据包")
        self.import_community.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # names whole
        tab = QWidget()
        column(tab, fill(QHBoxLayout(), self.import_community, 1), (self.import_view, 1))
        self.tabs.addTab(tab, icons.get("package-in"), "导入记录")
        self.history = ColumnModel(export_columns(self.upper), parent=self)
        self.tabs.addTab(table_view(self.history), icons.get("send-down"), "下发记录")
        self._set_send_buttons()

    def _may(self, permission: str) -> bool:
        if permission not in self._allowed:
            self._allowed[permission] = auth.can(self.ctx.db, permission)
        return self._allowed[permission]

    def _write(self, b: QPushButton, needs: str) -> QPushButton:
        """A button that writes, marked as the kit marks an action (bars.mark_writes: the permissions the service
        checks); shown only to an account that has them. The page's own showing goes through _offer."""
        mark_writes(b, needs)
        self._offer(b)
        return b

    def _offer(self, b: QPushButton, shown: bool = True) -> None:
        needs = str(b.property(WRITES) or "")
        if not (shown and all(self._may(p) for p in needs.split())):
            b.hide()
        elif b.parentWidget() is not None:  # (not yet laid out: it shows with its box; shown now it would float)
            b.show()

    # --- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        db, street = self.ctx.db, self.is_street
        peer = self.import_community.currentData() if street else None

        def load(job):
            state = sync.sync_state(db)
            exports = sync.exports(db)
            if street:
                return state, exports, sync.communities(db), sync.imports(db, community=peer)
            return state, exports, [], []

        run_op(self, load, self._show)
        self.conflicts.refresh()

    def _show(self, loaded) -> None:
        state, exports, communities, imports = loaded
        self.state = state
        if not self.is_street and state.upper != self.upper:
            self._name_upper(state.upper)  # enrolled with a district just now
        up = self.upper
        self.history.set_rows(exports)
        if state.has_key:
            who = state.street_org_name or f"本{up}"
            self.key_label.setText(f"{up}密钥：{who}，指纹 {state.fingerprint}（{local_time(state.key_set_at, '%Y-%m-%d')} 设置）")
        else:
            self.key_label.setText(
                f"尚未生成{up}密钥：先生成密钥（私钥文件由本{up}保管，不要拷给社区），再请各社区“向{up}登记”，"
                f"把登记申请交来，在这里“接受社区登记”。" if self.is_street
                else f"尚未向{up}登记：请“向{up}登记”，把登记申请交给{up}，再导入{up}的登记回执。"
            )
        if self.is_street:
            self.communities.set_rows(communities)
            refill_communities(self.import_community, [(c.org_name, c.site_id) for c in communities])
            self._show_imports(imports)
            self.conflicts.set_communities(communities)
            silent = [c for c in communities if c.silent]
            self.warnings.setText(
                "；".join(f"{c.org_name}{c.warning}" for c in silent) + "，请提醒报送。" if silent else ""
            )
            self.warnings.setVisible(bool(silent))
            self.key_button.setText("接受社区登记…" if state.has_key else f"生成{up}密钥…")
            self.key_button.setToolTip("导入社区的登记申请，核对指纹后写登记回执" if state.has_key else "")
            self._offer(self.replace_key, state.has_key)
            self._offer(self.revoke_button, state.has_key)
            self.import_button.setEnabled(state.has_key)
            self._set_send_buttons()
        else:
            self.key_status.setText(
                f"已设置：{state.street_org_name}，指纹 {state.fingerprint}" if state.has_key
                else f"尚未登记。请“向{up}登记”，把登记申请（.dqreq）交给{up}，核对指纹，再导入{up}的登记回执（.dqreply）。"
                if self.may_enrol else f"尚未登记：向{up}登记由本社区的管理员在这里办理。"
            )
            self.key_button.setText("重新登记…" if state.has_key else f"向{up}登记…")
            self.export_button.setEnabled(state.has_key)
            self.import_button.setEnabled(state.has_key)
            le, lc = state.last_export, state.last_confirmed
            parts = []
            if le:
                parts.append(f"上次导出：{local_time(le.created_at)}（{size_text(le.size)}）")
            if lc:
                parts.append(f"{up}已确认：{local_time(lc.created_at)} 的数据包")
            elif le:
                parts.append(f"{up}尚未确认，下次仍会导出全部数据")
            self.last_export.setText("；".join(parts) or "还没有导出过数据包。")
            li = state.last_import
            self.last_import.setText(
                f"上次导入{up}下发包：{local_time(li.imported_at)}" if li
                else f"{up}下发的数据包（组织树、分类清单、党费比例、确认回执）在这里导入。"
            )
            self.history_view.resizeColumnsToContents()

    def _load_imports(self) -> None:
        db, peer = self.ctx.db, self.import_community.currentData()
        run_op(self, lambda job: sync.imports(db, community=peer), self._show_imports)

    def _show_imports(self, imports) -> None:
        self.imports.set_rows(imports)
        self.import_view.resizeColumnsToContents()  # the times on one line each, the file name takes the rest

    def set_conflict_count(self, n: int) -> None:
        self.tabs.setTabText(self.conflict_tab, f"冲突（{n}）" if n else "冲突")
        self.tabs.setTabIcon(self.conflict_tab, icons.get("conflict", icons.ACCENT if n else "#444444"))

    def status(self, text: str) -> None:
        self.message.setText(text)

    def _set_send_buttons(self) -> None:
        if not self.is_street:
            return
        keyed = self.state is not None and self.state.has_key
        self.send_all.setEnabled(keyed and self.communities.rowCount() > 0)
        chosen = bool(self.community_view.selectionModel().selectedRows())
        self.send_selected.setEnabled(keyed and chosen)
        self.street_button.setEnabled(chosen)

    def selected_community(self) -> CommunityStatus | None:
        rows = self.community_view.selectionModel().selectedRows()
        return self.communities.row(rows[0].row()) if rows else None

    # --- keys ---------------------------------------------------------------------
    def _passphrase(self, new: bool = False) -> bool:
        """Ask once per session for the private key's passphrase (not on Windows' key store, not from the env)."""
        if os.environ.get(sync.PASSPHRASE_ENV) or self._phrase is not None or sys.platform == "win32":
            return True
        text, ok = QInputDialog.getText(self, "同步私钥口令", "设置保护私钥的口令（至少 8 个字符）：" if new
                                        else "请输入同步私钥的口令：", QLineEdit.EchoMode.Password)
        if not ok or not text:
            return False
        self._phrase = text
        phrase = text
        sync.set_passphrase_provider(lambda _new: phrase)
        return True

    def enrol_request(self) -> None:
        if self.state is not None and self.state.has_key and not common.ask(
            self, "重新登记", f"本社区已登记。重新登记会生成新的密钥，{self.upper}接受之前不能报送。继续吗？"
        ):
            return
        path = dialogs.choose_save(self, "保存登记申请", f"登记申请_{self.ctx.site.org_code}.dqreq", REQUEST_FILTER)
        if path is None or not self._passphrase(new=True):
            return
        db = self.ctx.db
        run_op(self, lambda job: sync.enrol_request(db, path), self._requested, label="正在生成密钥…",
               changes=changes(Change.SYNC))

    def _requested(self, result) -> None:
        forms.offer_open(self, result.path, f"登记申请已保存到 {result.path}。\n指纹：{result.fingerprint}\n"
                         f"请把文件交给{self.upper}，并与{self.upper}屏幕上显示的指纹核对一致；再导入{self.upper}的登记回执。")

    def enrol_finish(self) -> None:
        path = dialogs.choose_open(self, f"选择{self.upper}的登记回执", REPLY_FILTER)
        if path is None:
            return
        db = self.ctx.db
        run_op(self, lambda job: sync.enrol_finish(db, path), self._key_taken, label="正在完成登记…",
               changes=changes(Change.ORGS, Change.SYNC))

    def _key_taken(self, result: KeyUseResult) -> None:
        info = result.info
        up = info.upper
        text = f"已完成向{info.street_org_name}的登记（{up}密钥指纹 {info.fingerprint}）。"
        if result.moved_under_street:
            text += f"\n本社区党委已挂到“{info.street_org_name}”之下，与街道的组织树一致。"
        if result.street_changed:
            text += f"\n这是另一个{up}：下次会导出全部数据。"
        text += f"\n下一步：点“导出数据包…”，把本社区的全部数据存到 U 盘，交给{up}导入。"
        self.full.setChecked(True)  # the street has nothing under the new keys yet (README: export --full once)
        self._full_once = True
        common.inform(self, "同步登记", text)

    def new_key(self) -> None:
        db = self.ctx.db
        code = self.ctx.site.org_code
        if self.state is not None and self.state.has_key:
            self.enrol_accept()
            return
        path = dialogs.choose_save(self, f"保存{self.upper}私钥文件", f"{self.upper}私钥_{code}.dqkey", KEY_FILTER)
        if path is None or not self._passphrase(new=True):
            return
        run_op(self, lambda job: sync.new_key(db, path), lambda info: self._key_written(path, info),
               changes=changes(Change.SYNC))

    def enrol_accept(self) -> None:
        path = dialogs.choose_open(self, "选择社区的登记申请", REQUEST_FILTER)
        if path is None:
            return
        db = self.ctx.db
        try:
            req = sync.read_request(db, path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return
        street = self._street_for(req.org_name)
        if street is None:
            return
        where = f"所属：{dict(street[1])[street[0]]}\n" if street[0] else ""
        if not common.ask(self, "接受登记", f"{req.org_name}（{req.org_code}）\n{where}指纹：{req.fingerprint}\n"
                          "请与社区屏幕上的指纹逐字核对（电话或纸面）。一致才接受。接受吗？"):
            return
        out = dialogs.choose_save(self, "保存登记回执", f"登记回执_{req.org_code}.dqreply", REPLY_FILTER)
        if out is None:
            return
        run_op(self, lambda job: sync.enrol_accept(db, path, out, street[0] or None),
               lambda e: forms.offer_open(self, out, f"已接受{e.org_name}的登记"
                                          + (f"（所属{e.street_name}）" if e.street_name else "")
                                          + f"。请把回执 {out} 交回社区导入。"),
               changes=changes(Change.SYNC))

    def _street_for(self, community: str) -> tuple[str, list[tuple[str, str]]] | None:
        """At a district: the street the community goes under (a street's account: its own, no question);
        ("", []) at a street database; None when cancelled or there is none to choose."""
        if self.ctx.site.level != "district":
            return "", []
        try:
            streets = sync.enrol_streets(self.ctx.db)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return None
        if not streets:
            common.inform(self, "接受登记", "本区还没有街道党工委：请先在“党组织”页“新增街道党工委”，再接受社区登记。")
            return None
        chosen = streets[0][0] if len(streets) == 1 else dialogs.choose_street(self, community, streets)
        return (chosen, streets) if chosen else None

    def set_street(self) -> None:
        """At a district: name the street of the chosen community's enrolment (one made before streets were kept)."""
        c = self.selected_community()
        if c is None:
            return
        try:
            streets = sync.enrol_streets(self.ctx.db)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return
        if not streets:
            common.inform(self, "设置所属街道", "本区还没有街道党工委：请先在“党组织”页“新增街道党工委”。")
            return
        chosen = dialogs.choose_street(
            self, c.org_name, streets,
            f"{c.org_name}属于哪个街道党工委？\n已导入本库的社区党委随即移到这个街道之下（下次下发包带给社区）；"
            "尚未报送的，第一个数据包导入后挂在这里。")
        if not chosen:
            return
        db = self.ctx.db
        run_op(self, lambda job: sync.enrol_set_street(db, c.site_id, chosen),
               lambda e: common.inform(self, "设置所属街道", f"{e.org_name}的所属街道已设为{e.street_name}"
                                       + ("，它的社区党委已移到该街道之下。" if e.moved else "。")),
               changes=changes(Change.ORGS, Change.SYNC))

    def enrol_revoke(self) -> None:
        c = self.selected_community()
        if c is None or not common.ask(
            self, "确认作废密钥",
            f"作废“{c.org_name}”（{c.org_code}）的同步密钥（密钥丢失或被盗时使用）：\n"
            "· 此后它签名的数据包一律拒收，包括已经拷出、尚未导入的；\n"
            "· 已经导入的数据不受影响；\n"
            f"· 它要重新“向{self.upper}登记”，你接受之后才能再报送。\n"
            "作废会记入审计日志，不能撤销。确定作废吗？"):
            return
        db = self.ctx.db
        run_op(self, lambda job: sync.enrol_revoke(db, c.site_id),
               lambda e: common.inform(self, "作废密钥", f"已作废{e.org_name}的密钥。"), changes=changes(Change.SYNC))

    def replace_street_key(self) -> None:
        if not common.ask(
            self, f"更换{self.upper}密钥",
            "换新密钥后，各社区必须重新登记，才能再报送数据。\n确定要更换吗？",
        ):
            return
        path = dialogs.choose_save(self, f"保存新的{self.upper}私钥文件", f"{self.upper}私钥_{self.ctx.site.org_code}.dqkey",
                                        KEY_FILTER)
        if path is None or not self._passphrase(new=True):
            return
        db = self.ctx.db
        run_op(self, lambda job: sync.new_key(db, path, replace=True), lambda info: self._key_written(path, info),
               changes=changes(Change.SYNC))

    def _key_written(self, path: Path, info: KeyInfo) -> None:
        forms.offer_open(
            self, path,
            f"{self.upper}私钥已保存到 {path}（指纹 {info.fingerprint}），受口令保护，请妥善保管、另做备份。\n"
            f"各社区在“数据同步”中“向{self.upper}登记”，把登记申请交来，在这里“接受社区登记”。",
        )

    # --- packages out -----------------------------------------------------------------
    def export_package(self) -> None:
        if not self._passphrase():
            return
        plain = self.plain.isChecked()
        if plain and not common.ask(
            self, "不加密导出", "不加密的数据包任何人都能打开，里面有党员的身份证号和电话。\n确定不加密吗？"
        ):
            return
        folder = dialogs.choose_folder(self, "选择存放数据包的文件夹（U 盘）")
        if folder is None or not self._folder_there(folder, "导出数据包…"):
            return
        self.status("")  # the last success said below a refusal would read as this one's outcome
        db, full = self.ctx.db, self.full.isChecked()
        run_op(
            self, lambda job: sync.export_package(db, folder, full=full, plain=plain, progress=job.report),
            self._exported, label="正在导出数据包…", changes=changes(Change.SYNC),
        )

    def _folder_there(self, folder: Path, button_text: str) -> bool:
        """The folder chosen is still there: a stick pulled out after choosing it left a name the service would
        have written the package under as a file, with no .dqsync the other side could find."""
        if folder.is_dir():
            return True
        common.inform(self, "找不到文件夹",
                      f"找不到文件夹 {folder}，U 盘可能已经拔出。什么也没有写出。\n"
                      f"请插好 U 盘，再点“{button_text}”重新选择文件夹。")
        return False

    def closed_dues(self) -> None:
        """The records the street refuses for a closed month, previewed; put back as the street holds them."""
        from desktop_app.services.sync import closed_dues

        db = self.ctx.db
        run_op(self, lambda job: closed_dues.closed_dues(db), self._closed_dues_found, label="正在查找…")

    def _closed_dues_found(self, plan) -> None:
        from desktop_app.gui.sync.closed_dues import ClosedDuesDialog
        from desktop_app.services.sync import closed_dues

        self.closed_dues_dialog = dlg = ClosedDuesDialog(self, plan)
        if dlg.exec() != ClosedDuesDialog.DialogCode.Accepted or not plan.ids:
            return
        db, ids = self.ctx.db, plan.ids
        run_op(self, lambda job: closed_dues.restore_closed_dues(db, ids),
               lambda r: self.status(r.text(plan.upper)), label="正在恢复…",
               changes=changes(Change.SYNC, Change.DUES, Change.LEDGER))

    def _exported(self, result) -> None:
        results = result if isinstance(result, list) else [result]
        if self._full_once and results[0].kind != "downstream":
            self._full_once = False
            self.full.setChecked(False)  # sent once in full: the next ones carry the changes
        what = "下发包" if results[0].kind == "downstream" else "数据包"
        skipped = getattr(result, "skipped", None)  # 给全部社区 left out a revoked key: said in the status too
        self.status(f"已生成 {len(results)} 个{what}：{results[0].path.parent}"
                    + (f"；{result.skipped_text()}" if skipped else ""))
        ExportSummaryDialog(self, results, self.upper).exec()

    def send_down(self, all_: bool) -> None:
        if not self._passphrase():
            return
        target = None if all_ else self.selected_community()
        if not all_ and target is None:
            return
        title = "选择存放下发包的文件夹" + ("" if all_ else f"（{target.org_name}）")
        folder = dialogs.choose_folder(self, title)
        if folder is None or not self._folder_there(folder, "给全部社区生成下发包…" if all_ else "给所选社区生成下发包…"):
            return
        self.status("")
        db = self.ctx.db
        if all_:
            fn = lambda job: sync.send_all(db, folder, progress=job.report)  # noqa: E731
        else:
            fn = lambda job: sync.send_package(db, folder, target.site_id, progress=job.report)  # noqa: E731
        run_op(self, fn, self._exported, label="正在生成下发包…", changes=changes(Change.SYNC))

    # --- packages in --------------------------------------------------------------------
    def import_packages(self) -> None:
        if not self._passphrase():
            return
        if self.is_street:
            paths = dialogs.choose_files(self, "选择社区数据包（可多选）", PACKAGE_FILTER)
        else:
            one = dialogs.choose_open(self, f"选择{self.upper}下发包", PACKAGE_FILTER)
            paths = [one] if one else []
        if paths:
            self.status("")
        if len(paths) > 1:
            self._check_batch(paths)
            return
        self._queue = list(paths)
        self._next_import()

    # several at once: one confirmation, one merge (services.sync.import_packages), one result
    def _check_batch(self, paths: list[Path]) -> None:
        db = self.ctx.db
        run_op(self, lambda job: sync.check_packages(db, paths, progress=job.report), self._confirm_batch,
               label=f"正在核对 {len(paths)} 个数据包…")

    def _confirm_batch(self, checks: list[PackageCheck]) -> None:
        confirm = BatchConfirmDialog(self, checks)
        if confirm.exec() != BatchConfirmDialog.DialogCode.Accepted or not confirm.paths:
            return
        paths = confirm.paths
        skipped = [c.path for c in checks if c.refused]
        why = {c.path: c.refused for c in checks if c.refused}
        rows = {c.path: c.rows for c in checks}
        db = self.ctx.db

        def work(job):
            def progress(k: int, n: int, done: int, total: int) -> None:
                total = total or rows[paths[k]]  # (0 while the package is verified: its rows from the check)
                job.report(min(done, total), total, f"正在导入第 {k + 1} / {n} 个数据包：{paths[k].name}")

            return sync.import_packages(db, paths, progress=progress)  # job.report raises Cancelled to stop

        run_op(self, work, lambda report: self._batch_imported(report, skipped, why), label=f"正在导入 {len(paths)} 个数据包…",
               changes=changes(Change.ALL))

    def _batch_imported(self, report: BatchReport, skipped: list[Path], why: dict[Path, str]) -> None:
        self.status(f"{report.summary()}；"
                    f"新增 {report.total('inserted')}，更新 {report.total('updated')}，冲突 {report.total('conflicts')}"
                    + ("（已取消）" if report.cancelled else "") + (f"；另有 {dialogs.skipped_text(skipped)}" if skipped else ""))
        BatchResultDialog(self, report, skipped, why).exec()

    def _next_import(self) -> None:
        if not self._queue:
            return
        path = self._queue.pop(0)
        db = self.ctx.db
        # The preview decrypts, verifies and decodes the package once; applying it reuses all of that.
        run_op(
            self, lambda job: sync.preview_import(db, path), self._preview,
            self._import_failed, label=f"正在核对 {path.name}…",
        )

    def _preview(self, preview: ImportPreview) -> None:
        if ImportPreviewDialog(self, preview.report, upper=self.upper).exec() != ImportPreviewDialog.DialogCode.Accepted:
            self._next_import()
            return
        db = self.ctx.db
        run_op(
            self, lambda job: sync.apply_import(db, preview, progress=job.report), self._imported,
            self._import_failed, label=f"正在导入 {preview.path.name}…",
            changes=changes(Change.ALL),  # any table may have changed
        )

    def _imported(self, report: ImportReport) -> None:
        kept = report.total("conflicts")
        self.status(f"已导入{report.from_site.org_name}的{'下发包' if report.kind == 'downstream' else '数据包'}："
                    f"新增 {report.total('inserted')}，更新 {report.total('updated')}，冲突 {kept}"
                    + ("，请到“冲突”中处理" if kept else ""))
        ImportPreviewDialog(self, report, result=True, upper=self.upper).exec()
        self._next_import()

    def _import_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self._next_import()
