"""民主测评 rules: ballots returned within those issued, a member's four counts within the returned,
exact shares, and a note (never a decision) where the grade entered differs from the most votes."""

from __future__ import annotations

from fractions import Fraction

import pytest

from desktop_app.domain import evaluation_votes as ev
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evaluation_votes import Tally


def test_returned_may_not_exceed_issued():
    assert ev.check_ballot(60, 58) == (60, 58)
    assert ev.check_ballot("60", "") == (60, 0)
    with pytest.raises(ValidationError) as e:
        ev.check_ballot(60, 61)
    assert e.value.field == "收回票数" and "61" in e.value.message and "60" in e.value.message


@pytest.mark.parametrize("bad", [-1, "三", "1.5"])
def test_a_count_is_a_whole_number_not_below_zero(bad):
    with pytest.raises(ValidationError) as e:
        ev.check_ballot(bad, 0)
    assert e.value.field == "发出票数"


def test_the_four_counts_may_not_exceed_the_returned_and_the_message_names_member_and_field():
    assert ev.check_tally("张伟", Tally(30, 20, 5, 5), 60) == Tally(30, 20, 5, 5)
    with pytest.raises(ValidationError) as e:
        ev.check_tally("张伟", Tally(30, 20, 5, 6), 60)
    assert e.value.field == "不合格票"
    assert e.value.message == "张伟的四项票数合计 61 张，多于收回的 60 张"
    with pytest.raises(ValidationError) as e:
        ev.check_tally("李娜", Tally(61, 0, 0, 0), 60)
    assert e.value.field == "优秀票" and e.value.message.startswith("李娜的")


def test_a_negative_count_names_the_member():
    with pytest.raises(ValidationError) as e:
        ev.check_tally("张伟", Tally(1, -2, 0, 0), 60)
    assert e.value.field == "合格票" and "张伟" in e.value.message


def test_shares_are_exact_and_printed_half_up():
    assert ev.share(2, 3) == Fraction(2, 3)
    assert ev.share(1, 0) is None
    assert ev.percent(2, 3) == "66.7%"
    assert ev.percent(1, 8) == "12.5%"
    assert ev.percent(1, 16) == "6.3%"  # 6.25 half up, not to even
    assert ev.percent(0, 0) == ""
    assert ev.percent(60, 60) == "100.0%"


def test_the_note_says_where_the_grade_differs_from_the_most_votes_and_decides_nothing():
    t = Tally(10, 40, 5, 5)
    assert ev.most_voted(t) == "合格"
    assert ev.note("优秀", t) == "测评多数为合格"
    assert ev.note("合格", t) == ""
    assert ev.note("", t) == ""  # no grade yet: nothing to compare, and nothing proposed
    assert ev.note("优秀", Tally(20, 20, 0, 0)) == ""  # a tie has no majority
    assert ev.note("合格", Tally()) == ""


def test_the_usual_year_is_last_year_until_march_and_this_year_after():
    """The page opened on 2026 in December while `report evaluation-tally` printed 2025: one rule for both."""
    from datetime import date

    assert ev.usual_year(date(2027, 1, 20)) == 2026  # held early in the year for the year before
    assert ev.usual_year(date(2027, 3, 31)) == 2026
    assert ev.usual_year(date(2026, 4, 1)) == 2026
    assert ev.usual_year(date(2026, 12, 7)) == 2026  # held at the year's end for the year ending
