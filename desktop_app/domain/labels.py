"""Enums whose members carry the words people read, so a kind and its label are written once.

    class OrgKind(LabelledEnum):
        BRANCH = "branch", "党支部"

The value stays the string stored and compared ("branch"); `.label` is what a
page or a report shows, and `labels(OrgKind)` is the {member: label} table
older callers read.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound="LabelledEnum")


class LabelledEnum(StrEnum):
    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


def labels(enum: type[E]) -> dict[E, str]:
    return {member: member.label for member in enum}
