"""Computing members' months: their bases, records and leaving dates as plain rows, and each month's state.

The shared core of the grid, the arrears list and payments. Core rows, not ORM
objects, and a memo of dues per base and rule epoch: a community's two years of
dues are tens of thousands of records.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import String, func, select, type_coerce, union
from sqlalchemy.orm import Session

from desktop_app.domain import dues as rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.errors import ValidationError
from desktop_app.services.orgtree import subtree_ids
from desktop_app.services.records import live
from desktop_app.store.models import Member, MemberStatusChange
from desktop_app.store.models_cobuilding import registered_member_ids
from desktop_app.store.models_ledger import DuesBase, DuesRecord
from desktop_app.views.dues import (
    CURRENT,
    EXEMPT,
    FUTURE,
    NONE,
    OWED,
    PAID,
    PARTIAL,
    MonthCell,
)

_CHUNK = 500
# Members no longer on the roster, and members whose rights are suspended, owe nothing after the change.
ENDED_STATUSES = (*GONE_STATUSES, "停止党籍")  # 转出, 去世, 出党 and suspended owe no dues


def live_member(s: Session, member_id: str) -> Member:
    return live(s, Member, member_id, "党员")


@dataclass
class MemberFacts:
    id: str
    seq: int
    name: str
    org_id: str | None
    status: str
    party_status: str
    joined: date | None
    bases: list  # rows with effective_from, category, income_fen, fixed_due_fen, quarterly_consent
    records: dict  # month → row with id, due_fen, paid_fen, paid_on, collected_by
    ended: date | None  # last month dues are owed (for members who left)
    start: date | None = None  # first month dues are owed (first base, not before joining)

    def __post_init__(self) -> None:
        if self.bases:
            start = self.bases[0].effective_from
            if self.joined is not None:
                start = max(start, rules.month_of(self.joined))
            self.start = start

    def base_for(self, month: date):
        found = None
        for b in self.bases:  # ordered by effective_from
            if b.effective_from <= month:
                found = b
            else:
                break
        return found

    def first_month(self) -> date | None:
        return self.start


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


# Plain tuples with names: attribute access on them is as cheap as Python gets.
_Base = namedtuple("_Base", "effective_from category income_fen fixed_due_fen quarterly_consent")
_Rec = namedtuple("_Rec", "id due_fen paid_fen paid_on collected_by")
_BASE_COLUMNS = (
    DuesBase.member_id, DuesBase.effective_from, DuesBase.category, DuesBase.income_fen, DuesBase.fixed_due_fen,
    DuesBase.quarterly_consent,
)
# Dates come back as text and are parsed with date.fromisoformat: SQLAlchemy's
# per-value regex parsing of SQLite dates was a third of the time for a whole community.
_RECORD_COLUMNS = (
    DuesRecord.member_id, type_coerce(DuesRecord.month, String), DuesRecord.id, DuesRecord.due_fen,
    DuesRecord.paid_fen, type_coerce(DuesRecord.paid_on, String), DuesRecord.collected_by,
)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def facts_of(
    s: Session, members: Sequence, year: int | None = None, everyone: bool = False
) -> list[MemberFacts]:
    """Bases, records and leaving dates of `members` (Member objects or rows), as plain rows.

    Core rows, not ORM objects: a community's two years of dues are tens of
    thousands of records, and loading them as objects took seconds.
    """
    conn = s.connection()
    ids = [m.id for m in members]
    bases: dict[str, list] = defaultdict(list)
    records: dict[str, dict] = defaultdict(dict)
    ended: dict[str, date] = {}
    wanted = set(ids)
    # For the whole community, one pass over the tables beats many IN (...) lookups.
    for chunk in ([None] if everyone else chunks(ids)):
        def among(col):
            return col.is_not(None) if chunk is None else col.in_(chunk)

        for mid, *rest in conn.execute(
            select(*_BASE_COLUMNS)
            .where(among(DuesBase.member_id), DuesBase.deleted.is_(False))
            .order_by(DuesBase.effective_from)
        ).all():
            if mid in wanted:
                bases[mid].append(_Base(*rest))
        q = select(*_RECORD_COLUMNS).where(among(DuesRecord.member_id), DuesRecord.deleted.is_(False))
        if year is not None:
            q = q.where(DuesRecord.month >= date(year, 1, 1), DuesRecord.month <= date(year, 12, 1))
        for mid, month, rid, due, paid, paid_on, by in conn.execute(q).all():
            if mid in wanted:
                records[mid][_as_date(month)] = _Rec(rid, due, paid, _as_date(paid_on), by)
        for mid, status, on in s.execute(
            select(MemberStatusChange.member_id, MemberStatusChange.status, MemberStatusChange.changed_on)
            .where(among(MemberStatusChange.member_id), MemberStatusChange.deleted.is_(False))
            .order_by(MemberStatusChange.changed_on)
        ):
            if status in ENDED_STATUSES:
                ended[mid] = rules.month_of(on)
            else:
                ended.pop(mid, None)
    out = []
    for m in members:
        gone = m.status in ENDED_STATUSES or m.party_status == "停止党籍"
        end = ended.get(m.id) if gone else None
        if gone and end is None:
            # Left without a dated change: owed nothing beyond the last month on record.
            end = max(records[m.id], default=date(1900, 1, 1))
        out.append(MemberFacts(
            m.id, m.seq, m.name, m.org_id, m.status, m.party_status, m.joined_date, bases[m.id], records[m.id], end,
        ))
    return out


class BaseTerms(NamedTuple):
    """What a due depends on besides the month (a DuesBase row has these too)."""

    category: str
    income_fen: int
    fixed_due_fen: int | None


class DuesCalculator:
    """monthly_due with a memory: the same base under the same rules gives the same due.

    `calc(base, month)` takes anything with category, income_fen and fixed_due_fen.
    """

    def __init__(self, table: list[RateRule]):
        self.table = table
        self._epoch: dict[tuple[str, date], date | None] = {}
        self._calc: dict[tuple, rules.DueCalc] = {}

    def calc(self, base, month: date) -> rules.DueCalc:
        key = (base.category, month)
        if key not in self._epoch:
            lines = rules.rules_in_force(self.table, base.category, month)
            self._epoch[key] = lines[0].effective_from if lines else None
        ckey = (base.category, self._epoch[key], base.income_fen, base.fixed_due_fen)
        found = self._calc.get(ckey)
        if found is None:
            found = rules.monthly_due(self.table, base.category, month, base.income_fen, base.fixed_due_fen)
            self._calc[ckey] = found
        return found


def month_state(f: MemberFacts, month: date, due_of: DuesCalculator, current: date) -> tuple[str, int, object]:
    """(state, due in fen, the record or None) of one member's month; `current` is this month."""
    rec = f.records.get(month)
    if rec is not None and (rec.paid_fen > 0 or rec.paid_on is not None):
        return (PAID if rec.paid_fen >= rec.due_fen else PARTIAL), rec.due_fen, rec
    if f.start is None or month < f.start or (f.ended is not None and month > f.ended):
        return NONE, 0, rec
    base = f.base_for(month)
    if base is None:
        return NONE, 0, rec
    try:
        due = due_of.calc(base, month).due_fen
    except ValidationError:
        return NONE, 0, rec
    if due == 0:
        return EXEMPT, 0, rec
    return (FUTURE if month > current else CURRENT if month == current else OWED), due, rec


def month_cell(f: MemberFacts, month: date, due_of: DuesCalculator, today: date) -> MonthCell:
    state, due, rec = month_state(f, month, due_of, rules.month_of(today))
    if state in (PAID, PARTIAL):
        late = rec.paid_on is not None and rules.is_late_back_payment(month, rec.paid_on)
        return MonthCell(month, state, rec.due_fen, rec.paid_fen, rec.paid_on, rec.collected_by, late, rec.id)
    if state in (NONE, EXEMPT):
        return MonthCell(month, state)
    return MonthCell(month, state, due, 0, None, "", False, rec.id if rec else None)


def counted(member_id):
    """The 党费 page's rule for whose dues count, as a condition on a member id column: members not deleted and
    not moved into the 双报到 register (their 组织关系 and so their 党费 stay with the employer). 概览 and the
    year-end folder filter DuesRecord.member_id by it, so the three agree. NOT IN a short list, not IN the
    roster: SQLite keeps scanning dues_record by date instead of probing it member by member (3× slower)."""
    return member_id.not_in(union(registered_member_ids(), select(Member.id).where(Member.deleted.is_(True))))


def members_of(s: Session, org_id: str | None) -> list:
    q = select(
        Member.id, Member.seq, Member.name, Member.org_id, Member.status, Member.party_status, Member.joined_date,
    ).where(Member.deleted.is_(False), counted(Member.id))
    if org_id:
        q = q.where(Member.org_id.in_(subtree_ids(s, org_id)))
    return list(s.connection().execute(q.order_by(Member.seq, Member.name_pinyin)))


def belongs_to_year(f: MemberFacts, year: int) -> bool:
    """On a year's sheet: members still here, and those who left during the year or paid in it."""
    if f.ended is None or f.records:
        return True
    return f.ended >= date(year, 1, 1) and (f.first_month() or date(year, 1, 1)) <= f.ended


def rate_label(calc: rules.DueCalc) -> str:
    if calc.overridden:
        return "少交" if calc.due_fen else "免交"
    if calc.rate_bp is not None:
        return rules.rate_text(calc.rate_bp)
    return "自定" if calc.rule is not None and calc.rule.kind == "range" else "定额"


def last_paid_map(s: Session, member_ids: Sequence[str] | None) -> dict[str, date]:
    q = (
        select(DuesRecord.member_id, func.max(DuesRecord.paid_on))
        .where(DuesRecord.paid_fen > 0, DuesRecord.paid_on.is_not(None), DuesRecord.deleted.is_(False))
        .group_by(DuesRecord.member_id)
    )
    if member_ids is None:
        return {k: v for k, v in s.execute(q).all() if v is not None}
    out: dict[str, date] = {}
    for chunk in chunks(list(member_ids)):
        out.update({k: v for k, v in s.execute(q.where(DuesRecord.member_id.in_(chunk))).all() if v is not None})
    return out
