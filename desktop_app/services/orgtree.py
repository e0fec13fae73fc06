"""Organisation-subtree queries, used by every module that filters by 党组织.

`subtree_select` is a recursive CTE for use inside a query (a 100,000-member
roster filters without loading ids); `subtree_ids` and `descendant_ids` load
ids for code that works in Python. Deleted organisations are never followed.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desktop_app.store.models import Organization


def subtree_select(org_id: str, name: str = "org_tree") -> Select:
    """SELECT of the ids of `org_id` and everything under it."""
    tree = select(Organization.id).where(Organization.id == org_id).cte(name, recursive=True)
    tree = tree.union_all(
        select(Organization.id).where(Organization.parent_id == tree.c.id, Organization.deleted.is_(False))
    )
    return select(tree.c.id)


def subtree_ids(s: Session, org_id: str) -> list[str]:
    """`org_id` and every live organisation under it."""
    return list(s.scalars(subtree_select(org_id)))


def descendant_ids(s: Session, org_id: str) -> set[str]:
    """Every live organisation under `org_id`, without it."""
    return set(subtree_ids(s, org_id)) - {org_id}
