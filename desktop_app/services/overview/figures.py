"""The 工作台's figures of a year beside last year's, and the four charts, in one call.

Each figure is counted the way the page behind it lists its records (held
meetings by their date, problems by the visit date, 办结 by the resolution
date, money by the entry date), so a click shows the rows that make the number.
A street office may narrow every figure to one community (`community`, an org id); a 网格员's
figures are of their own grids, as their lists are (counts.grid_scope).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import extract, func, select, true
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain.service_flow import Period
from desktop_app.domain.site import level_label, own_books
from desktop_app.services import auth, service_stats
from desktop_app.services.database import Database
from desktop_app.services.membership import members_on
from desktop_app.services.orgtree import subtree_ids
from desktop_app.services.overview.counts import grid_scope
from desktop_app.services.overview.shared import Shared
from desktop_app.services.site import center_name
from desktop_app.store.scope import OutOfScope, reach
from desktop_app.store.models import Organization, Site
from desktop_app.store.models_ledger import DuesRecord
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.views.overview import Charts, CommunityColumn, Dashboard, Figure

MEMBERS, DEVELOPMENT, REPORTING, MEETINGS, COMPLIANCE = "党员名册", "发展党员", "双报到", "三会一课", "三会一课落实"
ACTIVITIES, VISITS, WISHES, PROJECTS, LEDGER, DUES = "共建活动", "走访", "微心愿", "微实事", "经费台账", "党费"


# Stable keys for the kinds counted one by one (the JSON of `dangqun stats` names them so). Every kind
# of domain.meetings has one, so the kinds' lines add up to 召开会议 (test_overview_cli pins it).
KIND_KEYS = (
    ("meetings_congress", meeting_rules.BRANCH_CONGRESS), ("meetings_committee", meeting_rules.COMMITTEE),
    ("meetings_group", meeting_rules.GROUP_MEETING), ("meetings_lecture", meeting_rules.PARTY_LECTURE),
    ("meetings_theme_day", meeting_rules.THEME_DAY), ("meetings_org_life", meeting_rules.ORG_LIFE),
    ("meetings_evaluation", meeting_rules.EVALUATION), ("meetings_joint", meeting_rules.JOINT),
)


def _as_of(year: int, today: date) -> date:
    return date(year, 12, 31) if year < today.year else today


def scope_ids(s: Session, community: str | None) -> set[str] | None:
    """The organisations a community's figures cover (None: everything in this database).
    A community outside a confined account's subtree is refused, not counted as empty."""
    if not community:
        return None
    reached = reach(s)
    if reached is not None and community not in reached:
        raise OutOfScope("当前账户只管本单位及下级组织的数据：所选社区不在其中")
    return set(subtree_ids(s, community))


def overview_scope(db: Database, s: Session, community: str | None) -> tuple[set[str] | None, str]:
    """The organisations the 概览 covers and its name for them ("": the whole database): at a street the
    community chosen, for a 网格员 their grids (counts.grid_scope), else everything the account reads."""
    if community:
        return scope_ids(s, community), s.get(Organization, community).name
    return grid_scope(db, s)


def _in(col, ids: set[str] | None):
    return col.in_(ids) if ids is not None else true()


def _members(s: Session, ids: set[str] | None, day: date) -> tuple[int, int, int]:
    full = prob = 0
    for one in members_on(s, day, ids).values():
        if one.category == "预备党员":
            prob += 1
        elif one.category == "正式党员":
            full += 1
    return full + prob, full, prob


def _held(s: Session, ids: set[str] | None, year: int, day: date):
    return (Meeting.deleted.is_(False), Meeting.status == meeting_rules.HELD,
            Meeting.meeting_date >= date(year, 1, 1), Meeting.meeting_date <= day, _in(Meeting.org_id, ids))


def _meetings(s: Session, ids: set[str] | None, year: int, day: date) -> dict[str, list[int]]:
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for kind, month, n in s.execute(
        select(Meeting.kind, extract("month", Meeting.meeting_date), func.count())
        .where(*_held(s, ids, year, day)).group_by(Meeting.kind, extract("month", Meeting.meeting_date))
    ):
        by_kind[kind][int(month) - 1] += int(n)
    return by_kind


def _attendance(s: Session, ids: set[str] | None, year: int, day: date) -> list[tuple[int, int]]:
    """(present, expected) per month: 列席 guests are not expected; the excused are unless present."""
    out = [[0, 0] for _ in range(12)]
    month = extract("month", Meeting.meeting_date)
    expected = (Attendance.is_guest.is_(False)) & (
        (Attendance.excused_reason == "") | (Attendance.status == meeting_rules.PRESENT))
    # Grouped by the status itself: PostgreSQL does not match a compared expression's two bound copies.
    for m, status, n in s.execute(
        select(month, Attendance.status, func.count())
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(*_held(s, ids, year, day), Attendance.deleted.is_(False), expected)
        .group_by(month, Attendance.status)
    ):
        out[int(m) - 1][1] += int(n)
        if status == meeting_rules.PRESENT:
            out[int(m) - 1][0] += int(n)
    return [(p, e) for p, e in out]


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _dues_paid(s: Session, ids: set[str] | None, year: int, day: date) -> int:
    # Whose dues count is the 党费 page's rule (no 双报到 members); imported here, as shared.py does, to keep
    # the dues package off the start-up path.
    from desktop_app.services.dues import counted

    return int(s.scalar(select(func.coalesce(func.sum(DuesRecord.paid_fen), 0)).where(
        DuesRecord.deleted.is_(False), DuesRecord.paid_on >= date(year, 1, 1), DuesRecord.paid_on <= day,
        counted(DuesRecord.member_id), _in(DuesRecord.org_id, ids))) or 0)


def _service(db: Database, ids: set[str] | None, year: int, today: date):
    sm = service_stats.summary(db, Period.year(year), today=today)
    rows = [r for r in sm.rows if (ids is None or r.grid_id in ids)]
    total = {k: sum(getattr(r, k) for r in rows) for k in (
        "visits", "raised", "raised_closed", "wishes_posted", "wishes_claimed", "wishes_fulfilled",
        "projects_completed")}
    cats: dict[str, int] = defaultdict(int)
    labels = {r.label for r in rows}
    for label, by_cat in sm.by_category.items():
        if label in labels:
            for c, n in by_cat.items():
                cats[c] += n
    return total, cats


class _Year:
    """The raw counts of one year in one scope, from which figures and charts are made."""

    def __init__(self, db: Database, s: Session, ids: set[str] | None, year: int, today: date):
        self.year, day = year, _as_of(year, today)
        self.day = day
        self.v: dict[str, int] = {}
        self.empty: set[str] = set()  # rates with nothing to divide this year (shown "—", not 0%)
        can = lambda perm: auth.can(db, perm)  # noqa: E731 - a figure the account may not read is left out
        self.left_out: list[str] = []
        if can("members.read"):
            self.v["members_total"], self.v["members_full"], self.v["members_probationary"] = _members(s, ids, day)
        else:
            self.left_out.append("党员（无权查看）")
        self.meetings: dict[str, list[int]] = {}
        self.attendance: list[tuple[int, int]] = []
        if can("meetings.read"):
            self.meetings = _meetings(s, ids, year, day)
            self.v["meetings_held"] = sum(sum(v) for v in self.meetings.values())
            for key, kind in KIND_KEYS:
                self.v[key] = sum(self.meetings.get(kind, ()))
            self.attendance = _attendance(s, ids, year, day)
            expected = sum(e for _, e in self.attendance)
            self.v["attendance_rate"] = _pct(sum(p for p, _ in self.attendance), expected)
            if not expected:
                self.empty.add("attendance_rate")
        else:
            self.left_out.append("三会一课（无权查看）")
        self.categories: dict[str, int] = {}
        if can("overview.read") and can("visits.read"):
            total, self.categories = _service(db, ids, year, today)
            self.v.update(visits=total["visits"], problems_raised=total["raised"],
                          problems_closed=total["raised_closed"],
                          close_rate=_pct(total["raised_closed"], total["raised"]),
                          wishes_posted=total["wishes_posted"], wishes_claimed=total["wishes_claimed"],
                          wishes_fulfilled=total["wishes_fulfilled"])
            if not total["raised"]:
                self.empty.add("close_rate")
            if can("projects.read"):
                self.v["projects_done"] = total["projects_completed"]
            else:  # a 网格员 read 微实事完成 on the 概览 but may not open 微实事
                self.left_out.append("微实事（无权查看）")
        if can("dues.read"):
            self.v["dues_paid_fen"] = _dues_paid(s, ids, year, day)


def _figures(y: _Year, last: _Year, extra: list[Figure]) -> tuple[Figure, ...]:
    spec = (
        ("members_total", "党员", MEMBERS, "", "党员"), ("members_full", "正式党员", MEMBERS, "", "党员"),
        ("members_probationary", "预备党员", MEMBERS, "", "党员"),
        ("meetings_held", "召开会议", MEETINGS, "", "三会一课"),
        *((key, kind, MEETINGS, "", "三会一课") for key, kind in KIND_KEYS),
        ("attendance_rate", "出勤率", MEETINGS, "%", "三会一课"),
        ("visits", "走访", VISITS, "", "服务群众"), ("problems_raised", "反映问题（受理）", VISITS, "", "服务群众"),
        ("problems_closed", "办结", VISITS, "", "服务群众"), ("close_rate", "办结率", VISITS, "%", "服务群众"),
        ("wishes_posted", "微心愿发布", WISHES, "", "微心愿"), ("wishes_claimed", "微心愿认领", WISHES, "", "微心愿"),
        ("wishes_fulfilled", "微心愿实现", WISHES, "", "微心愿"), ("projects_done", "微实事完成", PROJECTS, "", "微实事"),
        ("dues_paid_fen", "党费收缴", DUES, "元", "党费"),
    )
    out = [Figure(key, label, y.v[key], last.v.get(key), page, unit, group, key in y.empty, key in last.empty)
           for key, label, page, unit, group in spec if key in y.v]
    return tuple(out) + tuple(extra)


def _ledger(db: Database, year: int, last_year: int, own: str = "") -> tuple[list[Figure], tuple[tuple[str, int, int], ...]]:
    """The year's funds from this database's own books; `own` leads the labels where that is not the whole
    scope (a street: its own books, each community keeps its own).

    The 党费 account is left out (views.ledger_funds, the rule the 年度收支 PDF's 合计 follows too): 党费 is
    kept apart from 党组织工作经费, its payments are the 党费收缴 figure already."""
    from desktop_app.services import ledger

    if not auth.can(db, "ledger.read"):
        return [], ()
    now, before = ledger.yearly_funds(db, year), ledger.yearly_funds(db, last_year)

    def budgets(funds) -> dict[str, int]:
        return {b.account_name: b.budget_fen or 0 for b in funds.summary.budgets
                if not b.category and not funds.is_dues(b.account_id)}

    budget = budgets(now)
    spending = tuple((line.account_name, budget.get(line.account_name, 0), line.expense_fen) for line in now.funds
                     if line.expense_fen or budget.get(line.account_name))
    income, expense = now.funds_total.income_fen, now.funds_total.expense_fen
    prev_income, prev_expense = before.funds_total.income_fen, before.funds_total.expense_fen
    return [
        Figure("spending_fen", f"{own}经费支出（不含党费）", expense, prev_expense, LEDGER, "元", "经费"),
        Figure("budget_fen", f"{own}年度预算", sum(budget.values()), sum(budgets(before).values()), LEDGER, "元", "经费"),
        Figure("income_fen", f"{own}经费收入（不含党费）", income, prev_income, LEDGER, "元", "经费"),
    ], spending


def _cobuilding(db: Database, year: int) -> list[Figure]:
    from desktop_app.services import cobuilding

    if not auth.can(db, "cobuilding.read"):
        return []
    now, before = cobuilding.figures(db, year), cobuilding.figures(db, year - 1)
    return [
        Figure("reporting_members", "双报到党员", now.reporting_members, before.reporting_members, REPORTING, "", "双报到"),
        Figure("reporting_hours", "双报到服务小时", now.reporting_hours_tenths // 10,
               before.reporting_hours_tenths // 10, REPORTING, "", "双报到"),
        Figure("activities", "共建活动", now.activities, before.activities, ACTIVITIES, "", "共建活动"),
        Figure("residents_served", "服务居民（人次）", now.residents_served, before.residents_served, ACTIVITIES, "",
               "共建活动"),
    ]


def _today_only(db: Database, community: str | None, today: date, shared: Shared) -> tuple[list[Figure], list[str]]:
    """Figures that exist only as of today: the 发展党员 pipeline and the dues arrears."""
    out, left = [], []
    try:
        from desktop_app.services import development
    except ImportError:
        development = None
    if development is None:
        left.append("发展党员（本版本尚无此模块）")
    elif auth.can(db, "development.read"):
        rows = shared.pipeline(db, today)
        with db.session() as s:
            ids, _scope = overview_scope(db, s, community)
        if ids is not None:
            rows = [r for r in rows if r.org_id in ids]
        out.append(Figure("development_pipeline", "发展党员在培养", len(rows), None, DEVELOPMENT, "", "发展党员"))
    if auth.can(db, "dues.read"):
        arrears = shared.arrears(db, community, today)
        out.append(Figure("dues_arrears_members", "党费欠缴人数", len(arrears), None, DUES, "", "党费"))
        out.append(Figure("dues_arrears_fen", "党费欠缴金额", sum(a.owed_fen for a in arrears), None, DUES, "元", "党费"))
    return out, left


def dashboard(db: Database, year: int | None = None, community: str | None = None,
              today: date | None = None, shared: Shared | None = None) -> Dashboard:
    """The 工作台's figures of `year` (default this year) beside last year's, and its charts.

    `community` (a community's org id, at a street office) narrows every figure to it.
    A figure of a module the account may not read is left out and named in `left_out`.
    `shared`: the reads this refresh shares with `todo` (see overview.shared).
    """
    auth.require(db, "overview.read")
    today = today or date.today()
    year = year or today.year
    with db.session() as s:
        ids, scope = overview_scope(db, s, community)
        scope = scope or center_name(s)
        now, last = _Year(db, s, ids, year, today), _Year(db, s, ids, year - 1, today)
        # 全街道 counts every community's members and meetings, but the books are the street's (区's) own
        level = s.scalar(select(Site.level).limit(1)) or ""
        own = own_books(level)
        top = level_label(level) if own else "街道"  # whose books these are: the street's, or the district's
        # a confined account's books are its communities' (经费台账), not this database's own
        confined = reach(s) is not None
    extra, spending = _ledger(db, year, year - 1, own) if community is None and not confined else ([], ())
    if community is None:
        extra += _cobuilding(db, year)
        if confined:
            now.left_out.append(f"经费（{top}账）")
    else:  # kept by the street as a whole, not per community
        now.left_out.extend((f"经费（{top}账）", f"共驻共建（{top}统计）"))
    if year == today.year:
        more, left = _today_only(db, community, today, shared or Shared())
        extra += more
    else:
        left = []
    charts = Charts(
        meetings_by_month=tuple((k, tuple(v)) for k, v in sorted(now.meetings.items(), key=lambda kv: -sum(kv[1]))),
        problems_by_category=tuple(sorted(now.categories.items(), key=lambda kv: -kv[1])),
        spending=spending,
        attendance_by_month=tuple(_pct(p, e) if e else None for p, e in now.attendance) or (None,) * 12,
    )
    return Dashboard(year, now.day, scope, _figures(now, last, extra), charts, tuple(now.left_out + left))


def community_columns(db: Database, year: int | None = None, today: date | None = None) -> list[CommunityColumn]:
    """At a street office: each community's figures side by side (the same counts as its own 工作台)."""
    from desktop_app.services import sync

    auth.require(db, "overview.read")
    today = today or date.today()
    year = year or today.year
    out = []
    for org_id, name in sync.community_choices(db):
        with db.session() as s:
            y = _Year(db, s, scope_ids(s, org_id), year, today)
        out.append(CommunityColumn(org_id, name, dict(y.v)))
    return out
