"""微心愿: post a resident's wish, let a member or partner unit claim it (or withdraw), record it fulfilled,
keep its photos (the card, the hand-over), print the cards for the notice board and the list."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.domain.money import format_yuan
from desktop_app.gui.widgets import common, photos
from desktop_app.gui.widgets.photos import PhotoStrip, photos_html
from desktop_app.gui.widgets.record_list import (
    DELETE, SEPARATOR, Act, Choice, Loaded, RecordListPage, Removal, Search, Table, bullets, recent_years, state_html,
    why_chosen,
)
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, Column, date_text
from desktop_app.gui.wishes.dialogs import ClaimDialog, UnitsDialog, WishDialog
from desktop_app.services import residents as resident_service
from desktop_app.services import wishes as wish_service
from desktop_app.services.wishes import WishDetail, WishFilter, WishRow
from desktop_app.views.changes import Change, changes


_d = date_text


# Within 1366 pixels beside the details pane (实现 was past the table's edge); 状态 next to the wish, in view at 1024.
COLUMNS = (
    Column("编号", lambda r: r.wish_no, CENTER, 80),
    Column("心愿人", lambda r: r.wisher_name, width=64),
    Column("网格", lambda r: r.grid_name, width=96),
    Column("心愿内容", lambda r: r.content, width=170),
    Column("状态", lambda r: r.state, CENTER, 60),
    Column("价值（元）", lambda r: format_yuan(r.estimated_fen) if r.estimated_fen else "", CENTER, 80,
           sort_key=lambda r: r.estimated_fen),
    Column("发布", lambda r: _d(r.posted_on), CENTER, 84),
    Column("认领人", lambda r: r.claimant_name, width=110),
    Column("实现", lambda r: _d(r.fulfilled_on), CENTER, 84),
    Column("照片", lambda r: str(r.photos or ""), CENTER, 40, sort_key=lambda r: r.photos),
)


def ask_photos(parent: QWidget) -> list[Path]:
    """Which photos to add (tests replace this)."""
    from desktop_app.gui.widgets.forms import ask_open_paths  # starts in Documents, refuses the data folder

    return ask_open_paths(parent, "添加心愿照片", "照片 (*.jpg *.jpeg *.png);;所有文件 (*)")


def _color(r: WishRow):
    return {flow.WISH_FULFILLED: DONE, flow.WISH_POSTED: ALERT}.get(r.state)


def details_html(w: WishDetail, files: dict[str, str] | None = None) -> str:
    """The wish, its claims and its photos (`files`: photo id -> its file here, for the thumbnails)."""
    e = escape
    lines = [
        f"<h3>{e(w.wish_no)} {e(w.wisher_name)}</h3>",
        f"<p>{e(w.grid_name)}<br>{e(w.address)}</p>",
        (f"<p>心愿：<b>{e(w.content)}</b><br>情况：{e(w.background or '—')}<br>"
         f"预计价值：{format_yuan(w.estimated_fen) + ' 元' if w.estimated_fen else '—'}<br>发布：{_d(w.posted_on)}</p>"),
        f"<p>状态：{state_html(w.state)}</p>",
    ]
    if w.claimant_name:
        lines.append(f"<p>认领：{e(w.claimant_kind)} {e(w.claimant_name)}（{_d(w.claimed_on)}）</p>")
    if w.fulfilled_on:
        lines.append(f"<p>实现：{_d(w.fulfilled_on)}<br>{e(w.fulfil_note)}</p>")
    lines.append(bullets("认领记录", [f"{_d(c.claimed_on)} {c.claimant_name}：{c.status}"
                                      f"{('，' + _d(c.ended_on)) if c.ended_on else ''}{f'（{c.note}）' if c.note else ''}"
                                      for c in w.claims]))
    lines.append(photos_html(w.photos, files or {}))
    return "".join(lines)


def _state_is(state: str):
    return lambda d: d is not None and d.state == state


def _why(reasons: dict[str, str]):
    """Why a wish in its state cannot take the action (`reasons` by state, formatted with the wish as `w`)."""
    reasons = {flow.WISH_FULFILLED: "心愿已实现（{w.fulfilled_on}）", **reasons}
    return why_chosen(lambda w: reasons.get(w.state, "").format(w=w))


class WishesPage(RecordListPage):
    export_kind = "wishes"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.WISHES, Change.RESIDENTS, Change.MEMBERS, Change.ORGS)
    writes = changes(Change.WISHES)
    tables = (Table(COLUMNS, _color, give_way=("网格", "认领人", "发布", "照片"), stretch=3, details_width=260, empty="发布心愿：Ctrl+N。"),)
    filters = (Search("搜索：心愿人（可用拼音首字母）、心愿内容、认领人、编号"),
               Choice("state", [(s, s) for s in flow.WISH_STATES], "全部状态"),
               Choice("grid", all_label="全部网格", field="grid_id"),
               Choice("year_of", [(f"按{label}", key) for label, key in wish_service.YEAR_OF_LABELS]),
               Choice("year", recent_years("年"), "全部年份"))
    filter_type = WishFilter
    actions = (
        Act("add", "发布心愿", "post_wish", "Ctrl+N", name="post"),
        Act("claim", "认领", "claim", when=_state_is(flow.WISH_POSTED),
            why=_why({flow.WISH_CLAIMED: "心愿已由 {w.claimant_name} 认领（换人请先“撤回认领”）"}), writes=True),
        Act("undo", "撤回认领", "withdraw", when=_state_is(flow.WISH_CLAIMED),
            why=_why({flow.WISH_POSTED: "心愿还没有人认领"}), writes=True),
        # a verb: a greyed "已实现" read as the wish's state
        Act("fulfil", "确认实现", "fulfil", when=_state_is(flow.WISH_CLAIMED),
            why=_why({flow.WISH_POSTED: "心愿还待认领：先认领，再确认实现"}), writes=True),
        Act("edit", "修改", "edit_wish", when=lambda d: d is not None and d.state != flow.WISH_FULFILLED, name="edit",
            why=_why({}), writes=True),
        DELETE,
        # any state: the card before it is claimed, the hand-over once it came true
        Act("photo", "添加照片…", "add_photos", when=lambda d: d is not None, name="photos", writes=True),
        Act("delete", "删除照片", "remove_photo", when=lambda d: d is not None and bool(d.photos), name="unphoto",
            why=why_chosen(lambda _w: "这个心愿还没有照片"), writes=True),
        SEPARATOR,
        Act("print", "打印心愿卡", "print_cards", name="cards"),
        Act("print", "打印清单", "print_list", name="list"),
        Act("units", "共建单位", "edit_units", name="units", writes="settings.write"),  # save_unit's permission
    )
    activate = "edit_wish"
    detail_of = staticmethod(wish_service.get_wish)
    removal = Removal("删除心愿", lambda d: f"确定删除心愿 {d.wish_no}（{d.wisher_name}：{d.content}）吗？",
                      wish_service.delete_wish)

    def load(self, db, f):
        year = self.today.year
        return Loaded(wish_service.list_wishes(db, self.current_filter(f)), grids=resident_service.grids(db),
                      units=wish_service.list_units(db), fulfilled=sum(wish_service.fulfilled_counts(db, year).values()))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.photo_strip = PhotoStrip(self, wish_service.photo_path)

    def fetch_detail(self, db, row):
        w = wish_service.get_wish(db, row.id)
        self.photo_strip.find(db, w.photos)
        return w

    def detail_html(self, detail) -> str:
        return details_html(detail, self.photo_strip.files)

    def on_loaded(self, loaded: Loaded) -> None:
        waiting = sum(1 for r in loaded.rows if r.state == flow.WISH_POSTED)
        self.counts.setText(f"列出 {len(loaded.rows)} 个，待认领 {waiting} 个　{self.today.year}年已实现 {loaded.fulfilled} 个")

    # --- actions -----------------------------------------------------------
    def post_wish(self) -> None:
        self.run_dialog(WishDialog(self, self.ctx.db, self.grids, today=self.today), lambda w: f"已发布心愿 {w.wish_no}。")

    def edit_wish(self) -> None:
        d = self.detail
        if d is not None and d.state != flow.WISH_FULFILLED:
            self.run_dialog(WishDialog(self, self.ctx.db, self.grids, d, today=self.today), "已保存修改。")

    def claim(self) -> None:
        d = self.detail
        if d is not None and d.state == flow.WISH_POSTED:
            units = self.loaded.units if self.loaded else []
            self.run_dialog(ClaimDialog(self, self.ctx.db, d, units, self.today),
                            lambda w: f"心愿 {d.wish_no} 已由 {w.claimant_name} 认领。")

    def _end_claim(self, title: str, summary: str, date_label: str, note_label: str, act, said: str,
                   ok_text: str, placeholder: str = "可不填") -> None:
        """Close the claim on the selected wish (withdrawn, or fulfilled): `act(db, wish_id, on, note, today)`.

        `summary` and `said` are formatted with the wish as `w`.
        """
        d = self.detail
        if d is None or d.state != flow.WISH_CLAIMED:
            return
        db, today = self.ctx.db, self.today
        self.ask_date_note(title, summary.format(w=d), date_label, note_label,
                           lambda on, note: act(db, d.id, on, note, today), said.format(w=d), ok_text, placeholder)

    def withdraw(self) -> None:
        self._end_claim("撤回认领", "{w.claimant_name} 撤回对心愿“{w.content}”的认领，心愿回到待认领。", "撤回日期",
                        "撤回原因", wish_service.withdraw_claim, "已撤回认领，心愿 {w.wish_no} 重新待认领。", "撤回认领")

    def fulfil(self) -> None:
        self._end_claim("心愿已实现", "{w.claimant_name} 认领的心愿：{w.wisher_name}，{w.content}", "实现日期", "实现情况",
                        wish_service.fulfil_wish, "心愿 {w.wish_no} 已实现。", "确认实现", "送了什么、谁送去的、居民的反馈")

    def add_photos(self) -> None:
        d = self.detail
        if d is None:
            return
        paths = ask_photos(self)
        if not paths:
            return
        db, wid = self.ctx.db, d.id
        self.keep(wid)
        # One act: all the photos or, one refused (and named), none.
        self.write(lambda: wish_service.add_photos(db, wid, paths),
                   lambda added: f"已为心愿 {d.wish_no} 添加 {len(added)} 张照片。")

    def remove_photo(self) -> None:
        d = self.detail
        if d is None or (photo := photos.ask_photo_to_remove(self, d.photos, f"心愿 {d.wish_no}")) is None:
            return
        db = self.ctx.db
        self.keep(d.id)
        self.write(lambda: wish_service.remove_photo(db, photo.id), f"已删除心愿 {d.wish_no} 的照片“{photo.file_name}”。")

    def edit_units(self) -> None:
        UnitsDialog(self, self.ctx.db).exec()  # its saves announce Change.WISHES themselves

    # --- printing ----------------------------------------------------------
    def print_cards(self) -> None:
        chosen = self.panel.selected_rows()
        rows = chosen if len(chosen) > 1 else [r for r in self.panel.model.rows if r.state == flow.WISH_POSTED]
        if not rows:
            common.inform(self, "打印心愿卡", "当前没有待认领的心愿。可先选中要打印的心愿（按住 Ctrl 多选）。")
            return
        db, ids, today = self.ctx.db, [r.id for r in rows], self.today
        self.print_pdf(f"打印心愿卡（{len(rows)} 张，每页 6 张）", f"微心愿卡{today:%Y%m%d}.pdf",
                       lambda path, job: wish_service.print_wish_cards(db, path, wish_ids=ids, today=today),
                       lambda path, n: f"已保存 {n} 张心愿卡：{path}", "正在生成心愿卡…")

    def print_list(self) -> None:
        db, flt, today = self.ctx.db, self.current_filter(), self.today
        self.print_pdf(f"打印微心愿清单（{len(self.panel.model.rows)} 个）", f"微心愿清单{today:%Y%m%d}.pdf",
                       lambda path, job: wish_service.print_wish_list(db, path, flt, today=today),
                       lambda path, _n: f"已保存微心愿清单：{path}", "正在生成清单…")
