"""Dues queries: a branch's yearly grid, the registry of every branch, a member's year, arrears, last paid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from desktop_app.domain import dues as rules
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import auth
from desktop_app.services.dues.facts import (
    ENDED_STATUSES,
    DuesCalculator,
    belongs_to_year,
    facts_of,
    last_paid_map,
    live_member,
    members_of,
    month_cell,
    month_state,
    rate_label,
)
from desktop_app.services.dues.rates import ensure_rate_rules, rate_rules_in
from desktop_app.services.orgs import tree_nodes
from desktop_app.services.site import center_name
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_ledger import DuesBase
from desktop_app.views.dues import (
    OWED,
    PARTIAL,
    ArrearsRow,
    DuesGrid,
    GridRow,
    MonthCell,
    NoBaseRow,
)


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
        for f in facts_of(s, members_of(s, org_id), year):
            if not belongs_to_year(f, year):
                continue
            cells = tuple(month_cell(f, m, due_of, today) for m in months)
            base = f.base_for(ref_month) or (f.bases[0] if f.bases else None)
            category, income, due, basis, consent, rate = "", 0, 0, "未登记党费基数", False, ""
            if base is not None:
                category, income, consent = base.category, base.income_fen, base.quarterly_consent
                try:
                    calc = rules.monthly_due(table, base.category, ref_month, base.income_fen, base.fixed_due_fen)
                    due, basis, rate = calc.due_fen, calc.basis, rate_label(calc)
                except ValidationError as exc:
                    basis = exc.message
            rows.append(GridRow(f.id, f.seq, f.name, category, income, due, basis, cells, consent, rate,
                                base.effective_from if base is not None else None))
        center = center_name(s)
        return DuesGrid(center, org.id, org.name, year, today, tuple(rows))


def registry_grids(
    db: Database, year: int, branch: str | None = None, today: date | None = None
) -> list[DuesGrid]:
    """The 党费收缴登记表 data of every 党支部 (or the one whose id, code or name is `branch`)."""
    auth.require(db, "dues.read")
    with db.session() as s:
        # A street's communities each have a 第五网格党支部: 109 bare names in a row told the street nothing.
        # Named and ordered as the 名册 heads them (康乐社区 · 第五网格党支部); a community's names stay bare.
        branches = [n for n in tree_nodes(s) if n.kind == "branch"]
    if branch:
        wanted = branch.strip()
        branches = [b for b in branches if wanted in (b.id, b.code, b.name, b.shown)] or [
            b for b in branches if wanted in b.shown
        ]
        if len(branches) != 1:
            raise ValidationError("党支部", f"找不到唯一的党支部“{wanted}”" if not branches
                                  else f"“{wanted}”对应多个党支部，请写全名或组织代码："
                                  + "、".join(f"{b.shown}（{b.code}）" for b in branches[:5])
                                  + ("等" if len(branches) > 5 else ""))
    return [replace(branch_grid(db, b.id, year, today), org_name=b.shown) for b in branches]


def member_year(db: Database, member_id: str, year: int, today: date | None = None) -> tuple[MonthCell, ...]:
    auth.require(db, "dues.read")
    today = today or date.today()
    ensure_rate_rules(db)
    with db.session() as s:
        m = live_member(s, member_id)
        table = rate_rules_in(s)
        f = facts_of(s, [m], year)[0]
        return tuple(month_cell(f, date(year, k, 1), DuesCalculator(table), today) for k in range(1, 13))


def due_for(db: Database, member_id: str, month: date) -> rules.DueCalc | None:
    """The dues a member owes for `month` by their base and the table; None without a base."""
    auth.require(db, "dues.read")
    ensure_rate_rules(db)
    month = rules.month_of(month)
    with db.session() as s:
        m = live_member(s, member_id)
        f = facts_of(s, [m], month.year)[0]
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
        members = [m for m in members_of(s, org_id) if m.status not in GONE_STATUSES]
        last_paid = last_paid_map(s, [m.id for m in members])
        out = []
        for f in facts_of(s, members, everyone=org_id is None):
            start = f.first_month()
            if start is None or start > last:
                continue
            end = min(last, f.ended) if f.ended is not None else last
            unpaid, owed = [], 0
            current = rules.month_of(today)
            for month in rules.month_range(start, end) if start <= end else []:
                state, due, rec = month_state(f, month, due_of, current)
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
            for m in members_of(s, org_id)
            if m.id not in with_base and m.status not in ENDED_STATUSES and m.party_status != "停止党籍"
        ]


def dues_last_paid(db: Database, member_id: str) -> date | None:
    """The last day the member paid any dues (None: never recorded)."""
    auth.require(db, "dues.read")
    with db.session() as s:
        return last_paid_map(s, [member_id]).get(member_id)


def dues_last_paid_map(db: Database, member_ids: Sequence[str] | None = None) -> dict[str, date]:
    """dues_last_paid for many members at once (all members when None); unpaid members are absent."""
    auth.require(db, "dues.read")
    with db.session() as s:
        return last_paid_map(s, member_ids)
