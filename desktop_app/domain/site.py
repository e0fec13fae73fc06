"""A database's level: 社区, 街道 or 区, and what each one is for sync and merge.

A district (区) runs the program as a street does, only with several streets in its tree: it
holds the key, takes the communities' packages and sends them theirs. Sync speaks of two roles
(street, community) and its package format stays so; the level says what the database calls itself.
"""

from __future__ import annotations

from desktop_app.domain.orgs import OrgKind

COMMUNITY = "community"
STREET = "street"
DISTRICT = "district"
LEVELS = {COMMUNITY: "社区", STREET: "街道", DISTRICT: "区"}
_TOP = (STREET, DISTRICT)


def is_top(level: str) -> bool:
    """A street or a district: the database that holds the key, takes packages and sends them down."""
    return level in _TOP


def sync_role(level: str) -> str:
    """The role a package names for this database: a district merges as a street does."""
    return STREET if is_top(level) else COMMUNITY


def level_label(level: str) -> str:
    return LEVELS.get(level, level)


def upper_name(level: str) -> str:
    """What sync calls the database that holds the key, by its level: 区 for a district, else 街道.

    A community passes the level of the database it enrolled with (街道 while it does not know).
    """
    return LEVELS[DISTRICT] if level == DISTRICT else LEVELS[STREET]


def own_books(level: str) -> str:
    """The name of the top's own accounts (the communities keep theirs in their own databases)."""
    return f"{level_label(level)}本级" if is_top(level) else ""


def root_kind(level: str) -> OrgKind:
    """The kind of the organisation at the head of this database's tree."""
    return {DISTRICT: OrgKind.DISTRICT, STREET: OrgKind.STREET}.get(level, OrgKind.COMMUNITY)
