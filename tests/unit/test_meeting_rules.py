"""三会一课 rules: cadence as data, periods, due and overdue, quorum, attendance, follow-up."""

from datetime import date

import pytest

from desktop_app.domain import meetings as r
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.meetings import CellStatus, Period, PeriodUnit


def test_default_cadence_is_the_streets_rule():
    cadence = {k.kind: (k.unit, k.holder) for k in r.DEFAULT_KINDS}
    assert cadence[r.BRANCH_CONGRESS] == (PeriodUnit.QUARTER, r.Holder.BRANCH)
    assert cadence[r.COMMITTEE] == (PeriodUnit.MONTH, r.Holder.BRANCH)
    assert cadence[r.GROUP_MEETING] == (PeriodUnit.MONTH, r.Holder.GROUP)
    assert cadence[r.PARTY_LECTURE] == (PeriodUnit.QUARTER, r.Holder.BRANCH)
    assert cadence[r.THEME_DAY][0] == PeriodUnit.MONTH
    assert cadence[r.ORG_LIFE][0] == PeriodUnit.YEAR
    assert cadence[r.EVALUATION][0] == PeriodUnit.YEAR
    assert cadence[r.JOINT][0] == PeriodUnit.NONE
    assert not r.default_rule(r.JOINT).tracked
    assert r.default_rule(r.COMMITTEE).attendees == "committee"


def test_a_center_changes_a_cadence_with_checks():
    lecture = r.make_rule(r.PARTY_LECTURE, "month", 2)
    assert (lecture.unit, lecture.times, lecture.holder) == (PeriodUnit.MONTH, 2, r.Holder.BRANCH)
    assert lecture.cadence_label == "每月 2 次"
    assert r.make_rule(r.ORG_LIFE, "half").cadence_label == "每半年"
    assert not r.make_rule(r.THEME_DAY, "month", required=False).tracked
    with pytest.raises(ValidationError) as e:
        r.make_rule(r.PARTY_LECTURE, "weekly")
    assert e.value.field == "召开周期"
    with pytest.raises(ValidationError) as e:
        r.make_rule(r.PARTY_LECTURE, "month", 0)
    assert e.value.field == "每期次数"
    with pytest.raises(ValidationError) as e:
        r.make_rule("茶话会", "month")
    assert e.value.field == "会议类型"


@pytest.mark.parametrize("unit, d, expected", [
    ("month", date(2024, 2, 29), (date(2024, 2, 1), date(2024, 2, 29), "2024年2月")),
    ("month", date(2023, 12, 31), (date(2023, 12, 1), date(2023, 12, 31), "2023年12月")),
    ("quarter", date(2024, 5, 6), (date(2024, 4, 1), date(2024, 6, 30), "2024年第二季度")),
    ("quarter", date(2024, 12, 1), (date(2024, 10, 1), date(2024, 12, 31), "2024年第四季度")),
    ("half", date(2024, 7, 1), (date(2024, 7, 1), date(2024, 12, 31), "2024年下半年")),
    ("year", date(2024, 3, 3), (date(2024, 1, 1), date(2024, 12, 31), "2024年")),
])
def test_period_of_a_day(unit, d, expected):
    p = r.period_of(d, unit)
    assert (p.start, p.end, p.label) == expected
    assert p.contains(d) and not p.contains(date(d.year - 1, 6, 1))


def test_period_arithmetic_crosses_years():
    assert Period(2024, PeriodUnit.MONTH, 12).next() == Period(2025, PeriodUnit.MONTH, 1)
    assert Period(2024, PeriodUnit.QUARTER, 1).previous() == Period(2023, PeriodUnit.QUARTER, 4)
    assert [p.short_label for p in r.periods_in_year(2024, "quarter")] == ["一季度", "二季度", "三季度", "四季度"]
    assert len(r.periods_in_year(2024, "month")) == 12
    between = r.periods_between(date(2023, 11, 15), date(2024, 2, 1), "month")
    assert [p.label for p in between] == ["2023年11月", "2023年12月", "2024年1月", "2024年2月"]
    assert r.periods_between(date(2024, 3, 1), date(2024, 2, 1), "month") == []
    with pytest.raises(ValueError):
        Period(2024, PeriodUnit.QUARTER, 5)


QUARTERLY = r.default_rule(r.BRANCH_CONGRESS)
MONTHLY = r.default_rule(r.COMMITTEE)
Q2 = Period(2024, PeriodUnit.QUARTER, 2)


@pytest.mark.parametrize("today, held, planned, no_quorum, expected", [
    (date(2024, 5, 1), 1, 0, 0, CellStatus.HELD),
    (date(2024, 5, 1), 0, 0, 0, CellStatus.DUE),
    (date(2024, 5, 1), 0, 1, 0, CellStatus.PLANNED),
    (date(2024, 6, 30), 0, 0, 0, CellStatus.DUE),  # the last day still counts
    (date(2024, 7, 1), 0, 0, 0, CellStatus.OVERDUE),
    (date(2024, 7, 1), 1, 0, 1, CellStatus.NO_QUORUM),  # held, but it did not count
    (date(2024, 7, 1), 2, 0, 1, CellStatus.HELD),  # a second, valid meeting makes it good
    (date(2024, 3, 31), 0, 0, 0, CellStatus.FUTURE),
    (date(2024, 3, 31), 0, 1, 0, CellStatus.PLANNED),
])
def test_cell_status(today, held, planned, no_quorum, expected):
    assert r.cell_status(QUARTERLY, Q2, today, held, planned, no_quorum) == expected


def test_cell_status_with_two_a_period_and_untracked_kinds():
    twice = r.make_rule(r.PARTY_LECTURE, "quarter", 2)
    assert r.cell_status(twice, Q2, date(2024, 7, 1), held=1) == CellStatus.OVERDUE
    assert r.cell_status(twice, Q2, date(2024, 5, 1), held=1, planned=1) == CellStatus.PLANNED
    assert r.cell_status(twice, Q2, date(2024, 5, 1), held=1) == CellStatus.DUE
    assert r.cell_status(twice, Q2, date(2024, 7, 1), held=2) == CellStatus.HELD
    joint = r.default_rule(r.JOINT)
    assert r.cell_status(joint, Period(2024, PeriodUnit.YEAR, 1), date(2025, 1, 1), 0) == CellStatus.NOT_REQUIRED
    off = r.make_rule(r.COMMITTEE, "month", required=False)
    assert r.cell_status(off, Period(2024, PeriodUnit.MONTH, 1), date(2025, 1, 1), 0) == CellStatus.NOT_REQUIRED


def test_congress_quorum_counts_only_members_with_a_vote():
    people = (
        [r.QuorumAttendee(r.PRESENT)] * 5
        + [r.QuorumAttendee(r.ABSENT)] * 5
        # 预备党员 present: no vote, so they do not make the quorum
        + [r.QuorumAttendee(r.PRESENT, category="预备党员")] * 3
        # a suspended member has no vote either, and is not counted in 应到
        + [r.QuorumAttendee(r.ABSENT, party_status="停止党籍")]
        + [r.QuorumAttendee(r.GUEST, is_guest=True)] * 4
    )
    q = r.quorum_for(r.BRANCH_CONGRESS, people)
    assert (q.applies, q.base, q.present, q.met, q.needed) == (True, 10, 5, False, 6)
    assert "未超过半数" in q.note and q.lacking
    people[5] = r.QuorumAttendee(r.PRESENT)
    q = r.quorum_for(r.BRANCH_CONGRESS, people)
    assert (q.present, q.met) == (6, True)
    assert r.congress_quorum(0, 0).met is False


@pytest.mark.parametrize("size, present, met", [(5, 3, True), (5, 2, False), (4, 2, False), (4, 3, True), (1, 1, True)])
def test_committee_quorum_is_more_than_half(size, present, met):
    assert r.committee_quorum(size, present).met is met


def test_committee_quorum_uses_the_register_and_unknown_without_one():
    people = [r.QuorumAttendee(r.PRESENT, on_committee=True)] * 2 + [r.QuorumAttendee(r.PRESENT)] * 5
    assert r.quorum_for(r.COMMITTEE, people, committee_size=5).met is False
    assert r.quorum_for(r.COMMITTEE, people, committee_size=3).met is True
    unknown = r.quorum_for(r.COMMITTEE, [], committee_size=0)
    assert unknown.met is None and not unknown.lacking and "未登记" in unknown.note
    assert not r.quorum_for(r.PARTY_LECTURE, people).applies


def test_attendance_counts_and_rate():
    c = r.count_attendance([r.PRESENT, r.PRESENT, r.PRESENT, r.LEAVE, r.ABSENT, r.UNRECORDED, r.GUEST])
    assert (c.expected, c.present, c.leave, c.absent, c.guests) == (6, 3, 1, 2, 1)
    assert c.rate == 0.5
    assert r.format_rate(c.rate) == "50.0%"
    assert r.attendance_rate(0, 0) is None and r.format_rate(None) == "—"


def test_attendance_status_words():
    assert r.check_attendance_status(" 出席 ") == r.PRESENT
    assert r.check_attendance_status("到") == r.PRESENT
    with pytest.raises(ValidationError) as e:
        r.check_attendance_status("迟到")
    assert e.value.field == "出勤情况"


def test_consecutive_absences_newest_first():
    assert r.consecutive_absences([r.ABSENT, r.ABSENT, r.PRESENT, r.ABSENT]) == 2
    assert r.consecutive_absences([r.ABSENT, r.LEAVE, r.ABSENT]) == 1  # leave is excused
    assert r.consecutive_absences([r.ABSENT, r.LEAVE, r.ABSENT], count_leave=True) == 3
    assert r.consecutive_absences([r.UNRECORDED, r.ABSENT]) == 2
    assert r.consecutive_absences([r.PRESENT, r.ABSENT]) == 0
    assert r.consecutive_absences([]) == 0


def test_months_before_clamps_to_the_month_end():
    assert r.months_before(date(2024, 8, 31), 6) == date(2024, 2, 29)
    assert r.months_before(date(2024, 3, 15), 6) == date(2023, 9, 15)
    assert r.months_before(date(2024, 1, 31), 1) == date(2023, 12, 31)


def test_lost_contact_needs_both_halves_when_dues_are_known():
    today = date(2024, 9, 1)
    old, recent = date(2024, 1, 1), date(2024, 8, 1)
    assert r.lost_contact(old, old, today)
    assert r.lost_contact(None, None, today)
    assert not r.lost_contact(old, recent, today)  # paid dues lately
    assert not r.lost_contact(recent, None, today)  # came to a meeting lately
    assert r.lost_contact(old, None, today, dues_known=False)
    assert not r.lost_contact(date(2024, 3, 1), None, today, dues_known=False)  # exactly 6 months


def test_grades_and_titles():
    assert r.check_grade("优秀") == "优秀"
    with pytest.raises(ValidationError) as e:
        r.check_grade("良好")
    assert e.value.field == "评议等次"
    assert r.check_title("  ", r.PARTY_LECTURE) == "党课"
    assert r.check_title("学习  二十大 精神", r.PARTY_LECTURE) == "学习 二十大 精神"
    with pytest.raises(ValidationError):
        r.check_title("长" * 101, r.PARTY_LECTURE)
