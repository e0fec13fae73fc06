"""入党时间 written 201907 (as other systems export it, as text or as a number) is a year and a month: the
worker is told the day is missing, as for 2019-07, not that the date cannot be read."""

import pytest

from desktop_app.domain.members import parse_date


@pytest.mark.parametrize("value", ["201907", "２０１９０７", 201907, 201907.0, "199912"])
def test_a_year_and_month_in_six_digits_is_told_the_day_is_missing(value):
    with pytest.raises(ValueError, match="只有年月，缺少日"):
        parse_date(value)


@pytest.mark.parametrize("value", ["201913", "189912", 43647])
def test_other_six_or_five_digit_values_are_not_taken_for_a_month(value):
    try:
        parse_date(value)
    except ValueError as exc:
        assert "只有年月" not in str(exc)


def test_dates_of_eight_digits_and_serials_still_read():
    assert parse_date("20190701").isoformat() == "2019-07-01"
    assert parse_date(20190701).isoformat() == "2019-07-01"
    assert parse_date(43647).isoformat() == "2019-07-01"
