"""desktop_app.files: a file is written whole or not at all."""

from __future__ import annotations

import os
import stat

import pytest

from desktop_app.domain.errors import DomainError
from desktop_app.files import put_in_place_after, write_atomically, write_through


def test_writes_the_bytes_making_the_folder(tmp_path):
    out = tmp_path / "new" / "表.xlsx"
    write_atomically(out, b"abc", private=False)
    assert out.read_bytes() == b"abc"
    assert [p.name for p in out.parent.iterdir()] == ["表.xlsx"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "a.csv"
    out.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(out, "not bytes", private=False)  # type: ignore[arg-type]
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_put_in_place_after_writes_beside_first_and_renames_when_the_block_ends(tmp_path):
    out = tmp_path / "回执.dqreply"
    out.write_bytes(b"old")
    with put_in_place_after(out, b"new", private=False):
        [tmp] = [p for p in tmp_path.iterdir() if p != out]  # written whole beside it before the commit
        assert tmp.read_bytes() == b"new" and out.read_bytes() == b"old"
    assert out.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["回执.dqreply"]


def test_put_in_place_after_drops_the_file_when_the_block_fails(tmp_path):
    out = tmp_path / "表.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with put_in_place_after(out, b"new", private=False):
            raise RuntimeError("the commit failed")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["表.xlsx"]


def test_put_in_place_after_refuses_an_unwritable_folder_before_the_block_runs(tmp_path):
    blocker = tmp_path / "not a folder"
    blocker.write_bytes(b"")
    ran = []
    with pytest.raises(OSError):
        with put_in_place_after(blocker / "表.xlsx", b"new", private=False):
            ran.append(True)
    assert ran == []


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
    write_atomically(out, b"package", private=False)
    assert synced[-1] == (True, True)  # the folder, once the file has its name


def test_sync_writes_its_files_through_the_one_helper():
    from desktop_app.services.sync import keys
    from desktop_app.sync import keyfile, keystore, package

    assert not hasattr(package, "atomic_write")
    assert package.write_atomically is keyfile.write_atomically is write_atomically
    # a key file is sealed to bytes and put in place by the service, once its public keys are committed
    assert not hasattr(keystore, "write") and keys.put_in_place_after is put_in_place_after


posix_modes = pytest.mark.skipif(os.name != "posix", reason="Windows keeps no read permission bits")


@pytest.fixture
def umask():
    """Set the process umask for one test, then put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@posix_modes
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_a_file_for_people_gets_the_mode_a_plain_open_gives(tmp_path, umask, mask):
    """A PDF or an export saved for a colleague or on a USB stick opens for them too (not mkstemp's 0600)."""
    umask(mask)
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"x")
    out = tmp_path / "台账.pdf"
    write_atomically(out, b"%PDF", private=False)
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode) == 0o666 & ~mask


@posix_modes
def test_a_private_file_is_the_accounts_alone_whatever_the_umask(tmp_path, umask):
    umask(0)
    out = tmp_path / "site.dqkey"
    out.write_bytes(b"old")
    os.chmod(out, 0o644)
    write_atomically(out, b"secret", private=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_bytes() == b"secret"


@posix_modes
def test_an_export_made_by_the_program_is_readable_by_others(tmp_path, umask):
    from desktop_app.exchange import attendance

    out = attendance.write_template(tmp_path / "签到导入模板.csv")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_leftover_temporary_name_is_passed_over(tmp_path, monkeypatch):
    """A temporary file a crash left behind under the drawn name does not stop the next write."""
    import uuid

    class Drawn:
        def __init__(self, hex_):
            self.hex = hex_

    draws = iter([Drawn("a" * 32), Drawn("b" * 32)])
    monkeypatch.setattr(uuid, "uuid4", lambda: next(draws))
    out = tmp_path / "表.csv"
    (tmp_path / f".表.csv.{'a' * 8}.tmp").write_bytes(b"left by a crash")
    write_atomically(out, b"rows", private=False)
    assert out.read_bytes() == b"rows"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".表.csv.{'a' * 8}.tmp", "表.csv"]


@posix_modes
def test_a_private_file_put_in_place_after_a_commit_is_the_accounts_alone(tmp_path, umask):
    umask(0)
    out = tmp_path / "site.dqkey"
    with put_in_place_after(out, b"secret", private=True):
        pass
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
