"""`dangqun orgs`: a district's set-up scripted, as its IT person follows the README.

The streets are organisations in the district's tree, made at the top (as the 党组织 page's
新增街道党工委) before `dangqun user add --org 街道代码` can confine an operator to one; there
was no command for them. Real database files with migrations (or the PostgreSQL cluster under
DANGQUN_TEST_PG_URL), the command as `main` runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.services import auth, orgs, site
from desktop_app.store.models_access import AuditEntry
from tests.integration.test_district_roles import PASSWORD, _member, district  # noqa: F401 - the fixture


def _target(db) -> str:
    return str(db.path) if db.path else db.url


def _codes(db) -> dict[str, tuple[str, str | None]]:
    """code -> (name, parent's code) of every live organisation, as the administrator sees them."""
    nodes = orgs.list_tree(db)
    by_id = {n.id: n.code for n in nodes}
    return {n.code: (n.name, by_id.get(n.parent_id)) for n in nodes}


def _trail(db) -> int:
    """Lines of the trail that record a change (a --user's sign-in writes one of its own)."""
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action != "login"))


@pytest.fixture
def district_db(empty_db):
    site.init_site(empty_db, "320102", "玄武区委", "street")
    orgs.create(empty_db, "梅园社区党委", "320102001", "community", orgs.list_tree(empty_db)[0].id)
    return empty_db


def test_a_district_makes_a_street_and_moves_a_community_under_it(district_db, capsys):
    db, t = district_db, _target(district_db)
    before = _trail(db)
    assert main(["orgs", "add", "--db", t, "--name", "梅园街道党工委", "--code", "320102100", "--kind", "街道党工委"]) == 0
    assert "在组织树最上层" in capsys.readouterr().out
    assert main(["orgs", "move", "320102001", "--to", "梅园街道党工委", "--db", t]) == 0  # the parent by its name
    assert "移到 梅园街道党工委（320102100）之下" in capsys.readouterr().out
    assert main(["orgs", "add", "--db", t, "--name", "第一网格党支部", "--code", "G1", "--kind", "党支部",
                 "--parent", "梅园社区党委"]) == 0
    capsys.readouterr()
    codes = _codes(db)
    assert codes["320102100"] == ("梅园街道党工委", None)
    assert codes["320102001"] == ("梅园社区党委", "320102100")
    assert codes["G1"] == ("第一网格党支部", "320102001")
    assert _trail(db) >= before + 3  # each change on the trail, as the page's
    # and the street can now have its operator
    r = subprocess.run([sys.executable, "-m", "desktop_app", "user", "add", "meiyuan", "--db", t, "--org", "320102100"],
                       capture_output=True, text=True, env={**os.environ, "DANGQUN_NEW_PASSWORD": PASSWORD})
    assert r.returncode == 0, r.stderr


def test_the_list_shows_the_tree_with_codes_kinds_and_counts(district, capsys):  # noqa: F811
    db, _ = district
    assert main(["orgs", "list", "--db", _target(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "梅园街道党工委  [街道党工委 320102100]  党员 0" in lines
    assert "    梅园街第一党支部  [党支部 320102100001001]  党员 1" in lines
    assert main(["orgs", "--db", _target(db), "--json"]) == 0  # the bare word lists, as it always did
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["320102100001001"] == {"code": "320102100001001", "name": "梅园街第一党支部", "kind": "branch",
                                       "kind_label": "党支部", "parent_code": "320102100001", "depth": 2,
                                       "members": 1}


def test_rename_changes_name_and_code(district_db, capsys):
    db, t = district_db, _target(district_db)
    assert main(["orgs", "rename", "320102001", "--name", "梅园新村社区党委", "--code", "320102101", "--db", t]) == 0
    assert "320102001 → 320102101" in capsys.readouterr().out
    assert _codes(db)["320102101"][0] == "梅园新村社区党委" and "320102001" not in _codes(db)


def test_delete_asks_and_is_refused_while_members_remain(district, capsys):  # noqa: F811
    db, w = district
    t = _target(db)
    before, trail = _codes(db), _trail(db)
    r = subprocess.run([sys.executable, "-m", "desktop_app", "orgs", "delete", "320102100001001", "--db", t],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and "--yes" in r.stderr and "320102100001001" in r.stderr  # not asked: not deleted
    assert main(["orgs", "delete", "320102100001001", "--yes", "--db", t]) == 2
    err = capsys.readouterr().err
    assert "320102100001001" in err and "1 名党员" in err and "Traceback" not in err
    assert _codes(db) == before and _trail(db) == trail  # nothing changed, nothing recorded
    empty = orgs.create(db, "第二党支部", "B2", "branch", w["a_community"])
    assert main(["orgs", "delete", "B2", "--yes", "--db", t]) == 0
    assert "B2" not in _codes(db) and empty.id not in {n.id for n in orgs.list_tree(db)}


def test_bad_input_names_the_code_and_changes_nothing(district, capsys):  # noqa: F811
    db, _ = district
    t = _target(db)
    before, trail = _codes(db), _trail(db)
    cases = [
        (["add", "--name", "又一个", "--code", "320102200", "--kind", "社区党委"], "320102200"),  # the code is taken
        (["add", "--name", "某支部", "--code", "有 空格", "--kind", "党支部", "--parent", "320102100"], "有 空格"),
        (["add", "--name", "某支部", "--code", "X1", "--kind", "支部"], "支部"),  # unknown kind: the choices
        (["add", "--name", "某支部", "--code", "X1", "--kind", "党支部"], "必须有上级组织"),
        (["move", "320102100001", "--to", "320102100001001"], "320102100001"),  # a community under a branch
        (["move", "320102100", "--to", "320102100001"], "320102100"),  # under its own community
        (["move", "NOPE", "--to", "320102100"], "NOPE"),
        (["rename", "320102100", "--name", "梅园街道党工委", "--code", "320102200"], "320102200"),
    ]
    for argv, named in cases:
        assert main(["orgs", *argv, "--db", t]) == 2, argv
        err = capsys.readouterr().err
        assert named in err and "Traceback" not in err, (argv, err)
    assert _codes(db) == before and _trail(db) == trail


def test_a_parent_by_a_shared_name_is_refused_naming_the_candidates(district, capsys):  # noqa: F811
    db, w = district
    for key in ("a", "b"):
        orgs.create(db, "第一网格党支部", f"{key.upper()}G1", "branch", w[f"{key}_community"])
    before = _codes(db)
    assert main(["orgs", "add", "--name", "第一党小组", "--code", "X1", "--kind", "党小组",
                 "--parent", "第一网格党支部", "--db", _target(db)]) == 2
    err = capsys.readouterr().err
    assert "AG1" in err and "BG1" in err and "同名" in err
    assert _codes(db) == before
    # spelt with a full-width digit, a unique name is found as the imports find it
    orgs.create(db, "第1党支部", "C1", "branch", w["a_community"])
    assert main(["orgs", "add", "--name", "第一党小组", "--code", "X1", "--kind", "党小组",
                 "--parent", "第１党支部", "--db", _target(db)]) == 0
    assert _codes(db)["X1"][1] == "C1"


def test_a_street_operator_cannot_make_or_reach_another_street(district, monkeypatch, capsys):  # noqa: F811
    db, w = district
    t = _target(db)
    before, trail = _codes(db), _trail(db)
    monkeypatch.setenv("DANGQUN_PASSWORD", PASSWORD)
    as_op = ["--user", "meiyuan", "orgs"]
    assert main([*as_op, "add", "--name", "新街道党工委", "--code", "320102300", "--kind", "街道党工委", "--db", t]) == 2
    assert "320102300" in capsys.readouterr().err
    assert main([*as_op, "move", "320102100001", "--to", "320102200", "--db", t]) == 2  # the other street: unseen
    assert "320102200" in capsys.readouterr().err
    assert main([*as_op, "delete", "320102200001001", "--yes", "--db", t]) == 2
    assert "320102200001001" in capsys.readouterr().err
    assert _codes(db) == before and _trail(db) == trail
    assert main([*as_op, "list", "--db", t]) == 0
    assert "新街口" not in capsys.readouterr().out
    # within its own street it works as the page does
    assert main([*as_op, "add", "--name", "梅园第二党支部", "--code", "MY2", "--kind", "党支部",
                 "--parent", "320102100001", "--db", t]) == 0
    assert _codes(db)["MY2"][1] == "320102100001"


def test_a_viewer_is_refused(district, monkeypatch, capsys):  # noqa: F811
    db, _ = district
    auth.create_user(db, "kan", "只读小王", "viewer", PASSWORD, must_change_password=False)
    monkeypatch.setenv("DANGQUN_PASSWORD", PASSWORD)
    before = _codes(db)
    assert main(["--user", "kan", "orgs", "rename", "320102100", "--name", "改名", "--db", _target(db)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert _codes(db) == before


def test_delete_at_a_terminal_asks_and_a_no_keeps_it(district_db, monkeypatch, capsys):
    db, t = district_db, _target(district_db)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["n", "y"])
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or next(answers))
    assert main(["orgs", "delete", "320102001", "--db", t]) == 0
    assert "已取消" in capsys.readouterr().out and "320102001" in _codes(db)
    assert "梅园社区党委" in asked[0] and "320102001" in asked[0]  # says what it is about to delete
    assert main(["orgs", "delete", "320102001", "--db", t]) == 0
    assert "320102001" not in _codes(db)


def test_a_street_operator_cannot_take_another_streets_code(district, monkeypatch, capsys):  # noqa: F811
    """The code of a street the operator cannot see is still taken: two organisations with one code would
    leave `user add --org`, `report --org` and the packages to pick either."""
    db, _ = district
    t = _target(db)
    before = _codes(db)
    monkeypatch.setenv("DANGQUN_PASSWORD", PASSWORD)
    as_op = ["--user", "meiyuan", "orgs"]
    assert main([*as_op, "rename", "320102100", "--name", "梅园街道党工委", "--code", "320102200", "--db", t]) == 2
    assert "已被其他组织使用" in capsys.readouterr().err
    assert main([*as_op, "add", "--name", "梅园第二党支部", "--code", "320102200001001", "--kind", "党支部",
                 "--parent", "320102100001", "--db", t]) == 2
    assert "已被其他组织使用" in capsys.readouterr().err
    assert _codes(db) == before
