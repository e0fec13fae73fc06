"""Encryption at rest on real files: SQLCipher databases and backups, keys, conversion both ways."""

import json
import os
import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, backup, orgs, roster, site
from desktop_app.services.database import (
    PLAIN, CorruptDatabase, KeyProblem, NotADatabase, NotEncrypted, decrypt, encrypt, open_database,
)
from desktop_app.store import cipher
from desktop_app.store.models import Member
from desktop_app.store.models_access import AuditEntry

# SQLCipher encrypts the database file itself; a server protects its data with TLS and its own accounts.
pytestmark = pytest.mark.sqlite_only

KEY = "correct horse battery staple"
NAME = "欧阳翠花"
NUMBER = idcard.make("320102", date(1968, 5, 17), 7, "女")
MOBILE = "13912345678"


def everything(path) -> bytes:
    """The file and its side files, as someone copying the folder would get them."""
    data = b""
    for suffix in ("", "-wal", "-shm"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


def add_member(db):
    branch = orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    return roster.create(db, MemberInput(
        name=NAME, org_id=branch.id, id_number=NUMBER, gender="女", mobile=MOBILE,
        joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1), category="正式党员"), date(2026, 6, 1))


def counts(db) -> dict[str, int]:
    from sqlalchemy import inspect, text

    with db.engine.connect() as c:
        names = [n for n in inspect(c).get_table_names() if n != "alembic_version"]
        return {n: c.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}


@pytest.fixture
def encrypted(tmp_path):
    db, _ = open_database(tmp_path / "enc.db", KEY)
    auth.cli_actor(db)
    site.init_site(db, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
    add_member(db)
    yield db
    db.dispose()


def test_an_encrypted_file_shows_no_personal_data_without_the_key(encrypted):
    assert encrypted.encrypted
    raw = everything(encrypted.path)
    for secret in (NAME, NUMBER, MOBILE, "幸福里社区党委"):
        assert secret.encode("utf-8") not in raw
    assert not raw.startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(encrypted.path).execute("SELECT id_number FROM member").fetchall()
    if os.name == "posix":
        assert encrypted.path.stat().st_mode & 0o777 == 0o600


def test_the_same_data_in_a_plain_file_is_readable(db):
    add_member(db)  # the control: the test above would see these bytes in a plain file
    assert NAME.encode("utf-8") in everything(db.path)


def test_the_key_opens_it_again_and_a_wrong_or_missing_key_is_a_clear_refusal(encrypted, monkeypatch):
    path = encrypted.path
    encrypted.dispose()
    before = path.read_bytes()
    with pytest.raises(KeyProblem, match="密钥不正确"):
        open_database(path, "wrong key")
    monkeypatch.delenv(cipher.KEY_ENV, raising=False)
    with pytest.raises(NotADatabase, match="加密"):
        open_database(path)
    assert path.read_bytes() == before  # neither attempt wrote anything
    monkeypatch.setenv(cipher.KEY_ENV, KEY)
    again, _ = open_database(path)
    auth.cli_actor(again)
    assert [m.name for m in roster.rows(again, roster.search_ids(again, roster.MemberFilter()))] == [NAME]
    again.dispose()


def test_a_key_for_a_plain_file_is_refused_rather_than_silently_ignored(db):
    path = db.path
    db.dispose()
    with pytest.raises(NotEncrypted, match="db encrypt"):
        open_database(path, KEY)


def test_the_command_line_says_wrong_key_in_one_line(encrypted, monkeypatch, capsys):
    path = encrypted.path
    encrypted.dispose()
    monkeypatch.setenv(cipher.KEY_ENV, "not the key")
    assert main(["orgs", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "密钥不正确" in err and "Traceback" not in err
    monkeypatch.setenv(cipher.KEY_ENV, KEY)
    assert main(["orgs", "--db", str(path)]) == 0
    assert "第一网格党支部" in capsys.readouterr().out


def test_backups_of_an_encrypted_database_stay_encrypted(encrypted, tmp_path):
    dest = backup.backup_now(encrypted.path, "manual", folder=tmp_path / "bk")
    assert NAME.encode("utf-8") not in dest.read_bytes() and not dest.read_bytes().startswith(b"SQLite format 3")
    assert backup.integrity_problems(dest) == []  # readable with the database's key
    assert backup.integrity_problems(dest, "wrong") != []
    assert not [p for p in dest.parent.iterdir() if p.name.endswith(("-wal", "-shm", ".part"))]
    out = backup.take_backup(encrypted, tmp_path / "u盘" / "备份.db")
    assert NAME.encode("utf-8") not in out.read_bytes()
    if os.name == "posix":
        assert dest.stat().st_mode & 0o777 == 0o600 and out.stat().st_mode & 0o777 == 0o600


def test_encrypt_then_decrypt_keeps_every_row(db, tmp_path):
    auth.cli_actor(db)
    add_member(db)
    path = db.path
    before = counts(db)
    enc = encrypt(db, KEY)
    assert enc.encrypted and NAME.encode("utf-8") not in everything(path)
    after_encrypt = counts(enc)
    assert after_encrypt["audit_entry"] == before["audit_entry"] + 1  # the encryption is on the record
    assert {k: v for k, v in after_encrypt.items() if k != "audit_entry"} == \
        {k: v for k, v in before.items() if k != "audit_entry"}
    assert not path.with_name(path.name + ".old").exists() and not path.with_name(path.name + ".converting").exists()
    decrypt(enc, KEY)
    plain, _ = open_database(path, PLAIN)
    auth.cli_actor(plain)
    assert NAME.encode("utf-8") in everything(path)
    final = counts(plain)
    assert {k: v for k, v in final.items() if k != "audit_entry"} == \
        {k: v for k, v in before.items() if k != "audit_entry"}
    with plain.session() as s:
        assert s.scalar(select(func.count()).select_from(Member).where(Member.id_number == NUMBER)) == 1
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.table_name == "database")))
    assert actions == ["encrypt", "decrypt"]
    plain.dispose()


def test_a_plain_copy_for_an_administrator_is_audited_with_its_checksum(encrypted, tmp_path):
    out = decrypt(encrypted, KEY, tmp_path / "明文副本.db")
    assert NAME.encode("utf-8") in out.read_bytes()
    assert encrypted.path.exists() and NAME.encode("utf-8") not in everything(encrypted.path)
    with encrypted.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "decrypt")).one()
    assert json.loads(entry.after_json)["file"] == str(out)
    assert json.loads(entry.after_json)["sha256"] == __import__("hashlib").sha256(out.read_bytes()).hexdigest()


def test_only_an_administrator_may_decrypt_or_encrypt(encrypted, tmp_path):
    auth.create_first_admin(encrypted, "admin", "管理员", "admin-pass-1")
    auth.create_user(encrypted, "sec", "赵委员", "secretary", "secretary-1", must_change_password=False)
    auth.login(encrypted, "sec", "secretary-1")
    with pytest.raises(auth.PermissionDenied, match="只有管理员"):
        decrypt(encrypted, KEY, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()


def test_a_failed_conversion_leaves_the_original_untouched(db, monkeypatch):
    auth.cli_actor(db)
    add_member(db)
    path = db.path

    def broken(*_a, **_k):
        return ["member: 1 → 0"]

    monkeypatch.setattr(cipher, "compare", broken)
    from desktop_app.services.database import ConversionFailed

    with pytest.raises(ConversionFailed, match="原数据库没有改动"):
        encrypt(db, KEY)
    assert cipher.file_state(path) == "plain" and NAME.encode("utf-8") in everything(path)
    assert not path.with_name(path.name + ".converting").exists()


def test_a_zero_byte_database_is_refused_not_made_new(tmp_path):
    empty = tmp_path / "zero.db"
    empty.write_bytes(b"")
    with pytest.raises(CorruptDatabase, match="0 字节"):
        open_database(empty)
    assert empty.stat().st_size == 0


def test_encrypting_from_the_command_line_prints_a_recovery_sheet_for_the_safe(db, tmp_path, monkeypatch, capsys):
    from pypdf import PdfReader

    from desktop_app.services.database import key_fingerprint

    path, sheet = db.path, tmp_path / "密钥恢复单.pdf"
    db.dispose()
    monkeypatch.setenv(cipher.KEY_ENV, KEY)
    assert main(["db", "encrypt", "--db", str(path), "--sheet", str(sheet)]) == 0
    assert key_fingerprint(KEY) in capsys.readouterr().out
    assert cipher.file_state(path) == "sealed"
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert KEY in text and key_fingerprint(KEY) in text and "数据库密钥恢复单" in text and "幸福里社区党委" in text
    assert main(["audit", "--db", str(path), "--json", "--action", "export"]) == 0
    logged = capsys.readouterr().out
    assert "密钥恢复单" in logged and KEY not in logged  # the trail names the sheet, never the key


class FakeCredentialStore:
    """Stands in for Windows' DPAPI-backed keyring (the package is only installed on Windows)."""

    def __init__(self):
        self.saved = {}

    def get_password(self, service, account):
        return self.saved.get((service, account))

    def set_password(self, service, account, secret):
        self.saved[(service, account)] = secret

    def delete_password(self, service, account):
        self.saved.pop((service, account), None)


def test_on_windows_the_key_is_kept_by_the_operating_system_for_the_window(db, monkeypatch):
    store = FakeCredentialStore()
    monkeypatch.setattr(cipher, "_keyring", lambda: store)
    monkeypatch.delenv(cipher.KEY_ENV, raising=False)
    auth.cli_actor(db)
    add_member(db)
    path = db.path
    encrypt(db, KEY).dispose()
    assert store.get_password(cipher.KEYRING_SERVICE, str(path.resolve())) == KEY
    cipher._keys.clear()  # a new process: nothing remembered, no environment variable
    again, _ = open_database(path)  # the window opens it with the kept key, without asking
    assert again.encrypted
    auth.cli_actor(again)
    decrypt(again, KEY)
    assert store.saved == {}  # a decrypted database leaves no key behind
