"""A file recorded before it is renamed into place is never lost when the rename fails (files.LeftBeside)."""

from __future__ import annotations

import os

import pytest

from desktop_app import files
from desktop_app.domain.errors import DomainError
from desktop_app.files import LeftBeside, put_in_place_after, write_atomically, write_through, write_through_after


def _refuse_renames_onto(monkeypatch, target):
    real = os.replace

    def replace(src, dst):
        if os.fspath(dst) == os.fspath(target):
            raise PermissionError(13, "Permission denied")  # held open by another program (Windows)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_a_rename_failing_after_the_commit_keeps_the_file_under_a_visible_name(tmp_path, monkeypatch):
    out = tmp_path / "回执.dqreply"
    out.write_bytes(b"old")
    _refuse_renames_onto(monkeypatch, out)
    committed = []
    with pytest.raises(LeftBeside) as caught:
        with put_in_place_after(out, b"new", private=False):
            committed.append(True)
    assert committed == [True] and out.read_bytes() == b"old"
    kept = caught.value.kept
    assert kept == tmp_path / "回执（待改名）.dqreply" and kept.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["回执.dqreply", "回执（待改名）.dqreply"]
    message = str(caught.value)
    assert isinstance(caught.value, DomainError) and str(kept) in message and "Excel/WPS" in message


def test_when_no_visible_name_is_free_the_temporary_file_is_kept_and_named(tmp_path, monkeypatch):
    out = tmp_path / "表.xlsx"
    (tmp_path / "表（待改名）.xlsx").write_bytes(b"someone's")
    _refuse_renames_onto(monkeypatch, out)
    with pytest.raises(LeftBeside) as caught:
        with write_through_after(out, lambda tmp: tmp.write_bytes(b"rows")):
            pass
    kept = caught.value.kept
    assert kept.parent == tmp_path and kept.read_bytes() == b"rows" and str(kept) in str(caught.value)
    assert (tmp_path / "表（待改名）.xlsx").read_bytes() == b"someone's" and not out.exists()


def test_a_failed_block_still_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "表.xlsx"
    with pytest.raises(RuntimeError):
        with write_through_after(out, lambda tmp: tmp.write_bytes(b"rows")):
            raise RuntimeError("the commit failed")
    assert list(tmp_path.iterdir()) == []


def test_a_plain_write_records_nothing_so_a_failed_rename_keeps_nothing(tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    _refuse_renames_onto(monkeypatch, out)
    with pytest.raises(OSError) as caught:
        write_atomically(out, b"pdf", private=False)
    assert not isinstance(caught.value, LeftBeside)
    with pytest.raises(DomainError) as said:
        write_through(out, lambda tmp: tmp.write_bytes(b"rows"))
    assert not isinstance(said.value, LeftBeside) and "Excel/WPS" in str(said.value)
    assert list(tmp_path.iterdir()) == []


def test_place_says_a_missing_stick_in_chinese(tmp_path, monkeypatch):
    tmp = tmp_path / ".x.tmp"
    tmp.write_bytes(b"x")

    def gone(src, dst):
        raise FileNotFoundError(2, "没有那个文件或目录")

    monkeypatch.setattr(os, "replace", gone)
    with pytest.raises(LeftBeside) as caught:
        files.place(tmp, tmp_path / "x.dqsync")
    assert caught.value.kept == tmp and "没有那个文件或目录" in str(caught.value)
