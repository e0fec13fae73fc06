"""导出Excel of a record list: the rows a page shows, as this account sees them, to one XLSX sheet.

The page hands over its title, column titles and cell texts (masked as the list shows them), so the
file carries nothing the screen did not. A list whose rows name people (residents, members, the
parties of a dispute) is personal data: it takes the roster's gate, "export.personal", after the user
has seen privacy.PERSONAL_EXPORT_WARNING; a 只读 or 网格员 account has no such right and is refused.
Other lists need only the page's own read permission. Either way the export is recorded in the audit
trail (what list, how many rows, which file) in the same unit of work as the writing: a file that
could not be written leaves no entry saying it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.domain.errors import DomainError
from desktop_app.exchange import table_xlsx
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit

PERSONAL = "export.personal"


@dataclass(frozen=True)
class ListTable:
    """What a list page shows: its title with the filter in words, the column titles and each row's cell texts."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    permission: str | None = None  # the page's read permission
    personal: bool = True  # the rows name people: the personal-data gate applies


def may_export(db: Database, personal: bool, permission: str | None = None) -> bool:
    """Whether the acting account may export such a list (for the page to grey its action out)."""
    return (permission is None or auth.can(db, permission)) and (not personal or auth.can(db, PERSONAL))


def export_list(db: Database, table: ListTable, path: str | Path, now: datetime | None = None) -> int:
    """Write `table` to `path` (.xlsx) and record the export; returns the rows written."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise DomainError(f"{path.name}：只能导出为 .xlsx 文件")
    if table.permission:
        auth.require(db, table.permission)
    if table.personal:
        auth.require(db, PERSONAL)
    made = f"导出时间：{(now or datetime.now()):%Y-%m-%d %H:%M}，共 {len(table.rows)} 条"
    what = table.title
    with UnitOfWork(db) as uow:
        audit.record(uow.session, "export", "", "", f"导出“{what}”{len(table.rows)} 条到 {path}",
                     label=what[:120], after={"list": what, "file": str(path), "rows": len(table.rows)})
        n = table_xlsx.export_table(table.title, made, table.headers, table.rows, path)
        uow.commit()
    return n
