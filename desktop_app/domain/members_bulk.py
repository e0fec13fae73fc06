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
import re
from dataclasses import fields
from datetime import date
from itertools import filterfalse
from typing import Any

from desktop_app.domain import idcard
from desktop_app.domain import text as text_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import (
    _CJK_GAP, _MAX_LEN, _SPACES, _TEXT_FIELDS, CATEGORIES, FULL, GENDERS, NO_CONFIRMED_DATE, NORMAL, PARTY_STATUSES,
    PROBATIONARY, MemberInput, _check, add_years, normalize_gender, normalize_mobile, normalize_phone,
)

_DEFAULTS = {f.name: f.default for f in fields(MemberInput)}
_PLAIN_MOBILE = re.compile(r"(?:1\d{10})?", re.ASCII)  # what normalize_mobile() gives back unchanged
_BAD = object()  # a distinct value that fails its column's rule: the rows holding it go to check()


def _mapped(values: Sequence[Any], one: Callable[[Any], Any],
            plain: re.Pattern[str] | None = None) -> tuple[list[Any], list[int]]:
    """`one` applied once per distinct value (text, as files give); the rows where it said _BAD.

    `plain`: texts it matches are their own result (one() would give them back unchanged), so that
    a column of 100,000 different mobile numbers is not 100,000 calls.
    """
    distinct = dict.fromkeys(values)
    if set(map(type, distinct)) <= {str, type(None)}:
        if plain is not None and None not in distinct:
            table = {v: one(v) for v in filterfalse(plain.fullmatch, distinct)}
            got = list(map(table.get, values, values)) if table else list(values)
        else:
            table = {v: one(v) for v in distinct}
            got = list(map(table.__getitem__, values))
        bad = {v for v, out in table.items() if out is _BAD}
        return got, [i for i, v in enumerate(values) if v in bad] if bad else []
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


_CHECK = "10X98765432"
_MALE_DIGITS = frozenset("13579")


def _id_info(value: Any) -> Any:
    """(number, birth date, gender, the 000 warning) of a valid ID number, else _BAD."""
    if type(value) is str and len(value) == 18 and value.isascii() and value[:17].isdigit():
        number = value.upper()
        # idcard.check_digit in one C call: the weights are 2**k mod 11 and 13 = 2 (mod 11), so the
        # weighted sum is the 17 digits (and a 0) read in base 13, mod 11.
        if number[17] == _CHECK[int(number[:17] + "0", 13) % 11]:
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
            return number, born, idcard.MALE if number[16] in _MALE_DIGITS else idcard.FEMALE, number.endswith("000")
    try:  # spaces, full-width digits, a lower-case x: the single-record parser decides
        info = idcard.parse(value)
    except ValueError:
        return _BAD
    return info.number, info.birth_date, info.gender, bool(idcard.warnings(info.number))


class _Later(dict):
    """date -> add_years(date, years), each worked out on first use."""

    def __init__(self, years: int) -> None:
        super().__init__()
        self.years = years

    def __missing__(self, d: date) -> date:
        self[d] = later = add_years(d, self.years)
        return later


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

    def checked(field: str, one: Callable[[Any], Any], plain: re.Pattern[str] | None = None) -> None:
        clean[field], bad = _mapped(col(field), one, plain)
        suspects.update(bad)

    for f in _TEXT_FIELDS:
        checked(f, _text_rule(f))
    checked("gender", _gender)
    checked("category", _choice(CATEGORIES))
    checked("party_status", _choice(PARTY_STATUSES, NORMAL))
    checked("mobile", _raising(normalize_mobile), _PLAIN_MOBILE)
    checked("phone", _raising(normalize_phone, _MAX_LEN["phone"]))
    checked("seq", _seq)
    checked("id_number", _id_info)

    warnings: dict[int, list[str]] = {}
    ids, births, genders = clean["id_number"], clean["birth_date"], clean["gender"]
    # add_years() once per distinct date: a file holds a few thousand of them
    adult_at: dict[date, date] = _Later(18)
    year_after: dict[date, date] = _Later(1)
    two_years_after: dict[date, date] = _Later(2)
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
        if (birth > today or joined is None or joined > today or joined < adult_at[birth]
                or (lost is not None and (not is_lost or lost > today))
                or (floating_to and not is_floating) or (reported is not None and reported > today)):
            suspects.add(i)
            continue
        notes = [idcard.EXCEL_ZEROS_WARNING] if zeros else None  # a list only for the rows that get one
        if confirmed is not None:
            if category == PROBATIONARY or confirmed <= joined or confirmed > today:
                suspects.add(i)
                continue
            if confirmed < year_after[joined]:
                notes = notes or []
                notes.append("转为正式党员日期距加入党组织不满一年（预备期为一年）")
        if category == FULL and confirmed is None:
            notes = notes or []
            notes.append(NO_CONFIRMED_DATE if year_after[joined] <= today else "入党不满一年，应为预备党员")
        if category == PROBATIONARY and two_years_after[joined] < today:
            notes = notes or []
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
