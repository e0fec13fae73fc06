"""三单: the 需求清单, 资源清单 and 项目清单 side by side; a project is claimed by a unit, done, and tied to a 微实事."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QMenu, QToolButton, QVBoxLayout, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.domain import service_flow
from desktop_app.domain.money import format_yuan
from desktop_app.gui import icons
from desktop_app.gui.cobuilding import costs
from desktop_app.gui.cobuilding.common import CobuildingDialog, CobuildingPage, d, is_a, years
from desktop_app.gui.cobuilding.costs import Target, costs_html
from desktop_app.gui.widgets.forms import DateEdit, combo, grid_combo, list_combo, named_combo, text_area
from desktop_app.gui.widgets.layouts import form_layout, wrapped
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, Search, Table, why_chosen
from desktop_app.gui.widgets.required import required
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, RIGHT, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services import projects as project_service
from desktop_app.services import residents as resident_service
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import ListRow

# 状态 beside the title and the titles at their least where the page is narrow (a 1024 screen): there the
# table shows 登记, the title, 状态 and the unit without scrolling; the title stretches where there is room.
NEED_COLUMNS = (
    Column("登记", lambda r: d(r.raised_on), CENTER, 84),
    Column("需求", lambda r: r.title, width=160),
    Column("状态", lambda r: r.state, CENTER, 60),
    Column("类别", lambda r: r.category, CENTER, 64),
    Column("网格", lambda r: r.grid_name, width=110),
)
RESOURCE_COLUMNS = (
    Column("登记", lambda r: d(r.raised_on), CENTER, 84),
    Column("资源", lambda r: r.title, width=160),
    Column("提供单位", lambda r: r.unit_name, width=120),
    Column("类别", lambda r: r.category, CENTER, 72),
)
PROJECT_COLUMNS = (
    Column("登记", lambda r: d(r.raised_on), CENTER, 84),
    Column("项目", lambda r: r.title, width=130),
    Column("状态", lambda r: r.state, CENTER, 60),
    Column("认领单位", lambda r: r.unit_name, width=100),
    Column("对应需求", lambda r: r.need_title, width=110),
    Column("资源", lambda r: r.resource_title, width=100),
    Column("微实事", lambda r: r.project_name, width=100),
    Column("完成", lambda r: d(r.done_on), CENTER, 84),
    Column("已记账（元）", lambda r: format_yuan(r.linked_cost_fen) if r.linked_cost_fen else "", RIGHT, 80,
           sort_key=lambda r: r.linked_cost_fen),
)


def _color(r: ListRow):
    if r.state in (rules.NEED_OPEN, rules.PROJECT_OPEN):
        return ALERT
    return DONE if r.state in (rules.NEED_MET, rules.PROJECT_DONE) else None


class ListItemDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, kind: str, grids: Sequence, units: Sequence,
                 needs: Sequence[ListRow], resources: Sequence[ListRow], item: ListRow | None = None,
                 today: date | None = None, need: ListRow | None = None):
        """`need`: a new project made for this need (立项 on the 需求清单), its title, category and grid taken."""
        super().__init__(parent, db, ("修改" if item else "登记") + {rules.NEED: "需求", rules.RESOURCE: "资源",
                                                                     rules.PROJECT: "项目"}[kind], today=today)
        self.kind, self.item = kind, item
        like = item or need  # what the form starts from
        self.title_edit = QLineEdit(like.title if like else "")
        self.category = list_combo(("",) + rules.OFFERS if kind == rules.RESOURCE else
                                   ("",) + service_flow.NEED_CATEGORIES, like.category if like else "")
        self.raised = DateEdit(item.raised_on if item else self.today)
        self.grid = grid_combo(grids, like.grid_id if like else None)
        self.unit = named_combo(units, item.unit_id if item else None, "（选择共建单位）")
        # the same need is often raised twice (two residents, two visits): the date and state tell them apart
        open_needs = [(need_choice(n), n.id) for n in needs if n.state != rules.NEED_MET]
        self.need = combo([("（不对应某条需求）", None)] + open_needs, item.need_id if item else need.id if need else None)
        self.resource = combo([("（不用某项资源）", None)] + [(f"{x.title}（{x.unit_name}）", x.id) for x in resources],
                              item.resource_id if item else None)
        self.detail = text_area(3)
        self.detail.setPlainText(item.detail if item else "")
        project = kind == rules.PROJECT
        self.finish_layout(form_layout(
            ({rules.NEED: "需求", rules.RESOURCE: "资源", rules.PROJECT: "项目名称"}[kind], self.title_edit),
            ("类别", self.category), ("登记日期", self.raised),
            ("提供单位", self.unit) if kind == rules.RESOURCE else ("网格", self.grid),
            ("对应需求", self.need) if project else None, ("使用资源", self.resource) if project else None,
            ("说明", self.detail)))
        self.setMinimumWidth(480)
        self.first_field = self.title_edit

    def prepare(self):
        kind = self.kind
        inp = rules.check_list_item(rules.ListInput(
            kind, self.title_edit.text(), self.detail.toPlainText(), self.category.currentData() or "",
            self.raised.value(), self.grid.currentData() if kind != rules.RESOURCE else None,
            self.unit.currentData() if kind == rules.RESOURCE else (self.item.unit_id if self.item else None),
            None, self.need.currentData() if kind == rules.PROJECT else None,
            self.resource.currentData() if kind == rules.PROJECT else None), self.today)
        db, iid, today = self.db, self.item.id if self.item else None, self.today
        read_at = self.item.version if self.item else None
        return lambda: cb.save_item(db, iid, inp, today, expected_version=read_at)


class ClaimProjectDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, item: ListRow, units: Sequence, today: date,
                 unit_id: str | None = None):
        """`unit_id`: the unit offered first, the one whose 资源 the project uses."""
        super().__init__(parent, db, f"认领项目：{item.title}", "认领", today)
        self.item = item
        self.unit = named_combo(units, unit_id, "（选择共建单位）")
        self.on = DateEdit(today)
        self.finish_layout(form_layout(("认领单位", self.unit), ("认领日期", self.on)))
        self.setMinimumWidth(380)

    def prepare(self):
        uid = required(self.unit.currentData(), "认领单位", rules.PICK_UNIT)
        on = rules.check_claim(self.item.state, self.on.value(), self.item.raised_on, self.today)
        db, iid, today = self.db, self.item.id, self.today
        return lambda: cb.claim_project(db, iid, uid, on, today)


class LinkProjectDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, item: ListRow, projects: Sequence):
        super().__init__(parent, db, f"关联微实事：{item.title}")
        self.item = item
        self.project = combo([("（不关联）", None)] + [(f"{p.project_no} {p.name}", p.id) for p in projects],
                             item.project_id)
        # its vouchers follow the tie (cobuilding.costs.rebook_item): say so before they move
        note = wrapped("这一项目已关联的费用凭证会随之记入所选微实事的已记账；选“不关联”则从原微实事取消。"
                       "已结账月份的凭证不能改变费用归属。") if item.linked_cost_fen else None
        self.finish_layout(form_layout(("微实事项目", self.project)), note)
        self.setMinimumWidth(420)

    def prepare(self):
        db, iid, pid = self.db, self.item.id, self.project.currentData()
        return lambda: cb.link_project(db, iid, pid)


def need_choice(n: ListRow) -> str:
    return f"{n.title}（{d(n.raised_on)} 登记，{n.state}）"


def delete_question(r: ListRow) -> str:
    """Whether to delete; a project still open says what becomes of its need (cobuilding.lists._reopen_need)."""
    question = f"确定删除{r.list_kind}“{r.title}”吗？"
    if r.list_kind == rules.PROJECT and r.need_id and r.state != rules.PROJECT_DONE:
        question += f"\n对应的需求“{r.need_title}”如没有别的项目对应，将回到“{rules.NEED_OPEN}”。"
    return question


def item_html(r: ListRow) -> str:
    e = escape
    lines = [f"<h3>{e(r.title)}</h3>", f"<p>{e(r.list_kind)}清单　{d(r.raised_on)}　<b>{e(r.state)}</b><br>"
             f"{e(r.category)} {e(r.grid_name)}</p>"]
    if r.visit_date:
        lines.append(f"<p>来自{e(r.visit_form or '走访')}：{d(r.visit_date)}　{e(r.visit_visitee or '—')}</p>")
    if r.unit_name:
        lines.append(f"<p>{'提供' if r.list_kind == rules.RESOURCE else '认领'}单位：{e(r.unit_name)}"
                     f"{'（' + d(r.claimed_on) + '）' if r.claimed_on else ''}</p>")
    if r.need_title or r.resource_title:
        lines.append(f"<p>对应需求：{e(r.need_title or '—')}<br>使用资源：{e(r.resource_title or '—')}</p>")
    if r.project_name:
        lines.append(f"<p>微实事：{e(r.project_name)}</p>")
    if r.done_on:
        lines.append(f"<p>完成：{d(r.done_on)}</p>")
    lines.append(costs_html(r.costs))
    if r.detail:
        lines.append(f"<p>{e(r.detail)}</p>")
    return "".join(lines)


def _kind_is(kind: str, *states: str):
    return is_a(ListRow, lambda x: x.list_kind == kind and (not states or x.state in states))


_row = is_a(ListRow)

PRINT_TEXT = "打印三单…"


class PrintListsDialog(QDialog):
    """What 打印三单 prints: which lists (all three first) and whether what is finished goes too; the year and
    search are the page's, said here so no one expects the whole register from a searched page."""

    def __init__(self, parent: QWidget | None, filtered: str):
        super().__init__(parent)
        self.setWindowTitle("打印三单")
        self.kinds = {k: QCheckBox(f"{k}清单") for k in rules.LIST_KINDS}
        for box in self.kinds.values():
            box.setChecked(True)
        self.with_done = QCheckBox("包含已解决的需求和已完成的项目")
        self.with_done.setChecked(True)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("打印", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("打印哪几张清单（供共建联席会议使用）："))
        for box in self.kinds.values():
            box.toggled.connect(lambda _on: self.ok.setEnabled(bool(self.chosen())))
            lay.addWidget(box)
        lay.addWidget(self.with_done)
        lay.addWidget(wrapped(f"按页面当前的筛选：{filtered}"))
        lay.addWidget(buttons)
        self.setMinimumWidth(340)

    def chosen(self) -> list[str]:
        return [k for k, box in self.kinds.items() if box.isChecked()]


class ListsPage(CobuildingPage):
    heading = "三单 · 需求、资源、项目清单"
    export_kind = "three_lists"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.PROJECTS, Change.VISITS, Change.LEDGER, Change.ORGS)  # ORGS: 网格
    tables = (Table(NEED_COLUMNS, _color, stretch=1, details_width=300, label="需求清单",
                    empty="居民的需求：走访、恳谈中反映的，或直接登记。"),
              Table(RESOURCE_COLUMNS, stretch=1, details_width=300, label="资源清单", empty="共建单位能提供的资源。"),
              Table(PROJECT_COLUMNS, _color, stretch=1, details_width=300, label="项目清单",
                    empty="对接需求和资源的项目：由共建单位认领，办结后对应的需求即为已解决。",
                    give_way=("资源", "微实事", "对应需求", "已记账（元）")))
    filters = (Search("搜索：标题、说明"), Choice("year", years, "全部年份"))
    actions = (
        Act("add", "登记", "add_item", "Ctrl+N", name="add"),
        Act("edit", "修改", "edit_item", when=_row, name="edit", writes=True),
        Act("delete", "删除", "delete_item", when=_row, name="delete", writes=True),
        # beside 登记, as it registers a project too
        Act("projects", "立项", "make_project", when=_kind_is(rules.NEED, rules.NEED_OPEN), name="make_project",
            why=why_chosen(lambda x: "只有需求清单中待对接的需求能立项" if x.list_kind != rules.NEED
                           else f"这条需求{x.state}，已有项目对应"), writes=True),
        SEPARATOR,
        Act("claim", "认领", "claim", when=_kind_is(rules.PROJECT, rules.PROJECT_OPEN), name="claim", writes=True),
        Act("fulfil", "完成", "complete", when=_kind_is(rules.PROJECT, rules.PROJECT_CLAIMED), name="done", writes=True),
        Act("to-project", "关联微实事", "link", when=_kind_is(rules.PROJECT), name="link", writes=True),
        Act("voucher", "费用凭证", "record_cost", when=_kind_is(rules.PROJECT), name="cost",
            writes="cobuilding.write ledger.write"),  # a new voucher goes into the books: the ledger's right too
        # 取消关联 as its form's button says: short enough that with 立项 the texts still fit a 1024 screen
        Act("cancel", "取消关联", "unlink_cost", when=lambda x: _kind_is(rules.PROJECT)(x) and bool(x.costs),
            name="unlink", writes=True),
    )
    activate = "edit_item"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._print_with_export()

    def _print_with_export(self) -> None:
        """打印三单 and 导出Excel share one button: at 1024 the toolbar has room for no further text, so a button
        of its own would turn every action's text into an icon. Its menu holds both; the button stays enabled
        for printing while an empty list greys out 导出Excel."""
        self.act_print = QAction(icons.get("print"), PRINT_TEXT, self)
        self.act_print.setToolTip("把三单（需求、资源、项目清单）生成 PDF，供共建联席会议使用")
        self.act_print.triggered.connect(self.print_lists)
        self.act_output = QAction(icons.get("print"), "打印/导出", self)
        self.act_output.setToolTip("打印/导出：打印三单，或把当前清单导出Excel")
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        menu.addAction(self.act_print)
        menu.addAction(self.act_export)
        self.act_output.setMenu(menu)
        button = self.toolbar.widgetForAction(self.act_export)
        if isinstance(button, QToolButton):
            button.setDefaultAction(self.act_output)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")  # no wider than before

    def print_lists(self) -> None:
        """打印三单: the lists chosen, with the page's year and search, as one PDF."""
        f = self.filter_values()
        filtered = "，".join([f"{f.year}年" if f.year else "全部年份"] + ([f"搜索“{f.text.strip()}”"] if f.text.strip() else []))
        dlg = PrintListsDialog(self, filtered)
        if dlg.exec() != QDialog.DialogCode.Accepted or not dlg.chosen():
            return
        kinds, with_done = dlg.chosen(), dlg.with_done.isChecked()
        db, today, year, text = self.ctx.db, self.today, f.year, f.text
        self.print_pdf("打印三单", f"共驻共建三单{year or ''}.pdf",
                       lambda path, job: cb.print_cobuilding_lists(db, path, kinds, year, with_done=with_done,
                                                                  text=text, today=today),
                       lambda path, sheet: "已生成三单：" + "，".join(f"{k}清单 {len(sheet.rows(k))} 条"
                                                                  for k in sheet.kinds) + f"\n{path}")

    def load(self, db, f):
        return Loaded(*(cb.list_items(db, k, f.year, text=f.text) for k in rules.LIST_KINDS),
                      grids=resident_service.grids(db), units=cb.list_units(db),
                      projects=project_service.list_projects(db))

    def fetch_detail(self, db, row):
        if row.list_kind != rules.PROJECT:
            return row
        return replace(row, costs=tuple(cb.costs_of(db, item_id=row.id)))

    details = staticmethod(item_html)

    def on_loaded(self, loaded) -> None:
        needs, resources, projects = loaded.tables
        self.counts.setText(f"需求 {len(needs)} 条（待对接 {sum(1 for n in needs if n.state == rules.NEED_OPEN)}），"
                            f"资源 {len(resources)} 条，项目 {len(projects)} 个（已完成 "
                            f"{sum(1 for p in projects if p.state == rules.PROJECT_DONE)}）")

    def _kind(self) -> str:
        return rules.LIST_KINDS[self.tabs.currentIndex() if self.tabs is not None else 0]

    def _dialog(self, kind: str, item: ListRow | None = None, need: ListRow | None = None) -> ListItemDialog:
        lo = self.loaded
        return ListItemDialog(self, self.ctx.db, kind, self.grids, self.listed("units"),
                              lo.tables[0] if lo else [], lo.tables[1] if lo else [], item, self.today, need)

    def add_item(self) -> None:
        self.run_dialog(self._dialog(self._kind()), lambda r: f"已登记：{r.title}。")

    def edit_item(self) -> None:
        if _row(self.detail):
            self.run_dialog(self._dialog(self.detail.list_kind, self.detail), "已保存修改。")

    def delete_item(self) -> None:
        self.delete_detail("删除", delete_question, cb.delete_item, when=_row)

    def make_project(self) -> None:
        """立项 on the selected need: the 项目清单's form with the need chosen, then that list with the project."""
        r = self.detail
        if _kind_is(rules.NEED, rules.NEED_OPEN)(r) and self.run_dialog(
                self._dialog(rules.PROJECT, need=r), lambda x: f"已立项：{x.title}，等待共建单位认领。"):
            self.tabs.setCurrentIndex(rules.LIST_KINDS.index(rules.PROJECT))

    def claim(self) -> None:
        r = self.detail
        if _kind_is(rules.PROJECT, rules.PROJECT_OPEN)(r):
            resources = self.loaded.tables[1] if self.loaded else []
            offered_by = next((x.unit_id for x in resources if x.id == r.resource_id), None)
            self.run_dialog(ClaimProjectDialog(self, self.ctx.db, r, self.listed("units"), self.today, offered_by),
                            lambda x: f"{x.unit_name} 认领了项目“{x.title}”。")

    def complete(self) -> None:
        r = self.detail
        if not _kind_is(rules.PROJECT, rules.PROJECT_CLAIMED)(r):
            return
        db, today = self.ctx.db, self.today
        self.ask_date_note("项目完成", f"{r.unit_name} 认领的项目：{r.title}", "完成日期", None,
                           lambda on, note: cb.complete_project(db, r.id, on, today), "项目已完成，对应的需求已解决。",
                           "确认完成")

    def record_cost(self) -> None:
        r = self.detail
        if _kind_is(rules.PROJECT)(r):
            costs.record_cost(self, Target(f"项目清单：{r.title}", self.today, item_id=r.id))

    def unlink_cost(self) -> None:
        r = self.detail
        if _kind_is(rules.PROJECT)(r):
            costs.unlink_cost(self, Target(f"项目清单：{r.title}", self.today, item_id=r.id), r.costs)

    def link(self) -> None:
        r = self.detail
        if _kind_is(rules.PROJECT)(r):
            self.run_dialog(LinkProjectDialog(self, self.ctx.db, r, self.listed("projects")), "已关联微实事。")
