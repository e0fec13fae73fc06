"""What a demo fill made: the summary the first-run dialog and `dangqun demo` report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSummary:
    org_code: str
    org_name: str
    street_name: str
    branches: int
    groups: int
    members: int
    households: int
    residents: int
