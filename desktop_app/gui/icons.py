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


def get(name: str, color: str = "#444444") -> QIcon:
    return qta.icon(_ICONS[name], color=color)


def org_icon(kind: str) -> QIcon:
    return get(f"org-{kind}", ACCENT if kind in ("community", "street") else "#555555")
