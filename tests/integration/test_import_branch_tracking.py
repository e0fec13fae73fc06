"""Branches the roster import makes owe 三会一课 from the month they were made, as the 党组织 page's do."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster


def test_a_branch_the_import_makes_starts_counting_this_month(db):
    c = orgs.create(db, "桂花园社区党委", "C01", "community", None)
    rows = [MemberInput(name="周伟", org_name="第三网格党支部",
                        id_number=idcard.make("320102", date(1980, 3, 4), 3, idcard.MALE),
                        joined_date=date(2005, 7, 1), confirmed_date=date(2006, 7, 1))]
    roster.import_members(db, rows, False, ["第三网格党支部"], c.id)
    branch = next(n for n in orgs.list_tree(db) if n.name == "第三网格党支部")
    setting = next(r for r in ms.branch_cadence(db) if r.org_id == branch.id)
    assert setting.tracking_since == date.today().replace(day=1)
