"""联席会议: the units attending a joint meeting planned by the meetings module, and the 议题 they took on."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import cobuilding as cb
from desktop_app.services import meetings, orgs
from desktop_app.services.cobuilding import UnitInput
from desktop_app.views.meetings import MeetingInput

TODAY = date(2026, 6, 28)


def test_units_attend_and_take_on_topics(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    m = meetings.plan(db, MeetingInput(org_id=community.id, kind="联席会议", title="第二季度大党委联席会议",
                                       meeting_date=date(2026, 4, 10), place="党群服务中心"), today=TODAY)
    a = cb.save_unit(db, None, UnitInput(name="区人民医院"), TODAY).id
    b = cb.save_unit(db, None, UnitInput(name="幸福里物业"), TODAY).id
    d = cb.set_units(db, m.id, [a, b])
    assert {n for _i, n in d.units} == {"区人民医院", "幸福里物业"}
    d = cb.add_topic(db, m.id, "小区停车难", b)
    with pytest.raises(ValidationError):
        cb.add_topic(db, m.id, "", b)
    [t] = d.topics
    d = cb.finish_topic(db, t.id, date(2026, 5, 20), "新划车位 40 个", TODAY)
    assert (d.topics[0].done_on, d.row.topics, d.row.done) == (date(2026, 5, 20), 1, 1)
    with pytest.raises(ValidationError):
        cb.finish_topic(db, t.id, date(2026, 4, 1), "", TODAY)
    d = cb.set_units(db, m.id, [b])
    assert d.units == ((b, "幸福里物业"),) and len(d.topics) == 1  # dropping a unit keeps the topics
    [row] = cb.list_joint_meetings(db, 2026)
    assert (row.title, row.units) == ("第二季度大党委联席会议", "幸福里物业")
    branch = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    branch_meeting = meetings.plan(db, MeetingInput(org_id=branch, kind="党课", title="党课",
                                                    meeting_date=date(2026, 4, 11)), today=TODAY)
    with pytest.raises(NotFound):
        cb.set_units(db, branch_meeting.id, [a])
    assert cb.unit_year(db, b, 2026).topics == ("2026-04-10 小区停车难（已办结）",)
