"""What `dangqun backup`, `restore` and `db` say on a district's server database: what a backup is there, as a command to run.

The district's IT person read 此命令只适用于数据库文件…（如 pg_dump 备份）, and the window's
backup said pg_dump -Fc -f dangqun.dump 库名: neither said which address to give pg_dump,
that the program's own backup does not cover the server, or how to restore. The address
is shown as pg_dump takes it (postgresql://, no driver name) and never with its password.
"""

from __future__ import annotations

import pytest

from desktop_app.cli import main
from desktop_app.services.backup_copies import BackupError, take_backup
from desktop_app.services.backup_restore import restore_database

URL = "postgresql://dangqun_admin:s3cret@db.district.local/dangqun?sslmode=require"
SHOWN = "'postgresql://dangqun_admin@db.district.local/dangqun?sslmode=require'"


@pytest.mark.parametrize("argv", [["backup"], ["restore", "x.db"]])
def test_backup_and_restore_on_a_server_name_the_commands_for_its_address(argv, capsys):
    assert main([*argv, "--db-url", URL]) == 2
    said = capsys.readouterr().err
    assert f"pg_dump -Fc -f dangqun-$(date +%F).dump {SHOWN}" in said
    assert f"pg_restore --clean --dbname {SHOWN}" in said
    assert "~/.pgpass" in said and "s3cret" not in said


def test_encrypting_a_server_database_says_what_protects_it_instead(capsys):
    assert main(["db", "encrypt", "--db-url", URL]) == 2
    said = capsys.readouterr().err
    assert "sslmode=require" in said and "pg_dump" not in said and "s3cret" not in said


class _ServerDb:
    """What the window's backup dialog passes: a handle on a server (no file)."""
    path = None
    url = "postgresql+psycopg://dangqun_admin:s3cret@db.district.local/dangqun?sslmode=require"
    actor = None

    class engine:
        class dialect:
            name = "postgresql"


def test_the_windows_backup_of_a_server_names_the_same_commands(monkeypatch):
    from desktop_app.services import backup_copies, backup_restore

    monkeypatch.setattr(backup_copies, "require_copy", lambda db: None)
    monkeypatch.setattr(backup_restore, "require_admin", lambda db, what: None)
    for call in (lambda: take_backup(_ServerDb()), lambda: restore_database(_ServerDb(), None)):
        with pytest.raises(BackupError) as err:
            call()
        assert f"pg_dump -Fc -f dangqun-$(date +%F).dump {SHOWN}" in str(err.value)
        assert "s3cret" not in str(err.value)


def test_a_password_typed_into_the_address_is_warned_of_and_never_echoed(capsys):
    # Nothing listens on port 1: the command fails, but after the warning.
    assert main(["orgs", "--db-url", "postgresql://dangqun_admin:s3cret@127.0.0.1:1/dangqun"]) == 2
    said = capsys.readouterr().err
    assert "命令历史" in said and "~/.pgpass" in said and "s3cret" not in said


def test_an_address_without_a_password_is_not_warned_of(capsys):
    assert main(["orgs", "--db-url", "postgresql://dangqun_admin@127.0.0.1:1/dangqun"]) == 2
    assert "命令历史" not in capsys.readouterr().err
