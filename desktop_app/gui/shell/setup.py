"""First start on an empty database: set up the center, or load demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit,
    QRadioButton, QSpinBox, QWidget,
)

from desktop_app import APP_NAME
from desktop_app.domain import orgs as org_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets.layouts import column, error_line, form_layout, hint, ok_cancel


class SetupDialog(QDialog):
    """Result: `choice` is "setup" (with `values`) or "demo" (with `demo_members`)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"欢迎使用{APP_NAME}")
        self.choice = "setup"
        self.values: dict[str, str] = {}
        self.demo_members = 300

        intro = QLabel(
            "这是一个新的数据库。请设置本单位的信息；\n"
            "想先看看程序能做什么，也可以载入一个演示社区的数据。"
        )
        self.rb_setup = QRadioButton("设置本单位（正式使用）")
        self.rb_demo = QRadioButton("载入演示数据（试用、培训）")
        self.rb_setup.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.rb_setup)
        group.addButton(self.rb_demo)

        self.code = QLineEdit()
        self.code.setPlaceholderText("如 320102001")
        self.name = QLineEdit()
        self.name.setPlaceholderText("如 幸福里社区党委")
        self.level = QComboBox()
        self.level.addItem("社区", "community")
        self.level.addItem("街道", "street")
        self.level.addItem("区（其下再建各街道党工委）", "district")
        self.street = QLineEdit()
        self.street.setPlaceholderText("如 梅园街道党工委（可不填）")
        self.members = QSpinBox()
        self.members.setRange(10, 5000)
        self.members.setValue(300)
        self.members.setSuffix(" 名党员")
        self.error = error_line()

        self.setup_form = QWidget()
        form = form_layout(("组织代码", self.code), ("组织名称", self.name), ("级别", self.level),
                           ("所属街道", self.street), parent=self.setup_form)
        # The first thing asked, and a worker seldom knows it by heart: say what it is and whom to ask.
        code_hint = hint("本单位党组织在党员管理信息系统中的代码，会议编号、党支部代码都以它开头；不清楚可先问街道或上级党委。")
        code_hint.setWordWrap(True)
        form.insertRow(1, "", code_hint)
        self.demo_form = QWidget()
        form_layout(("演示规模", self.members), parent=self.demo_form)
        self.demo_form.setEnabled(False)

        buttons = ok_cancel(self, "开始使用")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")

        self.rb_setup.toggled.connect(self._toggle)
        self.level.currentIndexChanged.connect(
            lambda: self.street.setEnabled(self.level.currentData() == "community")
        )

        lay = column(self, intro, self.rb_setup, self.setup_form, self.rb_demo, self.demo_form, self.error)
        lay.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(460)

    def _toggle(self) -> None:
        self.setup_form.setEnabled(self.rb_setup.isChecked())
        self.demo_form.setEnabled(self.rb_demo.isChecked())
        self.error.clear()

    def accept(self) -> None:
        if self.rb_demo.isChecked():
            self.choice = "demo"
            self.demo_members = self.members.value()
            super().accept()
            return
        try:
            code = org_rules.check_code(self.code.text())
            name = org_rules.check_name(self.name.text())
        except ValidationError as exc:
            self.error.setText(str(exc))
            (self.code if exc.field == "组织代码" else self.name).setFocus()
            return
        self.choice = "setup"
        self.values = {
            "org_code": code,
            "org_name": name,
            "level": self.level.currentData(),
            "street_name": self.street.text().strip() if self.level.currentData() == "community" else "",
        }
        super().accept()
