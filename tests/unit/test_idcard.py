from datetime import date

import pytest

from desktop_app.domain import idcard


def test_real_number_parses_with_birth_date_and_gender():
    info = idcard.parse("11010519491231002X")
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == idcard.FEMALE  # 17th digit 2 is even


def test_lowercase_x_and_spaces_are_normalised():
    assert idcard.parse(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("110105194912310021", "校验码"),
        ("11010519491231002", "18 位"),
        ("1.10105E+17", "科学计数法"),
        ("110105194913310028", "不是有效日期"),
        ("11010519491231A02X", "数字"),
        ("", "不能为空"),
    ],
)
def test_bad_numbers_say_why(raw, reason):
    with pytest.raises(ValueError, match=reason):
        idcard.parse(raw)


def test_lost_leading_digits_hint_at_excel():
    with pytest.raises(ValueError, match="Excel"):
        idcard.parse("1010519491231002")


@pytest.mark.parametrize("gender", [idcard.MALE, idcard.FEMALE])
def test_make_builds_valid_numbers_with_the_gender(gender):
    for seq in range(20):
        number = idcard.make("320102", date(1980, 2, 29), seq, gender)
        info = idcard.parse(number)
        assert info.gender == gender
        assert info.birth_date == date(1980, 2, 29)


def test_masking_keeps_region_and_last_four():
    assert idcard.mask("11010519491231002X") == "110105********002X"
    assert idcard.mask_phone("13912345678") == "139****5678"
    assert idcard.mask("") == ""


def test_parse_or_refuse_names_the_field():
    from desktop_app.domain.errors import ValidationError

    assert idcard.parse_or_refuse("11010519491231002X").birth_date == date(1949, 12, 31)
    with pytest.raises(ValidationError) as refused:
        idcard.parse_or_refuse("110105194912310021")
    assert (refused.value.field, refused.value.message) == ("公民身份号码", "校验码错误（末位应为 X）")
