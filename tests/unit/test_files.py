"""desktop_app.files: a file is written whole or not at all."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import DomainError
from desktop_app.files import write_atomically, write_through


def test_writes_the_bytes_making_the_folder(tmp_path):
    out = tmp_path / "new" / "表.xlsx"
    write_atomically(out, b"abc")
    assert out.read_bytes() == b"abc"
    assert [p.name for p in out.parent.iterdir()] == ["表.xlsx"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "a.csv"
    out.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(out, "not bytes")  # type: ignore[arg-type]
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_write_through_streams_into_a_file_beside_the_target(tmp_path):
    out = tmp_path / "名册.xlsx"
    seen = []

    def write(tmp):
        seen.append(tmp)
        tmp.write_bytes(b"rows")

    write_through(out, write)
    assert out.read_bytes() == b"rows"
    assert seen[0].parent == tmp_path and seen[0].suffix == ".xlsx" and seen[0] != out
    assert [p.name for p in tmp_path.iterdir()] == ["名册.xlsx"]


def test_write_through_says_why_it_could_not_write(tmp_path):
    out = tmp_path / "名册.csv"
    out.write_bytes(b"old")

    def held_open(tmp):
        tmp.write_bytes(b"half")
        raise PermissionError(13, "denied")

    with pytest.raises(DomainError, match="Excel/WPS"):
        write_through(out, held_open)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["名册.csv"]
