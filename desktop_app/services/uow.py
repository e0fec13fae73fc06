"""Unit of work: one user action, one transaction, one acting person.

    with UnitOfWork(db) as uow:
        ...
        uow.commit()

Leaving the block without commit() rolls everything back. Who acts is read
from the database once, when the unit of work is made, and travels with it
(`uow.actor`, and `session.info` for the audit trail): the trail names them
even if the screen locks mid-way.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.access import Actor
from desktop_app.store import audit
from desktop_app.store.base import SITE_KEY
from desktop_app.store.db import Database
from desktop_app.store.models import Site


def site_id_of(db: Database) -> str:
    """The writing site's id, read once per Database (it never changes once set)."""
    if db.site_id:
        return db.site_id
    with db.session() as s:
        sid = s.scalar(select(Site.id).limit(1)) or ""
    db.site_id = sid
    return sid


class UnitOfWork:
    session: Session
    actor: Actor | None

    def __init__(self, db: Database):
        self.db = db
        self.actor = db.actor

    def __enter__(self) -> UnitOfWork:
        self.session = self.db.session()
        self.session.info[SITE_KEY] = site_id_of(self.db)
        self.session.info[audit.ACTOR_KEY] = self.actor
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def act_as(self, actor: Actor) -> None:
        """From here on this unit of work acts as `actor` (an account logging in names itself)."""
        self.actor = actor
        self.session.info[audit.ACTOR_KEY] = actor

    def commit(self) -> None:
        self.session.commit()

    @property
    def site_id(self) -> str:
        return self.session.info[SITE_KEY]
