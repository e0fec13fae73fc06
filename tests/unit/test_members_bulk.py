"""The column-wise member check gives what the one-record check gives, row for row: values, errors, warnings."""

from dataclasses import fields
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.members import MemberInput
from desktop_app.domain.members_bulk import check_columns

TODAY = date(2026, 6, 15)
FIELDS = [f.name for f in fields(MemberInput)]


def _ids():
    born = st.dates(date(1890, 1, 1), date(2030, 1, 1))
    valid = st.builds(lambda b, s, g: idcard.make("310105", b, s, g), born, st.integers(0, 99),
                      st.sampled_from([idcard.MALE, idcard.FEMALE]))
    return st.one_of(
        valid, valid.map(lambda n: n[:17] + ("0" if n[17] != "0" else "1")),  # a wrong check digit
        valid.map(lambda n: n.lower()), valid.map(lambda n: " " + n), valid.map(lambda n: n[:15] + "000"),
        st.just(""), st.just("11010519491231002x"), st.just("１１０１０５１９４９１２３１００２Ｘ"),
        st.text(alphabet="0123456789X", max_size=19),
    )


def _dates():
    return st.one_of(st.none(), st.dates(date(1890, 1, 1), TODAY + timedelta(days=400)))


def _text(*extra):
    return st.one_of(st.sampled_from(["", "张三", " 王 五 ", "张　三", "Anna Li", "a\x07b", "x" * 130, *extra]),
                     st.text(max_size=6))


wild = {
    "name": _text(),
    "id_number": _ids(),
    "gender": st.sampled_from(["", "男", "女", "M", "f", "男性", "其他"]),
    "ethnicity": _text("汉族"),
    "birth_date": _dates(),
    "category": st.sampled_from([rules.FULL, rules.PROBATIONARY, "", " 正式党员", "群众"]),
    "joined_date": _dates(),
    "confirmed_date": _dates(),
    "job": _text(),
    "mobile": st.sampled_from(["", "13812345678", "+86 138-1234-5678", "12345", "１３８１２３４５６７８",
                               " 13812345678", "138123456789", "23812345678", "8613812345678"]),
    "phone": st.sampled_from(["", "021-12345678", "abc", "1" * 40, "0571 8888 8888转123"]),
    "address": _text(),
    "party_status": st.sampled_from(["", rules.NORMAL, rules.SUSPENDED, "开除"]),
    "is_lost": st.booleans(),
    "lost_date": _dates(),
    "is_floating": st.booleans(),
    "floating_to": st.sampled_from(["", "深圳"]),
    "notes": _text(),
    "seq": st.integers(-2, 5),
    "org_name": _text("第一网格党支部"),
    "org_id": st.sampled_from([None, "x"]),
}


@st.composite
def _valid(draw):
    """A row that passes: most rows of a real file."""
    born = draw(st.dates(date(1930, 1, 1), date(2000, 12, 31)))
    gender = draw(st.sampled_from([idcard.MALE, idcard.FEMALE]))
    joined = min(rules.add_years(born, 18) + timedelta(days=draw(st.integers(0, 20000))), TODAY)
    confirmed = draw(st.one_of(st.none(), st.integers(1, 900).map(lambda d: joined + timedelta(days=d))))
    category = rules.PROBATIONARY if confirmed is None and draw(st.booleans()) else rules.FULL
    if confirmed is not None and confirmed > TODAY:
        confirmed = None
    lost = draw(st.booleans())
    floating = draw(st.booleans())
    return {
        "name": draw(st.sampled_from(["张三", "欧阳 娜娜", "Anna"])),
        "id_number": idcard.make("310105", born, draw(st.integers(0, 99)), gender),
        "gender": draw(st.sampled_from(["", gender])), "ethnicity": "汉族",
        "birth_date": draw(st.sampled_from([None, born])), "category": category,
        "joined_date": joined, "confirmed_date": confirmed, "job": "", "mobile": "13812345678", "phone": "",
        "address": "", "party_status": draw(st.sampled_from(["", rules.NORMAL, rules.SUSPENDED])),
        "is_lost": lost, "lost_date": (TODAY - timedelta(days=3)) if lost and draw(st.booleans()) else None,
        "is_floating": floating, "floating_to": "深圳" if floating and draw(st.booleans()) else "",
        "notes": "", "seq": draw(st.integers(0, 5)), "org_name": "", "org_id": None,
    }


# A valid row with now and then a field from the wild: each rule is met on both sides of its line.
rows = _valid().flatmap(lambda v: st.fixed_dictionaries(
    {f: st.one_of(st.just(v[f]), st.just(v[f]), st.just(v[f]), st.just(v[f]), wild[f]) for f in v}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=5))
def test_each_row_checks_as_check_does(records):
    columns = {f: [r[f] for r in records] for f in records[0]}
    clean, errors, warnings = check_columns(columns, len(records), TODAY)
    for i, r in enumerate(records):
        out, problems, notes = rules.check(MemberInput(**r), TODAY)
        assert [(e.field, e.message) for e in errors.get(i, [])] == [(e.field, e.message) for e in problems]
        assert warnings.get(i, []) == notes
        if not problems:
            assert {f: clean[f][i] for f in FIELDS} == {f: getattr(out, f) for f in FIELDS}


def test_a_column_missing_from_the_file_is_its_default():
    number = idcard.make("310105", date(1980, 5, 1), 3, idcard.MALE)
    clean, errors, warnings = check_columns(
        {"name": ["张三"], "id_number": [number], "joined_date": [date(2005, 7, 1)]}, 1, TODAY)
    assert errors == {} and warnings == {0: ["正式党员未填写转为正式党员日期"]}
    assert (clean["ethnicity"][0], clean["category"][0], clean["gender"][0], clean["birth_date"][0]) == (
        "汉族", rules.FULL, idcard.MALE, date(1980, 5, 1))


def test_numbers_and_flags_from_code_are_not_mixed_up_by_equality():
    # 1 == True == 1.0 as dictionary keys; the rule must still see each value as it is.
    number = idcard.make("310105", date(1980, 5, 1), 3, idcard.MALE)
    base = {"name": "张三", "id_number": number, "joined_date": date(2005, 7, 1), "confirmed_date": date(2006, 7, 1)}
    records = [base | {"seq": 1}, base | {"seq": True}]
    columns = {f: [r[f] for r in records] for f in records[0]}
    _, errors, _ = check_columns(columns, 2, TODAY)
    assert list(errors) == [1] and errors[1][0].field == "序号"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_the_check_digit_read_in_base_13_is_the_weighted_one(first17):
    from desktop_app.domain import members_bulk

    assert members_bulk._CHECK[int(first17 + "0", 13) % 11] == idcard.check_digit(first17)
