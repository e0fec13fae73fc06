"""查找 on a real migrated database file: every kind it finds, masking, a 网格员's grids, and permissions."""

from datetime import date

import pytest

from desktop_app.domain import access, idcard
from desktop_app.domain.cobuilding import UnitInput
from desktop_app.domain.members import MemberInput
from desktop_app.domain.service_flow import CaseInput, PartyInput, VisitInput, WishInput
from desktop_app.services import auth, find, mediation, orgs, roster, visits, wishes
from desktop_app.services.cobuilding import units
from desktop_app.views import find as v

from tests.integration.test_roles import PASSWORD, TODAY, fast_kdf, town as roles_town  # noqa: F401 - fixtures


@pytest.fixture
def town(db, roles_town):
    """test_roles' town (王秀英 of grid one, 曾国强 of grid two, member 张三, a 网格员 and a 只读 account) with,
    for 王秀英, a wish, a visit and a case; a 预备党员 李建国; and a partner unit."""
    t = roles_town
    auth.login(db, "admin", PASSWORD)
    mn = idcard.make("320102", date(1981, 2, 3), 5, "男")
    m = roster.create(db, MemberInput(name="李建国", org_id=t["g1"], id_number=mn, gender="男", mobile="13800002222",
                                      joined_date=date(2025, 7, 1), category="预备党员"), today=TODAY)
    w = wishes.post_wish(db, WishInput(resident_id=t["r1"], content="想要一台收音机", posted_on=date(2026, 6, 1)), TODAY)
    visit = visits.log_visit(db, VisitInput(visit_date=date(2026, 6, 1), member_ids=(m.id,), resident_id=t["r1"],
                                            category="供水", content="厨房水龙头漏水"), today=TODAY)
    case = mediation.create_case(db, CaseInput(
        kind="房屋漏水", summary="楼上卫生间漏水到楼下", received_on=date(2026, 6, 1), mediator="王书记", grid_id=t["g1"],
        parties=(PartyInput("王秀英", "申请人", t["r1"], "13912345678"),
                 PartyInput("曾国强", "被申请人", t["r2"], "13900000000"))), TODAY)
    unit = units.save_unit(db, None, UnitInput(name="幸福里物业公司", kind="物业", contact_person="周经理"), TODAY)
    return dict(t, ljg=m.id, ljg_number=mn, w=w.id, visit=visit.id, case=case.id, unit=unit.id)


def kinds(found) -> list[str]:
    return [g.kind for g in found.groups]


def test_a_name_finds_the_person_and_the_records_that_name_them(db, town):
    found = find.find(db, "王秀英", today=TODAY)
    assert kinds(found) == [v.RESIDENT, v.WISH, v.VISIT, v.CASE]
    by_kind = {h.kind: h for h in found.hits}
    assert by_kind[v.RESIDENT].id == town["r1"] and by_kind[v.RESIDENT].page == "居民"
    resident = by_kind[v.RESIDENT].context
    assert resident.startswith("梅园3栋302 · 电话 139****5678") and resident.endswith("第一网格党支部")
    assert by_kind[v.WISH].id == town["w"] and "待认领" in by_kind[v.WISH].context
    assert by_kind[v.VISIT].id == town["visit"] and "供水" in by_kind[v.VISIT].context
    assert by_kind[v.CASE].id == town["case"] and by_kind[v.CASE].title == "王秀英 与 曾国强"


def test_members_by_initials_and_id_tail_orgs_and_units_by_name(db, town):
    member = find.find(db, "ljg", today=TODAY).hits
    assert [(h.kind, h.title, h.id, h.page) for h in member] == [(v.MEMBER, "李建国", town["ljg"], "党员名册")]
    assert "第一网格党支部" in member[0].context and "预备党员" in member[0].context
    assert [h.id for h in find.find(db, town["ljg_number"][-4:], today=TODAY).hits if h.kind == v.MEMBER] == [town["ljg"]]
    assert [h.id for h in find.find(db, "0002222", today=TODAY).hits] == [town["ljg"]]  # the mobile's tail
    org = find.find(db, "第二网格", today=TODAY).hits
    assert [(h.kind, h.id, h.page) for h in org] == [(v.ORG, town["g2"], "党组织")]
    assert [(h.kind, h.id, h.page) for h in find.find(db, "物业", today=TODAY).hits] == [(v.UNIT, town["unit"], "共建单位")]
    assert find.find(db, "  ", today=TODAY).empty and find.find(db, "没有这个人", today=TODAY).empty


def test_numbers_are_masked_as_the_lists_mask_them(db, town):
    auth.login(db, "street", PASSWORD)  # 只读: may not reveal
    for text in ("王秀英", "李建国", "张三"):
        shown = " ".join(h.context for h in find.find(db, text, today=TODAY).hits)
        assert "****" in shown
        for whole in (town["n1"], town["mn"], town["ljg_number"], "13912345678", "13800001111", "13800002222"):
            assert whole not in shown
    resident = next(h for h in find.find(db, "王秀英", today=TODAY).hits if h.kind == v.RESIDENT)
    assert f"身份证 {idcard.mask(town['n1'])}" in resident.context and "电话 139****5678" in resident.context


def test_a_grid_worker_finds_only_their_grids_residents_and_records(db, town):
    auth.login(db, "grid1", PASSWORD)
    assert find.kinds(db) == (v.MEMBER, v.RESIDENT, v.ORG, v.WISH, v.VISIT)
    assert find.find(db, "曾国强", today=TODAY).empty  # grid two's resident, and no 矛盾调处 for a 网格员
    found = find.find(db, "王秀英", today=TODAY)
    assert kinds(found) == [v.RESIDENT, v.WISH, v.VISIT]
    assert [h.id for h in found.hits if h.kind == v.RESIDENT] == [town["r1"]]


def test_an_account_without_residents_read_gets_no_residents(db, town, monkeypatch):
    monkeypatch.setitem(access.ROLE_PERMISSIONS, access.Role.VIEWER,
                        access.ROLE_PERMISSIONS[access.Role.VIEWER] - {"residents.read"})
    auth.login(db, "street", PASSWORD)
    assert v.RESIDENT not in find.kinds(db)
    assert kinds(find.find(db, "王秀英", today=TODAY)) == [v.WISH, v.VISIT, v.CASE]


def test_each_kind_lists_a_few_and_says_there_are_more(db, town):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    for i in range(5):
        number = idcard.make("320102", date(1970 + i, 1, 2), 3, "男")
        roster.create(db, MemberInput(name=f"李建{'一二三四五'[i]}", org_id=c.id, id_number=number, gender="男",
                                      joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1)), today=TODAY)
    found = find.find(db, "李建", limit_per_kind=3, today=TODAY)
    group = next(g for g in found.groups if g.kind == v.MEMBER)
    assert len(group.hits) == 3 and group.more
    assert not next(g for g in find.find(db, "李建国", today=TODAY).groups if g.kind == v.MEMBER).more


def test_finding_is_refused_on_a_locked_screen(db, town):
    auth.lock_session(db)
    with pytest.raises(auth.PermissionDenied):
        find.find(db, "王秀英", today=TODAY)


def test_reading_ahead_finds_nothing_and_keeps_to_the_account(db, town):
    auth.login(db, "grid1", PASSWORD)
    assert find.find(db, "〇〇〇", today=TODAY).empty  # the word prepare searches for is in no record
    find.prepare(db, today=TODAY)
    assert [h.id for h in find.find(db, "张三", today=TODAY).hits] == [town["m"]]
    auth.lock_session(db)
    with pytest.raises(auth.PermissionDenied):
        find.prepare(db, today=TODAY)
