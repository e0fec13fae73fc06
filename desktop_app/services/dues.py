"""党费: the rate table, members' bases, monthly dues, payments, arrears, the branch's yearly grid.

A payment records one DuesRecord per month paid and, in the same transaction,
posts one 党费收缴 income entry to the 党费 account (several members collected
together make one entry, as a branch's collection sheet does). Undoing a
payment reverses that entry (红字冲销) and re-posts whatever else it carried,
so the ledger and the dues always agree.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict, namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from desktop_app.domain import dues as rules
from desktop_app.domain import ledger as ledger_rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.services import auth
from desktop_app.services import ledger as ledger_service
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Member, MemberStatusChange, Organization, Site
from desktop_app.store.models_ledger import DuesBase, DuesRateRule, DuesRecord, LedgerEntry

_CHUNK = 500
_seed_lock = threading.Lock()  # two background loads must not both seed the rate table
# Members no longer on the roster, and members whose rights are suspended, owe nothing after the change.
_ENDED_STATUSES = ("转出", "去世", "停止党籍")

PAID, PARTIAL, OWED, CURRENT, FUTURE, EXEMPT, NONE = "paid", "partial", "owed", "current", "future", "exempt", "none"
STATE_LABELS = {
    PAID: "已交", PARTIAL: "少交", OWED: "欠交", CURRENT: "本月未交", FUTURE: "", EXEMPT: "免交", NONE: "",
}


# ---------------------------------------------------------------- value types

@dataclass(frozen=True)
class DuesBaseInfo:
    id: str
    member_id: str
    effective_from: date
    category: str
    income_fen: int
    fixed_due_fen: int | None
    quarterly_consent: bool
    note: str
    due_fen: int  # the monthly due this base gives in its first month
    basis: str


@dataclass(frozen=True)
class MonthCell:
    month: date
    state: str  # PAID / PARTIAL / OWED / CURRENT / FUTURE / EXEMPT / NONE
    due_fen: int = 0
    paid_fen: int = 0
    paid_on: date | None = None
    collected_by: str = ""
    late: bool = False  # paid more than six months after the month (补交超过6个月)
    record_id: str | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class GridRow:
    member_id: str
    seq: int
    name: str
    category: str  # dues category in force for the latest month of the year shown ("" without a base)
    income_fen: int
    monthly_due_fen: int
    basis: str
    cells: tuple[MonthCell, ...]  # 12 months
    quarterly_consent: bool = False
    rate_label: str = ""  # "1%", "定额", "自定", "免交", "少交"

    @property
    def paid_fen(self) -> int:
        return sum(c.paid_fen for c in self.cells)

    @property
    def owed_fen(self) -> int:
        return sum(c.due_fen - c.paid_fen for c in self.cells if c.state in (OWED, PARTIAL))

    @property
    def has_base(self) -> bool:
        return bool(self.category)


@dataclass(frozen=True)
class DuesGrid:
    """党费收缴登记表 data: one branch, one year, members × 12 months."""

    center_name: str
    org_id: str
    org_name: str
    year: int
    today: date
    rows: tuple[GridRow, ...]

    def month_paid(self, m: int) -> int:
        return sum(r.cells[m - 1].paid_fen for r in self.rows)

    @property
    def paid_fen(self) -> int:
        return sum(r.paid_fen for r in self.rows)

    @property
    def owed_fen(self) -> int:
        return sum(r.owed_fen for r in self.rows)


@dataclass(frozen=True)
class ArrearsRow:
    member_id: str
    name: str
    org_id: str | None
    org_name: str
    months: tuple[date, ...]  # past months not (fully) paid
    owed_fen: int
    trailing_months: int  # consecutive unpaid months up to last month
    last_paid: date | None
    status: str

    @property
    def lapse_risk(self) -> bool:
        """党章第三十八条: six months in a row without dues (and without good reason)."""
        return self.trailing_months >= rules.LAPSE_MONTHS

    @property
    def months_text(self) -> str:
        return rules.months_label(self.months)


@dataclass(frozen=True)
class NoBaseRow:
    member_id: str
    name: str
    org_name: str


@dataclass(frozen=True)
class PaymentInput:
    member_id: str
    months: tuple[date, ...]
    amount_fen: int | None = None  # None: exactly the months' dues
    quarterly_consent: bool | None = None  # None: the member's standing consent (on the base)


@dataclass(frozen=True)
class PaymentResult:
    voucher_no: str
    entry_id: str | None
    total_fen: int
    records: int
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------- the rate table

def _rule_from_row(r: DuesRateRule) -> RateRule:
    return RateRule(
        r.category, r.effective_from, r.over_fen, r.upto_fen, r.rate_bp, r.fixed_fen, r.min_fen, r.max_fen, r.note
    )


def rate_rules_in(s: Session) -> list[RateRule]:
    return [_rule_from_row(r) for r in s.scalars(select(DuesRateRule).where(DuesRateRule.deleted.is_(False)))]


# Seeded lines get the same id in every database, so a street's copy and a
# community's copy of the 2008 table merge as one table, not two.
_RULE_NAMESPACE = uuid.UUID("6f1d3c2e-5b7a-4e1f-9c3d-2a8b7e6f5d41")


def _default_rule_id(r: RateRule) -> str:
    return str(uuid.uuid5(_RULE_NAMESPACE, f"{r.category}|{r.effective_from.isoformat()}|{r.over_fen}"))


def seed_rate_rules_in(s: Session) -> None:
    if s.scalar(select(DuesRateRule.id).limit(1)) is None:
        for r in rules.DEFAULT_RULES:
            s.add(DuesRateRule(
                id=_default_rule_id(r),
                category=r.category, effective_from=r.effective_from, over_fen=r.over_fen, upto_fen=r.upto_fen,
                rate_bp=r.rate_bp, fixed_fen=r.fixed_fen, min_fen=r.min_fen, max_fen=r.max_fen,
                note="中组部《关于中国共产党党费收缴、使用和管理的规定》",
            ))
        s.flush()


def ensure_rate_rules(db: Database) -> None:
    """Seed the 2008 table the first time dues are used."""
    auth.require(db, "dues.read")
    with db.session() as s:
        if s.scalar(select(DuesRateRule.id).limit(1)):
            return
    with _seed_lock, UnitOfWork(db) as uow:
        seed_rate_rules_in(uow.session)
        uow.commit()


def rate_rules(db: Database) -> list[RateRule]:
    """Every line of the table, by category, newest effective date first, then bracket."""
    auth.require(db, "dues.read")
    ensure_rate_rules(db)
    with db.session() as s:
        out = rate_rules_in(s)
    order = {c: i for i, c in enumerate(rules.CATEGORIES)}
    return sorted(out, key=lambda r: (order[r.category], -r.effective_from.toordinal(), r.over_fen or -1))


def set_rate_rules(db: Database, new: Sequence[RateRule]) -> list[RateRule]:
    """Add the lines of a new rule (or replace those of the same category and effective date).

    Each category and effective date must form a whole table (check_table);
    months before the date keep the old rates, and recorded dues keep the
    rate they were computed with.
    """
    auth.require(db, "settings.write")
    new = [r if r.effective_from.day == 1 else RateRule(**{**r.__dict__, "effective_from": rules.month_of(r.effective_from)})
           for r in new]
    rules.check_table(new)
    keys = {(r.category, r.effective_from) for r in new}
    with UnitOfWork(db) as uow:
        s = uow.session
        seed_rate_rules_in(s)
        for row in s.scalars(select(DuesRateRule).where(DuesRateRule.deleted.is_(False))):
            if (row.category, row.effective_from) in keys:
                row.deleted = True
        for r in new:
            s.add(DuesRateRule(
                category=r.category, effective_from=r.effective_from, over_fen=r.over_fen, upto_fen=r.upto_fen,
                rate_bp=r.rate_bp, fixed_fen=r.fixed_fen, min_fen=r.min_fen, max_fen=r.max_fen, note=r.note,
            ))
        uow.commit()
    return rate_rules(db)


# ---------------------------------------------------------------- bases

def _live_member(s: Session, member_id: str) -> Member:
    m = s.get(Member, member_id)
    if m is None or m.deleted:
        raise NotFound("该党员不存在或已删除")
    return m


def _base_info(b: DuesBase, table: list[RateRule]) -> DuesBaseInfo:
    try:
        calc = rules.monthly_due(table, b.category, b.effective_from, b.income_fen, b.fixed_due_fen)
        due, basis = calc.due_fen, calc.basis
    except ValidationError as exc:
        due, basis = 0, exc.message
    return DuesBaseInfo(
        b.id, b.member_id, b.effective_from, b.category, b.income_fen, b.fixed_due_fen, b.quarterly_consent,
        b.note, due, basis,
    )


def set_base(
    db: Database,
    member_id: str,
    effective_from: date,
    category: str,
    income_fen: int = 0,
    fixed_due_fen: int | None = None,
    quarterly_consent: bool = False,
    note: str = "",
) -> DuesBaseInfo:
    """Enter a member's dues base from a month on (yearly, or whenever income or category changes).

    `income_fen` is the monthly income after tax (在职) or the basic pension
    (离退休). `fixed_due_fen` is a farmer's chosen amount, or a reduction or
    exemption approved by the party committee (then `note` must say so).
    """
    auth.require(db, "dues.write")
    category = rules.check_category(category)
    for value in (income_fen, fixed_due_fen):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError("amounts are int fen")
    if category in rules.INCOME_CATEGORIES:
        if income_fen <= 0:
            label = "月收入（税后）" if category == rules.EMPLOYED else "月基本离退休费"
            raise ValidationError(label, "请填写，按月计算党费")
    else:
        income_fen = 0
    note = (note or "").strip()
    month = rules.month_of(effective_from)
    with UnitOfWork(db) as uow:
        s = uow.session
        _live_member(s, member_id)
        seed_rate_rules_in(s)
        table = rate_rules_in(s)
        calc = rules.monthly_due(table, category, month, income_fen, fixed_due_fen)
        if calc.overridden and not note:
            raise ValidationError("备注", "少交或免交党费须经党委批准，请在备注中写明批准情况")
        row = s.scalar(select(DuesBase).where(DuesBase.member_id == member_id, DuesBase.effective_from == month))
        if row is None:
            row = DuesBase(member_id=member_id, effective_from=month)
            s.add(row)
        row.category = category
        row.income_fen = income_fen
        row.fixed_due_fen = fixed_due_fen
        row.quarterly_consent = bool(quarterly_consent)
        row.note = note
        row.deleted = False
        s.flush()
        info = _base_info(row, table)
        uow.commit()
        return info


def remove_base(db: Database, base_id: str) -> None:
    """Withdraw a base entered by mistake; months already paid keep what was recorded."""
    auth.require(db, "dues.write")
    with UnitOfWork(db) as uow:
        row = uow.session.get(DuesBase, base_id)
        if row is None or row.deleted:
            raise NotFound("该党费基数不存在")
        row.deleted = True
        uow.commit()


def bases(db: Database, member_id: str) -> list[DuesBaseInfo]:
    auth.require(db, "dues.read")
    ensure_rate_rules(db)
    with db.session() as s:
        table = rate_rules_in(s)
        return [
            _base_info(b, table)
            for b in s.scalars(
                select(DuesBase)
                .where(DuesBase.member_id == member_id, DuesBase.deleted.is_(False))
                .order_by(DuesBase.effective_from)
            )
        ]


# ---------------------------------------------------------------- computing months

@dataclass
class _MemberFacts:
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


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
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


def _facts(
    s: Session, members: Sequence, year: int | None = None, everyone: bool = False
) -> list[_MemberFacts]:
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
    for chunk in ([None] if everyone else _chunks(ids)):
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
            if status in _ENDED_STATUSES:
                ended[mid] = rules.month_of(on)
            else:
                ended.pop(mid, None)
    out = []
    for m in members:
        gone = m.status in _ENDED_STATUSES or m.party_status == "停止党籍"
        end = ended.get(m.id) if gone else None
        if gone and end is None:
            # Left without a dated change: owed nothing beyond the last month on record.
            end = max(records[m.id], default=date(1900, 1, 1))
        out.append(_MemberFacts(
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


def _state(f: _MemberFacts, month: date, due_of: DuesCalculator, current: date) -> tuple[str, int, object]:
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


def _cell(f: _MemberFacts, month: date, due_of: DuesCalculator, today: date) -> MonthCell:
    state, due, rec = _state(f, month, due_of, rules.month_of(today))
    if state in (PAID, PARTIAL):
        late = rec.paid_on is not None and rules.is_late_back_payment(month, rec.paid_on)
        return MonthCell(month, state, rec.due_fen, rec.paid_fen, rec.paid_on, rec.collected_by, late, rec.id)
    if state in (NONE, EXEMPT):
        return MonthCell(month, state)
    return MonthCell(month, state, due, 0, None, "", False, rec.id if rec else None)


def _org_subtree_ids(s: Session, org_id: str) -> list[str]:
    tree = select(Organization.id).where(Organization.id == org_id).cte("dues_tree", recursive=True)
    tree = tree.union_all(
        select(Organization.id).where(Organization.parent_id == tree.c.id, Organization.deleted.is_(False))
    )
    return list(s.scalars(select(tree.c.id)))


def _members_of(s: Session, org_id: str | None) -> list:
    q = select(
        Member.id, Member.seq, Member.name, Member.org_id, Member.status, Member.party_status, Member.joined_date,
    ).where(Member.deleted.is_(False))
    if org_id:
        q = q.where(Member.org_id.in_(_org_subtree_ids(s, org_id)))
    return list(s.connection().execute(q.order_by(Member.seq, Member.name_pinyin)))


def _belongs_to_year(f: _MemberFacts, year: int) -> bool:
    """On a year's sheet: members still here, and those who left during the year or paid in it."""
    if f.ended is None or f.records:
        return True
    return f.ended >= date(year, 1, 1) and (f.first_month() or date(year, 1, 1)) <= f.ended


def _rate_label(calc: rules.DueCalc) -> str:
    if calc.overridden:
        return "少交" if calc.due_fen else "免交"
    if calc.rate_bp is not None:
        return rules.rate_text(calc.rate_bp)
    return "自定" if calc.rule is not None and calc.rule.kind == "range" else "定额"


def branch_grid(db: Database, org_id: str, year: int, today: date | None = None) -> DuesGrid:
    """The branch's members (including its 党小组) × the year's 12 months."""
    auth.require(db, "dues.read")
    today = today or date.today()
    ensure_rate_rules(db)
    with db.session() as s:
        org = s.get(Organization, org_id)
        if org is None or org.deleted:
            raise NotFound("该党组织不存在")
        table = rate_rules_in(s)
        due_of = DuesCalculator(table)
        months = [date(year, m, 1) for m in range(1, 13)]
        ref_month = min(rules.month_of(today), months[-1]) if today.year >= year else months[0]
        rows = []
        for f in _facts(s, _members_of(s, org_id), year):
            if not _belongs_to_year(f, year):
                continue
            cells = tuple(_cell(f, m, due_of, today) for m in months)
            base = f.base_for(ref_month) or (f.bases[0] if f.bases else None)
            category, income, due, basis, consent, rate = "", 0, 0, "未登记党费基数", False, ""
            if base is not None:
                category, income, consent = base.category, base.income_fen, base.quarterly_consent
                try:
                    calc = rules.monthly_due(table, base.category, ref_month, base.income_fen, base.fixed_due_fen)
                    due, basis, rate = calc.due_fen, calc.basis, _rate_label(calc)
                except ValidationError as exc:
                    basis = exc.message
            rows.append(GridRow(f.id, f.seq, f.name, category, income, due, basis, cells, consent, rate))
        center = s.scalar(select(Site.org_name).limit(1)) or ""
        return DuesGrid(center, org.id, org.name, year, today, tuple(rows))


def registry_grids(
    db: Database, year: int, branch: str | None = None, today: date | None = None
) -> list[DuesGrid]:
    """The 党费收缴登记表 data of every 党支部 (or the one whose id, code or name is `branch`)."""
    auth.require(db, "dues.read")
    with db.session() as s:
        q = select(Organization.id, Organization.code, Organization.name).where(
            Organization.kind == "branch", Organization.deleted.is_(False)
        ).order_by(Organization.sort_order, Organization.code)
        branches = s.execute(q).all()
    if branch:
        wanted = branch.strip()
        branches = [b for b in branches if wanted in (b.id, b.code, b.name)] or [
            b for b in branches if wanted in b.name
        ]
        if len(branches) != 1:
            raise ValidationError("党支部", f"找不到唯一的党支部“{wanted}”" if not branches
                                  else f"“{wanted}”对应多个党支部，请写全名")
    return [branch_grid(db, b.id, year, today) for b in branches]


def member_year(db: Database, member_id: str, year: int, today: date | None = None) -> tuple[MonthCell, ...]:
    auth.require(db, "dues.read")
    today = today or date.today()
    ensure_rate_rules(db)
    with db.session() as s:
        m = _live_member(s, member_id)
        table = rate_rules_in(s)
        f = _facts(s, [m], year)[0]
        return tuple(_cell(f, date(year, k, 1), DuesCalculator(table), today) for k in range(1, 13))


def due_for(db: Database, member_id: str, month: date) -> rules.DueCalc | None:
    """The dues a member owes for `month` by their base and the table; None without a base."""
    auth.require(db, "dues.read")
    ensure_rate_rules(db)
    month = rules.month_of(month)
    with db.session() as s:
        m = _live_member(s, member_id)
        f = _facts(s, [m], month.year)[0]
        base = f.base_for(month)
        if base is None:
            return None
        return rules.monthly_due(rate_rules_in(s), base.category, month, base.income_fen, base.fixed_due_fen)


def arrears(db: Database, org_id: str | None = None, today: date | None = None) -> list[ArrearsRow]:
    """Members with past months unpaid (up to last month), longest-unpaid first."""
    auth.require(db, "dues.read")
    today = today or date.today()
    last = rules.add_months(rules.month_of(today), -1)
    ensure_rate_rules(db)
    with db.session() as s:
        due_of = DuesCalculator(rate_rules_in(s))
        org_names = dict(s.execute(select(Organization.id, Organization.name)).all())
        members = [m for m in _members_of(s, org_id) if m.status not in ("转出", "去世")]
        last_paid = _last_paid_map(s, [m.id for m in members])
        out = []
        for f in _facts(s, members, everyone=org_id is None):
            start = f.first_month()
            if start is None or start > last:
                continue
            end = min(last, f.ended) if f.ended is not None else last
            unpaid, owed = [], 0
            current = rules.month_of(today)
            for month in rules.month_range(start, end) if start <= end else []:
                state, due, rec = _state(f, month, due_of, current)
                if state in (OWED, PARTIAL):
                    unpaid.append(month)
                    owed += due - (rec.paid_fen if state == PARTIAL else 0)
            if unpaid:
                out.append(ArrearsRow(
                    f.id, f.name, f.org_id, org_names.get(f.org_id, ""), tuple(unpaid), owed,
                    rules.trailing_unpaid_run(unpaid, last), last_paid.get(f.id), f.status,
                ))
        out.sort(key=lambda r: (-r.trailing_months, -len(r.months), r.org_name, r.name))
        return out


def members_without_base(db: Database, org_id: str | None = None) -> list[NoBaseRow]:
    """Members on the roster with no dues base yet: their dues cannot be computed."""
    auth.require(db, "dues.read")
    with db.session() as s:
        org_names = dict(s.execute(select(Organization.id, Organization.name)).all())
        with_base = set(s.scalars(select(DuesBase.member_id).where(DuesBase.deleted.is_(False))))
        return [
            NoBaseRow(m.id, m.name, org_names.get(m.org_id, ""))
            for m in _members_of(s, org_id)
            if m.id not in with_base and m.status not in _ENDED_STATUSES and m.party_status != "停止党籍"
        ]


# ---------------------------------------------------------------- last paid (for the 失联 risk list)

def _last_paid_map(s: Session, member_ids: Sequence[str] | None) -> dict[str, date]:
    q = (
        select(DuesRecord.member_id, func.max(DuesRecord.paid_on))
        .where(DuesRecord.paid_fen > 0, DuesRecord.paid_on.is_not(None), DuesRecord.deleted.is_(False))
        .group_by(DuesRecord.member_id)
    )
    if member_ids is None:
        return {k: v for k, v in s.execute(q).all() if v is not None}
    out: dict[str, date] = {}
    for chunk in _chunks(list(member_ids)):
        out.update({k: v for k, v in s.execute(q.where(DuesRecord.member_id.in_(chunk))).all() if v is not None})
    return out


def dues_last_paid(db: Database, member_id: str) -> date | None:
    """The last day the member paid any dues (None: never recorded)."""
    auth.require(db, "dues.read")
    with db.session() as s:
        return _last_paid_map(s, [member_id]).get(member_id)


def dues_last_paid_map(db: Database, member_ids: Sequence[str] | None = None) -> dict[str, date]:
    """dues_last_paid for many members at once (all members when None); unpaid members are absent."""
    auth.require(db, "dues.read")
    with db.session() as s:
        return _last_paid_map(s, member_ids)


# ---------------------------------------------------------------- payments

def _book_and_account(s: Session) -> tuple[str | None, str]:
    book = ledger_service.book_org_id(s)
    return book, ledger_service.dues_account_id(s, book)


def _prepare(
    s: Session, p: PaymentInput, paid_on: date, table: list[RateRule]
) -> tuple[Member, list[tuple[date, rules.DueCalc, DuesBase]], list[int], bool, list[str]]:
    m = _live_member(s, p.member_id)
    f = _facts(s, [m])[0]
    months = sorted(rules.month_of(x) for x in p.months)
    items = []
    for month in months:
        rec = f.records.get(month)
        if rec is not None and rec.paid_fen > 0:
            raise ValidationError("交纳月份", f"{m.name}{rules.month_label(month)}的党费已于{rec.paid_on}交纳")
        base = f.base_for(month)
        if base is None:
            raise ValidationError("党费基数", f"{m.name}还没有{rules.month_label(month)}适用的党费基数，请先登记")
        items.append((month, rules.monthly_due(table, base.category, month, base.income_fen, base.fixed_due_fen), base))
    consent = p.quarterly_consent
    if consent is None:
        base_now = f.base_for(rules.month_of(paid_on)) or (items[-1][2] if items else None)
        consent = bool(base_now.quarterly_consent) if base_now is not None else False
    warnings = [f"{m.name}：{w}" for w in rules.check_payment(months, paid_on, consent)]
    amounts = rules.split_payment([c.due_fen for _, c, _ in items], p.amount_fen)
    return m, items, amounts, consent, warnings


def record_payments(
    db: Database,
    payments: Sequence[PaymentInput],
    paid_on: date,
    collected_by: str,
    entered_by: str = "",
    note: str = "",
    voucher_no: str = "",
) -> PaymentResult:
    """Record dues paid by one or more members on `paid_on`, and post their total as one 党费收缴 entry.

    All or nothing: a refused month anywhere leaves everything unrecorded.
    """
    auth.require(db, "dues.write")
    if not payments:
        raise ValidationError("交纳人", "请选择交纳党费的党员")
    collected_by = ledger_rules.clean_text(collected_by, "经办人")
    if not collected_by:
        raise ValidationError("收缴人", "请填写收缴人")
    if paid_on > date.today():
        raise ValidationError("交纳日期", "交纳日期不能晚于今天")
    ids = [p.member_id for p in payments]
    if len(set(ids)) != len(ids):
        raise ValidationError("交纳人", "同一党员在一次登记中只能出现一次，请把月份合在一起")
    with UnitOfWork(db) as uow:
        s = uow.session
        seed_rate_rules_in(s)
        table = rate_rules_in(s)
        book, account_id = _book_and_account(s)
        prepared = [_prepare(s, p, paid_on, table) for p in payments]
        total = sum(sum(amounts) for _, _, amounts, _, _ in prepared)
        if total <= 0:
            raise ValidationError("实交金额", "实交金额应大于 0（免交的月份无需登记）")
        all_months = sorted({month for _, items, _, _, _ in prepared for month, _, _ in items})
        if len(prepared) == 1:
            member = prepared[0][0]
            memo = f"{member.name}交纳{rules.months_label(all_months)}党费"
            counterparty = member.name
        else:
            memo = f"收缴{rules.months_label(all_months)}党费，{len(prepared)}人"
            counterparty = "党员交纳"
        if note.strip():
            memo += f"（{note.strip()}）"
        entry = ledger_service.post_in(s, ledger_service.EntryInput(
            entry_date=paid_on, account_id=account_id, direction=ledger_rules.INCOME, amount_fen=total,
            category=ledger_rules.DUES_COLLECTED, counterparty=counterparty, handler=collected_by,
            entered_by=entered_by, memo=memo, voucher_no=voucher_no,
        ))
        count = 0
        warnings: list[str] = []
        for member, items, amounts, consent, warns in prepared:
            warnings += warns
            for (month, calc, _base), amount in zip(items, amounts):
                rec = s.scalar(select(DuesRecord).where(DuesRecord.member_id == member.id, DuesRecord.month == month))
                if rec is None:
                    rec = DuesRecord(member_id=member.id, month=month)
                    s.add(rec)
                rec.org_id = member.org_id
                rec.category = calc.category
                rec.base_fen = calc.income_fen
                rec.rate_bp = calc.rate_bp
                rec.due_fen = calc.due_fen
                rec.paid_fen = amount
                rec.paid_on = paid_on
                rec.collected_by = collected_by
                rec.quarterly_consent = consent and month > rules.month_of(paid_on)
                rec.ledger_entry_id = entry.id
                rec.note = note.strip()
                rec.deleted = False
                count += 1
        uow.commit()
        return PaymentResult(entry.voucher_no, entry.id, total, count, tuple(warnings))


def record_payment(
    db: Database,
    member_id: str,
    months: Sequence[date],
    paid_on: date,
    collected_by: str,
    amount_fen: int | None = None,
    quarterly_consent: bool | None = None,
    note: str = "",
    entered_by: str = "",
) -> PaymentResult:
    """One member's payment for one or more months (see record_payments)."""
    auth.require(db, "dues.write")
    return record_payments(
        db, [PaymentInput(member_id, tuple(months), amount_fen, quarterly_consent)], paid_on, collected_by,
        entered_by=entered_by, note=note,
    )


def cancel_payment(
    db: Database,
    member_id: str,
    month: date,
    reason: str,
    on: date | None = None,
    entered_by: str = "",
) -> PaymentResult:
    """Undo a recorded payment (every month it covered for this member).

    The 党费收缴 entry is reversed (红字冲销, dated `on`); other members'
    payments it carried are posted again as a new entry, so nothing else changes.
    """
    auth.require(db, "dues.write")
    on = on or date.today()
    month = rules.month_of(month)
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_member(s, member_id)
        rec = s.scalar(select(DuesRecord).where(DuesRecord.member_id == m.id, DuesRecord.month == month))
        if rec is None or rec.paid_fen <= 0:
            raise NotFound(f"{m.name}{rules.month_label(month)}没有交纳记录")
        if rec.ledger_entry_id is None:
            raise Conflict("这条交纳记录没有对应的账目，无法撤销")
        entry = s.get(LedgerEntry, rec.ledger_entry_id)
        assert entry is not None
        on_entry = list(s.scalars(select(DuesRecord).where(DuesRecord.ledger_entry_id == entry.id)))
        mine = [r for r in on_entry if r.member_id == m.id]
        others = [r for r in on_entry if r.member_id != m.id]
        reversal = ledger_service.reverse_in(
            s, entry.id, f"撤销{m.name}{rules.months_label([r.month for r in mine])}党费交纳：{reason}",
            on, entered_by=entered_by, for_dues=True,
        )
        new_entry = None
        if others:
            total = sum(r.paid_fen for r in others)
            new_entry = ledger_service.post_in(s, ledger_service.EntryInput(
                entry_date=on, account_id=entry.account_id, direction=entry.direction, amount_fen=total,
                category=entry.category, counterparty=entry.counterparty, handler=entry.handler,
                entered_by=entered_by,
                memo=f"{entry.memo}（{entry.voucher_no} 冲销后重新入账，不含{m.name}）",
            ))
            for r in others:
                r.ledger_entry_id = new_entry.id
        for r in mine:
            r.paid_fen = 0
            r.paid_on = None
            r.collected_by = ""
            r.quarterly_consent = False
            r.ledger_entry_id = None
            r.note = f"已撤销（{on.isoformat()}）：{reason}".strip()
        uow.commit()
        return PaymentResult(
            reversal.voucher_no, reversal.id, reversal.amount_fen, len(mine),
            (f"其他党员的交纳已重新入账：凭证 {new_entry.voucher_no}",) if new_entry else (),
        )
