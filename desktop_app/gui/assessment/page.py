"""五好党支部考评: every branch of the year ranked from its own records, what each is losing points on,
manual scores and titles, the scheme, the communities side by side, and the printed forms."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from desktop_app.domain import assessment as rules
from desktop_app.domain.evaluation_votes import usual_year
from desktop_app.gui.assessment.dialogs import IndicatorDialog, SchemeDialog, ScoreDialog, TitleDialog
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, RecordListPage, Search, Table, recent_years
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, Column
from desktop_app.services import assessment as asm
from desktop_app.views.assessment import AssessmentRow, BranchAssessment, CommunityRow, TitleRow
from desktop_app.views.changes import Change, changes

EVIDENCE_SHOWN = 6  # lines per indicator in the details pane; the printed form lists them all

COLUMNS = (
    Column("排名", lambda r: str(r.rank), CENTER, 44, sort_key=lambda r: r.rank),
    Column("党支部", lambda r: r.branch_name, width=110),
    Column("所属社区", lambda r: r.community_name, width=96),
    Column("总分", lambda r: rules.score_text(r.total_tenths), CENTER, 56, sort_key=lambda r: r.total_tenths),
    Column("自动计分", lambda r: rules.score_text(r.computed_tenths), CENTER, 64, sort_key=lambda r: r.computed_tenths),
    Column("人工评分", lambda r: rules.score_text(r.manual_tenths), CENTER, 64, sort_key=lambda r: r.manual_tenths),
    Column("待打分", lambda r: str(r.unscored) if r.unscored else "", CENTER, 52, sort_key=lambda r: r.unscored),
    Column("结果", lambda r: r.result, CENTER, 64),
    Column("荣誉称号", lambda r: r.titles, width=84),
    # a sentence, cut short with its whole text as tooltip; it stretches, 160 its floor so it shows at 1366
    Column("失分较多的指标", lambda r: r.weakest, width=160),
)
CATEGORY_SLOTS = 8  # category columns of the comparison grid; a scheme's own names head them after a load


def _category(i: int) -> Column:
    def part(r):
        return r.categories[i] if i < len(r.categories) else None

    def text(r) -> str:
        c = part(r)
        return rules.score_text(c.score_tenths) if c else ""  # the category's maximum heads the column

    def tip(r) -> str | None:
        c = part(r)
        return f"{c.title}：{rules.score_text(c.score_tenths)} / {rules.score_text(c.max_tenths)} 分" if c else None

    def color(r):
        c = part(r)
        return ALERT if c and c.score_tenths * 10 < c.max_tenths * 8 else None  # below 80% of the category

    return Column(f"第{i + 1}类", text, CENTER, 52, tooltip=tip,
                  sort_key=lambda r: part(r).score_tenths if part(r) else -1, color=color)


GRID_COLUMNS = (
    Column("排名", lambda r: str(r.rank), CENTER, 44, sort_key=lambda r: r.rank),
    Column("党支部", lambda r: r.branch_name, width=110),
    Column("总分", lambda r: rules.score_text(r.total_tenths), CENTER, 56, sort_key=lambda r: r.total_tenths),
    *(_category(i) for i in range(CATEGORY_SLOTS)),
)
FIRST_CATEGORY = 3
COMMUNITY_COLUMNS = (
    Column("排名", lambda r: str(r.rank or "—"), CENTER, 40, sort_key=lambda r: r.rank or 10**6),
    Column("社区", lambda r: r.name, width=110),
    # headers on two lines and numeric columns as wide as their figures, so the grid fits a 1366 screen
    Column("支部", lambda r: str(r.branches), CENTER, 40, sort_key=lambda r: r.branches),
    Column("党员", lambda r: str(r.members), CENTER, 40, sort_key=lambda r: r.members),
    Column("会议\n按期", lambda r: r.compliance.text(), CENTER, 56, sort_key=lambda r: r.compliance.percent() or 0,
           header_tip="会议按期召开率"),
    Column("出勤率", lambda r: r.attendance.text(), CENTER, 56, sort_key=lambda r: r.attendance.percent() or 0,
           header_tip="组织生活出勤率"),
    Column("党费\n按时", lambda r: r.dues_on_time.text(), CENTER, 56, sort_key=lambda r: r.dues_on_time.percent() or 0,
           header_tip="党费按时交纳率"),
    Column("民主\n评议", lambda r: r.evaluation_done.text(), CENTER, 56,
           sort_key=lambda r: r.evaluation_done.percent() or 0, header_tip="民主评议完成率"),
    Column("发展党员", lambda r: r.development, CENTER, 150),
    Column("共建\n活动", lambda r: r.activities, CENTER, 52, header_tip="共建活动"),
    Column("五好/达标\n/未达标", lambda r: f"{r.excellent}/{r.passed}/{r.failed}", CENTER, 72,
           header_tip="五好党支部 / 达标 / 未达标 个数"),
    Column("平均分", lambda r: rules.score_text(r.average_tenths), CENTER, 52, sort_key=lambda r: r.average_tenths),
)


def _color(r: AssessmentRow):
    return {rules.EXCELLENT: DONE, rules.FAILED: ALERT}.get(r.result)


_years = recent_years("年度", 6)


def branch_html(d: BranchAssessment) -> str:
    e, r, p = escape, d.row, rules.points
    out = [
        f"<h3>{e(r.branch_name)}　{d.year}年度</h3>",
        f"<p>总分 <b>{p(r.total_tenths)}</b> / {p(r.max_tenths)}　<b>{e(r.result)}</b>　"
        f"第 {r.rank} 名（共 {d.ranked_among} 个支部）<br>自动计分 {p(r.computed_tenths)}，人工评分 "
        f"{p(r.manual_tenths)}" + (f"，<span style='color:#c8161e'>待打分 {r.unscored} 项</span>" if r.unscored else "")
        + f"<br>五好 {p(d.excellent_tenths)} 分以上，达标 {p(d.pass_tenths)} 分以上</p>",
    ]
    if d.titles:
        out.append("<p>荣誉：" + "；".join(
            f"{e(t.title)}（{t.granted_on or '日期未填'}，{e(t.issued_by or '授予单位未填')}）" for t in d.titles) + "</p>")
    if d.weakest:
        out.append("<p><b>失分较多的指标，怎样提高</b></p><ol>" + "".join(
            f"<li>{e(x.title)}：失 {p(x.lost_tenths)} 分。{e(x.hint or x.note or '对照指标要求补齐工作和材料')}</li>"
            for x in d.weakest) + "</ol>")
    category = None
    for x in d.scores:
        if x.category != category:
            category = x.category
            out.append(f"<p><b>{e(category)}</b></p>")
        score = "未打分" if x.score_tenths is None else p(x.score_tenths)
        lost = x.score_tenths is None or x.score_tenths < x.max_tenths
        style = " style='color:#c8161e'" if lost else ""
        line = f"<p{style}>{e(x.code)} {e(x.title)}：{score} / {p(x.max_tenths)}　<small>{e(x.rule_label)}"
        if x.measure:
            line += f"　{e(x.measure)}"
        line += "</small>"
        evidence = [ev for ev in x.evidence if not ev.ok] + [ev for ev in x.evidence if ev.ok]
        if evidence:
            shown = "<br>".join(f"{ev.on or ''} {e(ev.text)}" for ev in evidence[:EVIDENCE_SHOWN])
            more = f"<br>……共 {len(evidence)} 条" if len(evidence) > EVIDENCE_SHOWN else ""
            line += f"<br><small style='color:#555'>{shown}{more}</small>"
        if x.files:
            line += "<br><small>附件：" + "、".join(e(f.file_name) for f in x.files) + "</small>"
        out.append(line + "</p>")
    return "".join(out)


def community_html(r: CommunityRow) -> str:
    e = escape
    return (f"<h3>{e(r.name)}</h3><p>{r.branches} 个党支部，{r.members} 名党员</p>"
            f"<p>会议按期召开 {r.compliance.text()}（{r.compliance.achieved:g}/{r.compliance.required:g}）<br>"
            f"组织生活出勤率 {r.attendance.text()}<br>党费按时交纳 {r.dues_on_time.text()}<br>"
            f"民主评议完成 {r.evaluation_done.text()}<br>发展党员：{e(r.development)}<br>共建活动：{e(r.activities)}</p>"
            f"<p>五好党支部 {r.excellent} 个，达标 {r.passed} 个，未达标 {r.failed} 个；"
            f"平均 {rules.points(r.average_tenths)} 分</p>")


class AssessmentPage(RecordListPage):
    heading = "支部考评 · 五好党支部"
    export_kind = "assessment"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.ASSESSMENT, Change.MEETINGS, Change.EVALUATIONS, Change.DUES, Change.VISITS,
                      Change.WISHES, Change.MEMBERS, Change.ORGS, Change.DEVELOPMENT, Change.COBUILDING)
    writes = changes(Change.ASSESSMENT)
    tables = (
        Table(COLUMNS, _color, stretch=9, details_width=360, label="党支部排名",
              empty="选中一个党支部，查看各项得分、失分原因和佐证记录。",
              give_way=("失分较多的指标", "所属社区", "自动计分", "人工评分")),
        Table(GRID_COLUMNS, _color, stretch=1, details_width=420, label="分类对比",
              empty="各党支部在每一类指标上的得分；低于该类满分八成的标红。"),
        Table(COMMUNITY_COLUMNS, stretch=1, details_width=300, label="社区互比互看", give_way=("发展党员", "共建\n活动"),
              empty="各社区的会议、出勤、党费、民主评议和考评结果。"),
    )
    filters = (Choice("year", _years), Search("搜索：党支部或社区名称"))
    actions = (
        Act("score", "打分", "score", "Ctrl+E", when=lambda d: isinstance(d, AssessmentRow), name="score", writes=True),
        Act("honour", "荣誉称号", "add_title", when=lambda d: isinstance(d, AssessmentRow), name="title", writes=True),
        Act("edit", "修改称号", "edit_title", when="has_titles", name="edit_title", writes=True),
        Act("delete", "删除称号", "delete_title", when="has_titles", name="delete_title", writes=True),
        SEPARATOR,
        Act("scheme", "考评方案", "edit_scheme", name="scheme", writes="settings.write"),
        Act("edit", "修改指标", "edit_indicator", name="indicator", writes="settings.write"),
        Act("add", "新增指标", "add_indicator", name="add_indicator", writes="settings.write"),
        SEPARATOR,
        Act("print", "打印考评表", "print_forms", name="forms"),
        Act("print", "打印排名表", "print_ranking", name="ranking"),
    )
    activate = "score"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 考评, as 民主评议, runs from the year's end into March: until then the page opens on last year
        # (the year whose records are being scored; the new one has no scheme yet)
        box = self.filter_boxes["year"]
        box.blockSignals(True)
        box.setCurrentIndex(max(0, box.findData(usual_year(self.today))))
        box.blockSignals(False)

    def load(self, db, f):
        year = f.year or self.today.year
        scheme, forms, comparison = asm.year_at_a_glance(db, year)  # one computation for the whole page
        text = (f.text or "").strip()
        rows = [d.row for d in forms if not text or text in d.row.branch_name or text in d.row.community_name]
        return Loaded(rows, rows, list(comparison.rows), year=year, scheme=scheme,
                      details={d.row.branch_id: d for d in forms}, rules=asm.computed_rules(db))

    def detail_html(self, detail) -> str:
        if isinstance(detail, CommunityRow):
            return community_html(detail)
        d = self.branch_detail(detail)
        return branch_html(d) if d is not None else ""

    def branch_detail(self, row) -> BranchAssessment | None:
        if not isinstance(row, AssessmentRow) or self.loaded is None:
            return None
        return self.loaded.details.get(row.branch_id)

    def on_loaded(self, loaded: Loaded) -> None:
        self._name_categories(loaded)
        if loaded.scheme is None:
            self.counts.setText(self.offered(f"{loaded.year} 年度还没有考评方案。点“考评方案”载入示例方案。"))
            return
        rows = loaded.rows
        if not rows and not self.filter_values().text:
            self.counts.setText(rules.NO_BRANCHES)
            return
        counts = {r: sum(1 for x in rows if x.result == r) for r in rules.RESULTS}
        self.counts.setText(f"{loaded.scheme.name}（{loaded.scheme.shape}）　" + "，".join(
            f"{k} {v} 个" for k, v in counts.items()))

    def _name_categories(self, loaded: Loaded) -> None:
        """Head the grid's category columns with the scheme's own category names; hide the unused ones."""
        nodes = [n for n in loaded.scheme.nodes if n.level == rules.CATEGORY] if loaded.scheme else []
        panel = self.panels[1]
        for i in range(CATEGORY_SLOTS):
            col = FIRST_CATEGORY + i
            if i < len(nodes):  # the name on two lines (支部 / 班子好), its maximum in the tooltip
                n = nodes[i]
                title = n.title if len(n.title) <= 3 else f"{n.title[:len(n.title) // 2]}\n{n.title[len(n.title) // 2:]}"
                panel.model.columns[col] = replace(panel.model.columns[col], title=title,
                                                   header_tip=f"{n.title}（满分 {rules.score_text(n.max_tenths)} 分）")
            panel.view.setColumnHidden(col, i >= len(nodes))
        panel.model.headerDataChanged.emit(Qt.Orientation.Horizontal, FIRST_CATEGORY,
                                           FIRST_CATEGORY + CATEGORY_SLOTS - 1)

    # --- actions -----------------------------------------------------------
    def score(self, indicator_id: str | None = None) -> None:
        d = self.branch_detail(self.detail)
        if d is None:
            return
        if not any(not x.computed for x in d.scores):
            common.inform(self, "打分", "本年度方案没有需要人工打分的指标。")
            return
        if indicator_id is None:  # start at the first indicator still to be scored
            indicator_id = next((x.indicator_id for x in d.scores if not x.computed and x.score_tenths is None), None)
        self.run_dialog(ScoreDialog(self, self.ctx.db, d, indicator_id), f"已保存{d.row.branch_name}的评分。")

    def add_title(self) -> None:
        d = self.detail
        if isinstance(d, AssessmentRow):
            self.run_dialog(TitleDialog(self, self.ctx.db, d.branch_id, d.branch_name, self.loaded_year),
                            lambda t: f"已登记{t.branch_name}的“{t.title}”。")

    def has_titles(self, detail) -> bool:
        d = self.branch_detail(detail)
        return d is not None and bool(d.titles)

    def choose_title(self, d: BranchAssessment, verb: str) -> TitleRow | None:
        """The title to change: the only one, or the one the user picks."""
        if len(d.titles) == 1:
            return d.titles[0]
        labels = [f"{t.title}（{t.granted_on or '日期未填'}，{t.issued_by or '授予单位未填'}）" for t in d.titles]
        label, ok = QInputDialog.getItem(self, f"{verb}荣誉称号", f"{d.row.branch_name}的荣誉称号：", labels, 0, False)
        return d.titles[labels.index(label)] if ok and label in labels else None

    def edit_title(self) -> None:
        d = self.branch_detail(self.detail)
        t = self.choose_title(d, "修改") if d is not None and d.titles else None
        if t is not None:
            self.run_dialog(TitleDialog(self, self.ctx.db, d.row.branch_id, d.row.branch_name, t.year, t),
                            lambda saved: f"已修改{saved.branch_name}的“{saved.title}”。", keep=d.row.branch_id)

    def delete_title(self) -> None:
        d = self.branch_detail(self.detail)
        t = self.choose_title(d, "删除") if d is not None and d.titles else None
        if t is not None and common.ask(self, "删除荣誉称号", f"确定删除{d.row.branch_name}的“{t.title}”"
                                        f"（{t.granted_on or '日期未填'}，{t.issued_by or '授予单位未填'}）吗？"):
            db = self.ctx.db
            self.write(lambda: asm.delete_title(db, t.id), f"已删除{d.row.branch_name}的“{t.title}”。")

    def edit_scheme(self) -> None:
        scheme = self.loaded_value("scheme", None)
        db, year = self.ctx.db, self.loaded_year
        if scheme is None:
            if common.ask(self, "考评方案", f"{year} 年度还没有考评方案。载入示例方案（6 类 19 项 42 条，满分 100 分）吗？"
                          "\n载入后可修改分值、指标和分数线。"):
                self.write(lambda: asm.load_sample(db, year), lambda s: f"已载入示例方案：{s.shape}。")
            return
        if self._adapted(scheme):
            self.run_dialog(SchemeDialog(self, db, scheme), "已保存考评方案。")

    def _scheme_to_edit(self):
        """The year's scheme when it may be changed here; else offer to load the sample or copy the street's."""
        scheme = self.loaded_value("scheme", None)
        if scheme is None:
            self.edit_scheme()
            return None
        return scheme if self._adapted(scheme) else None

    def edit_indicator(self) -> None:
        scheme = self._scheme_to_edit()
        if scheme is None:
            return
        db = self.ctx.db
        dlg = IndicatorDialog(self, db, scheme, self.loaded.rules)
        self.run_dialog(dlg, "已保存考评指标。")
        gone = dlg.delete_requested
        if gone is not None and common.ask(
                self, "删除考评指标", f"确定从{scheme.year}年度方案中删除“{gone.code} {gone.title}”吗？已打的分数不再计入。"):
            self.write(lambda: asm.delete_indicator(db, gone.id), f"已删除考评指标“{gone.title}”。")

    def add_indicator(self) -> None:
        scheme = self._scheme_to_edit()
        if scheme is not None:
            self.run_dialog(IndicatorDialog(self, self.ctx.db, scheme, self.loaded.rules, adding=True),
                            "已新增考评指标。")

    def _adapted(self, scheme) -> bool:
        """True when the scheme may be edited here; a street's scheme is first copied as the community's own."""
        if scheme.editable:
            return True
        db, year = self.ctx.db, scheme.year
        if common.ask(self, "考评方案", f"“{scheme.name}”是街道下发的方案，不能直接修改。\n"
                      "复制为本社区的方案后再修改吗？已打的分数需按新方案重新打分。"):
            self.write(lambda: asm.copy_scheme(db, year, year), lambda s: f"已复制为本社区方案：{s.shape}。")
        return False

    # --- printing ----------------------------------------------------------
    def print_forms(self) -> None:
        d = self.detail if isinstance(self.detail, AssessmentRow) else None
        db, year = self.ctx.db, self.loaded_year
        branch = d.branch_id if d else None
        name = d.branch_name if d else "全部党支部"
        self.print_pdf(f"打印五好党支部考评表（{name}）", f"{year}年度五好党支部考评表_{name}.pdf",
                       lambda path, job: asm.print_assessment_form(db, year, path, branch),
                       lambda path, _r: f"已保存考评表：{path}", "正在生成考评表…")

    def print_ranking(self) -> None:
        db, year = self.ctx.db, self.loaded_year
        self.print_pdf("打印互比互看排名表", f"{year}年度互比互看排名表.pdf",
                       lambda path, job: asm.print_ranking(db, year, path),
                       lambda path, _r: f"已保存排名表：{path}", "正在生成排名表…")
