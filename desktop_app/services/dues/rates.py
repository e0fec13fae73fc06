"""The dues rate table (党费标准) as dated data: seeding the 2008 table, reading it, adding a new rule.

The rates are national rules: once a community is enrolled with a street, the street's
table is the one (sync.ownership refuses any other line from a community).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain import dues as rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.money import format_yuan, parse_yuan
from desktop_app.domain.sync_rules import COMMUNITY
from desktop_app.services import auth
from desktop_app.services.site import upper_in
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Site
from desktop_app.store.models_ledger import DuesRateRule
from desktop_app.store.models_sync import SyncIdentity

_seed_lock = threading.Lock()  # two background loads must not both seed the rate table


def _rule_from_row(r: DuesRateRule) -> RateRule:
    return RateRule(
        r.category, r.effective_from, r.over_fen, r.upto_fen, r.rate_bp, r.fixed_fen, r.min_fen, r.max_fen, r.note
    )


def rate_rules_in(s: Session) -> list[RateRule]:
    return [_rule_from_row(r) for r in s.scalars(select(DuesRateRule).where(DuesRateRule.deleted.is_(False)))]


def _set_above(s: Session) -> str:
    """Why an enrolled community may not change the rate table, naming whom it enrolled with (街道 or 区)."""
    up = upper_in(s)
    return f"本社区已加入{up}数据同步，党费比例由{up}统一设置；如需调整请联系{up}"


def _line_values(r: RateRule) -> dict:
    return {k: getattr(r, k) for k in ("category", "effective_from", "over_fen", "upto_fen", "rate_bp",
                                       "fixed_fen", "min_fen", "max_fen", "note")}


def seed_rate_rules_in(s: Session) -> None:
    """The 2008 table, under the ids every program gives it (domain.dues.default_rule_id), into an empty table."""
    if s.scalar(select(DuesRateRule.id).limit(1)) is None:
        for rid, r in rules.default_lines().items():
            s.add(DuesRateRule(id=rid, **_line_values(r)))
        s.flush()


def _seed_rate_rules(db: Database) -> None:
    """Seed the table now if it is empty (the caller checked the permission)."""
    with db.session() as s:
        if s.scalar(select(DuesRateRule.id).limit(1)):
            return
    try:
        with _seed_lock, UnitOfWork(db) as uow:
            seed_rate_rules_in(uow.session)
            uow.commit()
    except IntegrityError:  # another process (a server's second operator) seeded the same ids first
        pass


def street_sets_rates_in(s: Session) -> bool:
    """A community enrolled with a street: the rates are the street's (national rules, one table for all)."""
    row = s.get(SyncIdentity, 1)
    return row is not None and row.role == COMMUNITY and row.state == "enrolled"


def rates_locked(db: Database) -> str | None:
    """Why this database may not change the rate table (shown where it would be edited), or None."""
    auth.require(db, "dues.read")
    with db.session() as s:
        return _set_above(s) if street_sets_rates_in(s) else None


def take_street_rates_in(s: Session) -> int:
    """On enrolment: the lines this community set itself give way to the seeded table the street began with.

    They would be refused at the street (which takes no rate line but the seeded ones from a
    community), and the community could send nothing more. Its own new lines are tombstoned (a
    tombstone sets no rate, and the street takes it as such); seeded lines it changed are seeded
    again. Lines the street sent stay (a community enrolling again). Recorded dues keep their
    amounts. Returns how many lines changed.
    """
    me = s.scalar(select(Site.id).limit(1))
    seeded = rules.default_lines()
    changed = 0
    for row in s.scalars(select(DuesRateRule).where(DuesRateRule.updated_by_site == me)):
        line = seeded.get(row.id)
        want = {**_line_values(line), "deleted": False} if line is not None else {"deleted": True}
        if any(getattr(row, k) != v for k, v in want.items()):
            for k, v in want.items():
                setattr(row, k, v)
            changed += 1
    seed_rate_rules_in(s)  # (a community that never used dues)
    s.flush()
    return changed


def ensure_rate_rules(db: Database) -> None:
    """Seed the 2008 table the first time dues are used."""
    auth.require(db, "dues.read")
    _seed_rate_rules(db)


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
    with db.session() as s:  # first, so an enrolled community is not told about a table it may not set anyway
        if street_sets_rates_in(s):
            raise Conflict(_set_above(s))
    new = [r if r.effective_from.day == 1 else RateRule(**{**r.__dict__, "effective_from": rules.month_of(r.effective_from)})
           for r in new]
    rules.check_table(new)
    keys = {(r.category, r.effective_from) for r in new}
    with UnitOfWork(db) as uow:
        s = uow.session
        if street_sets_rates_in(s):  # enrolled meanwhile
            raise Conflict(_set_above(s))
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


# ---------------------------------------------------------------- the table in words, and a line as typed

_INCOME_WORDS = {rules.EMPLOYED: "月工资收入", rules.RETIRED: "月基本离退休费"}


def _yuan(fen: int) -> str:
    return format_yuan(fen, grouping=False).removesuffix(".00")


def rate_words(r: RateRule) -> str:
    """One line as the rules read: 「月工资收入3000元以下（含）交纳0.5%」, 「每月定额 0.20 元」, 「每月自愿 0.20–1.00 元」."""
    if r.rate_bp is not None:
        charge = f"交纳{rules.rate_text(r.rate_bp)}"
    elif r.fixed_fen is not None:
        charge = f"每月定额 {format_yuan(r.fixed_fen)} 元"
    else:
        charge = f"每月自愿 {format_yuan(r.min_fen or 0)}–{format_yuan(r.max_fen or 0)} 元"
    if r.over_fen is None and r.upto_fen is None:
        return charge
    income = _INCOME_WORDS.get(r.category, "月收入")
    if r.over_fen is None:
        bracket = f"{_yuan(r.upto_fen)}元以下（含）"
    elif r.upto_fen is None:
        bracket = f"{_yuan(r.over_fen)}元以上"
    else:
        bracket = f"{_yuan(r.over_fen)}元以上至{_yuan(r.upto_fen)}元（含）"
    return f"{income}{bracket}{'，' if charge.startswith('每月') else ''}{charge}"


@dataclass(frozen=True)
class RateTable:
    """One category's table from one month: in force today, superseded, or still to come."""

    category: str
    effective_from: date
    state: str  # 现行 / 已停用 / 待施行
    lines: tuple[RateRule, ...]

    @property
    def heading(self) -> str:
        return f"{self.category}　自 {self.effective_from:%Y-%m} 起（{self.state}）"

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(rate_words(r) for r in self.lines)


def rate_tables(table: Sequence[RateRule], today: date | None = None) -> list[RateTable]:
    """The table (as rate_rules gives it) per category, newest first, each marked against `today`."""
    month = rules.month_of(today or date.today())
    groups: dict[tuple[str, date], list[RateRule]] = {}
    for r in table:
        groups.setdefault((r.category, r.effective_from), []).append(r)
    out = []
    for (category, since), lines in groups.items():
        current = rules.rules_in_force(table, category, month)
        state = "待施行" if since > month else "现行" if current and current[0].effective_from == since else "已停用"
        lines.sort(key=lambda r: -1 if r.over_fen is None else r.over_fen)
        out.append(RateTable(category, since, state, tuple(lines)))
    return out


def parse_rate(text: str, field: str = "比例") -> int:
    """A percentage as typed ("0.5", "1.25%") → basis points; more than two decimals is refused, not rounded."""
    shown = (text or "").strip()
    s = unicodedata.normalize("NFKC", shown).removesuffix("%").strip()
    try:
        pct = Decimal(s)
    except InvalidOperation:
        raise ValidationError(field, f"“{shown}”不是比例，请填写如 0.5 的百分数") from None
    if not pct.is_finite() or not 0 <= pct <= 100:
        raise ValidationError(field, "比例应在 0 到 100% 之间")
    bp = pct * 100
    if bp != bp.to_integral_value():
        raise ValidationError(field, f"“{shown}”超过两位小数，比例只记到 0.01%")
    return int(bp)


def rate_line(category: str, since: date, over: str, upto: str, rate: str, fixed: str, most: str = "",
              where: str = "") -> RateRule:
    """One bracket as a worker types it (amounts in 元, the rate in %), read into fen and basis points.

    `rate`, else `fixed` alone (定额), else `fixed` and `most` (自愿 the one to the other).
    `where` ("第2行") starts every refusal, so the worker finds the line.
    """
    def yuan(text: str, name: str) -> int | None:
        return parse_yuan(text, f"{where}{name}") if text.strip() else None

    over_fen, upto_fen = yuan(over, "以上（元）"), yuan(upto, "至（元）")
    low, high = yuan(fixed, "定额或最低（元）"), yuan(most, "最高（元）")
    if rate.strip():
        if low is not None or high is not None:
            raise ValidationError(f"{where}交纳", "比例和定额只填一项")
        return RateRule(category, since, over_fen, upto_fen, rate_bp=parse_rate(rate, f"{where}比例"))
    if low is None:
        raise ValidationError(f"{where}交纳", "请填写比例（%）或定额（元）")
    if high is None:
        return RateRule(category, since, over_fen, upto_fen, fixed_fen=low)
    return RateRule(category, since, over_fen, upto_fen, min_fen=low, max_fen=high)


def rate_lines(category: str, since: date, rows: Sequence[Sequence[str]], first_row: int = 1) -> list[RateRule]:
    """A category's new table as typed, one row a bracket (以上, 至, 比例, 定额或最低, 最高; blank rows skipped).

    Every refusal names the row (第N行, counted from `first_row`): the dialog's and the CSV's
    rows as the worker sees them, where check_table could only name the bracket.
    """
    category = rules.check_category(category)
    read = []
    for n, cells in enumerate(rows, start=first_row):
        cells = [str(c or "") for c in cells] + [""] * (5 - len(cells))
        if any(c.strip() for c in cells):
            read.append((n, rate_line(category, since, *cells[:5], where=f"第{n}行")))
    if not read:
        raise ValidationError("党费比例", "请至少填写一档")
    broken = rules.table_break([r for _n, r in read])
    if broken is not None:
        i, why = broken
        raise ValidationError(f"第{read[i][0]}行", why)
    return [r for _n, r in read]
