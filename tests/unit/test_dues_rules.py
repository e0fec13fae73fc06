"""党费 rate table at every bracket edge, rounding, effective dates, payments and arrears rules."""

from datetime import date

import pytest

from desktop_app.domain import dues
from desktop_app.domain.dues import (
    DEFAULT_RULES, EMPLOYED, FARMER, RETIRED, STUDENT, SUBSISTENCE, UNEMPLOYED, RateRule,
)
from desktop_app.domain.errors import ValidationError

M = date(2024, 5, 1)


def due(category, income_fen=0, chosen=None, month=M, rules=DEFAULT_RULES):
    return dues.monthly_due(rules, category, month, income_fen, chosen)


@pytest.mark.parametrize(
    "income_fen, rate_bp, due_fen",
    [
        (0, 50, 0),
        (100, 50, 1),  # 1.00 元 × 0.5% = 0.005 元: half a fen rounds up
        (99, 50, 0),  # 0.99 × 0.5% = 0.00495 元 rounds down
        (299_999, 50, 1500),  # 2999.99 → 14.99995 → 15.00
        (300_000, 50, 1500),  # ≤3000 (含3000): 0.5%
        (300_001, 100, 3000),  # 3000.01: above 3000 → 1% of the whole income
        (450_000, 100, 4500),
        (500_000, 100, 5000),  # 5000 (含): still 1%
        (500_001, 150, 7500),  # 5000.01 → 1.5% = 75.00015 → 75.00
        (1_000_000, 150, 15000),  # 10000 (含): 1.5%
        (1_000_001, 200, 20000),  # 10000.01 → 2%
        (2_345_678, 200, 46914),  # 23456.78 × 2% = 469.1356 → 469.14
    ],
)
def test_employed_brackets_at_every_edge(income_fen, rate_bp, due_fen):
    calc = due(EMPLOYED, income_fen)
    assert calc.rate_bp == rate_bp
    assert calc.due_fen == due_fen


@pytest.mark.parametrize(
    "income_fen, rate_bp, due_fen",
    [
        (0, 50, 0),
        (250_000, 50, 1250),
        (499_999, 50, 2500),  # 4999.99 × 0.5% = 24.99995 → 25.00
        (500_000, 50, 2500),  # ≤5000 (含5000): 0.5%
        (500_001, 100, 5000),  # above 5000: 1%
        (812_345, 100, 8123),  # 8123.45 × 1% = 81.2345 → 81.23
        (812_350, 100, 8124),  # 81.2350 → 81.24 (half up)
    ],
)
def test_retired_brackets_at_every_edge(income_fen, rate_bp, due_fen):
    calc = due(RETIRED, income_fen)
    assert calc.rate_bp == rate_bp
    assert calc.due_fen == due_fen


@pytest.mark.parametrize("category", [STUDENT, UNEMPLOYED, SUBSISTENCE])
def test_flat_twenty_fen_whatever_the_income(category):
    assert due(category).due_fen == 20
    assert due(category, 900_000).due_fen == 20
    assert due(category).rate_bp is None
    assert due(category).basis == "定额"


def test_farmers_choose_between_twenty_fen_and_one_yuan():
    assert due(FARMER).due_fen == 20  # the minimum when nothing was chosen
    assert due(FARMER, chosen=20).due_fen == 20
    assert due(FARMER, chosen=100).due_fen == 100
    assert due(FARMER, chosen=50).due_fen == 50
    for bad in (19, 101, 0):
        with pytest.raises(ValidationError) as exc:
            due(FARMER, chosen=bad)
        assert exc.value.field == "月交党费"


def test_an_approved_reduction_or_exemption_replaces_the_computed_due():
    calc = due(EMPLOYED, 800_000, chosen=500)
    assert calc.due_fen == 500 and calc.overridden and calc.basis == "经批准少交"
    exempt = due(RETIRED, 300_000, chosen=0)
    assert exempt.due_fen == 0 and exempt.basis == "经批准免交"


def test_unknown_category_and_bad_income():
    with pytest.raises(ValidationError) as exc:
        due("个体户", 100)
    assert exc.value.field == "人员类别"
    with pytest.raises(ValidationError):
        due(EMPLOYED, -1)
    with pytest.raises(TypeError):
        due(EMPLOYED, 3000.0)


def test_rates_are_data_with_effective_dates():
    # A (made-up) change from 2025: the lowest bracket goes to 4000 元.
    new = (
        RateRule(EMPLOYED, date(2025, 1, 1), None, 400_000, rate_bp=50),
        RateRule(EMPLOYED, date(2025, 1, 1), 400_000, 500_000, rate_bp=100),
        RateRule(EMPLOYED, date(2025, 1, 1), 500_000, 1_000_000, rate_bp=150),
        RateRule(EMPLOYED, date(2025, 1, 1), 1_000_000, None, rate_bp=200),
    )
    table = DEFAULT_RULES + new
    dues.check_table(table)
    assert due(EMPLOYED, 350_000, month=date(2024, 12, 1), rules=table).due_fen == 3500  # old: 1%
    assert due(EMPLOYED, 350_000, month=date(2025, 1, 1), rules=table).due_fen == 1750  # new: 0.5%
    # Other categories keep the 2008 lines.
    assert due(RETIRED, 600_000, month=date(2025, 6, 1), rules=table).due_fen == 6000
    # Before the first table there is nothing to apply.
    with pytest.raises(ValidationError) as exc:
        due(EMPLOYED, 350_000, month=date(2008, 3, 1))
    assert exc.value.field == "党费标准"


def test_the_default_table_is_whole_and_matches_design():
    dues.check_table(DEFAULT_RULES)
    texts = [r.describe() for r in DEFAULT_RULES]
    assert "在职：月收入3000.00元（含）以下，0.5%" in texts
    assert "在职：月收入3000.00元以上至5000.00元（含），1%" in texts
    assert "在职：月收入10000.00元以上，2%" in texts
    assert "离退休：月收入5000.00元以上，1%" in texts
    assert "农民：每月0.20至1.00元" in texts
    assert "学生：每月0.20元" in texts


@pytest.mark.parametrize(
    "lines, words",
    [
        ((RateRule(EMPLOYED, M, None, 300_000, rate_bp=50),), "不设上限"),
        ((RateRule(EMPLOYED, M, 100, None, rate_bp=50),), "从 0 元起"),
        (
            (RateRule(EMPLOYED, M, None, 300_000, rate_bp=50), RateRule(EMPLOYED, M, 310_000, None, rate_bp=100)),
            "首尾相接",
        ),
        ((RateRule(EMPLOYED, M, rate_bp=50, fixed_fen=20),), "之一"),
        ((RateRule(FARMER, M, min_fen=100, max_fen=20),), "最低不高于最高"),
        ((RateRule(EMPLOYED, date(2024, 5, 2), rate_bp=50),), "1日"),
        ((RateRule(EMPLOYED, M, rate_bp=20_000),), "0 到 100%"),
    ],
)
def test_a_broken_table_is_refused(lines, words):
    with pytest.raises(ValidationError) as exc:
        dues.check_table(lines)
    assert words in exc.value.message


def test_rate_text():
    assert dues.rate_text(50) == "0.5%"
    assert dues.rate_text(100) == "1%"
    assert dues.rate_text(150) == "1.5%"
    assert dues.rate_text(125) == "1.25%"


# ---------------------------------------------------------------- months, payments, arrears

def test_month_helpers():
    assert dues.add_months(date(2024, 11, 1), 3) == date(2025, 2, 1)
    assert dues.add_months(date(2024, 1, 1), -1) == date(2023, 12, 1)
    assert dues.months_between(date(2023, 12, 1), date(2024, 6, 30)) == 6
    assert len(dues.month_range(date(2023, 11, 5), date(2024, 2, 1))) == 4
    assert dues.quarter_months(date(2024, 5, 20)) == [date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1)]
    assert dues.months_label([date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]) == "2024年1-3月"
    assert dues.months_label([date(2024, 1, 1), date(2024, 3, 1)]) == "2024年1月、3月"
    assert dues.months_label([date(2023, 12, 1), date(2024, 1, 1)]) == "2023年12月至2024年1月"


def test_back_payment_beyond_six_months_is_flagged():
    assert not dues.is_late_back_payment(date(2024, 1, 1), date(2024, 7, 31))  # six months: on the edge
    assert dues.is_late_back_payment(date(2024, 1, 1), date(2024, 8, 1))  # seven
    assert dues.check_payment([date(2024, 1, 1)], date(2024, 7, 15), False) == []
    warnings = dues.check_payment([date(2024, 1, 1), date(2024, 2, 1)], date(2024, 8, 10), False)
    assert warnings and "2024年1月" in warnings[0] and "超过6个月" in warnings[0]
    assert "2月" not in warnings[0]  # February is only six months back


def test_paying_ahead_needs_consent_and_stops_at_the_quarter_end():
    q2 = [date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1)]
    with pytest.raises(ValidationError) as exc:
        dues.check_payment(q2, date(2024, 4, 3), quarterly_consent=False)
    assert "党支部同意" in exc.value.message and exc.value.field == "交纳月份"
    assert dues.check_payment(q2, date(2024, 4, 3), quarterly_consent=True) == []
    with pytest.raises(ValidationError) as exc:
        dues.check_payment([date(2024, 6, 1), date(2024, 7, 1)], date(2024, 6, 3), quarterly_consent=True)
    assert "本季度末" in exc.value.message
    # Paying this month and catching up on past months needs no consent.
    assert dues.check_payment([date(2024, 3, 1), date(2024, 4, 1)], date(2024, 4, 3), False) == []
    with pytest.raises(ValidationError):
        dues.check_payment([date(2024, 4, 1), date(2024, 4, 15)], date(2024, 4, 3), False)  # same month twice
    with pytest.raises(ValidationError):
        dues.check_payment([], date(2024, 4, 3), False)


def test_split_payment():
    assert dues.split_payment([1500, 1500, 1500], None) == [1500, 1500, 1500]
    assert dues.split_payment([1500, 1500], 5000) == [1500, 3500]  # 自愿多交 goes to the last month
    assert dues.split_payment([1500], 1000) == [1000]  # one month may be short (still owed)
    with pytest.raises(ValidationError):
        dues.split_payment([1500, 1500], 2000)


def test_unpaid_runs():
    unpaid = [date(2024, m, 1) for m in (1, 2, 3, 5, 6, 7, 8, 9, 10)]
    assert dues.longest_unpaid_run(unpaid) == 6
    assert dues.trailing_unpaid_run(unpaid, date(2024, 10, 1)) == 6
    assert dues.trailing_unpaid_run(unpaid, date(2024, 11, 1)) == 0
    assert dues.longest_unpaid_run([]) == 0
