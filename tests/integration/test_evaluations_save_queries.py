"""民主评议: saving a branch's grades reads its members together, not one by one. A branch of 850 members
took 7.6 s to save at a desk (one query per member, each flushing the grades before it)."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import evaluations, orgs, roster
from desktop_app.views.evaluations import EvaluationEntry
from tests.sql_statements import statements


def test_saving_a_bigger_branch_takes_no_more_reads(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    counts = []
    for b_no, size in enumerate((3, 30), start=1):
        b = orgs.create(db, f"第{b_no}网格党支部", f"B0{b_no}", "branch", c.id)
        for i in range(size):
            roster.create(db, MemberInput(
                name=f"党员{b_no}{i:02d}", org_id=b.id,
                id_number=idcard.make("320102", date(1930 + i, 1 + b_no, 1), i, idcard.MALE),
                joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
        rows = evaluations.grid(db, b.id, 2025)
        entries = [EvaluationEntry(r.member_id, "合格", "") for r in rows]
        counts.append(len(statements(db, lambda: evaluations.save(db, b.id, 2025, entries), "FROM member")))
        assert [r.grade for r in evaluations.grid(db, b.id, 2025)] == ["合格"] * size
    few, many = counts
    assert many == few, counts
