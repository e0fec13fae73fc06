"""Errors every layer speaks: they name the field so a form or a report can point at it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """Base of all errors a user can act on (shown as a plain message, never a traceback)."""


class ValidationError(DomainError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}：{message}" if field else message)
        self.field = field
        self.message = message


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """The action would break a rule about other records (e.g. deleting a non-empty branch)."""


class SavedButNotPlaced(DomainError):
    """The save went through (its record is committed) but its file kept another name beside the one chosen.

    Not a failure: the window titles it 已保存，文件待改名 and the command line exits 3, saying 已保存 first.
    """

    committed = True  # what the save changed is in the database: a page refreshes as after a success


class ConcurrentEditError(DomainError):
    """The record was changed by someone else after the form was opened: saving would undo that change."""


def known(table: Mapping[str, T], key: str, field: str, message: str) -> T:
    """The rule (kind, step …) a name stands for, or a ValidationError naming the field when there is none."""
    try:
        return table[key]
    except KeyError:
        raise ValidationError(field, message) from None
