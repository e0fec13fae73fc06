"""导出Excel of a record list: the rows a page shows, as this account sees them, to one XLSX sheet.

The page hands over its title, column titles and cell texts (masked as the list shows them), so the
file carries nothing the screen did not. A list whose rows name people (residents, members, the
parties of a dispute) is personal data: it takes the roster's gate, "export.personal", after the user
has seen privacy.LIST_EXPORT_WARNING; a 只读 or 网格员 account has no such right and is refused.
Other lists need only their read permission. Which is which is decided here, by the list's kind
(LISTS), never by the caller: a page or a script names its list and nothing more, and a kind this
module does not know is refused. Either way the export is recorded in the audit trail (what list,
how many rows, which file): the sheet is written beside the chosen file first (a full disk or a
read-only folder is refused before anything is recorded), the entry committed, and only then is the
sheet put in place. A file that could not be written leaves no entry saying it was; an entry that
could not be recorded leaves no file (and a file already there as it was).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.domain.errors import DomainError
from desktop_app.exchange import table_xlsx
from desktop_app.files import put_in_place_after
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit

PERSONAL = "export.personal"


@dataclass(frozen=True)
class ListKind:
    permission: str  # the right to read the list at all
    personal: bool = True  # the rows name people: the personal-data gate applies


_PEOPLE_ON_COBUILDING = ListKind("cobuilding.read")
# Every list that may be exported, by the name its page declares (RecordListPage.export_kind).
LISTS: dict[str, ListKind] = {
    "applicants": ListKind("development.read"),  # 发展党员
    "transfers": ListKind("members.read"),  # 组织关系转接
    "exits": ListKind("discipline.read"),  # 出党与处分
    "flowing": ListKind("members.read"),  # 流动与失联
    "assessment": ListKind("assessment.read", personal=False),  # 支部考评: branches and scores
    "evaluations": ListKind("evaluations.read"),  # 民主评议: each member's votes and grade
    "residents": ListKind("residents.read"),
    "visits": ListKind("visits.read"),
    "wishes": ListKind("wishes.read"),
    "projects": ListKind("projects.read", personal=False),  # 微实事: projects, no resident named
    "mediation": ListKind("mediation.read"),
    "units": _PEOPLE_ON_COBUILDING,  # 共建单位 (their contacts)
    "activities": _PEOPLE_ON_COBUILDING,
    "dual_reports": _PEOPLE_ON_COBUILDING,  # 双报到: members reporting to the community
    "unit_reports": _PEOPLE_ON_COBUILDING,  # 单位报到
    "pairing": _PEOPLE_ON_COBUILDING,  # 双进双认
    "inquiries": _PEOPLE_ON_COBUILDING,  # 问需服务
    "three_lists": _PEOPLE_ON_COBUILDING,  # 三单: needs name who asked
    "joint": _PEOPLE_ON_COBUILDING,  # 联席会议
    "care": _PEOPLE_ON_COBUILDING,  # 慰问
    "contacts": _PEOPLE_ON_COBUILDING,  # 联系户与兼职委员
}


@dataclass(frozen=True)
class ListTable:
    """What a list page shows: which list (its kind in LISTS), its title with the filter in words, the
    column titles and each row's cell texts."""

    kind: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


def list_kind(kind: str | None) -> ListKind:
    """The rule for the list `kind`; a list this module does not know may not be exported at all."""
    rule = LISTS.get(kind or "")
    if rule is None:
        raise DomainError(f"“{kind or '未指明'}”不是可以导出的列表")
    return rule


def is_personal(kind: str | None) -> bool:
    """Whether the list names people (the page asks privacy.LIST_EXPORT_WARNING first); unknown: refused."""
    return list_kind(kind).personal


def may_export(db: Database, kind: str | None) -> bool:
    """Whether the acting account may export the list `kind` (for the page to grey its action out)."""
    rule = LISTS.get(kind or "")
    return rule is not None and auth.can(db, rule.permission) and (not rule.personal or auth.can(db, PERSONAL))


def export_list(db: Database, table: ListTable, path: str | Path, now: datetime | None = None) -> int:
    """Write `table` to `path` (.xlsx) and record the export; returns the rows written."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise DomainError(f"{path.name}：只能导出为 .xlsx 文件")
    rule = list_kind(table.kind)
    auth.require(db, rule.permission)
    if rule.personal:
        auth.require(db, PERSONAL)
    made = f"导出时间：{(now or datetime.now()):%Y-%m-%d %H:%M}，共 {len(table.rows)} 条"
    what = table.title
    data = table_xlsx.table_bytes(table.title, made, table.headers, table.rows)
    with UnitOfWork(db) as uow:
        audit.record(uow.session, "export", "", "", f"导出“{what}”{len(table.rows)} 条到 {path}",
                     label=what[:120], after={"list": what, "file": str(path), "rows": len(table.rows)})
        with put_in_place_after(path, data, private=False):
            uow.commit()
    return len(table.rows)
