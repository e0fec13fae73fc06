"""Add or rename an organisation; choose where to move one."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QWidget

from desktop_app.domain import orgs as org_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.orgs import ALLOWED_CHILDREN, KIND_LABELS, OrgKind
from desktop_app.gui.widgets.layouts import column, error_line, form_layout, ok_cancel


class OrgDialog(QDialog):
    """Collects name, code and kind. Validation of the tree happens in the service."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        parent_kind: str | None,
        name: str = "",
        code: str = "",
        kind: str | None = None,
        parent_name: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
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
        self.error = error_line()
        form = form_layout(("上级组织", QLabel(parent_name)) if parent_name else None, ("名称", self.name),
                           ("组织代码", self.code), ("类型", self.kind))
        column(self, form, self.error, ok_cancel(self))
        self.setMinimumWidth(380)
        self.name.setFocus()

    def accept(self) -> None:
        try:
            org_rules.check_name(self.name.text())
            org_rules.check_code(self.code.text())
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        super().accept()

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
