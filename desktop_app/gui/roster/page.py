"""党员名册: the member roster — search as you type, filters, statistics, add/edit/delete,
status changes and transfers, import, export and the printed roster.

The table model (models.RosterModel) keeps only the ordered ids of the members
that match and fetches the rows it draws in the background. Every read and
write goes through services.roster off the GUI thread; writes announce the
changes they make.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFrame, QHBoxLayout, QHeaderView, QLabel, QMenu,
    QScrollArea, QToolButton, QVBoxLayout, QWidget,
)

from desktop_app.domain import access
from desktop_app.domain import members as rules
from desktop_app.gui import icons
from desktop_app.gui.widgets import common
from desktop_app.gui.ops import Cancelled, run_op
from desktop_app.gui.roster.delegate import RosterDelegate, RosterTable
from desktop_app.gui.roster.org_combo import OrgCombo, default_org
from desktop_app.gui.roster.models import CACHED_PAGES, COLUMNS, FIRST_ROWS, ID_ROLE, PAGE_SIZE, RosterModel
from desktop_app.gui.widgets.bars import SEARCH_DELAY_MS, debounced, heading, search_box, toolbar
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.layouts import splitter
from desktop_app.services import orgs as org_service
from desktop_app.services import auth, roster
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.orgs import OrgNode
from desktop_app.views.roster import MemberDetail, MemberFilter, MemberRow, RosterPrint, RosterStats, several_orgs

__all__ = ["CACHED_PAGES", "ID_ROLE", "PAGE_SIZE", "RosterModel", "RosterPage"]

log = logging.getLogger(__name__)

# ------------------------------------------------------------------ filters

_STATUS_ACTIVE, _STATUS_ALL = "__active__", "__all__"


def _combo(items: list[tuple[str, Any]], tip: str, chars: int = 5) -> QComboBox:
    """A compact filter combo: about `chars` characters wide, its list as wide as it needs."""
    box = QComboBox()
    for text, data in items:
        box.addItem(text, data)
    box.setToolTip(tip)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(chars)
    box.view().setMinimumWidth(box.view().sizeHintForColumn(0) + 24)
    return box


def _stats_html(st: RosterStats) -> str:
    def section(title: str, counts: dict[str, int]) -> str:
        rows = "".join(
            f"<tr><td width='58%'>{k}</td><td width='18%' align='right'>{v}</td>"
            f"<td width='24%' align='right' style='color:#888'>{(100 * v / st.total) if st.total else 0:.1f}%</td></tr>"
            for k, v in counts.items() if v
        )
        if not rows:
            rows = "<tr><td style='color:#888'>—</td></tr>"
        return (
            f"<p style='margin:10px 0 2px 0'><b>{title}</b></p>"
            f"<table width='100%' cellspacing='0' cellpadding='2'>{rows}</table>"
        )

    return (
        f"<p style='margin:0'><span style='font-size:15px'><b>合计 {st.total} 名</b></span></p>"
        + section("人员类别", st.by_category)
        + section("性别", st.by_gender)
        + section("年龄", st.by_age_band)
        + section("学历", st.by_education)
        + section("党龄（正式党员）", st.by_party_age_band)
        + section("党支部", st.by_branch)
        + section("状态", st.by_status)
    )


class RosterPage(Page):
    title = "党员名册"
    icon = "members"
    watches = changes(Change.MEMBERS, Change.ORGS)
    searched = Signal(int)  # a search result was shown: how many members match
    stats_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.nodes: list[OrgNode] = []
        self.today = date.today()
        self._search_generation = 0
        self._stats_generation = 0
        self._select_after: str | None = None
        self.last_stats: RosterStats | None = None
        self.last_search_ms: float | None = None
        self._sort = ("seq", False)
        self._tree_after_rows = False

        self.model = RosterModel(ctx.db, self)
        self._build()
        self._update_actions()

    # ------------------------------------------------------------------ UI
    def _build(self) -> None:
        self.count_label = QLabel("")
        self.count_label.setObjectName("countLabel")
        self.count_label.setStyleSheet("color: #555; font-size: 14px; padding-right: 4px;")
        top = QHBoxLayout()
        top.addWidget(heading("党员名册"))
        top.addStretch(1)
        top.addWidget(self.count_label)

        tb, action = toolbar(self)
        self.act_add = action("member-add", "新增", self.add_member, "Ctrl+N", writes=True)
        self.act_edit = action("member-edit", "编辑", self.edit_selected, writes=True)
        self.act_delete = action("member-delete", "删除", self.delete_selected, "Del", writes=True)
        self.act_status = action("member-status", "状态变更", self.change_status_selected, writes=True)
        self.act_transfer = action("member-transfer", "组织关系转接", self.transfer_selected, writes=True)
        self.act_group = action("member-transfer", "移入党小组…", self.move_to_group, writes=True)  # several at once (Ctrl/Shift)
        tb.addSeparator()
        # 只读 and 网格员 chose a file and waited for its preview, to be refused on 导入
        self.act_import = action("import", "导入…", self.import_members, writes="members.import")
        self.act_import.setToolTip("从 Excel 或 CSV 文件导入党员")
        self.act_export = action("export", "导出…", self.export_members)
        self.act_export.setToolTip("把当前筛选的党员导出为 Excel 或 CSV")
        # a blank template is only for filling in and importing
        self.act_template = action("template", "下载导入模板", self.save_template, writes="members.import")
        tb.addSeparator()
        self.act_print = action("print", "打印花名册", self.print_roster, "Ctrl+P")
        self.act_print.setToolTip("把当前筛选的党员生成党员花名册 PDF（Ctrl+P），身份证号和手机号部分隐藏")
        # The full-ID copy hangs under 打印 so it is never the button pressed by habit.
        self.act_print_full = QAction(icons.get("print"), "打印含完整身份证号的花名册…", self)
        self.act_print_full.triggered.connect(self.print_roster_full)
        full_ok = auth.can(self.ctx.db, "members.reveal") and auth.can(self.ctx.db, "export.personal")
        self.act_print_full.setEnabled(full_ok)
        self.act_print_full.setToolTip(
            "报送上级需要完整身份证号时使用；会记入审计日志" if full_ok
            else "需要“查看党员完整身份证号和电话”和“导出含完整个人信息的文件”两项权限")
        print_menu = QMenu(self)
        print_menu.setToolTipsVisible(True)
        print_menu.addAction(self.act_print)
        print_menu.addAction(self.act_print_full)
        print_button = tb.widgetForAction(self.act_print)
        if isinstance(print_button, QToolButton):
            print_button.setMenu(print_menu)
            print_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        tb.addSeparator()
        self.act_stats = action("stats", "统计", lambda: self._toggle_stats(self.act_stats.isChecked()))
        self.act_stats.setCheckable(True)

        # --- filters
        self.search = search_box("姓名/拼音/首字母/身份证号/手机号")
        self.search.setMinimumWidth(200)
        self.search.setToolTip("按姓名、全拼（zhangsan）、拼音首字母（zs）、身份证号或手机号的一部分查找；多个词用空格分开"
                               "（Ctrl+F 从页面任何地方回到这里）")
        self._search_later = debounced(self, self.run_search, SEARCH_DELAY_MS)
        self.search.textChanged.connect(self._search_later)

        self.branch = OrgCombo(all_label="全部党组织")
        self.branch.setToolTip("所在党组织（含下级）")
        self.branch.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.branch.setMinimumContentsLength(7)
        self.branch.set_nodes([])  # 全部党组织 until the tree arrives (after the first rows)
        self._offer_grids()
        self.category = _combo([("全部类别", None)] + [(c, c) for c in rules.CATEGORIES], "人员类别")
        self.status = _combo(
            [("在册党员", _STATUS_ACTIVE), ("全部（含转出、去世）", _STATUS_ALL)]
            + [(f"状态：{s}", s) for s in rules.ALL_STATUSES],
            "党籍状态：默认只列在册党员（不含转出、去世）", chars=6,
        )
        self.reporting = _combo([("报到：全部", None), ("在职报到", True), ("未报到", False)], "在职党员报到", chars=6)
        self.floating = _combo([("流动：全部", None), ("流动党员", True), ("非流动党员", False)], "流动党员", chars=6)
        self.age_band = _combo([("全部年龄", None)] + [(b, b) for b in rules.AGE_BANDS], "年龄段")
        self.party_age_band = _combo([("全部党龄", None)] + [(f"党龄{b}", b) for b in rules.PARTY_AGE_BANDS],
                                     "党龄段（正式党员）")
        # 政治生日: whose 入党 anniversary falls in a month of this year (the 工作台's 本月政治生日 opens it)
        self.birthday = _combo([("政治生日：不限", None)]
                               + [(f"{m}月政治生日", f"{self.today.year}-{m:02d}") for m in range(1, 13)],
                               "政治生日：入党日期在该月的在册党员", chars=6)
        self.filters = (self.branch, self.category, self.status, self.reporting, self.floating,
                        self.age_band, self.party_age_band, self.birthday)
        for box in self.filters:
            box.currentIndexChanged.connect(lambda _i: self.run_search())
        self.clear_button = QToolButton()
        self.clear_button.setIcon(icons.get("clear"))
        self.clear_button.setToolTip("清除搜索和筛选")
        self.clear_button.clicked.connect(self.clear_filters)

        # two lines: on one, the search and eight lists needed 954 pixels, more than a 1366 screen at 150% leaves
        filters = QVBoxLayout()
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.search, 2)
        for box in self.filters[:3]:
            first.addWidget(box)
        first.addWidget(self.clear_button)
        for box in self.filters[3:]:
            second.addWidget(box)
        second.addStretch(1)
        filters.addLayout(first)
        filters.addLayout(second)

        # --- notices
        self.due_banner = QLabel()
        self.due_banner.setObjectName("dueBanner")
        self.due_banner.setWordWrap(True)
        self.due_banner.setTextFormat(Qt.TextFormat.RichText)
        self.due_banner.setStyleSheet(
            "QLabel#dueBanner { background: #fff7e0; border: 1px solid #f0d58c; border-radius: 4px; padding: 6px; }"
        )
        self.due_banner.linkActivated.connect(self._due_link)
        self.due_banner.hide()
        # an empty table says nothing: a new center is told how to fill it, a filter finding no one how to undo it
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setTextFormat(Qt.TextFormat.RichText)
        self.empty_hint.setStyleSheet("background: white; border: 1px solid #ddd; padding: 12px; font-size: 14px;")
        self.empty_hint.linkActivated.connect(self._empty_link)
        self.empty_hint.hide()

        self.message_bar = QFrame()
        self.message_bar.setObjectName("messageBar")
        self.message_bar.setStyleSheet(
            "QFrame#messageBar { background: #eaf4ea; border: 1px solid #b9dcb9; border-radius: 4px; }"
        )
        self.message_text = QLabel()
        self.undo_button = QToolButton()
        self.undo_button.setText("撤销")
        self.undo_button.setIcon(icons.get("undo"))
        self.undo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.undo_button.clicked.connect(self._undo)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.clicked.connect(self.message_bar.hide)
        bar = QHBoxLayout(self.message_bar)
        bar.setContentsMargins(8, 2, 4, 2)
        bar.addWidget(self.message_text, 1)
        bar.addWidget(self.undo_button)
        bar.addWidget(close)
        self.message_bar.hide()
        self._undo_fn: Callable[[], None] | None = None
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message_bar.hide)

        # --- table
        self.table = RosterTable()
        self.table.setModel(self.model)
        self.table.setItemDelegate(RosterDelegate(self.table, self.model))  # plain cells without the style's work
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # 移入党小组 takes several
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measure 100,000 rows
        vh.setDefaultSectionSize(26)
        vh.hide()
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        for col, (_h, _k, _g, _c, width) in enumerate(COLUMNS):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        # double-click or Enter; not for an account the window hides 编辑 from (it may not save a change)
        self.table.activated.connect(lambda _i: self.act_edit.isVisible() and self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())

        self.stats_label = QLabel()
        self.stats_label.setObjectName("statsText")
        self.stats_label.setTextFormat(Qt.TextFormat.RichText)
        self.stats_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.stats_label.setWordWrap(True)
        self.stats_label.setStyleSheet("background: white; padding: 8px;")
        self.stats_panel = QScrollArea()
        self.stats_panel.setWidgetResizable(True)
        self.stats_panel.setWidget(self.stats_label)
        self.stats_panel.setMinimumWidth(230)
        self.stats_panel.hide()

        self.split = splitter(self.table, self.stats_panel, stretch=(4, 1))
        self.split.setChildrenCollapsible(False)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(tb)
        lay.addLayout(filters)
        lay.addWidget(self.due_banner)
        lay.addWidget(self.message_bar)
        lay.addWidget(self.empty_hint)
        lay.addWidget(self.split, 1)

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """The search first, then the organisation filter's tree and the 预备党员 due banner.

        The rows come first: the tree and the banner are not needed to show or search
        them (a filter on an organisation that has gone meanwhile is searched again
        when the tree arrives), and at start their reads came before the first rows
        (~15 ms of CPU).
        """
        super().refresh()
        self.today = date.today()
        self._birthday_year()
        self._tree_after_rows = True
        self.run_search()

    def _load_tree(self) -> None:
        db, today = self.ctx.db, self.today

        def load(job):
            return org_service.list_tree(db), roster.probationary_due(db, today)

        run_op(self, load, self._loaded)

    def _loaded(self, result: tuple[list[OrgNode], list[MemberRow]]) -> None:
        self.nodes, due = result
        self._update_actions()
        self.branch.set_nodes(self.nodes)  # emits a change (and a search) only if the choice vanished
        self._show_due(due)

    def _offer_grids(self) -> None:
        """A 网格员's grids as one entry of the organisation filter: their 概览's 党员 figures open the roster
        on it (showing the members those figures count), and they can pick it again here."""
        actor = auth.current_actor(self.ctx.db)
        if actor is None or not actor.grid_ids or not access.grid_bound(actor.role, "residents.read"):
            return
        one = len(actor.grid_ids) == 1  # short words: the combo is seven characters wide
        self.branch.set_extra("本网格" if one else "我的网格", several_orgs(actor.grid_ids),
                              "本人负责的网格党支部（含其下党小组）的党员，与“概览”的党员数一致")

    def _birthday_year(self) -> None:
        """The 政治生日 months name the current year. A window left open over New Year rebuilds them: a January
        click on 本月政治生日 names 2027-01, which last year's list did not offer, so the filter was skipped and
        every member listed."""
        year = date.today().year
        if self.birthday.itemData(1) != f"{year}-01":
            for month in range(1, 13):
                self.birthday.setItemData(month, f"{year}-{month:02d}")

    def apply_filter(self, **values: Any) -> dict[str, Any]:
        self._birthday_year()
        return super().apply_filter(**values)

    def filter_widgets(self) -> dict[str, QWidget]:
        return {"text": self.search, "org": self.branch, "category": self.category, "status": self.status,
                "birthday": self.birthday, "reporting": self.reporting, "floating": self.floating,
                "age_band": self.age_band, "party_age_band": self.party_age_band}

    def current_filter(self) -> MemberFilter:
        status = self.status.currentData()
        return MemberFilter(
            text=self.search.text().strip(),
            org_id=self.branch.currentData(),
            category=self.category.currentData(),
            status=status if status not in (_STATUS_ACTIVE, _STATUS_ALL) else None,
            active_only=status == _STATUS_ACTIVE,
            reporting=self.reporting.currentData(),
            floating=self.floating.currentData(),
            age_band=self.age_band.currentData(),
            party_age_band=self.party_age_band.currentData(),
            birthday_month=self.birthday.currentData(),
        )

    def run_search(self) -> None:
        """Query the ids for the current search, filters and sort off the GUI thread.

        Each search carries a number; a result that arrives after a newer search
        started is dropped, so a slow old query never overwrites a newer one.
        """
        self._search_later.timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        flt, (sort, descending) = self.current_filter(), self._sort
        db, today = self.ctx.db, self.today
        keep = self.selected_id()
        first_rows = self._screenful()
        started = perf_counter()

        def search(job):
            if generation != self._search_generation:
                raise Cancelled()  # a newer keystroke is already queued behind this one: never run it
            ids = roster.search_hits(db, flt, sort=sort, descending=descending, today=today)
            if generation != self._search_generation:
                raise Cancelled()  # typed on meanwhile: its rows would never be shown
            return ids, roster.rows(db, ids[:first_rows], today=today)  # what the table shows at once

        def done(result) -> None:
            if generation != self._search_generation:
                return
            ids, first = result
            self.last_search_ms = (perf_counter() - started) * 1000
            self.table.selectionModel().clear()  # rows keep their places, not their members
            self.model.set_ids(ids, first, today, first_rows)
            self._update_actions()
            self.count_label.setText(f"共 {len(ids)} 名")
            self._show_empty(not ids, flt == MemberFilter(active_only=True))
            # Read now, not when the search started: a saving dialog announces its
            # change (starting this search) before the page learns what it saved.
            target, self._select_after = self._select_after or keep, None
            self.select(target)
            self.searched.emit(len(ids))
            if self._tree_after_rows:  # a refresh's tree and banner, once its rows are shown
                self._tree_after_rows = False
                self._load_tree()
            if not flt.text.strip():  # the lists of these filters are read: find the letters ahead of typing
                run_op(None, lambda job: roster.prepare_search(db, flt, sort=sort, descending=descending, today=today),
                       on_error=lambda exc: log.warning("roster search not prepared: %s", exc))  # typing finds them

        run_op(self, search, done)
        if self.stats_panel.isVisible() or self.act_stats.isChecked():
            self._load_stats(flt)

    def _screenful(self) -> int:
        """Rows the table shows at its height (and one half shown): what a search reads with its ids."""
        if not self.table.isVisible():
            return FIRST_ROWS
        return self.table.viewport().height() // self.table.verticalHeader().defaultSectionSize() + 2

    def _load_stats(self, flt: MemberFilter | None = None) -> None:
        self._stats_generation += 1
        generation = self._stats_generation
        flt = flt or self.current_filter()
        db, today = self.ctx.db, self.today

        def done(st: RosterStats) -> None:
            if generation != self._stats_generation:
                return
            self.last_stats = st
            self.stats_label.setText(_stats_html(st))
            self.stats_shown.emit()

        run_op(self, lambda job: roster.stats(db, flt, today=today), done)

    def _toggle_stats(self, on: bool) -> None:
        self.stats_panel.setVisible(on)
        if on:
            self._load_stats()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self._sort = (COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder)
        self.run_search()

    def sort_by(self, column: int, descending: bool = False) -> None:
        """What a click on a column header does."""
        self.table.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )

    def clear_filters(self) -> None:
        for box in self.filters:
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.run_search()

    def _show_due(self, due: list[MemberRow]) -> None:
        if not due:
            self.due_banner.hide()
            return
        today = self.today
        overdue = [r for r in due if r.joined_date and rules.probation_due(r.joined_date, today) < 0]
        soon = len(due) - len(overdue)
        parts = []
        for r in due[:8]:
            days = rules.probation_due(r.joined_date, today) if r.joined_date else 0
            when = f"已超期 {-days} 天" if days < 0 else ("今天到期" if days == 0 else f"{days} 天后到期")
            parts.append(f"<a href='member:{r.id}'>{r.name}</a>（{when}）")
        more = f" 等 {len(due)} 名" if len(due) > 8 else ""
        counts = "，".join(p for p in (f"已超期 {len(overdue)} 名" if overdue else "",
                                        f"30 天内到期 {soon} 名" if soon else "") if p)
        self.due_banner.setText(
            f"<b>预备党员转正提醒</b>（{counts}）：{'、'.join(parts)}{more}　"
            f"<a href='filter:probationary'>只看预备党员</a>"
        )
        self.due_banner.show()

    def _show_empty(self, empty: bool, unfiltered: bool) -> None:
        self.empty_hint.setText(
            "还没有党员。可以<a href='add'>新增党员</a>逐个录入，或<a href='import'>从 Excel 表格导入</a>"
            "（先<a href='template'>下载导入模板</a>照着填写；其他系统导出的表格也能识别）。" if unfiltered else
            "没有符合条件的党员。<a href='clear'>清除筛选</a>，或换一个搜索词。")
        self.empty_hint.setVisible(empty)

    def _empty_link(self, link: str) -> None:
        {"add": self.add_member, "import": self.import_members, "template": self.save_template,
         "clear": self.clear_filters}[link]()

    def _due_link(self, link: str) -> None:
        kind, _, value = link.partition(":")
        if kind == "member":
            self.edit_member(value)
        elif kind == "filter":
            self.category.setCurrentIndex(self.category.findData(rules.PROBATIONARY))

    # ------------------------------------------------------------------ selection
    def selected_id(self) -> str | None:
        idx = self.table.currentIndex()
        return self.model.id_at(idx.row()) if idx.isValid() else None

    def selected_row(self) -> MemberRow | None:
        idx = self.table.currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def select(self, member_id: str | None) -> bool:
        row = self.model.find(member_id)
        if row < 0:
            return False
        idx = self.model.index(row, 0)
        self.table.setCurrentIndex(idx)
        self.table.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def selected_rows(self) -> list[MemberRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        found = [self.model.row_at(r) for r in rows]
        return [r for r in found if r is not None] or ([self.selected_row()] if self.selected_row() else [])

    def move_to_group(self) -> None:
        """移入党小组: the selected members of one branch into one of its 党小组 (or back to the branch)."""
        from PySide6.QtWidgets import QInputDialog

        rows = self.selected_rows()
        if not rows:
            return
        by_id = {n.id: n for n in self.nodes}
        first = by_id.get(rows[0].org_id)
        if first is None:
            return
        branch = by_id.get(first.parent_id) if first.kind == "group" else first
        if branch is None or branch.kind != "branch":
            common.inform(self, "移入党小组", f"“{first.name}”不是党支部：党小组设在党支部之下。")
            return
        groups = [n for n in self.nodes if n.kind == "group" and n.parent_id == branch.id]
        if not groups:
            common.inform(self, "移入党小组", f"{branch.name}下还没有党小组：请先在“党组织”页添加。")
            return
        choices = {g.name: g.id for g in groups}
        choices[f"（移回{branch.name}，不在党小组）"] = branch.id
        label, ok = QInputDialog.getItem(self, "移入党小组", f"把选中的 {len(rows)} 名党员移入：",
                                         list(choices), 0, False)
        if not ok or label not in choices:
            return
        ids, target = [r.id for r in rows], choices[label]
        self._write(lambda db: roster.move_to_group(db, ids, target),
                    lambda n: self.show_message(f"已将 {n} 名党员移入“{label}”。"))

    def keep(self, member_id: str) -> None:
        """Select this member when the next search's rows arrive (a 工作台 to-do item opening the roster)."""
        self._select_after = member_id

    def _select_saved(self, member_id: str) -> None:
        """Select a member just saved: now if the refreshed list is already shown, else when it arrives."""
        self._select_after = None if self.select(member_id) else member_id

    def _update_actions(self) -> None:
        self.act_add.setEnabled(bool(self.nodes))  # a member needs an organisation to belong to
        has = self.selected_id() is not None
        for act in (self.act_edit, self.act_delete, self.act_status, self.act_transfer, self.act_group):
            act.setEnabled(has)

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str, undo: Callable[[], None] | None = None) -> None:
        """A note above the table (with 撤销 when the act can be undone); it fades after 20 s."""
        self.message_text.setText(text)
        self._undo_fn = undo
        self.undo_button.setVisible(undo is not None)
        self.message_bar.show()
        self._message_timer.start(20_000)
        main = self.window()
        if hasattr(main, "statusBar"):
            main.statusBar().showMessage(text, 8000)

    def _undo(self) -> None:
        fn, self._undo_fn = self._undo_fn, None
        self.message_bar.hide()
        if fn is not None:
            fn()

    # ------------------------------------------------------------------ acts
    def _write(self, fn: Callable[[Database], Any], done: Callable[[Any], None] | None = None) -> None:
        db = self.ctx.db
        run_op(self, lambda job: fn(db), done, changes=changes(Change.MEMBERS))

    def _run_member_dialog(self, dlg: QDialog, message: Callable[[MemberDetail], str]) -> None:
        """Open a dialog that saves one member; once it has, select that member and say `message(saved)`."""
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.saved is None:
            return
        self._select_saved(dlg.saved.id)
        self.show_message(message(dlg.saved))

    def add_member(self) -> None:
        from desktop_app.gui.roster.member_dialog import MemberDialog  # the forms: not needed to show the roster

        db = self.ctx.db
        dlg = MemberDialog(
            self, self.nodes, lambda inp: roster.create(db, inp),
            default_org_id=self.branch.currentData() or default_org(self.nodes, self.ctx.site.org_code),
            today=self.today,
        )
        self._run_member_dialog(dlg, lambda saved: f"已新增党员“{saved.name}”。")

    def edit_selected(self) -> None:
        member_id = self.selected_id()
        if member_id:
            self.edit_member(member_id)

    def edit_member(self, member_id: str) -> None:
        from desktop_app.gui.roster.member_dialog import REG_UNKNOWN

        db = self.ctx.db

        def load(job):
            registration = REG_UNKNOWN
            if auth.can(db, "cobuilding.read"):
                from desktop_app.services import cobuilding  # not needed before a member is opened

                registration = cobuilding.registration_of(db, member_id)
            return roster.get(db, member_id), registration

        run_op(self, load, lambda loaded: self._open_editor(*loaded))

    def _open_editor(self, detail: MemberDetail, registration: Any) -> None:
        """`registration`: the member's 双报到 row, None when not in it, REG_UNKNOWN when not read."""
        from desktop_app.gui.roster.member_dialog import MemberDialog

        db = self.ctx.db
        # the version read: a save over someone else's later change is refused, not written back
        dlg = MemberDialog(self, self.nodes,
                           lambda inp: roster.update(db, detail.id, inp, expected_version=detail.version), detail,
                           today=self.today, registration=registration, db=db)
        dlg.open_register.connect(self.open_register)
        self._run_member_dialog(dlg, lambda saved: f"已保存党员“{saved.name}”的信息。")

    def open_register(self, name: str) -> None:
        """The 双报到 register, found by the member's name (edited there, not in the member form)."""
        pages = getattr(self.window(), "pages", {})
        if "双报到" in pages:
            pages["双报到"].apply_filter(text=name)
            self.window().go_to("双报到")

    def delete_selected(self) -> None:
        member_id, row = self.selected_id(), self.selected_row()
        if not member_id:
            return
        name = row.name if row else "该党员"
        if not common.ask(self, "删除党员", f"确定删除党员“{name}”吗？\n删除后可以在提示栏中撤销。"):
            return

        def deleted(_result: Any) -> None:
            self.show_message(f"已删除党员“{name}”。", undo=lambda: self._restore(member_id, name))

        self._write(lambda db: roster.delete(db, member_id), deleted)

    def _restore(self, member_id: str, name: str) -> None:
        def restored(_result: Any) -> None:
            self._select_saved(member_id)
            self.show_message(f"已恢复党员“{name}”。")

        self._write(lambda db: roster.restore(db, member_id), restored)

    def change_status_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        from desktop_app.gui.roster.member_dialog import StatusDialog

        db = self.ctx.db
        dlg = StatusDialog(
            self, row.name, row.status,
            lambda status, on, dest, note: roster.change_status(db, row.id, status, on, dest, note),
            today=self.today, register_outflow=lambda: self.register_outflow(row.id, row.name),
        )
        self._run_member_dialog(dlg, lambda saved: f"“{row.name}”的状态已改为{saved.status}。")

    def register_outflow(self, member_id: str, name: str) -> None:
        """流动 is registered as a 流出 on 流动与失联 (with the 活动证): go there, the form open for this member."""
        window = self.window()
        target = getattr(window, "pages", {}).get("流动与失联")
        if target is None:  # an account that does not see the page
            self.show_message("流动党员要在“流动与失联”登记流出：请联系能打开该页的同事办理。")
            return
        window.go_to("流动与失联")
        target.add_out_for(member_id, name)

    def transfer_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        from desktop_app.gui.roster.member_dialog import TransferDialog

        db = self.ctx.db
        dlg = TransferDialog(
            self, row.name, row.org_id, row.status, self.nodes,
            lambda d, on, f, t, note, new_org: roster.transfer(db, row.id, d, on, f, t, note, new_org),
            today=self.today,
        )
        self._run_member_dialog(dlg, lambda _saved: f"已登记“{row.name}”的组织关系转接。")

    # ------------------------------------------------------------------ files
    def _save_path(self, title: str, name: str, filters: str) -> Path | None:
        from desktop_app.gui.widgets import forms

        return forms.ask_save_path(self, title, name, filters)

    def import_members(self) -> None:
        from desktop_app.gui.roster.import_dialog import ImportDialog

        dlg = ImportDialog(self, self.ctx.db)
        dlg.exec()
        if dlg.result_summary is not None:
            self.show_message(dlg.result_summary_text())

    def export_members(self) -> None:
        from desktop_app.gui.roster import export_dialog  # asks 当前筛选结果 or 全部党员, with the counts

        export_dialog.export_members(self)

    def save_template(self) -> None:
        path = self._save_path("保存党员信息导入模板", "党员信息导入模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")  # the template is a workbook (drop-down lists, text columns)

        def write(job):
            return roster.write_template(path)

        def saved(_r: Any) -> None:
            from desktop_app.gui.widgets import forms

            self.show_message(f"导入模板已保存到 {path}")
            forms.offer_open(self, path, f"导入模板已保存到\n{path}")

        run_op(self, write, saved, label="正在保存模板…")

    def print_roster_full(self) -> None:
        """The copy with whole ID numbers (报送 needs them): asked for, confirmed, logged by the service."""
        count = self.model.rowCount()
        if not common.ask(
            self, "打印完整身份证号",
            f"将把当前筛选的 {count} 名党员连同完整的公民身份号码和手机号码打印成 PDF。\n"
            "这是个人敏感信息：打印会以你的名义记入审计日志（谁、何时、多少人、存到哪里），"
            "文件请妥善保管、用后删除。\n确定打印吗？"):
            return
        self.print_roster(full_ids=True)

    def print_roster(self, full_ids: bool = False) -> None:
        count = self.model.rowCount()
        kind = "（完整身份证号）" if full_ids else ""
        db, flt, today = self.ctx.db, self.current_filter(), self.today

        def render(path: Path, job) -> int:
            printed: RosterPrint = roster.print_roster(db, path, flt=flt, today=today, progress=job.report,
                                                       full_ids=full_ids)
            return printed.member_count

        from desktop_app.gui.widgets import forms  # the save dialogs: not needed to show the roster

        forms.save_file(self, f"打印党员花名册{kind}（当前筛选的 {count} 名党员）",
                        f"党员花名册{kind}{date.today():%Y%m%d}.pdf", render,
                        lambda path, lines: f"党员花名册（{lines} 名）已保存到\n{path}", "正在生成党员花名册…")
