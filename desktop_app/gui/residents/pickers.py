"""Pick a resident or a party member by typing: the search pickers every resident-service dialog uses."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.gui.widgets.picker import SearchPicker
from desktop_app.services import residents as resident_service
from desktop_app.services import visits as visit_service
from desktop_app.services.database import Database
from desktop_app.services.residents import ResidentPick
from desktop_app.services.visits import MemberChoice


def resident_picker(db: Database, placeholder: str = "姓名、拼音首字母、门牌或电话，如 wxy、3栋2单元") -> SearchPicker:
    def search(text: str) -> list[tuple[str, ResidentPick]]:
        return [(p.label, p) for p in resident_service.pick_residents(db, text)]

    return SearchPicker(search, placeholder, lambda p: f"{p.name}（{p.address or p.grid_name}）")


def member_picker(db: Database, placeholder: str = "党员姓名或拼音首字母") -> SearchPicker:
    def search(text: str) -> list[tuple[str, MemberChoice]]:
        return [(m.label, m) for m in visit_service.member_choices(db, text, limit=12)]

    return SearchPicker(search, placeholder, lambda m: m.name)


class MemberChooser(QWidget):
    """Several members: pick one after another; the chosen names show above the picker."""

    changed = Signal()

    def __init__(self, db: Database, chosen: Sequence[MemberChoice] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self._chosen: list[MemberChoice] = []
        self.names = QLabel()
        self.names.setWordWrap(True)
        self.clear_button = QPushButton("清空")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(lambda: self.set_members([]))
        self.picker = member_picker(db, "添加走访党员：姓名或拼音首字母，回车确认")
        self.picker.picked.connect(self._add)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.names, 1)
        top.addWidget(self.clear_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.picker)
        self.setFocusProxy(self.picker)
        self.set_members(chosen)

    def _add(self, m: MemberChoice | None) -> None:
        if m is not None and all(c.id != m.id for c in self._chosen):
            self._chosen.append(m)
            self._update()
        self.picker.clear()

    def set_members(self, members: Sequence[MemberChoice]) -> None:
        self._chosen = list(members)
        self._update()

    def _update(self) -> None:
        self.names.setText("、".join(m.name for m in self._chosen) or "（未选择党员）")
        self.clear_button.setEnabled(bool(self._chosen))
        self.changed.emit()

    def members(self) -> list[MemberChoice]:
        return list(self._chosen)

    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self._chosen)
