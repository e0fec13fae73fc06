"""Errors every layer speaks: they name the field so a form or a report can point at it."""

from __future__ import annotations


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
