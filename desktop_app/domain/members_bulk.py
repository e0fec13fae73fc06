"""The member rules over columns: 100,000 rows of an import checked in one pass per column.

members.check() reads one record at a time: about 60 µs a row, most of an
import's time. A file's columns repeat themselves (汉族, 正式党员, a few
thousand birth dates, forty branch names), so each column is checked once per
distinct value and the cross-field rules run in one tight loop over the rows.
A row this pass cannot vouch for (any error at all) is checked again by
members.check() itself, so its errors and their order are exactly those of the
form and of the single-record path; a row it passes gets the same normalized
values and warnings check() would give (tests/unit/test_members_bulk.py holds
the two to each other).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from desktop_app.domain import idcard
from desktop_app.domain import text as text_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import (
    _CJK_GAP, _MAX_LEN, _SPACES, _TEXT_FIELDS, CATEGORIES, FULL, GENDERS, NORMAL, PARTY_STATUSES,
    PROBATIONARY, MemberInput, _check, add_years, normalize_gender, normalize_mobile, normalize_phone,
)

_DEFAULTS = {f.name: f.default for f in fields(MemberInput)}
_BAD = object()  # a distinct value that fails its column's rule: the rows holding it go to check()


def _mapped(values: Sequence[Any], one: Callable[[Any], Any]) -> tuple[list[Any], list[int]]:
    """`one` applied once per distinct value (text, as files give); the rows where it said _BAD."""
    distinct = dict.fromkeys(values)
    if all(v is None or type(v) is str for v in distinct):
        table = {v: one(v) for v in distinct}
        bad = {v for v, out in table.items() if out is _BAD}
        return [table[v] for v in values], [i for i, v in enumerate(values) if v in bad] if bad else []
    # Numbers and booleans from code: 1, 1.0 and True are one dict key but not one value here.
    out = [one(v) for v in values]
    return out, [i for i, v in enumerate(out) if v is _BAD]


def _text_rule(field: str) -> Callable[[Any], Any]:
    limit = _MAX_LEN.get(field)

    def one(value: Any) -> Any:
        text = value.strip() if isinstance(value, str) else str(value or "").strip()
        if text_rules.bad_char(text) is not None or (limit and len(text) > limit):
            return _BAD
        if field == "name":
            text = _SPACES.sub(" ", _CJK_GAP.sub("", text))
            if not text:
                return _BAD
        return text

    return one


def _raising(normalize: Callable[[Any], str], limit: int | None = None) -> Callable[[Any], Any]:
    def one(value: Any) -> Any:
        try:
            out = normalize(value)
        except ValueError:
            return _BAD
        return _BAD if limit is not None and len(out) > limit else out

    return one


def _choice(allowed: tuple[str, ...], blank: str | None = None) -> Callable[[Any], Any]:
    def one(value: Any) -> Any:
        text = str(value or "").strip() or (blank or "")
        return text if text in allowed else _BAD

    return one


def _gender(value: Any) -> Any:
    g = normalize_gender(value)
    return _BAD if g and g not in GENDERS else g


def _seq(value: Any) -> Any:
    return value if type(value) is int and value >= 0 else _BAD


_births: dict[str, date | None] = {}  # yyyymmdd of an ID number -> its date (None: not a date)


def _id_info(value: Any) -> Any:
    """(number, birth date, gender, the 000 warning) of a valid ID number, else _BAD."""
    if type(value) is str and len(value) == 18 and value.isascii() and value[:17].isdigit():
        number = value.upper()
        if number[17] == idcard.check_digit(number[:17]):
            ymd = number[6:14]
            born = _births.get(ymd, _BAD)
            if born is _BAD:
                try:
                    born = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
                except ValueError:
                    born = None
                _births[ymd] = born
            if born is None or born.year < 1900:
                return _BAD
            return number, born, idcard.MALE if int(number[16]) % 2 else idcard.FEMALE, number.endswith("000")
    try:  # spaces, full-width digits, a lower-case x: the single-record parser decides
        info = idcard.parse(value)
    except ValueError:
        return _BAD
    return info.number, info.birth_date, info.gender, bool(idcard.warnings(info.number))


def check_columns(
    columns: dict[str, Sequence[Any]], n: int, today: date
) -> tuple[dict[str, list[Any]], dict[int, list[ValidationError]], dict[int, list[str]]]:
    """members.check() over `n` rows given as MemberInput field -> values (a missing field is its default).

    Returns the normalized columns (every MemberInput field), the errors of the
    rows that have any, and the warnings of the rows that have any, both by row index.
    """
    def col(field: str) -> Sequence[Any]:
        got = columns.get(field)
        return got if got is not None else [_DEFAULTS[field]] * n

    clean: dict[str, list[Any]] = {f: list(col(f)) for f in _DEFAULTS}
    suspects: set[int] = set()

    def checked(field: str, one: Callable[[Any], Any]) -> None:
        clean[field], bad = _mapped(col(field), one)
        suspects.update(bad)

    for f in _TEXT_FIELDS:
        checked(f, _text_rule(f))
    checked("gender", _gender)
    checked("category", _choice(CATEGORIES))
    checked("party_status", _choice(PARTY_STATUSES, NORMAL))
    checked("mobile", _raising(normalize_mobile))
    checked("phone", _raising(normalize_phone, _MAX_LEN["phone"]))
    checked("seq", _seq)
    checked("id_number", _id_info)

    warnings: dict[int, list[str]] = {}
    ids, births, genders = clean["id_number"], clean["birth_date"], clean["gender"]
    confirmed_col, category_col = clean["confirmed_date"], clean["category"]
    rows = zip(range(n), ids, births, genders, clean["joined_date"], confirmed_col, category_col,
               clean["lost_date"], clean["is_lost"], clean["floating_to"], clean["is_floating"],
               clean["reporting_date"])
    for i, info, birth, gender, joined, confirmed, category, lost, is_lost, floating_to, is_floating, reported in rows:
        if info is _BAD or i in suspects:
            suspects.add(i)
            continue
        number, id_birth, id_gender, zeros = info
        ids[i] = number
        if birth is None:
            birth = births[i] = id_birth
        elif birth != id_birth:
            suspects.add(i)
            continue
        if not gender:
            genders[i] = id_gender
        elif gender != id_gender:
            suspects.add(i)
            continue
        if (birth > today or joined is None or joined > today or joined < add_years(birth, 18)
                or (lost is not None and (not is_lost or lost > today))
                or (floating_to and not is_floating) or (reported is not None and reported > today)):
            suspects.add(i)
            continue
        notes = [idcard.EXCEL_ZEROS_WARNING] if zeros else []
        if confirmed is not None:
            if category == PROBATIONARY or confirmed <= joined or confirmed > today:
                suspects.add(i)
                continue
            if confirmed < add_years(joined, 1):
                notes.append("转为正式党员日期距加入党组织不满一年（预备期为一年）")
        if category == FULL and confirmed is None:
            notes.append("正式党员未填写转为正式党员日期" if add_years(joined, 1) <= today else "入党不满一年，应为预备党员")
        if category == PROBATIONARY and add_years(joined, 2) < today:
            notes.append("预备期已超过两年，请核实是否已转正或取消预备党员资格")
        if notes:
            warnings[i] = notes

    errors: dict[int, list[ValidationError]] = {}
    for i in sorted(suspects):
        out, problems, notes = _check(MemberInput(**{f: c[i] for f, c in columns.items()}), today)
        for f in _DEFAULTS:
            clean[f][i] = getattr(out, f)
        if problems:
            errors[i] = problems
        if notes:
            warnings[i] = notes
        else:
            warnings.pop(i, None)
    return clean, errors, warnings
