"""Which filters open the list behind a 工作台 figure or 待办 item: its year and, where a page can, its category.

A figure counts rows of one page; clicking it should show those rows, not the
whole page. Each page names its filters (`Page.filter_widgets`), this table says
which of them a figure sets. A page skips a key it has no filter for, so a
figure whose page cannot narrow by year still opens its page.
"""

from __future__ import annotations

from typing import Any

from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain import service_flow as flow
from desktop_app.views.overview import Figure, TodoItem

HELD = {"status": meeting_rules.HELD, "kind": None}  # None: the "全部" entry, undoing an earlier click
# A figure counts all of its page's rows of the year: it undoes what a to-do narrowed the page to
# (the 逾期 visits, one branch's 欠交名单), or 走访 856 would open on the 35 late ones.
ALL_VISITS = {"state": None}

# key of the figure -> filters beside the year
FIGURE_FILTERS: dict[str, dict[str, Any]] = {
    "members_total": {"category": None, "birthday": None},  # undoing a 本月政治生日 click
    "members_full": {"category": "正式党员", "birthday": None},
    "members_probationary": {"category": "预备党员", "birthday": None},
    "meetings_held": HELD,
    "attendance_rate": HELD,
    "meetings_congress": {**HELD, "kind": meeting_rules.BRANCH_CONGRESS},
    "meetings_committee": {**HELD, "kind": meeting_rules.COMMITTEE},
    "meetings_group": {**HELD, "kind": meeting_rules.GROUP_MEETING},
    "meetings_lecture": {**HELD, "kind": meeting_rules.PARTY_LECTURE},
    "meetings_theme_day": {**HELD, "kind": meeting_rules.THEME_DAY},
    "meetings_org_life": {**HELD, "kind": meeting_rules.ORG_LIFE},
    "meetings_evaluation": {**HELD, "kind": meeting_rules.EVALUATION},
    "meetings_joint": {**HELD, "kind": meeting_rules.JOINT},
    # by the date each figure counts (认领 52 are the wishes claimed in the year, some fulfilled since), any state
    "wishes_posted": {"state": None, "year_of": "posted"},
    "wishes_claimed": {"state": None, "year_of": "claimed"},
    "wishes_fulfilled": {"state": None, "year_of": "fulfilled"},
    "projects_done": {"view": "done"},
    "visits": ALL_VISITS,
    "problems_raised": {"state": "raised"},  # the visits that raised one, not every visit of the year
    "problems_closed": {"state": "closed"},
    "close_rate": {"state": "raised"},
    "dues_paid_fen": {"tab": "register"},  # the 收缴登记, not the 欠交名单 a to-do left open
    "dues_arrears_members": {"tab": "arrears"},
    "dues_arrears_fen": {"tab": "arrears"},
    # the books' whole year, not the one account an 透支 / 超出预算 to-do narrowed them to
    "spending_fen": {"account": None, "tab": "entries"},
    "budget_fen": {"account": None, "tab": "budget"},  # 预算执行: each line's budget beside what it spent
    "income_fen": {"account": None, "tab": "entries"},
}

# Figures of today (no year): their page keeps its own period.
TODAY_ONLY = frozenset({"members_total", "members_full", "members_probationary", "development_pipeline",
                        "dues_arrears_members", "dues_arrears_fen"})


def figure_filter(figure: Figure, year: int) -> dict[str, Any]:
    """The filters that make `figure`'s page list what the figure counts."""
    out: dict[str, Any] = {} if figure.key in TODAY_ONLY else {"year": year}
    out.update(FIGURE_FILTERS.get(figure.key, {}))
    return out


# A to-do item opens its page showing the kind of record it is about (the record itself is selected too).
TODO_FILTERS: dict[str, dict[str, Any]] = {
    "probation": {"category": "预备党员", "birthday": None},
    "visits": {"state": "overdue", "period": "all"},
    "wishes": {"state": flow.WISH_POSTED, "year": None, "year_of": "posted"},
    "projects": {"view": "overdue"},
    # 尚未结账 is about the whole books: undo the one account an 透支 / 超出预算 item narrowed them to (they set theirs)
    "ledger": {"account": None, "tab": "entries"},
    # 本月政治生日 names its month (item.filters); everyone else's filters undone, or a branch chosen before hides some
    "birthdays": {"text": "", "org": None, "category": None, "status": "在册党员"},
}


def todo_filter(item: TodoItem) -> dict[str, Any]:
    if item.kind == "dues" and item.record_id:
        return {"branch": item.record_id, "tab": "arrears"}  # that branch's 欠交名单
    return {**TODO_FILTERS.get(item.kind, {}), **dict(item.filters)}
