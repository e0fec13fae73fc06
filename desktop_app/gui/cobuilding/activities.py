"""共建活动: record what was done with whom (四进, 文艺演出, 义诊 …), its photos, and the hours each person gave."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.money import format_yuan
from desktop_app.gui.cobuilding import costs
from desktop_app.gui.cobuilding.activity_dialog import ActivityDialog
from desktop_app.gui.cobuilding.common import CobuildingPage, d, hours, is_a, years
from desktop_app.gui.cobuilding.costs import Target, costs_html
from desktop_app.gui.widgets import photos
from desktop_app.gui.widgets.photos import PhotoStrip, photos_html
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, Search, Table, why_chosen
from desktop_app.gui.widgets.table import CENTER, RIGHT, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs as org_service
from desktop_app.services.attachments import safe_name
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import ActivityDetail, VolunteerHours

THUMB = 130  # pixels: two side by side in the details pane

COLUMNS = (
    Column("日期", lambda r: d(r.activity_date), CENTER, 80),
    Column("类型", lambda r: r.kind, CENTER, 72),
    Column("活动名称", lambda r: r.title, width=120),
    Column("地点", lambda r: r.place, width=96),
    # Takes the room left; at 1366×768 beside the details pane that is about eight characters (at 200 pixels
    # 已记账 and 照片 were past the table's edge). The tooltip and the details pane say them all.
    Column("组织方", lambda r: r.organisers, width=110),
    Column("人数", lambda r: str(r.people or ""), CENTER, 44, sort_key=lambda r: r.people),
    Column("时长", lambda r: hours(r.hours_tenths), CENTER, 50, sort_key=lambda r: r.hours_tenths),
    Column("服务居民", lambda r: str(r.residents_served or ""), CENTER, 64, sort_key=lambda r: r.residents_served),
    Column("费用（元）", lambda r: format_yuan(r.cost_fen) if r.cost_fen else "", RIGHT, 72,
           sort_key=lambda r: r.cost_fen),
    Column("已记账（元）", lambda r: format_yuan(r.linked_cost_fen) if r.linked_cost_fen else "", RIGHT, 80,
           sort_key=lambda r: r.linked_cost_fen),
    Column("照片", lambda r: str(r.photos or ""), CENTER, 40, sort_key=lambda r: r.photos),
)
HOURS_COLUMNS = (
    Column("姓名", lambda r: r.name, width=100),
    Column("身份", lambda r: r.kind, CENTER, 80),
    Column("参加活动", lambda r: str(r.activities), CENTER, 70, sort_key=lambda r: r.activities),
    Column("累计时长（小时）", lambda r: hours(r.hours_tenths), CENTER, 110, sort_key=lambda r: r.hours_tenths),
)


def ask_photos(parent: QWidget) -> list[Path]:
    """Which photos to add (tests replace this)."""
    from desktop_app.gui.widgets.forms import ask_open_paths  # starts in Documents, refuses the data folder

    return ask_open_paths(parent, "添加活动照片", "照片 (*.jpg *.jpeg *.png);;所有文件 (*)")


def activity_html(a: ActivityDetail, photo_paths: dict[str, str]) -> str:
    """The activity, its costs, people and photos (`photo_paths`: photo id -> its file here, for the thumbnails)."""
    e, r = escape, a.row
    lines = [
        f"<h3>{e(r.title)}</h3>",
        f"<p>{d(r.activity_date)}　{e(r.kind)}<br>地点：{e(r.place or '—')}<br>"
        f"组织：{e(r.organisers)}<br>服务居民 {r.residents_served} 人次"
        f"{('，费用 ' + format_yuan(r.cost_fen) + ' 元') if r.cost_fen else ''}</p>",
    ]
    lines.append(costs_html(a.costs, r.cost_fen))
    if a.content:
        lines.append(f"<p>{e(a.content)}</p>")
    if a.people:
        items = "".join(f"<li>{e(p.kind)} {e(p.name)}：{hours(p.hours_tenths) or '0'} 小时</li>" for p in a.people)
        lines.append(f"<p>参与人员 {len(a.people)} 人，共 {hours(r.hours_tenths) or '0'} 小时：</p><ul>{items}</ul>")
    lines.append(photos_html(a.photos, photo_paths, THUMB))
    return "".join(lines)


_chosen = is_a(tuple)  # an activity (its detail and photo paths), not a row of hours


class ActivitiesPage(CobuildingPage):
    export_kind = "activities"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.ORGS, Change.MEMBERS, Change.LEDGER)
    tables = (Table(COLUMNS, stretch=4, details_width=300, label="活动", empty="记录活动：Ctrl+N。",
                    give_way=("组织方", "地点", "服务居民", "类型")),
              Table(HOURS_COLUMNS, stretch=0, details_width=300, label="志愿服务时长",
                    empty="按人累计的活动服务时长（报到党员的日常服务另见“双报到”）。"))
    filters = (Search("搜索：活动名称、地点、内容"), Choice("kind", [(k, k) for k in rules.ACTIVITY_KINDS], "全部类型"),
               Choice("year", years))
    actions = (
        Act("add", "记录活动", "add_activity", "Ctrl+N", name="add"),
        Act("edit", "修改", "edit_activity", when=_chosen, name="edit", writes=True),
        Act("delete", "删除", "delete_activity", when=_chosen, name="delete", writes=True),
        Act("photo", "添加照片", "add_photos", when=_chosen, name="photos", writes=True),
        Act("delete", "删除照片", "remove_photo", when=is_a(tuple, lambda x: x[0].photos), name="unphoto",
            why=why_chosen(lambda x: "请先选中一次活动" if isinstance(x, VolunteerHours) else "这次活动还没有照片"),
            writes=True),
        Act("voucher", "费用凭证", "record_cost", when=_chosen, name="cost", writes="cobuilding.write ledger.write"),
        Act("cancel", "取消费用关联", "unlink_cost", when=is_a(tuple, lambda x: x[0].costs),
            name="unlink", writes=True),
        SEPARATOR,
        Act("print", "打印签到表", "print_signin", when=_chosen, name="signin"),
        Act("print", "打印活动登记册", "print_register", name="register"),
    )
    activate = "edit_activity"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.photo_strip = PhotoStrip(self, cb.photo_path, THUMB)

    def load(self, db, f):
        year = f.year or self.today.year
        tree = org_service.list_tree(db)
        organisers = [o for o in tree if o.kind in ("community", "branch")]
        return Loaded(cb.list_activities(db, year, f.text, f.kind), cb.volunteer_hours(db, year), year=year,
                      orgs=organisers, units=cb.list_units(db, year=year),
                      reporting=cb.list_reporting(db, year, serving_only=True))

    def fetch_detail(self, db, row):
        if isinstance(row, VolunteerHours):
            return row
        a = cb.get_activity(db, row.id)
        self.photo_strip.find(db, a.photos)
        return (a, self.photo_strip.files)

    def detail_html(self, detail) -> str:
        if isinstance(detail, VolunteerHours):
            return (f"<h3>{escape(detail.name)}</h3><p>{escape(detail.kind)}<br>参加活动 {detail.activities} 次<br>"
                    f"累计 {hours(detail.hours_tenths) or '0'} 小时</p>")
        return activity_html(*detail)

    def on_loaded(self, loaded) -> None:
        rows = loaded.rows
        self.counts.setText(f"{loaded.year}年：{len(rows)} 次活动，服务居民 {sum(r.residents_served for r in rows)} 人次，"
                            f"服务 {hours(sum(r.hours_tenths for r in rows)) or '0'} 小时")

    def _dialog(self, detail=None) -> ActivityDialog:
        return ActivityDialog(self, self.ctx.db, self.listed("orgs"), self.listed("units"), self.listed("reporting"),
                              detail, self.today)

    def add_activity(self) -> None:
        saved = self.run_dialog(self._dialog(), lambda a: f"已记录活动：{a.row.title}。")
        if saved is not None:
            costs.offer_after_save(self, saved)

    def edit_activity(self) -> None:
        if isinstance(self.detail, tuple):
            saved = self.run_dialog(self._dialog(self.detail[0]), "已保存修改。")
            if saved is not None:
                costs.offer_after_save(self, saved)

    def delete_activity(self) -> None:
        self.delete_detail("删除活动", lambda x: f"确定删除活动“{x[0].row.title}”（{d(x[0].row.activity_date)}）吗？",
                           cb.delete_activity, when=_chosen, record_id=lambda x: x[0].id)

    def add_photos(self) -> None:
        if not isinstance(self.detail, tuple):
            return
        paths = ask_photos(self)
        if not paths:
            return
        db, aid = self.ctx.db, self.detail[0].id
        self.keep(aid)
        # One act: all the photos or, one refused (and named), none.
        self.write(lambda: cb.add_photos(db, aid, paths), lambda added: f"已添加 {len(added)} 张照片。")

    def remove_photo(self) -> None:
        if not isinstance(self.detail, tuple):
            return
        a = self.detail[0]
        if (photo := photos.ask_photo_to_remove(self, a.photos, f"活动“{a.row.title}”")) is None:
            return
        db = self.ctx.db
        self.keep(a.id)
        self.write(lambda: cb.remove_photo(db, photo.id), f"已删除活动“{a.row.title}”的照片“{photo.file_name}”。")

    def _target(self) -> Target | None:
        if not isinstance(self.detail, tuple):
            return None
        r = self.detail[0].row
        return Target(f"共建活动：{r.title}", r.activity_date, activity_id=r.id)

    def record_cost(self) -> None:
        if (t := self._target()) is not None:
            costs.record_cost(self, t)

    def unlink_cost(self) -> None:
        if (t := self._target()) is not None:
            costs.unlink_cost(self, t, self.detail[0].costs)

    def print_signin(self) -> None:
        """The activity's 签到表, to take along: its participants listed, blank rows for the rest."""
        if not isinstance(self.detail, tuple):
            return
        db, r, listed = self.ctx.db, self.detail[0].row, len(self.detail[0].people)
        self.print_pdf("打印共建活动签到表", safe_name(f"共建活动签到表{r.activity_date:%Y%m%d}{r.title}.pdf"),
                       lambda path, job: cb.print_activity_signin_sheet(db, r.id, path),
                       lambda path, _: f"已保存“{r.title}”的签到表（列出 {listed} 人，另留空行）：{path}")

    def print_register(self) -> None:
        self.print_year("打印共建活动登记册", "共建活动登记册", cb.print_activity_register,
                        lambda year, path, n: f"已保存{year}年活动登记册（{n} 次活动）：{path}")
