"""概览: the center at a glance, with real counts from the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.money import format_yuan
from desktop_app.gui import icons
from desktop_app.gui.ops import run_op
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import auth
from desktop_app.services import meetings as meeting_service
from desktop_app.services import overview as overview_service
from desktop_app.services import projects as project_service
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
        lay.addStretch(1)

    def refresh(self) -> None:
        super().refresh()
        db = self.ctx.db
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

    def _show(
        self,
        ov: overview_service.Overview,
        meetings: meeting_service.ComplianceSummary | None,
        overdue_visits: int = 0,
        overdue_projects: int = 0,
        waiting_wishes: list | None = None,
    ) -> None:
        branches = ov.orgs_by_kind.get("branch", 0)
        groups = ov.orgs_by_kind.get("group", 0)
        self.cards["orgs"].value.setText(f"{branches + groups + ov.orgs_by_kind.get('community', 0)}")
        self.cards["orgs"].detail.setText(f"党支部 {branches} 个 · 党小组 {groups} 个")
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
