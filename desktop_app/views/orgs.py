"""Read models of the organisation tree: what the tree page, the pickers and the printed roster show.

Services build them (services.orgs); pages, pickers and the roster print model
use them without importing one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from desktop_app.domain.orgs import KIND_LABELS, OrgKind


@dataclass(frozen=True)
class OrgNode:
    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    sort_order: int
    member_count: int = 0  # members directly in this organisation
    path_name: str = ""  # the name with as much of its path as tells it apart (see with_paths)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[OrgKind(self.kind)]

    @property
    def shown(self) -> str:
        """What a picker or list shows: "第二网格党支部 · 第一党小组" where the bare name repeats."""
        return self.path_name or self.name


SEPARATOR = " · "
_COMMUNITY_SUFFIXES = ("党委", "党总支")  # 梅园社区党委 → 梅园社区 as a prefix


def _short(node: OrgNode) -> str:
    if node.kind == OrgKind.COMMUNITY.value:
        for suffix in _COMMUNITY_SUFFIXES:
            if node.name.endswith(suffix) and len(node.name) > len(suffix):
                return node.name[: -len(suffix)]
    return node.name


def short_name(node) -> str:
    """A community's name without 党委/党总支 (梅园社区), as it leads a branch's name; any other as it is."""
    return _short(node)


def path_names(nodes: Sequence[OrgNode]) -> dict[str, str]:
    """Each organisation's name, led by as many of its parents as it takes to tell same-named ones apart.

    Five 第一党小组 become 第一网格党支部 · 第一党小组, 第二网格党支部 · 第一党小组 …;
    at the street two 第一网格党支部 become 梅园社区 · 第一网格党支部 and 幸福里社区 · 第一网格党支部.
    A unique name stays bare.
    """
    by_id = {n.id: n for n in nodes}
    depth = {n.id: 0 for n in nodes}

    def label(n: OrgNode) -> str:
        parts, p = [n.name], n
        for _ in range(depth[n.id]):
            p = by_id.get(p.parent_id) if p.parent_id else None
            if p is None:
                break
            parts.insert(0, _short(p))
        return SEPARATOR.join(parts)

    for _ in range(6):  # the tree is at most street > community > branch > group deep
        seen: dict[str, list[OrgNode]] = {}
        for n in nodes:
            seen.setdefault(label(n), []).append(n)
        clashes = [n for group in seen.values() if len(group) > 1 for n in group]
        if not clashes:
            break
        for n in clashes:
            depth[n.id] += 1
    return {n.id: label(n) for n in nodes}


def with_paths(nodes: Sequence[OrgNode]) -> list[OrgNode]:
    names = path_names(nodes)
    return [replace(n, path_name=names[n.id]) if names[n.id] != n.name else n for n in nodes]
