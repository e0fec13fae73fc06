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


def test_members_export_import_and_roster_report(tmp_path, capsys):
    src = tmp_path / "src.db"
    assert main(["demo", "--db", str(src), "--members", "40", "--seed", "8"]) == 0
    csv_file = tmp_path / "名册.csv"
    assert main(["export", "members", "--db", str(src), "--out", str(csv_file)]) == 0
    # the roster: the demo's 在职党员 sit in the 双报到 register, not on the community's roster
    exported = int(capsys.readouterr().out.split("已导出 ")[1].split(" ")[0])
    assert 0.75 * 40 <= exported < 40
    dst = tmp_path / "dst.db"
    assert main(["init", "--db", str(dst), "--org-code", "C9", "--org-name", "新社区党委"]) == 0
    capsys.readouterr()
    assert main(["import", "members", str(csv_file), "--db", str(dst), "--dry-run"]) == 0
    assert "未写入" in capsys.readouterr().out
    assert main(["import", "members", str(csv_file), "--db", str(dst)]) == 0
    out = capsys.readouterr().out
    assert f"新增 {exported} 人" in out and "新建党支部" in out
    assert main(["import", "members", str(csv_file), "--db", str(dst)]) == 0
    assert f"无变化 {exported} 人" in capsys.readouterr().out  # importing twice changes nothing

    pdf = tmp_path / "花名册.pdf"
    assert main(["report", "roster", "--db", str(dst), "--out", str(pdf)]) == 0
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "新社区党委" in text and "花名册" in text


def test_import_with_bad_rows_reports_each_and_writes_nothing(tmp_path):
    db = tmp_path / "c.db"
    assert main(["init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "姓名,所在党支部,身份证号,入党日期\n"
        "张三,第一支部,11010519491231002X,1970-01-01\n"
        "李四,第一支部,1.10105E+17,1980/3/2\n",
        encoding="gb18030",
    )
    r = run("import", "members", str(bad), "--db", str(db))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "第 3 行" in r.stdout and "公民身份号码" in r.stdout and "科学计数法" in r.stdout
    r = run("export", "members", "--db", str(db), "--out", str(tmp_path / "x.csv"))
    assert r.returncode == 0 and "0 名党员" in r.stdout  # nothing was imported
    r = run("import", "members", str(bad), "--db", str(db), "--skip-invalid")
    assert r.returncode == 0 and "新增 1 人" in r.stdout


def test_users_and_the_audit_trail_from_the_command_line(tmp_path, monkeypatch, capsys):
    db = tmp_path / "c.db"
    assert main(["init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    monkeypatch.setenv("DANGQUN_NEW_PASSWORD", "Secret-2026")
    assert main(["user", "add", "wangli", "--name", "王丽", "--role", "admin", "--db", str(db)]) == 0
    assert main(["user", "add", "zhaowei", "--name", "赵伟", "--role", "viewer", "--db", str(db)]) == 0
    capsys.readouterr()
    # a grid worker without a grid is told how to give one, before any password is asked
    monkeypatch.delenv("DANGQUN_NEW_PASSWORD")
    assert main(["user", "add", "liping", "--role", "网格员", "--db", str(db)]) == 2
    assert "--grid 组织代码" in capsys.readouterr().err
    monkeypatch.setenv("DANGQUN_NEW_PASSWORD", "Secret-2026")
    assert main(["user", "list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "wangli  王丽  管理员" in out and "zhaowei  赵伟  只读" in out
    # a first password must be changed before anything else, on the command line too
    monkeypatch.setenv("DANGQUN_PASSWORD", "Secret-2026")
    assert main(["--user", "zhaowei", "orgs", "--db", str(db)]) == 2
    assert "须先修改密码" in capsys.readouterr().err
    monkeypatch.setenv("DANGQUN_NEW_PASSWORD", "Secret-2027")
    assert main(["--user", "zhaowei", "user", "passwd", "--db", str(db)]) == 0
    monkeypatch.setenv("DANGQUN_PASSWORD", "Secret-2027")
    assert main(["--user", "zhaowei", "orgs", "--db", str(db)]) == 0
    # a viewer signing in cannot add users; the refusal is one line, exit 2
    capsys.readouterr()
    assert main(["--user", "zhaowei", "user", "add", "x1", "--db", str(db)]) == 2
    assert "权限" in capsys.readouterr().err
    assert main(["--user", "zhaowei", "audit", "--db", str(db)]) == 2
    monkeypatch.setenv("DANGQUN_PASSWORD", "wrong-password")
    assert main(["--user", "wangli", "orgs", "--db", str(db)]) == 2
    capsys.readouterr()
    assert main(["audit", "--db", str(db), "--json"]) == 0
    import json

    entries = json.loads(capsys.readouterr().out)
    actions = {e["action"] for e in entries}
    assert "insert" in actions  # the accounts themselves were recorded


def test_stats_as_text_and_json(tmp_path, capsys):
    db = tmp_path / "s.db"
    assert main(["demo", "--db", str(db), "--members", "50", "--seed", "11"]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["members"]["total"] == sum(data["members"]["by_category"].values()) > 0
    assert data["service"]["visits"] > 0
    assert all(isinstance(f["balance_fen"], int) for f in data["funds"])
    # The 党费 account is told apart from the 经费 accounts, as the 工作台 and the 年度收支 PDF tell it
    assert [f["account"] for f in data["funds"] if f["dues"]] == ["党费"]
    assert main(["stats", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "党员" in text
    assert "经费 党费" not in text and "党费（不计入经费）：收入" in text


def test_sync_from_the_command_line(tmp_path, capsys):
    st, c1 = tmp_path / "street.db", tmp_path / "c1.db"
    key = tmp_path / "street.key"
    assert main(["init", "--db", str(st), "--org-code", "310105", "--org-name", "长宁街道党工委",
                 "--level", "street"]) == 0
    assert main(["demo", "--db", str(c1), "--members", "20", "--seed", "3"]) == 0
    assert main(["sync", "key", "new", "--db", str(st), "--out", str(key)]) == 0
    req, reply = tmp_path / "登记申请.dqreq", tmp_path / "登记回执.dqreply"
    capsys.readouterr()
    assert main(["sync", "enrol", "request", "--db", str(c1), "--out", str(req)]) == 0
    shown = capsys.readouterr().out.split("指纹 ")[1][:19]
    assert main(["sync", "enrol", "accept", str(req), "--db", str(st), "--out", str(reply)]) == 0
    assert shown in capsys.readouterr().out  # the same fingerprint at both ends
    assert main(["sync", "enrol", "finish", str(reply), "--db", str(c1)]) == 0
    usb = tmp_path / "U盘"
    usb.mkdir()
    assert main(["sync", "export", "--db", str(c1), "--out", str(usb)]) == 0
    package = next(usb.iterdir())
    capsys.readouterr()
    assert main(["sync", "import", str(package), "--db", str(st), "--dry-run"]) == 0
    assert "预览" in capsys.readouterr().out
    assert main(["sync", "import", str(package), "--db", str(st)]) == 0
    assert main(["sync", "import", str(package), "--db", str(st)]) == 0
    assert "以前导入过" in capsys.readouterr().out  # twice changes nothing
    down = tmp_path / "下发"
    assert main(["sync", "send", "--db", str(st), "--out", str(down)]) == 0
    assert main(["sync", "import", str(next(down.iterdir())), "--db", str(c1)]) == 0
    tampered = tmp_path / "坏包.dqsync"
    raw = bytearray(package.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    tampered.write_bytes(bytes(raw))
    r = run("sync", "import", str(tampered), "--db", str(st))
    assert r.returncode == 2 and "未导入" in r.stderr and "Traceback" not in r.stderr
    capsys.readouterr()  # a dry run of several reports every file, the refused ones with why, and exits 2 at the end
    other = tmp_path / "别处.dqsync"
    other.write_bytes(b"not a package")
    assert main(["sync", "import", str(tampered), str(package), str(other), "--db", str(st), "--dry-run"]) == 2
    out, err = capsys.readouterr()
    assert "预览" in out and "坏包.dqsync" in err and "别处.dqsync" in err and "3 个数据包中 2 个不能导入" in err
    assert main(["sync", "enrol", "revoke", "310105", "--db", str(st)]) == 2  # the street itself: no such community
    assert main(["audit", "verify", "--db", str(st)]) == 0


def test_a_key_wanted_without_a_terminal_is_named_as_a_key(tmp_path):
    # db encrypt run from a script asks for the new 数据库密钥, not for a 密码 (an account's).
    db = tmp_path / "c.db"
    assert run("init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区").returncode == 0
    r = subprocess.run([sys.executable, "-m", "desktop_app", "db", "encrypt", "--db", str(db)],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       env={k: v for k, v in __import__("os").environ.items() if k != "DANGQUN_DB_KEY"})
    assert r.returncode == 2 and "需要输入新的数据库密钥" in r.stderr and "DANGQUN_DB_KEY" in r.stderr
    assert "需要输入密码" not in r.stderr
