"""Unit of work: one user action, one transaction.

    with UnitOfWork(db) as uow:
        ...
        uow.commit()

Leaving the block without commit() rolls everything back.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.services import storage_errors  # noqa: F401  (plain messages for disk-full / read-only)
from desktop_app.store import audit
from desktop_app.store.base import SITE_KEY
from desktop_app.store.db import Database
from desktop_app.store.models import Site


def site_id_of(db: Database) -> str:
    """The writing site's id, read once per Database (it never changes once set)."""
    cached = getattr(db, "_site_id", None)
    if cached:
        return cached
    with db.session() as s:
        sid = s.scalar(select(Site.id).limit(1)) or ""
    if sid:
        db._site_id = sid  # type: ignore[attr-defined]
    return sid


class UnitOfWork:
    session: Session

    def __init__(self, db: Database):
        self.db = db

    def __enter__(self) -> "UnitOfWork":
        self.session = self.db.session()
        self.session.info[SITE_KEY] = site_id_of(self.db)
        # Who acts, fixed for the whole action: the audit trail names them even if the screen locks mid-way.
        self.session.info[audit.ACTOR_KEY] = audit.bound_actor(self.db.engine)
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    @property
    def site_id(self) -> str:
        return self.session.info[SITE_KEY]
