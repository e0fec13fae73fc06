"""Several meetings' 签到表 in one PDF: the service's batch door and `dangqun report signin` over many meetings.

Each sheet starts on a page of its own and counts its own pages and codes, so the PDF prints (and scans
back) as the sheets would one by one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import DomainError
from desktop_app.domain.idcard import MALE, make
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster
from desktop_app.services import meetings as ms
from desktop_app.views.signin_scan import SheetCode


def _branch_with_meetings(db, titles_days: list[tuple[str, int]], members: int = 3):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    for i in range(members):
        roster.create(db, MemberInput(name=f"党员{'甲乙丙丁戊'[i]}", org_id=branch.id,
                                      id_number=make("320102", date(1980, 1, 1 + i), i, MALE),
                                      joined_date=date(2005, 7, 1), mobile=f"1391234{i:04d}"), today=date(2024, 5, 1))
    return branch, [ms.plan(db, ms.MeetingInput(org_id=branch.id, kind=rules.BRANCH_CONGRESS, title=title,
                                                meeting_date=date(2024, 6, day)))
                    for title, day in titles_days]


def _pages(pdf) -> list[str]:
    return [p.extract_text() for p in PdfReader(pdf).pages]


def test_sheets_print_into_one_pdf_each_from_its_own_page(db, tmp_path):
    _branch, (first, second) = _branch_with_meetings(db, [("学习", 1), ("部署", 2)])
    seen: list[tuple[int, int]] = []
    out = tmp_path / "签到表.pdf"
    data = ms.print_signin_sheets(db, [second.number, first.number], out, printed_on=date(2024, 5, 30),
                                  font_path="", progress=lambda page, pages: seen.append((page, pages)))
    assert out.read_bytes() == data
    pages = _pages(out)
    assert len(pages) == 2 and seen == [(1, 2), (2, 2)]  # a short sheet is one page; in the order asked
    assert "部署" in pages[0] and second.number in pages[0] and "学习" in pages[1] and first.number in pages[1]
    for text in pages:
        assert "党员甲" in text and "第1页/共1页" in text.replace(" ", "")
    # The same pages as printed one by one (the scan reader finds each by its own code).
    ms.print_signin_sheet(db, first.number, tmp_path / "one.pdf", printed_on=date(2024, 5, 30), font_path="")
    assert _pages(tmp_path / "one.pdf") == pages[1:]
    with pytest.raises(DomainError):
        ms.print_signin_sheets(db, [], font_path="")


def test_a_batch_cancels_between_pages(db):
    _branch, meetings = _branch_with_meetings(db, [("学习", 1), ("部署", 2), ("总结", 3)])

    class Stop(Exception):
        pass

    def stop_at_second(page: int, pages: int) -> None:
        if page == 2:
            raise Stop

    with pytest.raises(Stop):
        ms.print_signin_sheets(db, [m.number for m in meetings], font_path="", progress=stop_at_second)


def test_the_batch_codes_number_each_sheets_own_pages(db):
    from desktop_app.reports.signin import SigninReport

    _branch, meetings = _branch_with_meetings(db, [("学习", 1), ("部署", 2)], members=0)
    sheets = ms.signin_sheets_of(db, [m.number for m in meetings])
    long = replace(sheets[0], lines=tuple(ms.SigninLine(f"党员{i}", "", "", "", "") for i in range(40)))
    report = SigninReport([long, sheets[1]], font_path="")
    report.render()
    codes = [code for _i, code in report._pages]
    assert [(c.number, c.page, c.pages) for c in codes] == [
        (meetings[0].number, 1, 2), (meetings[0].number, 2, 2), (meetings[1].number, 1, 1)]
    assert all(SheetCode.parse(c.text()) == c for c in codes)


@pytest.mark.sqlite_only
def test_report_signin_prints_many_meetings_by_number_or_by_period(db, tmp_path, capsys):
    branch, meetings = _branch_with_meetings(db, [("学习", 1), ("部署", 2), ("总结", 3)])
    ms.cancel(db, meetings[2].id, "改期")
    path = str(tmp_path / "test.db")
    out = tmp_path / "签到表.pdf"

    # --meeting NO,NO: those meetings in that order
    assert main(["report", "signin", "--db", path, "--out", str(out),
                 "--meeting", f"{meetings[1].number},{meetings[0].number}"]) == 0
    assert "2 次会议的签到表" in capsys.readouterr().out
    pages = _pages(out)
    assert [("部署" in p, "学习" in p) for p in pages] == [(True, False), (False, True)]

    # --meeting given again: the same, as a user who repeats the flag expects (not only the last one)
    assert main(["report", "signin", "--db", path, "--out", str(out),
                 "--meeting", meetings[1].number, "--meeting", meetings[0].number]) == 0
    pages = _pages(out)
    assert [("部署" in p, "学习" in p) for p in pages] == [(True, False), (False, True)]

    # a period and an organisation: the meetings `dangqun meetings` lists there, the cancelled one left out
    assert main(["report", "signin", "--db", path, "--out", str(out), "--from", "2024-06-01", "--to", "2024-06-30",
                 "--org", branch.id]) == 0
    pages = _pages(out)
    assert len(pages) == 2 and not any("总结" in p for p in pages)
    assert main(["report", "signin", "--db", path, "--out", str(out), "--year", "2024"]) == 0
    assert len(_pages(out)) == 2

    # one meeting prints as before
    assert main(["report", "signin", "--db", path, "--out", str(out), "--meeting", meetings[0].number]) == 0
    assert len(_pages(out)) == 1

    # refused with one line: both ways at once, nothing chosen, an empty period
    capsys.readouterr()
    assert main(["report", "signin", "--db", path, "--out", str(out), "--meeting", meetings[0].number,
                 "--year", "2024"]) == 2
    assert main(["report", "signin", "--db", path, "--out", str(out)]) == 2
    assert main(["report", "signin", "--db", path, "--out", str(out), "--year", "2023"]) == 2
    err = capsys.readouterr().err
    assert "不能同时使用" in err and "此报表需要 --meeting" in err and "没有会议" in err and "Traceback" not in err


def test_meeting_refs_take_repeats_and_commas():
    from desktop_app.cli.meetings import meeting_refs

    assert meeting_refs(None) == []
    assert meeting_refs("2024-0001, 2024-0002，2024-0001") == ["2024-0001", "2024-0002"]
    assert meeting_refs(["2024-0003", "2024-0001,2024-0003"]) == ["2024-0003", "2024-0001"]


def test_a_batch_printed_signed_and_scanned_reads_back_as_its_meetings(db, tmp_path):
    import random

    from PIL import Image

    from tests import scan_samples as samples

    _branch, meetings = _branch_with_meetings(db, [("学习", 1), ("部署", 2)], members=4)
    dpi = 200
    pages = samples.raster(ms.print_signin_sheets(db, [m.number for m in meetings]), dpi)
    signed = []
    for i, page in enumerate(pages):
        code = SheetCode.parse(samples.read_qr(page))
        img, _truth = samples.sign_page(page, code, 4, dpi, random.Random(i), p_signed=1.0)
        signed.append(Image.fromarray(img))
    feeder = tmp_path / "feeder.pdf"
    signed[0].save(feeder, save_all=True, append_images=signed[1:], resolution=dpi)
    proposal = ms.read_scan(db, feeder)
    assert [(s.meeting_id, s.scan_page, s.page, s.pages) for s in proposal.sheets] == [
        (meetings[0].id, 1, 1, 1), (meetings[1].id, 2, 1, 1)]
    assert all([line.state for line in s.lines] == ["签到"] * 4 for s in proposal.sheets)
