"""互比互看 counts a community's members as 党员名册 and 概览 do: a member moved into the 双报到 register
has left the roster, so neither the member count nor 民主评议's 在册党员 holds them."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import assessment as asm
from desktop_app.services import cobuilding as cb
from desktop_app.services import overview, roster
from tests.integration.test_assessment_service import AS_OF, TODAY, YEAR, town  # noqa: F401


def test_a_member_in_the_reporting_register_is_not_counted_on_the_roster(db, town):
    before = asm.compare_communities(db, YEAR, as_of=AS_OF).rows[0]
    worker = roster.create(db, MemberInput(
        name="钱报到", org_id=town["b2"], id_number=idcard.make("320102", date(1980, 5, 6), 31, idcard.MALE),
        joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1), job="区人民医院"), today=TODAY).id
    cb.move_from_roster(db, worker, today=TODAY)
    row = asm.compare_communities(db, YEAR, as_of=AS_OF).rows[0]
    assert row.members == before.members == 5
    assert row.evaluation_done.required == before.evaluation_done.required == 5
    shown = {f.key: f.value for f in overview.dashboard(db, YEAR, today=TODAY).figures}
    assert shown["members_total"] == row.members
