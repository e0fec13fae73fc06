"""民主测评 before 民主评议党员: the ballots' tallies, their checks, shares and a neutral note.

A branch hands each member present a ballot (不记名) listing its members with the four grades; the
returned ballots are counted per member. The 支部党员大会 then decides the grades with the tallies in
view: nothing here decides a grade, the note only says where the entered grade differs from the
most-voted one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import ValidationError

# The four tick columns, in the ballot's order: (field on the tally, the grade, its column label).
VOTE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("excellent", rules.EXCELLENT, "优秀票"),
    ("qualified", rules.QUALIFIED, "合格票"),
    ("basic", rules.BASICALLY_QUALIFIED, "基本合格票"),
    ("unqualified", rules.UNQUALIFIED, "不合格票"),
)
MAX_BALLOTS = 100_000  # far above any branch; a slip of the keyboard, not a tally


@dataclass(frozen=True)
class Tally:
    """One member's votes: how many returned ballots ticked each grade."""

    excellent: int = 0
    qualified: int = 0
    basic: int = 0
    unqualified: int = 0

    def total(self) -> int:
        return self.excellent + self.qualified + self.basic + self.unqualified

    def counts(self) -> tuple[int, int, int, int]:
        return (self.excellent, self.qualified, self.basic, self.unqualified)

    def is_blank(self) -> bool:
        return self.total() == 0


def _count(value: object, label: str, who: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip() or "0")
        except ValueError:
            raise ValidationError(label, f"{who}“{value}”不是票数，请填写整数") from None
    if value < 0:
        raise ValidationError(label, f"{who}不能是负数")
    if value > MAX_BALLOTS:
        raise ValidationError(label, f"{who}{value} 张太多了，请核对")
    return value


def check_ballot(issued: object, returned: object) -> tuple[int, int]:
    """发出 and 收回 as counts; more returned than issued is refused."""
    i = _count(issued, "发出票数")
    r = _count(returned, "收回票数")
    if r > i:
        raise ValidationError("收回票数", f"收回 {r} 张，多于发出的 {i} 张")
    return i, r


def check_tally(name: str, tally: Tally, returned: int) -> Tally:
    """Each count a whole number ≥ 0, and the four together no more than the ballots returned
    (a ballot ticks one grade per member, or none). The message names the member."""
    counts = [_count(getattr(tally, f), label, f"{name}的{label}") for f, _g, label in VOTE_FIELDS]
    total = sum(counts)
    if total > returned:
        # the field named is the last one filled in: where the operator most likely just typed
        label = next(lab for (_f, _g, lab), c in reversed(list(zip(VOTE_FIELDS, counts))) if c)
        raise ValidationError(label, f"{name}的四项票数合计 {total} 张，多于收回的 {returned} 张")
    return Tally(*counts)


def share(votes: int, returned: int) -> Fraction | None:
    """The exact share of the returned ballots; None when none were returned."""
    return Fraction(votes, returned) if returned > 0 else None


def percent(votes: int, returned: int, places: int = 1) -> str:
    """A share as printed: "66.7%" (half up at `places`), "" when no ballot was returned."""
    f = share(votes, returned)
    if f is None:
        return ""
    value = (Decimal(f.numerator) * 100 / Decimal(f.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value}%"


def most_voted(tally: Tally) -> str:
    """The grade most ballots ticked; "" when none, or when two grades tie for the most."""
    counts = tally.counts()
    top = max(counts)
    if top == 0 or counts.count(top) > 1:
        return ""
    return VOTE_FIELDS[counts.index(top)][1]


def note(grade: str, tally: Tally) -> str:
    """A neutral note where the grade entered differs from the most-voted one; the grade stays the meeting's."""
    top = most_voted(tally)
    if not grade or not top or top == grade:
        return ""
    return f"测评多数为{top}"


def usual_year(today: date) -> int:
    """The year a 民主评议 on `today` is most likely for: it is held from the year's end into March of the next,
    so until March the year before, after that this year (the page opens on it, the reports default to it)."""
    return today.year - (1 if today.month <= 3 else 0)
