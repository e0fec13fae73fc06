"""矛盾调处: dispute cases — receive, record each mediation session, close with the outcome, print the record."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QInputDialog, QLabel, QVBoxLayout, QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.domain.idcard import mask_phone
from desktop_app.gui.bus import bus
from desktop_app.gui.dialogs import common
from desktop_app.gui.dialogs import service_dialogs as dlgs
from desktop_app.gui.dialogs.service_dialogs import Col, ListPanel
from desktop_app.gui.ops import run_op
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import mediation as svc
from desktop_app.services import residents as resident_service
from desktop_app.services.mediation import CaseDetail, CaseFilter, CaseRow


def _d(d: date | None) -> str:
    return d.isoformat() if d else ""


COLUMNS = (
    Col("案号", lambda r: r.case_no, True, 92),
    Col("受理日期", lambda r: _d(r.received_on), True, 86),
    Col("纠纷类型", lambda r: r.kind, True, 90),
    Col("当事人", lambda r: r.parties, False, 140),
    Col("网格", lambda r: r.grid_name, False, 110),
    Col("简要情况", lambda r: r.summary, False, 200),
    Col("调解员", lambda r: r.mediator, False, 70),
    Col("次数", lambda r: str(r.sessions), True, 44),
    Col("结果", lambda r: r.state, True, 80),
)


def _color(r: CaseRow):
    return {flow.MEDIATION_SUCCESS: dlgs.DONE, flow.MEDIATION_FAILED: dlgs.MUTED}.get(r.state)


def details_html(c: CaseDetail) -> str:
    e = escape
    parties = "".join(f"<li>{e(p.role)}：{e(p.name)} {e(mask_phone(p.phone))} {e(p.address)}</li>" for p in c.party_rows)
    sessions = "".join(f"<li>{_d(x.session_date)} {e(x.place)}（{e(x.mediators)}）：{e(x.notes)}</li>" for x in c.sessions)
    lines = [
        f"<h3>{e(c.case_no)} {e(c.kind)}</h3>",
        f"<p>受理：{_d(c.received_on)}（{e(c.source)}）<br>{e(c.grid_name)}<br>调解员：{e(c.mediator)}</p>",
        f"<p>当事人：</p><ul>{parties}</ul>",
        f"<p>{e(c.summary)}</p>",
        f"<p>调解经过（{len(c.sessions)} 次）：</p><ul>{sessions or '<li>尚无</li>'}</ul>",
        f"<p>结果：<b>{e(c.state)}</b>{('　' + _d(c.closed_on)) if c.closed_on else ''}"
        f"{('<br>转交：' + e(c.transferred_to)) if c.transferred_to else ''}"
        f"{('<br>协议：' + e(c.agreement)) if c.agreement else ''}</p>",
    ]
    if c.notes:
        lines.append(f"<p>备注：{e(c.notes)}</p>")
    return "".join(lines)


class MediationPage(Page):
    title = "矛盾调处"
    icon = "mediation"
    watches = ("mediation", "residents", "orgs", "service_lists")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self._today = today
        self.grids: list[resident_service.Grid] = []
        self.kinds: tuple[str, ...] = flow.DEFAULT_LISTS[flow.DISPUTE_KIND]
        self.detail: CaseDetail | None = None
        self._keep: str | None = None
        self.counts = QLabel()
        top = QHBoxLayout()
        top.addWidget(dlgs.heading("矛盾纠纷调处"))
        top.addStretch(1)
        top.addWidget(self.counts)

        tb, action = dlgs.toolbar(self)
        self.act_new = action("add", "受理纠纷", self.new_case, "Ctrl+N")
        self.act_edit = action("edit", "修改", self.edit_case)
        self.act_session = action("session", "调解记录", self.add_session)
        self.act_close = action("close-case", "结案", self.close_case)
        self.act_reopen = action("undo", "重新调解", self.reopen_case)
        self.act_delete = action("delete", "删除", self.delete_case)
        tb.addSeparator()
        self.act_print = action("print", "打印调解记录", self.print_record)
        self.act_kinds = action("tags", "纠纷类型", self.edit_kinds)

        self.search = dlgs.search_box("搜索：当事人、案号、纠纷情况、调解员")
        self.state = dlgs.combo([("全部案件", None)] + [(s, s) for s in flow.CASE_STATES])
        self.grid = QComboBox()
        self.grid.addItem("全部网格", None)
        year = self.today.year
        self.year = dlgs.combo([("全部年份", None)] + [(f"{y}年受理", y) for y in range(year, year - 5, -1)])
        self.search.textChanged.connect(dlgs.debounced(self, self.refresh))
        for box in (self.state, self.grid, self.year):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for box in (self.state, self.grid, self.year):
            filters.addWidget(box)

        self.panel = ListPanel(COLUMNS, _color, stretch=5, details_width=280)
        self.panel.current_changed.connect(self._current)
        self.panel.activated.connect(lambda _r: self.add_session())
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

    def current_filter(self) -> CaseFilter:
        return CaseFilter(text=self.search.text(), state=self.state.currentData(), grid_id=self.grid.currentData(),
                          year=self.year.currentData())

    def refresh(self) -> None:
        super().refresh()
        db, flt = self.ctx.db, self.current_filter()

        def load(job):
            return (svc.list_cases(db, flt), resident_service.grids(db),
                    resident_service.get_list(db, flow.DISPUTE_KIND))

        keep = self._keep or (self.panel.selected().id if self.panel.selected() else None)
        self._keep = None
        run_op(self, load, lambda result: self._loaded(result, keep))

    def _loaded(self, result, keep) -> None:
        rows, grids, kinds = result
        self.grids, self.kinds = grids, kinds
        dlgs.refill(self.grid, "全部网格", [(g.name, g.id) for g in grids])
        self.panel.set_rows(rows, keep)
        mediating = sum(1 for r in rows if r.state == flow.MEDIATING)
        success = sum(1 for r in rows if r.state == flow.MEDIATION_SUCCESS)
        self.counts.setText(f"列出 {len(rows)} 件：调解中 {mediating} 件，调解成功 {success} 件")
        self._update_actions()

    def _current(self, row: CaseRow | None) -> None:
        self.detail = None
        self._update_actions()
        if row is None:
            self.panel.details.setText("受理纠纷：Ctrl+N。")
            return
        db = self.ctx.db
        run_op(self, lambda job: svc.get_case(db, row.id), self._show_detail)

    def _show_detail(self, detail: CaseDetail) -> None:
        current = self.panel.selected()
        if current is None or current.id != detail.id:
            return
        self.detail = detail
        self.panel.details.setText(details_html(detail))
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.panel.selected()
        d = self.detail if self.detail and row and self.detail.id == row.id else None
        open_ = d is not None and d.state == flow.MEDIATING
        for act in (self.act_edit, self.act_delete, self.act_print):
            act.setEnabled(d is not None)
        self.act_session.setEnabled(open_)
        self.act_close.setEnabled(open_ and bool(d.sessions))
        self.act_reopen.setEnabled(d is not None and not open_)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _changed(self, case_id: str | None, text: str) -> None:
        self._keep = case_id
        self.show_message(text)
        bus.changed.emit("mediation")

    def _run_dialog(self, dlg, case_id: str | None, text) -> None:
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(case_id or dlg.saved.id, text(dlg.saved) if callable(text) else text)

    # --- actions -----------------------------------------------------------
    def new_case(self) -> None:
        self._run_dialog(dlgs.CaseDialog(self, self.ctx.db, self.grids, self.kinds, today=self.today), None,
                         lambda c: f"已受理纠纷 {c.case_no}。")

    def edit_case(self) -> None:
        if self.detail:
            self._run_dialog(dlgs.CaseDialog(self, self.ctx.db, self.grids, self.kinds, self.detail, self.today),
                             self.detail.id, "已保存修改。")

    def add_session(self) -> None:
        d = self.detail
        if d and d.state == flow.MEDIATING:
            self._run_dialog(dlgs.SessionDialog(self, self.ctx.db, d, today=self.today), d.id,
                             lambda c: f"已记录第 {len(c.sessions)} 次调解。")

    def close_case(self) -> None:
        d = self.detail
        if d and d.state == flow.MEDIATING:
            self._run_dialog(dlgs.OutcomeDialog(self, self.ctx.db, d, self.today), d.id,
                             lambda c: f"案件 {c.case_no}：{c.state}。")

    def reopen_case(self) -> None:
        d = self.detail
        if d is None or d.state == flow.MEDIATING:
            return
        reason, ok = QInputDialog.getText(self, "重新调解", f"案件 {d.case_no} 为什么需要重新调解？")
        if not ok:
            return
        db, today = self.ctx.db, self.today
        run_op(self, lambda job: svc.reopen_case(db, d.id, reason, today),
               lambda c: self._changed(d.id, f"案件 {c.case_no} 重新调解中。"))

    def delete_case(self) -> None:
        d = self.detail
        if d is None or not common.ask(self, "删除案件", f"确定删除调解案件 {d.case_no}（{d.kind}）吗？"):
            return
        db = self.ctx.db
        run_op(self, lambda job: svc.delete_case(db, d.id), lambda _r: self._changed(None, "已删除。"))

    def edit_kinds(self) -> None:
        dlg = dlgs.ListEditDialog(self, self.ctx.db, flow.DISPUTE_KIND, self.kinds)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            bus.changed.emit("service_lists")

    def print_record(self) -> None:
        ids = [r.id for r in self.panel.selected_rows()]
        if not ids:
            return
        name = f"调解记录{self.detail.case_no if self.detail and len(ids) == 1 else self.today.strftime('%Y%m%d')}.pdf"
        path = dlgs.ask_save_path(self, f"打印调解记录（{len(ids)} 件）", name)
        if path is None:
            return
        from desktop_app.reports.mediation import mediation_pdf

        db, today = self.ctx.db, self.today
        run_op(self, lambda job: mediation_pdf(db, path, ids, today),
               lambda n: self.show_message(f"已保存 {n} 件调解记录：{path}"), label="正在生成调解记录…")
