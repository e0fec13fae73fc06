"""Only the columns that hold a file's backslashes are read for NULLs and escapes; the others are taken as sent."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.sync import decode

SQLITE = create_engine("sqlite://").dialect
# A required column before a nullable one: the nullable is counted first, the required one only if needed.
T = Table("t", MetaData(), Column("id", String(36), primary_key=True), Column("name", String(20), nullable=False),
          Column("n", Integer, nullable=False), Column("note", String(20), nullable=True),
          Column("version", Integer, nullable=False), Column("updated_by_site", String(36), nullable=False))


def _rows(columns: list[list[str]]):
    n = len(columns[0])
    texts = [*columns, ["1"] * n, ["s"] * n, [""] * n, [""] * n]  # the stamp, then the base stamp's two
    backslashes = sum(t.count("\\") for col in columns for t in col)  # as the file would hold them
    return decode._decode_rows(T, "表", texts, len(columns[0]), SQLITE, backslashes)


def test_nulls_in_a_nullable_column_leave_the_others_as_sent():
    got = _rows([["a", "b"], ["x", "y"], ["1", "2"], ["\\N", "z"]])
    assert got.values == [("a", "x", 1, None, 1, "s"), ("b", "y", 2, "z", 1, "s")]


def test_a_backslash_past_the_nullable_columns_is_still_read():
    got = _rows([["a", "b"], ["\\\\x", "y"], ["1", "2"], ["\\N", "z"]])
    assert got.values == [("a", "\\x", 1, None, 1, "s"), ("b", "y", 2, "z", 1, "s")]


@pytest.mark.parametrize("column", [1, 2])
def test_a_null_in_a_required_column_is_refused_beside_nulls_in_a_nullable_one(column):
    columns = [["a", "b"], ["x", "y"], ["1", "2"], ["\\N", "\\N"]]
    columns[column][1] = "\\N"
    with pytest.raises(PackageRefused, match="不能为空"):
        _rows(columns)


def test_counted_columns_are_those_holding_backslashes():
    cols = list(T.columns)
    texts = [["a"], ["\\\\x"], ["1"], ["\\N"], ["1"], ["s"]]
    assert decode._escaped(cols, texts, 3) == [False, True, False, True, False, False]
    assert decode._escaped(cols, texts, 1) == [False, False, False, True, False, False]  # the nullable one accounts for all
