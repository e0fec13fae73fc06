"""单位报到: a unit's 报到 with its date and promise, what it takes on (认领), its services with hours, its yearly 评价.

Selecting a unit shows its year: open 认领, services, 评价, the activities it took
part in and the 项目清单 items it claimed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.common import (
    EDIT, CobuildingDialog, CobuildingPage, choose, d, hours, is_a, year_of, years,
)
from desktop_app.gui.widgets.forms import DateEdit, combo, list_combo, text_area
from desktop_app.gui.widgets.fields import Day, FieldForm, Line, Named, Text
from desktop_app.gui.widgets.layouts import form_layout
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, Search, Table, bullets, selected
from desktop_app.gui.widgets.table import CENTER, MUTED, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs as org_service
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import UnitReportDetail, UnitReportRow

COLUMNS = (
    Column("单位", lambda r: r.unit_name, width=130),  # it stretches: 130 is its floor
    Column("报到日期", lambda r: d(r.reported_on), CENTER, 78),
    Column("报到组织", lambda r: r.org_name, width=96),
    Column("联络人", lambda r: r.liaison, CENTER, 64),
    Column("联系电话", lambda r: r.phone_masked, CENTER, 92),
    Column("认领中", lambda r: str(r.claims or ""), CENTER, 56, sort_key=lambda r: r.claims),
    Column("本年服务", lambda r: str(r.services or ""), CENTER, 64, sort_key=lambda r: r.services),
    Column("服务时长", lambda r: hours(r.hours_tenths), CENTER, 64, sort_key=lambda r: r.hours_tenths),
    Column("本年活动", lambda r: str(r.activities or ""), CENTER, 64, sort_key=lambda r: r.activities),
    Column("年度评价", lambda r: r.grade, CENTER, 64),
    Column("结束", lambda r: d(r.ended_on), CENTER, 78),
)


class UnitReportDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, units: Sequence, orgs: Sequence,
                 row: UnitReportRow | None = None, today: date | None = None):
        super().__init__(parent, db, "修改单位报到" if row else "单位报到", today=today)
        self.row = row
        masked = row.phone_masked if row else ""  # the row never holds the number itself
        new = rules.UnitReportInput(reported_on=self.today, org_id=orgs[0].id if orgs else None)
        self.fields = FieldForm(self, row or new, (
            Named("unit_id", "共建单位", things=units, none_label="（选择共建单位）", attr="unit"),
            Day("reported_on", "报到日期", attr="on"),
            Named("org_id", "报到到", things=orgs, attr="org"),
            Line("liaison", "联络人"),
            Line("phone", "联系电话", f"已登记 {masked}，不改请留空" if masked else ""),
            Text("promise", "服务承诺", placeholder="单位承诺为社区做的事，如 每季度组织一次义诊"),
        ))
        self.unit.setEnabled(row is None)
        self.finish_layout(self.fields)
        self.setMinimumWidth(460)
        self.first_field = self.liaison if row else self.unit

    def prepare(self):
        inp = rules.check_unit_report(self.fields.build(rules.UnitReportInput), self.today)
        db, rid, today = self.db, self.row.id if self.row else None, self.today
        read_at = self.row.version if self.row else None
        return lambda: cb.save_unit_report(db, rid, inp, today, expected_version=read_at)


class ReportItemDialog(CobuildingDialog):
    """One dialog for the three kinds of record: 认领, 服务, 评价."""

    TITLES = {rules.CLAIM: "认领", rules.SERVICE: "登记服务", rules.REVIEW: "年度评价"}

    def __init__(self, parent: QWidget | None, db: Database, report: UnitReportRow, kind: str, posts: Sequence,
                 projects: Sequence, today: date, year: int):
        super().__init__(parent, db, f"{self.TITLES[kind]}：{report.unit_name}", today=today)
        self.report, self.kind = report, kind
        self.on = DateEdit(today)
        self.title_edit = QLineEdit()
        self.post = combo([("（不是社区的岗位）", None)] + [(p.name, p.id) for p in posts])
        self.project = combo([("（不是项目清单中的项目）", None)] + [(p.title, p.id) for p in projects])
        self.people = QSpinBox()
        self.people.setRange(1, 10000)
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("参加人员合计，如 12.5")
        self.grade = list_combo(rules.GRADES, rules.GRADES[1])
        self.year = QSpinBox()
        self.year.setRange(report.reported_on.year, today.year)
        self.year.setValue(min(max(year, report.reported_on.year), today.year))
        self.notes = text_area(2)
        rows = {rules.CLAIM: (("认领岗位", self.post), ("认领项目", self.project), ("或写明认领内容", self.title_edit)),
                rules.SERVICE: (("服务内容", self.title_edit), ("参加人数", self.people), ("服务时长（小时）", self.hours)),
                rules.REVIEW: (("评价年度", self.year), ("评价等次", self.grade))}[kind]
        form = form_layout(("日期", self.on), *rows, ("评价意见" if kind == rules.REVIEW else "备注", self.notes))
        self.finish_layout(QLabel(f"{report.unit_name}，{d(report.reported_on)} 报到"), form)
        self.setMinimumWidth(440)
        self.first_field = self.title_edit if kind == rules.SERVICE else None

    def prepare(self):
        kind = self.kind
        inp = rules.ReportItemInput(kind, self.on.value(), self.title_edit.text(), notes=self.notes.toPlainText())
        if kind == rules.CLAIM:
            inp.post_id, inp.list_item_id = self.post.currentData(), self.project.currentData()
        elif kind == rules.SERVICE:
            inp.people, inp.hours_tenths = self.people.value(), rules.parse_total_hours(self.hours.text())
        else:
            inp.title, inp.year = self.grade.currentData() or "", self.year.value()
        rules.check_report_item(inp, self.report.reported_on, self.today)
        db, rid, today = self.db, self.report.id, self.today
        return lambda: cb.add_report_item(db, rid, inp, today)


def report_html(p: UnitReportDetail) -> str:
    e, r = escape, p.row
    lines = [f"<h3>{e(r.unit_name)}</h3>",
             f"<p>{d(r.reported_on)} 报到{('到' + e(r.org_name)) if r.org_name else ''}"
             f"{('，' + d(r.ended_on) + ' 结束') if r.ended_on else ''}<br>"
             f"联络人：{e(r.liaison or '—')} {e(r.phone_masked)}</p>"]
    if r.promise:
        lines.append(f"<p>服务承诺：{e(r.promise)}</p>")
    lines.append(f"<p><b>{p.year}年</b>：服务 {r.services} 次 {hours(r.hours_tenths) or '0'} 小时，参与活动 "
                 f"{r.activities} 次，评价：{e(r.grade or '未评')}</p>")
    by = {k: [i for i in p.items if i.kind == k] for k in rules.REPORT_ITEM_KINDS}
    lines.append(bullets("认领", [f"{d(i.item_date)} {i.title}" + (f"（{d(i.ended_on)} 结束）" if i.ended_on else "（进行中）")
                                  for i in by[rules.CLAIM]]))
    lines.append(bullets("服务", [f"{d(i.item_date)} {i.title}：{i.people} 人，{hours(i.hours_tenths)} 小时"
                                  for i in by[rules.SERVICE]]))
    lines.append(bullets("评价", [f"{i.year}年 {i.title}" + (f"：{i.notes}" if i.notes else "") for i in by[rules.REVIEW]]))
    lines.append(bullets("参与活动", [f"{d(a.activity_date)} {a.kind}：{a.title}" for a in p.activities]))
    lines.append(bullets("认领的项目", [f"{x.title}（{x.state}）" for x in p.projects]))
    return "".join(lines)


_serving = is_a(UnitReportDetail, lambda x: x.row.ended_on is None)


def _open_claims(x) -> list:
    return [i for i in x.items if i.kind == rules.CLAIM and i.ended_on is None] if isinstance(x, UnitReportDetail) else []


class UnitReportsPage(CobuildingPage):
    export_kind = "unit_reports"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.ORGS)
    tables = (Table(COLUMNS, lambda r: MUTED if r.ended_on else None, stretch=0, details_width=300,
                    empty="共建单位到社区报到：Ctrl+N。选中一个单位，这里显示它本年认领、服务、参与活动和评价。",
                    give_way=("报到组织", "联系电话", "服务时长", "本年活动", "联络人")),)
    filters = (Search("搜索：单位、联络人、承诺"), Choice("year", years))
    actions = (
        Act("add", "单位报到", "add_report", "Ctrl+N", name="add"),
        EDIT,
        SEPARATOR,
        Act("claim", "认领", "add_claim", when=_serving, name="claim", writes=True),
        Act("hours", "登记服务", "add_service", when=_serving, name="service", writes=True),
        Act("evaluations", "年度评价", "add_review", when=selected, name="review", writes=True),
        Act("fulfil", "结束认领", "end_claim", when=lambda x: bool(_open_claims(x)), name="end_claim", writes=True),
        Act("close-case", "结束报到", "end_report", when=_serving, name="end", writes=True),
    )
    activate = "edit_selected"

    def load(self, db, f):
        year = f.year or self.today.year
        tree = org_service.list_tree(db)
        return Loaded(cb.list_unit_reports(db, year, f.text), year=year, units=cb.list_units(db),
                      orgs=[o for o in tree if o.kind in ("community", "branch")], posts=cb.list_posts(db),
                      projects=[p for p in cb.list_items(db, rules.PROJECT) if p.state != rules.PROJECT_DONE])

    def fetch_detail(self, db, row):
        return cb.get_unit_report(db, row.id, self.loaded_year)

    details = staticmethod(report_html)

    def on_loaded(self, loaded) -> None:
        rows = loaded.rows
        self.counts.setText(f"{loaded.year}年：报到单位 {len(rows)} 个，服务 {sum(r.services for r in rows)} 次 "
                            f"{hours(sum(r.hours_tenths for r in rows)) or '0'} 小时")

    def form(self, detail: UnitReportDetail | None = None) -> UnitReportDialog:
        return UnitReportDialog(self, self.ctx.db, self.listed("units"), self.listed("orgs"),
                                detail.row if detail else None, self.today)

    def add_report(self) -> None:
        self.run_dialog(self.form(), lambda r: f"{r.unit_name} 已报到。")

    def _item(self, kind: str) -> None:
        p = self.detail
        if isinstance(p, UnitReportDetail):
            self.run_dialog(ReportItemDialog(self, self.ctx.db, p.row, kind, self.listed("posts"),
                                             self.listed("projects"), self.today, year_of(self)),
                            lambda i: f"已登记{i.kind}：{i.title}。", keep=p.id)

    def add_claim(self) -> None:
        self._item(rules.CLAIM)

    def add_service(self) -> None:
        self._item(rules.SERVICE)

    def add_review(self) -> None:
        self._item(rules.REVIEW)

    def end_claim(self) -> None:
        claims = _open_claims(self.detail)
        if not claims:
            return
        db, today, p = self.ctx.db, self.today, self.detail
        claim = claims[0] if len(claims) == 1 else choose(self, "结束认领", "结束哪一项认领？",
                                                          [(f"{d(i.item_date)} {i.title}", i) for i in claims])
        if claim is not None:
            self.ask_date_note("结束认领", f"{p.row.unit_name} 认领的：{claim.title}", "结束日期", None,
                               lambda on, note: cb.end_report_item(db, claim.id, on, today), "已结束认领。", "结束",
                               keep=p.id)

    def end_report(self) -> None:
        p = self.detail
        if _serving(p):
            db, today = self.ctx.db, self.today
            self.ask_date_note("结束报到", f"{p.row.unit_name}（{d(p.row.reported_on)} 报到）不再到社区报到；记录保留。",
                               "结束日期", None, lambda on, note: cb.end_unit_report(db, p.id, on, today), "已结束报到。",
                               "结束报到", keep=p.id)
