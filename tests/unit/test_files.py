"""desktop_app.files: a file is written whole or not at all."""

from __future__ import annotations

import pytest

from desktop_app.files import write_atomically


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
