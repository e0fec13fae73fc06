"""A past year's 支部考评 is judged on who were the branch's members that year, read from the membership
history as 概览 reads it, not on today's roster: a member who left since still counts, one who left
during the year or joined since does not, and a member moved since counts in the branch they sat in."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import assessment as asm
from desktop_app.services import memberlife, overview, roster
from tests.integration.test_assessment_service import YEAR, town  # noqa: F401

NOW = date(YEAR + 1, 3, 1)  # the assessed year is over


def _evaluation(db, year, branch):
    d = asm.branch_assessment(db, year, branch, as_of=NOW)
    return next(x for x in d.scores if x.title == "按时完成民主评议党员")


def test_a_past_year_counts_the_members_of_that_year(db, town):
    m, b1 = town["m"], town["b1"]
    roster.transfer(db, m["张一"], "转出", date(YEAR, 9, 1), to_org="外区", today=NOW)  # left during the year
    roster.transfer(db, m["张二"], "转出", date(YEAR + 1, 2, 1), to_org="外区", today=NOW)  # left since
    memberlife.move_member(db, m["孙二"], b1, date(YEAR + 1, 1, 15), today=NOW)  # second branch until then
    roster.create(db, MemberInput(
        name="周新", org_id=b1, id_number=idcard.make("320102", date(1995, 4, 2), 77, idcard.MALE),
        joined_date=date(YEAR + 1, 1, 10), category="预备党员"), today=NOW)  # joined since

    # 第一网格 in YEAR: 王书记, 李委员 (graded), 张二 (not); 2 of 3, not today's 2 of 4
    evaluation = _evaluation(db, YEAR, "B01")
    assert evaluation.measure.startswith("2/3")
    assert "张二" in evaluation.evidence[-1].text
    assert not any(name in evaluation.evidence[-1].text for name in ("张一", "孙二", "周新"))
    assert _evaluation(db, YEAR, "B02").measure.startswith("0/1")  # 孙二 was still there

    row = asm.compare_communities(db, YEAR, as_of=NOW).rows[0]
    assert row.members == row.evaluation_done.required == 4
    shown = {f.key: f.value for f in overview.dashboard(db, YEAR, today=NOW).figures}
    assert shown["members_total"] == row.members  # the same count as 概览's

    # the year before, 张一 was still a member
    before = asm.compare_communities(db, YEAR - 1, as_of=NOW).rows[0]
    assert before.members == 5
    assert {f.key: f.value for f in overview.dashboard(db, YEAR - 1, today=NOW).figures}["members_total"] == 5


def test_the_current_year_counts_todays_roster(db, town):
    m, b1 = town["m"], town["b1"]
    today = date(YEAR, 10, 1)
    roster.transfer(db, m["张二"], "转出", date(YEAR, 9, 1), to_org="外区", today=today)
    roster.create(db, MemberInput(
        name="周新", org_id=b1, id_number=idcard.make("320102", date(1995, 4, 2), 77, idcard.MALE),
        joined_date=date(YEAR, 9, 10), category="预备党员"), today=today)
    d = asm.branch_assessment(db, YEAR, "B01", as_of=today)
    evaluation = next(x for x in d.scores if x.title == "按时完成民主评议党员")
    assert evaluation.measure.startswith("2/4")  # 王书记, 李委员, 张一, 周新: the roster as it is today
    assert "周新" in evaluation.evidence[-1].text and "张二" not in evaluation.evidence[-1].text
