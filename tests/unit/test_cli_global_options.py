"""README: "Every command takes `--db PATH`" — before the command as well as after it."""

from __future__ import annotations

import pytest

from desktop_app.cli import build_parser, main


@pytest.mark.parametrize("argv", [
    ["--db", "a.db", "stats", "--year", "2025"],
    ["stats", "--db", "a.db", "--year", "2025"],
    ["--db=a.db", "stats", "--year", "2025"],
    ["--user", "admin", "--db", "a.db", "stats", "--year", "2025"],
])
def test_db_before_or_after_the_command(argv):
    args = build_parser().parse_args(argv)
    assert (args.command, args.db, args.year) == ("stats", "a.db", 2025)


def test_db_url_before_a_nested_command():
    args = build_parser().parse_args(["--db-url", "postgresql://u@h/d", "import", "members", "m.csv", "--dry-run"])
    assert (args.what, args.db_url, args.file, args.dry_run) == ("members", "postgresql://u@h/d", "m.csv", True)
    args = build_parser().parse_args(["import", "--db", "a.db", "members", "m.csv"])
    assert (args.what, args.db, args.file) == ("members", "a.db", "m.csv")


def test_an_option_no_command_knows_is_still_refused_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--bogus", "orgs"])
    assert exit_.value.code == 2
    assert "无法识别的参数：--bogus" in capsys.readouterr().err


def test_both_orders_run_the_command(tmp_path, capsys):
    db = str(tmp_path / "d.db")
    assert main(["--db", db, "init", "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "orgs"]) == 0
    before = capsys.readouterr().out
    assert main(["orgs", "--db", db]) == 0
    assert capsys.readouterr().out == before and "某社区党委" in before
