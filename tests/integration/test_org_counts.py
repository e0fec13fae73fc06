"""党组织 counts the members the roster lists: not those who left (转出, 去世), nor those moved into the 双报到 register."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.members import MemberInput
from desktop_app.services import cobuilding, orgs, roster
from desktop_app.services.roster import MemberFilter

TODAY = date(2026, 6, 15)


def test_the_tree_counts_who_the_roster_lists(db):
    root = roster.root_org_id(db)
    branch = orgs.create(db, "第一网格党支部", "32010200101", "branch", root)
    group = orgs.create(db, "第一党小组", "3201020010101", "group", branch.id)
    made = {}
    for n, (name, org) in enumerate((("张三", branch), ("李四", group), ("王五", group), ("赵六", group)), start=1):
        made[name] = roster.create(db, MemberInput(
            name=name, org_id=org.id, id_number=idcard.make("320102", date(1980, 1, n), n, "男"),
            category="正式党员", joined_date=date(2005, 7, 1), confirmed_date=date(2006, 7, 1),
            job="区卫生健康委员会科员" if name == "赵六" else ""), TODAY)
    roster.change_status(db, made["王五"].id, rules.TRANSFERRED_OUT, date(2026, 3, 1), destination="南京市",
                         today=TODAY)
    cobuilding.move_from_roster(db, made["赵六"].id, TODAY)  # a 在职党员: 组织关系 with the employer

    counts = {n.name: n.member_count for n in orgs.list_tree(db)}
    assert (counts["第一网格党支部"], counts["第一党小组"]) == (1, 1)
    listed = roster.search_ids(db, MemberFilter(active_only=True), today=TODAY)
    assert sum(counts.values()) == len(listed) == 2
