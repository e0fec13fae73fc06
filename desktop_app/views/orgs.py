"""Read models of the organisation tree: what the tree page, the pickers and the printed roster show.

Services build them (services.orgs); pages, pickers and the roster print model
use them without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[OrgKind(self.kind)]
