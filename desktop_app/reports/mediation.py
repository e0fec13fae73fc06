"""调解记录: one dispute case as it is filed — parties, sessions, outcome, agreement, signatures.

Phones are masked: the record is shown to both parties.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop_app.domain import service_flow as flow
from desktop_app.domain.idcard import mask_phone
from desktop_app.reports.base import A4_PORTRAIT, Column, RecordsReport, chinese_date
from desktop_app.views.mediation import CaseDetail

PARTY_COLUMNS = (Column("身份", 14, "CENTER"), Column("姓名", 20), Column("联系电话", 20, "CENTER"),
                 Column("住址", 46))


class MediationRecordReport(RecordsReport):
    title = "矛盾纠纷调解记录"
    pagesize = A4_PORTRAIT

    def _case(self, c: CaseDetail) -> list[Flowable]:
        w = self.frame_width
        quarter = self.pair_widths(0.16)
        story: list[Flowable] = [
            *self.heading(f"案号：{c.case_no}"),
            self.form([
                ["受理日期", chinese_date(c.received_on), "纠纷类型", c.kind],
                ["来源", c.source, "所属网格", c.grid_name],
                ["调解员", c.mediator, "调解状态", c.state],
            ], quarter),
        ]
        story += self.headed("当事人", self.table(
            PARTY_COLUMNS, [[p.role, p.name, mask_phone(p.phone), p.address] for p in c.party_rows]))
        story += self.headed("纠纷简要情况", [self.form([[c.summary]], [w], label_cols=(), min_heights={0: 30 * mm})])
        sessions = [
            KeepTogether([self.para(f"第 {i} 次　{chinese_date(x.session_date)}　{x.place}　调解人员：{x.mediators}"),
                          self.form([[x.notes]], [w], label_cols=()), Spacer(1, 2 * mm)])
            for i, x in enumerate(c.sessions, start=1)]
        story += self.headed(f"调解经过（共 {len(c.sessions)} 次）", sessions or [self.para("尚无调解记录。")], rows=1)
        closed = c.state != flow.MEDIATING
        outcome = c.state if closed else "尚未结案"
        if c.state == flow.MEDIATION_TRANSFERRED:
            outcome += f"（转交：{c.transferred_to}）"
        result_rows = [
            ["调解结果", outcome, "结案日期", chinese_date(c.closed_on) if closed else ""],
            ["协议内容", c.agreement or ("" if c.state == flow.MEDIATION_SUCCESS or not closed else "（无）"), "", ""],
        ]
        story += self.headed("调解结果", [self.form(result_rows, quarter, min_heights={1: 30 * mm})])
        if c.notes:
            story += self.headed("备注", [self.form([[c.notes]], [w], label_cols=())])
        # each party signs on a line of their own (one 当事人 box was left for both sides), then the mediator
        signers = [f"{p.role} {p.name}" for p in c.party_rows] + [f"调解员 {c.mediator}"]
        signatures = [[f"{who}（签名）", "", "日期", ""] for who in signers]
        story.append(Spacer(1, 6 * mm))
        story.append(KeepTogether([self.form(signatures, quarter, min_heights=dict.fromkeys(range(len(signers)),
                                                                                         12 * mm))]))
        return story

    def build_story(self) -> list[Flowable]:
        return self.one_per_page(self.records, self._case, "没有要打印的调解案件。")


def render_mediation_record(center_name: str, cases: Sequence[CaseDetail], out: Path | None = None,
                            printed_on: date | None = None, *, font_path: str | None = None,
                            progress: Callable[[int], None] | None = None) -> bytes:
    return MediationRecordReport(center_name, cases, printed_on=printed_on, font_path=font_path,
                                 progress=progress).render_to(out)
