"""党员花名册 PDF: text, masking, page furniture, embedded font, page size, safe output."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain.idcard import MALE, FEMALE, make, mask, mask_phone
from desktop_app.reports.fonts import ENV_VAR, register_cjk_font, shipped_font_path
from desktop_app.reports.roster import RosterLine, render_roster

CENTER = "幸福里社区党委"
BRANCHES = ("第一网格党支部", "第二网格党支部", "离退休党支部")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def make_line(i: int) -> RosterLine:
    gender = MALE if i % 2 else FEMALE
    born = date(1940 + i % 60, 1 + i % 12, 1 + i % 28)
    joined = date(born.year + 22, 7, 1)
    probationary = i % 10 == 0
    return RosterLine(
        name=SURNAMES[i % 20] + GIVEN[i // 20],  # unique for i < 400
        gender=gender,
        ethnicity="汉族" if i % 7 else "回族",
        birth_date=born,
        education=("大学本科", "大专", "高中", "硕士研究生")[i % 4],
        category="预备党员" if probationary else "正式党员",
        joined_date=joined,
        confirmed_date=None if probationary else date(joined.year + 1, 7, 1),
        id_number=make("320102", born, i, gender),
        mobile=f"1391234{i:04d}",
        job=("退休", "社区网格员", "某科技有限公司软件工程师兼党支部组织委员")[i % 3],
    )


def make_groups(total: int, branches: tuple[str, ...] = BRANCHES) -> list[tuple[str, list[RosterLine]]]:
    lines = [make_line(i) for i in range(total)]
    per = -(-total // len(branches))
    return [(name, lines[k * per:(k + 1) * per]) for k, name in enumerate(branches)]


@pytest.fixture
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    info = register_cjk_font()
    assert Path(info.path).samefile(shipped_font_path())
    return info


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def test_roster_of_120_members_in_3_branches(tmp_path, shipped_font):
    groups = make_groups(120)
    out = tmp_path / "花名册.pdf"
    data = render_roster(CENTER, groups, out, printed_on=date(2024, 5, 6))
    assert out.read_bytes() == data

    reader = PdfReader(BytesIO(data))
    texts = [page.extract_text() for page in reader.pages]
    text = "\n".join(texts)
    total = len(reader.pages)
    assert total > 1

    for branch, lines in groups:
        assert f"{branch}（{len(lines)} 名）" in text
        for line in lines:
            assert line.name in text
            assert mask(line.id_number) in text
            assert line.id_number not in text  # never the full number
            assert mask_phone(line.mobile) in text
            assert line.mobile not in text
    assert CENTER in text
    assert "打印日期：2024年5月6日" in text
    for number, page_text in enumerate(texts, start=1):
        assert f"第 {number} 页 / 共 {total} 页" in page_text
        assert "党员花名册" in page_text and CENTER in page_text  # header on every page
        assert "序号" in page_text  # the column header repeats on every page

    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 842) <= 1 and abs(height - 595) <= 1  # A4 landscape

    descriptors = [
        font.get_object()["/FontDescriptor"].get_object()
        for font in reader.pages[0]["/Resources"]["/Font"].values()
        if "/FontDescriptor" in font.get_object()
    ]
    assert any("/FontFile2" in d for d in descriptors), "the CJK font must be embedded"


def test_long_branch_has_one_header_per_page(shipped_font):
    # 200 rows are laid out as 40-row chunks; a chunk starting mid-page must not
    # repeat the header there, and every new page must show it.
    data = render_roster(CENTER, make_groups(200, ("第一网格党支部",)), printed_on=date(2024, 5, 6))
    texts = page_texts(data)
    assert len(texts) >= 5
    assert [t.count("序号") for t in texts] == [1] * len(texts)
    joined = "\n".join(texts)
    assert all(make_line(i).name in joined for i in range(200))


def test_empty_roster_still_renders(shipped_font):
    text = "\n".join(page_texts(render_roster(CENTER, [], printed_on=date(2024, 5, 6))))
    assert "暂无党员" in text and "第 1 页 / 共 1 页" in text


class Cancelled(Exception):
    pass


def _cancel_on_page(n: int):
    def progress(page: int) -> None:
        if page >= n:
            raise Cancelled
    return progress


def test_failed_render_leaves_no_file(tmp_path, shipped_font):
    out = tmp_path / "roster.pdf"
    with pytest.raises(Cancelled):
        render_roster(CENTER, make_groups(120), out, printed_on=date(2024, 5, 6), progress=_cancel_on_page(2))
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temp file left behind either


def test_failed_render_keeps_the_previous_file(tmp_path, shipped_font):
    out = tmp_path / "roster.pdf"
    out.write_bytes(b"%PDF- the previous roster")
    with pytest.raises(Cancelled):
        render_roster(CENTER, make_groups(120), out, printed_on=date(2024, 5, 6), progress=_cancel_on_page(3))
    assert out.read_bytes() == b"%PDF- the previous roster"
    assert list(tmp_path.iterdir()) == [out]
