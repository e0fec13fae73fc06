"""`dangqun backup --out` naming a folder (the stick itself) puts a dated copy inside it, not a file beside it."""

from __future__ import annotations

import sqlite3

from desktop_app.cli import main
from desktop_app.services import backup_copies


def test_backup_into_a_folder_as_written(tmp_path, capsys):
    db = tmp_path / "center.db"
    assert main(["init", "--db", str(db), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    stick = tmp_path / "stick"
    stick.mkdir()
    for out in (str(stick), str(tmp_path / "new") + "/"):  # an existing folder; a folder written with its slash
        capsys.readouterr()
        assert main(["backup", "--db", str(db), "--out", out]) == 0
        folder = tmp_path / out.rstrip("/").rsplit("/", 1)[-1]
        (copy,) = folder.iterdir()
        assert backup_copies.list_backups("center", folder)[0].path == copy  # named as the backup folder's
        assert str(copy) in capsys.readouterr().out
        with sqlite3.connect(copy) as con:
            assert con.execute("select count(*) from organization").fetchone()[0] >= 1
    assert not (tmp_path / "stick.db").exists() and not (tmp_path / "new.db").exists()
    assert main(["backup", "--db", str(db), "--out", str(tmp_path / "named")]) == 0  # a file name: as before
    assert (tmp_path / "named.db").exists()


def test_a_refused_backup_makes_no_folder(tmp_path, capsys, monkeypatch):
    from desktop_app.services import auth
    from desktop_app.services.database import open_database

    db = tmp_path / "center.db"
    assert main(["init", "--db", str(db), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    opened, _ = open_database(db, "")
    auth.create_user(opened, "view", "街道小钱", "viewer", "viewer-pass-1", must_change_password=False)
    opened.dispose()
    monkeypatch.setenv("DANGQUN_PASSWORD", "viewer-pass-1")
    assert main(["--user", "view", "backup", "--db", str(db), "--out", str(tmp_path / "stick") + "/"]) == 2
    assert "只有管理员和书记/委员可以备份" in capsys.readouterr().err
    assert not (tmp_path / "stick").exists()
