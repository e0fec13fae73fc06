"""流动 comes with a 流出 registered on 流动与失联 (活动证, 流向): the check a status change to 流动 makes
refuses a member without an open 流出, saying where to register it, and lets one with it through."""

from datetime import date

import pytest

from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import memberlife as ml
from desktop_app.services.memberlife.floating import refuse_bare_floating
from desktop_app.store.models import Member
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def _check(db, mid):
    with db.session() as s:
        refuse_bare_floating(s, s.get(Member, mid))


def test_floating_needs_an_open_outflow(db):
    mid = members(db, branch(db), ["张兰"])[0]
    with pytest.raises(ValidationError, match="流动与失联.*登记流出"):
        _check(db, mid)
    row = ml.add_floating(db, ml.FloatingInput(rules.FLOW_OUT, None, date(2026, 3, 1), member_id=mid,
                                               card_no="LD-001", place="上海市浦东新区"), today=TODAY)
    _check(db, mid)  # registered: 流动 may be set (back from 失联, say)
    ml.end_floating(db, row.id, date(2026, 9, 1), today=TODAY)
    with pytest.raises(ValidationError, match="没有登记流出"):  # back: a new outing is a new 流出
        _check(db, mid)
