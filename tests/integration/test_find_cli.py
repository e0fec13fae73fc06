"""`dangqun find`: the hits 查找 lists in the window, printed as lines or JSON, masked the same way."""

import argparse
import json

import pytest

import desktop_app.cli as cli
from desktop_app.cli import find as find_cli

from tests.integration.test_find import town  # noqa: F401 - the fixture
from tests.integration.test_roles import PASSWORD, fast_kdf, town as roles_town  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def find_command(monkeypatch):
    """The parser with `find` in it, whether or not cli/__init__ names it yet (it adds it in build_parser)."""
    built = cli.build_parser

    def build():
        p = built()
        sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
        if "find" not in sub.choices:
            find_cli.add_commands(sub, cli.with_db)
        return p

    monkeypatch.setattr(cli, "build_parser", build)


def where(db) -> str:
    return str(db.path or db.url)


def as_user(db, monkeypatch, login: str) -> None:
    """The account's own password set (an account an administrator made must change it before the command line)."""
    from desktop_app.services import auth

    auth.login(db, login, PASSWORD)
    auth.change_password(db, PASSWORD, "Own-2026-pass")
    monkeypatch.setenv("DANGQUN_PASSWORD", "Own-2026-pass")


def test_find_prints_each_kind_and_its_hits(db, town, capsys):  # noqa: F811
    assert cli.main(["find", "王秀英", "--db", where(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if not line.startswith("  ")] == ["居民（1）", "微心愿（1）", "走访（1）", "矛盾调处（1）"]
    assert any(line.startswith("  王秀英　梅园3栋302 · 电话 139****5678") for line in out)
    assert cli.main(["find", "没有这个人", "--db", where(db)]) == 0
    assert capsys.readouterr().out.strip() == "没有找到“没有这个人”"


def test_find_json_names_the_page_and_id_and_masks_numbers(db, town, capsys, monkeypatch):  # noqa: F811
    as_user(db, monkeypatch, "street")
    assert cli.main(["--user", "street", "find", "李建国", "--db", where(db), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["text"] == "李建国"
    [group] = found["groups"]
    assert group["kind"] == "党员" and group["more"] is False
    [hit] = group["hits"]
    assert hit["page"] == "党员名册" and hit["id"] == town["ljg"] and hit["title"] == "李建国"
    assert town["ljg_number"] not in hit["context"] and "13800002222" not in hit["context"]
    assert "138****2222" in hit["context"]


def test_a_grid_worker_finds_no_other_grids_residents(db, town, capsys, monkeypatch):  # noqa: F811
    as_user(db, monkeypatch, "grid1")
    assert cli.main(["--user", "grid1", "find", "曾国强", "--db", where(db)]) == 0
    assert capsys.readouterr().out.strip() == "没有找到“曾国强”"


def test_bad_input_is_one_line_and_status_two(db, town, capsys):  # noqa: F811
    assert cli.main(["find", "王", "--limit", "0", "--db", where(db)]) == 2
    assert "--limit" in capsys.readouterr().err
