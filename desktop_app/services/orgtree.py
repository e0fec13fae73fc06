"""Organisation-subtree queries, used by every module that filters by 党组织.

`subtree_select` is a recursive CTE for use inside a query (a 100,000-member
roster filters without loading ids); `subtree_ids` and `descendant_ids` load
ids for code that works in Python. Deleted organisations are never followed.
`OrgTree` holds the live tree in memory for code that asks about many rows'
branch, group or community; `org_name_map` resolves an organisation named in a
file (by name, code or path) for every import.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desktop_app.domain.orgs import OrgKind, likeness_key, spelling_key
from desktop_app.store.models import Organization
from desktop_app.views import orgs as org_views


def shown_names(s: Session) -> dict[str, str]:
    """Each live organisation's name as lists show it: led by its community (or branch) where names repeat,
    so a street's three 第一网格党支部 are three (views.orgs.path_names)."""
    return org_views.path_names([org_views.OrgNode(*r) for r in s.execute(select(
        Organization.id, Organization.code, Organization.name, Organization.kind, Organization.parent_id,
        Organization.sort_order).where(Organization.deleted.is_(False)))])


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


@dataclass
class OrgNode:
    id: str
    name: str
    code: str
    kind: str
    parent_id: str | None
    sort_order: int


class OrgTree:
    """The live organisation tree in memory: meetings and assessments need branch, group and community of many rows."""

    def __init__(self, s: Session):
        rows = s.execute(
            select(Organization.id, Organization.name, Organization.code, Organization.kind,
                   Organization.parent_id, Organization.sort_order)
            .where(Organization.deleted.is_(False))
            .order_by(Organization.sort_order, Organization.code)
        ).all()
        self.by_id: dict[str, OrgNode] = {r[0]: OrgNode(*r) for r in rows}
        self.children: dict[str | None, list[OrgNode]] = defaultdict(list)
        for o in self.by_id.values():
            self.children[o.parent_id].append(o)

    def get(self, org_id: str | None) -> OrgNode | None:
        return self.by_id.get(org_id) if org_id else None

    def branch_of(self, org_id: str | None) -> OrgNode | None:
        org = self.get(org_id)
        while org is not None and org.kind not in (OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.STREET):
            org = self.get(org.parent_id)
        return org if org is not None and org.kind == OrgKind.BRANCH else None

    def community_of(self, org_id: str | None) -> OrgNode | None:
        org = self.get(org_id)
        while org is not None and org.kind != OrgKind.COMMUNITY:
            org = self.get(org.parent_id)
        return org

    def groups_of(self, branch_id: str) -> list[OrgNode]:
        return [c for c in self.children.get(branch_id, []) if c.kind == OrgKind.GROUP]

    def branches(self) -> list[OrgNode]:
        """Every live branch in tree order."""
        out: list[OrgNode] = []

        def walk(parent: str | None) -> None:
            for o in self.children.get(parent, []):
                if o.kind == OrgKind.BRANCH:
                    out.append(o)
                walk(o.id)

        walk(None)
        return out

    def group_name(self, org_id: str | None) -> str:
        org = self.get(org_id)
        return org.name if org is not None and org.kind == OrgKind.GROUP else ""


_PATH_SEP = re.compile(r"\s*[/／>＞]\s*")


def _path_key(text: str) -> str:
    return _PATH_SEP.sub(" / ", (text or "").strip())


class OrgLookup(dict):
    """An organisation named in a file -> its id: by a name only it bears, by its code, or by its path
    (社区 / 支部 / 小组, or any tail of it). A name several organisations share (every branch has a
    第一党小组) is not a key: `ambiguous[name]` lists the candidates so the row can be refused."""

    def __init__(self) -> None:
        super().__init__()
        self.ambiguous: dict[str, list[str]] = {}
        self._spelt: dict[str, str | None] | None = None  # spelling_key -> key (None: two keys spelt alike)

    def _key(self, key: str) -> str:
        """The key itself, else the one spelt alike (第１党支部 typed for 第1党支部, a space in the name)."""
        key = _path_key(key)
        if super().__contains__(key):
            return key
        if self._spelt is None:
            self._spelt = {}
            for k in dict.keys(self):
                f = spelling_key(k)
                self._spelt[f] = None if f in self._spelt else k
        return self._spelt.get(spelling_key(key)) or key

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(self._key(key))

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(self._key(key))

    def get(self, key, default=None):
        return super().get(self._key(key), default) if isinstance(key, str) else default

    def exact(self, key: str) -> str | None:
        """The organisation `key` names as written, no other spelling taken for it: what an export writes
        must be found again by any reader, an older program's too."""
        return super().get(_path_key(key))

    def like(self, name: str) -> str | None:
        """An organisation's name close to `name` (一支部 and 第一党支部), for a refusal to suggest."""
        want = likeness_key(name)
        return next((k for k in dict.keys(self) if " / " not in k and likeness_key(k) == want), None)

    def near(self, name: str) -> str:
        """The refusal's tail naming the organisation `name` may mean, "" when none is alike."""
        other = self.like(name) if name else None
        return f"。“{name}”与现有的“{other}”相近：如是同一个，请改为“{other}”" if other else ""

    def candidates(self, name: str) -> str:
        return "、".join(self.ambiguous.get(_path_key(name), ()))


def org_paths(s: Session):
    """(id, name, code, parent_id) of every live organisation, in code order, and the path of names to one."""
    rows = s.execute(
        select(Organization.id, Organization.name, Organization.code, Organization.parent_id)
        .where(Organization.deleted.is_(False))
        .order_by(Organization.code)
    ).all()
    by_id = {r[0]: r for r in rows}

    def chain(oid: str) -> list[str]:
        names, seen = [], set()
        while oid in by_id and oid not in seen:
            seen.add(oid)
            names.append(by_id[oid][1])
            oid = by_id[oid][3]
        return names[::-1]

    return rows, chain


def org_name_map(s: Session) -> OrgLookup:
    """Every way a file may name a live organisation -> its id (see OrgLookup)."""
    rows, chain = org_paths(s)
    codes = {r[0]: r[2] for r in rows}
    out = OrgLookup()
    named: dict[str, list[str]] = {}
    tails: dict[str, list[str]] = {}
    for oid, name, code, _parent in rows:
        named.setdefault(name, []).append(oid)
        path = chain(oid)
        for i in range(len(path) - 1):  # every tail of two or more names: 支部 / 小组, 社区 / 支部 / 小组 …
            tails.setdefault(" / ".join(path[i:]), []).append(oid)
        if code:
            dict.__setitem__(out, code, oid)
    for key, ids in tails.items():
        if len(ids) == 1:
            dict.__setitem__(out, key, ids[0])
    for name, ids in named.items():
        if len(ids) == 1:
            dict.__setitem__(out, name, ids[0])
        else:
            out.ambiguous[name] = [f"{' / '.join(chain(i))}（{codes[i]}）" for i in ids]
    return out
