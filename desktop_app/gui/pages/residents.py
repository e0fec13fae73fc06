"""居民: households (楼栋 / 单元 / 室) and the residents the center keeps an eye on.

Search as you type by name, pinyin or initials, address, phone or ID fragment;
filter by grid and tag. Phones and ID numbers are masked in the tables; the
edit dialog shows them whole.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.gui.bus import bus
from desktop_app.gui.dialogs import common
from desktop_app.gui.dialogs import service_dialogs as dlgs
from desktop_app.gui.dialogs.service_dialogs import Col, ListPanel
from desktop_app.gui.ops import run_op
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import residents as svc
from desktop_app.services.residents import HouseholdRow, ResidentFilter, ResidentRow

RESIDENT_COLUMNS = (
    Col("姓名", lambda r: r.name, False, 70),
    Col("性别", lambda r: r.gender, True, 44),
    Col("年龄", lambda r: "" if r.age is None else str(r.age), True, 44),
    Col("住址", lambda r: r.address, False, 190),
    Col("网格", lambda r: r.grid_name, False, 110),
    Col("联系电话", lambda r: r.phone_masked, True, 110),
    Col("公民身份号码", lambda r: r.id_masked, True, 150),
    Col("标签", lambda r: "、".join(r.tags), False, 130),
    Col("备注", lambda r: r.notes, False, 120),
)
HOUSEHOLD_COLUMNS = (
    Col("住址", lambda h: h.label, False, 200),
    Col("户主", lambda h: h.head_name, False, 70),
    Col("网格", lambda h: h.grid_name, False, 110),
    Col("联系电话", lambda h: h.phone_masked, True, 110),
    Col("人数", lambda h: str(h.residents), True, 44),
    Col("标签", lambda h: "、".join(h.tags), False, 160),
)


def resident_html(r: ResidentRow) -> str:
    e = escape
    age = f"，{r.age} 岁" if r.age is not None else ""
    return (f"<h3>{e(r.name)}</h3><p>{e(r.gender)}{age}<br>{e(r.address or '（无住户）')}<br>{e(r.grid_name)}</p>"
            f"<p>电话：{e(r.phone_masked or '—')}<br>身份证：{e(r.id_masked or '—')}</p>"
            f"<p>标签：{e('、'.join(r.tags) or '—')}</p><p>{e(r.notes)}</p>")


def household_html(h: HouseholdRow) -> str:
    e = escape
    return (f"<h3>{e(h.label)}</h3><p>{e(h.address)}<br>{e(h.grid_name)}</p>"
            f"<p>户主：{e(h.head_name or '—')}<br>电话：{e(h.phone_masked or '—')}<br>居民：{h.residents} 人</p>"
            f"<p>标签：{e('、'.join(h.tags) or '—')}</p>")


class ResidentsPage(Page):
    title = "居民"
    icon = "resident"
    watches = ("residents", "orgs", "service_lists")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self._today = today
        self.grids: list[svc.Grid] = []
        self.tags: tuple[str, ...] = flow.DEFAULT_LISTS[flow.RESIDENT_TAG]
        self._keep: str | None = None
        self.counts = QLabel()
        top = QHBoxLayout()
        top.addWidget(dlgs.heading("居民与住户"))
        top.addStretch(1)
        top.addWidget(self.counts)

        tb, action = dlgs.toolbar(self)
        self.act_add = action("person-add", "新增居民", self.add_resident, "Ctrl+N")
        self.act_household = action("household", "新增住户", self.add_household)
        self.act_edit = action("edit", "修改", self.edit_selected)
        self.act_delete = action("delete", "删除", self.delete_selected)
        tb.addSeparator()
        self.act_tags = action("tags", "标签设置", self.edit_tags)

        self.search = dlgs.search_box("搜索：姓名、拼音首字母、门牌（如 3栋2单元）、电话或身份证号片段")
        self.grid = QComboBox()
        self.grid.addItem("全部网格", None)
        self.tag = QComboBox()
        self.tag.addItem("全部标签", None)
        self.search.textChanged.connect(dlgs.debounced(self, self.refresh))
        for box in (self.grid, self.tag):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.grid)
        filters.addWidget(self.tag)

        self.people = ListPanel(RESIDENT_COLUMNS, stretch=8, details_width=240)
        self.people.current_changed.connect(lambda r: self.people.details.setText(resident_html(r) if r else ""))
        self.people.activated.connect(lambda _r: self.edit_selected())
        self.homes = ListPanel(HOUSEHOLD_COLUMNS, stretch=5, details_width=240)
        self.homes.current_changed.connect(lambda h: self.homes.details.setText(household_html(h) if h else ""))
        self.homes.activated.connect(lambda _r: self.edit_selected())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people, "居民")
        self.tabs.addTab(self.homes, "住户")
        self.message = QLabel()
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(tb)
        lay.addLayout(filters)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.message)

    @property
    def today(self) -> date:
        return self._today or date.today()

    def current_filter(self) -> ResidentFilter:
        return ResidentFilter(text=self.search.text(), grid_id=self.grid.currentData(), tag=self.tag.currentData())

    def refresh(self) -> None:
        super().refresh()
        db, flt, today = self.ctx.db, self.current_filter(), self.today

        def load(job):
            return (svc.search_residents(db, flt, today), svc.search_households(db, flt.text, flt.grid_id),
                    svc.grids(db), svc.get_list(db, flow.RESIDENT_TAG), svc.tag_counts(db, flt.grid_id))

        keep = self._keep
        self._keep = None
        run_op(self, load, lambda result: self._loaded(result, keep))

    def _loaded(self, result, keep) -> None:
        people, homes, grids, tags, counts = result
        self.grids, self.tags = grids, tags
        dlgs.refill(self.grid, "全部网格", [(g.name, g.id) for g in grids])
        dlgs.refill(self.tag, "全部标签", [(f"{t}（{counts.get(t, 0)}）", t) for t in tags])
        if self.tag.currentData():
            homes = [h for h in homes if self.tag.currentData() in h.tags]
        keep_person = keep or (self.people.selected().id if self.people.selected() else None)
        keep_home = keep or (self.homes.selected().id if self.homes.selected() else None)
        self.people.set_rows(people, keep_person)
        self.homes.set_rows(homes, keep_home)
        self.counts.setText(f"居民 {len(people)} 人，住户 {len(homes)} 户")

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _saved(self, row_id: str, text: str) -> None:
        self._keep = row_id
        self.show_message(text)
        bus.changed.emit("residents")

    # --- actions -----------------------------------------------------------
    def add_resident(self) -> None:
        home = self.homes.selected() if self.tabs.currentWidget() is self.homes else None
        dlg = dlgs.ResidentDialog(self, self.ctx.db, self.grids, self.tags, household=home,
                                  default_grid=self.grid.currentData())
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self.tabs.setCurrentWidget(self.people)
            self._saved(dlg.saved.id, f"已新增居民“{dlg.saved.name}”。")

    def add_household(self) -> None:
        dlg = dlgs.HouseholdDialog(self, self.ctx.db, self.grids, default_grid=self.grid.currentData())
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self.tabs.setCurrentWidget(self.homes)
            self._saved(dlg.saved.id, f"已新增住户 {dlg.saved.label}。")

    def edit_selected(self) -> None:
        db, today = self.ctx.db, self.today
        if self.tabs.currentWidget() is self.people:
            row = self.people.selected()
            if row is not None:
                run_op(self, lambda job: svc.get_resident(db, row.id, today), self._edit_resident)
        else:
            home = self.homes.selected()
            if home is not None:
                run_op(self, lambda job: svc.get_household(db, home.id, today), self._edit_household)

    def _edit_resident(self, detail) -> None:
        dlg = dlgs.ResidentDialog(self, self.ctx.db, self.grids, self.tags, detail)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._saved(detail.id, f"已保存居民“{dlg.saved.name}”。")

    def _edit_household(self, detail) -> None:
        dlg = dlgs.HouseholdDialog(self, self.ctx.db, self.grids, detail)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._saved(detail.id, f"已保存住户 {dlg.saved.label}。")

    def delete_selected(self) -> None:
        db = self.ctx.db
        if self.tabs.currentWidget() is self.people:
            row = self.people.selected()
            if row is None or not common.ask(self, "删除居民", f"确定删除居民“{row.name}”吗？\n已有的走访和心愿记录保留其姓名。"):
                return
            run_op(self, lambda job: svc.delete_resident(db, row.id),
                   lambda _r: self._saved("", f"已删除居民“{row.name}”。"))
            return
        home = self.homes.selected()
        if home is None:
            return
        text = f"确定删除住户 {home.label} 吗？"
        if home.residents:
            text += f"\n该户的 {home.residents} 名居民将一并删除。"
        if not common.ask(self, "删除住户", text):
            return
        run_op(self, lambda job: svc.delete_household(db, home.id, with_residents=True),
               lambda n: self._saved("", f"已删除住户 {home.label}" + (f"及 {n} 名居民。" if n else "。")))

    def edit_tags(self) -> None:
        dlg = dlgs.ListEditDialog(self, self.ctx.db, flow.RESIDENT_TAG, self.tags)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            bus.changed.emit("service_lists")
