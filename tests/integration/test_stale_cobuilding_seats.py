"""兼职委员 and 单位报到 forms: a save over a change made after the form was read is refused,
naming who saved it. Two programs on one real database file."""

from datetime import date

from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import SeatInput, UnitReportInput
from tests.integration.test_cobuilding_service import TODAY, town  # noqa: F401 - fixture
from tests.integration.test_stale_cobuilding import _refused
from tests.integration.test_stale_forms import _accounts, two  # noqa: F401 - the fixture


def test_a_seat_form_read_before_anothers_change_is_refused(two, town):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    inp = SeatInput(name="刘主任", unit_id=town["hospital"], post="兼职委员", phone="13800001111",
                    term_start=date(2026, 1, 1))
    seat = cb.save_seat(a, None, inp, TODAY)
    mine = next(r for r in cb.list_seats(a, today=TODAY) if r.id == seat.id)
    theirs = next(r for r in cb.list_seats(b, today=TODAY) if r.id == seat.id)
    _refused(lambda: cb.save_seat(a, seat.id, SeatInput(mine.level, mine.name, mine.unit_id, mine.post, "13900002222",
                                                        mine.term_start), TODAY, expected_version=mine.version),
             lambda: cb.save_seat(b, seat.id, SeatInput(theirs.level, theirs.name, theirs.unit_id, "副书记",
                                                        theirs.phone, theirs.term_start), TODAY,
                                  expected_version=theirs.version), "兼职委员 刘主任")
    now = next(r for r in cb.list_seats(a, today=TODAY) if r.id == seat.id)
    assert (now.post, now.phone) == ("兼职委员", "13900002222")


def test_a_unit_report_form_read_before_anothers_change_is_refused(two, town):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    rep = cb.save_unit_report(a, None, UnitReportInput(town["hospital"], date(2026, 3, 5), town["community"],
                                                       "刘主任", "13800001111", "每季度义诊"), TODAY)
    mine = next(r for r in cb.list_unit_reports(a, 2026) if r.id == rep.id)
    theirs = next(r for r in cb.list_unit_reports(b, 2026) if r.id == rep.id)
    _refused(lambda: cb.save_unit_report(a, rep.id, UnitReportInput(mine.unit_id, mine.reported_on, mine.org_id,
                                                                     "王主任", "", mine.promise), TODAY,
                                         expected_version=mine.version),
             lambda: cb.save_unit_report(b, rep.id, UnitReportInput(theirs.unit_id, theirs.reported_on, theirs.org_id,
                                                                     theirs.liaison, "", "每月义诊"), TODAY,
                                         expected_version=theirs.version), "单位报到 区人民医院")
    now = next(r for r in cb.list_unit_reports(a, 2026) if r.id == rep.id)
    assert (now.liaison, now.promise) == ("王主任", "每季度义诊")
