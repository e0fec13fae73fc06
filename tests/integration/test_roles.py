"""Roles at the service layer, on real database files.

Part one drives the mechanism the services use (auth.require / auth.scoped /
privacy.mask_unless) over the real tables, in the very query shapes of
services/residents.py and roster.py. Part two calls the service modules
themselves: a 网格员 kept to their grids through every list and detail call,
refused the ledger, dues and other grids' rows, shown members masked; a 只读
user refused one representative write per module; an administrator allowed
all. Part three reads the service modules' source and lists every public
function that touches the database without a permission check.
"""

import ast
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import func, select

import desktop_app.services as services_pkg
from desktop_app.domain import access, idcard
from desktop_app.domain.dues import EMPLOYED
from desktop_app.domain.members import MemberInput
from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import CaseInput, PartyInput, ProjectInput, SessionInput, VisitInput, WishInput
from desktop_app.services.roster import exporting as member_files
from desktop_app.services import (
    auth, demo, dues, evaluations, ledger, mediation, orgs, overview, privacy, projects, roster, service_stats,
    visits, wishes,
)
from desktop_app.services import meetings as ms
from desktop_app.services import residents as res
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.residents import HouseholdInput, ResidentFilter, ResidentInput
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Household, Organization, Resident
from desktop_app.store.models_access import AuditEntry

TODAY = date(2026, 6, 15)
PASSWORD = "xingfuli2026"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


@pytest.fixture
def town(db):
    """Two grids with a household and a resident each, a member, and four accounts."""
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", c.id).id
    g2 = orgs.create(db, "第二网格党支部", "G2", "branch", c.id).id
    h1 = res.create_household(db, HouseholdInput(grid_id=g1, building="梅园3栋", room="302", phone="13912345678"))
    h2 = res.create_household(db, HouseholdInput(grid_id=g2, building="桂花苑1栋", room="101"))
    n1 = idcard.make("320102", date(1940, 3, 8), 7, idcard.FEMALE)
    r1 = res.create_resident(db, ResidentInput(name="王秀英", household_id=h1.id, id_number=n1,
                                               phone="13912345678"), TODAY)
    r2 = res.create_resident(db, ResidentInput(name="曾国强", household_id=h2.id, phone="025-84561234"), TODAY)
    r0 = res.create_resident(db, ResidentInput(name="无网格", grid_id=None), TODAY)
    mn = idcard.make("320102", date(1980, 5, 6), 1, "男")
    m = roster.create(db, MemberInput(name="张三", org_id=g1, id_number=mn, gender="男", mobile="13800001111",
                                      joined_date=date(2005, 7, 1), confirmed_date=date(2006, 7, 1)), today=TODAY)
    auth.create_user(db, "grid1", "李网格", "grid", PASSWORD, grid_ids=[g1])
    auth.create_user(db, "sec", "赵委员", "secretary", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    return dict(g1=g1, g2=g2, h1=h1.id, h2=h2.id, r1=r1.id, r2=r2.id, r0=r0.id, n1=n1, m=m.id, mn=mn)


def as_user(db, login):
    return auth.login(db, login, PASSWORD)


def visible_residents(db) -> set[str]:
    """The residents list query of services/residents.py with the scoping line added."""
    with db.session() as s:
        q = select(Resident.name).where(Resident.deleted.is_(False))
        q = q.where(auth.scoped(db, "residents.read", Resident.grid_id))
        return set(s.scalars(q))


# ---------------------------------------------------------------- the mechanism over real tables


def test_grid_worker_lists_only_their_own_grid(db, town):
    assert visible_residents(db) == {"王秀英", "曾国强", "无网格"}  # admin
    as_user(db, "grid1")
    assert visible_residents(db) == {"王秀英"}
    with db.session() as s:
        q = select(Household.building).where(auth.scoped(db, "residents.read", Household.grid_id))
        assert set(s.scalars(q)) == {"梅园3栋"}
    as_user(db, "street")
    assert visible_residents(db) == {"王秀英", "曾国强", "无网格"}  # a viewer sees all, masked


def test_grid_worker_cannot_touch_another_grids_row(db, town):
    as_user(db, "grid1")
    with db.session() as s:
        mine, theirs, nobodys = (s.get(Resident, town[k]) for k in ("r1", "r2", "r0"))
    auth.require(db, "residents.write", grid_id=mine.grid_id)
    for row in (theirs, nobodys):
        with pytest.raises(PermissionDenied, match="只能处理本人负责网格"):
            auth.require(db, "residents.read", grid_id=row.grid_id)
    auth.require(db, "visits.write", grid_id=town["g1"])
    with pytest.raises(PermissionDenied):
        auth.require(db, "wishes.write", grid_id=town["g2"])


def test_grid_worker_cannot_write_the_ledger_or_members(db, town):
    as_user(db, "grid1")
    for perm in ("ledger.write", "ledger.read", "members.write", "meetings.write", "export.personal"):
        with pytest.raises(PermissionDenied) as err:
            auth.require(db, perm)
        assert "李网格" in str(err.value) and "网格员" in str(err.value)


def test_members_are_masked_for_grid_workers_and_viewers_only(db, town):
    detail = roster.get(db, town["m"])
    assert privacy.mask_unless(db, "members.reveal", detail).id_number == town["mn"]  # admin
    as_user(db, "sec")
    assert privacy.mask_unless(db, "members.reveal", detail).mobile == "13800001111"
    for login in ("grid1", "street"):
        as_user(db, login)
        shown = privacy.mask_unless(db, "members.reveal", detail)
        assert shown.id_number == idcard.mask(town["mn"]) and shown.mobile == "138****1111"
        assert shown.name == "张三"
        listed = privacy.mask_unless(db, "members.reveal", [detail])
        assert listed[0].id_number == idcard.mask(town["mn"])
        with pytest.raises(PermissionDenied):
            privacy.reveal(db, "member", town["m"], "id_number")


def test_reveal_of_a_resident_follows_the_grid(db, town):
    as_user(db, "grid1")
    assert privacy.reveal(db, "resident", town["r1"], "id_number") == town["n1"]
    assert privacy.reveal(db, "household", town["h1"], "phone") == "13912345678"
    with pytest.raises(PermissionDenied, match="只能处理本人负责网格"):
        privacy.reveal(db, "resident", town["r2"], "phone")
    as_user(db, "street")
    with pytest.raises(PermissionDenied, match="查看居民完整身份证号和电话"):
        privacy.reveal(db, "resident", town["r1"], "id_number")


def test_a_locked_screen_refuses_every_check(db, town):
    as_user(db, "sec")
    auth.lock_session(db)
    with pytest.raises(PermissionDenied, match="请先登录"):
        visible_residents(db)
    with pytest.raises(PermissionDenied, match="请先登录"):
        auth.require(db, "overview.read")


# ---------------------------------------------------------------- through the service modules


def test_service_residents_search_keeps_a_grid_worker_to_their_grid(db, town):
    as_user(db, "grid1")
    assert {r.name for r in res.search_residents(db, ResidentFilter())} == {"王秀英"}


def test_service_residents_get_and_update_refuse_another_grid(db, town):
    as_user(db, "grid1")
    for call in (lambda: res.get_resident(db, town["r2"], TODAY),
                 lambda: res.update_resident(db, town["r2"], ResidentInput(name="改名"), TODAY),
                 lambda: res.create_resident(db, ResidentInput(name="新人", grid_id=town["g2"]), TODAY)):
        with pytest.raises(PermissionDenied, match="只能处理本人负责网格"):
            call()


def test_service_ledger_refuses_a_grid_worker(db, town):
    as_user(db, "grid1")
    with pytest.raises(PermissionDenied, match="记账、结账和修改预算"):
        ledger.add_account(db, "网格活动经费")


def test_service_roster_get_is_masked_for_a_grid_worker(db, town):
    as_user(db, "grid1")
    assert roster.get(db, town["m"]).id_number == idcard.mask(town["mn"])


# ---------------------------------------------------------------- every module, every role

@pytest.fixture
def world(db, town):
    """town plus, per grid, a tagged resident, an overdue visit and a fulfilled wish; and one
    record in each other module (project, mediation case, meeting, ledger entry, dues base)."""
    g1, g2 = town["g1"], town["g2"]
    res.create_resident(db, ResidentInput(name="李大爷", household_id=town["h1"], tags=("独居老人",)), TODAY)
    res.create_resident(db, ResidentInput(name="孙阿姨", household_id=town["h2"], tags=("残疾人",)), TODAY)
    v1 = visits.log_visit(db, VisitInput(visit_date=date(2026, 6, 1), member_ids=(town["m"],), resident_id=town["r1"],
                                         category="供水", content="厨房水龙头漏水", due_date=date(2026, 6, 5)),
                          today=TODAY)
    v2 = visits.log_visit(db, VisitInput(visit_date=date(2026, 6, 2), other_visitors="外网格志愿者",
                                         resident_id=town["r2"], category="路灯", content="楼下路灯不亮",
                                         due_date=date(2026, 6, 6)), today=TODAY)
    wish_ids = []
    for rid, content in ((town["r1"], "想要一台收音机"), (town["r2"], "想学用智能手机")):
        w = wishes.post_wish(db, WishInput(resident_id=rid, content=content, posted_on=date(2026, 6, 1)), TODAY)
        wishes.claim_wish(db, w.id, date(2026, 6, 3), member_id=town["m"], today=TODAY)
        wishes.fulfil_wish(db, w.id, date(2026, 6, 10), "心愿已实现", today=TODAY)
        wish_ids.append(w.id)
    p = projects.create_project(db, ProjectInput(name="楼道灯改造", category="绿植恢复", owner_name="王书记",
                                                 deadline=date(2026, 9, 1)), TODAY)
    case = mediation.create_case(db, CaseInput(
        kind="房屋漏水", summary="楼上卫生间漏水到楼下", received_on=date(2026, 6, 1), mediator="王书记", grid_id=g1,
        parties=(PartyInput("王秀英", "申请人", town["r1"], "13912345678"),
                 PartyInput("曾国强", "被申请人", town["r2"], "13900000000"))), TODAY)
    meeting = ms.plan(db, ms.MeetingInput(org_id=g1, kind="支部党员大会", meeting_date=date(2026, 6, 10),
                                          start_time=time(9, 0), place="党群服务中心二楼会议室", host="王书记"),
                      today=TODAY)
    account = ledger.list_accounts(db)[0]
    ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 1), account.id, "支出", 5000, "活动",
                                            handler="王芳", entered_by="李明"))
    dues.set_base(db, town["m"], date(2026, 1, 1), EMPLOYED, income_fen=450_000)
    return dict(town, v1=v1.id, v2=v2.id, w1=wish_ids[0], w2=wish_ids[1], p=p.id, case=case.id,
                meeting=meeting.id, account=account.id)


def trail_size(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_a_grid_worker_sees_only_their_grid_through_every_list_and_detail(db, world):
    w = world
    # what the administrator sees: both grids (so the narrowing below is real)
    assert {r.name for r in res.search_residents(db)} == {"王秀英", "李大爷", "曾国强", "孙阿姨", "无网格"}
    assert {r.id for r in visits.list_visits(db, today=TODAY)} == {w["v1"], w["v2"]}
    assert visits.last_visitors(db) == ([], "外网格志愿者")
    assert wishes.fulfilled_counts(db, 2026)[6] == 2
    assert service_stats.monthly(db, 2026, 6).total.visits == 2

    as_user(db, "grid1")
    assert {r.name for r in res.search_residents(db)} == {"王秀英", "李大爷"}
    assert {r.name for r in res.search_residents(db, ResidentFilter(include_deleted=True))} == {"王秀英", "李大爷"}
    assert res.search_residents(db, ResidentFilter(grid_id=w["g2"])) == []
    assert res.search_residents(db, ResidentFilter(text="曾国强")) == []
    assert res.search_residents(db, ResidentFilter(household_id=w["h2"])) == []
    assert res.pick_residents(db, "孙") == [] and [p.name for p in res.pick_residents(db, "王")] == ["王秀英"]
    assert {h.id for h in res.search_households(db)} == {w["h1"]}
    assert res.search_households(db, grid_id=w["g2"]) == [] and res.search_households(db, "桂花") == []
    assert res.tag_counts(db) == {"独居老人": 1} and res.tag_counts(db, w["g2"]) == {}
    assert res.get_resident(db, w["r1"], TODAY).id_number == w["n1"]  # their own grid: in full
    assert res.get_household(db, w["h1"]).phone == "13912345678"
    for call in (lambda: res.get_resident(db, w["r2"], TODAY), lambda: res.get_resident(db, w["r0"], TODAY),
                 lambda: res.get_household(db, w["h2"])):
        with pytest.raises(PermissionDenied, match="只能处理本人负责网格"):
            call()

    assert [r.id for r in visits.list_visits(db, today=TODAY)] == [w["v1"]]
    assert visits.list_visits(db, visits.VisitFilter(grid_id=w["g2"]), TODAY) == []
    assert visits.list_visits(db, visits.VisitFilter(text="路灯"), TODAY) == []
    assert [r.id for r in visits.overdue(db, TODAY)] == [w["v1"]]
    assert visits.overdue(db, TODAY, grid_id=w["g2"]) == []
    assert visits.get_visit(db, w["v1"], TODAY).visitee_name == "王秀英"
    with pytest.raises(PermissionDenied):
        visits.get_visit(db, w["v2"], TODAY)
    companions, other = visits.last_visitors(db)  # their own last visit, not the other grid's
    assert [c.name for c in companions] == ["张三"] and other == ""

    assert [r.id for r in wishes.list_wishes(db)] == [w["w1"]]
    assert wishes.list_wishes(db, wishes.WishFilter(grid_id=w["g2"])) == []
    assert wishes.get_wish(db, w["w1"]).content == "想要一台收音机"
    with pytest.raises(PermissionDenied):
        wishes.get_wish(db, w["w2"])
    assert wishes.fulfilled_counts(db, 2026)[6] == 1 and wishes.fulfilled_counts(db, 2026, w["g2"])[6] == 0

    month = service_stats.monthly(db, 2026, 6)
    assert [r.grid_id for r in month.rows] == [w["g1"]] and month.total.visits == 1
    assert service_stats.summary(db, month.period, w["g2"]).rows == ()


def test_a_grid_worker_cannot_change_another_grids_rows(db, world):
    w = world
    before = trail_size(db)
    as_user(db, "grid1")
    after_login = trail_size(db)
    v2 = VisitInput(visit_date=date(2026, 6, 2), other_visitors="李网格", resident_id=w["r2"], category="路灯",
                    content="改")
    w2 = WishInput(resident_id=w["r2"], wisher_name="曾国强", content="改", posted_on=date(2026, 6, 1))
    refused = [
        lambda: res.create_household(db, HouseholdInput(grid_id=w["g2"], building="桂花苑2栋", room="201")),
        lambda: res.create_household(db, HouseholdInput(grid_id=None, building="无网格楼", room="1")),
        lambda: res.update_household(db, w["h2"], HouseholdInput(grid_id=w["g2"], building="桂花苑1栋", room="9")),
        lambda: res.update_household(db, w["h1"], HouseholdInput(grid_id=w["g2"], building="梅园3栋", room="302")),
        lambda: res.delete_household(db, w["h2"], with_residents=True),
        lambda: res.update_resident(db, w["r1"], ResidentInput(name="王秀英", household_id=w["h2"]), TODAY),
        lambda: res.update_resident(db, w["r0"], ResidentInput(name="改名"), TODAY),
        lambda: res.delete_resident(db, w["r2"]),
        lambda: res.restore_resident(db, w["r2"]),
        lambda: visits.log_visit(db, v2, today=TODAY),
        lambda: visits.update_visit(db, w["v2"], v2, TODAY),
        lambda: visits.update_visit(db, w["v1"], v2, TODAY),  # moving their own visit into grid 2
        lambda: visits.move_follow_up(db, w["v2"], "处理中", "李网格", TODAY, "联系物业", today=TODAY),
        lambda: visits.delete_visit(db, w["v2"]),
        lambda: wishes.post_wish(db, w2, TODAY),
        lambda: wishes.update_wish(db, w["w2"], w2, TODAY),
        lambda: wishes.update_wish(db, w["w1"], w2, TODAY),
        lambda: wishes.claim_wish(db, w["w2"], TODAY, member_id=w["m"], today=TODAY),
        lambda: wishes.withdraw_claim(db, w["w2"], TODAY, today=TODAY),
        lambda: wishes.fulfil_wish(db, w["w2"], TODAY, "好", today=TODAY),
        lambda: wishes.delete_wish(db, w["w2"]),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied, match="只能处理本人负责网格"):
            call()
    with pytest.raises(PermissionDenied, match="修改微实事项目"):  # a visit becomes a project: not theirs
        visits.to_project(db, w["v1"], ProjectInput(name="修水管", category="供水", owner_name="王书记",
                                                     deadline=date(2026, 7, 1)), TODAY)
    assert trail_size(db) == after_login  # nothing was written
    # their own grid is theirs to keep
    mine = visits.log_visit(db, VisitInput(visit_date=TODAY, other_visitors="李网格", resident_id=w["r1"],
                                           raised_issue=False), today=TODAY)
    wishes.post_wish(db, WishInput(resident_id=w["r1"], content="想要老花镜", posted_on=TODAY), TODAY)
    edited = res.get_resident(db, w["r1"], TODAY).to_input()  # in full: their own grid's resident
    res.update_resident(db, w["r1"], ResidentInput(**{**edited.__dict__, "tags": ("独居老人",)}), TODAY)
    as_user(db, "admin")
    assert visits.get_visit(db, mine.id, TODAY).grid_id == w["g1"]
    assert res.get_household(db, w["h1"]).grid_id == w["g1"]
    assert res.get_resident(db, w["r2"], TODAY).name == "曾国强" and trail_size(db) > before
    r1 = res.get_resident(db, w["r1"], TODAY)
    assert (r1.id_number, r1.phone, r1.tags) == (w["n1"], "13912345678", ("独居老人",))


def test_a_grid_worker_cannot_touch_the_ledger_dues_or_members(db, world):
    w = world
    as_user(db, "grid1")
    acc = w["account"]
    for call, what in (
        (lambda: ledger.add_account(db, "网格活动经费"), "记账"),
        (lambda: ledger.post_entry(db, ledger.EntryInput(TODAY, acc, "支出", 100, "活动")), "记账"),
        (lambda: ledger.close_month(db, date(2026, 5, 1), today=TODAY), "记账"),
        (lambda: ledger.set_budget(db, acc, 2026, 100_000), "记账"),
        (lambda: ledger.list_entries(db), "查看经费台账"),
        (lambda: ledger.balances(db), "查看经费台账"),
        (lambda: dues.set_base(db, w["m"], date(2026, 7, 1), EMPLOYED, income_fen=500_000), "党费"),
        (lambda: dues.record_payment(db, w["m"], [date(2026, 6, 1)], TODAY, "李网格"), "党费"),
        (lambda: dues.set_rate_rules(db, dues.rate_rules(db)), "查看党费"),
        (lambda: dues.arrears(db, today=TODAY), "查看党费"),
        (lambda: dues.branch_grid(db, w["g1"], 2026, TODAY), "查看党费"),
        (lambda: roster.update(db, w["m"], roster.get(db, w["m"]).to_input(), TODAY), "修改党员信息"),
        (lambda: ms.plan(db, ms.MeetingInput(org_id=w["g1"], kind="支部党员大会", meeting_date=TODAY)), "三会一课"),
        (lambda: projects.list_projects(db), "查看微实事项目"),
        (lambda: mediation.list_cases(db), "查看矛盾纠纷调处"),
        (lambda: evaluations.grid(db, w["g1"], 2026), "查看民主评议"),
    ):
        with pytest.raises(PermissionDenied, match=what):
            call()
    as_user(db, "admin")
    assert ledger.entry_count(db) == 1 and len(dues.bases(db, w["m"])) == 1


def test_members_and_parties_are_masked_for_roles_that_may_not_reveal(db, world):
    w = world
    phones = {"13912345678", "13900000000"}
    for login in ("grid1", "street"):
        as_user(db, login)
        d = roster.get(db, w["m"])
        assert (d.name, d.id_number, d.mobile) == ("张三", idcard.mask(w["mn"]), "138****1111")
        assert roster.rows(db, [w["m"]])[0].id_masked == idcard.mask(w["mn"])
    # a viewer reads meetings and mediation too: the personal data in them is masked as well
    meeting = ms.get(db, w["meeting"])
    assert [(a.name, a.mobile) for a in meeting.attendees] == [("张三", "138****1111")]
    assert {p.id_number for p in ms.people_index(db)} == {idcard.mask(w["mn"])}
    case = mediation.get_case(db, w["case"])
    assert {p.phone for p in case.parties} == {"139****5678", "139****0000"}
    assert {p.phone for p in case.party_rows} == {"139****5678", "139****0000"}
    resident = res.get_resident(db, w["r1"], TODAY)
    assert resident.id_number == idcard.mask(w["n1"]) and resident.phone == "139****5678"
    assert res.get_household(db, w["h1"]).phone == "139****5678"
    as_user(db, "sec")
    d = roster.get(db, w["m"])
    assert (d.id_number, d.mobile) == (w["mn"], "13800001111")
    assert [a.mobile for a in ms.get(db, w["meeting"]).attendees] == ["13800001111"]
    assert {p.phone for p in mediation.get_case(db, w["case"]).parties} == phones
    assert res.get_resident(db, w["r1"], TODAY).id_number == w["n1"]


def viewer_writes(db, w, tmp_path):
    """One representative write per module (and the personal-data export), as (label, call)."""
    today = TODAY

    def member(name, seq):
        return MemberInput(name=name, org_id=w["g1"], id_number=idcard.make("320102", date(1990, 1, 2), seq, "男"),
                           gender="男", joined_date=date(2015, 7, 1), confirmed_date=date(2016, 7, 1))

    return [
        ("orgs", lambda: orgs.create(db, "第一党小组", "G101", "group", w["g1"])),
        ("roster", lambda: roster.create(db, member("新党员", 5), today)),
        ("roster import", lambda: roster.import_members(db, [member("导入党员", 7)], False, [], None, today=today)),
        ("residents", lambda: res.create_household(db, HouseholdInput(grid_id=w["g1"], building="新楼", room="1"))),
        ("resident lists", lambda: res.set_list(db, flow.RESIDENT_TAG, ["独居老人"])),
        ("visits", lambda: visits.log_visit(db, VisitInput(visit_date=today, other_visitors="社工",
                                                           resident_id=w["r1"], raised_issue=False), today=today)),
        ("wishes", lambda: wishes.post_wish(db, WishInput(resident_id=w["r1"], content="想要一本字典",
                                                          posted_on=today), today)),
        ("partner units", lambda: wishes.save_unit(db, None, "共建单位甲")),
        ("projects", lambda: projects.change_status(db, w["p"], flow.PROJECT_ACTIVE, today, today=today)),
        ("mediation", lambda: mediation.add_session(db, w["case"], SessionInput(today, "社区调解室", "王书记",
                                                                                "双方到场"), today)),
        ("meetings", lambda: ms.cancel(db, w["meeting"], "改期")),
        ("meeting settings", lambda: ms.reset_kind_settings(db)),
        ("evaluations", lambda: evaluations.save(db, w["g1"], 2025,
                                                 [evaluations.EvaluationEntry(w["m"], "优秀")])),
        ("ledger", lambda: ledger.add_account(db, "共建单位捐赠")),
        ("dues", lambda: dues.set_base(db, w["m"], date(2026, 7, 1), EMPLOYED, income_fen=500_000)),
        ("export", lambda: member_files.export_members(db, tmp_path / "名册.xlsx")),
    ]


def test_a_viewer_reads_everything_and_writes_nothing(db, world, tmp_path):
    w = world
    as_user(db, "street")
    after_login = trail_size(db)
    # reading: every module, every grid
    assert len(res.search_residents(db)) == 5 and len(visits.list_visits(db, today=TODAY)) == 2
    assert len(wishes.list_wishes(db)) == 2 and len(projects.list_projects(db, today=TODAY)) == 1
    assert len(mediation.list_cases(db)) == 1 and len(ms.list_meetings(db)) == 1
    assert ledger.entry_count(db) == 1 and len(dues.bases(db, w["m"])) == 1
    assert overview.overview(db).members == 1 and len(roster.search_ids(db, roster.MemberFilter())) == 1
    assert evaluations.grid(db, w["g1"], 2026)[0].name == "张三"
    allowed = []
    for label, call in viewer_writes(db, w, tmp_path):
        try:
            call()
        except PermissionDenied as exc:
            assert "街道小钱" in str(exc) and "只读" in str(exc)
        else:
            allowed.append(label)
    assert allowed == []
    assert trail_size(db) == after_login  # not one change, not even a log line
    assert not (tmp_path / "名册.xlsx").exists()


def test_an_administrator_can_do_everything(db, world, tmp_path):
    w = world
    as_user(db, "admin")
    for _label, call in viewer_writes(db, w, tmp_path):
        call()  # each succeeds
    assert (tmp_path / "名册.xlsx").exists()
    with db.session() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.user_name, AuditEntry.note)
                         .where(AuditEntry.action.in_(("import", "export")))).all()
    assert {(a, u) for a, u, _ in rows} == {("import", "王书记"), ("export", "王书记")}
    assert any("导入党员 1 名" in n for a, _, n in rows if a == "import")
    assert privacy.reveal(db, "member", w["m"], "mobile") == "13800001111"
    assert len(res.search_residents(db)) == 5


def test_a_secretary_does_the_communitys_work_but_not_user_management(db, world, tmp_path):
    w = world
    as_user(db, "sec")
    for _label, call in viewer_writes(db, w, tmp_path):
        call()
    with pytest.raises(PermissionDenied, match="管理用户"):
        auth.list_users(db)


def test_a_unit_of_work_keeps_its_actor_when_the_screen_locks_midway(db, town):
    as_user(db, "sec")
    with UnitOfWork(db) as uow:
        org = Organization(name="临时支部", code="T9", kind="branch", parent_id=town["g1"])
        auth.lock_session(db)  # the idle lock fires while a long action runs
        uow.session.add(org)
        uow.commit()
    with db.session() as s:
        who = s.scalar(select(AuditEntry.user_name).where(AuditEntry.row_id == org.id))
    assert who == "赵委员"


def test_demo_data_needs_the_right_and_leaves_one_trail_line(empty_db):
    db = empty_db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    as_user(db, "street")
    with pytest.raises(PermissionDenied):
        demo.generate(db, members=5, with_modules=False)
    as_user(db, "admin")
    demo.generate(db, members=5, with_modules=False)
    with db.session() as s:
        lines = s.execute(select(AuditEntry.user_name, AuditEntry.note).where(AuditEntry.action == "demo")).all()
    assert lines == [("王书记", "生成演示数据（党员 5 名）")]


# ---------------------------------------------------------------- the source: no public call unchecked

SERVICE_MODULES = ("orgs", "roster", "residents", "visits", "wishes", "projects", "mediation", "meetings",
                   "evaluations", "ledger", "dues", "overview", "service_stats", "demo", "development", "membership",
                   "transfers", "memberlife", "cobuilding", "revert", "find")
CHECKS = {"require", "scoped", "scope"}  # auth.can() only asks; it protects nothing
# Public functions that take the database and deliberately check nothing: (module, name) -> why.
NEEDS_NO_CHECK: dict[tuple[str, str], str] = {}
# Writes guarded by a read permission: they only seed defaults a read needs (idempotent).
SEEDING_READS = {("ledger", "ensure_accounts"), ("dues", "ensure_rate_rules")}
# Reads whose only write is the audit line recording that full numbers were shown.
LOGGED_READS = {("roster", "get")}


def _service_functions():
    """(module, name, permissions it checks directly or through a same-module call, writes?)."""
    root = Path(services_pkg.__file__).parent
    for mod in SERVICE_MODULES:
        tree = ast.Module([n for p in sorted((root / mod).glob("*.py")) or [root / f"{mod}.py"] for n in ast.parse(p.read_text(encoding="utf-8")).body], [])  # noqa: E501 - a package is read as one module
        funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        facts, bodies = {}, set()
        for name, fn in funcs.items():
            perms, calls, writes = set(), set(), False
            for deco in fn.decorator_list:  # @writes("perm"): the check and the unit of work (services/records)
                if isinstance(deco, ast.Call) and getattr(deco.func, "id", getattr(deco.func, "attr", "")) == "writes":
                    arg = deco.args[0] if deco.args else None
                    perms.add(arg.value if isinstance(arg, ast.Constant) else "<not a literal>")
                    writes = True
                    bodies.add(name)
            for node in ast.walk(fn):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                if (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "auth"
                        and f.attr in CHECKS):
                    arg = node.args[1] if len(node.args) > 1 else None
                    perms.add(arg.value if isinstance(arg, ast.Constant) else "<not a literal>")
                elif isinstance(f, ast.Name) and f.id == "live_in_grid":  # the row, checked in its grid (records)
                    arg = node.args[5] if len(node.args) > 5 else next(
                        (k.value for k in node.keywords if k.arg == "permission"), None)
                    perms.add(arg.value if isinstance(arg, ast.Constant) else "<not a literal>")
                elif isinstance(f, ast.Name):
                    writes |= f.id == "UnitOfWork"
                    if f.id in funcs:
                        calls.add(f.id)
            facts[name] = (perms, calls, writes)

        def closure(name, seen=frozenset()):
            perms, calls, _ = facts[name]
            out = set(perms)
            for callee in calls - seen - {name}:
                out |= closure(callee, seen | {name})
            return out

        for name, fn in funcs.items():
            args = [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]
            if name in bodies:
                args.append("db")  # a @writes body takes the unit of work; its callers pass the database
            if name.startswith("_") or "db" not in args:
                continue  # private, pure, or a helper inside the caller's unit of work (takes a session)
            yield mod, name, closure(name), facts[name][2]


def test_every_public_service_function_that_touches_the_database_checks_the_role():
    found = list(_service_functions())
    assert len(found) > 150  # the walk really read the modules
    unchecked = [f"{m}.{n}" for m, n, perms, _ in found if not perms and (m, n) not in NEEDS_NO_CHECK]
    assert unchecked == []
    unknown = {p for _, _, perms, _ in found for p in perms if p not in access.PERMISSIONS}
    assert unknown == set()
    read_guarded_writes = [f"{m}.{n}" for m, n, perms, writes in found
                           if writes and perms and all(p.endswith(".read") for p in perms)
                           and (m, n) not in SEEDING_READS | LOGGED_READS]
    assert read_guarded_writes == []


def test_the_member_export_is_confirmed_as_personal_data():
    tree = ast.parse(Path(member_files.__file__).read_text(encoding="utf-8"))
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "export_members")
    calls = {(c.func.value.id, c.func.attr) for c in ast.walk(fn) if isinstance(c, ast.Call)
             and isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name)}
    assert ("privacy", "confirm_personal_export") in calls


def test_an_import_preview_is_for_those_who_may_import(db, world, tmp_path):
    """The preview compares the file with the stored records in full: a 网格员 or 只读 user gets no look."""
    path = tmp_path / "名册.csv"
    as_user(db, "sec")
    member_files.export_members(db, path)
    for login in ("grid1", "street"):
        as_user(db, login)
        with pytest.raises(PermissionDenied, match="导入党员名册"):
            roster.preview_import(db, path, TODAY)
    as_user(db, "sec")
    assert roster.preview_import(db, path, TODAY).file_name == "名册.csv"


def test_opening_a_member_with_full_numbers_is_a_logged_reveal(db, town):
    from desktop_app.services import audit_log

    as_user(db, "sec")
    detail = roster.get(db, town["m"])
    assert detail.id_number == town["mn"]  # the secretary sees the whole number ...
    as_user(db, "admin")
    trail = audit_log.search(db, audit_log.AuditFilter(action="reveal", row_id=town["m"]))
    assert [r.user_name for r in trail.rows] == ["赵委员"]  # ... and that is on the record
    as_user(db, "street")
    masked = roster.get(db, town["m"])
    assert masked.id_number != town["mn"] and "*" in masked.id_number
    as_user(db, "admin")
    trail = audit_log.search(db, audit_log.AuditFilter(action="reveal", row_id=town["m"]))
    assert len(trail.rows) == 1  # the viewer saw masked numbers: nothing was revealed
