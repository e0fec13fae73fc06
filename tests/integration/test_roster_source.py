"""roster.roster_print: what the printed 党员花名册 lists, on a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.idcard import FEMALE, MALE
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster
from desktop_app.services.roster import MemberFilter

TODAY = date(2024, 6, 1)


def collect(db, flt=None, today=None):
    """(center name, groups) of the print model, one service call."""
    printed = roster.roster_print(db, flt, today=today)
    return printed.center_name, printed.groups


def person(name: str, org_id: str, n: int, gender: str = MALE, born: date = date(1960, 3, 2), **kw) -> MemberInput:
    values = dict(
        name=name, org_id=org_id, id_number=idcard.make("320102", born, n, gender),
        joined_date=date(born.year + 25, 7, 1), confirmed_date=date(born.year + 26, 7, 1),
        mobile=f"1391234{n:04d}", ethnicity="汉族", education="本科", job="退休",
    )
    values.update(kw)
    return MemberInput(**values)


@pytest.fixture
def tree(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    # Created second-first, then moved, so tree order differs from creation order and code order.
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", community.id)
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    orgs.move(db, b1.id, community.id, 0)
    g1 = orgs.create(db, "第一党小组", "B0101", "group", b1.id)
    g2 = orgs.create(db, "第一党小组", "B0201", "group", b2.id)  # same name under another branch
    return community, b1, b2, g1, g2


def test_members_grouped_by_branch_in_tree_order(db, tree):
    community, b1, b2, g1, g2 = tree
    roster.create(db, person("王五", b2.id, 1, seq=3), today=TODAY)
    roster.create(db, person("张三", b1.id, 2, FEMALE, seq=2, notes="老党员"), today=TODAY)
    roster.create(db, person("李四", g1.id, 3, seq=1), today=TODAY)  # in a 党小组 of 第一网格党支部
    roster.create(db, person("赵六", g2.id, 4, seq=4), today=TODAY)  # in the other 第一党小组
    roster.create(db, person("钱七", community.id, 5, seq=5), today=TODAY)

    center, groups = collect(db, today=TODAY)

    assert center == "幸福里社区党委"
    assert [(name, [line.name for line in lines]) for name, lines in groups] == [
        ("幸福里社区党委", ["钱七"]),  # the community comes first in the tree
        ("第一网格党支部", ["李四", "张三"]),  # 序号 order, group members under their branch
        ("第二网格党支部", ["王五", "赵六"]),
    ]
    zhang = groups[1][1][1]
    expected = person("张三", b1.id, 2, FEMALE)
    # Lines carry the full numbers: the renderer masks them, so no caller can forget.
    assert zhang.id_number == expected.id_number
    assert zhang.mobile == expected.mobile
    assert (zhang.gender, zhang.birth_date, zhang.ethnicity, zhang.education) == ("女", date(1960, 3, 2), "汉族", "本科")
    assert (zhang.joined_date, zhang.confirmed_date, zhang.category) == (date(1985, 7, 1), date(1986, 7, 1), "正式党员")
    assert (zhang.job, zhang.notes, zhang.party_status) == ("退休", "老党员", "正常")


def test_members_no_longer_on_the_roster_are_left_out_by_default(db, tree):
    _community, b1, _b2, _g1, _g2 = tree
    stays = roster.create(db, person("张三", b1.id, 1), today=TODAY)
    leaves = roster.create(db, person("李四", b1.id, 2), today=TODAY)
    died = roster.create(db, person("王五", b1.id, 3), today=TODAY)
    gone = roster.create(db, person("赵六", b1.id, 4), today=TODAY)
    roster.transfer(db, leaves.id, "转出", date(2024, 5, 1), to_org="外区某党支部", today=TODAY)
    roster.change_status(db, died.id, "去世", date(2024, 4, 1), today=TODAY)
    roster.delete(db, gone.id)

    _center, groups = collect(db, today=TODAY)
    assert [[line.name for line in lines] for _n, lines in groups] == [["张三"]]

    # Asked for everyone, the transferred and deceased are listed; a deleted record never is.
    _center, groups = collect(db, MemberFilter(), today=TODAY)
    assert sorted(line.name for _n, lines in groups for line in lines) == sorted(["张三", "李四", "王五"])
    assert groups[0][1][0].name == stays.name


def test_a_filter_narrows_the_roster(db, tree):
    _community, b1, b2, g1, _g2 = tree
    roster.create(db, person("张三", b1.id, 1), today=TODAY)
    roster.create(db, person("李四", g1.id, 2), today=TODAY)
    roster.create(db, person("王五", b2.id, 3), today=TODAY)
    roster.create(db, person("钱七", b2.id, 4, joined_date=date(2023, 9, 1), confirmed_date=None,
                             category="预备党员"), today=TODAY)

    _center, groups = collect(db, MemberFilter(org_id=b1.id, active_only=True), today=TODAY)
    assert [(n, [line.name for line in lines]) for n, lines in groups] == [("第一网格党支部", ["张三", "李四"])]

    _center, groups = collect(db, MemberFilter(category="预备党员"), today=TODAY)
    assert [(n, [line.name for line in lines]) for n, lines in groups] == [("第二网格党支部", ["钱七"])]

    _center, groups = collect(db, MemberFilter(text="zs"), today=TODAY)
    assert [line.name for _n, lines in groups for line in lines] == ["张三"]


def test_empty_roster(db):
    center, groups = collect(db, today=TODAY)
    assert center == "幸福里社区党委" and groups == []
