"""Whose books an organisation's rows fall under: the nearest organisation at or above it that keeps books.

A 社区党委 keeps its own books (经费台账), and so do a street office and a district at their own
databases (本级); a 党支部 or 党小组 keeps none: its members' 党费 are its community's money.
A month closed (结账) in those books holds for every row dated in it, a branch member's 党费
record as much as the 党委's own voucher (sync.ownership.check_closed, services.dues).
One read of the organisation table serves a whole package or import.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.orgs import OrgKind
from desktop_app.store.models import Organization
from desktop_app.store.models_ledger import ClosedMonth

KEEPS_BOOKS: frozenset[str] = frozenset({OrgKind.COMMUNITY, OrgKind.STREET, OrgKind.DISTRICT})


class Books:
    """org id -> the org id whose books hold its rows; an org with no book-keeper above it is its own."""

    def __init__(self, s: Session, incoming: Iterable[tuple[str, str, str | None]] = ()) -> None:
        """`incoming`: (id, kind, parent id) of organisations a package brings, counted over the stored ones."""
        rows = s.execute(select(Organization.id, Organization.kind, Organization.parent_id)).tuples()
        self._kind: dict[str, str] = {}
        self._parent: dict[str, str | None] = {}
        for oid, kind, parent in [*rows, *incoming]:
            self._kind[oid], self._parent[oid] = kind, parent
        self._book: dict[str | None, str | None] = {None: None}

    def of(self, org_id: str | None) -> str | None:
        if org_id not in self._book:
            chain: list[str] = []
            cur = org_id
            while cur in self._kind and cur not in chain and self._kind[cur] not in KEEPS_BOOKS:
                chain.append(cur)
                cur = self._parent[cur]
            keeps = cur in self._kind and self._kind[cur] in KEEPS_BOOKS
            self._book[org_id] = cur if keeps else org_id  # no book-keeper above it: its own, as before
        return self._book[org_id]


def closed_months(s: Session) -> set[tuple[str | None, date]]:
    """Every live closed month of the database's books: (book org id, first of the month)."""
    return set(s.execute(select(ClosedMonth.org_id, ClosedMonth.month).where(ClosedMonth.deleted.is_(False))).tuples())


class ClosedBooks(Books):
    """The live closed months with whose books they are: which organisation's month is closed, by its books."""

    def __init__(self, s: Session, incoming: Iterable[tuple[str, str, str | None]] = ()) -> None:
        super().__init__(s, incoming)
        self._s = s
        self.closed = closed_months(s)
        self._names: dict[str | None, str] = {}

    def keeper(self, org_id: str | None, month: date) -> str:
        """The name of the organisation whose books closed this org's month; "" while it is open."""
        book = self.of(org_id)
        return self.name(book) or "本单位" if (book, month) in self.closed else ""

    def name(self, org_id: str | None) -> str:
        if org_id not in self._names:
            name = self._s.scalar(select(Organization.name).where(Organization.id == org_id)) if org_id else None
            self._names[org_id] = name or ""
        return self._names[org_id]
