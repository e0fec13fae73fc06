"""发展党员 forms: the year's 发展党员工作登记簿 (A4 landscape) and one person's 纪实表 (A4 portrait)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from desktop_app.reports.base import (
    A4_LANDSCAPE, A4_PORTRAIT, Column, ModelReport, ReportRenderer, iso_date, model_renderer, rich,
)
from desktop_app.views.development import ApplicantDetail, StepRow

# The register's dated columns: the heading on paper, and the step whose (latest) date the column shows.
STEP_DATES: tuple[tuple[str, str], ...] = (
    ("申请入党", "递交入党申请书"),
    ("确定积极分子", "确定入党积极分子"),
    ("确定发展对象", "确定发展对象"),
    ("支部大会", "支部大会讨论接收"),
    ("上级审批", "上级党委审批"),
    ("转正", "转正"),
)
REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("序号", 8, "CENTER"),
    Column("姓名", 16),
    Column("党支部", 28),
    *(Column(heading, 18, "CENTER") for heading, _ in STEP_DATES),
    Column("培养联系人", 24),
    Column("入党介绍人", 24),
    Column("现阶段", 18, "CENTER"),
)
STEP_COLUMNS: tuple[Column, ...] = (
    Column("步骤", 30),
    Column("日期", 22, "CENTER"),
    Column("决定机关", 20),
    Column("文号", 22),
    Column("表决（赞成/反对/弃权/应到）", 26, "CENTER"),
    Column("材料", 40),
    Column("备注", 22),
)


def _on(detail: ApplicantDetail, step: str) -> str:
    days = [s.done_on for s in detail.steps if s.step == step]
    if days and step == "转正" and detail.probation_end:
        return iso_date(detail.probation_end)  # 转正 counts from the probation's end, whenever the branch met
    return iso_date(max(days)) if days else ""


def _votes(s: StepRow) -> str:
    if s.votes_for is None:
        return ""
    return f"{s.votes_for}/{s.votes_against or 0}/{s.votes_abstain or 0}/{s.voters_expected or ''}"


def _documents(s: StepRow) -> str:
    have = "、".join(s.documents)
    return have + (f"（缺：{'、'.join(s.missing)}）" if s.missing else "")


class RegisterReport(ModelReport):
    title = "发展党员工作登记簿"
    pagesize = A4_LANDSCAPE

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        r, font, styles = self.model, self.font, self.styles
        story: list[Flowable] = [
            self.para(f"{r.center_name}{r.year}年度发展党员工作登记簿", "Title"),
            Paragraph(rich("本年度有进展的人员：" + ("，".join(f"{k} {v} 名" for k, v in r.counts.items()) or "无"),
                           font), styles["Small"]),
            Spacer(1, 2 * mm),
        ]
        rows = [
            [str(i), d.row.name, d.row.branch_name, *(_on(d, step) for _, step in STEP_DATES),
             d.row.contacts, d.sponsors, d.row.stage]
            for i, d in enumerate(r.people, start=1)
        ]
        story.extend(self.table(REGISTER_COLUMNS, rows))
        return story


class RecordReport(ReportRenderer):
    title = "发展党员纪实表"
    pagesize = A4_PORTRAIT

    def __init__(self, detail: ApplicantDetail, center_name: str, *, printed_on: date | None = None,
                 font_path: str | None = None):
        super().__init__(center_name, printed_on=printed_on, font_path=font_path)
        self.detail = detail

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        d, font, styles = self.detail, self.font, self.styles
        r = d.row
        facts = [
            f"姓名：{r.name}　性别：{r.gender or '—'}　出生日期：{iso_date(d.birth_date) or '—'}　学历：{d.education or '—'}",
            f"公民身份号码：{d.id_number or '—'}　联系电话：{r.mobile or '—'}",
            f"工作单位及职务：{d.job or '—'}",
            f"所在党支部：{r.branch_name}　现阶段：{r.stage}（自 {iso_date(r.stage_since)}）",
            f"培养联系人：{r.contacts or '—'}　入党介绍人：{d.sponsors or '—'}",
        ]
        if d.probation_end:
            facts.append(f"预备期满：{iso_date(d.probation_end)}")
        story: list[Flowable] = [self.para(f"{r.name}同志发展党员纪实表", "Title")]
        story += [self.para(t) for t in facts]
        story.append(Spacer(1, 3 * mm))
        rows = [[s.step, iso_date(s.done_on), s.body_shown, s.document_no, _votes(s), _documents(s), s.note]
                for s in d.steps]
        story.extend(self.table(STEP_COLUMNS, rows))
        if d.reminders:
            story.append(Spacer(1, 3 * mm))
            story += self.headed("待办提醒：", [
                self.para(f"{iso_date(rem.due)} {rem.text}{'（已逾期）' if rem.overdue else ''}", "Small")
                for rem in d.reminders])
        story.append(Spacer(1, 8 * mm))
        story.append(Paragraph(rich("党支部书记（签字）：　　　　　　　　　党支部（盖章）　　　　　年　　月　　日", font),
                               styles["Small"]))
        return story


render_register = model_renderer(RegisterReport, "The year's 发展党员工作登记簿 as PDF bytes (and `out`).")


def render_record(detail: ApplicantDetail, center_name: str, out: Path | None = None, *,
                  printed_on: date | None = None, font_path: str | None = None) -> bytes:
    return RecordReport(detail, center_name, printed_on=printed_on, font_path=font_path).render_to(out)
