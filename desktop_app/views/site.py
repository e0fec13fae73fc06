"""This database's identity as plain data: whose it is (organisation code and name) and at what level."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.site import LEVELS, is_top


@dataclass(frozen=True)
class SiteInfo:
    id: str
    org_code: str
    org_name: str
    level: str
    # An account confined to one street or community (store.scope) works on that subtree only: org_name
    # then names that organisation and the one above it (services.site.seen_by), not the whole database.
    confined: bool = False

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, self.level)

    @property
    def is_top(self) -> bool:
        """A street or a district: it takes the communities' packages and has the street's pages."""
        return is_top(self.level)
