"""居民: households (楼栋 / 单元 / 室) and the residents the center keeps an eye on.

Search as you type by name, pinyin or initials, address, phone or ID fragment;
filter by grid and tag. Phones and ID numbers come masked from the service;
the edit dialog shows them whole.
"""

from __future__ import annotations

from html import escape

from desktop_app.domain import service_flow as flow
from desktop_app.gui.widgets import common
from desktop_app.gui.ops import run_op
from desktop_app.gui.residents.dialogs import HouseholdDialog, ListEditDialog, ResidentDialog
from desktop_app.gui.widgets.bars import DELETE_KEYS
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, RecordListPage, Search, Table
from desktop_app.gui.widgets.table import CENTER, Column
from desktop_app.services import residents as svc
from desktop_app.services.residents import HouseholdRow, ResidentFilter, ResidentRow
from desktop_app.views.changes import Change, changes

# narrow enough that all nine show on a 1366 screen with a record open; a text cut short (…) shows whole
# in its tooltip and in the details
RESIDENT_COLUMNS = (
    Column("姓名", lambda r: r.name, width=70),
    Column("性别", lambda r: r.gender, CENTER, 44),
    Column("年龄", lambda r: "" if r.age is None else str(r.age), CENTER, 44, sort_key=lambda r: r.age or 0),
    Column("住址", lambda r: r.address, width=180),
    Column("网格", lambda r: r.grid_name, width=100),
    Column("联系电话", lambda r: r.phone_masked, CENTER, 110),
    Column("公民身份号码", lambda r: r.id_masked, CENTER, 140),
    Column("标签", lambda r: "、".join(r.tags), width=100),
    Column("备注", lambda r: r.notes, width=90),
)
HOUSEHOLD_COLUMNS = (
    Column("住址", lambda h: h.label, width=200),
    Column("户主", lambda h: h.head_name, width=70),
    Column("网格", lambda h: h.grid_name, width=110),
    Column("联系电话", lambda h: h.phone_masked, CENTER, 110),
    Column("人数", lambda h: str(h.residents), CENTER, 44, sort_key=lambda h: h.residents),
    Column("标签", lambda h: "、".join(h.tags), width=160),
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


class ResidentsPage(RecordListPage):
    heading = "居民与住户"
    export_kind = "residents"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.RESIDENTS, Change.ORGS, Change.SERVICE_LISTS)
    writes = changes(Change.RESIDENTS)
    tables = (Table(RESIDENT_COLUMNS, give_way=("备注", "标签", "公民身份号码", "性别"), stretch=8, details_width=240, label="居民",
                    empty="新增居民：Ctrl+N。<br>一家几口：先“新增住户”，在“住户”页选中这户，再点“新增居民”。"),
              Table(HOUSEHOLD_COLUMNS, give_way=("标签",), stretch=5, details_width=240, label="住户",
                    empty="新增住户：点上方“新增住户”。"))
    filters = (Search("搜索：姓名、拼音首字母、门牌（如 3栋2单元）、电话或身份证号片段"),
               Choice("grid", all_label="全部网格"), Choice("tag", all_label="全部标签"))
    actions = (
        Act("person-add", "新增居民", "add_resident", "Ctrl+N", name="add"),
        Act("household", "新增住户", "add_household", name="household", writes=True),
        Act("edit", "修改", "edit_selected", name="edit", writes=True),
        Act("delete", "删除", "delete_selected", DELETE_KEYS, name="delete"),  # Del, as on the other pages
        SEPARATOR,
        Act("tags", "标签设置", "edit_tags", name="tags", writes="settings.write"),
    )
    activate = "edit_selected"

    @property
    def people(self):
        return self.panels[0]

    @property
    def homes(self):
        return self.panels[1]

    def load(self, db, f):
        flt = ResidentFilter(text=f.text, grid_id=f.grid, tag=f.tag)
        homes = svc.search_households(db, flt.text, flt.grid_id)
        if f.tag:
            homes = [h for h in homes if f.tag in h.tags]
        return Loaded(svc.search_residents(db, flt, self.today), homes, grids=svc.grids(db),
                      tags=svc.get_list(db, flow.RESIDENT_TAG), counts=svc.tag_counts(db, flt.grid_id))

    def detail_html(self, row) -> str:
        return household_html(row) if isinstance(row, HouseholdRow) else resident_html(row)

    def on_loaded(self, loaded: Loaded) -> None:
        self.fill_choice("tag", [(f"{t}（{loaded.counts.get(t, 0)}）", t) for t in loaded.tags])
        self.counts.setText(f"居民 {len(loaded.tables[0])} 人，住户 {len(loaded.tables[1])} 户")

    @property
    def tags(self):
        return self.loaded_value("tags", flow.DEFAULT_LISTS[flow.RESIDENT_TAG])

    # --- actions -----------------------------------------------------------
    def add_resident(self) -> None:
        home = self.homes.selected() if self.panel is self.homes else None
        dlg = ResidentDialog(self, self.ctx.db, self.grids, self.tags, household=home,
                             default_grid=self.choice("grid").currentData())
        if self.run_dialog(dlg, lambda r: f"已新增居民“{r.name}”。"):
            self.tabs.setCurrentWidget(self.people)

    def add_household(self) -> None:
        dlg = HouseholdDialog(self, self.ctx.db, self.grids, default_grid=self.choice("grid").currentData())
        if self.run_dialog(dlg, lambda h: f"已新增住户 {h.label}。"):
            self.tabs.setCurrentWidget(self.homes)

    def edit_selected(self) -> None:
        db, today, row = self.ctx.db, self.today, self.panel.selected()
        if row is None:
            return
        if self.panel is self.people:
            run_op(self, lambda job: svc.get_resident(db, row.id, today), lambda d: self.run_dialog(
                ResidentDialog(self, db, self.grids, self.tags, d), lambda r: f"已保存居民“{r.name}”。"))
        else:
            run_op(self, lambda job: svc.get_household(db, row.id, today), lambda d: self.run_dialog(
                HouseholdDialog(self, db, self.grids, d), lambda h: f"已保存住户 {h.label}。"))

    def delete_selected(self) -> None:
        db, row = self.ctx.db, self.panel.selected()
        if row is None:
            return
        if self.panel is self.people:
            if common.ask(self, "删除居民", f"确定删除居民“{row.name}”吗？\n已有的走访和心愿记录保留其姓名。"):
                self.write(lambda: svc.delete_resident(db, row.id), f"已删除居民“{row.name}”。")
            return
        text = f"确定删除住户 {row.label} 吗？"
        if row.residents:
            text += f"\n该户的 {row.residents} 名居民将一并删除。"
        if common.ask(self, "删除住户", text):
            self.write(lambda: svc.delete_household(db, row.id, with_residents=True),
                       lambda n: f"已删除住户 {row.label}" + (f"及 {n} 名居民。" if n else "。"))

    def edit_tags(self) -> None:
        self.run_dialog(ListEditDialog(self, self.ctx.db, flow.RESIDENT_TAG, self.tags))
