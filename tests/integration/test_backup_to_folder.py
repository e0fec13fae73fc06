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
