"""工作台 at a street: a branch is named with its community, since each community may have a 第一党支部."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, overview, roster, site

TODAY = date(2026, 3, 2)


def _probation(db, community=None):
    return [i.text for i in overview.todo(db, TODAY, community=community).items if i.kind == "probation"]


def _probationer(db, branch, n):
    roster.create(db, MemberInput(name=f"预备{n}", org_id=branch.id, category="预备党员", joined_date=date(2025, 3, 20),
                                  id_number=idcard.make("320102", date(1995, 1, 2), n, idcard.MALE)))


def test_a_branch_at_a_street_is_named_with_its_community(empty_db):
    db = empty_db
    site.init_site(db, "320102", "梅园街道党工委", "street")
    street = next(n for n in orgs.list_tree(db) if n.kind == "street")
    communities = [orgs.create(db, name, code, "community", street.id)
                   for name, code in (("梅园社区党委", "320102001"), ("幸福里社区党委", "320102002"))]
    for n, c in enumerate(communities, start=1):
        _probationer(db, orgs.create(db, "第一党支部", c.code + "01", "branch", c.id), n)
    texts = _probation(db)
    assert any("（梅园社区 · 第一党支部）" in t for t in texts), texts
    assert any("（幸福里社区 · 第一党支部）" in t for t in texts), texts
    # narrowed to one community the name alone is plain enough
    assert [t for t in _probation(db, communities[0].id) if "（第一党支部）" in t]


def test_a_community_keeps_the_bare_name(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    _probationer(db, orgs.create(db, "第一党支部", "B01", "branch", community.id), 1)
    assert [t for t in _probation(db) if "（第一党支部）" in t]


def test_arrears_of_two_same_named_branches_are_two_items(empty_db):
    from desktop_app.domain.dues import EMPLOYED
    from desktop_app.services import dues

    db = empty_db
    site.init_site(db, "320102", "梅园街道党工委", "street")
    street = next(n for n in orgs.list_tree(db) if n.kind == "street")
    for n, (name, code) in enumerate((("梅园社区党委", "320102001"), ("幸福里社区党委", "320102002")), start=1):
        c = orgs.create(db, name, code, "community", street.id)
        b = orgs.create(db, "第一党支部", code + "01", "branch", c.id)
        m = roster.create(db, MemberInput(name=f"党员{n}", org_id=b.id, joined_date=date(2000, 7, 1),
                                          confirmed_date=date(2001, 7, 1),
                                          id_number=idcard.make("320102", date(1970, 1, 2), n, idcard.MALE)))
        dues.set_base(db, m.id, date(2025, 9, 1), EMPLOYED, 300_000)
    texts = sorted(i.text for i in overview.todo(db, TODAY).items if i.kind == "dues")
    assert len(texts) == 2, texts
    assert texts[0].startswith("幸福里社区 · 第一党支部：1 人欠缴党费") and texts[1].startswith("梅园社区 · 第一党支部：1 人")


def test_arrears_in_party_groups_are_one_item_per_branch(db):
    # Members in 党小组 were counted by group: the 工作台 listed "第二党小组：1 人欠缴党费" twice, for two
    # branches' 第二党小组, with no branch named, and the item opened the 党费 page on a group it cannot filter by.
    from desktop_app.domain.dues import EMPLOYED
    from desktop_app.services import dues

    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    n = 0
    branches = {}
    for name, code in (("第一网格党支部", "B01"), ("第二网格党支部", "B02")):
        b = orgs.create(db, name, code, "branch", community.id)
        g = orgs.create(db, "第二党小组", code + "02", "group", b.id)
        branches[name] = b.id
        for where in (b, g):
            n += 1
            m = roster.create(db, MemberInput(name=f"党员{n}", org_id=where.id, joined_date=date(2000, 7, 1),
                                              confirmed_date=date(2001, 7, 1),
                                              id_number=idcard.make("320102", date(1970, 1, 2), n, idcard.MALE)))
            dues.set_base(db, m.id, date(2025, 9, 1), EMPLOYED, 300_000)
    items = sorted((i for i in overview.todo(db, TODAY).items if i.kind == "dues"), key=lambda i: i.text)
    assert [i.text.split("，")[0] for i in items] == ["第一网格党支部：2 人欠缴党费", "第二网格党支部：2 人欠缴党费"]
    assert [i.record_id for i in items] == [branches["第一网格党支部"], branches["第二网格党支部"]]


def test_meeting_items_at_a_street_name_the_community_of_a_branch_only_one_community_has(empty_db):
    # 紫荆社区's 第七网格党支部 (银杏社区 has none) was bare in the 三会一课 items while its 欠缴 and 走访
    # items said 紫荆社区 · 第七网格党支部.
    db = empty_db
    site.init_site(db, "320102", "梅园街道党工委", "street")
    street = next(n for n in orgs.list_tree(db) if n.kind == "street")
    for name, code in (("梅园社区党委", "320102001"), ("幸福里社区党委", "320102002")):
        c = orgs.create(db, name, code, "community", street.id)
        orgs.create(db, "第一党支部", code + "01", "branch", c.id)
    orgs.create(db, "第七党支部", "32010200107", "branch", c.id)
    texts = [i.text for i in overview.todo(db, TODAY).items if i.kind == "meetings"]
    assert any(t.startswith("幸福里社区 · 第七党支部：") for t in texts), texts
    assert not any(t.startswith("第七党支部") for t in texts), texts
    # narrowed to that community the name alone is plain enough
    texts = [i.text for i in overview.todo(db, TODAY, community=c.id).items if i.kind == "meetings"]
    assert any(t.startswith("第七党支部：") for t in texts), texts
