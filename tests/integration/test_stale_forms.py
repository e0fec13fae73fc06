"""A form saved over a change made after it was opened is refused, not written back.

Two programs on one real database (two PCs on a shared file, or a district server): each
reads the record into a form, the first saves, the second, read earlier, must not quietly
put the first one's change back. Runs on PostgreSQL too (DANGQUN_TEST_PG_URL).
"""

import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, orgs, roster
from desktop_app.services.database import open_database
from desktop_app.services.roster import edits
from desktop_app.store.models_access import AuditEntry

TODAY = date(2026, 6, 15)


@pytest.fixture
def two(db):
    """The same database opened by a second program; both act from the command line's account."""
    auth.cli_actor(db)
    other, _ = open_database(db.path or db.url)
    auth.cli_actor(other)
    yield db, other
    other.dispose()


@pytest.fixture
def member(db):
    branch = orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db)).id
    auth.cli_actor(db)
    return roster.create(db, MemberInput(
        name="张三", org_id=branch, id_number=idcard.make("320102", date(1970, 3, 4), 1, "男"), gender="男",
        joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1), category="正式党员",
        mobile="13800000000", address="幸福里1号"), TODAY)


def _trail(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


PASSWORD = "xingfuli2026"


def _accounts(a, b, second_login: str) -> None:
    """a acts as 王书记; b as 李委员 ("li") or as 王书记 again ("admin": another window of the same account)."""
    auth.create_first_admin(a, "admin", "王书记", PASSWORD)
    auth.create_user(a, "li", "李委员", "secretary", PASSWORD, must_change_password=False)
    auth.login(a, "admin", PASSWORD)
    auth.login(b, second_login, PASSWORD)


def test_a_member_form_read_before_anothers_save_is_refused_and_the_other_change_kept(two, member):
    a, b = two
    _accounts(b, a, "li")  # the first save is 李委员's, the refused one 王书记's
    first, second = roster.get(a, member.id), roster.get(b, member.id)
    roster.update(a, member.id, replace(first.to_input(), mobile="13911112222"), TODAY,
                  expected_version=first.version)
    trail = _trail(a)
    with pytest.raises(ConcurrentEditError) as refused:
        roster.update(b, member.id, replace(second.to_input(), address="B改的地址"), TODAY,
                      expected_version=second.version)
    assert _trail(a) == trail  # nothing written by the refused save, not even to the trail
    text = str(refused.value)
    assert "这条记录（党员 张三）在你打开后已被他人修改（李委员 于 " in text
    assert "你的修改没有保存；请关闭后重新打开" in text
    now = roster.get(a, member.id)
    assert (now.mobile, now.address) == ("13911112222", "幸福里1号")
    assert now.version == first.version + 1


def test_the_same_account_in_another_window_is_told_so(two, member):
    a, b = two
    _accounts(a, b, "admin")
    first, second = roster.get(a, member.id), roster.get(b, member.id)
    roster.update(a, member.id, replace(first.to_input(), mobile="13911112222"), TODAY,
                  expected_version=first.version)
    with pytest.raises(ConcurrentEditError, match="已在别处修改（你的账户于 .* 保存过，在另一个窗口、另一台电脑或从本窗口打开的登记里）"):
        roster.update(b, member.id, replace(second.to_input(), address="B改的地址"), TODAY,
                      expected_version=second.version)


def test_a_form_read_after_the_last_save_saves_and_callers_without_a_version_still_do(two, member):
    a, b = two
    first = roster.get(a, member.id)
    roster.update(a, member.id, replace(first.to_input(), mobile="13911112222"), TODAY,
                  expected_version=first.version)
    fresh = roster.get(b, member.id)
    saved = roster.update(b, member.id, replace(fresh.to_input(), address="B改的地址"), TODAY,
                          expected_version=fresh.version)
    assert (saved.mobile, saved.address) == ("13911112222", "B改的地址")
    # the command line and older callers pass no version: their saves are not checked
    assert roster.update(a, member.id, replace(first.to_input(), notes="命令行"), TODAY).notes == "命令行"


def test_two_forms_saved_at_the_same_moment_one_is_refused(two, member, monkeypatch):
    """Both read the same version and check at once: the row lock (or SQLite's write lock) lets one through."""
    a, b = two
    reads = [roster.get(d, member.id) for d in (a, b)]
    barrier = threading.Barrier(2, timeout=1.0)
    checked = edits.unchanged_since

    def check_then_wait(*args, **kw):
        checked(*args, **kw)
        try:
            barrier.wait()  # the second writer waits on the lock instead; the barrier gives up
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(edits, "unchanged_since", check_then_wait)
    results: list[object] = [None, None]
    changes = ({"mobile": "13911112222"}, {"address": "B改的地址"})

    def run(i, d):
        try:
            results[i] = roster.update(d, member.id, replace(reads[i].to_input(), **changes[i]), TODAY,
                                       expected_version=reads[i].version)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each writer got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate((a, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ConcurrentEditError), results
    kept = next(r for r in results if not isinstance(r, Exception))
    now = roster.get(a, member.id)
    assert (now.mobile, now.address) == (kept.mobile, kept.address)


def _refused_second_save(a, b, record_id, get, update, first: dict, second: dict, what: str):
    """Both read; a saves `first`; b's save of `second`, from its older read, is refused and a's change kept."""
    mine, theirs = get(a, record_id), get(b, record_id)
    update(a, record_id, replace(mine.to_input(), **first), expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match=f"这条记录（{what}）在你打开后已被他人修改.*你的修改没有保存"):
        update(b, record_id, replace(theirs.to_input(), **second), expected_version=theirs.version)
    now = get(a, record_id)
    assert {f: getattr(now, f) for f in (*first, *second)} == {
        **{f: getattr(mine, f) for f in second}, **first}
    assert now.version == mine.version + 1


def test_a_household_or_resident_form_read_before_anothers_save_is_refused(two):
    from desktop_app.services import residents
    from desktop_app.views.residents import HouseholdInput, ResidentInput

    a, b = two
    h = residents.create_household(a, HouseholdInput(building="梅园新村3栋", unit="2单元", room="302室", phone="13800000000"))
    r = residents.create_resident(a, ResidentInput(name="王秀英", household_id=h.id, phone="13800000001"), TODAY)
    _refused_second_save(a, b, h.id, residents.get_household, residents.update_household,
                         {"phone": "13911112222"}, {"head_name": "王秀英"}, "住户 梅园新村3栋2单元302室")
    _refused_second_save(a, b, r.id, residents.get_resident, residents.update_resident,
                         {"phone": "13911113333"}, {"notes": "独居"}, "居民 王秀英")


def test_a_project_form_read_before_anothers_save_is_refused(two):
    from desktop_app.domain.service_flow import ProjectInput
    from desktop_app.services import projects

    a, b = two
    p = projects.create_project(a, ProjectInput(name="楼道灯改造", category="其他", owner_name="王书记",
                                                deadline=date(2026, 9, 1)), TODAY)
    _refused_second_save(a, b, p.id, projects.get_project, projects.update_project,
                         {"budget_fen": 120000}, {"notes": "换LED"}, "项目 楼道灯改造")


def test_a_mediation_case_form_read_before_anothers_save_is_refused(two):
    from desktop_app.domain.service_flow import CaseInput, PartyInput
    from desktop_app.services import mediation

    a, b = two
    c = mediation.create_case(a, CaseInput(kind="邻里纠纷", summary="噪音", received_on=date(2026, 6, 1),
                                           mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                      PartyInput("赵德明", "被申请人"))), TODAY)
    _refused_second_save(a, b, c.id, mediation.get_case, mediation.update_case,
                         {"summary": "夜间噪音"}, {"mediator": "李调解"}, f"调解案件 {c.case_no}")


def test_a_move_registered_from_the_open_member_form_is_not_undone_by_saving_the_form(two, member):
    """党员动态 opened from the form moves the member; the form, still showing the old branch, must not move them back."""
    from desktop_app.services import memberlife

    a, _ = two
    form = roster.get(a, member.id)
    second = orgs.create(a, "第二网格党支部", "32010200102", "branch", roster.root_org_id(a)).id
    memberlife.move_member(a, member.id, second, TODAY, today=TODAY)
    with pytest.raises(ConcurrentEditError, match="党员 张三"):
        roster.update(a, member.id, replace(form.to_input(), mobile="13911112222"), TODAY,
                      expected_version=form.version)
    assert roster.get(a, member.id).org_id == second


def test_a_milestone_or_mediation_session_form_read_before_anothers_save_is_refused(two):
    from desktop_app.domain.service_flow import CaseInput, MilestoneInput, PartyInput, ProjectInput, SessionInput
    from desktop_app.services import mediation, projects

    a, b = two
    p = projects.create_project(a, ProjectInput(name="楼道灯改造", category="其他", owner_name="王书记",
                                                deadline=date(2026, 9, 1)), TODAY)
    mid = projects.add_milestone(a, p.id, MilestoneInput("采购灯具", date(2026, 7, 1)), TODAY).milestones[0].id
    mine, theirs = (next(m for m in projects.get_project(d, p.id).milestones if m.id == mid) for d in (a, b))
    projects.update_milestone(a, mid, MilestoneInput("采购灯具", date(2026, 7, 1), None, "已询价"), TODAY,
                              expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match="项目节点 采购灯具"):
        projects.update_milestone(b, mid, MilestoneInput("采购灯具", date(2026, 7, 10)), TODAY,
                                  expected_version=theirs.version)
    kept = projects.get_project(a, p.id).milestones[0]
    assert (kept.note, kept.due_date) == ("已询价", date(2026, 7, 1))

    c = mediation.create_case(a, CaseInput(kind="邻里纠纷", summary="噪音", received_on=date(2026, 6, 1),
                                           mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                      PartyInput("赵德明", "被申请人"))), TODAY)
    sid = mediation.add_session(a, c.id, SessionInput(date(2026, 6, 5), "调解室", "张建国", "双方陈述"),
                                TODAY).sessions[0].id
    mine, theirs = (mediation.get_case(d, c.id).sessions[0] for d in (a, b))
    mediation.update_session(a, sid, SessionInput(date(2026, 6, 5), "调解室", "张建国", "双方陈述；达成初步共识"),
                             TODAY, expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match="调解记录 2026-06-05"):
        mediation.update_session(b, sid, SessionInput(date(2026, 6, 5), "社区会议室", "张建国", "双方陈述"), TODAY,
                                 expected_version=theirs.version)
    kept = mediation.get_case(a, c.id).sessions[0]
    assert (kept.notes, kept.place) == ("双方陈述；达成初步共识", "调解室")


def test_a_visit_form_read_before_anothers_save_is_refused(two, member):
    from desktop_app.domain.service_flow import VisitInput
    from desktop_app.services import visits

    a, b = two
    v = visits.log_visit(a, VisitInput(visit_date=date(2026, 6, 3), member_ids=(member.id,), visitee_name="王奶奶",
                                       raised_issue=False), today=TODAY)
    _refused_second_save(a, b, v.id, visits.get_visit, visits.update_visit,
                         {"content": "腿脚不便"}, {"notes": "下月再访"}, "走访 王奶奶 2026-06-03")


def test_a_wish_form_read_before_anothers_save_is_refused(two):
    from desktop_app.domain.service_flow import WishInput
    from desktop_app.services import wishes

    a, b = two
    w = wishes.post_wish(a, WishInput(wisher_name="王秀英", content="一台收音机", posted_on=date(2026, 6, 1)), TODAY)
    _refused_second_save(a, b, w.id, wishes.get_wish, wishes.update_wish,
                         {"content": "一台收音机，要能听戏"}, {"notes": "独居"}, f"心愿 {w.wish_no}")


def test_a_case_form_read_before_anothers_change_of_a_party_only_is_refused(two):
    from desktop_app.domain.service_flow import CaseInput, PartyInput
    from desktop_app.services import mediation

    a, b = two
    _accounts(b, a, "li")
    c = mediation.create_case(a, CaseInput(kind="邻里纠纷", summary="噪音", received_on=date(2026, 6, 1),
                                           mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                      PartyInput("赵德明", "被申请人"))), TODAY)
    mine, theirs = mediation.get_case(a, c.id), mediation.get_case(b, c.id)
    parties = (replace(mine.parties[0], address="梅园新村3栋302室"), mine.parties[1])
    mediation.update_case(a, c.id, replace(mine.to_input(), parties=parties), TODAY, expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match=f"调解案件 {c.case_no}）在你打开后已被他人修改（李委员 于 "):
        mediation.update_case(b, c.id, replace(theirs.to_input(), notes="双方邻居"), TODAY,
                              expected_version=theirs.version)
    now = mediation.get_case(a, c.id)
    assert (now.parties[0].address, now.notes) == ("梅园新村3栋302室", "")


def test_an_applicant_form_read_before_anothers_save_is_refused(two, member):
    from desktop_app.services import development
    from desktop_app.views.development import ApplicantInput

    a, b = two
    _accounts(b, a, "li")
    branch = roster.get(a, member.id).org_id
    aid = development.add_applicant(a, ApplicantInput("赵敏", branch, date(2026, 3, 1), job="社区网格员"), TODAY).row.id
    mine, theirs = development.get(a, aid, TODAY), development.get(b, aid, TODAY)
    development.update_applicant(a, aid, ApplicantInput("赵敏", branch, date(2026, 3, 1), job="社区网格员",
                                                        mobile="13911112222"), TODAY, expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match="这条记录（入党申请人 赵敏）在你打开后已被他人修改（李委员 于 "):
        development.update_applicant(b, aid, ApplicantInput("赵敏", branch, date(2026, 3, 1), job="幸福里社区居委会"),
                                     TODAY, expected_version=theirs.version)
    now = development.get(a, aid, TODAY)
    assert (now.row.mobile, now.job) == ("13911112222", "社区网格员")


def test_a_partner_unit_form_of_the_wishes_read_before_anothers_save_is_refused(two):
    from desktop_app.services import wishes

    a, b = two
    _accounts(b, a, "li")
    uid = wishes.save_unit(a, None, "区人民医院", "刘主任").id
    mine, theirs = (next(u for u in wishes.list_units(d) if u.id == uid) for d in (a, b))
    wishes.save_unit(a, uid, mine.name, mine.contact_person, "025-84569999", expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match="这条记录（共建单位 区人民医院）在你打开后已被他人修改（李委员 于 "):
        wishes.save_unit(b, uid, theirs.name, "王主任", theirs.phone, expected_version=theirs.version)
    now = next(u for u in wishes.list_units(a) if u.id == uid)
    assert (now.contact_person, now.phone) == ("刘主任", "025-84569999")
