"""dangqun members exit / exits / move / discipline / floating / lost / lapse on a small community."""

import json
from datetime import date

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster
from desktop_app.services.database import open_database


def _world(path):
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    db, _ = open_database(path)
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    orgs.create(db, "第一党小组", "B01G1", "group", b1.id)
    orgs.create(db, "第一党小组", "B02G1", "group", b2.id)
    for i, name in enumerate(("王建国", "李秀英")):
        roster.create(db, MemberInput(name=name, org_id=b1.id, joined_date=date(1985, 7, 1),
                                      confirmed_date=date(1986, 7, 1),
                                      id_number=idcard.make("320102", date(1950, 2, 1 + i), 1 + i, idcard.MALE)))
    db.dispose()


def test_record_an_exit_and_a_move_then_list_them(tmp_path, capsys):
    path = tmp_path / "c.db"
    _world(path)
    db = ["--db", str(path)]
    assert main(["members", "exit", "--member", "李秀英", "--kind", "去世", "--date", "2026-01-05", *db]) == 0
    assert main(["members", "exit", "--member", "王建国", "--kind", "开除党籍", "--date", "2026-01-05", *db]) == 2
    assert "决定机关" in capsys.readouterr().err
    assert main(["members", "exits", "--json", *db]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["member_name"], r["kind"]) for r in rows] == [("李秀英", "去世")]
    # Two groups share a name: the path or the code picks one, the bare name is refused naming both.
    assert main(["members", "move", "--member", "王建国", "--to", "第一党小组", "--date", "2026-01-05", *db]) == 2
    assert "B01G1" in capsys.readouterr().err
    assert main(["members", "move", "--member", "王建国", "--to", "第二网格党支部 / 第一党小组", "--date",
                 "2026-01-05", *db]) == 0
    assert "第一网格党支部 → 第一党小组" in capsys.readouterr().out
    for what in ("discipline", "floating", "lost", "lapse"):
        assert main(["members", what, *db]) == 0
    assert main(["members", "exit", "--member", "没有这人", "--kind", "去世", "--date", "2026-01-05", *db]) == 2
