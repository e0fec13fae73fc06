"""The year-end folder's 活动照片 on a real SQLite file: the photos of the year's 共建活动 and 微心愿 in the PDF
(upright, scaled down), a lost or false photo named instead of stopping the folder, and the way to leave
them out (the service's flag, `dangqun report annual --no-photos`)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.domain.service_flow import WishInput
from desktop_app.services import attachments, overview, wishes
from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import ActivityInput
from tests.integration.test_cobuilding_service import town  # noqa: F401 - fixture
from tests.integration.test_wish_photos import photo

TODAY = date(2026, 6, 28)


def phone_photo(folder: Path, name: str, size=(4000, 3000), orientation: int | None = None) -> Path:
    """A camera-sized JPEG (noise, so it does not compress to nothing), optionally lying on its side in EXIF."""
    from PIL import Image

    im = Image.effect_noise(size, 60).convert("RGB")
    exif = Image.Exif()
    exif[306] = "2026:05:01 09:30:00"
    if orientation:
        exif[0x0112] = orientation
    path = folder / name
    im.save(path, "JPEG", quality=90, exif=exif)
    return path


def activity(db, town, title: str, day: date) -> str:  # noqa: F811
    return cb.record_activity(db, ActivityInput(activity_date=day, kind="义诊", title=title, residents_served=30,
                                                org_ids=[town["g1"]], unit_ids=[town["hospital"]]), TODAY).id


def images_per_page(reader: PdfReader) -> list[list[tuple[int, int]]]:
    """The size (pixels) of each image drawn on each page."""
    return [[(i.image.width, i.image.height) for i in page.images] for page in reader.pages]


def chapter_pages(reader: PdfReader, title: str) -> int:
    """The page (1-based) the outline's chapter ending in `title` starts on."""
    for item in reader.outline:
        if not isinstance(item, list) and item.title.endswith(title):
            return reader.get_destination_page_number(item) + 1
    raise AssertionError(f"no chapter {title}")


def test_the_years_photos_are_printed_after_the_lists_upright_and_scaled(db, town, tmp_path):  # noqa: F811
    clinic = activity(db, town, "义诊进社区", date(2026, 5, 1))
    activity(db, town, "没有照片的活动", date(2026, 5, 8))
    cb.add_photos(db, clinic, [phone_photo(tmp_path, "现场.jpg"), phone_photo(tmp_path, "侧躺.jpg", orientation=6),
                               photo(tmp_path, "签到表.png", size=(300, 200))])
    w = wishes.post_wish(db, WishInput(wisher_name="李奶奶", content="想要一台收音机听戏", posted_on=date(2026, 5, 2)), TODAY)
    wishes.add_photo(db, w.id, photo(tmp_path, "心愿卡.png", color="blue", size=(200, 300)))

    folder = overview.annual_folder(db, 2026, TODAY)
    assert [g.heading for g in folder.photos.groups] == [
        "2026-05-01　义诊　义诊进社区", f"2026-05-02　微心愿 {w.wish_no}　想要一台收音机听戏"]
    assert "共建活动 1 次、微心愿 1 个存有照片，共 4 张" in folder.photos.summary

    data = overview.print_annual_folder(db, 2026, tmp_path / "台账.pdf", today=TODAY)
    reader = PdfReader(BytesIO(data))
    start = chapter_pages(reader, "活动照片")
    assert start == len(reader.pages) - 1  # after every list; three rows of photos and three headings: two pages
    sizes = [s for page in images_per_page(reader)[start - 1:] for s in page]
    # the phone photos at most 1280 px on their long side; the one shot sideways stands upright
    assert sorted(sizes) == [(200, 300), (300, 200), (960, 1280), (1280, 960)]
    assert all(not s for s in images_per_page(reader)[: start - 1])  # no photo before the chapter
    text = "".join(p.extract_text() for p in reader.pages[start - 1:]).replace(" ", "")
    assert "拍摄2026-05-01" in text and "现场.jpg" in text and "心愿卡.png" in text
    titles = [i.title.split() for i in reader.outline if isinstance(i, list) for i in i]
    assert ["2026-05-01", "义诊", "义诊进社区"] in titles  # each group is in the outline (and the contents)
    assert "活动照片" in reader.pages[1].extract_text()  # the contents name the chapter
    assert len(data) < 2_000_000


def test_a_lost_or_false_photo_is_named_not_a_crash(db, town, tmp_path):  # noqa: F811
    clinic = activity(db, town, "义诊进社区", date(2026, 5, 1))
    kept = cb.add_photos(db, clinic, [photo(tmp_path, "留着.png"), photo(tmp_path, "丢了.png"),
                                      photo(tmp_path, "坏了.jpg", "JPEG")])
    attachments.path_of(kept[1].stored_name).unlink()
    broken = attachments.path_of(kept[2].stored_name)
    broken.write_bytes(broken.read_bytes()[:40])  # a JPEG by its first bytes, but cut short
    folder = overview.annual_folder(db, 2026, TODAY)
    assert [p.path is None for p in folder.photos.groups[0].photos] == [False, True, False]

    reader = PdfReader(BytesIO(overview.print_annual_folder(db, 2026, tmp_path / "台账.pdf", today=TODAY)))
    last = reader.pages[-1]
    text = last.extract_text().replace(" ", "")
    assert "照片文件缺失：丢了.png" in text and "照片文件缺失：坏了.jpg" in text
    assert "其中2张的文件不在本机数据文件夹中或无法作为照片读取" in text  # the one cut short counts too
    assert len(last.images) == 1


def test_photos_left_out_and_a_year_without_photos_has_no_chapter(db, town, tmp_path):  # noqa: F811
    clinic = activity(db, town, "义诊进社区", date(2026, 5, 1))
    activity(db, town, "宣讲", date(2026, 5, 8))
    assert overview.annual_folder(db, 2026, TODAY).photos is None  # no photo kept: no chapter, no query
    cb.add_photo(db, clinic, photo(tmp_path, "现场.png"))
    assert overview.annual_folder(db, 2026, TODAY, photos=False).photos is None
    reader = PdfReader(BytesIO(overview.print_annual_folder(db, 2026, today=TODAY, photos=False)))
    assert not any(i.title.endswith("活动照片") for i in reader.outline if not isinstance(i, list))
    assert not any(p.images for p in reader.pages)


def test_cli_prints_the_photos_unless_told_not_to(db, town, tmp_path, capsys):  # noqa: F811
    clinic = activity(db, town, "义诊进社区", date(2026, 5, 1))
    cb.add_photo(db, clinic, photo(tmp_path, "现场.png"))
    path = db.path or db.url
    with_photos, without = tmp_path / "有照片.pdf", tmp_path / "无照片.pdf"
    assert main(["report", "annual", "--db", str(path), "--year", "2026", "--out", str(with_photos)]) == 0
    assert main(["report", "annual", "--db", str(path), "--year", "2026", "--no-photos", "--out", str(without)]) == 0
    assert any(p.images for p in PdfReader(with_photos).pages)
    assert not any(p.images for p in PdfReader(without).pages)
