"""A package's column texts decode to what SQLite keeps, the canonical texts taken as they are."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Column, Date, DateTime, Integer, MetaData, String, Table, Time, create_engine

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.sync import decode

SQLITE = create_engine("sqlite://").dialect
T = Table("t", MetaData(), Column("d", Date), Column("dt", DateTime), Column("tm", Time), Column("n", Integer),
          Column("s", String(20)))


def _read(name: str, texts: list[str], escapes: bool = True) -> list:
    return decode._column_reader(T.c[name], SQLITE, escapes)(texts)


def test_canonical_dates_and_times_are_the_texts_themselves():
    col = ["2024-01-02", "0987-06-05"]
    assert _read("d", col) is col
    col = ["2024-01-02 03:04:05.000006"]
    assert _read("dt", col) is col
    col = ["03:04:05.000006", "23:59:59.999999"]
    assert _read("tm", col) is col


@pytest.mark.parametrize("name, texts, stored", [
    ("d", ["2024-01-02", "20240103"], ["2024-01-02", "2024-01-03"]),
    ("d", ["2024-W01-1", "2024-01-01"], ["2024-01-01", "2024-01-01"]),
    ("dt", ["2024-01-02T03:04:05", "2024-01-02 03:04:05.000000"],
     ["2024-01-02 03:04:05.000000", "2024-01-02 03:04:05.000000"]),
    ("dt", ["2024-01-02 03:04:05.000000", "2024-01-02 03:04"],
     ["2024-01-02 03:04:05.000000", "2024-01-02 03:04:00.000000"]),
    ("tm", ["03:04:05", "03:04:05.000000"], ["03:04:05.000000", "03:04:05.000000"]),
    ("d", ["2024-01-02", "\\N"], ["2024-01-02", None]),
])
def test_other_forms_are_stored_canonical(name, texts, stored):
    assert _read(name, texts) == stored


GOOD = {"d": "2024-01-02", "dt": "2024-01-02 03:04:05.000006", "tm": "03:04:05.000006", "n": "1"}


@pytest.mark.parametrize("name, text", [("d", "2024-13-01"), ("d", "2024-02-30"), ("dt", "2024-01-02 24:00:00.000000"),
                                        ("tm", "03:60:00.000000"), ("d", "２０２４-01-02"), ("n", "x")])
def test_a_bad_value_is_refused(name, text):
    with pytest.raises(ValueError):
        _read(name, [GOOD[name], text])


def test_without_escapes_texts_are_taken_as_they_are():
    assert _read("s", ["a", "b"], escapes=False) == ["a", "b"]
    assert _read("n", ["1", "2"], escapes=False) == [1, 2]
    assert _read("s", ["a", "\\N", "\\\\x"]) == ["a", None, "\\x"]


REQUIRED = Table("r", MetaData(), Column("id", String(36), primary_key=True), Column("version", Integer, nullable=False),
                 Column("updated_by_site", String(36), nullable=False), Column("n", Integer, nullable=False),
                 Column("j", JSON, nullable=False))


def _rows(n: str, j: str, escapes: bool, storage=None):
    texts = [["a"], ["1"], ["s"], [n], [j], [""], [""]]  # the columns, then the base stamp's two
    return decode._decode_rows(REQUIRED, "表", texts, 1, storage, escapes)


def test_a_required_column_left_empty_is_refused_with_or_without_escapes_in_the_file():
    assert _rows("5", "[1]", escapes=False).values == [("a", 1, "s", 5, [1])]
    with pytest.raises(PackageRefused, match="n 不能为空"):
        _rows("\\N", "[1]", escapes=True)
    with pytest.raises(PackageRefused, match="j 不能为空"):  # JSON reads "null" as None: still looked at
        _rows("5", "null", escapes=False)
