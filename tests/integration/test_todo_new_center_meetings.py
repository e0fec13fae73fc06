"""A center's first month: the 应开未开 to-do of a branch with nothing on record before this month says how
to stop counting the months before the program was in use (or to record them); one with history does not."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, overview, roster

TODAY = date(2026, 12, 6)
HINT = "支部设置"


def _branch(db, name, code):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, name, code, "branch", c.id)
    # a branch from before new branches were given their month of creation as tracking start
    ms.set_branch_cadence(db, b.id, None, None)
    roster.create(db, MemberInput(name=f"{name[:2]}王建国", org_id=b.id,
                                  id_number=idcard.make("320102", date(1960, 1, 2), int(code[-1]), idcard.MALE),
                                  joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    return b


def _late(db, branch_name):
    items = [i for i in overview.todo(db, TODAY).items if i.kind == "meetings" and i.overdue]
    return next(i for i in items if i.text.startswith(branch_name))


def test_a_branch_with_nothing_before_this_month_is_told_where_its_start_is_set(db):
    new = _branch(db, "第一党支部", "B01")
    old = _branch(db, "第二党支部", "B02")
    # this month's meeting does not tell the program that earlier months were kept
    held = ms.plan(db, ms.MeetingInput(org_id=new.id, kind=r.BRANCH_CONGRESS, title="支部党员大会",
                                       meeting_date=date(2026, 12, 3)))
    ms.all_present(db, held.id)
    earlier = ms.plan(db, ms.MeetingInput(org_id=old.id, kind=r.PARTY_LECTURE, title="党课",
                                          meeting_date=date(2026, 2, 10)))
    ms.all_present(db, earlier.id)
    item = _late(db, "第一党支部")
    assert HINT in item.text and "建档统计起始日" in item.text and "导入表格" in item.text
    assert HINT not in _late(db, "第二党支部").text  # it has kept its meetings here before: plainly late


def test_a_set_start_takes_the_hint_away(db):
    new = _branch(db, "第一党支部", "B01")
    ms.set_branch_cadence(db, new.id, date(2026, 1, 1), None)
    assert HINT not in _late(db, "第一党支部").text
