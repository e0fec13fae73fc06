"""微心愿: post a resident's wish, let a member or partner unit claim it (or withdraw), record it fulfilled,
print the cards for the notice board and the list."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.domain.money import format_yuan
from desktop_app.gui.bus import bus
from desktop_app.gui.dialogs import common
from desktop_app.gui.dialogs import service_dialogs as dlgs
from desktop_app.gui.dialogs.service_dialogs import Col, ListPanel
from desktop_app.gui.ops import run_op
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import residents as resident_service
from desktop_app.services import wishes as wish_service
from desktop_app.services.wishes import WishDetail, WishFilter, WishRow


def _d(d: date | None) -> str:
    return d.isoformat() if d else ""


COLUMNS = (
    Col("编号", lambda r: r.wish_no, True, 92),
    Col("心愿人", lambda r: r.wisher_name, False, 64),
    Col("网格", lambda r: r.grid_name, False, 110),
    Col("心愿内容", lambda r: r.content, False, 200),
    Col("价值（元）", lambda r: format_yuan(r.estimated_fen) if r.estimated_fen else "", True, 80),
    Col("发布", lambda r: _d(r.posted_on), True, 84),
    Col("状态", lambda r: r.state, True, 60),
    Col("认领人", lambda r: r.claimant_name, False, 110),
    Col("实现", lambda r: _d(r.fulfilled_on), True, 84),
)


def _color(r: WishRow):
    return {flow.WISH_FULFILLED: dlgs.DONE, flow.WISH_POSTED: dlgs.ALERT}.get(r.state)


def details_html(w: WishDetail) -> str:
    e = escape
    lines = [
        f"<h3>{e(w.wish_no)} {e(w.wisher_name)}</h3>",
        f"<p>{e(w.grid_name)}<br>{e(w.address)}</p>",
        f"<p>心愿：<b>{e(w.content)}</b><br>情况：{e(w.background or '—')}<br>"
        f"预计价值：{format_yuan(w.estimated_fen) + ' 元' if w.estimated_fen else '—'}<br>发布：{_d(w.posted_on)}</p>",
        f"<p>状态：<b>{e(w.state)}</b></p>",
    ]
    if w.claimant_name:
        lines.append(f"<p>认领：{e(w.claimant_kind)} {e(w.claimant_name)}（{_d(w.claimed_on)}）</p>")
    if w.fulfilled_on:
        lines.append(f"<p>实现：{_d(w.fulfilled_on)}<br>{e(w.fulfil_note)}</p>")
    if w.claims:
        items = "".join(f"<li>{_d(c.claimed_on)} {e(c.claimant_name)}：{e(c.status)}"
                        f"{('，' + _d(c.ended_on)) if c.ended_on else ''}{('（' + e(c.note) + '）') if c.note else ''}</li>"
                        for c in w.claims)
        lines.append(f"<p>认领记录：</p><ul>{items}</ul>")
    return "".join(lines)


class WishesPage(Page):
    title = "微心愿"
    icon = "wishes"
    watches = ("wishes", "residents", "members", "orgs")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self._today = today
        self.grids: list[resident_service.Grid] = []
        self.units: list = []
        self.detail: WishDetail | None = None
        self._keep: str | None = None
        self.counts = QLabel()
        top = QHBoxLayout()
        top.addWidget(dlgs.heading("微心愿"))
        top.addStretch(1)
        top.addWidget(self.counts)

        tb, action = dlgs.toolbar(self)
        self.act_post = action("add", "发布心愿", self.post_wish, "Ctrl+N")
        self.act_claim = action("claim", "认领", self.claim)
        self.act_withdraw = action("undo", "撤回认领", self.withdraw)
        self.act_fulfil = action("fulfil", "已实现", self.fulfil)
        self.act_edit = action("edit", "修改", self.edit_wish)
        self.act_delete = action("delete", "删除", self.delete_wish)
        tb.addSeparator()
        self.act_cards = action("print", "打印心愿卡", self.print_cards)
        self.act_list = action("print", "打印清单", self.print_list)
        self.act_units = action("units", "共建单位", self.edit_units)

        self.search = dlgs.search_box("搜索：心愿人（可用拼音首字母）、心愿内容、认领人、编号")
        self.state = dlgs.combo([("全部状态", None)] + [(s, s) for s in flow.WISH_STATES])
        self.grid = QComboBox()
        self.grid.addItem("全部网格", None)
        year = self.today.year
        self.year = dlgs.combo([("全部年份", None)] + [(f"{y}年发布", y) for y in range(year, year - 5, -1)])
        self.search.textChanged.connect(dlgs.debounced(self, self.refresh))
        for box in (self.state, self.grid, self.year):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for box in (self.state, self.grid, self.year):
            filters.addWidget(box)

        self.panel = ListPanel(COLUMNS, _color, stretch=3, details_width=260)
        self.panel.current_changed.connect(self._current)
        self.panel.activated.connect(lambda _r: self.edit_wish())
        self.message = QLabel()
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(tb)
        lay.addLayout(filters)
        lay.addWidget(self.panel, 1)
        lay.addWidget(self.message)
        self._update_actions()

    @property
    def today(self) -> date:
        return self._today or date.today()

    def current_filter(self) -> WishFilter:
        return WishFilter(text=self.search.text(), state=self.state.currentData(), grid_id=self.grid.currentData(),
                          year=self.year.currentData())

    def refresh(self) -> None:
        super().refresh()
        db, flt, year = self.ctx.db, self.current_filter(), self.today.year

        def load(job):
            return (wish_service.list_wishes(db, flt), resident_service.grids(db), wish_service.list_units(db),
                    sum(wish_service.fulfilled_counts(db, year).values()))

        keep = self._keep or (self.panel.selected().id if self.panel.selected() else None)
        self._keep = None
        run_op(self, load, lambda result: self._loaded(result, keep))

    def _loaded(self, result, keep) -> None:
        rows, grids, units, fulfilled = result
        self.grids, self.units = grids, units
        dlgs.refill(self.grid, "全部网格", [(g.name, g.id) for g in grids])
        self.panel.set_rows(rows, keep)
        waiting = sum(1 for r in rows if r.state == flow.WISH_POSTED)
        self.counts.setText(f"列出 {len(rows)} 个，待认领 {waiting} 个　{self.today.year}年已实现 {fulfilled} 个")
        self._update_actions()

    def _current(self, row: WishRow | None) -> None:
        self.detail = None
        self._update_actions()
        if row is None:
            self.panel.details.setText("发布心愿：Ctrl+N。")
            return
        db = self.ctx.db
        run_op(self, lambda job: wish_service.get_wish(db, row.id), self._show_detail)

    def _show_detail(self, detail: WishDetail) -> None:
        current = self.panel.selected()
        if current is None or current.id != detail.id:
            return
        self.detail = detail
        self.panel.details.setText(details_html(detail))
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.panel.selected()
        d = self.detail if self.detail and row and self.detail.id == row.id else None
        state = d.state if d else None
        self.act_claim.setEnabled(state == flow.WISH_POSTED)
        self.act_withdraw.setEnabled(state == flow.WISH_CLAIMED)
        self.act_fulfil.setEnabled(state == flow.WISH_CLAIMED)
        self.act_edit.setEnabled(d is not None and state != flow.WISH_FULFILLED)
        self.act_delete.setEnabled(d is not None)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _changed(self, wish_id: str | None, text: str) -> None:
        self._keep = wish_id
        self.show_message(text)
        bus.changed.emit("wishes")

    # --- actions -----------------------------------------------------------
    def post_wish(self) -> None:
        dlg = dlgs.WishDialog(self, self.ctx.db, self.grids, today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(dlg.saved.id, f"已发布心愿 {dlg.saved.wish_no}。")

    def edit_wish(self) -> None:
        d = self.detail
        if d is None or d.state == flow.WISH_FULFILLED:
            return
        dlg = dlgs.WishDialog(self, self.ctx.db, self.grids, d, today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(d.id, "已保存修改。")

    def claim(self) -> None:
        d = self.detail
        if d is None or d.state != flow.WISH_POSTED:
            return
        dlg = dlgs.ClaimDialog(self, self.ctx.db, d, self.units, self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(d.id, f"心愿 {d.wish_no} 已由 {dlg.saved.claimant_name} 认领。")

    def withdraw(self) -> None:
        d = self.detail
        if d is None or d.state != flow.WISH_CLAIMED:
            return
        db, today = self.ctx.db, self.today
        dlg = dlgs.DateNoteDialog(
            self, "撤回认领", f"{d.claimant_name} 撤回对心愿“{d.content}”的认领，心愿回到待认领。", "撤回日期", "撤回原因",
            lambda on, note: wish_service.withdraw_claim(db, d.id, on, note, today), "撤回认领", "可不填", today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(d.id, f"已撤回认领，心愿 {d.wish_no} 重新待认领。")

    def fulfil(self) -> None:
        d = self.detail
        if d is None or d.state != flow.WISH_CLAIMED:
            return
        db, today = self.ctx.db, self.today
        dlg = dlgs.DateNoteDialog(
            self, "心愿已实现", f"{d.claimant_name} 认领的心愿：{d.wisher_name}，{d.content}", "实现日期", "实现情况",
            lambda on, note: wish_service.fulfil_wish(db, d.id, on, note, today), "确认实现",
            "送了什么、谁送去的、居民的反馈", today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(d.id, f"心愿 {d.wish_no} 已实现。")

    def delete_wish(self) -> None:
        d = self.detail
        if d is None or not common.ask(self, "删除心愿", f"确定删除心愿 {d.wish_no}（{d.wisher_name}：{d.content}）吗？"):
            return
        db = self.ctx.db
        run_op(self, lambda job: wish_service.delete_wish(db, d.id), lambda _r: self._changed(None, "已删除。"))

    def edit_units(self) -> None:
        dlg = dlgs.UnitsDialog(self, self.ctx.db)
        dlg.exec()
        if dlg.changed:
            bus.changed.emit("wishes")

    # --- printing ----------------------------------------------------------
    def print_cards(self) -> None:
        chosen = self.panel.selected_rows()
        rows = chosen if len(chosen) > 1 else [r for r in self.panel.model.rows if r.state == flow.WISH_POSTED]
        if not rows:
            common.inform(self, "打印心愿卡", "当前没有待认领的心愿。可先选中要打印的心愿（按住 Ctrl 多选）。")
            return
        path = dlgs.ask_save_path(self, f"打印心愿卡（{len(rows)} 张，每页 6 张）", f"微心愿卡{self.today:%Y%m%d}.pdf")
        if path is None:
            return
        from desktop_app.reports.wishes import render_wish_cards

        center, today = self.ctx.site.org_name, self.today
        run_op(self, lambda job: render_wish_cards(center, rows, path, today),
               lambda _d: self.show_message(f"已保存 {len(rows)} 张心愿卡：{path}"), label="正在生成心愿卡…")

    def print_list(self) -> None:
        rows = list(self.panel.model.rows)
        path = dlgs.ask_save_path(self, f"打印微心愿清单（{len(rows)} 个）", f"微心愿清单{self.today:%Y%m%d}.pdf")
        if path is None:
            return
        from desktop_app.reports.wishes import render_wish_list

        db, center, today, year = self.ctx.db, self.ctx.site.org_name, self.today, self.year.currentData()
        grid = self.grid.currentData()

        def render(job):
            by_month = wish_service.fulfilled_counts(db, year, grid) if year else None
            return render_wish_list(center, rows, path, f"{year}年发布" if year else "", by_month, today)

        run_op(self, render, lambda _d: self.show_message(f"已保存微心愿清单：{path}"), label="正在生成清单…")
