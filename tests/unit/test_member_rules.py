"""Member rules: ID agreement, dates of joining and confirmation, phones, probation, dates as written, bands."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput

TODAY = date(2026, 6, 15)
REAL = "11010519491231002X"  # the standard's own example: born 1949-12-31, female


def member(**kw) -> MemberInput:
    base = dict(name="张三", id_number=REAL, joined_date=date(1975, 7, 1), confirmed_date=date(1976, 7, 1))
    return MemberInput(**(base | kw))


def fields_of(errors) -> set[str]:
    return {e.field for e in errors}


# ---------------------------------------------------------------- ID number

def test_real_id_number_is_valid_and_one_changed_digit_is_not():
    assert idcard.parse(REAL).birth_date == date(1949, 12, 31)
    changed = "12" + REAL[2:]  # one digit of the region code
    with pytest.raises(ValueError, match="校验码"):
        idcard.parse(changed)
    errors = rules.validate_all(member(id_number=changed), TODAY)
    assert fields_of(errors) == {"公民身份号码"}


def test_birth_date_and_gender_come_from_the_id_when_empty():
    out = rules.validate(member(), TODAY)
    assert out.birth_date == date(1949, 12, 31)
    assert out.gender == "女"


def test_lower_case_x_and_spaces_in_the_id_are_normalized():
    out = rules.validate(member(id_number=" 110105 19491231 002x "), TODAY)
    assert out.id_number == REAL


def test_birth_date_must_agree_with_the_id():
    errors = rules.validate_all(member(birth_date=date(1950, 1, 1)), TODAY)
    assert fields_of(errors) == {"出生日期"}
    assert "1949-12-31" in errors[0].message


def test_gender_must_agree_with_the_id():
    with pytest.raises(ValidationError) as exc:
        rules.validate(member(gender="男"), TODAY)
    assert exc.value.field == "性别"
    assert rules.validate(member(gender="女性"), TODAY).gender == "女"


def test_id_is_required():
    assert "公民身份号码" in fields_of(rules.validate_all(member(id_number=""), TODAY))


# ---------------------------------------------------------------- joining and confirmation

def test_joining_before_the_18th_birthday_is_rejected_and_on_it_accepted():
    errors = rules.validate_all(member(joined_date=date(1967, 12, 30), confirmed_date=None), TODAY)
    assert fields_of(errors) == {"加入党组织日期"}
    assert "未满 18 周岁" in errors[0].message
    assert rules.validate_all(member(joined_date=date(1967, 12, 31), confirmed_date=date(1968, 12, 31)), TODAY) == []


def test_joining_in_the_future_is_rejected():
    errors = rules.validate_all(member(joined_date=date(2026, 6, 16), confirmed_date=None,
                                       category="预备党员"), TODAY)
    assert fields_of(errors) == {"加入党组织日期"}


def test_joined_date_is_required():
    assert fields_of(rules.validate_all(member(joined_date=None, confirmed_date=None), TODAY)) == {"加入党组织日期"}


def test_confirmation_before_or_on_joining_is_rejected():
    errors = rules.validate_all(member(confirmed_date=date(1975, 7, 1)), TODAY)
    assert fields_of(errors) == {"转为正式党员日期"}
    errors = rules.validate_all(member(confirmed_date=date(1970, 1, 1)), TODAY)
    assert fields_of(errors) == {"转为正式党员日期"}


def test_probationary_member_has_no_confirmation_date():
    errors = rules.validate_all(member(category="预备党员"), TODAY)
    assert fields_of(errors) == {"转为正式党员日期"}
    ok = member(category="预备党员", joined_date=date(2026, 1, 1), confirmed_date=None)
    assert rules.validate_all(ok, TODAY) == []


def test_full_member_without_confirmation_date_is_a_warning_not_an_error():
    inp = member(confirmed_date=None)
    assert rules.validate_all(inp, TODAY) == []
    assert any("未填写转为正式党员日期" in w for w in rules.warnings(inp, TODAY))


def test_category_and_party_status_are_checked():
    assert fields_of(rules.validate_all(member(category="党员"), TODAY)) == {"人员类别"}
    assert fields_of(rules.validate_all(member(category=""), TODAY)) == {"人员类别"}
    assert fields_of(rules.validate_all(member(party_status="开除"), TODAY)) == {"党籍状态"}
    assert rules.validate(member(party_status=""), TODAY).party_status == "正常"


def test_validate_all_collects_every_problem_at_once():
    errors = rules.validate_all(
        MemberInput(name="", id_number="123", joined_date=None, mobile="12345", category="x"), TODAY
    )
    assert fields_of(errors) >= {"姓名", "公民身份号码", "加入党组织日期", "手机号码", "人员类别"}


def test_name_is_trimmed_and_alignment_spaces_between_chinese_characters_dropped():
    assert rules.validate(member(name=" 张　三 "), TODAY).name == "张三"
    assert rules.validate(member(name="John  Smith"), TODAY).name == "John Smith"


def test_lost_date_and_destination_need_their_flags():
    assert fields_of(rules.validate_all(member(lost_date=date(2020, 1, 1)), TODAY)) == {"失去联系日期"}
    assert rules.validate_all(member(is_lost=True, lost_date=date(2020, 1, 1)), TODAY) == []
    assert fields_of(rules.validate_all(member(floating_to="深圳"), TODAY)) == {"外出流向"}


# ---------------------------------------------------------------- phones

@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "138-1234-5678", "0086 13812345678",
                                 "8613812345678", "１３８１２３４５６７８"])
def test_mobile_forms_are_normalized(raw):
    assert rules.normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["1381234567", "23812345678", "138123456789", "abc", "138 1234 567x"])
def test_bad_mobiles_are_rejected(raw):
    with pytest.raises(ValueError):
        rules.normalize_mobile(raw)
    assert fields_of(rules.validate_all(member(mobile=raw), TODAY)) == {"手机号码"}


def test_fixed_phone_is_checked_loosely():
    assert rules.normalize_phone("010-6512 3456") == "010-6512 3456"
    assert rules.normalize_phone("(025)84561234转8012") == "(025)84561234转8012"
    with pytest.raises(ValueError):
        rules.normalize_phone("123")
    with pytest.raises(ValueError):
        rules.normalize_phone("见备注")


# ---------------------------------------------------------------- probation

def test_probation_due_counts_days_to_the_first_anniversary():
    assert rules.probation_due(date(2025, 6, 15), TODAY) == 0
    assert rules.probation_due(date(2025, 6, 16), TODAY) == 1
    assert rules.probation_due(date(2025, 6, 14), TODAY) == -1
    assert rules.probation_due(date(2026, 6, 15), TODAY) == 365
    # 29 February: due on 1 March of the next (common) year
    assert rules.probation_due(date(2024, 2, 29), date(2025, 3, 1)) == 0


# ---------------------------------------------------------------- dates as people write them

@pytest.mark.parametrize("raw", [
    "1985-03-02", "1985/3/2", "1985.3.2", "1985年3月2日", "1985年03月02日", "19850302", " 1985-3-2 ",
    "1985-03-02 00:00:00", "１９８５－０３－０２", 31108, 31108.0, "31108", 19850302,
    date(1985, 3, 2), datetime(1985, 3, 2, 0, 0),
])
def test_parse_date_accepts_every_form(raw):
    assert rules.parse_date(raw) == date(1985, 3, 2)


def test_excel_serial_uses_the_1899_12_30_base():
    assert rules.parse_date(31107) == date(1985, 3, 1)
    assert rules.parse_date(1) == date(1899, 12, 31)  # harmless: nobody joined then, and checks catch it
    assert rules.parse_date(45000.75) == date(2023, 3, 15)  # a time of day is dropped


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_parse_date_blank_is_none(raw):
    assert rules.parse_date(raw) is None


@pytest.mark.parametrize("raw,reason", [
    ("1985-02-30", "不是有效日期"), ("1985.03", "缺少日"), ("1985年3月", "缺少日"), ("三月二日", "无法识别"),
    ("1800-01-01", "年份不合理"), (-5, "不是日期"), (True, "不是日期"), (float("nan"), "不是日期"),
    ("19851302", "不是有效日期"),
])
def test_parse_date_refuses_with_a_plain_reason(raw, reason):
    with pytest.raises(ValueError, match=reason):
        rules.parse_date(raw)


def test_yes_no():
    assert rules.parse_yes_no("是") is True and rules.parse_yes_no("否") is False
    assert rules.parse_yes_no("") is False and rules.parse_yes_no(None) is False
    with pytest.raises(ValueError):
        rules.parse_yes_no("也许")


# ---------------------------------------------------------------- ages and bands

def test_age_and_party_age():
    assert rules.age(date(1990, 6, 15), TODAY) == 36
    assert rules.age(date(1990, 6, 16), TODAY) == 35
    assert rules.age(None, TODAY) is None
    assert rules.party_age("正式党员", date(2000, 7, 1), date(2001, 7, 1), TODAY) == 24
    assert rules.party_age("正式党员", date(2000, 7, 1), None, TODAY) == 24  # joined + 1 year stands in
    assert rules.party_age("预备党员", date(2026, 1, 1), None, TODAY) is None


@pytest.mark.parametrize("years,band", [
    (0, "35岁及以下"), (35, "35岁及以下"), (36, "36-45岁"), (45, "36-45岁"), (46, "46-55岁"),
    (55, "46-55岁"), (56, "56-60岁"), (60, "56-60岁"), (61, "61-70岁"), (70, "61-70岁"),
    (71, "71-80岁"), (80, "71-80岁"), (81, "80岁以上"), (None, None),
])
def test_age_band_edges(years, band):
    assert rules.age_band(years) == band


@pytest.mark.parametrize("years,band", [
    (0, "5年以下"), (4, "5年以下"), (5, "5-10年"), (9, "5-10年"), (10, "10-20年"), (19, "10-20年"),
    (20, "20-30年"), (29, "20-30年"), (30, "30-50年"), (49, "30-50年"), (50, "50年以上"),
])
def test_party_age_band_edges(years, band):
    assert rules.party_age_band(years) == band


def test_bands_are_listed_in_order():
    assert rules.AGE_BANDS[0] == "35岁及以下" and rules.AGE_BANDS[-1] == "80岁以上"
    assert rules.PARTY_AGE_BANDS == ("5年以下", "5-10年", "10-20年", "20-30年", "30-50年", "50年以上")


dates = st.dates(min_value=date(1904, 1, 1), max_value=date(2096, 12, 31))


@given(start=dates, today=dates, years=st.integers(0, 90))
def test_age_condition_as_a_date_bound_agrees_with_full_years(start, today, years):
    # SQL filters by "born on or before latest_start_for(today, n)"; it must mean "n full years".
    assert (rules.full_years(start, today) >= years) == (start <= rules.latest_start_for(today, years)) or start > today


@given(birth=dates, today=dates)
def test_start_range_of_the_band_holds_exactly_the_members_of_the_band(birth, today):
    if birth > today:
        return
    band = rules.age_band(rules.age(birth, today))
    for label in rules.AGE_BANDS:
        lower, upper = rules.start_range(label, today)
        inside = (lower is None or birth > lower) and (upper is None or birth <= upper)
        assert inside == (label == band)


def test_every_checked_text_field_has_a_label_for_its_message():
    # A refused character must name the field it was found in, whichever field that is.
    from desktop_app.domain import members as rules

    assert all(f in rules.FIELD_LABELS for f in rules._TEXT_FIELDS)
    inp = rules.MemberInput(name="张三", org_id=None, id_number="320102200001010016", org_name="\x1b")
    _clean, problems, _notes = rules.check(inp, date(2026, 12, 4))
    assert any(p.field == "所在党支部" and "控制字符" in str(p) for p in problems)


@pytest.mark.parametrize(("joined", "confirmed", "category", "says"), [
    (date(2025, 10, 10), None, rules.PROBATIONARY, "按预备党员导入"),  # 周伟: within the 预备期
    (date(2025, 6, 16), None, rules.PROBATIONARY, "不满一年"),  # the 预备期's last day
    (date(2025, 6, 15), None, rules.FULL, "请核对是否已转正 / 延长预备期"),  # a year to the day: 预备期 over
    (date(2010, 7, 1), None, rules.FULL, "请核对是否已转正 / 延长预备期"),
    (date(2025, 1, 1), date(2026, 1, 1), rules.FULL, ""),  # a 转正 date says 正式党员, nothing to check
    (None, None, rules.FULL, ""),  # no 入党 date: an error of its own, no guess
])
def test_a_row_with_no_category_reads_from_its_dates(joined, confirmed, category, says):
    got, why = rules.category_not_given(joined, confirmed, TODAY)
    assert got == category
    assert (says in why) if says else why == ""
