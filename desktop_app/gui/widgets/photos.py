"""A record's photos in a list page's details pane (微心愿, 共建活动): thumbnails that open the photo with the
system's viewer, one whose file is not on this computer by name (a click says where it is), and the
"which photo?" that 删除照片 asks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QWidget

from desktop_app.domain.errors import DomainError
from desktop_app.gui.widgets import common

PHOTO = "photo:"  # a thumbnail's link in the details pane: the photo's id follows
THUMB = 120  # pixels: two side by side in a details pane 260 wide


class Photo(Protocol):
    id: str
    file_name: str


def open_file(path: Path) -> None:
    """The system's viewer for a photo (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def ask_photo_to_remove(parent: QWidget, photos: Sequence[Photo], whose: str) -> Any:
    """Which of `whose`'s photos (e.g. "心愿 W001") to take off, asked (tests replace this): one is confirmed,
    several are chosen first. None when the user changed their mind."""
    if not photos:
        return None
    whose += " 的" if whose[-1:].isascii() else "的"  # a space after a number, as in 心愿 W001 的
    if len(photos) > 1:
        labels = [f"第 {i} 张：{p.file_name}" for i, p in enumerate(photos, 1)]
        label, ok = QInputDialog.getItem(parent, "删除照片", f"{whose}哪张照片？", labels, 0, False)
        if not ok:
            return None
        photo = photos[labels.index(label)]
    else:
        photo = photos[0]
    return photo if common.ask(parent, "删除照片", f"确定删除{whose}照片“{photo.file_name}”吗？") else None


def photos_html(photos: Sequence[Photo], files: dict[str, str], thumb: int = THUMB) -> str:
    """The photos as thumbnails (kept in aspect) that open the file when clicked; one not on this computer by name."""
    if not photos:
        return ""
    shown = []
    for p in photos:
        inner = (f'<img src="{escape(QUrl.fromLocalFile(files[p.id]).toString())}" width="{thumb}">' if p.id in files
                 else escape(p.file_name))
        shown.append(f'<a href="{PHOTO}{escape(p.id)}">{inner}</a>')
    return f"<p>照片 {len(photos)} 张（单击打开）：</p><p>{' '.join(shown)}</p>"


class PhotoStrip:
    """The chosen record's photos in `page`'s details pane. `photo_path(db, photo_id)` is the service's
    way to a photo's file (it refuses, and says why, one not on this computer)."""

    def __init__(self, page, photo_path: Callable[[Any, str], Path], thumb: int = THUMB) -> None:
        self.page, self.photo_path, self.thumb = page, photo_path, thumb
        self.files: dict[str, str] = {}  # photo id -> its file here, as the details read found them
        pane = page.panel.details  # a thumbnail is a link: a click opens the photo, the text stays selectable
        pane.setTextInteractionFlags(pane.textInteractionFlags() | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        pane.linkActivated.connect(self.open)

    def find(self, db, photos: Sequence[Photo]) -> None:
        """Look up the photos' files; called with the details read, off the GUI thread."""
        for p in photos:
            try:  # kept by photo id, not replaced: a read for the next selection may finish first
                self.files[p.id] = str(self.photo_path(db, p.id))
            except Exception:  # a file not on this computer (another site's) or gone: named, not shown
                self.files.pop(p.id, None)

    def html(self, photos: Sequence[Photo]) -> str:
        return photos_html(photos, self.files, self.thumb)

    def open(self, link: str) -> None:
        """A thumbnail clicked: the photo in the system's viewer, or why it is not on this computer."""
        if not link.startswith(PHOTO):
            return
        try:
            path = self.photo_path(self.page.ctx.db, link[len(PHOTO):])
        except DomainError as e:
            common.inform(self.page, "打开照片", str(e))
            return
        open_file(path)
