"""待办: what is due or late this morning, each item naming the page (and record) that settles it.

Each check asks the module that owns the rule (compliance for meetings, the
roster for 转正, dues for arrears ...), so the to-do list and the page it opens
always agree. A check the account may not read is skipped silently; a module
this version does not have is named in `left_out`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from desktop_app.domain.clock import closing_year
from desktop_app.domain.meetings import CellStatus
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.site import is_top
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.overview.shared import Shared
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.overview.figures import overview_scope
from desktop_app.views.orgs import SEPARATOR, short_name
from desktop_app.views.meetings import ComplianceGrid
from desktop_app.views.overview import TodoItem, TodoList

WISH_WAIT_DAYS = 30
SYNC_DAYS = 30
BACKUP_DAYS = 7


Namer = Callable[[str | None, str], str]  # (organisation id, its name) -> the name the list shows


def _namer(tree: OrgTree, community: str | None) -> Namer:
    """At a street holding several communities, a branch is named with its community (梅园社区 · 第一党支部):
    each community may have a 第一党支部. Narrowed to one community, or with one only, the name alone."""
    if community is not None or sum(1 for o in tree.by_id.values() if o.kind == OrgKind.COMMUNITY) < 2:
        def bare(org_id: str | None, name: str) -> str:
            # the roster's rows come led by their community where names repeat (roster.rows)
            home = tree.community_of(org_id)
            lead = short_name(home) + SEPARATOR if home is not None and home.id != org_id else None
            return name[len(lead):] if lead and name.startswith(lead) else name

        return bare

    def named(org_id: str | None, name: str) -> str:
        home = tree.community_of(org_id)
        if home is None or home.id == org_id or name.startswith(short_name(home) + SEPARATOR):
            return name
        return f"{short_name(home)}{SEPARATOR}{name}"

    return named


def _meetings(db: Database, today: date, community: str | None, named: Namer) -> list[TodoItem]:
    from desktop_app.services import meetings

    out = _meetings_of(meetings.compliance(db, today.year, today, org_id=community), today, named)
    if closing_year(today) < today.year:
        # January: December's and the fourth quarter's meetings fell due on 31 December, and the year's are
        # being closed; they stay on the list a month (opening the year on 三会一课落实) to be held or entered
        last = meetings.compliance(db, today.year - 1, today, org_id=community)
        out = [replace(i, text=i.text.replace("：应开未开", f"：{last.year}年应开未开", 1), filters=(("year", last.year),))
               for i in _meetings_of(last, today, named) if i.overdue] + out
    return out


def _meetings_of(grid: ComplianceGrid, today: date, named: Namer) -> list[TodoItem]:
    # the grid leads a name with its community only where names repeat; a street's items always do
    names = {r.org_id: named(r.org_id, r.name) for r in grid.rows}
    month_start = today.replace(day=1)
    out = []
    for row in grid.rows:
        late, due = [], []
        kept_before = False  # a meeting held in a period that ended before this month
        for kind in grid.kinds:
            cells = grid.cells.get((row.org_id, kind), ())
            n_late = sum(1 for c in cells if c.status == CellStatus.OVERDUE)
            if n_late:
                late.append(f"{kind} {n_late} 期")
            if any(c.status == CellStatus.DUE for c in cells):
                due.append(kind)
            kept_before = kept_before or any(c.held and c.period.end < month_start for c in cells)
        if late:
            text = f"{names[row.org_id]}：应开未开 {'、'.join(late)}"
            if not kept_before and row.org_id not in grid.tracking_since:
                # Likely a center in its first month: the months before it used the program count as
                # missed until it says when its records begin (or records what was held then).
                text += "（刚开始用本程序记录的，在“三会一课落实 → 支部设置”填写建档统计起始日，之前不计逾期；" \
                        "或在“导入表格”补录以前的会议）"
            out.append(TodoItem("meetings", text, "三会一课落实", row.org_id))
        if due:
            out.append(TodoItem("meetings", f"{names[row.org_id]}：本期待开 {'、'.join(due)}", "三会一课落实",
                                row.org_id, overdue=False))
    return out


def _probation(db: Database, today: date, ids: set[str] | None, named: Namer) -> list[TodoItem]:
    from desktop_app.services import roster

    out = []
    for m in roster.probationary_due(db, today):
        if ids is not None and m.org_id not in ids:
            continue
        end = m.joined_date.replace(year=m.joined_date.year + 1) if m.joined_date else None
        late = end is not None and end <= today
        when = f"预备期{'已于' if late else '将于'} {end.isoformat()} 期满" if end else "预备期将满"
        out.append(TodoItem("probation", f"预备党员 {m.name}（{named(m.org_id, m.org_name)}）{when}，应讨论转正", "党员名册",
                            m.id, overdue=late))
    return out


def _birthdays(db: Database, today: date, ids: set[str] | None) -> list[TodoItem]:
    """本月政治生日: one item for the month's 入党 anniversaries (not late: a reminder to greet them)."""
    from desktop_app.services import roster

    rows = [r for r in roster.political_birthdays(db, today.year, today.month) if ids is None or r.org_id in ids]
    if not rows:
        return []
    names = "、".join(r.name for r in rows[:5]) + (" 等" if len(rows) > 5 else "")
    return [TodoItem("birthdays", f"本月政治生日 {len(rows)} 名：{names}（入党周年，可致贺、过政治生日）", "党员名册",
                     overdue=False, filters=(("birthday", f"{today.year}-{today.month:02d}"),))]


def _development(db: Database, today: date, ids: set[str] | None, shared: Shared, named: Namer) -> list[TodoItem]:
    out = []
    for a in shared.pipeline(db, today):
        if (ids is not None and a.org_id not in ids) or a.next_due is None or a.next_due > today + timedelta(days=30):
            continue
        out.append(TodoItem("development", f"{a.stage} {a.name}（{named(a.org_id, a.branch_name)}）下一步应于 {a.next_due.isoformat()} 前办理",
                            "发展党员", a.id, overdue=a.overdue > 0))
    return out


def _dues(db: Database, today: date, community: str | None, shared: Shared, named: Namer,
          tree: OrgTree) -> list[TodoItem]:
    # By branch id: two communities' 第一党支部 are two branches, and a member in a 党小组 counts for its
    # branch (every branch has a 第二党小组; the 党费 page filters by branch).
    by_branch: dict[str | None, list] = {}
    names: dict[str | None, str] = {}
    for r in shared.arrears(db, community, today):
        branch = tree.branch_of(r.org_id)
        key = branch.id if branch is not None else r.org_id
        names.setdefault(key, branch.name if branch is not None else r.org_name)
        by_branch.setdefault(key, []).append(r)
    return [
        TodoItem("dues", f"{named(org_id, names[org_id]) if names[org_id] else '未分支部'}："
                         f"{len(rows)} 人欠缴党费，合计 {sum(r.owed_fen for r in rows) / 100:,.2f} 元",
                 "党费", org_id)
        for org_id, rows in sorted(by_branch.items(), key=lambda kv: -len(kv[1]))
    ]


def _visits(db: Database, today: date, ids: set[str] | None, named: Namer) -> list[TodoItem]:
    from desktop_app.services import visits

    return [
        TodoItem("visits", f"走访反映的问题逾期未办结：{v.visitee}（{named(v.grid_id, v.grid_name)}）{v.content[:24]}，"
                           f"期限 {v.due_date.isoformat() if v.due_date else ''}", "走访", v.id)
        for v in visits.overdue(db, today) if ids is None or v.grid_id in ids
    ]


def _wishes(db: Database, today: date, ids: set[str] | None) -> list[TodoItem]:
    from desktop_app.domain import service_flow as flow
    from desktop_app.services import wishes

    limit = today - timedelta(days=WISH_WAIT_DAYS)
    return [
        TodoItem("wishes", f"微心愿 {w.posted_on.isoformat()} 发布，{(today - w.posted_on).days} 天无人认领："
                           f"{w.wisher_name} {w.content[:24]}", "微心愿", w.id)
        for w in wishes.list_wishes(db, wishes.WishFilter(state=flow.WISH_POSTED))
        if w.posted_on <= limit and (ids is None or w.grid_id in ids)
    ]


def _projects(db: Database, today: date, ids: set[str] | None) -> list[TodoItem]:
    from desktop_app.services import projects

    return [
        TodoItem("projects", f"微实事已过期限 {p.deadline.isoformat() if p.deadline else ''}：{p.name}（{p.owner_name}）",
                 "微实事", p.id)
        for p in projects.overdue_projects(db, today) if ids is None or p.grid_id in ids
    ]


def _ledger(db: Database, today: date) -> list[TodoItem]:
    from desktop_app.services import ledger

    out = []
    for b in ledger.balances(db, today):
        if b.balance_fen < 0:
            out.append(TodoItem("ledger", f"经费账户“{b.name}”已透支：余额 {b.balance_fen / 100:,.2f} 元", "经费台账",
                                b.account_id, filters=(("account", b.account_id), ("tab", "entries"))))  # its own
    for line in ledger.budget_report(db, today.year):
        if line.budget_fen is not None and line.spent_fen > line.budget_fen:
            what = f"“{line.account_name}”" + (f"的{line.category}" if line.category else "")
            out.append(TodoItem("ledger", f"{what}超出预算：预算 {line.budget_fen / 100:,.2f} 元，"
                                          f"已支出 {line.spent_fen / 100:,.2f} 元", "经费台账", line.account_id,
                                # 预算执行 with that line selected; its account's entries behind, a tab away
                                filters=(("account", line.account_id), ("tab", "budget"), ("budget_year", today.year),
                                         ("budget_line", (line.account_id, line.category)))))
    month = ledger.next_month_to_close(db, today)
    if month is not None:
        out.append(TodoItem("ledger", f"经费台账 {month.year}年{month.month}月 尚未结账", "经费台账", None,
                            overdue=month < date(today.year, today.month, 1) - timedelta(days=31)))
    return out


def _since(never: TodoItem, last: datetime | None, today: date, limit: int, late: str) -> list[TodoItem]:
    """`never` when it was never done; the same item saying `late` (with {days} and {last}) once over `limit` days."""
    if last is None:
        return [never]
    days = (today - last.date()).days
    if days > limit:
        return [replace(never, text=late.format(days=days, last=last.date().isoformat()))]
    return []


def _sync(db: Database, today: date) -> list[TodoItem]:
    from desktop_app.services import sync

    state = sync.sync_state(db)
    if is_top(state.level):  # the street's (district's) side: communities that have gone quiet
        return [TodoItem("sync", text, "数据同步") for text in sync.silent_warnings(db, today, SYNC_DAYS)]
    if state.level != "community" or not state.has_key:
        return []
    last = state.last_export.created_at if state.last_export else None
    return _since(TodoItem("sync", "尚未向街道报送过同步数据包", "数据同步"), last, today, SYNC_DAYS,
                  "已有 {days} 天未向街道报送同步数据包（上次 {last}）")


def _backup(db: Database, today: date) -> list[TodoItem]:
    from desktop_app.services import backup

    if db.path is None:
        return []  # a server database is backed up by its server
    if backup.refusal(db, backup.require_copy):
        return []  # a 只读 or confined account could not act on the item
    found = backup.list_backups(db.path.stem)
    last: datetime | None = found[0].taken_at if found else None
    return _since(TodoItem("backup", "此数据库还没有备份：双击此项立即备份（或“文件”菜单 → 立即备份）", ""), last, today,
                  BACKUP_DAYS, "已有 {days} 天没有备份（上次 {last}）：双击此项立即备份")


def _first_steps(db: Database) -> list[TodoItem]:
    """A community's first morning: an empty roster says where the existing spreadsheet goes."""
    from sqlalchemy import exists, select

    from desktop_app.services import site
    from desktop_app.store.models import Member

    info = site.get_site(db)
    if info is None or info.level != "community":
        return []  # a street's roster comes in its communities' packages
    with db.session() as s:
        if s.scalar(select(exists().where(Member.deleted.is_(False)))):
            return []
    return [TodoItem("roster", "名册中还没有党员：在“导入表格”导入现有的党员花名册（Excel），"
                               "或在“党员名册”逐个新增", "导入表格", overdue=False)]


def todo(db: Database, today: date | None = None, community: str | None = None,
         shared: Shared | None = None) -> TodoList:
    """Everything due or late as of `today`, late first within each kind; narrowed to `community` at a street.

    `shared`: the reads this refresh shares with `dashboard` (see overview.shared).
    """
    auth.require(db, "overview.read")
    today = today or date.today()
    shared = shared or Shared()
    with db.session() as s:
        ids, _scope = overview_scope(db, s, community)  # a 网格员's to-dos are of their grids
        tree = OrgTree(s)
        named = _namer(tree, community)
    items: list[TodoItem] = []
    left: list[str] = []
    checks = (
        ("meetings.read", lambda: _meetings(db, today, community, named)),
        ("members.read", lambda: _probation(db, today, ids, named)),
        ("members.read", lambda: _birthdays(db, today, ids)),
        ("members.write", lambda: _first_steps(db) if community is None else []),
        ("dues.read", lambda: _dues(db, today, community, shared, named, tree)),
        ("visits.read", lambda: _visits(db, today, ids, named)),
        ("wishes.read", lambda: _wishes(db, today, ids)),
        ("projects.read", lambda: _projects(db, today, ids)),
    )
    for perm, check in checks:
        if auth.can(db, perm):
            items += check()
    try:
        import desktop_app.services.development  # noqa: F401 - the module may not be in this version
    except ImportError:
        left.append("发展党员的下一步（本版本尚无此模块）")
    else:
        if auth.can(db, "development.read"):
            items += _development(db, today, ids, shared, named)
    if community is None:
        if auth.can(db, "ledger.read"):
            items += _ledger(db, today)
        items += _sync(db, today) + _backup(db, today)
    return TodoList(tuple(sorted(items, key=lambda i: not i.overdue)), tuple(left))
