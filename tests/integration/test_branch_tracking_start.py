"""A new center's first month: a branch created in the program counts its 三会一课 from the month it was
created, so the months before it existed are not 逾期未开 in the grid, the 工作台 or `dangqun stats`."""

from datetime import date

from desktop_app.domain import cadence as rules
from desktop_app.domain import meetings as r
from desktop_app.domain.meetings import CellStatus, Period, PeriodUnit
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, overview


def _community(db):
    return next(n for n in orgs.list_tree(db) if n.kind == "community")


def test_a_branch_created_here_is_not_overdue_before_its_month(db):
    today = date.today()
    b = orgs.create(db, "第一网格党支部", "B01", "branch", _community(db).id)
    orgs.create(db, "第一党小组", "G01", "group", b.id)
    row = next(x for x in ms.branch_cadence(db, today) if x.org_id == b.id)
    assert row.tracking_since == today.replace(day=1)
    # last year it did not exist here: nothing owed; this year only from its month on
    assert ms.compliance(db, today.year - 1, today).overdue == 0
    grid = ms.compliance(db, today.year, today)
    assert grid.overdue == 0 and grid.tracking_since == {b.id: today.replace(day=1)}
    assert not [i for i in overview.todo(db, today).items if i.kind == "meetings" and i.overdue]


def test_a_given_start_is_kept_and_groups_have_none(db):
    b = orgs.create(db, "第一网格党支部", "B01", "branch", _community(db).id, tracking_since=date(2025, 7, 1))
    g = orgs.create(db, "第一党小组", "G01", "group", b.id)
    rows = {x.org_id: x for x in ms.branch_cadence(db)}
    assert rows[b.id].tracking_since == date(2025, 7, 1) and g.id not in rows
    later = ms.compliance(db, 2025, date(2025, 12, 20)).cells[(b.id, r.THEME_DAY)]
    assert [c.status for c in later[:6]] == [CellStatus.NOT_REQUIRED] * 6
    assert later[6].status == CellStatus.OVERDUE


def test_a_meeting_entered_for_a_month_before_the_start_shows_held():
    rule = next(k for k in r.DEFAULT_KINDS if k.kind == r.THEME_DAY)
    period = Period(2025, PeriodUnit.MONTH, 3)
    since = date(2025, 7, 1)
    assert rules.cell_status(rule, period, date(2025, 12, 1), held=1, since=since) == CellStatus.HELD
    assert rules.cell_status(rule, period, date(2025, 12, 1), held=0, since=since) == CellStatus.NOT_REQUIRED
