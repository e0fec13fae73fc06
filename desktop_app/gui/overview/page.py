"""概览 (工作台): a secretary's morning — the year's figures beside last year's, the 待办 list and four charts.

Every figure is a button to the page that lists what it counts, every to-do
item opens its record. At a street office a chosen community narrows every
figure, and a table sets the communities side by side.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy, QTableView,
    QTabWidget, QWidget,
)

from desktop_app.domain.clock import closing_year
from desktop_app.domain.money import amount_unit, format_in
from desktop_app.gui import icons
from desktop_app.gui.ops import run_op
from desktop_app.gui.overview.charts import Chart, Series
from desktop_app.gui.overview.first_steps import COMMUNITY, STREET, FirstSteps, Step
from desktop_app.gui.overview.targets import figure_filter, todo_filter
from desktop_app.gui.widgets import forms
from desktop_app.gui.widgets.bars import heading
from desktop_app.gui.widgets.layouts import column, fill, scrolled, splitter
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import (
    ALERT, CENTER, LEFT, RIGHT, Column, ColumnModel, fit_columns, stretch_floor, table_view,
)
from desktop_app.services import auth
from desktop_app.services import overview as overview_service
from desktop_app.services import sync as sync_status
from desktop_app.views.overview import MONTHS, Dashboard, Figure, TodoItem, TodoList
from desktop_app.views.roster import several_orgs


class Card(QFrame):
    """One of the three standing counts (organisations, members, residents) as of today."""

    def __init__(self, title: str, icon: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        pic = QLabel()
        pic.setPixmap(icons.get(icon, icons.ACCENT).pixmap(24, 24))
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.detail = QLabel("")
        self.detail.setObjectName("cardDetail")
        caption = QLabel(title)
        caption.setObjectName("cardTitle")
        lay = QGridLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(pic, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(caption, 0, 1)
        lay.addWidget(self.value, 0, 2, Qt.AlignmentFlag.AlignRight)
        lay.addWidget(self.detail, 1, 1, 1, 2)
        lay.setColumnStretch(1, 1)


TILES_A_ROW, TILE_MIN_WIDTH, TILE_MIN_HEIGHT = 4, 140, 58
TILE_PADDING = 2 * 8 + 2  # the tile's left and right padding and border (its style sheet below)


class FigureTile(QPushButton):
    """A figure of the year: its value, last year's, and a click to the list behind it."""

    def __init__(self, figure: Figure, parent: QWidget | None = None):
        super().__init__(parent)
        self.figure = figure
        self.setObjectName("figureTile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Ignored: a long line is cut rather than pushing four tiles past a 1366-pixel screen.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(TILE_MIN_WIDTH)
        if figure.unit == "元":  # 元, or 万元 from 10,000 元 on; last year in the same unit; the tooltip keeps 元
            unit = amount_unit(figure.value)
            value = f"{format_in(figure.value, unit)} {unit}"
            change = money_change(figure.value - (figure.last_year or 0), unit)
            last = f"上年 {format_in(figure.last_year, unit)}（{change}）" if figure.last_year is not None else "当前"
        else:
            value = figure.text
            change = f"（{figure.change}）" if figure.change else ""  # none against a year with no rate
            last = f"上年 {figure.last_text}{change}" if figure.last_year is not None else "当前"
        self.figures_text = f"{value}\n{last}"
        self.setText(f"{figure.label}\n{self.figures_text}")
        self.setToolTip(f"{figure.label}：{figure.text}{' 元' if figure.unit == '元' else ''}"
                        f"（上年 {figure.last_text or '—'}）\n打开“{figure.page}”查看明细")
        self.setMinimumHeight(TILE_MIN_HEIGHT)
        self.setStyleSheet(
            "QPushButton#figureTile { text-align: left; padding: 3px 8px; border: 1px solid #dcdfe4;"
            " border-radius: 4px; background: #ffffff; }"
            " QPushButton#figureTile:hover { border-color: #c8161e; background: #fff7f7; }")


    def label_lines(self) -> str:
        """The label whole on one line, or broken before its （…） where the tile is too narrow for it
        (街道本级经费支出（不含党费） at 1366 px): a cut label lost what it leaves out."""
        label = self.figure.label
        if self.fontMetrics().horizontalAdvance(label) <= self.width() - TILE_PADDING or "（" not in label[1:]:
            return label
        head, _, tail = label.partition("（")
        return f"{head}\n（{tail}"

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        text = f"{self.label_lines()}\n{self.figures_text}"
        if text != self.text():
            self.setText(text)
            # a fourth line needs the room: the tiles otherwise shrink to their least height, cutting it
            self.setMinimumHeight(max(TILE_MIN_HEIGHT, self.sizeHint().height()) if text.count("\n") > 2
                                  else TILE_MIN_HEIGHT)


def money_change(fen: int, unit: str) -> str:
    """A money tile's change, signed as Figure.change ("+0.20", "−0.20", "持平") in the tile's unit; a change
    too small to show in 万元 reads in 元 ("+5.63 元"): "+0.00" says it changed without saying by what."""
    if not fen:
        return "持平"
    sign = "+" if fen > 0 else "−"
    if format_in(abs(fen), unit) == "0.00":
        return f"{sign}{format_in(abs(fen), '元')} 元"
    return sign + format_in(abs(fen), unit)


class _WrappingTable(QTableView):
    """The 待办 list: a narrower or wider window wraps its items again (rows measured at the width
    the list first had would cut their text, or keep blank lines)."""

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        QTimer.singleShot(0, self.resizeRowsToContents)  # once the header has stretched its last column


TODO_COLUMNS = [
    Column("", lambda i: "逾期" if i.overdue else "待办", CENTER, 40, color=lambda i: ALERT if i.overdue else None),
    # 260: with the 40 beside it and a scroll bar it fits the list's narrowest (340), which then wraps, not scrolls
    Column("待办事项", lambda i: i.text, width=260),
]

# (header, its whole name on hover): short headers, so a district's twelve columns fit beside the 待办 at 1366
STREET_COLUMNS = [("社区", "社区党组织"), ("党员", "党员人数（正式党员与预备党员合计）"), ("正式", "正式党员人数"),
                  ("预备", "预备党员人数"), ("居民", "居民人数"), ("住户", "住户数（户）"),
                  ("会议", "所选年度召开的三会一课会议（次）"), ("出勤", "所选年度三会一课出勤率"),
                  ("走访", "所选年度走访群众（次）"), ("办结", "所选年度群众反映问题的办结率"),
                  ("心愿", "所选年度实现的微心愿（个）")]
STREET_OF = ("所属街道", "社区所属街道的党工委；“未设置”的可在“数据同步”页用“设置所属街道”补上")
STREET_KEYS = ("meetings_held", "attendance_rate", "visits", "close_rate", "wishes_fulfilled")


class OverviewPage(Page):

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self.today = today
        self.street = ctx.site.is_top
        self.board: Dashboard | None = None
        self.grid_scope = ""  # a 网格员's grids as the counts name them ("": the whole database)
        self.grid_orgs = ""  # and as the roster's organisation filter takes them (several_orgs)
        self.todos: TodoList | None = None
        self._generation = 0  # the refresh whose parts are still arriving
        self.tile_of: dict[str, FigureTile] = {}
        self._tile_columns = 0  # tiles a row as laid out (0: not yet)

        title = self.title = heading(f"概览 · {ctx.site.org_name}")
        # 范围's first choice is everything the account reads: the street, or the one organisation it is confined to
        self.whole = ctx.site.org_name if ctx.site.confined else f"全{ctx.site.level_label}"  # 全街道, 全区
        self.year = QComboBox()
        this_year = (today or date.today()).year
        for y in range(this_year, this_year - 5, -1):
            self.year.addItem(f"{y} 年", y)
        # in January the year just ended: a new year's page of zeros against last year's totals frightens, and
        # its 年度党建工作台账 is the one asked for (the to-dos are today's whatever the year shown)
        self.year.setCurrentIndex(self.year.findData(closing_year(today or date.today())))
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.community = QComboBox()
        self.community.addItem(self.whole, None)
        self.community.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.community.setMinimumContentsLength(10)
        self.community.currentIndexChanged.connect(lambda _i: self.refresh())
        self.folder_button = QPushButton(icons.get("print", icons.ACCENT), "年度党建工作台账…")
        self.folder_button.setToolTip("把所选年度的数据、图表和各模块明细打印成一份 PDF（年终检查用）")
        self.folder_button.clicked.connect(self.print_folder)
        self.folder_photos = QCheckBox("附照片")
        self.folder_photos.setChecked(True)
        self.folder_photos.setToolTip("台账末尾附上本年共建活动和微心愿存的照片（“活动照片”一章）；"
                                      "不勾选则只印数据和明细，文件小、生成快")
        # not a 网格员's to make (the service refuses them): hidden, as pages hide what an account cannot do
        if not overview_service.may_print_folder(ctx.db):
            self.folder_button.hide()
            self.folder_photos.hide()
        # at a street: the community to show instead of the yearly folder, which is a community's
        top = fill(QHBoxLayout(), title, 1, *([QLabel("范围："), self.community] if self.street else []),
                   QLabel("年度："), self.year, *([] if self.street else [self.folder_button, self.folder_photos]))

        self.cards = {"orgs": Card("党组织", "orgs"), "members": Card("党员", "members"),
                      "residents": Card("居民", "resident")}
        cards = fill(QHBoxLayout(), *self.cards.values())

        # Figures and charts share the left; the to-do list stands on the right.
        self.tiles_box = QWidget()
        self.tiles = QGridLayout(self.tiles_box)
        self.tiles.setContentsMargins(0, 0, 0, 0)
        self.tiles.setSpacing(6)
        self.left_note = QLabel("")
        self.left_note.setObjectName("cardDetail")
        figures = QWidget()
        column(figures, self.tiles_box, self.left_note, 1).setContentsMargins(4, 4, 4, 4)
        self.charts = {
            "meetings": Chart("三会一课：每月召开（按类型）", "stack"),
            "problems": Chart("群众反映问题（按类别）", "hbars"),
            "spending": Chart("经费：预算与支出（元）", "bars"),
            "attendance": Chart("会议出勤率（按月）", "line"),
        }
        charts = QWidget()
        cl = QGridLayout(charts)
        cl.setContentsMargins(4, 4, 4, 4)
        for i, chart in enumerate(self.charts.values()):
            cl.addWidget(chart, i // 2, i % 2)
        self.tabs = QTabWidget()
        # many figures, or four charts side by side, scroll instead of pushing the window past a small
        # screen: 1366×768 at 150% leaves the page some 700 pixels (the charts alone wanted 534 of them)
        self.tiles_scroll = scrolled(figures)
        # four tiles a row where there is room, fewer in a narrow window (1024 px) rather than a cut-off fourth
        self.tiles_scroll.viewport().installEventFilter(self)
        self.tabs.addTab(self.tiles_scroll, "本年数据")
        self.tabs.addTab(scrolled(charts), "图表")
        # a community's first morning: the steps that fill its books lead, not a year of zeros (see first_steps)
        self.first_steps = FirstSteps(STREET if self.street else COMMUNITY)
        self.first_steps.chosen.connect(self.open_step)
        self.guide = scrolled(self.first_steps)
        # for whoever can take the steps: a community's roster, a street's packages (a district's are streets')
        self.may_guide = (auth.can(ctx.db, "sync.import") and ctx.site.level == "street" if self.street
                          else auth.can(ctx.db, "members.write"))
        if self.street:
            # a row is the community's values in the columns' order; a district's say which street each is under
            self.district = ctx.site.level == "district"
            titles = STREET_COLUMNS[:1] + [STREET_OF] * self.district + STREET_COLUMNS[1:]
            named = ("社区", "所属街道")  # text, left; the figures right
            self.street_model = ColumnModel([Column(t, lambda v, i=i: str(v[i]), LEFT if t in named else RIGHT,
                                                    header_tip=tip) for i, (t, tip) in enumerate(titles)], parent=self)
            # every column as wide as what it holds (figures of a few digits), the community's name takes the rest
            self.table = table_view(self.street_model, fit=False)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setMinimumSectionSize(self.table.fontMetrics().horizontalAdvance("100%") + 12)  # not cramped
            stretch_floor(self.table, 0, 100)
            self.tabs.addTab(self.table, "各社区")

        self.todo_model = ColumnModel(TODO_COLUMNS)
        self.todo_view = _WrappingTable()
        self.todo_view.setModel(self.todo_model)
        self.todo_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.todo_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.todo_view.setWordWrap(True)
        self.todo_view.verticalHeader().setVisible(False)
        self.todo_view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        fit_columns(self.todo_view, TODO_COLUMNS, stretch=1)
        # a double-click or Enter; doubleClicked as well opened a double-clicked item twice (two backups)
        self.todo_view.activated.connect(lambda index: self.open_todo(self.todo_model.row(index.row())))
        self.todo_title = QLabel("待办")
        self.todo_title.setObjectName("cardTitle")
        hint = QLabel("双击一项打开它所在的页面")
        hint.setObjectName("cardDetail")
        right = QWidget()
        right.setMinimumWidth(340)
        column(right, self.todo_title, (self.todo_view, 1), hint).setContentsMargins(4, 0, 0, 0)

        split = splitter(self.tabs, right, stretch=(3, 2))
        split.setSizes([720, 420])
        column(self, top, cards, (split, 1))

    # ---------------------------------------------------------------- loading

    def refresh(self) -> None:
        super().refresh()
        db, today, year = self.ctx.db, self.today, self.year.currentData()
        chosen = self.community.currentData()
        if self.street:
            run_op(self, lambda job: (sync_status.community_choices(db), sync_status.community_counts(db),
                                      overview_service.community_columns(db, year, today)),
                   lambda result: self._show_street(chosen, *result))
        # The page fills in as its parts arrive: the standing counts first (a tenth of a second), then the
        # year's figures, then the to-do list; the last two share their reads (dues arrears, 发展党员) in one pass.
        self._generation = generation = self._generation + 1
        shared = overview_service.Shared()

        def current() -> bool:
            return generation == self._generation and chosen == self.community.currentData()

        def todos(result: TodoList) -> None:
            if current():
                self._show_todos(result)

        def board(result: Dashboard) -> None:
            if current():
                self._show_board(result)
                run_op(self, lambda job: overview_service.todo(db, today, chosen, shared), todos)

        def counts(result) -> None:
            if current():
                self._show_counts(chosen, result)
                run_op(self, lambda job: overview_service.dashboard(db, year, chosen, today, shared), board)

        run_op(self, lambda job: overview_service.overview(db), counts)

    def _show_street(self, chosen: str | None, choices, counts, columns) -> None:
        if self.community.count() != len(choices) + 1:
            self.community.blockSignals(True)
            self.community.clear()
            self.community.addItem(self.whole, None)
            for org_id, name in choices:
                self.community.addItem(name, org_id)
            self.community.setCurrentIndex(max(0, self.community.findData(chosen)))
            self.community.blockSignals(False)
        figures = {c.org_id: c.values for c in columns}
        rows = []
        for c in counts:
            more = figures.get(c.org_id, {})
            values = [c.org_name] + [c.street_name or "未设置"] * self.district \
                + [c.members, c.full_members, c.probationary, c.residents, c.households]
            rows.append(values + [f"{more.get(k, 0)}%" if k.endswith("rate") else more.get(k, 0) for k in STREET_KEYS])
        self.street_model.set_rows(rows)
        mine = next((c for c in counts if c.org_id == chosen), None)
        if mine is not None:  # the standing counts of one community
            self.cards["members"].value.setText(str(mine.members))
            self.cards["members"].detail.setText(f"正式党员 {mine.full_members} · 预备党员 {mine.probationary}")
            self.cards["residents"].value.setText(str(mine.residents))
            self.cards["residents"].detail.setText(f"住户 {mine.households} 户")
            self.cards["orgs"].value.setText(str(mine.orgs))
            self.cards["orgs"].detail.setText(mine.org_name)

    def _show_counts(self, chosen: str | None, ov) -> None:
        empty = not ov.orgs_by_kind.get("community", 0) if self.street else not ov.members
        self._show_guide(ov if chosen is None and self.may_guide and empty else None)
        if chosen is None:
            kinds = ov.orgs_by_kind
            # a 网格员's counts are of their grids: the title and each card say so
            self.title.setText(f"概览 · {self.ctx.site.org_name}" + (f" · {ov.scope}" if ov.scope else ""))
            # the cards say it short (本网格 / 我的网格): the title names the grid, or how many
            mine = f" · {ov.scope.partition('（')[0]}" if ov.scope else ""
            self.grid_scope = ov.scope
            self.grid_orgs = several_orgs(ov.grids)
            self.cards["orgs"].value.setText(str(ov.organisations))  # 党小组 are not organisations
            self.cards["orgs"].detail.setText(f"党委 {kinds.get('community', 0)} 个 · 党支部 {kinds.get('branch', 0)} 个"
                                              f" · 党小组 {kinds.get('group', 0)} 个")
            self.cards["members"].value.setText(str(ov.members))
            self.cards["members"].detail.setText(f"正式党员 {ov.full_members} · 预备党员 {ov.probationary}{mine}")
            self.cards["residents"].value.setText(str(ov.residents))
            self.cards["residents"].detail.setText(f"住户 {ov.households} 户{mine}")

    def _show_guide(self, counts) -> None:
        """开始使用 as the first tab, and the one shown, while the roster is empty (`counts` given); gone after."""
        at = self.tabs.indexOf(self.guide)
        if counts is None:
            if at >= 0:
                self.tabs.removeTab(at)
                self.tabs.setCurrentIndex(0)
            return
        self.first_steps.show_counts(counts, set(getattr(self.window(), "pages", {})))
        if at < 0:
            self.tabs.insertTab(0, self.guide, "开始使用")
            self.tabs.setCurrentIndex(0)

    def _show_board(self, board: Dashboard) -> None:
        self.board = board
        self._show_tiles(board)
        self._show_charts(board)

    def _show_todos(self, todos: TodoList) -> None:
        self.todos = todos
        self.todo_model.set_rows(list(todos.items))
        self.todo_view.resizeRowsToContents()
        late = sum(1 for i in todos.items if i.overdue)
        self.todo_title.setText(f"待办 {len(todos.items)} 项（逾期 {late} 项）" if todos.items else "待办：今天没有待办事项")

    def _show_tiles(self, board: Dashboard) -> None:
        while self.tiles.count():
            w = self.tiles.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.tile_of = {}
        for f in board.figures:
            tile = FigureTile(f)
            tile.clicked.connect(lambda _=False, fig=f: self.open_figure(fig))
            self.tile_of[f.key] = tile
        self._tile_columns = 0
        self._lay_tiles()
        notes = [f"{board.year} 年统计至 {board.as_of.isoformat()}；“上年”为上一年全年"]
        if self.grid_scope:  # a 网格员's figures: of their grids only
            notes.insert(0, f"范围：{board.scope}")
        if board.left_out:
            notes.append("未显示：" + "、".join(board.left_out))
        self.left_note.setText("；".join(notes))

    def _fitting_columns(self) -> int:
        room = self.tiles_scroll.viewport().width() + self.tiles.spacing()
        return max(1, min(TILES_A_ROW, room // (TILE_MIN_WIDTH + self.tiles.spacing())))

    def _lay_tiles(self) -> None:
        columns = self._fitting_columns()
        if columns == self._tile_columns:
            return
        self._tile_columns = columns
        tiles = list(self.tile_of.values())
        for tile in tiles:
            self.tiles.removeWidget(tile)
        for i, tile in enumerate(tiles):
            self.tiles.addWidget(tile, i // columns, i % columns)
        for c in range(TILES_A_ROW):
            self.tiles.setColumnStretch(c, 1 if c < columns else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and watched is self.tiles_scroll.viewport():
            self._lay_tiles()
        return super().eventFilter(watched, event)

    def _show_charts(self, board: Dashboard) -> None:
        c = board.charts
        self.charts["meetings"].set_data(MONTHS, [Series(k, v) for k, v in c.meetings_by_month])
        top = c.problems_by_category[:8]
        self.charts["problems"].set_data([k for k, _ in top], [Series("问题", tuple(v for _, v in top))])
        self.charts["spending"].set_data(
            [a for a, _, _ in c.spending],
            [Series("预算", tuple(b / 100 for _, b, _ in c.spending), "#8a8f98"),
             Series("支出", tuple(s / 100 for _, _, s in c.spending), "#c8161e")])
        self.charts["attendance"].set_data(MONTHS, [Series("出勤率", c.attendance_by_month, "#2f6fb5")], "%", 100)

    def print_folder(self) -> None:
        """The year-end folder in one click: where to save it, then built off the GUI thread."""
        year = self.year.currentData()
        path = forms.ask_save_path(self, "保存年度党建工作台账", f"{year}年度党建工作台账.pdf")
        if path is None:
            return
        db, today, photos = self.ctx.db, self.today, self.folder_photos.isChecked()

        def done(_data) -> None:
            forms.offer_open(self, path, f"已生成 {path.name}")

        run_op(self, lambda job: overview_service.print_annual_folder(db, year, path, today=today, photos=photos,
                                                                       progress=job.report), done,
               label="正在生成年度党建工作台账…")

    # ---------------------------------------------------------------- opening what is behind

    def _go(self, title: str, **filters) -> Page | None:
        window = self.window()
        pages = getattr(window, "pages", {})
        if title not in pages:
            return None  # a page this account does not see
        if title == "党员名册" and self.grid_orgs:
            # a 网格员's 党员 figures and to-dos are of their grids: the roster (every member, masked) shows those
            filters["org"] = self.grid_orgs
        if filters:  # narrowed before it shows, so it loads once
            pages[title].apply_filter(**filters)
        return window.go_to(title)

    def open_figure(self, figure: Figure) -> Page | None:
        """The list behind the figure, narrowed to its year and category."""
        year = self.board.year if self.board is not None else self.year.currentData()
        return self._go(figure.page, **figure_filter(figure, year))

    def open_step(self, step: Step) -> Page | None:
        """A 开始使用 step's button: the page where it is done, or the backup made here."""
        if not step.page:
            backup_now = getattr(self.window(), "backup_now", None)
            if callable(backup_now):
                backup_now(then=self.refresh)
            return None
        return self._go(step.page)

    def open_todo(self, item: TodoItem | None) -> Page | None:
        if item is not None and item.kind == "backup":  # no page settles it: the copy is made here
            backup_now = getattr(self.window(), "backup_now", None)
            if callable(backup_now):
                backup_now(then=self.refresh)
            return None
        if item is None or not item.page:
            return None
        page = self._go(item.page, **todo_filter(item))
        keep = getattr(page, "keep", None)
        if page is not None and item.record_id and callable(keep):
            keep(item.record_id)  # the record list selects it when its rows arrive
            page.refresh()
        return page
