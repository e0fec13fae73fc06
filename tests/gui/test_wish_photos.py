"""微心愿's photos on the page: 添加照片… keeps them (a renamed program refused and named), the details pane
shows them as thumbnails that open the file, the list counts them, 删除照片 takes one off."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from desktop_app.domain.service_flow import WishInput
from desktop_app.gui.widgets import common, photos
from desktop_app.gui.wishes import page as wish_page
from desktop_app.gui.wishes.page import WishesPage
from desktop_app.services import wishes
from tests.gui.test_service_gui import TODAY, show, town  # noqa: F401  the fixture


def image(path, color: str, size=(160, 120)):
    img = QImage(*size, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    assert img.save(str(path))
    return path


def test_add_show_open_and_remove_a_wishs_photos(qtbot, app_ctx, wait_ops, town, monkeypatch, tmp_path, shot,  # noqa: F811
                                                 error_boxes):
    db = app_ctx.db
    w = wishes.post_wish(db, WishInput(resident_id=town["wang"], content="一台收音机", posted_on=TODAY))
    page = show(qtbot, wait_ops, WishesPage(app_ctx))
    page.resize(1366, 700)
    page.panel.view.selectRow(0)
    wait_ops()
    assert page.act_photos.isEnabled() and not page.act_unphoto.isEnabled()
    assert page.act_unphoto.toolTip() and "还没有照片" in page.act_unphoto.toolTip()

    # a program renamed .jpg among the photos: refused by name, nothing kept
    hostile = tmp_path / "合影.jpg"
    hostile.write_bytes(b"MZ\x90\x00" + bytes(300))
    card, handover = image(tmp_path / "心愿卡.png", "orange"), image(tmp_path / "送收音机.jpg", "teal", (90, 160))
    monkeypatch.setattr(wish_page, "ask_photos", lambda parent: [card, hostile])
    page.add_photos()
    wait_ops()
    refusal = "".join(error_boxes)
    assert "合影.jpg" in refusal and "不是 JPEG 或 PNG" in refusal and "心愿卡.png" not in refusal, refusal
    assert wishes.get_wish(db, w.id).photos == ()

    monkeypatch.setattr(wish_page, "ask_photos", lambda parent: [card, handover])
    page.add_photos()
    wait_ops()
    assert "添加 2 张照片" in page.message.text()
    assert page.panel.model.row(0).photos == 2
    wait_ops()
    html = page.panel.details.text()
    assert html.count("<img") == 2 and 'width="120"' in html and "照片 2 张" in html
    shot(page, "wish_photos_page.png")

    # a click on a thumbnail opens the photo with the system's viewer
    assert_click_opens(page, monkeypatch, wishes.get_wish(db, w.id).photos[0].id, card)

    # 删除照片 asks which one; the list and the pane follow
    assert page.act_unphoto.isEnabled()
    assert remove_the_first(page, monkeypatch, wait_ops) == [f"心愿 {w.wish_no}"]
    assert [p.file_name for p in wishes.get_wish(db, w.id).photos] == ["送收音机.jpg"]
    assert page.panel.model.row(0).photos == 1
    wait_ops()
    assert page.panel.details.text().count("<img") == 1


def assert_click_opens(page, monkeypatch, photo_id: str, source) -> None:
    """A click on the photo's thumbnail opens its file (a copy of `source`) with the system's viewer."""
    opened = []
    monkeypatch.setattr(photos, "open_file", opened.append)
    page.panel.details.linkActivated.emit(f"{photos.PHOTO}{photo_id}")
    assert [p.read_bytes() for p in opened] == [source.read_bytes()]


def remove_the_first(page, monkeypatch, wait_ops) -> list[str]:
    """删除照片 with the first photo chosen; whose photos it asked about."""
    asked = []
    monkeypatch.setattr(photos, "ask_photo_to_remove", lambda parent, shown, whose: asked.append(whose) or shown[0])
    page.remove_photo()
    wait_ops()
    return asked


def test_a_photo_not_on_this_computer_is_named_and_says_why(qtbot, app_ctx, wait_ops, town, monkeypatch, tmp_path):  # noqa: F811
    db = app_ctx.db
    w = wishes.post_wish(db, WishInput(resident_id=town["wang"], content="一副老花镜", posted_on=TODAY))
    kept = wishes.add_photo(db, w.id, image(tmp_path / "老花镜.png", "gray"))
    wishes.photo_path(db, kept.id).unlink()  # gone from the data folder
    page = show(qtbot, wait_ops, WishesPage(app_ctx))
    page.panel.view.selectRow(0)
    wait_ops()
    assert_named_and_told(page, monkeypatch, kept)


def assert_named_and_told(page, monkeypatch, kept) -> None:
    """`kept`, a photo whose file is gone, is named in the details pane (no thumbnail); a click says why."""
    html = page.panel.details.text()
    assert "<img" not in html and kept.file_name in html
    told = []
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(photos, "open_file", lambda path: told.append("opened"))
    page.panel.details.linkActivated.emit(f"{photos.PHOTO}{kept.id}")
    assert len(told) == 1 and "不在数据文件夹" in told[0]
