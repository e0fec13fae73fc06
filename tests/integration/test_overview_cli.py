"""`dangqun stats`: the 工作台's figures under stable JSON keys, the funds of the year asked for."""

from __future__ import annotations

import json
from datetime import date

from desktop_app.cli import main

# The keys README documents under "dangqun stats --json"; scripts read them, so they only ever grow.
TOP_KEYS = {"site", "year", "members", "meetings", "service", "funds", "cobuilding", "figures", "last_year"}
FIGURE_KEYS = {
    "members_total", "members_full", "members_probationary", "meetings_held", "meetings_congress",
    "meetings_committee", "meetings_group", "meetings_lecture", "meetings_theme_day", "meetings_org_life",
    "meetings_evaluation", "meetings_joint", "attendance_rate", "visits", "problems_raised", "problems_closed", "close_rate", "wishes_posted",
    "wishes_claimed", "wishes_fulfilled", "projects_done", "dues_paid_fen", "spending_fen", "budget_fen",
    "income_fen", "reporting_members", "reporting_hours", "activities", "residents_served",
}
TODAY_ONLY_KEYS = {"development_pipeline", "dues_arrears_members", "dues_arrears_fen"}
FUND_KEYS = {"account", "opening_fen", "income_fen", "expense_fen", "balance_fen", "dues"}


def test_stats_json_keys_are_pinned_and_funds_are_the_years_own(tmp_path, capsys):
    db = tmp_path / "s.db"
    assert main(["demo", "--db", str(db), "--members", "40", "--seed", "5"]) == 0
    year = date.today().year
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json", "--year", str(year)]) == 0
    now = json.loads(capsys.readouterr().out)
    assert set(now) == TOP_KEYS
    assert set(now["figures"]) == FIGURE_KEYS | TODAY_ONLY_KEYS
    assert set(now["last_year"]) == FIGURE_KEYS
    assert all(set(f) == FUND_KEYS for f in now["funds"])
    assert main(["stats", "--db", str(db), "--json", "--year", str(year - 1)]) == 0
    before = json.loads(capsys.readouterr().out)
    assert set(before["figures"]) == FIGURE_KEYS
    # 召开会议 is the sum of the kinds' lines: every kind of meeting has one (民主评议党员, 联席会议 too)
    kinds = [k for k in FIGURE_KEYS if k.startswith("meetings_") and k != "meetings_held"]
    assert before["figures"]["meetings_evaluation"] and before["figures"]["meetings_joint"]
    for figures in (before["figures"], now["figures"], now["last_year"]):
        assert sum(figures[k] for k in kinds) == figures["meetings_held"]
    # A year's funds are that year's: this year opens with last year's closing balance, nothing summed twice.
    closing = {f["account"]: f["balance_fen"] for f in before["funds"]}
    for f in now["funds"]:
        assert f["opening_fen"] == closing[f["account"]]
        assert f["balance_fen"] == f["opening_fen"] + f["income_fen"] - f["expense_fen"]
    # 经费收入 is every account's income but the 党费 account's (that money is the 党费收缴 figure already)
    assert any(f["account"] == "党费" and f["income_fen"] for f in now["funds"])
    assert now["figures"]["income_fen"] == sum(f["income_fen"] for f in now["funds"] if not f["dues"])
    assert now["last_year"]["income_fen"] == before["figures"]["income_fen"]
    assert main(["stats", "--db", str(db), "--year", str(year)]) == 0
    assert "工作台：党员" in capsys.readouterr().out


def test_a_street_s_funds_are_its_own_books(tmp_path, capsys):
    # 经费 服务群众专项经费：收入 0.00 元 … at a street read as all its communities spending nothing.
    db = tmp_path / "street.db"
    assert main(["init", "--db", str(db), "--org-code", "320102", "--org-name", "梅园街道党工委",
                 "--level", "street"]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(db)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "：收入" in line]
    assert lines and all(line.startswith(("经费（街道本级） ", "党费（街道本级，不计入经费）：")) for line in lines)
    assert sum(line.startswith("党费") for line in lines) == 1
