"""签到表, 会议记录 and 民主评议 PDFs: read back with pypdf — names, the meeting's number, every page."""

from datetime import date, time
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.reports.fonts import ENV_VAR, register_cjk_font, shipped_font_path
from desktop_app.reports.signin import render_signin
from desktop_app.services import evaluations, orgs, roster
from desktop_app.services import meetings as ms
from desktop_app.views.meetings import SigninLine, SigninSheet
from desktop_app.views.signin_scan import SheetCode

TODAY = date(2025, 5, 20)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    """The font with no Latin glyphs: digits must still come out (drawn by the Latin companion)."""
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    info = register_cjk_font()
    assert Path(info.path).samefile(shipped_font_path())
    return info


def texts(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(BytesIO(data)).pages]


def qr_texts(data: bytes) -> list[str]:
    """The QR code of each page, read off the rasterised page as a scanner would."""
    import pypdfium2 as pdfium
    import zxingcpp

    pdf = pdfium.PdfDocument(data)
    return [zxingcpp.read_barcodes(pdf[i].render(scale=150 / 72, grayscale=True).to_numpy())[0].text
            for i in range(len(pdf))]


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    g = orgs.create(db, "第一党小组", "G01", "group", b.id)
    ids = []
    for i in range(60):
        born = date(1940 + i % 40, 1 + i % 12, 1 + i % 28)
        d = roster.create(db, MemberInput(
            name=SURNAMES[i % 20] + GIVEN[i // 20], org_id=g.id if i % 2 else b.id,
            id_number=idcard.make("320102", born, i, idcard.MALE if i % 2 else idcard.FEMALE),
            joined_date=date(born.year + 25, 7, 1), confirmed_date=date(born.year + 26, 7, 1),
            mobile=f"1391234{i:04d}",
        ), today=TODAY)
        ids.append(d.id)
    return db, b.id, ids


def test_signin_sheet_of_60_members_reads_back(branch, tmp_path):
    db, b, ids = branch
    d = ms.plan(db, ms.MeetingInput(org_id=b, kind=r.BRANCH_CONGRESS, title="学习贯彻党的二十届三中全会精神",
                                    meeting_date=date(2025, 6, 6), start_time=time(19, 30), end_time=time(21, 0),
                                    place="党群服务中心二楼", host="王伟"),
                guests=[ms.Guest("周书记", "梅园街道党工委")], today=TODAY)
    ms.record_attendance(db, d.id, [ms.AttendanceEntry(r.LEAVE, "外出就医", member_id=ids[4])],
                         mark_held=False, today=TODAY)
    out = tmp_path / "签到表.pdf"
    data = ms.print_signin_sheet(db, d.number, out, show_phones=True, printed_on=TODAY)
    assert out.read_bytes() == data
    pages = texts(data)
    assert len(pages) == 3
    whole = "\n".join(pages)
    for i in range(60):
        assert SURNAMES[i % 20] + GIVEN[i // 20] in whole
        assert f"1391234{i:04d}" not in whole  # phones masked
    assert "139****0004" in whole and "外出就医" in whole and "周书记" in whole
    for n, page in enumerate(pages, start=1):
        # the header, the number and the table header on every page; page X of Y
        assert "第一网格党支部党员大会签到表" in page
        assert d.number in page
        assert "学习贯彻党的二十届三中全会精神" in page and "党群服务中心二楼" in page
        assert "序号" in page and "签到" in page and "所在党小组" in page
        assert f"第 {n} 页 / 共 3 页" in page
        assert "幸福里社区党委" in page
    assert "应到：60 人" in pages[0]
    assert "2025年6月6日 19:30—21:00" in pages[0]
    assert "记录人（签字）" in pages[-1]
    # the meeting's lines: one form every page shows; one QR code per page, drawn in the page itself as
    # filled rectangles (no image to blur), each naming the meeting, its page and rows (for the scan reader)
    reader = PdfReader(BytesIO(data))
    forms = [set((p["/Resources"].get("/XObject") or {}).keys()) for p in reader.pages]
    assert all(len(f) == 1 for f in forms) and len(set.union(*forms)) == 1
    assert all(" re\n" in p.get_contents().get_data().decode("latin-1") for p in reader.pages)
    codes = [SheetCode.parse(t) for t in qr_texts(data)]
    assert [(c.number, c.page, c.pages, c.first, c.show_phones) for c in codes] == [
        (d.number, n, 3, 1 + (n - 1) * codes[0].rows, True) for n in (1, 2, 3)]
    # the meeting is found again by the number on the sheet
    assert ms.resolve(db, d.number) == d.id


def test_signin_fills_the_last_page_with_blank_rows(tmp_path):
    sheet = SigninSheet("幸福里社区党委", "第一网格党支部", r.PARTY_LECTURE, "廉政党课", "320102001-2025-0008",
                        date(2025, 6, 6), lines=tuple(SigninLine(f"党员{c}") for c in "甲乙丙"))
    data = render_signin(sheet, printed_on=TODAY)
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "党员甲" in text and "320102001-2025-0008" in text and "廉政党课" in text
    assert "联系电话" not in text  # phones only when asked for
    # a full page: rows numbered up to the members only; the rest blank
    assert "\n4\n" not in f"\n{text}\n"


def test_a_long_list_gets_a_blank_page_for_walk_ins_only_when_needed(tmp_path):
    per_page = 27
    lines = tuple(SigninLine(f"党员{i:03d}") for i in range(per_page * 2 - 2 - 4))  # exactly fills 2 pages
    data = render_signin(SigninSheet("幸福里社区党委", "第一网格党支部", r.THEME_DAY, "", "N-1", date(2025, 6, 6),
                                     lines=lines), printed_on=TODAY)
    assert len(PdfReader(BytesIO(data)).pages) == 2
    more = lines + (SigninLine("党员甲"),)
    data = render_signin(SigninSheet("幸福里社区党委", "第一网格党支部", r.THEME_DAY, "", "N-1", date(2025, 6, 6),
                                     lines=more), printed_on=TODAY)
    assert len(PdfReader(BytesIO(data)).pages) == 3


def test_meeting_record_prints_attendance_minutes_and_quorum(branch, tmp_path):
    db, b, ids = branch
    d = ms.plan(db, ms.MeetingInput(org_id=b, kind=r.BRANCH_CONGRESS, title="发展党员表决",
                                    meeting_date=date(2025, 5, 8), host="王伟", recorder="李芳"),
                guests=[ms.Guest("周书记", "梅园街道党工委")], today=TODAY)
    entries = [ms.AttendanceEntry(r.PRESENT, member_id=m) for m in ids[:20]]
    entries += [ms.AttendanceEntry(r.LEAVE, "外出务工", member_id=ids[20])]
    entries += [ms.AttendanceEntry(r.GUEST, guest_name="周书记")]
    ms.record_attendance(db, d.id, entries, minutes="一、讨论接收预备党员。\n二、表决通过。", today=TODAY)
    scan = tmp_path / "签到表扫描件.jpg"
    scan.write_bytes(b"jpeg")
    ms.add_attachment(db, d.id, scan)
    out = tmp_path / "会议记录.pdf"
    text = "\n".join(texts(ms.print_meeting_record(db, d.id, out, printed_on=TODAY)))
    assert out.exists()
    assert "第一网格党支部党员大会会议记录" in text and d.number in text and "发展党员表决" in text
    assert "应到 60 人，实到 20 人，请假 1 人，缺席 39 人，列席 1 人" in text
    assert "出席率 33.3%" in text
    assert "未达到法定人数" in text  # 20 of 60 with a vote
    assert "外出务工" in text and "周书记（梅园街道党工委）" in text
    assert "一、讨论接收预备党员。" in text and "二、表决通过。" in text
    assert "签到表扫描件.jpg" in text
    assert "主持人（签字）" in text


def test_evaluation_summary_counts_per_branch(branch, tmp_path):
    db, b, ids = branch
    grades = ["优秀"] * 10 + ["合格"] * 45 + ["基本合格"] * 3 + ["不合格"]
    evaluations.save(db, b, 2024, [evaluations.EvaluationEntry(m, g) for m, g in zip(ids, grades)])
    out = tmp_path / "民主评议.pdf"
    pages = texts(evaluations.print_evaluation(db, 2024, out, printed_on=TODAY))
    text = "\n".join(pages)
    assert "幸福里社区党委2024年度民主评议党员结果汇总表" in text
    assert "第一网格党支部（60 名）" in text
    # 参评 59, 优秀 10, 合格 45, 基本合格 3, 不合格 1, 未评议 1, 优秀率 10/59
    assert "59 10 45 3 1 1 16.9%" in text.replace("\n", " ")
    assert SURNAMES[0] + GIVEN[0] in text and "未评议" in text
    assert f"第 1 页 / 共 {len(pages)} 页" in pages[0]
