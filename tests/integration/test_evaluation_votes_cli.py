"""`dangqun report evaluation-ballot` / `evaluation-tally`: a branch named by its name or code, the year,
the number of ballots; bad input is one clear line, not a PDF of the wrong branch."""

from __future__ import annotations

import argparse
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.cli import meetings as cli_meetings
from desktop_app.cli.common import CliError, open_db
from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import evaluation_votes, orgs, roster
from desktop_app.views.evaluations import BallotInfo, VoteEntry
from tests.integration.test_evaluation_votes import shipped_font  # noqa: F401 - the PDFs' font, for every test


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    ids = [roster.create(db, MemberInput(name=name, org_id=b.id,
                                         id_number=idcard.make("320102", date(1960 + i, 3, 1 + i), i, idcard.MALE),
                                         joined_date=date(1990, 7, 1))).id for i, name in enumerate(("张伟", "王芳"))]
    evaluation_votes.save(db, b.id, 2025, [], BallotInfo(2, 2), [VoteEntry(ids[0], 2), VoteEntry(ids[1], 1, 1)])
    path = str(db.path or db.url)
    db.dispose()
    return path


def run(path: str, kind: str, out, **kw) -> str:
    """What `dangqun report <kind> --db path --out out ...` runs, with its arguments as the parser gives them."""
    args = argparse.Namespace(db=path, db_url=None, out=str(out), year=kw.get("year"), branch=kw.get("branch"),
                              copies=kw.get("copies"), org=None, month=None)
    db = open_db(args)
    try:
        render = {"evaluation-ballot": cli_meetings.report_evaluation_ballot,
                  "evaluation-tally": cli_meetings.report_evaluation_tally}[kind]
        return render(db, args, out)
    finally:
        db.dispose()


def pages(out) -> list[str]:
    return [p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages]


def test_the_ballots_of_a_branch_by_name_or_code(branch, tmp_path):
    out = tmp_path / "票.pdf"
    assert "每名参评党员一份" in run(branch, "evaluation-ballot", out, branch="第一网格党支部", year=2024)
    assert len(pages(out)) == 2 and "第一网格党支部 2024年度民主评议党员测评票" in pages(out)[0]
    assert "3 份" in run(branch, "evaluation-ballot", out, branch="B01", year=2025, copies=3)
    assert len(pages(out)) == 3


def test_the_tally_sheet(branch, tmp_path):
    out = tmp_path / "表.pdf"
    run(branch, "evaluation-tally", out, branch="B01", year=2025)
    text = "\n".join(pages(out))
    assert "发出测评票 2 张，收回 2 张" in text and "100.0%" in text and "50.0%" in text


def test_a_missing_or_unknown_branch_is_one_clear_line(branch, tmp_path):
    with pytest.raises(CliError) as e:
        run(branch, "evaluation-tally", tmp_path / "x.pdf", year=2025)
    assert "--branch" in str(e.value)
    with pytest.raises(CliError) as e:
        run(branch, "evaluation-ballot", tmp_path / "x.pdf", branch="第九网格党支部", year=2025)
    assert "找不到党支部“第九网格党支部”；本库的党支部：第一网格党支部（B01）" in str(e.value)
    with pytest.raises(CliError) as e:  # a name as remembered is met with the branches it may mean
        run(branch, "evaluation-tally", tmp_path / "x.pdf", branch="第一网格", year=2025)
    assert "找不到党支部“第一网格”，是不是：第一网格党支部（B01）" in str(e.value)
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_line(branch, tmp_path, capsys):
    from desktop_app.cli import main

    out = tmp_path / "票.pdf"
    assert main(["report", "evaluation-ballot", "--db", branch, "--branch", "B01", "--year", "2025",
                 "--copies", "4", "--out", str(out)]) == 0
    assert "4 份" in capsys.readouterr().out and len(pages(out)) == 4
    assert main(["report", "evaluation-tally", "--db", branch, "--branch", "第一网格党支部", "--year", "2025",
                 "--out", str(out)]) == 0
    assert main(["report", "evaluation-tally", "--db", branch, "--year", "2025", "--out", str(out)]) != 0
    assert "--branch" in capsys.readouterr().err


def test_a_year_with_nothing_counted_is_one_clear_line_and_no_file(branch, tmp_path, capsys):
    from desktop_app.cli import main

    out = tmp_path / "表.pdf"
    assert main(["report", "evaluation-tally", "--db", branch, "--branch", "B01", "--year", "2019",
                 "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "第一网格党支部 2019 年度还没有登记民主测评票数" in err and "Traceback" not in err
    assert not out.exists()


def test_without_year_the_reports_take_the_year_the_page_opens_on(branch, tmp_path, capsys):
    """In December the page showed this year's 民主评议 while the 测评票 and 统计表 printed last year's."""
    from desktop_app.cli import main
    from desktop_app.domain.evaluation_votes import usual_year

    year = usual_year(date.today())
    out = tmp_path / "票.pdf"
    assert main(["report", "evaluation-ballot", "--db", branch, "--branch", "B01", "--out", str(out)]) == 0
    assert f"{year} 年度测评票" in capsys.readouterr().out
    assert f"第一网格党支部 {year}年度民主评议党员测评票" in pages(out)[0]
    assert main(["report", "evaluation", "--db", branch, "--out", str(out)]) == 0
    assert f"{year} 年度民主评议党员结果汇总表" in capsys.readouterr().out


def test_without_copies_as_many_ballots_as_the_page_prints_the_issued_or_one_a_member(branch, tmp_path):
    """打印测评票 on the page prints the 发出 entered; the command line printed one a member all the same."""
    db = open_db(argparse.Namespace(db=branch, db_url=None))
    try:
        b = next(n for n in orgs.list_tree(db) if n.code == "B01").id
        votes = [VoteEntry(r.row.member_id, *r.tally.counts()) for r in evaluation_votes.tallies(db, b, 2025).rows]
        evaluation_votes.save(db, b, 2025, [], BallotInfo(3, 2), votes)
    finally:
        db.dispose()
    out = tmp_path / "票.pdf"
    assert "3 份（按登记的发出张数）" in run(branch, "evaluation-ballot", out, branch="B01", year=2025)
    assert len(pages(out)) == 3
