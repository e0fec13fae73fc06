"""A form's required choice: the entry chosen in a combo or the record picked in a search picker, else a
refusal naming the field.

Forms checked "nothing chosen?" with the same three lines each time; here it is one call that
returns what was chosen, so `prepare()` reads as the list of what it needs.
"""

from __future__ import annotations

from typing import Any, TypeVar

from desktop_app.domain.errors import ValidationError

T = TypeVar("T")

PICK_MEMBER = "请从列表中选择党员"


def required(value: T | None, field: str, message: str) -> T:
    """`value` when something was chosen (not None, not empty); otherwise refuse with `field：message`."""
    if not value:
        raise ValidationError(field, message)
    return value


def picked(picker: Any, field: str = "党员", message: str = PICK_MEMBER) -> Any:
    """The record chosen in a SearchPicker (a member by default); typed text that matched nothing is refused."""
    return required(picker.chosen(), field, message)
