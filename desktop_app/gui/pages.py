"""The pages the window lists, by module, class, title and icon: the one place a page's name and icon are said.

The navigation paints every title before any page module is imported (the frame comes
first), so the titles live here rather than in the page classes; a page class takes its
`title` and `icon` from its line here when it is defined (Page.__init_subclass__). Light
on purpose: nothing but the standard library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from desktop_app.gui.widgets.page import Page


class PageSpec(NamedTuple):
    """A page as the navigation knows it before its module is imported (its class takes title and icon from here)."""

    module: str  # under desktop_app.gui
    name: str  # the Page class in it
    title: str
    icon: str
    permission: str | None = None  # pages the account may not use are not shown at all
    # what the page's write actions need (those marked `writes=True`: Act, bars.toolbar's action; 新增 and 删除 always):
    # an account without it (只读, a 网格员 on the roster) is not offered them (main_window.offer_writes_only_if_allowed)
    writes: str | None = None

    def load(self) -> type[Page]:
        return getattr(importlib.import_module(f"desktop_app.gui.{self.module}"), self.name)


# Only modules that really work are listed. tests/gui/test_startup_frame.py checks each line against its class.
# A page whose list its reader may not read says so in its permission: a 网格员 met 21 pages that opened
# on nothing but a 出错了 box, and a 只读 account was offered every 新增 form and 删除, to be refused on 保存
# (tests/gui/test_pages_by_role.py).
PAGES: list[PageSpec] = [
    PageSpec("overview.page", "OverviewPage", "概览", "overview"),
    PageSpec("orgs.page", "OrgsPage", "党组织", "orgs", writes="orgs.write"),
    PageSpec("roster.page", "RosterPage", "党员名册", "members", writes="members.write"),
    PageSpec("development.page", "DevelopmentPage", "发展党员", "development", "development.read", writes="development.write"),
    PageSpec("transfers.page", "TransfersPage", "组织关系转接", "transfer", writes="members.write"),
    PageSpec("memberlife.page", "MemberLifePage", "出党与处分", "member-status", "discipline.read", writes="discipline.write"),
    PageSpec("memberlife.floating_page", "FloatingPage", "流动与失联", "move", writes="members.write"),
    PageSpec("meetings.page", "MeetingsPage", "三会一课", "meetings", "meetings.read", writes="meetings.write"),
    PageSpec("meetings.compliance", "CompliancePage", "三会一课落实", "compliance", "meetings.read", writes="meetings.write"),
    PageSpec("meetings.evaluations", "EvaluationsPage", "民主评议", "evaluations", "evaluations.read", writes="evaluations.write"),
    PageSpec("assessment.page", "AssessmentPage", "支部考评", "assessment", "assessment.read", writes="assessment.write"),
    PageSpec("residents.page", "ResidentsPage", "居民", "resident", writes="residents.write"),
    PageSpec("visits.page", "VisitsPage", "走访", "visits", writes="visits.write"),
    PageSpec("wishes.page", "WishesPage", "微心愿", "wishes", writes="wishes.write"),
    PageSpec("projects.page", "ProjectsPage", "微实事", "projects", "projects.read", writes="projects.write"),
    PageSpec("mediation.page", "MediationPage", "矛盾调处", "mediation", "mediation.read", writes="mediation.write"),
    PageSpec("cobuilding.units", "UnitsPage", "共建单位", "units", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.activities", "ActivitiesPage", "共建活动", "activities", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.reporting", "ReportingPage", "双报到", "reporting", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.unit_reports", "UnitReportsPage", "单位报到", "units", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.pairing", "PairingPage", "双进双认", "pairing", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.inquiries", "InquiriesPage", "问需服务", "followup", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.lists", "ListsPage", "三单", "to-project", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.joint", "JointPage", "联席会议", "meetings", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.care", "CarePage", "慰问", "care", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("cobuilding.contacts", "ContactsPage", "联系户与兼职委员", "household", "cobuilding.read", writes="cobuilding.write"),
    PageSpec("ledger.page", "LedgerPage", "经费台账", "ledger", "ledger.read", writes="ledger.write"),
    PageSpec("dues.page", "DuesPage", "党费", "dues", "dues.read", writes="dues.write"),
    PageSpec("imports.page", "ImportsPage", "导入表格", "import"),
    PageSpec("sync.page", "SyncPage", "数据同步", "sync"),
    PageSpec("users.page", "UsersPage", "用户管理", "users", "users.manage", writes="users.manage"),
    PageSpec("audit.page", "AuditPage", "操作记录", "audit", "audit.read"),
]


def spec_of(module: str, name: str) -> PageSpec | None:
    """The line for the class `name` of the module `module` (a full dotted name), or None for a base class."""
    return _BY_CLASS.get((module, name))


_BY_CLASS = {(f"desktop_app.gui.{spec.module}", spec.name): spec for spec in PAGES}
