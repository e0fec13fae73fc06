"""党员名册 at a street: 所在党组织 says which community's 第一网格党支部 (it was the bare name for all three)."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster, site
from desktop_app.views.roster import MemberFilter


def _member(db, n, org_id, category="正式党员"):
    joined = date(2025, 8, 1) if category == "预备党员" else date(2000, 7, 1)
    return roster.create(db, MemberInput(
        name=f"党员{n}", org_id=org_id, category=category, joined_date=joined,
        confirmed_date=None if category == "预备党员" else date(2001, 7, 1),
        id_number=idcard.make("320102", date(1970, 1, 2), n, idcard.MALE)))


def test_same_named_branches_and_groups_are_led_by_their_community(empty_db):
    db = empty_db
    site.init_site(db, "320102", "梅园街道党工委", "street")
    street = next(n for n in orgs.list_tree(db) if n.kind == "street")
    made = {}
    for name, code in (("梅园社区党委", "320102001"), ("幸福里社区党委", "320102002")):
        c = orgs.create(db, name, code, "community", street.id)
        b = orgs.create(db, "第一网格党支部", code + "01", "branch", c.id)
        g = orgs.create(db, "第一党小组", code + "0101", "group", b.id)
        made[name] = (c, b, g)
    unique = orgs.create(db, "第七网格党支部", "32010200107", "branch", made["梅园社区党委"][0].id)
    ids = [_member(db, 1, made["梅园社区党委"][1].id).id, _member(db, 2, made["幸福里社区党委"][2].id).id,
           _member(db, 3, unique.id, "预备党员").id]
    shown = {r.id: r.org_name for r in roster.rows(db, ids)}
    assert shown == {ids[0]: "梅园社区 · 第一网格党支部", ids[1]: "幸福里社区 · 第一网格党支部 · 第一党小组",
                     ids[2]: "第七网格党支部"}  # a name no other bears stays bare
    assert [r.org_name for r in roster.probationary_due(db, date(2026, 7, 20))] == ["第七网格党支部"]
    # a district-wide search finds both and tells them apart
    found = roster.rows(db, roster.search_ids(db, MemberFilter(text="党员")))
    assert {r.org_name for r in found} >= {"梅园社区 · 第一网格党支部", "幸福里社区 · 第一网格党支部 · 第一党小组"}
    # renamed: the rows read again say so (the names are kept only until the file changes)
    c, _, _ = made["幸福里社区党委"]
    orgs.rename(db, c.id, "幸福社区党委")
    assert roster.rows(db, ids[1:2])[0].org_name == "幸福社区 · 第一网格党支部 · 第一党小组"
