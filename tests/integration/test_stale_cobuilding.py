"""共建 record forms (活动, 慰问, 双报到): a save over a change made after the form was read is
refused, naming who saved it; a change to the lists the form saves with the record (an
activity's people, a visit's recipients) counts too. Two programs on one real database file."""

from dataclasses import replace
from datetime import date

import pytest

from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import CareInput, PersonInput, RecipientInput
from tests.integration.test_cobuilding_service import TODAY, _activity, _reporter, town  # noqa: F401 - fixture
from tests.integration.test_stale_forms import _accounts, two  # noqa: F401 - the fixture


def _refused(first, second, what: str) -> None:
    """`first()` saves as 李委员; `second()`, from the older read, is refused naming 李委员."""
    first()
    with pytest.raises(ConcurrentEditError, match=f"这条记录（{what}）在你打开后已被他人修改（李委员 于 "):
        second()


def test_an_activity_form_read_before_anothers_change_of_its_people_only_is_refused(two, town):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    act = cb.record_activity(a, _activity(town), TODAY)
    mine, theirs = cb.get_activity(a, act.id), cb.get_activity(b, act.id)
    people = [*mine.people[:1], PersonInput("志愿者", "小王", 45)]  # only 小王's hours change
    _refused(lambda: cb.update_activity(a, act.id, replace(mine.to_input(), people=people), TODAY,
                                        expected_version=mine.version),
             lambda: cb.update_activity(b, act.id, replace(theirs.to_input(), place="社区服务中心"), TODAY,
                                        expected_version=theirs.version), "活动 夏季义诊")
    now = cb.get_activity(a, act.id)
    assert (now.row.place, now.row.hours_tenths) == ("社区广场", 70)


def test_a_care_form_read_before_anothers_change_of_the_recipients_is_refused(two, town):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    care = cb.record_care(a, CareInput(date(2026, 1, 20), "春节", "2026年春节走访慰问", recipients=[
        RecipientInput("张建国", "老党员", "米、油", 50000, "", town["zhang"])]), TODAY)
    mine, theirs = cb.get_care(a, care.id), cb.get_care(b, care.id)
    more = [*mine.recipients, RecipientInput("王秀英", "独居老人", "米、油", 50000)]
    _refused(lambda: cb.update_care(a, care.id, replace(mine.to_input(), recipients=more), TODAY,
                                    expected_version=mine.version),
             lambda: cb.update_care(b, care.id, replace(theirs.to_input(), notes="李书记带队"), TODAY,
                                    expected_version=theirs.version), "慰问 2026年春节走访慰问")
    assert cb.get_care(a, care.id).row.people == 2


def test_a_reporting_form_read_before_anothers_save_is_refused(two, town):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    r = _reporter(a, town)
    mine, theirs = cb.get_reporting(a, r.id), cb.get_reporting(b, r.id)
    _refused(lambda: cb.update_reporting(a, r.id, replace(mine.to_input(), skills="健康咨询、急救培训"), TODAY,
                                         expected_version=mine.version),
             lambda: cb.update_reporting(b, r.id, replace(theirs.to_input(), job="副主任医师"), TODAY,
                                         expected_version=theirs.version), "报到党员 陈医生")
    assert cb.get_reporting(a, r.id).skills == "健康咨询、急救培训"


def test_a_unit_form_read_before_anothers_save_is_refused(two, town):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    mine, theirs = (next(u for u in cb.list_units(d) if u.id == town["hospital"]) for d in (a, b))
    _refused(lambda: cb.save_unit(a, mine.id, replace(mine.to_input(), phone="025-84569999"), TODAY,
                                  expected_version=mine.version),
             lambda: cb.save_unit(b, theirs.id, replace(theirs.to_input(), contact_person="王主任"), TODAY,
                                  expected_version=theirs.version), "共建单位 区人民医院")
    now = next(u for u in cb.list_units(a) if u.id == town["hospital"])
    assert (now.phone, now.contact_person) == ("025-84569999", "刘主任")


def test_an_inquiry_form_read_before_anothers_save_is_refused(two, town):  # noqa: F811
    from desktop_app.services.cobuilding import InquiryInput

    a, b = two
    _accounts(b, a, "li")
    inp = InquiryInput(date(2026, 5, 10), "座谈会", "单位", unit_id=town["hospital"], asked_name="区人民医院",
                       topic="共建需求")
    iid = cb.save_inquiry(a, None, inp, TODAY).id
    mine, theirs = (next(r for r in cb.list_inquiries(d) if r.id == iid) for d in (a, b))
    _refused(lambda: cb.save_inquiry(a, iid, replace(mine.to_input(), answer="希望社区提供义诊场地"), TODAY,
                                     expected_version=mine.version),
             lambda: cb.save_inquiry(b, iid, replace(theirs.to_input(), asked_by="李书记"), TODAY,
                                     expected_version=theirs.version), "问需 区人民医院")
    now = next(r for r in cb.list_inquiries(a) if r.id == iid)
    assert (now.answer, now.asked_by) == ("希望社区提供义诊场地", "")


def test_a_post_form_read_before_anothers_save_is_refused(two, town):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    pid = cb.save_post(a, None, "健康服务岗", "每月一次健康咨询", 2, town["g1"])
    mine, theirs = (next(p for p in cb.list_posts(d) if p.id == pid) for d in (a, b))
    _refused(lambda: cb.save_post(a, pid, mine.name, mine.duties, 3, mine.org_id, expected_version=mine.version),
             lambda: cb.save_post(b, pid, theirs.name, "每周一次健康咨询", theirs.places, theirs.org_id,
                                  expected_version=theirs.version), "岗位 健康服务岗")
    now = next(p for p in cb.list_posts(a) if p.id == pid)
    assert (now.places, now.duties) == (3, "每月一次健康咨询")
