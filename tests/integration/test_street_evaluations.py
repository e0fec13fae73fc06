"""At a street the 民主评议 summary (its list, the 台账 and the 汇总表) names each branch as every list does:
two communities' 第一网格党支部 were two bare 第一网格党支部, told apart by nothing."""

from desktop_app.services import evaluations
from tests.integration.test_street_branch_counts import street_of_two


def test_same_named_branches_of_two_communities_are_told_apart(empty_db):
    (b1, m1), (b2, m2) = street_of_two(empty_db)
    got = evaluations.summary(empty_db, 2025)
    assert [b.branch_name for b in got.branches] == ["梅园社区 · 第一网格党支部", "幸福里社区 · 第一网格党支部"]
    assert [len(b.rows) for b in got.branches] == [2, 1]
