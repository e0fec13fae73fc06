"""概览: the center at a glance, with real counts from the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.gui import icons
from desktop_app.gui.ops import run_op
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import overview as overview_service


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
        }
        grid = QGridLayout()
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, 0, i)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(grid)
        lay.addStretch(1)

    def refresh(self) -> None:
        super().refresh()
        db = self.ctx.db
        run_op(self, lambda job: overview_service.overview(db), self._show)

    def _show(self, ov: overview_service.Overview) -> None:
        branches = ov.orgs_by_kind.get("branch", 0)
        groups = ov.orgs_by_kind.get("group", 0)
        self.cards["orgs"].value.setText(f"{branches + groups + ov.orgs_by_kind.get('community', 0)}")
        self.cards["orgs"].detail.setText(f"党支部 {branches} 个 · 党小组 {groups} 个")
        self.cards["members"].value.setText(str(ov.members))
        self.cards["members"].detail.setText(f"正式党员 {ov.full_members} · 预备党员 {ov.probationary}")
        self.cards["residents"].value.setText(str(ov.residents))
        self.cards["residents"].detail.setText(f"住户 {ov.households} 户")
