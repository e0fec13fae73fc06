"""微心愿 photos on real SQLite files with every migration: kept with the wish or refused whole
(missing, not a JPEG or PNG by its content), taken off again, only by whoever may write the wish."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.service_flow import WishInput
from desktop_app.services import auth, wishes
from desktop_app.services.auth import PermissionDenied
from desktop_app.settings import data_dir
from desktop_app.store.models_access import AuditEntry
from tests.integration.test_roles import PASSWORD, fast_kdf, town  # noqa: F401  fixtures

TODAY = date(2026, 6, 15)


def photo(folder: Path, name: str, fmt: str = "PNG", color: str = "red", size: tuple[int, int] = (40, 30)) -> Path:
    """A small real image written by Qt (no image files are kept in the repository)."""
    from PySide6.QtGui import QColor, QImage

    img = QImage(*size, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    path = folder / name
    assert img.save(str(path), fmt)
    return path


def kept_files() -> list[Path]:
    folder = data_dir() / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def trail(db, table: str, row_id: str) -> list[AuditEntry]:
    """The audit entries of one row."""
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)))


@pytest.fixture
def wish(db, town):  # noqa: F811
    auth.login(db, "admin", PASSWORD)
    w = wishes.post_wish(db, WishInput(resident_id=town["r1"], content="想要一台收音机听戏",
                                       posted_on=date(2026, 5, 2)), TODAY)
    return w


def test_photos_are_kept_shown_counted_and_taken_off(db, wish, tmp_path):
    card = photo(tmp_path, "心愿卡.png")
    handover = photo(tmp_path, "送收音机.JPG", "JPEG", "blue")
    rows = wishes.add_photos(db, wish.id, [card, handover])
    assert [r.file_name for r in rows] == ["心愿卡.png", "送收音机.JPG"]
    detail = wishes.get_wish(db, wish.id)
    assert [p.file_name for p in detail.photos] == ["心愿卡.png", "送收音机.JPG"]
    assert wishes.photo_path(db, rows[1].id).read_bytes() == handover.read_bytes()
    assert all(p.stored_name.startswith("wishes/2026/") for p in detail.photos)
    assert [r.photos for r in wishes.list_wishes(db) if r.id == wish.id] == [2]

    wishes.remove_photo(db, rows[0].id)
    assert [p.file_name for p in wishes.get_wish(db, wish.id).photos] == ["送收音机.JPG"]
    assert [r.photos for r in wishes.list_wishes(db) if r.id == wish.id] == [1]
    with pytest.raises(NotFound):
        wishes.remove_photo(db, rows[0].id)
    assert len(trail(db, "wish_photo", rows[0].id)) == 2  # the photo's arrival and its removal (before and after)

    wishes.delete_wish(db, wish.id)  # the wish's photos go with it
    with pytest.raises(NotFound):
        wishes.photo_path(db, rows[1].id)


def test_a_renamed_program_is_refused_and_nothing_is_kept(db, wish, tmp_path):
    good = photo(tmp_path, "合影.png")
    hostile = tmp_path / "照片.jpg"
    hostile.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)  # a Windows program renamed .jpg
    with pytest.raises(ValidationError) as e:
        wishes.add_photos(db, wish.id, [good, hostile])
    assert "照片.jpg：不是 JPEG 或 PNG 照片" in e.value.message and "2 个文件都没有添加" in e.value.message
    assert "合影.png" not in e.value.message
    assert wishes.get_wish(db, wish.id).photos == ()
    assert kept_files() == []


def test_a_hostile_name_stays_inside_the_data_folder(db, wish, tmp_path):
    odd = photo(tmp_path, 'a..b<>:"|?*.png')
    row = wishes.add_photo(db, wish.id, odd)
    stored = wishes.photo_path(db, row.id)
    assert stored.resolve().is_relative_to((data_dir() / "attachments").resolve())
    assert not any(ch in stored.name for ch in '<>:"|?*')


def test_a_failed_record_keeps_no_file(db, wish, tmp_path, monkeypatch):
    from desktop_app.store import models_service

    def broken(**_kw):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(wishes, "WishPhoto", broken)
    assert models_service.WishPhoto is not broken
    with pytest.raises(RuntimeError):
        wishes.add_photo(db, wish.id, photo(tmp_path, "a.png"))
    assert kept_files() == []


def test_a_too_big_photo_is_refused(db, wish, tmp_path, monkeypatch):
    monkeypatch.setattr(wishes, "MAX_PHOTO_BYTES", 100)
    with pytest.raises(ValidationError) as e:
        wishes.add_photo(db, wish.id, photo(tmp_path, "大图.png", size=(400, 400)))
    assert "大图.png：文件超过" in e.value.message
    assert kept_files() == []


def test_photos_need_the_right_to_write_the_wish(db, wish, town, tmp_path):  # noqa: F811
    row = wishes.add_photo(db, wish.id, photo(tmp_path, "a.png"))
    other = wishes.post_wish(db, WishInput(resident_id=town["r2"], content="想学用智能手机",
                                           posted_on=date(2026, 5, 3)), TODAY)
    for login in ("street", "grid1"):  # a 只读 account; a 网格员 of the other grid for `other`
        auth.login(db, login, PASSWORD)
        target = wish.id if login == "street" else other.id
        with pytest.raises(PermissionDenied):
            wishes.add_photo(db, target, photo(tmp_path, "b.png"))
        if login == "street":
            with pytest.raises(PermissionDenied):
                wishes.remove_photo(db, row.id)
            assert wishes.photo_path(db, row.id).is_file()  # reading is allowed
    assert len(kept_files()) == 1
    auth.login(db, "grid1", PASSWORD)  # their own grid's wish
    wishes.add_photo(db, wish.id, photo(tmp_path, "c.png"))
    assert wishes.get_wish(db, wish.id).state == flow.WISH_POSTED
    assert len(wishes.get_wish(db, wish.id).photos) == 2


def test_the_printed_list_counts_each_wishs_photos(db, wish, tmp_path):
    from pypdf import PdfReader

    wishes.add_photos(db, wish.id, [photo(tmp_path, "a.png"), photo(tmp_path, "b.png", "JPEG")])
    out = tmp_path / "list.pdf"
    wishes.print_wish_list(db, out, today=TODAY)
    text = "".join(PdfReader(out).pages[0].extract_text().split())
    assert "实现日期照片" in text and "想要一台收音机听戏2026-05-02待认领2填报单位" in text
