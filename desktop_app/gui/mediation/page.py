"""矛盾调处: dispute cases — receive, record each mediation session, close with the outcome, print the record."""

from __future__ import annotations

from html import escape

from desktop_app.domain import service_flow as flow
from desktop_app.domain.idcard import mask_phone
from desktop_app.gui.mediation.dialogs import CaseDialog, OutcomeDialog, SessionDialog
from desktop_app.gui.residents.dialogs import ListEditDialog
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.dialog import LineDialog
from desktop_app.gui.widgets.record_list import (
    DELETE, SEPARATOR, Act, Choice, Loaded, RecordListPage, Removal, Search, Table, recent_years, selected,
    why_chosen,
)
from desktop_app.gui.widgets.table import CENTER, DONE, MUTED, Column, date_text
from desktop_app.services import mediation as svc
from desktop_app.services import residents as resident_service
from desktop_app.services.mediation import CaseDetail, CaseFilter, CaseRow
from desktop_app.views.changes import Change, changes
from desktop_app.views.mediation import why_no_agreement


_d = date_text


# Within 1366 pixels beside the details pane (结果 was past the table's edge); 结果 next to the parties, in view at 1024.
COLUMNS = (
    Column("案号", lambda r: r.case_no, CENTER, 80),
    Column("受理日期", lambda r: _d(r.received_on), CENTER, 86),
    Column("纠纷类型", lambda r: r.kind, CENTER, 84),
    Column("当事人", lambda r: r.parties, width=120),
    Column("结果", lambda r: r.state, CENTER, 80),
    Column("网格", lambda r: r.grid_name, width=96),
    Column("简要情况", lambda r: r.summary, width=160),
    Column("调解员", lambda r: r.mediator, width=70),
    Column("次数", lambda r: str(r.sessions), CENTER, 44, sort_key=lambda r: r.sessions),
)


def _color(r: CaseRow):
    return {flow.MEDIATION_SUCCESS: DONE, flow.MEDIATION_FAILED: MUTED}.get(r.state)


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
        (f"<p>结果：<b>{e(c.state)}</b>{('　' + _d(c.closed_on)) if c.closed_on else ''}"
         f"{('<br>转交：' + e(c.transferred_to)) if c.transferred_to else ''}"
         f"{('<br>协议：' + e(c.agreement)) if c.agreement else ''}</p>"),
    ]
    if c.notes:
        lines.append(f"<p>备注：{e(c.notes)}</p>")
    return "".join(lines)


def _mediating(d: CaseDetail | None) -> bool:
    return d is not None and d.state == flow.MEDIATING


def _closed(c: CaseDetail) -> str:
    return "" if c.state == flow.MEDIATING else f"案件已是“{c.state}”：如需继续调解，先点“重新调解”"


def _why_not_close(c: CaseDetail) -> str:
    return _closed(c) or ("" if c.sessions else "先记录至少一次调解（“调解记录”），才能结案")


class MediationPage(RecordListPage):
    export_kind = "mediation"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.MEDIATION, Change.RESIDENTS, Change.ORGS, Change.SERVICE_LISTS)
    writes = changes(Change.MEDIATION)
    tables = (Table(COLUMNS, _color, stretch=6, details_width=280, empty="受理纠纷：Ctrl+N。",
                    give_way=("网格", "调解员", "次数", "纠纷类型")),)
    filters = (Search("搜索：当事人（可用拼音首字母）、案号、纠纷情况、调解员"), Choice("state", [(s, s) for s in flow.CASE_STATES], "全部案件"),
               Choice("grid", all_label="全部网格", field="grid_id"), Choice("year", recent_years("年受理"), "全部年份"))
    filter_type = CaseFilter
    actions = (
        Act("add", "受理纠纷", "new_case", "Ctrl+N", name="new", writes=True),
        Act("edit", "修改", "edit_case", when=selected, name="edit", writes=True),
        Act("session", "调解记录", "add_session", when=_mediating, name="session", why=why_chosen(_closed),
            writes=True),
        Act("close-case", "结案", "close_case", when=lambda d: _mediating(d) and bool(d.sessions), name="close",
            why=why_chosen(_why_not_close), writes=True),
        Act("undo", "重新调解", "reopen_case", when=lambda d: d is not None and not _mediating(d), name="reopen",
            why=why_chosen(lambda c: "案件正在调解中" if _mediating(c) else ""), writes=True),
        DELETE,
        SEPARATOR,
        Act("print", "打印调解记录", "print_record", when=selected, name="print"),
        Act("print", "打印调解协议书", "print_agreement", when=lambda d: d is not None and not why_no_agreement(d),
            name="agreement", why=why_chosen(why_no_agreement)),
        # the shared lists are settings: the service saves them under settings.write, not mediation.write
        Act("tags", "纠纷类型", "edit_kinds", name="kinds", writes="settings.write"),
    )
    activate = "add_session"
    detail_of = staticmethod(svc.get_case)
    removal = Removal("删除案件", lambda d: f"确定删除调解案件 {d.case_no}（{d.kind}）吗？", svc.delete_case)

    def load(self, db, f):
        return Loaded(svc.list_cases(db, self.current_filter(f)), grids=resident_service.grids(db),
                      kinds=resident_service.get_list(db, flow.DISPUTE_KIND))

    details = staticmethod(details_html)

    def on_loaded(self, loaded: Loaded) -> None:
        mediating = sum(1 for r in loaded.rows if r.state == flow.MEDIATING)
        success = sum(1 for r in loaded.rows if r.state == flow.MEDIATION_SUCCESS)
        self.counts.setText(f"列出 {len(loaded.rows)} 件：调解中 {mediating} 件，调解成功 {success} 件")

    @property
    def kinds(self):
        return self.loaded_value("kinds", flow.DEFAULT_LISTS[flow.DISPUTE_KIND])

    # --- actions -----------------------------------------------------------
    def new_case(self) -> None:
        self.run_dialog(CaseDialog(self, self.ctx.db, self.grids, self.kinds, today=self.today),
                        lambda c: f"已受理纠纷 {c.case_no}。")

    def edit_case(self) -> None:
        if self.detail:
            self.run_dialog(CaseDialog(self, self.ctx.db, self.grids, self.kinds, self.detail, self.today),
                            "已保存修改。", keep=self.detail.id)

    def add_session(self) -> None:
        d = self.detail
        if _mediating(d):
            self.run_dialog(SessionDialog(self, self.ctx.db, d, today=self.today),
                            lambda c: f"已记录第 {len(c.sessions)} 次调解。", keep=d.id)

    def close_case(self) -> None:
        d = self.detail
        if _mediating(d):
            self.run_dialog(OutcomeDialog(self, self.ctx.db, d, self.today), lambda c: f"案件 {c.case_no}：{c.state}。",
                            keep=d.id)

    def reopen_case(self) -> None:
        d = self.detail
        if d is None or _mediating(d):
            return
        db, today = self.ctx.db, self.today
        self.run_dialog(LineDialog(self, "重新调解", f"案件 {d.case_no} 为什么需要重新调解？",
                                   lambda reason: svc.reopen_case(db, d.id, reason, today), changes=self.writes),
                        lambda c: f"案件 {c.case_no} 重新调解中。", keep=d.id)

    def edit_kinds(self) -> None:
        self.run_dialog(ListEditDialog(self, self.ctx.db, flow.DISPUTE_KIND, self.kinds))

    def print_record(self) -> None:
        ids = [r.id for r in self.panel.selected_rows()]
        if not ids:
            return
        name = f"调解记录{self.detail.case_no if self.detail and len(ids) == 1 else self.today.strftime('%Y%m%d')}.pdf"
        db, today = self.ctx.db, self.today
        self.print_pdf(f"打印调解记录（{len(ids)} 件）", name,
                       lambda path, job: svc.print_mediation_records(db, path, ids, today=today),
                       lambda path, n: f"已保存 {n} 件调解记录：{path}", "正在生成调解记录…")

    def print_agreement(self) -> None:
        d = self.detail
        if d is None or why_no_agreement(d):
            return
        db, case_id = self.ctx.db, d.id
        # Each party takes a copy home: phones print masked unless an account that may is asked and says so.
        whole = svc.may_print_whole_phones(db) and common.ask(
            self, "调解协议书上的联系电话",
            "协议书上当事人的联系电话印完整号码吗？\n\n选“否”则部分隐藏（如 139****5678）。"
            "印完整号码会以你的名义记入操作记录，文件请妥善保管、用后删除。")
        self.print_pdf(f"打印人民调解协议书（{d.case_no}）", f"人民调解协议书{d.case_no}.pdf",
                       lambda path, job: svc.print_mediation_agreement(db, case_id, path, whole_phones=whole),
                       lambda path, printed: f"已保存人民调解协议书 {printed.case_no}（一式 {printed.copies} 份）：{path}",
                       "正在生成调解协议书…")
