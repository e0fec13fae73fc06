"""概览: the center at a glance, with real counts from the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.domain.money import format_yuan
from desktop_app.gui import icons
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.services import auth
from desktop_app.services import meetings as meeting_service
from desktop_app.services import overview as overview_service
from desktop_app.services import projects as project_service
from desktop_app.services import sync as sync_status
from desktop_app.services import visits as visit_service
from desktop_app.services import wishes as wish_service


class Card(QFrame):
    def __init__(self, title: str, icon: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        pic = QLabel()
        pic.setPixmap(icons.get(icon, icons.ACCENT).pixmap(28, 28))
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.detail = QLabel("")
        self.detail.setObjectName("cardDetail")
        caption = QLabel(title)
        caption.setObjectName("cardTitle")
        lay = QGridLayout(self)
        lay.addWidget(pic, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(caption, 0, 1)
        lay.addWidget(self.value, 1, 1)
        lay.addWidget(self.detail, 2, 1)
        lay.setColumnStretch(1, 1)


STREET_COLUMNS = ["社区", "党员", "正式党员", "预备党员", "居民", "住户"]


class OverviewPage(Page):
    title = "概览"
    icon = "overview"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        heading = QLabel(ctx.site.org_name)
        heading.setObjectName("pageHeading")
        self.cards = {
            "orgs": Card("党组织", "orgs"),
            "members": Card("党员", "members"),
            "residents": Card("居民", "resident"),
            "meetings": Card("三会一课（本年应开未开）", "meetings"),
            "followups": Card("逾期未办结（走访问题 / 微实事）", "warning"),
            "wishes": Card("待认领微心愿", "wishes"),
        }
        grid = QGridLayout()
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, i // 3, i % 3)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(grid)
        self.street = ctx.site.level == "street"
        if self.street:
            # A street office sees every community: a table of each, and a filter for the cards.
            self.community = QComboBox()
            self.community.addItem("全街道", None)
            self.community.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.community.setMinimumContentsLength(10)
            self.community.currentIndexChanged.connect(lambda _i: self.refresh())
            self.table = QTableWidget(0, len(STREET_COLUMNS))
            self.table.setHorizontalHeaderLabels(STREET_COLUMNS)
            self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            self.table.verticalHeader().setVisible(False)
            row = QHBoxLayout()
            caption = QLabel("各社区")
            caption.setObjectName("cardTitle")
            row.addWidget(caption)
            row.addStretch(1)
            row.addWidget(QLabel("概览范围："))
            row.addWidget(self.community)
            lay.addLayout(row)
            lay.addWidget(self.table, 1)
        else:
            lay.addStretch(1)

    def refresh(self) -> None:
        super().refresh()
        db = self.ctx.db
        if self.street:
            chosen = self.community.currentData()
            run_op(self, lambda job: (sync_status.community_choices(db), sync_status.community_counts(db)),
                   lambda result: self._show_street(chosen, *result))
        run_op(
            self,
            lambda job: (
                overview_service.overview(db),
                # A card the account may not read shows a dash instead of failing the page.
                meeting_service.compliance_summary(db) if auth.can(db, "meetings.read") else None,
                len(visit_service.overdue(db)) if auth.can(db, "visits.read") else 0,
                len(project_service.overdue_projects(db)) if auth.can(db, "projects.read") else 0,
                wish_service.list_wishes(db, wish_service.WishFilter(state="待认领"))
                if auth.can(db, "wishes.read") else None,
            ),
            lambda result: self._show(*result),
        )

    def _show_street(self, chosen: str | None, choices, counts) -> None:
        if self.community.count() != len(choices) + 1:
            self.community.blockSignals(True)
            self.community.clear()
            self.community.addItem("全街道", None)
            for org_id, name in choices:
                self.community.addItem(name, org_id)
            self.community.setCurrentIndex(max(0, self.community.findData(chosen)))
            self.community.blockSignals(False)
        self.table.setRowCount(len(counts))
        for r, c in enumerate(counts):
            for col, value in enumerate((c.org_name, c.members, c.full_members, c.probationary,
                                         c.residents, c.households)):
                item = QTableWidgetItem(str(value))
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        mine = next((c for c in counts if c.org_id == chosen), None)
        if mine is not None:  # the cards for one community
            self.cards["members"].value.setText(str(mine.members))
            self.cards["members"].detail.setText(f"正式党员 {mine.full_members} · 预备党员 {mine.probationary}")
            self.cards["residents"].value.setText(str(mine.residents))
            self.cards["residents"].detail.setText(f"住户 {mine.households} 户")
            self.cards["orgs"].value.setText(str(mine.orgs))
            self.cards["orgs"].detail.setText(mine.org_name)

    def _show(
        self,
        ov: overview_service.Overview | None,
        meetings: meeting_service.ComplianceSummary | None,
        overdue_visits: int = 0,
        overdue_projects: int = 0,
        waiting_wishes: list | None = None,
    ) -> None:
        if self.street and self.community.currentData() is not None:
            ov = None  # the community's own counts come from _show_street
        if ov is not None:
            branches = ov.orgs_by_kind.get("branch", 0)
            groups = ov.orgs_by_kind.get("group", 0)
            self.cards["orgs"].value.setText(str(ov.organisations))  # 党小组 are not organisations
            self.cards["orgs"].detail.setText(f"党委 {ov.orgs_by_kind.get('community', 0)} 个 · 党支部 {branches} 个"
                                              f" · 党小组 {groups} 个")
            self.cards["members"].value.setText(str(ov.members))
            self.cards["members"].detail.setText(f"正式党员 {ov.full_members} · 预备党员 {ov.probationary}")
            self.cards["residents"].value.setText(str(ov.residents))
            self.cards["residents"].detail.setText(f"住户 {ov.households} 户")
        if meetings is not None:
            self.cards["meetings"].value.setText(str(meetings.overdue))
            self.cards["meetings"].detail.setText(
                f"{meetings.branches_owing} 个支部欠开 · 本期待开 {meetings.due} · 未达法定人数 {meetings.no_quorum}"
            )
        self.cards["followups"].value.setText(str(overdue_visits + overdue_projects))
        self.cards["followups"].detail.setText(f"走访问题 {overdue_visits} 件 · 微实事 {overdue_projects} 项")
        if waiting_wishes is None:
            return
        waiting = waiting_wishes
        self.cards["wishes"].value.setText(str(len(waiting)))
        self.cards["wishes"].detail.setText(
            f"估值合计 {format_yuan(sum(w.estimated_fen or 0 for w in waiting))} 元" if waiting else "全部已认领"
        )
