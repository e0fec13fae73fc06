"""The dangqun command as a user runs it: exit codes, one-line errors, no tracebacks."""

import subprocess
import sys

from desktop_app.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True)


def test_init_then_list_the_tree(tmp_path, capsys):
    db = tmp_path / "c.db"
    assert main(["init", "--db", str(db), "--org-code", "320102001", "--org-name", "幸福里社区党委",
                 "--street", "梅园街道党工委"]) == 0
    assert "幸福里社区党委" in capsys.readouterr().out
    assert main(["orgs", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "梅园街道党工委" in out and "  幸福里社区党委" in out


def test_bad_input_exits_2_with_one_clear_line(tmp_path):
    db = tmp_path / "c.db"
    r = run("init", "--db", str(db), "--org-code", "有 空格", "--org-name", "某社区")
    assert r.returncode == 2
    assert "组织代码" in r.stderr and "Traceback" not in r.stderr
    r = run("init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区")
    assert r.returncode == 0
    r = run("init", "--db", str(db), "--org-code", "C2", "--org-name", "另一社区")
    assert r.returncode == 2 and "已经设置" in r.stderr and "Traceback" not in r.stderr


def test_missing_database_is_reported_not_created(tmp_path):
    db = tmp_path / "nope.db"
    r = run("orgs", "--db", str(db))
    assert r.returncode == 2 and "不存在" in r.stderr
    assert not db.exists()


def test_not_a_database_file(tmp_path):
    f = tmp_path / "x.db"
    f.write_text("名单,电话\n张三,139\n", encoding="utf-8")
    r = run("orgs", "--db", str(f))
    assert r.returncode == 2 and "不是" in r.stderr and "Traceback" not in r.stderr


def test_demo_then_the_tree_shows_branches(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--members", "60", "--seed", "5"]) == 0
    assert "60 名党员" in capsys.readouterr().out
    assert main(["orgs", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "社区党委" in out and "网格党支部" in out and "党小组" in out
    r = run("demo", "--db", str(db))
    assert r.returncode == 2 and "已有数据" in r.stderr


def test_backup_and_restore_commands(tmp_path, capsys):
    db = tmp_path / "c.db"
    assert main(["init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    out = tmp_path / "u盘" / "备份.db"
    assert main(["backup", "--db", str(db), "--out", str(out)]) == 0
    assert out.exists()
    db.unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"c.db{suffix}").unlink(missing_ok=True)
    assert main(["restore", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["orgs", "--db", str(db)]) == 0
    assert "某社区党委" in capsys.readouterr().out
    r = run("restore", str(tmp_path / "missing.db"), "--db", str(db))
    assert r.returncode == 2 and "不存在" in r.stderr
    bad = tmp_path / "bad.db"
    bad.write_text("not a db")
    r = run("restore", str(bad), "--db", str(db))
    assert r.returncode == 2 and "不可用" in r.stderr
