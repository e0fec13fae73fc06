"""Demo data for the ledger and dues: last calendar year and this year to date.

Runs after the demo community (demo/community.py) is written (site, branches,
members); services.demo first sets up the book's accounts and the dues rate
table, as the ledger and dues services keep them, and hands them in.
It fills the four funds with a carried-forward balance, the street office's
grants, a year of expenses (慰问, 活动, 微实事 works, training, office), a few
mistakes corrected by 红字冲销, budgets (some near or over), closed months up
to the month before last, and members' dues: bases from their jobs, monthly
collections per branch posted to the 党费 account, quarterly payers with
consent, late payers (some beyond six months), 失联 members in arrears, and
the quarterly 上缴党费 to the street.

Everything is planned in memory from one seeded Random, then written with
bulk inserts through the caller's session (STYLE.md: never one ORM object per row).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.demo import pools
from desktop_app.demo.bulk import insert_rows
from desktop_app.demo.cobuilding import moved_to_register
from desktop_app.domain import dues as dues_rules
from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import Conflict
from desktop_app.domain.idcard import FEMALE, MALE
from desktop_app.domain.ledger import EXPENSE, INCOME
from desktop_app.domain.orgs import OrgKind
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_service import Project
from desktop_app.store.models_ledger import (
    Account, Budget, ClosedMonth, DuesBase, DuesRecord, LedgerEntry,
)

SERVICE, PARTY, ACTIVITY, DUES = "服务群众专项经费", "党建工作经费", "党组织活动经费", "党费"

# (months, account, category, memo, counterparties, yuan range, chance in a given month)
_EVENTS: tuple[tuple[tuple[int, ...], str, str, str, tuple[str, ...], tuple[int, int], float], ...] = (
    ((1,), SERVICE, "慰问", "春节走访慰问困难群众、独居老人（米面油）", ("华联超市", "苏果超市", "惠民粮油店"), (6000, 12000), 1.0),
    ((1, 2), ACTIVITY, "慰问", "春节慰问老党员、生活困难党员", ("慰问对象（签领表附后）",), (3000, 6000), 0.6),
    ((2,), SERVICE, "活动", "元宵节猜灯谜邻里活动用品", ("惠民超市", "文化用品商店"), (800, 1800), 0.8),
    ((3,), SERVICE, "活动", "学雷锋志愿服务活动物资", ("惠民超市", "五金日杂店"), (600, 1500), 0.9),
    ((4,), PARTY, "培训", "党务工作者培训资料及场地", ("区委党校", "新华书店"), (1000, 3000), 0.9),
    ((4, 5), SERVICE, "设施改造", "党群服务中心活动室改造（微实事）", ("鑫盛装饰工程有限公司", "宏达建筑装饰有限公司"), (20000, 45000), 0.5),
    ((5,), SERVICE, "活动", "“邻里节”文艺汇演场地布置", ("广告制作部", "文化传媒有限公司"), (2000, 4000), 0.7),
    ((6,), SERVICE, "活动", "端午节包粽子邻里活动", ("惠民超市", "农贸市场"), (1500, 3000), 0.9),
    ((6, 7), ACTIVITY, "慰问", "“七一”走访慰问老党员、困难党员", ("慰问对象（签领表附后）",), (3000, 6000), 1.0),
    ((7,), PARTY, "活动", "庆祝建党节主题党日活动", ("红色教育基地", "客运服务公司"), (2000, 5000), 0.9),
    ((8,), SERVICE, "设施改造", "小区楼道照明改造（微实事）", ("明亮电器工程部", "安居水电维修部"), (8000, 15000), 0.7),
    ((8, 9), SERVICE, "活动", "暑期青少年托管班活动材料", ("文具店", "新华书店"), (1000, 2500), 0.6),
    ((9,), SERVICE, "活动", "中秋邻里游园会", ("惠民超市", "食品商店"), (2000, 4000), 0.9),
    ((10,), SERVICE, "慰问", "重阳节慰问高龄、独居老人", ("华联超市", "乳品专卖店"), (5000, 9000), 1.0),
    ((10, 11), SERVICE, "设施改造", "居民议事厅桌椅购置（微实事）", ("家具城", "办公家具有限公司"), (6000, 12000), 0.4),
    ((11,), PARTY, "培训", "党员冬训教材及资料", ("新华书店", "区委党校"), (1500, 3000), 0.9),
    ((11, 12), PARTY, "资料订阅", "下年度党报党刊订阅", ("邮政局",), (1500, 2500), 0.7),
    ((12,), PARTY, "宣传", "党建宣传栏、展板制作", ("广告制作部", "文化传媒有限公司"), (2000, 5000), 0.8),
    ((3, 6, 9, 12), PARTY, "宣传", "宣传横幅、海报印制", ("广告制作部", "图文快印店"), (200, 900), 0.6),
)
_MONTHLY: tuple[tuple[str, str, str, tuple[str, ...], tuple[int, int], float], ...] = (
    (ACTIVITY, "活动", "主题党日活动用品", ("惠民超市", "文化用品商店"), (150, 800), 0.8),
    (SERVICE, "办公", "办公用品（打印纸、硒鼓、文件盒）", ("文具店", "办公用品商行"), (150, 900), 0.7),
    (SERVICE, "办公", "党群服务中心活动室水电费", ("供电公司", "自来水公司"), (300, 900), 0.5),
)
# Monthly income after tax of employed members, yuan.
_INCOME_BANDS: pools.Weighted[tuple[int, int]] = pools.Weighted([
    ((2200, 3000), 10), ((3001, 5000), 35), ((5001, 8000), 35), ((8001, 12000), 15), ((12001, 20000), 5),
])
_MISTAKES = (
    "金额录入错误，重新入账",
    "账户选错，应记入党建工作经费",
    "发票作废，已重新开具",
)


@dataclass
class _Entry:
    entry_date: date
    account: str  # account name
    direction: str
    amount_fen: int
    category: str
    memo: str
    counterparty: str
    handler: str
    entered_by: str
    id: str = field(default_factory=new_id)
    reversal_of: _Entry | None = None
    reason: str = ""
    voucher_no: str = ""
    project_id: str | None = None  # a 微实事 project's cost (已记账 on its page)


@dataclass
class _MemberPlan:
    id: str
    name: str
    branch: str  # branch org id
    category: str
    income_fen: int
    profile: str  # regular / quarterly / late / lost
    first_month: date
    stop_month: date | None  # 失联: no payments from this month on
    raise_fen: int = 0  # new income from this year's January (yearly base)
    fixed_due_fen: int | None = None


class DueCalculator(Protocol):
    """What the dues service computes a month's due with (services.dues.DuesCalculator)."""

    def calc(self, base: Any, month: date) -> Any: ...


class _Base(NamedTuple):
    """A member's dues base as the calculator reads it."""

    category: str
    income_fen: int
    fixed_due_fen: int | None


def check_empty(s: Session) -> None:
    if s.scalar(select(func.count()).select_from(LedgerEntry)):
        raise Conflict("经费台账中已有数据，演示数据只能填入空台账")


def fill(s: Session, site_id: str, seed: int, today: date, *, book: str | None, dues_account_id: str,
         rate_table: list, due_of: DueCalculator) -> dict[str, int]:
    """The ledger and dues of the community in `s`; same seed and day, same books. Counts of what was added.

    The book's accounts (with the 党费 account `dues_account_id`) and the dues
    `rate_table` must be in place; `due_of` computes a base's due in a month.
    """
    rng = random.Random(f"ledger-{seed}")
    check_empty(s)
    accounts = {
        a.name: a.id for a in s.scalars(select(Account).where(Account.org_id == book, Account.deleted.is_(False)))
    }
    accounts[DUES] = dues_account_id
    street = s.scalar(
        select(Organization.name).where(Organization.kind == OrgKind.STREET.value, Organization.deleted.is_(False))
    ) or "街道党工委"
    planner = _Planner(rng, today, street)
    planner.staff()
    planner.funds()
    members = _load_members(s)
    # Dues of the community's members only: the 在职党员 the demo moves into the 双报到 register pay at work.
    away = moved_to_register(s, today)
    planner.dues([m for m in members if m[0] not in away], rate_table, due_of)
    planner.remittances()
    planner.mistakes()
    budgets = planner.budgets()
    planner.projects(_done_projects(s, planner.start, today))
    planner.number_vouchers()
    now = utcnow()
    return _write(s, site_id, now, book, accounts, planner, budgets)


def _load_members(s) -> list[tuple]:
    branch_of: dict[str, str] = {}
    orgs = s.execute(
        select(Organization.id, Organization.kind, Organization.parent_id).where(Organization.deleted.is_(False))
    ).all()
    parent = {oid: pid for oid, _, pid in orgs}
    kind = {oid: k for oid, k, _ in orgs}
    for oid, _, _ in orgs:
        cur: str | None = oid
        while cur is not None and kind.get(cur) != OrgKind.BRANCH.value:
            cur = parent.get(cur)
        if cur is not None:
            branch_of[oid] = cur
    rows = s.execute(
        select(
            Member.id, Member.name, Member.org_id, Member.job, Member.status, Member.party_status,
            Member.is_hardship, Member.joined_date, Member.lost_date,
        ).where(Member.deleted.is_(False)).order_by(Member.seq)
    ).all()
    return [(*r[:2], branch_of.get(r[2]), *r[3:]) for r in rows if branch_of.get(r[2])]


def _done_projects(s: Session, start: date, today: date) -> list[tuple[str, str, int, date]]:
    """The two latest 微实事 projects finished within the books' span, with what was typed as spent."""
    return [tuple(r) for r in s.execute(
        select(Project.id, Project.name, Project.actual_cost_fen, Project.completed_on).where(
            Project.deleted.is_(False), Project.actual_cost_fen > 0, Project.completed_on.between(start, today))
        .order_by(Project.completed_on.desc(), Project.project_no).limit(2))]


class _Planner:
    def __init__(self, rng: random.Random, today: date, street: str):
        self.rng = rng
        self.today = today
        self.street = street
        self.start = date(today.year - 1, 1, 1)
        self.entries: list[_Entry] = []
        self.bases: list[dict] = []
        self.records: list[dict] = []
        self.collected: dict[tuple[int, int], int] = defaultdict(int)  # (year, quarter) → fen

    # -- helpers

    def _day(self, year: int, month: int, lo: int = 1, hi: int = 28) -> date | None:
        d = date(year, month, self.rng.randint(lo, hi))
        return d if d <= self.today else None

    def _yuan(self, lo: int, hi: int) -> int:
        """An amount a receipt would show: whole yuan mostly, sometimes jiao and fen."""
        whole = self.rng.randint(lo, hi)
        if whole >= 2000:
            whole = whole // 10 * 10
        cents = self.rng.choice((0, 0, 0, 50, self.rng.randint(1, 99)))
        return whole * 100 + cents

    def _months(self) -> list[date]:
        return dues_rules.month_range(self.start, self.today)

    def staff(self) -> None:
        rng = self.rng
        self.secretary = pools.person_name(rng, MALE if rng.random() < 0.5 else FEMALE, 1972)
        self.bookkeeper = pools.person_name(rng, FEMALE, 1985)
        self.worker = pools.person_name(rng, MALE if rng.random() < 0.5 else FEMALE, 1990)

    def add(self, d: date, account: str, direction: str, fen: int, category: str, memo: str, who: str = "",
            counterparty: str = "") -> _Entry:
        e = _Entry(d, account, direction, fen, category, memo, counterparty, who or self.worker, self.bookkeeper)
        self.entries.append(e)
        return e

    # -- funds

    def funds(self) -> None:
        rng = self.rng
        first = self.start
        for account, (lo, hi) in ((SERVICE, (30000, 80000)), (PARTY, (5000, 15000)), (ACTIVITY, (2000, 8000))):
            self.add(first, account, INCOME, self._yuan(lo, hi), rules.CARRIED_FORWARD,
                     f"{first.year - 1}年结余转入", self.bookkeeper, "上年结余")
        for year in (self.start.year, self.today.year):
            grant = rng.randint(8, 14) * 10000  # yuan
            for month, share, note in ((3, 60, "第一批"), (8, 40, "第二批")):
                d = self._day(year, month, 5, 20)
                if d:
                    self.add(d, SERVICE, INCOME, grant * share // 100 * 100, "上级拨款",
                             f"{year}年服务群众专项经费{note}", self.secretary, f"{self.street.removesuffix('党工委')}办事处")
            d = self._day(year, 4, 1, 15)
            if d:
                self.add(d, PARTY, INCOME, rng.randint(10, 25) * 100000, "上级拨款", f"{year}年党建工作经费",
                         self.secretary, self.street)
            d = self._day(year, 3, 10, 25)
            if d:
                self.add(d, ACTIVITY, INCOME, rng.randint(8, 15) * 100000, "上级拨款",
                         f"上级党委下拨党费（{year}年党组织活动经费）", self.secretary, self.street)
        for month in self._months():
            for months, account, category, memo, parties, (lo, hi), chance in _EVENTS:
                if month.month in months and rng.random() < chance / len(months):
                    d = self._day(month.year, month.month)
                    if d:
                        self.add(d, account, EXPENSE, self._yuan(lo, hi), category, memo,
                                 rng.choice((self.worker, self.secretary)), rng.choice(parties))
            for account, category, memo, parties, (lo, hi), chance in _MONTHLY:
                if rng.random() < chance:
                    d = self._day(month.year, month.month)
                    if d:
                        self.add(d, account, EXPENSE, self._yuan(lo, hi), category, memo, self.worker,
                                 rng.choice(parties))

    # -- dues

    def dues(self, members: list[tuple], table, due_of: DueCalculator) -> None:
        rng = self.rng
        plans: list[_MemberPlan] = []
        for mid, name, branch, job, status, party_status, hardship, joined, lost in members:
            if status in ("去世", "转出") or party_status != "正常":
                continue
            first = max(self.start, dues_rules.month_of(joined)) if joined else self.start
            if first > self.today:
                continue
            fixed = None
            if job == pools.RETIRED:
                category, income = dues_rules.RETIRED, int(rng.triangular(2400, 8000, 3800)) * 100
            elif job == pools.STUDENT:
                category, income = dues_rules.STUDENT, 0
            elif job == pools.UNEMPLOYED:
                category, income = (dues_rules.SUBSISTENCE if hardship else dues_rules.UNEMPLOYED), 0
            else:
                category = dues_rules.EMPLOYED
                lo, hi = _INCOME_BANDS.pick(rng)
                income = rng.randint(lo, hi) * 100 + rng.choice((0, 0, rng.randint(1, 99)))
            if category == dues_rules.RETIRED and hardship and rng.random() < 0.5:
                fixed = 0  # 经批准免交
            profile = "regular"
            stop = None
            if status == "失联":
                profile = "lost"
                stop = dues_rules.month_of(lost) if lost and lost > self.start else dues_rules.add_months(
                    self.start, rng.randint(0, 8))
            elif status == "流动":
                profile = "quarterly" if rng.random() < 0.5 else "late"
            elif rng.random() < 0.06:
                profile = "late"
            elif rng.random() < 0.05:
                profile = "quarterly"
            raise_fen = 0
            if category in dues_rules.INCOME_CATEGORIES and first < date(self.today.year, 1, 1) and rng.random() < 0.3:
                raise_fen = income + rng.randint(1, 8) * 10000
            plans.append(_MemberPlan(mid, name, branch, category, income, profile, first, stop, raise_fen, fixed))
        for p in plans:
            base = {
                "member_id": p.id, "effective_from": self.start if p.first_month <= self.start else p.first_month,
                "category": p.category, "income_fen": p.income_fen, "fixed_due_fen": p.fixed_due_fen,
                "quarterly_consent": p.profile == "quarterly",
                "note": "困难党员，经党委批准免交" if p.fixed_due_fen == 0 else "",
            }
            self.bases.append(base)
            if p.raise_fen:
                self.bases.append({
                    **base, "effective_from": date(self.today.year, 1, 1), "income_fen": p.raise_fen,
                    "note": "年度基数调整",
                })
        self.calculator = due_of
        self._collect(plans, table)

    def _due(self, p: _MemberPlan, month: date, table) -> tuple[int, int, int | None]:
        income = p.raise_fen if p.raise_fen and month.year == self.today.year else p.income_fen
        base = _Base(p.category, income, p.fixed_due_fen)
        calc = self.calculator.calc(base, month)
        return calc.due_fen, income, calc.rate_bp

    def _collect(self, plans: list[_MemberPlan], table) -> None:
        rng = self.rng
        by_branch: dict[str, list[_MemberPlan]] = defaultdict(list)
        for p in plans:
            by_branch[p.branch].append(p)
        collector = {b: rng.choice(ps).name for b, ps in by_branch.items()}
        paid_until: dict[str, date] = {}  # the last month each member has paid for
        for month in self._months():
            for branch, ps in by_branch.items():
                paid_on = date(month.year, month.month, rng.randint(5, 15))
                if paid_on > self.today:
                    continue
                batch: list[tuple[_MemberPlan, list[date]]] = []
                for p in ps:
                    if month < p.first_month:
                        continue
                    owed_from = dues_rules.add_months(paid_until[p.id], 1) if p.id in paid_until else p.first_month
                    months: list[date] = []
                    if p.profile == "lost" and p.stop_month is not None and month >= p.stop_month:
                        continue
                    if p.profile == "quarterly":
                        if month.month % 3 == 1 or owed_from < month:
                            end = dues_rules.quarter_months(month)[-1]
                            months = [m for m in dues_rules.month_range(owed_from, end) if m >= p.first_month]
                    elif p.profile == "late":
                        if rng.random() < 0.15:
                            months = dues_rules.month_range(owed_from, month) if owed_from <= month else []
                    elif rng.random() < 0.93:
                        months = dues_rules.month_range(owed_from, month) if owed_from <= month else []
                    if months:
                        batch.append((p, months))
                        paid_until[p.id] = months[-1]
                if batch:
                    self._post_batch(branch, collector[branch], paid_on, batch, table)

    def _post_batch(self, branch: str, collector: str, paid_on: date, batch, table) -> None:
        entry_id = new_id()
        total = 0
        all_months: set[date] = set()
        for p, months in batch:
            for m in months:
                due, income, rate = self._due(p, m, table)
                if due == 0:
                    continue
                total += due
                all_months.add(m)
                self.records.append({
                    "member_id": p.id, "month": m, "org_id": p.branch, "category": p.category, "base_fen": income,
                    "rate_bp": rate, "due_fen": due, "paid_fen": due, "paid_on": paid_on, "collected_by": collector,
                    "quarterly_consent": p.profile == "quarterly" and m > dues_rules.month_of(paid_on),
                    "ledger_entry_id": entry_id, "note": "",
                })
        if total == 0:
            return
        people = len({p.id for p, months in batch})
        memo = f"收缴{dues_rules.months_label(sorted(all_months))}党费，{people}人"
        e = self.add(paid_on, DUES, INCOME, total, rules.DUES_COLLECTED, memo, collector, "党员交纳")
        e.id = entry_id
        self.collected[(paid_on.year, (paid_on.month - 1) // 3 + 1)] += total

    def remittances(self) -> None:
        """上缴党费: each quarter's collections go to the street in the following month."""
        for (year, quarter), fen in sorted(self.collected.items()):
            month = quarter * 3 + 1
            y, m = (year + 1, 1) if month > 12 else (year, month)
            d = self._day(y, m, 16, 25)
            if d and fen:
                self.add(d, DUES, EXPENSE, fen, rules.DUES_REMITTED, f"上缴{year}年第{quarter}季度党费",
                         self.bookkeeper, self.street)

    def mistakes(self) -> None:
        """A few wrong entries, each reversed (红字冲销) and, mostly, entered again correctly."""
        rng = self.rng
        candidates = [e for e in self.entries if e.direction == EXPENSE and e.category not in (rules.DUES_REMITTED,)]
        for reason in _MISTAKES:
            if not candidates:
                return
            wrong = rng.choice(candidates)
            candidates.remove(wrong)
            d = wrong.entry_date + timedelta(days=rng.randint(0, 6))
            if d > self.today:
                continue
            rev = self.add(d, wrong.account, wrong.direction, -wrong.amount_fen, wrong.category, "",
                           wrong.handler, wrong.counterparty)
            rev.reversal_of, rev.reason = wrong, reason
            if reason.startswith("账户选错"):
                self.add(d, PARTY, wrong.direction, wrong.amount_fen, wrong.category, wrong.memo, wrong.handler,
                         wrong.counterparty)
            elif reason.startswith("金额"):
                right = wrong.amount_fen
                wrong.amount_fen = right * 10  # the slip: an extra digit
                rev.amount_fen = -wrong.amount_fen
                self.add(d, wrong.account, wrong.direction, right, wrong.category, wrong.memo, wrong.handler,
                         wrong.counterparty)

    def projects(self, done: list[tuple[str, str, int, date]]) -> None:
        """微实事 paid from the books: the latest booked in full (材料 and 施工), the one before only in part
        (the rest came from the street's funds), so the page shows 已记账 both equal to 实际支出 and not."""
        for (pid, name, cost, completed), share in zip(done, (100, 60)):
            booked = cost * share // 100
            material = booked * 7 // 10
            for part, fen, d in (("材料费", material, completed - timedelta(days=12)), ("施工费", booked - material,
                                                                                   completed)):
                e = self.add(max(d, self.start), SERVICE, EXPENSE, fen, "设施改造", f"微实事：{name}；{part}",
                             self.worker, "社区便民维修队" if part == "施工费" else "五金建材店")
                e.project_id = pid

    # -- budgets and numbering

    def budgets(self) -> list[tuple[str, int, str, int]]:
        """(account, year, category, fen): roomy for most lines, tight for one or two."""
        rng = self.rng
        spent: dict[tuple[str, int, str], int] = defaultdict(int)
        for e in self.entries:
            if e.direction == EXPENSE and e.account != DUES:
                spent[(e.account, e.entry_date.year, e.category)] += e.amount_fen
                spent[(e.account, e.entry_date.year, "")] += e.amount_fen
        out = []
        last_year, this_year = self.start.year, self.today.year
        keys = sorted({(a, c) for (a, y, c) in spent if y == last_year})
        category_keys = [k for k in keys if k[1]]
        tight = set(rng.sample(category_keys, min(2, len(category_keys))))

        def budget(fen: float) -> int:  # whole thousands of yuan
            return max(1, round(fen / 100000)) * 100000

        for account, category in keys:
            actual = spent[(account, last_year, category)]
            this_actual = spent.get((account, this_year, category), 0)
            if (account, category) in tight:  # one line ran over, one is nearly used up
                out.append((account, last_year, category, budget(actual * rng.uniform(0.9, 0.98))))
                out.append((account, this_year, category, budget(max(this_actual, 1) * rng.uniform(1.02, 1.15))))
            else:
                out.append((account, last_year, category, budget(actual * rng.uniform(1.15, 1.5))))
                out.append((account, this_year, category, budget(max(actual, this_actual) * rng.uniform(1.3, 1.6))))
        return out

    def number_vouchers(self) -> None:
        self.entries.sort(key=lambda e: (e.entry_date, e.reversal_of is not None))
        seq: dict[int, int] = defaultdict(int)
        for e in self.entries:
            seq[e.entry_date.year] += 1
            e.voucher_no = rules.format_voucher(e.entry_date.year, seq[e.entry_date.year])
        for e in self.entries:
            if e.reversal_of is not None:
                e.memo = rules.reversal_memo(e.reversal_of.voucher_no, e.reason)

    def closed_months(self) -> list[date]:
        """Every month up to the one before last: the last ended month is left for the user to close."""
        last = dues_rules.add_months(dues_rules.month_of(self.today), -2)
        return [m for m in self._months() if m <= last]


def _write(s, site_id: str, now, book, accounts: dict[str, str], plan: _Planner, budgets) -> dict[str, int]:
    def bulk(model, rows: list[dict]) -> None:
        insert_rows(s, model, rows, site_id, now)

    entry_rows = [
        {
            "id": e.id, "org_id": book, "account_id": accounts[e.account], "entry_date": e.entry_date,
            "direction": e.direction, "amount_fen": e.amount_fen, "category": e.category, "voucher_no": e.voucher_no,
            "counterparty": e.counterparty, "handler": e.handler, "entered_by": e.entered_by, "memo": e.memo,
            "reversal_of": e.reversal_of.id if e.reversal_of else None,
            "project_id": e.project_id, "meeting_id": None, "activity_id": None,
        }
        for e in plan.entries
    ]
    # Originals before their reversals (the self-reference is checked per row).
    entry_rows.sort(key=lambda r: r["reversal_of"] is not None)
    bulk(LedgerEntry, entry_rows)
    bulk(Budget, [
        {"account_id": accounts[a], "year": y, "category": c, "amount_fen": fen, "note": ""}
        for a, y, c, fen in budgets
    ])
    bulk(DuesBase, plan.bases)
    bulk(DuesRecord, plan.records)
    closed = plan.closed_months()
    bulk(ClosedMonth, [
        {"org_id": book, "month": m, "closed_by": plan.bookkeeper, "note": ""} for m in closed
    ])
    return {
        "entries": len(entry_rows),
        "reversals": sum(1 for e in plan.entries if e.reversal_of is not None),
        "budgets": len(budgets),
        "closed_months": len(closed),
        "dues_bases": len(plan.bases),
        "dues_records": len(plan.records),
    }
