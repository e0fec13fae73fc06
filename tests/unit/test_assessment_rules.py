"""五好党支部 scoring rules: points in tenths, proportional scores, thresholds, ranks, weakest indicators."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import assessment as a
from desktop_app.domain.errors import ValidationError


def test_points_are_written_and_read_in_tenths():
    assert [a.points(x) for x in (0, 5, 25, 30, 1000, None)] == ["0", "0.5", "2.5", "3", "100", "—"]
    assert [a.score_text(x) for x in (0, 5, 810, 813, -5, None)] == ["0.0", "0.5", "81.0", "81.3", "-0.5", "—"]
    assert a.parse_points("2.5") == 25 and a.parse_points(" 3 ") == 30 and a.parse_points(1.5) == 15
    for bad in ("", "-1", "2.55", "abc", "1e3"):
        with pytest.raises(ValidationError):
            a.parse_points(bad)


@given(st.integers(min_value=0, max_value=99999))
def test_points_round_trip(tenths):
    assert a.parse_points(a.points(tenths)) == tenths


def test_a_count_over_its_requirement_reads_as_met_not_as_a_percentage_over_100():
    assert a.count_text("讲党课", "次", 4, 1) == "讲党课 4 次（要求 1 次，达标）"
    assert a.count_text("讲党课", "次", 1, 1) == "讲党课 1 次（要求 1 次，达标）"
    assert a.count_text("实现微心愿", "个", 1, 3) == "实现微心愿 1 个（要求 3 个）"
    assert a.count_text("走访", "次", 3, 0) == "走访 3 次（无应达要求）"
    assert "%" not in a.count_text("讲党课", "次", 4, 1)


def test_ratio_score_is_proportional_and_full_from_the_line():
    assert a.ratio_score(40, 10, 12) == 33
    assert a.ratio_score(40, 10, 12, full_at=0.9) == 37
    assert a.ratio_score(40, 11, 12, full_at=0.9) == 40  # above the line: no more than full marks
    assert a.ratio_score(30, 0, 5) == 0
    assert a.ratio_score(30, 0, 0) == 30  # nothing required, nothing lost
    assert a.ratio_score(30, 7, 5) == 30


@given(st.integers(1, 1000), st.integers(0, 500), st.integers(1, 500), st.floats(0.1, 1.0))
def test_ratio_score_stays_within_bounds_and_grows_with_achievement(max_tenths, achieved, required, full_at):
    s = a.ratio_score(max_tenths, achieved, required, full_at)
    assert 0 <= s <= max_tenths
    assert a.ratio_score(max_tenths, achieved + 1, required, full_at) >= s


def test_results_follow_the_thresholds():
    assert a.result_of(900, 900, 750) == a.EXCELLENT
    assert a.result_of(899, 900, 750) == a.PASSED
    assert a.result_of(750, 900, 750) == a.PASSED
    assert a.result_of(749, 900, 750) == a.FAILED
    assert a.check_thresholds(900, 750, 1000) == (900, 750)
    with pytest.raises(ValidationError, match="达标分数线"):
        a.check_thresholds(900, 0, 1000)
    with pytest.raises(ValidationError, match="不能低于达标"):
        a.check_thresholds(700, 750, 1000)
    with pytest.raises(ValidationError, match="方案总分"):
        a.check_thresholds(1100, 750, 1000)


def test_manual_scores_stay_within_the_indicator():
    assert a.check_manual_score(20, 20) == 20
    with pytest.raises(ValidationError, match="满分 2 分"):
        a.check_manual_score(21, 20)
    with pytest.raises(ValidationError):
        a.check_manual_score(-1, 20)


def test_ranks_share_ties_and_skip():
    assert a.ranks({"a": 900, "b": 850, "c": 850, "d": 700}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert a.ranks({}) == {}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 1000), max_size=12))
def test_a_higher_total_never_ranks_lower(totals):
    r = a.ranks(totals)
    for x in totals:
        for y in totals:
            if totals[x] > totals[y]:
                assert r[x] < r[y]
            if totals[x] == totals[y]:
                assert r[x] == r[y]


def test_weakest_lists_the_largest_losses_first():
    lines = [a.Lost("a", 10, 40), a.Lost("b", 30, 30), a.Lost("c", 0, 20), a.Lost("d", 10, 20)]
    assert [x.key for x in a.weakest(lines)] == ["b", "d", "a"]
    assert [x.key for x in a.weakest(lines, 1)] == ["b"]


def test_params_are_a_json_object_of_numbers():
    assert a.parse_params("") == {} and a.parse_params('{"full_at": 0.9}') == {"full_at": 0.9}
    for bad in ("[1]", "{", "3"):
        with pytest.raises(ValidationError, match="参数"):
            a.parse_params(bad)
    assert a.number_param({"x": "2"}, "x", 1) == 2.0 and a.number_param({}, "x", 1) == 1
    with pytest.raises(ValidationError):
        a.number_param({"x": -1}, "x", 1)


def test_shape_counts_levels_and_sums_indicator_points():
    shape = a.shape_of([(a.CATEGORY, 0), (a.ITEM, 0), (a.INDICATOR, 25), (a.INDICATOR, 30)])
    assert shape == a.Shape(1, 1, 2, 55) and shape.label() == "1 类 1 项 2 条，满分 5.5 分"


def test_development_checks_follow_the_time_rules():
    from datetime import date

    from desktop_app.domain import development as dr

    D = dr.Done
    # an activist since 2024-01-01 who handed in one report (2025-02-10) and was never examined
    history = [D(dr.APPLY, date(2023, 11, 1)), D(dr.TALK, date(2023, 11, 20)), D(dr.MAKE_ACTIVIST, date(2024, 1, 1)),
               D(dr.REPORT, date(2025, 2, 10))]
    checks = a.development_checks(history, date(2025, 1, 1), date(2025, 12, 31))
    reports = [(c.on, c.ok) for c in checks if c.step == dr.REPORT]
    # quarters owed from the last report (or the missed deadline): 2025-01-01 missed, the report on time,
    # then 05-10, 08-10 and 11-10 missed
    assert reports == [(date(2025, 1, 1), False), (date(2025, 2, 10), True), (date(2025, 5, 10), False),
                       (date(2025, 8, 10), False), (date(2025, 11, 10), False)]
    assert [(c.on, c.ok) for c in checks if c.step == dr.EXAMINE] == [(date(2025, 1, 1), False),
                                                                     (date(2025, 7, 1), False)]
    only = a.development_checks(history, date(2025, 1, 1), date(2025, 3, 31), steps=[dr.EXAMINE])
    assert [c.step for c in only] == [dr.EXAMINE]
    # a probation ending 2025-06-01: 转正 on the day is on time; undiscussed it is missed once the month after has passed
    admitted = [D(dr.APPLY, date(2022, 1, 1)), D(dr.ADMIT, date(2024, 6, 1)), D(dr.APPROVE, date(2024, 7, 1))]
    assert [(c.step, c.ok) for c in a.development_checks(admitted, date(2025, 1, 1), date(2025, 5, 31))
            if c.step == dr.CONFIRM] == []
    assert [(c.step, c.on, c.ok) for c in a.development_checks(admitted, date(2025, 1, 1), date(2025, 7, 31))
            if c.step == dr.CONFIRM] == [(dr.CONFIRM, date(2025, 7, 1), False)]
    confirmed = admitted + [D(dr.CONFIRM, date(2025, 6, 1))]
    assert [(c.step, c.ok) for c in a.development_checks(confirmed, date(2025, 1, 1), date(2025, 12, 31))
            if c.step == dr.CONFIRM] == [(dr.CONFIRM, True)]
    # a stopped applicant owes nothing after the stop
    stopped = [D(dr.APPLY, date(2025, 3, 1)), D(dr.STOP, date(2025, 3, 20))]
    assert a.development_checks(stopped, date(2025, 1, 1), date(2025, 12, 31)) == []


def test_a_confirmation_meeting_held_after_the_probation_end_counts_from_its_own_day():
    """转正 records the day the 支部大会 met, on or after the probation end (转正 takes effect on the end):
    met within the month after, it is on time; a meeting two months on, or none a month after, is late."""
    from datetime import date

    from desktop_app.domain import development as dr

    D = dr.Done
    admitted = [D(dr.APPLY, date(2022, 1, 1)), D(dr.ADMIT, date(2024, 6, 1)), D(dr.APPROVE, date(2024, 7, 1))]

    def confirm(history, cutoff=date(2025, 12, 31)):
        return [(c.on, c.ok, c.text) for c in a.development_checks(history, date(2025, 1, 1), cutoff)
                if c.step == dr.CONFIRM]

    # the branch met 19 days after the probation ended 2025-06-01: 按时, as the roster's 转正日期 is 06-01 anyway
    assert confirm(admitted + [D(dr.CONFIRM, date(2025, 6, 20))]) == [
        (date(2025, 6, 20), True, "转正：2025-06-20，预备期 2025-06-01 期满后按时讨论")]
    assert confirm(admitted + [D(dr.CONFIRM, date(2025, 7, 1))])[0][1] is True  # the last day of the month after
    late = confirm(admitted + [D(dr.CONFIRM, date(2025, 8, 15))])
    assert late == [(date(2025, 8, 15), False,
                     "转正：2025-08-15，预备期 2025-06-01 已满 75 天后才讨论（应在 2025-07-01 前）")]
    # undiscussed: not missed while the month after the end runs, missed from its last day on
    assert confirm(admitted, date(2025, 6, 30)) == []
    assert confirm(admitted, date(2025, 7, 31)) == [
        (date(2025, 7, 1), False, "转正：预备期 2025-06-01 已满，2025-07-01 前尚未讨论转正、延长预备期或取消资格")]
