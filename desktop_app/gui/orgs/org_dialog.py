"""Add or rename an organisation; choose where to move one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QWidget

from desktop_app.domain import orgs as org_rules
from desktop_app.domain.orgs import ALLOWED_CHILDREN, KIND_LABELS, OrgKind
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.layouts import form_layout, ok_cancel
from desktop_app.views.changes import Change, changes


class OrgDialog(SavingDialog):
    """Collects name, code and kind; `save(name, code, kind)` makes the service call from inside, so
    the tree's refusals (a code already taken) show here with what was typed kept. None: OK only closes."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        parent_kind: str | None,
        name: str = "",
        code: str = "",
        kind: str | None = None,
        parent_name: str = "",
        save: Callable[[str, str, str], Any] | None = None,
    ):
        super().__init__(parent, title, "确定", changes=changes(Change.ORGS))
        self._org_save = save
        self.name = QLineEdit(name)
        self.code = QLineEdit(code)
        self.kind = QComboBox()
        kinds = (
            ALLOWED_CHILDREN[OrgKind(parent_kind)]
            if parent_kind
            else (OrgKind.STREET, OrgKind.COMMUNITY)
        )
        if kind is not None:  # renaming: the kind stays
            kinds = (OrgKind(kind),)
        for k in kinds:
            self.kind.addItem(KIND_LABELS[k], k.value)
        self.kind.setEnabled(kind is None and len(kinds) > 1)
        self.error = self.message
        form = form_layout(("上级组织", QLabel(parent_name)) if parent_name else None, ("名称", self.name),
                           ("组织代码", self.code), ("类型", self.kind))
        self.finish_layout(form)
        self.setMinimumWidth(380)
        self.first_field = self.name

    def prepare(self) -> Callable[[], Any] | None:
        org_rules.check_name(self.name.text())
        org_rules.check_code(self.code.text())
        values, save = self.result_values(), self._org_save
        return None if save is None else (lambda: save(*values))

    def result_values(self) -> tuple[str, str, str]:
        return self.name.text().strip(), self.code.text().strip(), self.kind.currentData()


class MoveDialog(QDialog):
    """Pick a new parent among the organisations that may hold this kind."""

    def __init__(self, parent: QWidget | None, org_name: str, targets: list[tuple[str, str]]):
        super().__init__(parent)
        self.setWindowTitle(f"移动“{org_name}”")
        self.target = QComboBox()
        for org_id, label in targets:
            self.target.addItem(label, org_id)
        form_layout(("移到", self.target), ok_cancel(self, "移动"), parent=self)
        self.setMinimumWidth(380)

    def chosen(self) -> str:
        return self.target.currentData()
