"""Money: integer fen, no float anywhere, yuan text in and out, amounts in capitals."""

from decimal import Decimal

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import (
    Money,
    amount_in_capitals,
    fen_to_decimal,
    format_amount,
    format_in,
    format_yuan,
    parse_yuan,
)


@pytest.mark.parametrize(
    "text, fen",
    [
        ("123.45", 12345),
        ("123", 12300),
        ("123.4", 12340),
        ("123.", 12300),
        ("0.01", 1),
        ("0", 0),
        ("¥1,234.5", 123450),
        ("￥1,234.50", 123450),
        ("1,234,567.89", 123456789),
        (" 80 元", 8000),
        ("人民币 99.90", 9990),
        ("１２３．４５", 12345),  # full-width, as a Chinese input method types it
        ("1.230", 123),  # trailing zero: the value is exactly 1.23
    ],
)
def test_parse_yuan_text(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text, words",
    [
        ("1.234", "两位小数"),
        ("12.345", "两位小数"),
        ("abc", "不是金额"),
        ("1.2.3", "不是金额"),
        ("1,23", "千位分隔符"),
        ("12,34.5", "千位分隔符"),
        ("", "请填写"),
        ("¥", "请填写"),
        ("-5", "负数"),
    ],
)
def test_parse_yuan_refuses_with_a_message_naming_the_field(text, words):
    with pytest.raises(ValidationError) as exc:
        parse_yuan(text, field="支出金额")
    assert exc.value.field == "支出金额"
    assert words in exc.value.message


def test_negative_only_when_allowed():
    assert parse_yuan("-12.50", allow_negative=True) == -1250
    assert parse_yuan("¥-12.50", allow_negative=True) == -1250


def test_parse_decimal_and_int():
    assert parse_yuan(Decimal("12.3")) == 1230
    assert parse_yuan(Decimal("12.30")) == 1230
    assert parse_yuan(7) == 700
    with pytest.raises(ValidationError):
        parse_yuan(Decimal("0.001"))
    with pytest.raises(ValidationError):
        parse_yuan(Decimal("NaN"))


@pytest.mark.parametrize("bad", [0.1, 12.0, float("nan")])
def test_float_is_refused_everywhere(bad):
    with pytest.raises(TypeError):
        parse_yuan(bad)
    with pytest.raises(TypeError):
        Money(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(100) + bad  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(100) * bad  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(100) == bad  # noqa: B015
    with pytest.raises(TypeError):
        format_yuan(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_capitals(bad)  # type: ignore[arg-type]


def test_bool_is_not_money():
    with pytest.raises(TypeError):
        Money(True)  # type: ignore[arg-type]


def test_ten_dimes_are_exactly_one_yuan():
    # The reason for integer fen: a REAL sum of ten 0.10 is 0.9999999999999999.
    total = sum((Money.parse("0.10") for _ in range(10)), Money(0))
    assert total == Money(100)
    assert total.yuan == Decimal("1.00")
    assert sum([Money(10)] * 10) == Money(100)


def test_money_arithmetic_and_order():
    a, b = Money.parse("12.34"), Money.parse("0.66")
    assert (a + b).fen == 1300
    assert (a - b).fen == 1168
    assert (a * 3).fen == 3702 and (3 * a).fen == 3702
    assert (-a).fen == -1234 and abs(-a) == a
    assert b < a and a >= b
    assert not Money(0) and Money(1)
    assert {Money(5), Money(5)} == {Money(5)}
    with pytest.raises(AttributeError):
        a.foo = 1  # type: ignore[attr-defined]
    assert str(Money(123456)) == "¥1,234.56"
    assert Money(12345).capitals() == "壹佰贰拾叁元肆角伍分"


@pytest.mark.parametrize(
    "fen, text",
    [
        (12345, "123.45"),
        (5, "0.05"),
        (-5, "-0.05"),
        (0, "0.00"),
        (123456789, "1,234,567.89"),
        (-100000, "-1,000.00"),
    ],
)
def test_format_yuan(fen, text):
    assert format_yuan(fen) == text


def test_format_options_and_decimal():
    assert format_yuan(123456, grouping=False) == "1234.56"
    assert format_yuan(123456, symbol=True) == "¥1,234.56"
    assert format_yuan(-123456, symbol=True) == "-¥1,234.56"
    assert fen_to_decimal(-5) == Decimal("-0.05")


@pytest.mark.parametrize(
    "fen, words",
    [
        (12345, "壹佰贰拾叁元肆角伍分"),
        (12300, "壹佰贰拾叁元整"),
        (12340, "壹佰贰拾叁元肆角整"),
        (100503, "壹仟零伍元零叁分"),  # 1005.03: inner zero and a zero 角
        (140950, "壹仟肆佰零玖元伍角整"),  # 1409.50 (支付结算办法's example)
        (600714, "陆仟零柒元壹角肆分"),  # 6007.14: one 零 for a run of zeros
        (1640902, "壹万陆仟肆佰零玖元零贰分"),  # 16409.02
        (32504, "叁佰贰拾伍元零肆分"),  # 325.04
        (168032, "壹仟陆佰捌拾元叁角贰分"),  # 1680.32: 零 after 元 may be left out
        (10700053, "壹拾万柒仟元伍角叁分"),  # 107000.53
        (10010000, "壹拾万零壹佰元整"),  # 100100: zeros across the 万 boundary
        (100000100, "壹佰万零壹元整"),
        (1001000000, "壹仟零壹万元整"),
        (10000000000, "壹亿元整"),
        (10000000100, "壹亿零壹元整"),
        (10001000000, "壹亿零壹万元整"),
        (10010000000, "壹亿零壹拾万元整"),
        (1000, "壹拾元整"),  # financial writing keeps 壹拾
        (1500, "壹拾伍元整"),
        (50, "伍角整"),
        (5, "伍分"),
        (35, "叁角伍分"),
        (0, "零元整"),
        (-12345, "负壹佰贰拾叁元肆角伍分"),  # a reversal
        (-100000, "负壹仟元整"),
        (99999999, "玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_capitals(fen, words):
    assert amount_in_capitals(fen) == words


def test_capitals_never_leave_a_dangling_zero():
    for fen in range(0, 2_000_000, 997):
        words = amount_in_capitals(fen)
        assert "零零" not in words
        assert not words.startswith("零") or words == "零元整"
        assert "零元" not in words or words == "零元整"
        assert words.endswith(("整", "分"))


@pytest.mark.parametrize(("fen", "text"), [
    (320_000, "3,200.00 元"),  # not "0.32 万元"
    (999_999, "9,999.99 元"),
    (1_000_000, "1.00 万元"),
    (34_174_999, "34.17 万元"),
    (34_175_000, "34.18 万元"),  # half up, in integers
    (1_234_567_890_000, "1,234,567.89 万元"),
    (-320_000, "-3,200.00 元"),
    (-1_005_000, "-1.01 万元"),
])
def test_an_amount_at_a_glance_is_in_yuan_below_ten_thousand_and_in_wan_from_there(fen, text):
    assert format_amount(fen) == text


def test_format_in_refuses_a_float():
    with pytest.raises(TypeError):
        format_in(3.5, "万元")
