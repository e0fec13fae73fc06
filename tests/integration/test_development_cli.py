"""dangqun members pipeline, report development and report compliance on a small community."""

from datetime import date

from openpyxl import load_workbook

from desktop_app.cli import main
from desktop_app.services import development, orgs
from desktop_app.services.database import open_database


def _world(path):
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    db, _ = open_database(path)
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    development.add_applicant(db, development.ApplicantInput(name="周晓梅", org_id=b1.id,
                                                             applied_on=date(2025, 3, 1)))
    development.add_applicant(db, development.ApplicantInput(name="钱多多", org_id=b2.id,
                                                             applied_on=date(2025, 4, 1)))
    db.dispose()


def test_pipeline_per_branch_and_the_registers(tmp_path, capsys):
    path = tmp_path / "c.db"
    _world(path)
    capsys.readouterr()
    assert main(["members", "pipeline", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "周晓梅" in out and "钱多多" in out and "入党申请人 2 名" in out
    assert main(["members", "pipeline", "--db", str(path), "--branch", "B02"]) == 0
    out = capsys.readouterr().out
    assert "钱多多" in out and "周晓梅" not in out
    assert main(["members", "pipeline", "--db", str(path), "--branch", "没有这个支部"]) == 2
    assert main(["report", "development", "--db", str(path), "--year", "2025",
                 "--out", str(tmp_path / "dev.pdf")]) == 0
    assert (tmp_path / "dev.pdf").read_bytes()[:4] == b"%PDF"
    assert main(["report", "compliance", "--db", str(path), "--year", "2025", "--out", str(tmp_path / "c.pdf"),
                 "--xlsx", str(tmp_path / "c.xlsx")]) == 0
    assert (tmp_path / "c.pdf").read_bytes()[:4] == b"%PDF"
    ws = load_workbook(tmp_path / "c.xlsx").active
    assert {ws.cell(row=r, column=1).value for r in range(4, 20)} >= {"第一网格党支部", "第二网格党支部"}
