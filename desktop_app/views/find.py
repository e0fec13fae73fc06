"""查找: what one search box found across the program, grouped by kind, ready to show and to open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# The kinds in the order they are listed, each with the page that opens its records.
MEMBER, RESIDENT, ORG, UNIT, WISH, VISIT, CASE = "党员", "居民", "党组织", "共建单位", "微心愿", "走访", "矛盾调处"
PAGES: dict[str, str] = {
    MEMBER: "党员名册", RESIDENT: "居民", ORG: "党组织", UNIT: "共建单位", WISH: "微心愿", VISIT: "走访",
    CASE: "矛盾调处",
}
KINDS: tuple[str, ...] = tuple(PAGES)

# What the empty box says can be typed.
HINT = "可输入：姓名、拼音首字母、身份证号后四位、电话后四位，或党组织、共建单位的名称"


@dataclass(frozen=True)
class Hit:
    """One record found: its kind, the name it goes by, a line of context (masked as the lists mask it)
    and what opens it (the page's title and the record's id)."""

    kind: str
    title: str
    context: str
    page: str
    id: str


class Group(NamedTuple):
    """The hits of one kind, in the order its own list shows them."""

    kind: str
    hits: tuple[Hit, ...]
    more: bool = False  # more records of this kind matched than are listed: narrow the words or open the page


@dataclass(frozen=True)
class Found:
    """What one text found, the kinds in KINDS order (a kind with no hit, or not readable, left out)."""

    text: str
    groups: tuple[Group, ...]

    @property
    def hits(self) -> tuple[Hit, ...]:
        """Every hit in the order shown, the kinds one after another (what ↑/↓ walk through)."""
        return tuple(h for g in self.groups for h in g.hits)

    @property
    def empty(self) -> bool:
        return not self.hits
