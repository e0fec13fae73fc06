"""A form declared as a table of fields: one line says what a field is, where its value comes from and goes.

Most saving dialogs make a widget per attribute of an input dataclass, fill it from that
dataclass, lay the widgets out label by label and read them back into the dataclass. Those
three steps were written out by hand in every form; here a field names the attribute once
and `FieldForm` does all three, so a form is only the list of what it asks:

    self.fields = FieldForm(self, d, (
        Line("name", "项目名称", "如 梅园新村3栋门口路灯修复"),
        Listed("category", "项目类别", categories),
        Row("预算（元）", Money("budget_fen", attr="budget"), "实际支出", Money("actual_cost_fen", attr="cost")),
        Text("notes", "备注", lines=2),
    ))
    self.finish_layout(self.fields)
    ...
    inp = self.fields.build(ProjectInput, owner_member_id=owner_id)

Each widget is also set on the dialog (`self.name`, or the field's `attr=`), so code and
tests reach it as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_app.gui.widgets.forms import DateEdit, combo, fen_of, list_combo, named_combo, text_area, yuan_field


@dataclass(frozen=True)
class Field:
    """One row of a form: `name` is the input attribute it shows and reads back ("" = not read)."""

    name: str
    label: str = ""
    attr: str = ""  # the dialog attribute that holds the widget, when it is not `name`
    default: Any = None  # shown when the source has no (or an empty) value
    stretch: int = 0  # its share of the width inside a Row

    @property
    def key(self) -> str:
        return self.attr or self.name

    def make(self, value: Any) -> QWidget:
        raise NotImplementedError

    def read(self, widget: QWidget) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Line(Field):
    """One line of text; `max_length` caps it, `secret` shows dots (a password)."""

    placeholder: str = ""
    max_length: int = 0
    secret: bool = False

    def __init__(self, name: str, label: str = "", placeholder: str = "", *, max_length: int = 0,
                 secret: bool = False, **kw: Any):
        object.__setattr__(self, "placeholder", placeholder)
        object.__setattr__(self, "max_length", max_length)
        object.__setattr__(self, "secret", secret)
        Field.__init__(self, name, label, **kw)

    def make(self, value: Any) -> QLineEdit:
        edit = QLineEdit(value or "")
        edit.setPlaceholderText(self.placeholder)
        if self.max_length:
            edit.setMaxLength(self.max_length)
        if self.secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def read(self, widget: QLineEdit) -> str:
        return widget.text()


@dataclass(frozen=True)
class Text(Field):
    """Several lines (text_area): Tab moves on."""

    lines: int = 3
    placeholder: str = ""

    def make(self, value: Any):
        edit = text_area(self.lines, self.placeholder)
        edit.setPlainText(value or "")
        return edit

    def read(self, widget) -> str:
        return widget.toPlainText()


@dataclass(frozen=True)
class Day(Field):
    """A date; an optional one shows 未填 and reads None when left so."""

    optional: bool = False

    def make(self, value: Any) -> DateEdit:
        return DateEdit(value, optional=self.optional)

    def read(self, widget: DateEdit) -> date | None:
        return widget.value()


@dataclass(frozen=True)
class Month(Day):
    """A month (党费交至): shown as 2026年11月, as the details and the 党费 forms write it, not as a day."""

    def make(self, value: Any) -> DateEdit:
        edit = super().make(value)
        edit.setDisplayFormat("yyyy年M月")
        return edit

    def read(self, widget: DateEdit) -> date | None:
        day = widget.value()
        return day.replace(day=1) if day is not None else None


@dataclass(frozen=True)
class Money(Field):
    """An amount typed in yuan, read as integer fen; `what` names it in a refusal (label without 元)."""

    what: str = ""

    def make(self, value: Any) -> QLineEdit:
        return yuan_field(value or 0)

    def read(self, widget: QLineEdit) -> int:
        return fen_of(widget, self.what or self.label.replace("（元）", "") or self.name)


@dataclass(frozen=True)
class Choice(Field):
    """A combo over (label, value) pairs; reads the chosen value."""

    items: Sequence[tuple[str, Any]] = ()

    def make(self, value: Any) -> QComboBox:
        return combo(self.items, value)

    def read(self, widget: QComboBox) -> Any:
        return widget.currentData()


@dataclass(frozen=True)
class Listed(Field):
    """A fixed list of words (plus the record's own, when the list lost it); reads "" for none.

    With `prompt` a new record starts on none, the prompt shown greyed: a choice the rules require
    is then made, not taken from the first word of the list.
    """

    names: Sequence[str] = ()
    prompt: str = ""

    def make(self, value: Any) -> QComboBox:
        box = list_combo(self.names, value or "")
        if self.prompt and not value:
            box.setPlaceholderText(self.prompt)
            box.setCurrentIndex(-1)
        return box

    def read(self, widget: QComboBox) -> str:
        return widget.currentData() or ""


@dataclass(frozen=True)
class Named(Field):
    """A record with `name` and `id` (a grid, an account …), led by a 'none' entry; reads the id."""

    things: Sequence[Any] = ()
    none_label: str = "（不指定）"

    def make(self, value: Any) -> QComboBox:
        return named_combo(self.things, value, self.none_label)

    def read(self, widget: QComboBox) -> Any:
        return widget.currentData()


def grid(name: str = "grid_id", label: str = "所属网格", grids: Sequence[Any] = (),
         none_label: str = "（不指定网格）", **kw: Any) -> Named:
    return Named(name, label, things=grids, none_label=none_label, **kw)


class CheckGroup(QWidget):
    """Tick boxes, one per option: in a line, or `per_row` to a row; `boxes` by option.

    With `keep_others` a chosen value the options no longer hold still shows (ticked), so saving keeps it.
    """

    def __init__(self, options: Sequence[str], chosen: Sequence[str] = (), per_row: int = 0,
                 keep_others: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        names = list(options) + ([c for c in chosen if c not in options] if keep_others else [])
        lay = QGridLayout(self) if per_row else QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, name in enumerate(names):
            self.boxes[name] = box = QCheckBox(name)
            box.setChecked(name in chosen)
            if per_row:
                lay.addWidget(box, i // per_row, i % per_row)
            else:
                lay.addWidget(box)
        if not per_row:
            lay.addStretch(1)

    def chosen(self) -> list[str]:
        return [o for o, b in self.boxes.items() if b.isChecked()]


@dataclass(frozen=True)
class Checks(Field):
    options: Sequence[str] = ()

    def make(self, value: Any) -> CheckGroup:
        return CheckGroup(self.options, value or ())

    def read(self, widget: CheckGroup) -> list[str]:
        return widget.chosen()


@dataclass(frozen=True)
class Flag(Field):
    """One tick box, its text beside it."""

    text: str = ""

    def make(self, value: Any) -> QCheckBox:
        box = QCheckBox(self.text)
        box.setChecked(bool(value))
        return box

    def read(self, widget: QCheckBox) -> bool:
        return widget.isChecked()


@dataclass(frozen=True)
class Put(Field):
    """A widget made by the dialog itself (a picker, a table …): laid out, set on the dialog, not read."""

    widget: Any = None

    def __init__(self, attr: str, label: str, widget: Any, **kw: Any):
        object.__setattr__(self, "widget", widget)
        Field.__init__(self, "", label, attr=attr, **kw)

    def make(self, value: Any) -> Any:
        return self.widget


def show(label: str, text: str) -> Put:
    """A read-only line of the form (当前状态 …)."""
    shown = QLabel(text)
    shown.setWordWrap(True)
    return Put("", label, shown)


class Row:
    """Several fields on one line of the form, words between them: Row("预算", Money(...), "实际支出", Money(...)).

    `end_stretch` pushes the fields to the left.
    """

    def __init__(self, label: str, *parts: Field | str, end_stretch: bool = False):
        self.label, self.parts, self.end_stretch = label, parts, end_stretch


class FieldForm(QFormLayout):
    """Makes the fields' widgets from `source` (an input dataclass, or None for blank), lays them out,
    sets them on `owner`, and reads them back (`values()`, `build(cls, **extra)`).

    A field's widget is `get(key)`, never `widget(key)`: Qt calls QLayoutItem.widget() itself.
    """

    def __init__(self, owner: Any, source: Any, rows: Sequence[Field | Row]):
        super().__init__()
        self.widgets: dict[str, Any] = {}
        self.fields: list[Field] = []
        for row in rows:
            if isinstance(row, Row):
                line, said = QHBoxLayout(), row.label
                for part in row.parts:
                    if isinstance(part, str):
                        line.addWidget(QLabel(part))
                        said = part
                    else:
                        if part.name and not part.label:  # a refusal names it by the words shown before it
                            part = replace(part, label=said)
                        line.addWidget(self._made(owner, source, part), part.stretch)
                if row.end_stretch:
                    line.addStretch(1)
                self.addRow(row.label, line)
            else:
                self.addRow(row.label, self._made(owner, source, row))

    def _made(self, owner: Any, source: Any, f: Field) -> Any:
        value = getattr(source, f.name, None) if f.name else None
        if f.default is not None and not value:
            value = f.default
        widget = f.make(value)
        if f.key:
            self.widgets[f.key] = widget
            setattr(owner, f.key, widget)
        if f.name:
            self.fields.append(f)
        return widget

    def get(self, key: str) -> Any:
        """The widget of a field, by its dialog attribute."""
        return self.widgets[key]

    def values(self) -> dict[str, Any]:
        """What the read fields hold, by input attribute, in the order declared (a refusal raises)."""
        return {f.name: f.read(self.widgets[f.key]) for f in self.fields}

    def build(self, cls: type, **extra: Any) -> Any:
        """The input dataclass the form describes: its fields' values plus `extra`."""
        return cls(**self.values(), **extra)
