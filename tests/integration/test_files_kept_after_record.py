"""A sync key, a sync package and a backup: recorded before they take their name, never lost after.

更换 keys: the database took the new public keys, then the rename of the private key failed (a key file
held open on Windows, a stick pulled) and the written key was unlinked: every package after it
unsignable. Packages: written at their path, then recorded; a failed record left a package the
database never logged, its sequence number used again by the next. Backups: put in place, then
audited; a failed audit left a whole-database copy with no trail line. Real SQLite files with
migrations; the failures are made real (a commit refused by a trigger, os.replace refused).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desktop_app.domain.errors import DomainError, SavedButNotPlaced
from desktop_app.files import LeftBeside
from desktop_app.services import auth, backup, sync
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncExport, SyncIdentity
from desktop_app.sync import keystore
from tests.integration.test_backup_restore_checks import PASSWORD, fast_kdf, town  # noqa: F401 - fixtures
from desktop_app.services.database import sha256_of
from tests.integration.test_district_enrolment import _first_package, community, district  # noqa: F401
from tests.integration.test_encryption import KEY, encrypted  # noqa: F401 - encrypted: a fixture
from tests.integration.test_save_writes_after_commit import entries, refuse_commits

pytestmark = pytest.mark.sqlite_only  # the failing commit is an SQLite trigger


def refuse_renames_onto(monkeypatch, *targets: Path) -> None:
    """os.replace onto `targets` fails as on Windows when another program holds the file open."""
    real = os.replace
    names = {os.fspath(t) for t in targets}

    def replace(src, dst):
        if os.fspath(dst) in names:
            raise PermissionError(13, "另一个程序正在使用此文件")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def key_path(db) -> Path:
    with db.session() as s:
        return Path(s.get(SyncIdentity, 1).key_path)


def holds_the_recorded_key(db) -> bool:
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        path, own = Path(row.key_path), row.own_sign_public
    from desktop_app.sync import keyfile

    return keyfile.b64(keystore.read(path).sign_public) == own


# --- keys ---------------------------------------------------------------------------------

def test_a_new_street_key_whose_file_cannot_take_its_name_is_kept_and_used(district, tmp_path, monkeypatch):
    db, _a, _b = district
    key_file = tmp_path / "district.dqkey"
    old, old_fingerprint = key_file.read_bytes(), sync.key_info(db).fingerprint
    refuse_renames_onto(monkeypatch, key_file)
    with pytest.raises(LeftBeside) as caught:
        sync.new_key(db, key_file, replace=True)
    kept = caught.value.kept
    assert sync.key_info(db).fingerprint != old_fingerprint  # committed: the new public keys are the database's
    assert key_path(db) == kept and kept.exists() and holds_the_recorded_key(db)
    assert sync.load_keys(db)[0].fingerprint == sync.key_info(db).fingerprint  # packages can be signed
    assert key_file.read_bytes() == old and str(kept) in str(caught.value)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_new_street_key_lands_at_the_chosen_name_with_no_other_file(district, tmp_path):
    db, _a, _b = district
    key_file = tmp_path / "district.dqkey"
    before = sorted(p.name for p in tmp_path.iterdir())
    sync.new_key(db, key_file, replace=True)
    assert key_path(db) == key_file.resolve() and holds_the_recorded_key(db)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_new_street_key_that_cannot_be_committed_leaves_no_key_file_of_its_own(district, tmp_path):
    db, _a, _b = district
    before = sorted(p.name for p in tmp_path.iterdir())
    refuse_commits(db, "更换%")
    with pytest.raises(IntegrityError):
        sync.new_key(db, tmp_path / "district.dqkey", replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == before and holds_the_recorded_key(db)


def test_a_community_key_whose_file_cannot_take_its_name_is_kept_and_used(community, tmp_path, monkeypatch):
    c, _request = community
    key_file = tmp_path / "c.dqkey"
    refuse_renames_onto(monkeypatch, key_file, tmp_path / "again.dqreq")
    with pytest.raises(LeftBeside) as caught:  # the request too: both are kept, the key said first
        sync.enrol_request(c, tmp_path / "again.dqreq", key_out=key_file)
    assert key_path(c) != key_file.resolve() and holds_the_recorded_key(c)
    request = next(tmp_path.glob("again*.dqreq"))  # kept under a name of its own, both said in one message
    assert str(key_path(c)) in str(caught.value) and str(request) in str(caught.value)


# --- packages -----------------------------------------------------------------------------

def exports(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(SyncExport))


@pytest.fixture
def enrolled(district, community, tmp_path):
    """The district and 梅园社区, enrolled with it: (street database, community database, an empty stick)."""
    db, _a, _b = district
    c, request = community
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="梅园街道党工委")
    sync.enrol_finish(c, tmp_path / "c.dqreply")
    stick = tmp_path / "U盘"
    stick.mkdir()
    return db, c, stick


def test_a_package_whose_record_cannot_be_committed_leaves_no_package(enrolled):
    _db, c, stick = enrolled
    refuse_commits(c, "报送数据包%")
    with pytest.raises(IntegrityError):
        sync.export_package(c, stick)
    assert list(stick.iterdir()) == [] and exports(c) == 0


def test_a_package_that_cannot_be_written_records_nothing(enrolled, monkeypatch):
    _db, c, stick = enrolled

    def stick_pulled(fd):
        raise OSError(5, "输入/输出错误")

    monkeypatch.setattr(os, "fsync", stick_pulled)
    with pytest.raises(DomainError, match="输入/输出错误"):
        sync.export_package(c, stick)
    assert list(stick.iterdir()) == [] and exports(c) == 0 and entries(c, "报送数据包%") == []


def test_a_recorded_package_whose_rename_fails_is_kept_and_can_be_imported(enrolled, monkeypatch):
    db, c, stick = enrolled
    out = stick / "up.dqsync"
    real = os.replace
    refuse_renames_onto(monkeypatch, out)
    with pytest.raises(LeftBeside) as caught:
        sync.export_package(c, out)
    monkeypatch.setattr(os, "replace", real)
    assert exports(c) == 1 and not out.exists()
    assert sync.import_package(db, caught.value.kept).new_community  # the recorded package, whole


def test_a_send_down_whose_record_cannot_be_committed_leaves_no_package(district, community, tmp_path):
    db, _a, _b = district
    c, request = community
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="梅园街道党工委")
    _first_package(db, c, tmp_path)
    stick = tmp_path / "下发"
    stick.mkdir()
    refuse_commits(db, "下发数据包%")
    with pytest.raises(IntegrityError):
        sync.send_all(db, stick)
    assert list(stick.iterdir()) == [] and exports(db) == 0
    with db.engine.begin() as con:
        con.exec_driver_sql("DROP TRIGGER refuse_at_commit")
    [sent] = sync.send_all(db, stick)
    assert sent.seq == 1 and [p.name for p in stick.iterdir()] == [sent.path.name]


@pytest.fixture
def street_of_three(tmp_path, monkeypatch):
    """A street with three communities it has heard from, the middle one's key revoked (作废): (street, stick)."""
    from desktop_app.services import site
    from desktop_app.store.migrate import open_database
    from tests.integration.sync_world import enrol
    from tests.integration.test_district_level import _community

    monkeypatch.setenv(sync.PASSPHRASE_ENV, "street-passphrase")
    street, _ = open_database(tmp_path / "street.db")
    site.init_site(street, "320102", "梅园街道党工委", "street")
    sync.new_key(street, tmp_path / "street.dqkey")
    for code, name in (("320102001", "梅园社区党委"), ("320102002", "兰园社区党委"), ("320102003", "竹园社区党委")):
        c = _community(tmp_path / f"{code}.db", code, name)
        enrol(street, c, tmp_path, code)
        sync.import_package(street, sync.export_package(c, tmp_path / f"{code}.dqsync").path)
        c.dispose()
    stick = tmp_path / "下发"
    stick.mkdir()
    sync.enrol_revoke(street, "320102002")  # its key lost: no package may be sealed to it
    yield street, stick
    street.dispose()


def test_send_all_skips_a_revoked_community_and_names_it(street_of_three):
    street, stick = street_of_three
    sent = sync.send_all(street, stick)
    assert [r.to_org_name for r in sent] == ["梅园社区党委", "竹园社区党委"]  # the one after it has its package too
    assert sent.skipped == ["兰园社区党委（密钥已作废）"]
    assert "已跳过：兰园社区党委（密钥已作废）" in sent.skipped_text()
    assert len(list(stick.iterdir())) == 2 and exports(street) == 2


def test_send_all_with_every_community_revoked_says_so(street_of_three):
    street, stick = street_of_three
    sync.enrol_revoke(street, "320102001")
    sync.enrol_revoke(street, "320102003")
    with pytest.raises(DomainError, match="已跳过：梅园社区党委（密钥已作废）、兰园社区党委（密钥已作废）"):
        sync.send_all(street, stick)
    assert list(stick.iterdir()) == [] and exports(street) == 0


def test_send_all_stopping_at_one_community_says_which_packages_were_made(street_of_three, monkeypatch):
    street, stick = street_of_three
    real, calls = os.fsync, []

    def disk_full_at_the_second(fd):
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(28, "设备上没有空间")
        real(fd)

    monkeypatch.setattr(os, "fsync", disk_full_at_the_second)
    with pytest.raises(DomainError) as caught:
        sync.send_all(street, stick)
    said = str(caught.value)
    assert "已生成 1 个下发包（梅园社区党委）" in said and "设备上没有空间" in said and getattr(caught.value, "committed", False)
    assert "已跳过：兰园社区党委（密钥已作废）" in said
    assert len(list(stick.iterdir())) == 1 and exports(street) == 1


def test_send_all_failing_at_the_first_community_still_names_the_skipped(street_of_three, monkeypatch):
    street, stick = street_of_three

    def disk_full(fd):
        raise OSError(28, "设备上没有空间")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(DomainError) as caught:
        sync.send_all(street, stick)
    said = str(caught.value)
    assert "设备上没有空间" in said and "已跳过：兰园社区党委（密钥已作废）" in said
    assert not getattr(caught.value, "committed", False)  # nothing was made: no page shows a package
    assert list(stick.iterdir()) == [] and exports(street) == 0


def test_send_all_goes_on_past_a_package_kept_under_another_name(street_of_three, monkeypatch):
    street, stick = street_of_three
    real = os.replace

    def replace(src, dst):
        if "320102001" in Path(dst).name and "待改名" not in Path(dst).name:  # 梅园's old package held open
            raise PermissionError(13, "另一个程序正在使用此文件")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SavedButNotPlaced) as caught:  # saved: titled 已保存，文件待改名, exit 3
        sync.send_all(street, stick)
    said = str(caught.value)
    assert "已生成 2 个下发包" in said and "（待改名）" in said and "已跳过：兰园社区党委（密钥已作废）" in said
    names = sorted(p.name for p in stick.iterdir())
    assert len(names) == 2 and any("320102003" in n and "待改名" not in n for n in names) and exports(street) == 2


def test_the_command_line_sends_to_the_others_and_names_the_skipped(street_of_three, capsys):
    from desktop_app.cli import main

    street, stick = street_of_three
    assert main(["sync", "send", "--db", str(street.path or street.url), "--out", str(stick)]) == 0
    out = capsys.readouterr().out
    assert out.count("下发包") >= 2 and "已跳过：兰园社区党委（密钥已作废）" in out


# --- backups ------------------------------------------------------------------------------

def test_a_backup_whose_trail_line_cannot_be_committed_leaves_no_copy(town, tmp_path):
    db = town
    auth.login(db, "admin", PASSWORD)
    refuse_commits(db, "备份到%")
    folder = tmp_path / "备份"
    with pytest.raises(IntegrityError):
        backup.take_backup(db, folder=folder)
    assert list(folder.iterdir()) == [] and backup.newest_good(db.path.stem, folder) is None
    with pytest.raises(IntegrityError):
        backup.take_backup(db, tmp_path / "u盘" / "备份.db")
    assert list((tmp_path / "u盘").iterdir()) == []


def test_a_recorded_backup_whose_rename_fails_is_kept_but_never_offered_as_a_backup(town, tmp_path, monkeypatch):
    db = town
    auth.login(db, "admin", PASSWORD)
    folder = tmp_path / "备份"
    folder.mkdir()
    real = os.replace

    def replace(src, dst):
        if Path(dst).parent == folder and Path(dst).name.endswith("-manual.db"):
            raise PermissionError(13, "另一个程序正在使用此文件")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(LeftBeside) as caught:
        backup.take_backup(db, folder=folder)
    kept = caught.value.kept
    assert kept.exists() and not backup.integrity_problems(kept) and str(kept) in str(caught.value)
    assert backup.list_backups(db.path.stem, folder) == [] and backup.newest_good(db.path.stem, folder) is None
    assert [e.note for e in entries_of(db)] == [f"备份到 {caught.value.path}"]


def test_the_command_line_says_saved_first_and_exits_3_when_a_backup_keeps_another_name(town, tmp_path, monkeypatch,
                                                                                        capsys):
    from desktop_app.cli import main
    from desktop_app.cli.common import EXIT_SAVED_NOT_PLACED

    db = town
    target = tmp_path / "u盘" / "备份.db"
    refuse_renames_onto(monkeypatch, target)
    code = main(["backup", "--db", str(db.path), "--out", str(target)])
    err = capsys.readouterr().err
    assert code == EXIT_SAVED_NOT_PLACED == 3, err
    assert err.startswith("已保存，文件待改名：") and "（待改名）" in err and not target.exists()


# --- the decrypted copy -------------------------------------------------------------------

def test_a_recorded_decrypted_copy_whose_rename_fails_is_kept(encrypted, tmp_path, monkeypatch):
    from desktop_app.services.database import decrypt

    folder = tmp_path / "副本"
    folder.mkdir()
    target = folder / "明文副本.db"
    refuse_renames_onto(monkeypatch, target)
    with pytest.raises(LeftBeside) as caught:
        decrypt(encrypted, KEY, target)
    kept = caught.value.kept
    assert kept.exists() and not target.exists() and str(kept) in str(caught.value)
    assert kept.name == "明文副本（待改名）.db" and [p.name for p in folder.iterdir()] == [kept.name]
    with encrypted.session() as s:
        [after] = s.scalars(select(AuditEntry.after_json).where(AuditEntry.note.like("写出未加密的副本%")))
    assert sha256_of(kept) in after  # the copy the trail names is the one kept


def test_a_backup_that_cannot_be_written_is_said_and_leaves_nothing(town, tmp_path, monkeypatch):
    db = town
    folder = tmp_path / "备份"
    folder.mkdir()

    def full(src, dst):
        raise OSError(28, "设备上没有空间")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(backup.BackupError, match="设备上没有空间"):
        backup.backup_now(db.path, "daily", folder)
    assert list(folder.iterdir()) == []


def entries_of(db):
    from desktop_app.store.models_access import AuditEntry

    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "backup")))
