"""At a street the 按支部 counts keep two communities' 第一网格党支部 apart (they were one line, summed)."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import membership, orgs, roster, site


def street_of_two(db) -> list[tuple[str, list[str]]]:
    """梅园街道 with 梅园社区 (a member in its 第一网格党支部, one in that branch's 第一党小组) and 幸福里社区
    (a member in its 第一网格党支部): each community's branch id and its members' ids."""
    site.init_site(db, "320102", "梅园街道党工委", "street")
    street = next(n for n in orgs.list_tree(db) if n.kind == "street")
    n, out = 0, []
    for name, code, size in (("梅园社区党委", "320102001", 2), ("幸福里社区党委", "320102002", 1)):
        c = orgs.create(db, name, code, "community", street.id)
        b = orgs.create(db, "第一网格党支部", code + "01", "branch", c.id)
        g = orgs.create(db, "第一党小组", code + "0101", "group", b.id)
        members = []
        for where in (b, g)[:size]:
            n += 1
            members.append(roster.create(db, MemberInput(
                name=f"党员{n}", org_id=where.id, joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1),
                id_number=idcard.make("320102", date(1970, 1, 2), n, idcard.MALE))).id)
        out.append((b.id, members))
    return out


def test_same_named_branches_of_two_communities_are_counted_apart(empty_db):
    street_of_two(empty_db)
    expected = {"梅园社区 · 第一网格党支部": 2, "幸福里社区 · 第一网格党支部": 1}
    assert roster.stats(empty_db).by_branch == expected  # the member in a 党小组 counts for its branch
    assert membership.counts_on(empty_db, date.today()).by_branch == expected


def test_a_community_keeps_the_bare_branch_name(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    roster.create(db, MemberInput(name="张三", org_id=b.id, joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1),
                                  id_number=idcard.make("320102", date(1970, 1, 2), 1, idcard.MALE)))
    assert roster.stats(db).by_branch == {"第一网格党支部": 1}
    assert membership.counts_on(db, date.today()).by_branch == {"第一网格党支部": 1}
