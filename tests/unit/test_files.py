"""desktop_app.files: a file is written whole or not at all."""

from __future__ import annotations

import os

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


@pytest.mark.skipif(not hasattr(os, "O_DIRECTORY"), reason="Windows flushes the rename with the file")
def test_the_folder_is_flushed_after_the_rename(tmp_path, monkeypatch):
    """A sync package or key file on a USB stick pulled out just after: the rename must be on the stick too."""
    out = tmp_path / "包.dqsync"
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append((os.path.isdir(f"/proc/self/fd/{fd}"), out.exists()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomically(out, b"package")
    assert synced[-1] == (True, True)  # the folder, once the file has its name


def test_sync_writes_its_files_through_the_one_helper():
    from desktop_app.sync import keyfile, keystore, package

    assert not hasattr(package, "atomic_write")
    assert package.write_atomically is keyfile.write_atomically is keystore.write_atomically is write_atomically
