"""状态变更 to 流动 on the roster is refused without a 流出 on 流动与失联 (no 活动证, missing from the register),
saying where to register it; with an open 流出 (back from 失联) it is allowed."""

from datetime import date

import pytest

from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def test_floating_on_the_roster_needs_a_registered_outflow(db):
    mid = members(db, branch(db), ["张兰"])[0]
    with pytest.raises(ValidationError, match="流动与失联"):
        roster.change_status(db, mid, m.FLOATING, date(2026, 3, 1), "上海", today=TODAY)
    assert roster.get(db, mid, today=TODAY).status == m.NORMAL
    ml.add_floating(db, ml.FloatingInput(rules.FLOW_OUT, None, date(2026, 3, 1), member_id=mid, card_no="LD-001",
                                         place="上海"), today=TODAY)
    roster.change_status(db, mid, m.LOST, date(2026, 6, 1), today=TODAY)
    assert roster.change_status(db, mid, m.FLOATING, date(2026, 7, 1), "上海", today=TODAY).status == m.FLOATING
