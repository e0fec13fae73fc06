"""One table of the icons the program uses; widgets ask by name, never spell codes inline."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QIcon

ACCENT = "#c8161e"
NAV = "#d8dadf"  # icons on the dark navigation bar

_ICONS = {
    "overview": "fa5s.tachometer-alt",
    "orgs": "fa5s.sitemap",
    "members": "fa5s.users",
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
    "stats": "fa5s.chart-bar",
    "undo": "fa5s.undo",
    "warning": "fa5s.exclamation-triangle",
    "clear": "fa5s.eraser",
    "due": "fa5s.user-clock",
}


def get(name: str, color: str = "#444444") -> QIcon:
    return qta.icon(_ICONS[name], color=color)


def org_icon(kind: str) -> QIcon:
    return get(f"org-{kind}", ACCENT if kind in ("community", "street") else "#555555")
