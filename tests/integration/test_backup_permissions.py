"""Backups and a stolen stick: who may copy the whole database, who chooses where copies go, what a copy shows.

A backup is the whole database: the roles that keep the books (管理员, 书记/委员)
may make one, a 只读 account and an account confined to one street never. Where
backups go (the backup folder, the mirror folder on a stick) is an administrator's
choice alone, recorded with the folder before and after. A mirrored copy of an
encrypted database stays encrypted, a copy's name carries no one's data, and
rotation removes only the program's own automatic copies in its own folder.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from desktop_app.services import auth, backup, site
from desktop_app.services import settings as settings_service
from desktop_app.services.database import open_database
from desktop_app.settings import Settings, backup_dir
from desktop_app.store import cipher
from desktop_app.store.models_access import AuditEntry
from tests.integration.test_backup_restore_checks import PASSWORD as ADMIN_PASSWORD
from tests.integration.test_backup_restore_checks import fast_kdf, town  # noqa: F401 - the fixtures
from tests.integration.test_district_roles import PASSWORD, district  # noqa: F401 - the fixture

pytestmark = pytest.mark.sqlite_only  # copies of the database file; a server is backed up with pg_dump

KEY = "correct horse battery staple"
SECRETARY_PASSWORD = "secretary-1"


@pytest.fixture
def center(town):  # noqa: F811 - 王管理 (admin), 赵委员 (secretary), and a 只读 account
    auth.create_user(town, "view", "街道小钱", "viewer", PASSWORD, must_change_password=False)
    return town


def copies() -> list[str]:
    folder = backup_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_secretary_backs_up_a_viewer_does_not(center):
    db = center
    auth.login(db, "view", PASSWORD)
    assert "只有管理员和书记/委员可以备份" in backup.refusal(db, backup.require_copy)
    with pytest.raises(auth.PermissionDenied, match="街道小钱"):
        backup.take_backup(db)
    assert copies() == []
    auth.login(db, "sec", SECRETARY_PASSWORD)  # a backup protects against loss: the books' keeper may make one
    assert backup.refusal(db, backup.require_copy) == ""
    out = backup.take_backup(db)
    assert copies() == [out.name]
    with db.session() as s:
        assert s.scalar(select(AuditEntry.user_name).where(AuditEntry.action == "backup")) == "赵委员"


def test_an_account_confined_to_one_street_copies_nothing(district, tmp_path):  # noqa: F811
    db, w = district
    auth.create_user(db, "meiyuan-admin", "梅园管理员", "admin", PASSWORD, org_id=w["a"], must_change_password=False)
    for login in ("meiyuan", "meiyuan-admin"):  # the street's secretary, and its administrator
        auth.login(db, login, PASSWORD)
        assert "整个数据库" in backup.refusal(db, backup.require_copy)
        with pytest.raises(auth.PermissionDenied, match="整个数据库"):
            backup.take_backup(db, tmp_path / "u盘" / "全区.db")
        assert backup.refusal(db, backup.require_settings) != ""
    assert not (tmp_path / "u盘").exists() and copies() == []


def test_only_an_administrator_chooses_where_backups_go(center, tmp_path):
    db = center
    stick = tmp_path / "U盘"
    auth.login(db, "sec", SECRETARY_PASSWORD)
    assert "只有管理员" in backup.refusal(db, backup.require_settings)
    now = settings_service.current(db)
    for field, value in (("backup_mirror_dir", stick), ("backup_folder", tmp_path / "别处")):
        with pytest.raises(auth.PermissionDenied, match="只有管理员"):
            settings_service.save(db, replace(now, **{field: str(value)}))
    assert Settings.load().backup_mirror_dir == "" and Settings.load().backup_folder == ""
    assert not stick.exists()
    settings_service.save(db, replace(now, paper_size="B5"))  # the rest of 设置 stays the secretary's
    auth.login(db, "admin", ADMIN_PASSWORD)
    settings_service.save(db, replace(settings_service.current(db), backup_mirror_dir=str(stick)))
    settings_service.save(db, replace(settings_service.current(db), backup_mirror_dir=""))
    with db.session() as s:
        rows = s.execute(select(AuditEntry.user_name, AuditEntry.before_json, AuditEntry.after_json)
                         .where(AuditEntry.action == "setting").order_by(AuditEntry.at)).all()
    mirror = [(who, json.loads(b), json.loads(a)) for who, b, a in rows if "backup_mirror_dir" in a]
    assert sorted(mirror, key=lambda r: r[1]["backup_mirror_dir"]) == [
        ("王管理", {"backup_mirror_dir": ""}, {"backup_mirror_dir": str(stick)}),
        ("王管理", {"backup_mirror_dir": str(stick)}, {"backup_mirror_dir": ""}),
    ]


def test_the_mirrored_copy_of_an_encrypted_database_stays_encrypted(tmp_path):
    db, _ = open_database(tmp_path / "enc.db", KEY)
    try:
        auth.cli_actor(db)
        site.init_site(db, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
        stick = tmp_path / "U盘"
        stick.mkdir()
        s = Settings.load()
        s.backup_mirror_dir = str(stick)
        s.save()
        dest = backup.take_backup(db)
        [mirrored] = list(stick.iterdir())  # no .part left beside it
        assert mirrored.name == dest.name
        raw = mirrored.read_bytes()
        assert not raw.startswith(b"SQLite format 3") and "幸福里".encode() not in raw
        assert cipher.file_state(mirrored) == "sealed"
        assert backup.integrity_problems(mirrored, None) != []  # without the key it opens to nothing
        assert backup.integrity_problems(mirrored, "wrong key") != []
        assert backup.integrity_problems(mirrored, KEY) == []
        if os.name == "posix":
            assert mirrored.stat().st_mode & 0o777 == 0o600
    finally:
        db.dispose()


def test_a_backup_name_carries_no_ones_data(center):
    db = center
    auth.login(db, "admin", ADMIN_PASSWORD)
    out = backup.take_backup(db)
    assert re.fullmatch(rf"{db.path.stem}-\d{{8}}-\d{{6}}-manual\.db", out.name)  # the file's stem, when, what kind
    assert "王管理" not in out.name and "赵委员" not in out.name and site.get_site(db).org_name not in out.name


def test_rotation_cleans_the_mirror_alike_but_never_files_it_did_not_write(db, tmp_path):
    stick = tmp_path / "U盘"
    stick.mkdir()
    s = Settings.load()
    s.backup_mirror_dir = str(stick)
    s.save()
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    theirs = [stick / "工作总结.docx", stick / "名册.db", stick / f"{db.path.stem}-旧的.db",
              folder / "我的备份.db", folder / f"{db.path.stem}-20200101-000000-daily.db.bak"]
    for p in theirs:
        p.write_bytes(b"the user's own file")
    start = datetime(2026, 1, 1, 8)
    for day in range(60):  # two months of daily backups: rotation removes all but 7 days and 4 weeks
        backup.backup_now(db.path, "daily", now=start + timedelta(days=day))
    ours = [p for p in folder.iterdir() if p not in theirs]
    assert len(ours) <= 7 + 4
    assert all(p.exists() and p.read_bytes() == b"the user's own file" for p in theirs)
    # the mirror is rotated by the same rule: the same copies of ours are kept there
    assert sorted(p.name for p in stick.iterdir() if p not in theirs) == sorted(p.name for p in ours)
