"""A package's CSV reads exactly as csv.reader reads it, whichever way read_csv takes."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.sync import package

TEXT = st.text(alphabet=st.sampled_from(['a', '中', ',', '\r', '\n', '"', '\0', ' ', '\\', '\ufeff']), max_size=40)


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@given(TEXT)
@settings(max_examples=3000, deadline=None)
def test_any_text_reads_as_csv_reader_reads_it(text):
    data = text.encode("utf-8")
    assert package.read_csv(data) == _csv(data)


@given(st.lists(st.lists(TEXT, min_size=1, max_size=5), max_size=6))
@settings(max_examples=1000, deadline=None)
def test_written_rows_read_back(rows):
    data = package.csv_bytes(["h"], rows)
    assert package.read_csv(data) == _csv(data)


def test_a_field_over_the_csv_limit_is_left_to_csv_reader():
    data = ("a," + "x" * (csv.field_size_limit() + 1) + "\r\n").encode()
    try:
        expected = _csv(data)
    except csv.Error as exc:
        expected = type(exc)
    try:
        got = package.read_csv(data)
    except csv.Error as exc:
        got = type(exc)
    assert got == expected


def test_plain_rows_take_the_split_path_and_match():
    data = package.csv_bytes(["id", "name"], [["1", "张三"], ["2", ""], ["3", "\\N"]])
    assert b'"' not in data
    assert package.read_csv(data) == [["id", "name"], ["1", "张三"], ["2", ""], ["3", "\\N"]]


def _as_columns(data: bytes) -> package.Columns:
    """What read_columns must give: read_csv's rows, the body turned into columns."""
    lines = package.read_csv(data)
    header, body = (lines[0], lines[1:]) if lines else ([], [])
    bad = next((n for n, line in enumerate(body, start=2) if len(line) != len(header)), 0)
    columns = [] if bad else [[line[k] for line in body] for k in range(len(header))]
    return package.Columns(header, columns, len(body), bad)


@given(TEXT)
@settings(max_examples=3000, deadline=None)
def test_any_text_reads_as_columns_of_what_read_csv_reads(text):
    data = text.encode("utf-8")
    assert package.read_columns(data) == _as_columns(data)


@given(st.lists(st.text(alphabet=st.sampled_from(['a', '中', ',', '\\', 'N']), max_size=3), min_size=1,
                max_size=4).flatmap(
    lambda header: st.tuples(st.just(header), st.lists(
        st.lists(st.text(alphabet=st.sampled_from(['a', '中', '\\', 'N', ' ']), max_size=4),
                 min_size=max(len(header) - 1, 0), max_size=len(header) + 1), max_size=6))))
@settings(max_examples=1000, deadline=None)
def test_written_tables_read_back_as_columns(table):
    header, rows = table
    data = package.csv_bytes(header, rows)
    assert package.read_columns(data) == _as_columns(data)


def test_plain_table_splits_into_columns_and_a_ragged_line_is_named():
    data = package.csv_bytes(["id", "name"], [["1", "张三"], ["2", ""], ["3", "\\N"]])
    assert package.read_columns(data) == package.Columns(["id", "name"], [["1", "2", "3"], ["张三", "", "\\N"]], 3, 0)
    ragged = package.csv_bytes(["id", "name"], [["1", "张三"], ["2"], ["3", "x", "y"]])
    assert package.read_columns(ragged) == package.Columns(["id", "name"], [], 3, 3)
    assert package.read_columns(b"") == package.Columns([], [], 0, 0)


def _read_or_error(read, data: bytes):
    try:
        return read(data)
    except csv.Error as exc:
        return type(exc)


def test_a_table_longer_than_the_field_limit_and_a_field_over_it_read_as_csv_reader_reads_them():
    limit = csv.field_size_limit()
    rows = [[str(i), "x" * 50, "\\N" if i % 7 else "中"] for i in range(limit // 40)]
    data = package.csv_bytes(["id", "name", "note"], rows)
    assert len(data) > limit
    assert package.read_columns(data) == _as_columns(data)
    for at in (0, len(rows) // 2, len(rows) - 1):  # the first line, a middle one, the last
        long = [row[:] for row in rows]
        long[at][1] = "y" * (limit + 1)
        data = package.csv_bytes(["id", "name", "note"], long)
        assert _read_or_error(package.read_columns, data) == _read_or_error(_as_columns, data) == csv.Error


def test_a_table_not_in_utf8_is_refused_as_before():
    for data in (b"id,name\r\n1,\xff\r\n", b"id,\xe4\xb8\r\n1,2\r\n"):
        with pytest.raises(UnicodeDecodeError):
            package.read_columns(data)
