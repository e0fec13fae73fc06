"""五好党支部考评表 (a branch's scores with the evidence behind each) and the 互比互看 ranking table.

Renders read models of views.assessment; knows nothing of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop_app.domain.assessment import NO_BRANCHES, points, score_text
from desktop_app.reports.base import (
    A4_LANDSCAPE, A4_PORTRAIT, Column, ReportRenderer, chinese_date, iso_date,
)
from desktop_app.views.assessment import AssessmentRow, AssessmentYear, BranchAssessment, CommunityRow, Comparison

EVIDENCE_SHOWN = 40  # lines per indicator on paper; the rest are counted

SCORE_COLUMNS: tuple[Column, ...] = (
    Column("编号", 9, "CENTER"),
    Column("项目", 16),
    Column("考评指标", 50),
    Column("满分", 9, "CENTER"),
    Column("得分", 12, "CENTER"),
    Column("计分方式", 18),
    Column("完成情况 / 说明", 45),
)
EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("日期", 16, "CENTER"),
    Column("记录", 100),
    Column("情况", 12, "CENTER"),
)
# 一、各社区比较: each column with its cell of a community's row; 平均分 follows (shown only under a scheme).
COMMUNITY_CELLS: tuple[tuple[Column, Callable[[CommunityRow], str]], ...] = (
    (Column("排名", 8, "CENTER"), lambda r: str(r.rank or "—")),
    (Column("社区", 28), lambda r: r.name),
    (Column("支部", 8, "CENTER"), lambda r: str(r.branches)),
    (Column("党员", 9, "CENTER"), lambda r: str(r.members)),
    (Column("会议按期", 14, "CENTER"), lambda r: r.compliance.text()),
    (Column("出勤率", 12, "CENTER"), lambda r: r.attendance.text()),
    (Column("党费按时", 14, "CENTER"), lambda r: r.dues_on_time.text()),
    (Column("民主评议", 14, "CENTER"), lambda r: r.evaluation_done.text()),
    (Column("发展党员", 22, "CENTER"), lambda r: r.development),
    (Column("共建活动", 14, "CENTER"), lambda r: r.activities),
    (Column("五好/达标/未达标", 20, "CENTER"), lambda r: f"{r.excellent}/{r.passed}/{r.failed}"),
)
COMMUNITY_COLUMNS: tuple[Column, ...] = (*(column for column, _ in COMMUNITY_CELLS), Column("平均分", 11, "CENTER"))
# 二、党支部排名: each column with its cell of a branch's row.
BRANCH_CELLS: tuple[tuple[Column, Callable[[AssessmentRow], str]], ...] = (
    (Column("排名", 8, "CENTER"), lambda r: str(r.rank)),
    (Column("党支部", 30), lambda r: r.branch_name),
    (Column("所属社区", 24), lambda r: r.community_name),
    (Column("总分", 10, "CENTER"), lambda r: score_text(r.total_tenths)),
    (Column("自动", 10, "CENTER"), lambda r: score_text(r.computed_tenths)),
    (Column("人工", 10, "CENTER"), lambda r: score_text(r.manual_tenths)),
    (Column("待打分", 10, "CENTER"), lambda r: str(r.unscored)),
    (Column("结果", 16, "CENTER"), lambda r: r.result),
    (Column("荣誉称号", 22), lambda r: r.titles),
    (Column("失分较多的指标", 60), lambda r: r.weakest),
)
BRANCH_COLUMNS: tuple[Column, ...] = tuple(column for column, _ in BRANCH_CELLS)


def _score(tenths: int | None) -> str:
    return "未打分" if tenths is None else score_text(tenths)


class AssessmentFormReport(ReportRenderer):
    title = "五好党支部考评表"
    pagesize = A4_PORTRAIT

    def __init__(self, forms: Sequence[BranchAssessment], *, printed_on: date | None = None,
                 font_path: str | None = None, progress: Callable[[int], None] | None = None) -> None:
        super().__init__(forms[0].center_name if forms else "", printed_on=printed_on, font_path=font_path,
                         progress=progress)
        self.forms = forms

    def build_story(self) -> list[Flowable]:
        return self.one_per_page(self.forms, self._form, "没有可打印的党支部")

    def _form(self, f: BranchAssessment) -> list[Flowable]:
        r, p = f.row, self.para
        as_of = f"，数据截至 {chinese_date(f.as_of)}" if f.as_of else ""
        story: list[Flowable] = [
            p(f"{f.year}年度五好党支部考评表", "Title"),
            p(f"党支部：{r.branch_name}　　所属社区：{r.community_name or '—'}　　考评方案：{f.scheme_name}{as_of}",
              "Subtitle"),
            p(f"总分 {points(r.total_tenths)} / {points(r.max_tenths)} 分（自动计分 {points(r.computed_tenths)}，"
              f"人工评分 {points(r.manual_tenths)}）；考评结果：{r.result}；在 {f.ranked_among} 个党支部中排第 "
              f"{r.rank} 名。五好党支部 {points(f.excellent_tenths)} 分以上，达标 {points(f.pass_tenths)} 分以上。"
              + (f"尚有 {r.unscored} 项人工指标未打分。" if r.unscored else "")),
        ]
        rows, category = [], None
        for x in f.scores:
            if x.category != category:
                category = x.category
                rows.append(["", "", category, "", "", "", ""])
            detail = x.measure if x.computed else x.note
            if x.computed and x.hint:
                detail = f"{detail}；{x.hint}"
            rows.append([x.code, x.item, x.title, score_text(x.max_tenths), _score(x.score_tenths), x.rule_label,
                         detail])
        story += self.headed("一、各项得分", self.table(SCORE_COLUMNS, rows))
        if f.weakest:
            story += self.headed("二、失分较多的指标及改进建议", [
                p(f"{x.code} {x.title}：失 {points(x.lost_tenths)} 分。{x.hint or x.note or '对照指标要求补齐工作和材料'}")
                for x in f.weakest])
        if f.titles:
            story += self.headed("三、获得荣誉", [
                p(f"{t.title}（{iso_date(t.granted_on) or '日期未填'}，{t.issued_by or '授予单位未填'}）") for t in f.titles])
        heads: list[Flowable] = [p("佐证材料清单", "Heading")]  # goes with the first indicator's list
        for x in f.scores:
            lines = [[iso_date(e.on), e.text, "" if e.ok else "失分"] for e in x.evidence]
            names = [[" ", f"附件：{e.file_name}", ""] for e in x.files]
            if not lines and not names:
                continue
            heads.append(p(f"{x.code} {x.title}（{_score(x.score_tenths)} / {score_text(x.max_tenths)} 分）", "Normal"))
            shown = lines[:EVIDENCE_SHOWN]
            if len(lines) > EVIDENCE_SHOWN:
                shown.append(["", f"……另有 {len(lines) - EVIDENCE_SHOWN} 条记录", ""])
            story += self.headed(heads, self.table(EVIDENCE_COLUMNS, shown + names))
            story.append(Spacer(1, 2 * mm))
            heads = []
        story += heads
        story.append(Spacer(1, 8 * mm))
        story.append(p("考评人（签字）：______________　　支部书记（签字）：______________　　日期：__________"))
        return story


class RankingReport(ReportRenderer):
    title = "互比互看排名表"
    pagesize = A4_LANDSCAPE

    def __init__(self, comparison: Comparison, year_: AssessmentYear, *, printed_on: date | None = None,
                 font_path: str | None = None, progress: Callable[[int], None] | None = None) -> None:
        super().__init__(comparison.center_name, printed_on=printed_on, font_path=font_path, progress=progress)
        self.comparison, self.year_ = comparison, year_

    def build_story(self) -> list[Flowable]:
        c, p = self.comparison, self.para
        as_of = f"数据截至 {chinese_date(c.as_of)}" if c.as_of else ""
        scheme = f"考评方案：{c.scheme_name}　　" if c.scheme_name else "本年度尚无考评方案，仅比较工作数据　　"
        story: list[Flowable] = [
            p(f"{c.center_name}{c.year}年度党建工作互比互看排名表", "Title"),
            p(scheme + as_of, "Subtitle"),
        ]
        rows = [[*(cell(r) for _, cell in COMMUNITY_CELLS), score_text(r.average_tenths) if c.scheme_name else "—"]
                for r in c.rows]
        story += self.headed("一、各社区比较", self.table(COMMUNITY_COLUMNS, rows))
        story.append(Spacer(1, 2 * mm))
        story.append(p("会议按期：已过期间中按期召开的比例；出勤率：应到党员出席比例；党费按时：应交月次中当月或宽限期内（默认次月）足额交纳比例；"
                       "民主评议：在册党员已评定等次比例；共建活动：有共建单位参与的活动次数；"
                       "发展党员：年内上级党委审批的预备党员人数，及谈话、思想汇报、培养考察、审批、转正等环节按时限完成的比例。", "Small"))
        if not self.year_.rows:  # empty tables would leave the reader guessing why
            story.append(p(NO_BRANCHES))
        elif self.year_.scheme is not None:
            rows = [[cell(r) for _, cell in BRANCH_CELLS] for r in self.year_.rows]
            story += self.headed("二、党支部排名", self.table(BRANCH_COLUMNS, rows))
            names = [n.title for n in self.year_.scheme.nodes if n.level == "category"]
            if names:
                columns = (Column("排名", 8, "CENTER"), Column("党支部", 30),
                           *(Column(n, 18, "CENTER") for n in names), Column("总分", 12, "CENTER"))
                rows = [[str(r.rank), r.branch_name,
                         *(f"{score_text(c.score_tenths)}/{score_text(c.max_tenths)}" for c in r.categories[:len(names)]),
                         *([""] * (len(names) - len(r.categories))), score_text(r.total_tenths)]
                        for r in self.year_.rows]
                story += self.headed("三、分类得分", self.table(columns, rows))
        return story


def render_assessment_forms(forms: Sequence[BranchAssessment], out: Path | None = None, *,
                            printed_on: date | None = None, font_path: str | None = None,
                            progress: Callable[[int], None] | None = None) -> bytes:
    return AssessmentFormReport(forms, printed_on=printed_on, font_path=font_path, progress=progress).render_to(out)


def render_ranking(comparison: Comparison, year_: AssessmentYear, out: Path | None = None, *,
                   printed_on: date | None = None, font_path: str | None = None,
                   progress: Callable[[int], None] | None = None) -> bytes:
    return RankingReport(comparison, year_, printed_on=printed_on, font_path=font_path,
                         progress=progress).render_to(out)
