"""A meeting's form and its attendance form: a save over a change made after the form was read
is refused, naming who saved it, and nothing of it is written.

The meeting form saves the record, its list of people and its minutes; the attendance form
the marks. Either is stale once anyone changed any of these (a change to the attendance alone
leaves the meeting row as it was). Two programs on one real database file.
"""

from dataclasses import replace
from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster
from tests.integration.test_stale_forms import _accounts, _trail, two  # noqa: F401 - the fixture

TODAY = date(2026, 6, 15)
HELD_ON = date(2026, 6, 10)


@pytest.fixture
def meeting(two):  # noqa: F811 - the fixture imported above
    a, b = two
    _accounts(b, a, "li")  # a acts as 李委员, b as 王书记
    branch = orgs.create(a, "第一网格党支部", "32010200101", "branch", roster.root_org_id(a)).id
    for n, name in enumerate(("张三", "李四", "王五"), start=1):
        roster.create(a, MemberInput(
            name=name, org_id=branch, id_number=idcard.make("320102", date(1970, 3, n), 1, "男"), gender="男",
            joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1), category="正式党员"), TODAY)
    return ms.plan(a, ms.MeetingInput(org_id=branch, kind=rules.BRANCH_CONGRESS, title="学习党章",
                                      meeting_date=HELD_ON), today=TODAY)


def _marks(detail: ms.MeetingDetail, *statuses: str) -> list[ms.AttendanceEntry]:
    return [ms.AttendanceEntry(st, attendance_id=x.id) for x, st in zip(detail.attendees, statuses)]


def _ids(detail: ms.MeetingDetail) -> list[str]:
    return [x.member_id for x in detail.attendees if not x.is_guest]


def test_a_meeting_form_read_before_anothers_save_of_the_minutes_is_refused(two, meeting):  # noqa: F811
    a, b = two
    mine, theirs = ms.get(a, meeting.id), ms.get(b, meeting.id)
    ms.update(a, meeting.id, replace(mine.to_input(), minutes="一、学习党章总纲"), _ids(mine), [],
              expected_version=mine.version)
    trail = _trail(a)
    with pytest.raises(ConcurrentEditError, match=f"这条记录（会议 {meeting.number}）在你打开后已被他人修改（李委员 于 "):
        ms.update(b, meeting.id, replace(theirs.to_input(), place="二楼会议室"), _ids(theirs), [],
                  expected_version=theirs.version)
    assert _trail(a) == trail
    now = ms.get(a, meeting.id)
    assert (now.minutes, now.place) == ("一、学习党章总纲", "")
    # read after that save, the same form saves; so does a caller that names no version
    fresh = ms.get(b, meeting.id)
    assert ms.update(b, meeting.id, replace(fresh.to_input(), place="二楼会议室"), _ids(fresh), [],
                     expected_version=fresh.version).place == "二楼会议室"


def test_attendance_recorded_meanwhile_refuses_the_older_meeting_form_and_attendance_form(two, meeting):  # noqa: F811
    a, b = two
    form, marks_form = ms.get(b, meeting.id), ms.get(b, meeting.id)
    # 李委员 records the attendance
    held = ms.record_attendance(a, meeting.id, _marks(ms.get(a, meeting.id), rules.PRESENT, rules.LEAVE,
                                                      rules.PRESENT), today=TODAY,
                                expected_version=ms.get(a, meeting.id).version)
    assert held.status == rules.HELD
    # 王书记's meeting form, read before, unticks 王五: refused, the attendance stays
    with pytest.raises(ConcurrentEditError, match=f"会议 {meeting.number}）在你打开后已被他人修改（李委员 于 "):
        ms.update(b, meeting.id, form.to_input(), _ids(form)[:2], [], expected_version=form.version)
    # 王书记's attendance form, read before, marks everyone absent: refused
    with pytest.raises(ConcurrentEditError, match=f"会议 {meeting.number}"):
        ms.record_attendance(b, meeting.id, _marks(marks_form, *[rules.ABSENT] * 3), today=TODAY,
                             expected_version=marks_form.version)
    now = ms.get(a, meeting.id)
    assert [x.status for x in now.attendees] == [rules.PRESENT, rules.LEAVE, rules.PRESENT]


def test_attendance_changed_again_on_a_held_meeting_is_named_by_who_changed_it(two, meeting):  # noqa: F811
    """Re-marking a held meeting changes attendance rows only: the meeting row stays as 王书记 left it,
    yet the refusal names 李委员, who changed the marks."""
    a, b = two
    ms.update(b, meeting.id, replace(meeting.to_input(), minutes="纪要"), None, None)  # 王书记 saves the record
    first = ms.get(b, meeting.id)
    ms.record_attendance(b, meeting.id, _marks(first, *[rules.PRESENT] * 3), today=TODAY,
                         expected_version=first.version)
    stale = ms.get(b, meeting.id)
    mine = ms.get(a, meeting.id)
    again = ms.record_attendance(a, meeting.id, _marks(mine, rules.PRESENT, rules.ABSENT, rules.PRESENT),
                                 today=TODAY, expected_version=mine.version)
    assert again.version > mine.version
    with pytest.raises(ConcurrentEditError, match="已被他人修改（李委员 于 "):
        ms.record_attendance(b, meeting.id, _marks(stale, *[rules.PRESENT] * 3), today=TODAY,
                             expected_version=stale.version)
    assert [x.status for x in ms.get(a, meeting.id).attendees] == [rules.PRESENT, rules.ABSENT, rules.PRESENT]
