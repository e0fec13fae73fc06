"""A 流出 ends when the member is back as 正常 on the roster, or leaves it (去世, 转出, 出党) from another page:
the 流动与失联 page kept counting them 在外. Withdrawing the exit opens the 流出 again."""

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import memberlife as ml, orgs, roster

TODAY = date(2026, 12, 6)


@pytest.fixture
def out(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    ids = []
    for i, name in enumerate(("孙新华", "付晓东")):
        mid = roster.create(db, MemberInput(
            name=name, org_id=b.id, joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1),
            id_number=idcard.make("320102", date(1970, 3, 1 + i), 1 + i, idcard.MALE)), today=date(2026, 1, 5)).id
        ml.add_floating(db, rules.FloatingInput(rules.FLOW_OUT, b.id, date(2026, 3, 6), member_id=mid,
                                                card_no=f"LD{i}", place="上海市浦东新区"), today=TODAY)
        ids.append(mid)
    return ids


def _open(db):
    return sorted(r.card_no for r in ml.floating(db, active_only=True))


def test_back_as_normal_on_the_roster_ends_the_outing_that_day(db, out):
    with pytest.raises(ValidationError) as e:
        roster.change_status(db, out[0], m.NORMAL, date(2026, 3, 1), today=TODAY)
    assert "2026-03-06" in str(e.value)
    roster.change_status(db, out[0], m.NORMAL, date(2026, 10, 8), today=TODAY)
    assert _open(db) == ["LD1"]
    [r] = [r for r in ml.floating(db) if r.card_no == "LD0"]
    assert r.end_date == date(2026, 10, 8)


def test_a_death_in_the_register_ends_it_and_withdrawing_the_death_opens_it_again(db, out):
    row = ml.record_exit(db, out[1], ml.ExitInput(m.DECEASED, date(2026, 11, 2)), today=TODAY)
    assert _open(db) == ["LD0"]
    ml.withdraw_exit(db, row.id)
    assert _open(db) == ["LD0", "LD1"]
    assert roster.get(db, out[1]).status == m.FLOATING
