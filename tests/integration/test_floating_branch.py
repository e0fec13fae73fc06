"""A 流出 is kept under the member's own branch. The form asked for a 所在党支部 apart from the member,
defaulting to the first branch, so a member of another branch was listed in the wrong branch's register."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain import memberlife as rules
from desktop_app.domain.members import MemberInput
from desktop_app.services import memberlife as ml, orgs, roster

TODAY = date(2026, 12, 6)


def test_the_outing_goes_under_the_members_branch_whatever_branch_is_passed(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    first = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    third = orgs.create(db, "第三网格党支部", "B03", "branch", c.id)
    group = orgs.create(db, "第三党小组", "G03", "group", third.id)
    mid = roster.create(db, MemberInput(
        name="杨桂珍", org_id=group.id, joined_date=date(1975, 4, 30), confirmed_date=date(1976, 4, 30),
        id_number=idcard.make("320102", date(1954, 8, 18), 2, idcard.FEMALE)), today=date(2026, 1, 5)).id
    row = ml.add_floating(db, rules.FloatingInput(rules.FLOW_OUT, first.id, date(2026, 9, 1), member_id=mid,
                                                  place="江苏省苏州市"), today=TODAY)
    assert (row.org_id, row.branch_name) == (third.id, "第三网格党支部")
    ml.end_floating(db, row.id, date(2026, 10, 1), today=TODAY)
    row = ml.add_floating(db, rules.FloatingInput(rules.FLOW_OUT, None, date(2026, 11, 1), member_id=mid,
                                                  place="江苏省无锡市"), today=TODAY)
    assert row.branch_name == "第三网格党支部"

