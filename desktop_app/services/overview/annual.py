"""年度党建工作台账: the year-end inspection folder in one file.

The cover and figures come from the same dashboard as the 工作台; then each
module's list behind them. Modules another part of the program may not have
(发展党员, 共驻共建, 支部考评) get their chapter only when their service is present,
and the folder says which were left out.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain import access
from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain.assessment import score_text
from desktop_app.domain.ledger import budget_state
from desktop_app.domain.money import format_yuan
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.site import own_books
from desktop_app.services import auth, dues, orgtree
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.database import Database
from desktop_app.services.overview.figures import dashboard
from desktop_app.services.overview.photos import folder_photos
from desktop_app.services.site import center_name, get_site, is_confined
from desktop_app.store.models import Organization
from desktop_app.store.models_ledger import DuesRecord
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.views.ledger_funds import FUNDS_TOTAL
from desktop_app.views.orgs import SEPARATOR, short_name
from desktop_app.views.overview import AnnualFolder, FolderColumn, FolderSection

C, R = "CENTER", "RIGHT"
NOT_TAKEN = "—"


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


def _names(s: Session, tree: orgtree.OrgTree) -> dict[str, str]:
    """Organisations as the folder prints them: lists name a branch bare when no other bears its name, but a
    street's folder mixes every community's rows on paper, so there each one leads with its community."""
    names = orgtree.shown_names(s)
    communities = [o for o in tree.by_id.values() if o.kind == OrgKind.COMMUNITY]
    if len(communities) < 2:
        return names
    for org_id, name in names.items():
        c = tree.community_of(org_id)
        if c is not None and c.id != org_id:
            lead = short_name(c) + SEPARATOR
            if not name.startswith(lead):
                names[org_id] = lead + name
    return names


class _Orgs:
    """The organisations' printed names and their tree, read once for the whole folder (not again by each
    chapter that names a branch or grid) and only when a chapter does."""

    def __init__(self, db: Database):
        self._db = db
        self._read: tuple[dict[str, str], orgtree.OrgTree] | None = None

    def _get(self) -> tuple[dict[str, str], orgtree.OrgTree]:
        if self._read is None:
            with self._db.session() as s:
                tree = orgtree.OrgTree(s)
                self._read = (_names(s, tree), tree)
        return self._read

    @property
    def names(self) -> dict[str, str]:
        return self._get()[0]

    @property
    def tree(self) -> orgtree.OrgTree:
        return self._get()[1]


def _meetings(db: Database, year: int, orgs: _Orgs) -> FolderSection:
    first, last = date(year, 1, 1), date(year, 12, 31)
    expected = (Attendance.is_guest.is_(False)) & (
        (Attendance.excused_reason == "") | (Attendance.status == meeting_rules.PRESENT))
    with db.session() as s:
        counts = {
            mid: (int(e or 0), int(p or 0), int(lv or 0))
            for mid, e, p, lv in s.execute(
                select(Attendance.meeting_id, func.sum(case((expected, 1), else_=0)),
                       func.sum(case((expected & (Attendance.status == meeting_rules.PRESENT), 1), else_=0)),
                       func.sum(case((expected & (Attendance.status == meeting_rules.LEAVE), 1), else_=0)))
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(Attendance.deleted.is_(False), Meeting.deleted.is_(False),
                       Meeting.meeting_date.between(first, last), Meeting.status == meeting_rules.HELD)
                .group_by(Attendance.meeting_id))
        }
        rows = s.execute(
            select(Meeting.id, Meeting.meeting_date, Meeting.org_id, Meeting.kind, Meeting.title, Meeting.host)
            .join(Organization, Organization.id == Meeting.org_id)
            .where(Meeting.deleted.is_(False), Meeting.status == meeting_rules.HELD,
                   Meeting.meeting_date.between(first, last))
            .order_by(Meeting.meeting_date, Organization.code, Meeting.kind)
        ).all()
    names = orgs.names
    out = []
    for mid, day, org_id, kind, title, host in rows:
        e, p, lv = counts.get(mid, (0, 0, 0))
        # Nobody expected (a 联席会议 of invited guests, a meeting without a sign-in list): attendance was not
        # taken, so "—", not 应到 0 / 实到 0.
        taken = (str(e), str(p), str(lv), f"{round(100 * p / e)}%") if e else (NOT_TAKEN, NOT_TAKEN, NOT_TAKEN, "")
        out.append((_d(day), names.get(org_id, ""), kind, title, host, *taken))
    total_e = sum(c[0] for c in counts.values())
    total_p = sum(c[1] for c in counts.values())
    summary = f"全年召开会议 {len(out)} 次；应到 {total_e} 人次，实到 {total_p} 人次" + (
        f"，出勤率 {round(100 * total_p / total_e)}%" if total_e else "")
    # 类型 at 68: 支部党员大会 and 民主评议党员 on one line (at 60 they broke before their last character)
    cols = (FolderColumn("日期", 62, C), FolderColumn("党组织", 90), FolderColumn("类型", 68, C),
            FolderColumn("主题", 142), FolderColumn("主持人", 44, C), FolderColumn("应到", 30, R),
            FolderColumn("实到", 30, R), FolderColumn("请假", 30, R), FolderColumn("出勤率", 38, R))
    return FolderSection("三会一课：会议及出勤", cols, tuple(out), summary)


def _evaluations(db: Database, year: int) -> FolderSection:
    from desktop_app.services import evaluations

    sm = evaluations.summary(db, year)
    if not any(r.grade for b in sm.branches for r in b.rows):
        # Year N's 民主评议 is held early in N+1: a folder made before then has no grades, not a whole
        # roster 未评议.
        return FolderSection("民主评议党员", (), (), "本年度民主评议尚未开展（通常在次年一季度进行）")
    grades = list(sm.totals())
    rows = tuple((b.branch_name, *(str(b.counts().get(g, 0)) for g in grades)) for b in sm.branches)
    totals = sm.totals()
    return FolderSection("民主评议党员", (FolderColumn("党支部", 120),) + tuple(FolderColumn(g, 40, R) for g in grades),
                         rows, "评议结果：" + "，".join(f"{g} {n} 人" for g, n in totals.items()))


def _visits(db: Database, year: int, today: date, orgs: _Orgs) -> FolderSection:
    from desktop_app.services import visits

    rows = [r for r in visits.list_visits(db, visits.VisitFilter(date_from=date(year, 1, 1),
                                                                  date_to=date(year, 12, 31)), today, oldest_first=True)
            if r.raised_issue]
    names = orgs.names
    out = tuple((_d(r.visit_date), names.get(r.grid_id or "", r.grid_name), r.visitee, r.category, r.content, r.follow_state,
                 f"{r.resolved_by} {_d(r.resolved_on)} {r.resolution}".strip() if r.resolved_on else r.handler)
                for r in rows)
    closed = sum(1 for r in rows if r.resolved_on)
    cols = (FolderColumn("走访日期", 58, C), FolderColumn("网格", 80, whole=True), FolderColumn("对象", 50),
            FolderColumn("类别", 44, C, whole=True), FolderColumn("反映问题", 170), FolderColumn("状态", 40, C, whole=True),
            FolderColumn("办理结果", 170))
    return FolderSection("走访与群众反映问题办理", cols, out,
                         f"受理 {len(rows)} 件，办结 {closed} 件" + (f"，办结率 {round(100 * closed / len(rows))}%"
                                                                   if rows else ""))


def _wishes(db: Database, year: int, orgs: _Orgs, listed: dict[str, list]) -> FolderSection:
    from desktop_app.services import wishes

    # Every wish something happened to in the year: the figures page counts 认领 and 实现 by their own day,
    # so a wish posted last year and fulfilled this year belongs in this year's list.
    seen: dict[str, object] = {}
    for year_of in ("posted", "claimed", "fulfilled"):
        for r in wishes.list_wishes(db, wishes.WishFilter(year=year, year_of=year_of)):
            seen.setdefault(r.id, r)
    rows = sorted(seen.values(), key=lambda r: (r.posted_on, r.wish_no))
    listed["wishes"] = rows  # their photos go into 活动照片
    names = orgs.names
    out = tuple((r.wish_no, _d(r.posted_on), r.wisher_name, names.get(r.grid_id or "", r.grid_name), r.content, format_yuan(r.estimated_fen),
                 r.state, r.claimant_name, _d(r.fulfilled_on)) for r in rows)
    cols = (FolderColumn("编号", 56), FolderColumn("发布", 56, C), FolderColumn("心愿人", 44),
            FolderColumn("网格", 76, whole=True), FolderColumn("心愿", 130), FolderColumn("估值（元）", 50, R),
            FolderColumn("状态", 40, C, whole=True), FolderColumn("认领人", 70), FolderColumn("实现", 56, C))
    posted = sum(1 for r in rows if r.posted_on.year == year)
    claimed = sum(1 for r in rows if r.claimed_on and r.claimed_on.year == year)
    done = sum(1 for r in rows if r.fulfilled_on and r.fulfilled_on.year == year)
    earlier = len(rows) - posted
    return FolderSection("微心愿", cols, out, f"本年发布 {posted} 个，认领 {claimed} 个，实现 {done} 个" + (
        f"（含往年发布、本年认领或实现的 {earlier} 个）" if earlier else ""))


def _projects(db: Database, year: int, today: date, orgs: _Orgs) -> FolderSection:
    from desktop_app.services import projects

    rows = [r for r in projects.list_projects(db, today=today)
            if (r.start_date and r.start_date.year == year) or (r.completed_on and r.completed_on.year == year)
            or (r.deadline and r.deadline.year == year)]
    names = orgs.names
    out = tuple((r.project_no, r.name, r.category, names.get(r.grid_id or "", r.grid_name), r.owner_name, format_yuan(r.budget_fen),
                 format_yuan(r.actual_cost_fen) + (f"\n{format_yuan(r.booked_fen)}" if r.booked_fen else ""),
                 f"{_d(r.start_date) or '—'}\n{_d(r.deadline) or '—'}",
                 _d(r.completed_on), r.status)
                for r in rows)
    # 开始 over 期限 in one column: eleven columns left the names and states a character or two wide. The
    # ledger's 已记账 goes under the typed 实际支出 the same way (some spending is not booked: the street's funds).
    cols = (FolderColumn("编号", 54), FolderColumn("项目", 130), FolderColumn("类别", 50, C, whole=True),
            FolderColumn("网格", 70), FolderColumn("负责人", 44), FolderColumn("预算（元）", 54, R),
            FolderColumn("实际／已记账（元）", 54, R), FolderColumn("开始／期限", 56, C),
            FolderColumn("完成", 56, C), FolderColumn("状态", 40, C, whole=True))
    done = sum(1 for r in rows if r.completed_on and r.completed_on.year == year)
    booked = sum(1 for r in rows if r.booked_fen)
    return FolderSection("微实事项目", cols, out, f"本年涉及项目 {len(rows)} 个，完成 {done} 个" + (
        f"；{booked} 个项目的支出在经费台账中记账，其已记账金额列在实际支出下方" if booked else ""))


def _cobuilding(db: Database, year: int, listed: dict[str, list]) -> FolderSection:
    from desktop_app.services import cobuilding

    rows = cobuilding.list_activities(db, year)
    listed["activities"] = rows  # their photos go into 活动照片
    out = tuple((_d(r.activity_date), r.kind, r.title, r.organisers, str(r.residents_served), str(r.people),
                 f"{r.hours_tenths / 10:g}") for r in sorted(rows, key=lambda r: r.activity_date))
    cols = (FolderColumn("日期", 58, C), FolderColumn("类型", 50, C), FolderColumn("活动", 150),
            FolderColumn("组织方", 140), FolderColumn("服务居民", 44, R), FolderColumn("参与人数", 44, R),
            FolderColumn("服务时长", 44, R))
    return FolderSection("共驻共建活动", cols, out,
                         f"活动 {len(rows)} 次，服务居民 {sum(r.residents_served for r in rows)} 人次")


def _ledger(db: Database, year: int) -> FolderSection:
    from desktop_app.services import ledger

    # An account confined to one community keeps its community's books (the only ones ledger.books
    # lists it), not this database's own, which it may not read: those would print as an empty 合计.
    confined = is_confined(db)
    mine = [book for book, _ in ledger.books(db) if book is not None] if confined else []
    funds = ledger.yearly_funds(db, year, book=mine[0] if len(mine) == 1 else None)
    st = funds.summary
    budgets = {b.account_id: b for b in st.budgets if not b.category}
    out = []
    # 合计 leaves the 党费 account out (views.ledger_funds), as the figures page's 经费 do; 党费 stands below it.
    total = funds.funds_total
    # 合计's budget is the 年度预算 of 年度主要数据 (every fund's, 党费 apart); how much of it is used only when
    # every fund that spent has a budget, or spending without one would count against the others' budgets.
    def budget_of(line) -> int | None:
        b = budgets.get(line.account_id)
        return b.budget_fen if b else None

    planned = [fen for line in funds.funds if (fen := budget_of(line)) is not None]
    unplanned = any(line.expense_fen and budget_of(line) is None for line in funds.funds)
    for line in (*funds.funds, total, *funds.dues):
        name = FUNDS_TOTAL if line is total and funds.dues else line.account_name
        b = budgets.get(line.account_id)
        budget_fen = budget_of(line)
        percent = b.state.percent if b else None
        if line is total and planned:
            budget_fen = sum(planned)
            percent = None if unplanned else budget_state(budget_fen, line.expense_fen).percent
        done = f"已用 {percent}%" if percent is not None else ""
        if line.closing_fen < 0:
            # a line of its own: the narrow column broke "已用 74% 透支" between 透 and 支
            done = f"{done}\n透支" if done else "透支"
        out.append((name, format_yuan(line.opening_fen), format_yuan(line.income_fen),
                    format_yuan(line.expense_fen), format_yuan(line.closing_fen),
                    format_yuan(budget_fen) if budget_fen is not None else "", done))
    cols = (FolderColumn("账户", 100), FolderColumn("上年结转", 60, R), FolderColumn("本年收入", 60, R),
            FolderColumn("本年支出", 60, R), FolderColumn("年末余额", 60, R), FolderColumn("年度预算", 60, R),
            FolderColumn("预算执行", 50, C))
    overdrawn = [line.account_name for line in st.lines if line.closing_fen < 0]
    note = f"凭证 {st.entry_count} 张" + (f"；年末透支账户：{'、'.join(overdrawn)}" if overdrawn else "")
    here = get_site(db)
    if not confined and here is not None and here.is_top:
        # the rest of a street's folder counts every community; its books are its own (as the figures page says)
        note = f"{own_books(here.level)}账目（各社区经费在各社区的台账中）；" + note
    if funds.dues:
        note += "；党费账户单列，不计入合计（党费另见“党费收缴”）"
    return FolderSection("经费收支汇总", cols, tuple(out), note)


def _dues(db: Database, year: int, orgs: _Orgs) -> FolderSection:
    # The 党费 page's members only (no 双报到 members, whose dues go to their employer), as 概览 counts too.
    counted = dues.counted(DuesRecord.member_id)
    with db.session() as s:
        rows = s.execute(
            select(Organization.id, func.count(func.distinct(DuesRecord.member_id)), func.sum(DuesRecord.due_fen),
                   func.sum(DuesRecord.paid_fen))
            .join(Organization, Organization.id == DuesRecord.org_id)
            .where(DuesRecord.deleted.is_(False), DuesRecord.month.between(date(year, 1, 1), date(year, 12, 1)),
                   counted)
            .group_by(Organization.id, Organization.code).order_by(Organization.code)
        ).all()
    names = orgs.names
    # Only months paid are recorded, so arrears come from the dues rules (as of today), not from these rows.
    out = tuple((names.get(org_id, ""), str(n), format_yuan(int(due or 0)), format_yuan(int(paid or 0)))
                for org_id, n, due, paid in rows)
    cols = (FolderColumn("党支部", 120), FolderColumn("交纳人数", 50, R), FolderColumn("登记应交（元）", 70, R),
            FolderColumn("实交（元）", 70, R))
    paid = sum(int(r[3] or 0) for r in rows)
    with db.session() as s:
        # The figures page counts dues by the day paid; say how the two meet, or the inspector sees two totals.
        by_month = s.execute(
            select(DuesRecord.month, func.coalesce(func.sum(DuesRecord.paid_fen), 0))
            .where(DuesRecord.deleted.is_(False), DuesRecord.paid_on.between(date(year, 1, 1), date(year, 12, 31)),
                   counted)
            .group_by(DuesRecord.month)).all()
    late = sum(int(fen) for month, fen in by_month if month < date(year, 1, 1))
    total = sum(int(fen) for _, fen in by_month)
    note = f"本年各月党费实交 {format_yuan(paid)} 元（按所交月份统计）"
    if total != paid:
        note += f"；本年收缴共 {format_yuan(total)} 元（按交纳日期，同年度主要数据）"
        if late:
            note += f"，其中补交往年党费 {format_yuan(late)} 元"
    return FolderSection("党费收缴", cols, out, note)


def _development(db: Database, year: int, today: date, orgs: _Orgs) -> FolderSection:
    from desktop_app.services import development

    reg = development.register(db, year, today=today)
    names, tree = orgs.names, orgs.tree

    def branch(p) -> str:
        found = tree.branch_of(p.row.org_id)
        return names.get(found.id, p.row.branch_name) if found is not None else p.row.branch_name

    out = tuple((p.row.name, branch(p), p.row.stage, _d(p.row.applied_on),
                 # The register lists everyone with a step in the year; the column holds that year's steps only.
                 "；".join(f"{st.step} {_d(st.done_on)}" for st in p.steps if st.done_on.year == year))
           for p in reg.people)
    cols = (FolderColumn("姓名", 44), FolderColumn("党支部", 80, whole=True), FolderColumn("当前阶段", 56, C, whole=True),
            FolderColumn("申请日期", 56, C), FolderColumn("本年办理步骤", 260))
    return FolderSection("发展党员", cols, out, "，".join(f"{k} {v} 人" for k, v in reg.counts.items()))


def _assessment(db: Database, year: int, orgs: _Orgs) -> FolderSection:
    from desktop_app.services import assessment

    y = assessment.assess_year(db, year)
    names = orgs.names
    # One decimal, as the 支部考评 page writes scores (68.0 beside 79.4, not 68).
    out = tuple((str(r.rank), names.get(r.branch_id, r.branch_name), score_text(r.total_tenths),
                 score_text(r.max_tenths), r.result, str(r.unscored)) for r in y.rows)
    cols = (FolderColumn("名次", 30, C), FolderColumn("党支部", 120), FolderColumn("得分", 44, R),
            FolderColumn("满分", 44, R), FolderColumn("等次", 50, C), FolderColumn("未打分项", 44, R))
    return FolderSection("支部考评", cols, out, y.scheme.name if y.scheme else "")


def _present(module: str) -> bool:
    return importlib.util.find_spec(f"desktop_app.services.{module}") is not None


def _grid_worker(actor) -> bool:
    return access.grid_bound(actor.role, "residents.read")


def may_print_folder(db: Database) -> bool:
    """Whether the acting account may make the folder (概览 shows 年度党建工作台账… only then)."""
    try:
        actor = auth.require(db, "overview.read")
    except PermissionDenied:
        return False
    return not _grid_worker(actor)


def _folder_allowed(db: Database) -> None:
    """The folder is the community's year-end inspection file: a 网格员, whose account covers their grids'
    residents, visits and wishes, does not make it (theirs would be a grid's few chapters under the
    community's cover, the rest 无权查看)."""
    actor = auth.require(db, "overview.read")
    if _grid_worker(actor):
        raise PermissionDenied(f"当前账户“{actor.name}”（{actor.role_label}）不能生成年度党建工作台账：台账是社区的"
                               "年终检查材料，请由书记/委员或管理员生成；网格员的账户只管本人负责网格的居民、走访和微心愿",
                               "overview.read")


def annual_folder(db: Database, year: int, today: date | None = None, *, photos: bool = True) -> AnnualFolder:
    """The folder's read model: the year's dashboard and every module's list behind it, then (unless
    `photos` is False) the photos kept with the listed 共建活动 and 微心愿. Not a 网格员's (_folder_allowed)."""
    _folder_allowed(db)
    today = today or date.today()
    board = dashboard(db, year, today=today)
    sections: list[FolderSection] = []
    left: list[str] = list(board.left_out)
    orgs = _Orgs(db)
    listed: dict[str, list] = {}  # the activities and wishes the lists hold, as read with this account's rights
    chapters: tuple[tuple[str, str, str, Callable[[], FolderSection]], ...] = (
        ("meetings", "meetings.read", "三会一课", lambda: _meetings(db, year, orgs)),
        ("development", "development.read", "发展党员", lambda: _development(db, year, today, orgs)),
        ("evaluations", "evaluations.read", "民主评议", lambda: _evaluations(db, year)),
        ("visits", "visits.read", "走访", lambda: _visits(db, year, today, orgs)),
        ("wishes", "wishes.read", "微心愿", lambda: _wishes(db, year, orgs, listed)),
        ("projects", "projects.read", "微实事", lambda: _projects(db, year, today, orgs)),
        ("cobuilding", "cobuilding.read", "共驻共建", lambda: _cobuilding(db, year, listed)),
        ("ledger", "ledger.read", "经费", lambda: _ledger(db, year)),
        ("dues", "dues.read", "党费", lambda: _dues(db, year, orgs)),
        ("assessment", "assessment.read", "支部考评", lambda: _assessment(db, year, orgs)),
    )
    for module, perm, label, build in chapters:
        if not _present(module):
            left.append(f"{label}（本版本尚无此模块）")
        elif not auth.can(db, perm):
            left.append(f"{label}（无权查看）")
        else:
            sections.append(build())
    with db.session() as s:
        center = center_name(s)
    kept = folder_photos(listed.get("activities", ()), listed.get("wishes", ()), db) if photos else None
    return AnnualFolder(center, year, board, tuple(sections), tuple(dict.fromkeys(left)), kept)


def print_annual_folder(db: Database, year: int, out: Path | None = None, *, today: date | None = None,
                        progress: Callable[[int, int, str], None] | None = None, photos: bool = True) -> bytes:
    """年度党建工作台账 of `year` as PDF bytes (written to `out` when given); `photos`: with 活动照片.

    `progress(done, total, what)` is told the photos prepared of all, then each page as it starts (total 0:
    the pages are not counted before the end); it may raise to cancel."""
    from desktop_app.reports.annual import render_annual_folder  # reportlab loads only when printing

    _folder_allowed(db)
    folder = annual_folder(db, year, today, photos=photos)
    if progress is None:
        return render_annual_folder(folder, out, printed_on=today)
    return render_annual_folder(
        folder, out, printed_on=today, progress=lambda page: progress(page, 0, f"正在排版第 {page} 页…"),
        photo_progress=lambda done, total: progress(done, total, f"正在整理活动照片（{done}/{total}）…"))
