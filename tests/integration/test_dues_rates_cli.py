"""dangqun dues rates: the 党费比例 in words; --set a category's new table from a month, refused whole with the row named."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.cli import main
from desktop_app.domain import dues as rules
from desktop_app.services import dues
from desktop_app.services.database import open_database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models_sync import SyncIdentity


def _init(path) -> list[str]:
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    return ["--db", str(path)]


def _table(path) -> list[rules.RateRule]:
    db, _ = open_database(path)
    try:
        return dues.rate_rules(db)
    finally:
        db.dispose()


def test_list_then_set_a_new_table_from_a_month(tmp_path, capsys):
    path = tmp_path / "c.db"
    db = _init(path)
    capsys.readouterr()
    assert main(["dues", "rates", *db]) == 0
    out = capsys.readouterr().out
    assert "在职　自 2008-04 起（现行）" in out and "  月工资收入3000元以下（含）交纳0.5%" in out
    assert "每月自愿 0.20–1.00 元" in out and "党费比例由街道统一设置" not in out

    csv = tmp_path / "在职.csv"
    csv.write_text("以上,至,比例,定额,最高\n,4000,1,,\n4000,,2.25,,\n", encoding="utf-8")
    assert main(["dues", "rates", "--set", str(csv), "--category", "在职", "--from", "2026-07", *db]) == 0
    out = capsys.readouterr().out
    assert "已保存在职自2026-07起的党费比例（2 档）" in out
    assert "在职　自 2026-07 起" in out and "月工资收入4000元以上交纳2.25%" in out
    assert ("在职　自 2008-04 起（已停用）" in out) == (date.today() >= date(2026, 7, 1))  # against the day it runs
    new = rules.rules_in_force(_table(path), rules.EMPLOYED, date(2026, 7, 1))
    assert [(r.over_fen, r.upto_fen, r.rate_bp) for r in new] == [(None, 400_000, 100), (400_000, None, 225)]
    old = rules.rules_in_force(_table(path), rules.EMPLOYED, date(2026, 6, 1))
    assert [r.rate_bp for r in old] == [50, 100, 150, 200]  # the months before keep the 2008 table


def test_the_help_reads(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["dues", "rates", "--help"])
    assert exit_.value.code == 0
    assert "比例以 % 计" in capsys.readouterr().out


def test_a_gap_or_a_bad_rate_is_refused_naming_the_line_and_nothing_changes(tmp_path, capsys):
    path = tmp_path / "c.db"
    db = _init(path)
    before = _table(path)
    gap = tmp_path / "gap.csv"
    gap.write_text("以上,至,比例,定额,最高\n,3000,0.5,,\n3500,,1,,\n", encoding="utf-8")
    assert main(["dues", "rates", "--set", str(gap), "--category", "在职", "--from", "2026-07", *db]) == 2
    assert "第3行：各档收入区间应首尾相接" in capsys.readouterr().err  # the file's third line
    bad = tmp_path / "bad.csv"
    bad.write_text(",,0.125,,\n", encoding="utf-8")
    assert main(["dues", "rates", "--set", str(bad), "--category", "在职", "--from", "2026-07", *db]) == 2
    assert "第1行比例" in capsys.readouterr().err
    assert main(["dues", "rates", "--set", str(gap), "--category", "在职", *db]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(["dues", "rates", "--set", str(gap), "--category", "干部", "--from", "2026-07", *db]) == 2
    assert "人员类别" in capsys.readouterr().err
    assert _table(path) == before


def test_an_enrolled_community_is_told_the_street_sets_the_rates(tmp_path, capsys):
    path = tmp_path / "c.db"
    db = _init(path)
    opened, _ = open_database(path)
    with UnitOfWork(opened) as uow:
        uow.session.add(SyncIdentity(id=1, role="community", fingerprint="f" * 32, state="enrolled"))
        uow.commit()
    opened.dispose()
    capsys.readouterr()
    assert main(["dues", "rates", *db]) == 0
    assert "党费比例由街道统一设置" in capsys.readouterr().out
    one = tmp_path / "学生.csv"
    one.write_text(",,,0.50,\n", encoding="utf-8")
    assert main(["dues", "rates", "--set", str(one), "--category", "学生", "--from", "2026-07", *db]) == 2
    assert "联系街道" in capsys.readouterr().err
