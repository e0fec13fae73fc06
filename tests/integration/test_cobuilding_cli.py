"""`dangqun report cobuilding|reporting --year Y` and the 共驻共建 line of `stats`."""

from __future__ import annotations

import json
from datetime import date

from desktop_app.cli import main
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs


def _fill(db) -> None:
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    unit = cb.save_unit(db, None, cb.UnitInput(name="区人民医院", kind="医院", party_org="区人民医院党委"))
    cb.record_activity(db, cb.ActivityInput(date(2025, 5, 20), "医疗进社区", "夏季义诊", residents_served=20,
                                            org_ids=[community.id], unit_ids=[unit.id],
                                            people=[cb.PersonInput("志愿者", "小王", 30)]))
    r = cb.register_reporting(db, cb.ReportingInput(name="陈医生", employer="区人民医院", unit_id=unit.id,
                                                    reported_on=date(2025, 3, 1)))
    cb.log_service(db, r.id, cb.ServiceInput(date(2025, 4, 2), "健康咨询", 25))


def test_reports_and_stats(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    _fill(db)
    path = str(db.path or db.url)
    db.dispose()
    for kind, extra, said in (("cobuilding", [], "1 次活动"), ("cobuilding", ["--units"], "1 个单位"),
                              ("cobuilding", ["--activities"], "1 次活动"), ("cobuilding", ["--street"], "1 个社区"),
                              ("reporting", [], "1 人"),
                              ("reporting", ["--feedback", "--employer", "区人民医院"], "反馈表 1 份")):
        out = tmp_path / f"{kind}{len(extra)}.pdf"
        assert main(["report", kind, "--db", path, "--year", "2025", "--out", str(out), *extra]) == 0
        assert said in capsys.readouterr().out and out.stat().st_size > 1000
    assert main(["stats", "--db", path, "--year", "2025", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["cobuilding"]
    assert (figures["activities"], figures["residents_served"], figures["reporting_hours_tenths"]) == (1, 20, 25)
    assert main(["stats", "--db", path, "--year", "2025"]) == 0
    assert "共驻共建：共建单位 1 个" in capsys.readouterr().out


def test_contacts_report_names_a_grid_or_refuses(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    path = str(db.path or db.url)
    db.dispose()
    out = tmp_path / "c.pdf"
    assert main(["report", "contacts", "--db", path, "--out", str(out)]) == 0
    assert "联系表 0 条" in capsys.readouterr().out
    assert main(["report", "contacts", "--db", path, "--out", str(out), "--grid", "没有这个网格"]) == 2


def test_inquiries_and_unit_reports_listed(db, capsys):
    unit = cb.save_unit(db, None, cb.UnitInput(name="区人民医院", kind="医院"))
    cb.save_inquiry(db, None, cb.InquiryInput(date(2025, 5, 10), "座谈会", "单位", unit_id=unit.id,
                                              asked_name="区人民医院", topic="共建需求", answer="义诊场地"))
    rep = cb.save_unit_report(db, None, cb.UnitReportInput(unit.id, date(2025, 3, 5), liaison="刘主任"))
    cb.add_report_item(db, rep.id, cb.ReportItemInput("服务", date(2025, 4, 12), "义诊", people=6, hours_tenths=240))
    path = str(db.path or db.url)
    db.dispose()
    assert main(["cobuilding", "inquiries", "--db", path, "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "区人民医院（单位） 共建需求：义诊场地 【待办理】" in out and "2025年问需服务 1 次" in out
    assert main(["cobuilding", "inquiries", "--db", path, "--year", "2025", "--state", "已办结", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["cobuilding", "unit-reports", "--db", path, "--year", "2025", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["unit"], row["services"], row["hours_tenths"]) == ("区人民医院", 1, 240)
    assert main(["stats", "--db", path, "--year", "2025", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["cobuilding"]
    assert (figures["inquiries"], figures["units_reported"], figures["cost_fen"]) == (1, 1, 0)


def test_a_month_asked_of_a_yearly_report_is_refused_not_ignored(db, tmp_path, capsys):
    """`report cobuilding --activities --month 11` printed the whole year's register without a word: handed in as
    November's, it misleads. It is refused, saying the report is by year; service reads --month as before."""
    _fill(db)
    path, out = str(db.path or db.url), tmp_path / "活动.pdf"
    assert main(["report", "cobuilding", "--activities", "--db", path, "--year", "2025", "--month", "5",
                 "--out", str(out)]) == 2
    assert "--month 只用于 service" in capsys.readouterr().err and not out.exists()
    assert main(["report", "service", "--db", path, "--year", "2025", "--month", "5", "--out", str(out)]) == 0
