"""Printed forms a center files with the street, read back from the real PDF: the 走访记录表 says which
visits it holds, the 会议记录 prints its photos as pictures and keeps 会议内容 with its minutes."""

from __future__ import annotations

import os
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.domain.service_flow import VisitInput
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import attachments, orgs, roster, visits
from desktop_app.services import meetings as ms
from desktop_app.services import residents as res

TODAY = date(2025, 5, 20)


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))


def texts(data: bytes) -> list[str]:
    return ["".join(p.extract_text().split()) for p in PdfReader(BytesIO(data)).pages]


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    ids = []
    for i in range(30):
        born = date(1950 + i, 1 + i % 12, 1 + i % 28)
        ids.append(roster.create(db, MemberInput(
            name=f"党员{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{'一二三'[i // 10]}", org_id=b.id,
            id_number=idcard.make("320102", born, i, idcard.MALE if i % 2 else idcard.FEMALE),
            joined_date=date(born.year + 25, 7, 1), confirmed_date=date(born.year + 26, 7, 1)), today=TODAY).id)
    return db, b.id, ids


def _meeting(db, b: str, ids: list[str], minutes: str) -> str:
    d = ms.plan(db, ms.MeetingInput(org_id=b, kind=r.BRANCH_CONGRESS, title="主题党日",
                                    meeting_date=date(2025, 5, 8), host="党员甲一", recorder="党员乙一"), today=TODAY)
    ms.record_attendance(db, d.id, [ms.AttendanceEntry(r.PRESENT, member_id=m) for m in ids], minutes=minutes,
                         today=TODAY)
    return d.id


def _photo(path: Path, size: tuple[int, int], noise: bool = False) -> Path:
    if noise:  # a phone's full-size photo as a barely compressed file: about 30 MB
        Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, compress_level=1)
    else:
        Image.new("RGB", size, (200, 40, 40)).save(path, quality=90)
    return path


def test_the_record_prints_its_photos_as_pictures_scaled_down(branch, tmp_path):
    db, b, ids = branch
    mid = _meeting(db, b, ids, "一、学习党章。")
    big = _photo(tmp_path / "全体党员合影.png", (3200, 3100), noise=True)
    assert big.stat().st_size > 25_000_000
    small = _photo(tmp_path / "支部书记讲党课.jpg", (800, 1200))
    broken = tmp_path / "志愿服务.jpg"
    broken.write_bytes(b"not a picture at all")
    gone = _photo(tmp_path / "入党宣誓.jpg", (640, 480))
    notice = tmp_path / "会议通知.pdf"
    notice.write_bytes(b"%PDF-1.4 notice")
    kept = ms.add_attachments(db, mid, [big, small, broken, gone, notice])
    attachments.path_of(kept[3].stored_name).unlink()  # lost from the data folder since

    data = ms.print_meeting_record(db, mid, tmp_path / "会议记录.pdf", printed_on=TODAY)
    assert len(data) < 1_500_000  # the 30 MB photo is scaled down before it is embedded
    whole = "".join(texts(data))
    assert "会议照片（4张）" in whole
    # captions by name without the extension; the pictures themselves are in the file
    assert "全体党员合影" in whole and "支部书记讲党课" in whole
    assert "全体党员合影.png" not in whole and "支部书记讲党课.jpg" not in whole
    assert "照片无法读取（文件已损坏，或是HEIC等无法读取的格式）：志愿服务.jpg" in whole
    assert "照片文件缺失（不在本机数据文件夹中）：入党宣誓.jpg" in whole
    assert "附件1.会议通知.pdf" in whole
    images = [x for p in PdfReader(BytesIO(data)).pages
              for x in (p["/Resources"].get("/XObject") or {}).values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 2
    assert max(max(x.get_object()["/Width"], x.get_object()["/Height"]) for x in images) <= 900


def test_a_long_first_paragraph_of_the_minutes_splits_under_its_heading(branch, tmp_path):
    db, b, ids = branch
    first = "第一段开头" + "支部书记传达上级会议精神，结合社区实际逐条部署落实。" * 90 + "第一段结尾"
    mid = _meeting(db, b, ids, f"{first}\n二、表决通过。")
    pages = texts(ms.print_meeting_record(db, mid, tmp_path / "会议记录.pdf", printed_on=TODAY))
    assert len(pages) >= 2
    # the heading and the paragraph's first lines on the first page, the paragraph running on to the next
    assert "会议内容第一段开头" in pages[0]
    assert "第一段结尾" not in pages[0] and "第一段结尾" in "".join(pages[1:])


def test_a_filtered_register_says_what_it_was_filtered_by(db, tmp_path):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    h1 = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h1.id), TODAY).id
    for i, content in enumerate(("厨房水龙头漏水", "楼道灯不亮", "卫生间漏水")):
        visits.log_visit(db, VisitInput(visit_date=date(2025, 5, 1 + i), other_visitors="网格员小刘",
                                        resident_id=wang, category="供水", content=content), today=TODAY)
    out = tmp_path / "visits.pdf"
    flt = visits.VisitFilter(text="漏水", grid_id=g1, open_only=True, date_from=date(2025, 5, 1),
                             date_to=date(2025, 5, 31))
    assert visits.print_visit_register(db, out, flt, today=TODAY) == 2
    (page,) = texts(out.read_bytes())
    assert "筛选：网格第一网格党支部、日期2025年5月1日至2025年5月31日、状态未办结、关键词“漏水”，共2条" in page
    assert "共走访2次" in page

    everything = tmp_path / "all.pdf"
    assert visits.print_visit_register(db, everything, visits.VisitFilter(), today=TODAY) == 3
    (page,) = texts(everything.read_bytes())
    assert "筛选" not in page and "共走访3次" in page


def test_the_signatures_follow_the_minutes_with_their_last_lines_and_the_photos_come_after(branch, tmp_path):
    db, b, ids = branch
    photos = [_photo(tmp_path / f"照片{i}.jpg", (800, 600)) for i in range(4)]
    for lines in range(8, 70, 2):  # the minutes grow until the signatures would open a page of their own
        mid = _meeting(db, b, ids, "\n".join(f"第{i}项：支部书记传达上级会议精神，逐条部署落实。" for i in range(lines)))
        ms.add_attachments(db, mid, photos)
        pages = texts(ms.print_meeting_record(db, mid, tmp_path / f"会议记录{lines}.pdf", printed_on=TODAY))
        whole = "".join(pages)
        signed = next(i for i, p in enumerate(pages) if "主持人（签字）" in p)
        # the signatures vouch for the minutes: after 会议内容, before the photos, never alone atop a page
        assert whole.index(f"第{lines - 1}项") < whole.index("主持人（签字）") < whole.index("会议照片（4张）")
        # the minutes' last two lines go with them
        assert f"第{lines - 2}项" in pages[signed] and f"第{lines - 1}项" in pages[signed], lines
