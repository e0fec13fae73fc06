"""A package's CSV reads exactly as csv.reader reads it, whichever way read_csv takes."""

from __future__ import annotations

import csv
import io

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
