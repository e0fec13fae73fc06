"""`dangqun report … --org`: the organisation as `dangqun orgs` lists it (its code), refused when unknown.

The option read only internal IDs, which no listing shows: a code printed an
empty report (0 个党支部) and said nothing.
"""

from __future__ import annotations

from desktop_app.cli import main


def test_report_org_takes_the_code_orgs_lists_and_refuses_an_unknown_one(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--members", "40", "--seed", "5"]) == 0
    assert main(["orgs", "--db", str(db)]) == 0
    branch = next(line for line in capsys.readouterr().out.splitlines() if "网格党支部" in line)
    code = branch.split("[党支部 ")[1].rstrip("]").split("]")[0]
    out = tmp_path / "c.pdf"
    assert main(["report", "compliance", "--db", str(db), "--org", code, "--out", str(out)]) == 0
    assert "1 个党支部" in capsys.readouterr().out
    assert main(["report", "signin", "--db", str(db), "--org", code, "--year", "2025", "--out", str(out)]) == 0
    assert main(["report", "compliance", "--db", str(db), "--org", "999", "--out", str(out)]) == 2
    assert "找不到组织“999”" in capsys.readouterr().err
    # a report that does not read --org says so instead of printing everyone
    roster_pdf = tmp_path / "r.pdf"
    assert main(["report", "roster", "--db", str(db), "--org", code, "--out", str(roster_pdf)]) == 2
    assert "--org 只用于" in capsys.readouterr().err and not roster_pdf.exists()
