"""The audit trail's hash chain checked: each site's entries link to the one before, none changed or removed.

At a community this is its own trail; at the street also each community's
trail as received (kept as sent: entries are never updated, locally or by sync).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from desktop_app.services import auth
from desktop_app.store import audit
from desktop_app.store.db import Database
from desktop_app.store.models_sync import SyncPeer
from desktop_app.store.models import Site

__all__ = ["BrokenLink", "verify"]


@dataclass(frozen=True)
class BrokenLink:
    site_id: str
    site_name: str
    entry_id: str  # the first entry whose link is broken
    problem: str


def verify(db: Database) -> list[BrokenLink]:
    """Every site's chain in this database; the first broken link of each that is broken ([] when whole)."""
    auth.require(db, "audit.read")
    with db.session() as s:
        names = dict(s.execute(select(SyncPeer.site_id, SyncPeer.org_name)).all())
        here = s.scalar(select(Site).limit(1))
        if here is not None:
            names[here.id] = here.org_name
        return [BrokenLink(site, names.get(site, site), entry, why)
                for site, entry, why in audit.verify_chain(s.connection())]
