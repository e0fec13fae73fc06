"""A 党小组 member moved into the 双报到 register reports to the 党支部: 报到支部 names a branch, which the
register's form can show and keep (it offers branches only; a 第二党小组 alone does not say whose)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs, roster
from tests.party_people import branch, members

TODAY = date(2026, 6, 28)


def test_a_group_member_moved_into_the_register_reports_to_the_branch(db):
    g1 = branch(db)
    group = orgs.create(db, "第二党小组", "G1-2", "group", g1).id
    [chen] = members(db, group, ["陈医生"], today=TODAY)
    roster.update(db, chen, replace(roster.get(db, chen).to_input(), reporting_employer="区人民医院"), TODAY)
    d = cb.move_from_roster(db, chen, TODAY)
    # it was the member's 第二党小组, shown alone in 报到支部 and dropped by the form's branch list on a save
    assert (d.row.org_id, d.row.org_name) == (g1, "第一网格党支部")
