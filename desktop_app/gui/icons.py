"""One table of the icons the program uses; widgets ask by name, never spell codes inline.

The icons are Font Awesome 5 glyphs from the fonts qtawesome ships, drawn here
the way qtawesome draws them (a test holds the pixels equal). Importing
qtawesome itself cost ~150 ms of every start: its qtpy layer star-imports all of
QtCore, QtGui, QtWidgets and QtOpenGL, and its first icon loads eleven fonts.
"""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

ACCENT = "#c8161e"
NAV = "#d8dadf"  # icons on the dark navigation bar

_ICONS = {
    "overview": "fa5s.tachometer-alt",
    "orgs": "fa5s.sitemap",
    "members": "fa5s.users",
    "development": "fa5s.user-plus",
    "transfer": "fa5s.exchange-alt",
    "add": "fa5s.plus",
    "add-child": "fa5s.level-down-alt",
    "rename": "fa5s.pen",
    "move": "fa5s.exchange-alt",
    "delete": "fa5s.trash-alt",
    "refresh": "fa5s.sync-alt",
    "open": "fa5s.folder-open",
    "about": "fa5s.info-circle",
    "quit": "fa5s.sign-out-alt",
    "logs": "fa5s.file-alt",
    "demo": "fa5s.magic",
    "setup": "fa5s.flag",
    "search": "fa5s.search",
    "org-street": "fa5s.landmark",
    "org-community": "fa5s.building",
    "org-branch": "fa5s.flag",
    "org-group": "fa5s.user-friends",
    "org-district": "fa5s.city",
    "resident": "fa5s.home",
    "backup": "fa5s.save",
    "restore": "fa5s.history",
    "settings": "fa5s.cog",
    # 党员名册
    "member-add": "fa5s.user-plus",
    "member-edit": "fa5s.user-edit",
    "member-delete": "fa5s.user-minus",
    "member-status": "fa5s.user-tag",
    "member-transfer": "fa5s.people-arrows",
    "import": "fa5s.file-import",
    "export": "fa5s.file-export",
    "template": "fa5s.file-download",
    "print": "fa5s.print",
    # prints that share a toolbar with 打印 tell themselves apart when the bar shows icons only
    "print-ballot": "fa5s.vote-yea",
    "print-tally": "fa5s.poll",
    "stats": "fa5s.chart-bar",
    "undo": "fa5s.undo",
    "warning": "fa5s.exclamation-triangle",
    "clear": "fa5s.eraser",
    "due": "fa5s.user-clock",
    # 三会一课
    "meetings": "fa5s.calendar-check",
    "compliance": "fa5s.th",
    "evaluations": "fa5s.star-half-alt",
    "attendance": "fa5s.user-check",
    "all-present": "fa5s.check-double",
    "attach": "fa5s.paperclip",
    "cancel": "fa5s.ban",
    "plan-batch": "fa5s.calendar-plus",
    "edit": "fa5s.edit",
    "committee": "fa5s.user-tie",
    "followup": "fa5s.user-clock",
    "qrcode": "fa5s.qrcode",
    # 服务群众: residents, visits, wishes, projects, mediation
    "visits": "fa5s.comments",
    "wishes": "fa5s.heart",
    "projects": "fa5s.tasks",
    "mediation": "fa5s.balance-scale",
    "household": "fa5s.door-open",
    "tags": "fa5s.tags",
    "follow-up": "fa5s.clipboard-check",
    "to-project": "fa5s.project-diagram",
    "claim": "fa5s.hand-holding-heart",
    "fulfil": "fa5s.gift",
    "milestone": "fa5s.flag-checkered",
    "session": "fa5s.comment-dots",
    "close-case": "fa5s.gavel",
    "units": "fa5s.handshake",
    "activities": "fa5s.theater-masks",  # 共驻共建 activities
    "reporting": "fa5s.id-badge",  # 双报到
    "hours": "fa5s.stopwatch",
    "photo": "fa5s.image",
    "pairing": "fa5s.link",  # 双进双认
    "care": "fa5s.hands-helping",  # 慰问
    "person-add": "fa5s.user-plus",
    # 经费台账 and 党费
    "ledger": "fa5s.book",
    "dues": "fa5s.hand-holding-usd",
    "income": "fa5s.plus-circle",
    "expense": "fa5s.minus-circle",
    "reverse": "fa5s.undo-alt",
    "close-month": "fa5s.lock",
    "excel": "fa5s.file-excel",
    "budget": "fa5s.chart-pie",
    "account": "fa5s.wallet",
    "voucher": "fa5s.file-invoice",
    "pay": "fa5s.yen-sign",
    "dues-base": "fa5s.calculator",
    # 数据同步
    "sync": "fa5s.retweet",
    "key": "fa5s.key",
    "usb": "fa5b.usb",
    "package-out": "fa5s.file-upload",
    "package-in": "fa5s.file-download",
    "send-down": "fa5s.paper-plane",
    "conflict": "fa5s.code-branch",
    "take-local": "fa5s.home",
    "take-incoming": "fa5s.inbox",
    "ok": "fa5s.check-circle",
    # 用户、权限与操作记录
    "users": "fa5s.user-shield",
    "audit": "fa5s.clipboard-list",
    "lock": "fa5s.lock",
    "unlock": "fa5s.unlock",
    "user-off": "fa5s.user-slash",
    "user-on": "fa5s.user-check",
    "login": "fa5s.sign-in-alt",
    # 五好党支部考评
    "assessment": "fa5s.award",
    "score": "fa5s.marker",
    "honour": "fa5s.medal",
    "scheme": "fa5s.list-ol",
}


_FILES = {"fa5s": "fontawesome5-solid-webfont", "fa5b": "fontawesome5-brands-webfont"}
_fonts: dict[str, tuple[str, dict[str, str]]] = {}  # prefix -> (font family, glyph name -> character)
_cache: dict[tuple[str, str], QIcon] = {}


def _font(prefix: str) -> tuple[str, dict[str, str]]:
    """The family and character map of a qtawesome font, loaded into Qt's font database on first use."""
    if prefix not in _fonts:
        spec = find_spec("qtawesome")  # finds the package without importing it
        folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
        [ttf] = sorted(folder.glob(f"{_FILES[prefix]}-[0-9]*.ttf"))
        charmap = ttf.with_name(ttf.name.replace("webfont-", "webfont-charmap-")).with_suffix(".json")
        families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFontFromData(ttf.read_bytes()))
        if not families:
            raise RuntimeError(f"图标字体 {ttf} 无法载入")
        chars = {k: chr(int(v, 16)) for k, v in json.loads(charmap.read_text(encoding="utf-8")).items()}
        _fonts[prefix] = (families[0], chars)
    return _fonts[prefix]


class _GlyphEngine(QIconEngine):
    """One glyph in one colour (the palette's disabled text colour when disabled), as qtawesome paints it."""

    def __init__(self, prefix: str, char: str, color: QColor, disabled: QColor):
        super().__init__()
        self.prefix, self.char, self.color, self.disabled = prefix, char, color, disabled

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, _state: QIcon.State) -> None:
        painter.save()
        painter.setPen(self.disabled if mode == QIcon.Mode.Disabled else self.color)
        font = QFont()
        font.setFamily(_font(self.prefix)[0])
        font.setPixelSize(round(0.875 * rect.height()))  # a 16-pixel icon gets Font Awesome's 14-pixel glyph
        if self.prefix.endswith("s"):
            font.setStyleName("Solid")
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter), self.char)
        painter.restore()

    def pixmap(self, size, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pm = QPixmap(size)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pm

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self.prefix, self.char, self.color, self.disabled)


def get(name: str, color: str = "#444444") -> QIcon:
    key = (name, color)
    if key not in _cache:
        prefix, glyph = _ICONS[name].split(".", 1)
        try:
            char = _font(prefix)[1][glyph]
        except (OSError, ValueError, TypeError, RuntimeError):  # fonts not where qtawesome keeps them
            _cache[key] = _from_qtawesome(name, color)
            return _cache[key]
        disabled = QApplication.instance().palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        _cache[key] = QIcon(_GlyphEngine(prefix, char, QColor(color), disabled))
    return _cache[key]


def _from_qtawesome(name: str, color: str) -> QIcon:
    """qtawesome's own icon: the fallback, and the import that makes PyInstaller bundle the package and its fonts."""
    import qtawesome as qta

    return qta.icon(_ICONS[name], color=color)


def org_icon(kind: str) -> QIcon:
    return get(f"org-{kind}", ACCENT if kind in ("community", "street") else "#555555")
