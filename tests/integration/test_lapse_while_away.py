"""自行脱党预警 leaves out the months a member was out with a 流出 registration: the demo's 付晓东, out since
May 2025 and taking part in 苏州's 流动党员党支部, was warned of 连续 7 个月未参加党的组织生活."""

from datetime import date, time

import pytest

from desktop_app.domain import meetings as mr
from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import meetings as ms, memberlife as ml
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def test_a_member_out_is_not_warned_for_organisation_life_until_six_months_after_coming_back(db):
    b = branch(db)
    out, home = members(db, b, ["付晓东", "肖鑫"], today=date(2025, 1, 5))
    meeting = ms.plan(db, ms.MeetingInput(org_id=b, kind=mr.BRANCH_CONGRESS, meeting_date=date(2025, 3, 1),
                                          start_time=time(9), title="支部党员大会"), today=date(2025, 3, 1))
    ms.record_attendance(db, meeting.id, [ms.AttendanceEntry(status=mr.PRESENT, member_id=x) for x in (out, home)],
                         today=date(2025, 3, 1))
    row = ml.add_floating(db, rules.FloatingInput(rules.FLOW_OUT, b, date(2025, 5, 28), member_id=out,
                                                  place="江苏省苏州市工业园区"), today=TODAY)
    names = {r.name for r in ml.lapse_candidates(db, TODAY)}
    assert "付晓东" not in names and "肖鑫" in names
    ml.end_floating(db, row.id, date(2026, 5, 1), today=TODAY)
    assert "付晓东" in {r.name for r in ml.lapse_candidates(db, TODAY)}
    assert "付晓东" not in {r.name for r in ml.lapse_candidates(db, date(2026, 10, 31))}
    with pytest.raises(ValidationError, match="党章第九条"):
        ml.record_exit(db, out, ml.ExitInput(m.LAPSED, date(2026, 10, 31), "支部大会", "街党〔2026〕1号"), today=TODAY)
