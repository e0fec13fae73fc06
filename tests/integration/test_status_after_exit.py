"""The roster's 状态变更 does not undo a 出党 or a 去世/转出 kept in the 出党与处分 register: it put an expelled
member back as 正常 while the register still listed the 除名. The refusal says where to undo it."""

from datetime import date

import pytest

from desktop_app.domain import members as m
from desktop_app.domain.errors import ValidationError
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


@pytest.fixture
def ids(db):
    return members(db, branch(db), ["金雪梅", "张兰", "李明"])


def test_an_expelled_member_stays_out_and_the_refusal_names_the_register(db, ids):
    ml.record_exit(db, ids[0], ml.ExitInput(m.REMOVED, date(2026, 4, 13), "支部大会", "街党〔2026〕12号",
                                            "劝而不退"), today=TODAY)
    for status in (m.NORMAL, m.FLOATING, m.DECEASED):
        with pytest.raises(ValidationError) as e:
            roster.change_status(db, ids[0], status, date(2026, 11, 1), today=TODAY)
        assert "2026-04-13" in str(e.value) and "街党〔2026〕12号" in str(e.value) and "出党与处分" in str(e.value)
    assert roster.get(db, ids[0]).status == m.REMOVED
    assert [x.kind for x in ml.exits(db, member_id=ids[0])] == [m.REMOVED]


def test_a_death_in_the_register_is_undone_there_and_then_the_roster_may_change_it(db, ids):
    [row] = [ml.record_exit(db, ids[1], ml.ExitInput(m.DECEASED, date(2026, 5, 21)), today=TODAY)]
    with pytest.raises(ValidationError):
        roster.change_status(db, ids[1], m.NORMAL, date(2026, 11, 1), today=TODAY)
    ml.withdraw_exit(db, row.id)
    assert roster.change_status(db, ids[1], m.LOST, date(2026, 11, 1), today=TODAY).status == m.LOST


def test_a_death_set_on_the_roster_itself_can_still_be_corrected_there(db, ids):
    roster.change_status(db, ids[2], m.DECEASED, date(2026, 11, 1), today=TODAY)
    assert roster.change_status(db, ids[2], m.NORMAL, date(2026, 11, 2), today=TODAY).status == m.NORMAL
