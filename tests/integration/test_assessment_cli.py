"""The assessment on the command line, over the demo community: the ranking, the forms, the street's table."""

import subprocess
import sys
from datetime import date

from desktop_app.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True)


def test_demo_assessment_ranks_prints_forms_and_the_comparison(tmp_path, capsys):
    db = tmp_path / "demo.db"
    year = date.today().year
    assert main(["demo", "--db", str(db), "--members", "60", "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["assessment", "--db", str(db), "--year", str(year - 1)]) == 0
    out = capsys.readouterr().out
    assert "五好党支部考评方案" in out and "6 类 19 项 42 条" in out
    lines = [line for line in out.splitlines() if "网格党支部" in line]
    assert lines and lines[0].split()[0] == "1"
    branch = lines[0].split()[1]
    form = tmp_path / "考评表.pdf"
    assert main(["report", "assessment", "--db", str(db), "--year", str(year - 1), "--branch", branch,
                 "--out", str(form)]) == 0
    assert form.read_bytes().startswith(b"%PDF") and branch in capsys.readouterr().out
    ranking = tmp_path / "排名表.pdf"
    assert main(["report", "comparison", "--db", str(db), "--year", str(year), "--out", str(ranking)]) == 0
    assert ranking.read_bytes().startswith(b"%PDF")


def test_a_year_without_a_scheme_is_one_clear_line(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--members", "20", "--seed", "4"]) == 0
    r = run("report", "assessment", "--db", str(db), "--year", "2015", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "考评方案" in r.stderr and "Traceback" not in r.stderr
    r = run("report", "assessment", "--db", str(db), "--branch", "没有这个支部", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "党支部" in r.stderr and "Traceback" not in r.stderr
    assert main(["assessment", "--db", str(db), "--year", "2015", "--sample"]) == 0
    assert "已载入示例方案" in capsys.readouterr().out


def test_a_street_before_any_community_data_says_why_nothing_is_ranked(tmp_path, capsys):
    """The street sets its scheme before the communities' data came up: the ranking and its printed table say
    there is no branch yet and where they come from, instead of a header over nothing."""
    import pypdfium2 as pdfium

    db = tmp_path / "street.db"
    assert main(["init", "--db", str(db), "--org-code", "310105003", "--org-name", "西园街道党工委",
                 "--level", "street"]) == 0
    assert main(["assessment", "--db", str(db), "--sample"]) == 0
    out = capsys.readouterr().out
    assert "尚无党支部可考评" in out and "数据同步" in out
    ranking = tmp_path / "排名表.pdf"
    assert main(["report", "comparison", "--db", str(db), "--out", str(ranking)]) == 0
    text = "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(ranking.read_bytes()))
    assert "尚无党支部可考评" in text and "二、党支部排名" not in text
