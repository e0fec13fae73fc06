"""民主评议 of a year lists those to be graded for it: not a member who joined the party after the year
(the 2025 evaluation, held in early 2026, listed 2026's new 预备党员 as 未评议), nor one moved into the
双报到 register (their 组织关系 is at their employer; the roster, 应到 and 党费 left them out, the
evaluation counted them: 294 to grade at a community of 253 members). A grade once entered still shows."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import cobuilding as cb
from desktop_app.services import evaluations, orgs, roster

TODAY = date(2026, 2, 10)


def _member(db, name, org_id, i, joined, category="正式党员"):
    return roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", date(1970, 1 + i, 1), i, idcard.MALE),
        category=category, joined_date=joined,
        confirmed_date=date(joined.year + 1, joined.month, 1) if category == "正式党员" else None,
        reporting_employer="市第一医院" if name == "孙在职" else "",
    ), today=TODAY).id


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    g = orgs.create(db, "第一党小组", "G01", "group", b.id)
    people = {name: _member(db, name, org, i, joined, category)
              for i, (name, org, joined, category) in enumerate([
                  ("王老", b.id, date(1990, 7, 1), "正式党员"),
                  ("李预备", g.id, date(2025, 11, 20), "预备党员"),  # joined within 2025: graded for it
                  ("周新", g.id, date(2026, 1, 15), "预备党员"),  # joined after 2025
                  ("孙在职", b.id, date(1995, 7, 1), "正式党员"),
              ])}
    return b.id, people


def _names(db, branch_id, year):
    return [r.name for r in evaluations.grid(db, branch_id, year)]


def test_a_year_lists_only_members_to_be_graded_for_it(db, branch):
    b, m = branch
    cb.move_from_roster(db, m["孙在职"], today=TODAY)
    assert _names(db, b, 2025) == ["王老", "李预备"]
    assert _names(db, b, 2026) == ["王老", "李预备", "周新"]
    totals = evaluations.summary(db, 2025).totals()
    assert totals["未评议"] == 2


def test_a_grade_entered_before_still_shows(db, branch):
    b, m = branch
    # 孙在职 was graded for 2025 by the branch, then moved into the register: the grade stays readable
    evaluations.save(db, b, 2025, [evaluations.EvaluationEntry(m["孙在职"], "合格")])
    cb.move_from_roster(db, m["孙在职"], today=TODAY)
    evaluations.save(db, b, 2025, [evaluations.EvaluationEntry(m["王老"], "优秀")])
    rows = {r.name: r.grade for r in evaluations.grid(db, b, 2025)}
    assert rows == {"王老": "优秀", "李预备": "", "孙在职": "合格"}
    assert evaluations.summary(db, 2025).totals() == {"优秀": 1, "合格": 1, "基本合格": 0, "不合格": 0, "未评议": 1}
