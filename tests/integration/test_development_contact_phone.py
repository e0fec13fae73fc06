"""An applicant's 联系电话 was kept as typed, and checked only when 上级党委审批 put the person on the roster,
whose 手机号码 takes 11 digits: a fixed line (an older applicant's 021-62345678) or a slip (1380013800) stopped
the approval months later with “不是 11 位手机号码”. It is checked when typed, a mobile or a fixed line, and
a fixed line goes to the roster's 固定电话."""

import pytest

from desktop_app.domain import development as d
from desktop_app.domain.errors import ValidationError
from desktop_app.services import development, roster
from tests.integration.test_development_withdraw import TODAY, branch, walk  # noqa: F401 - the branch fixture


def _input(detail, mobile):
    return development.ApplicantInput(name=detail.row.name, org_id=detail.row.org_id, applied_on=detail.row.applied_on,
                                      id_number=detail.id_number, mobile=mobile)


def test_a_fixed_line_is_kept_and_goes_to_the_rosters_fixed_phone(db, branch):
    got = walk(db, branch, d.ADMIT)
    got = development.update_applicant(db, got.row.id, _input(got, "021-62345678"), TODAY)
    assert got.row.mobile == "021-62345678"
    approved = development.advance(db, got.row.id, development.StepInput(step=d.APPROVE, done_on=TODAY), today=TODAY)
    member = roster.get(db, approved.member_id)
    assert (member.mobile, member.phone) == ("", "021-62345678")


def test_a_mobile_is_tidied_and_goes_to_the_rosters_mobile(db, branch):
    got = walk(db, branch, d.ADMIT)
    got = development.update_applicant(db, got.row.id, _input(got, "138 0013 8000"), TODAY)
    approved = development.advance(db, got.row.id, development.StepInput(step=d.APPROVE, done_on=TODAY), today=TODAY)
    assert roster.get(db, approved.member_id).mobile == "13800138000"


@pytest.mark.parametrize("typed", ["13800", "1380013800", "138001380001", "张三 13800138000", "138-0013-800a"])
def test_what_is_no_phone_number_is_refused_when_typed(db, branch, typed):
    with pytest.raises(ValidationError) as e:
        development.add_applicant(db, development.ApplicantInput(
            name="周晓梅", org_id=branch, applied_on=TODAY, mobile=typed), today=TODAY)
    assert e.value.field == "联系电话" and "11 位" in e.value.message and "区号" in e.value.message
    assert development.pipeline(db, today=TODAY) == []
