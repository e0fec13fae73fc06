"""Spreadsheets a center already has: how their columns read, and the mappings saved for their layouts.

Every import (members, development, meetings, residents, ledger, visits, dues) reads its file
through exchange.sheets with the import's Spec. Here are what they share:
the --show-columns report, a --map file checked against the import's columns,
and the mapping saved under a header's signature (audited) so the same layout
reads the same way next time without asking again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import (
    development_files, dues_files, history, ledger_files, meeting_files, resident_files, sheets, templates,
    visit_files,
)
from desktop_app.exchange import mapping as mapping_files
from desktop_app.exchange import members as member_files
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.models_imports import ImportMapping
from desktop_app.views.imports import ColumnsReport, HistoryPreview, Mapping

__all__ = ["KINDS", "ColumnsReport", "Mapping", "inspect", "load_mapping", "mapping_from_dict", "permission",
           "preview_history", "save_mapping", "saved_mapping", "effective_mapping", "template_name", "write_template"]

# kind -> (Spec, the permission its import needs)
KINDS: dict[str, tuple[sheets.Spec, str]] = {
    "members": (member_files.SPEC, "members.import"),
    "development": (development_files.SPEC, "development.write"),
    "meetings": (meeting_files.SPEC, "meetings.write"),
    "residents": (resident_files.SPEC, "residents.write"),
    "ledger": (ledger_files.SPEC, "ledger.write"),
    "visits": (visit_files.SPEC, "visits.write"),
    "dues": (dues_files.SPEC, "dues.write"),
}


# kind -> the cells a history import reads from each row (template column -> key, cell type)
_HISTORY_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "development": development_files.FIELDS,
    "meetings": meeting_files.FIELDS,
    "residents": resident_files.FIELDS,
    "visits": visit_files.FIELDS,
    "dues": dues_files.FIELDS,
}

# What a history import makes of its parsed rows: (db, rows, mapping, today) -> its preview
RowCheck = Callable[[Database, history.Parsed, "Mapping | None", date], HistoryPreview]


def _spec(kind: str) -> tuple[sheets.Spec, str]:
    try:
        return KINDS[kind]
    except KeyError:
        raise DomainError(f"未知的导入种类：{kind}（可用：{'、'.join(KINDS)}）") from None


def write_template(kind: str, path: str | Path) -> None:
    """The blank template of an import, with its 填写说明 sheet (members: the 党员信息导入模板)."""
    _spec(kind)
    if kind == "members":
        member_files.write_template(path)
    else:
        templates.write_template(kind, path)


def template_name(kind: str) -> str:
    return _spec(kind)[0].template


def permission(kind: str) -> str:
    return _spec(kind)[1]


def preview_history(db: Database, kind: str, path: str | Path, mapping: Mapping | None, sheet: str | None,
                    today: date | None, check: RowCheck) -> HistoryPreview:
    """The preview of a history import (发展党员, 三会一课, 居民): its permission asked, the sheet read
    with the import's fields, and the rows checked by `check` against the records as of one moment, so
    that no row is judged against a roster another window changes halfway through; writes nothing."""
    spec, perm = _spec(kind)
    auth.require(db, perm)
    today = today or date.today()
    parsed = history.parse(spec, _HISTORY_FIELDS[kind], path, mapping, sheet)
    with db.one_moment():
        return check(db, parsed, mapping, today)


def load_mapping(db: Database, kind: str, path: str | Path) -> Mapping:
    """A --map JSON file, checked against the import's columns."""
    spec, perm = _spec(kind)
    auth.require(db, perm)
    return mapping_files.load_mapping(path, spec.columns)


def mapping_from_dict(db: Database, kind: str, data: dict) -> Mapping:
    """A mapping the dialog built, checked like a file."""
    spec, perm = _spec(kind)
    auth.require(db, perm)
    return mapping_files.parse_mapping(data, spec.columns)


def _saved(db: Database, kind: str, signature: str) -> Mapping | None:
    spec, _perm = _spec(kind)
    with db.session() as s:
        text = s.scalar(select(ImportMapping.mapping).where(
            ImportMapping.kind == kind, ImportMapping.signature == signature))
    if text is None:
        return None
    try:
        return mapping_files.parse_mapping(json.loads(text), spec.columns, "保存的列映射")
    except (DomainError, ValueError):
        return None  # saved by an older program whose columns differ: ask again


def saved_mapping(db: Database, kind: str, signature: str) -> Mapping | None:
    """The mapping saved for this header layout, if any."""
    auth.require(db, permission(kind))
    return _saved(db, kind, signature)


def effective_mapping(db: Database, kind: str, path: str | Path, mapping: Mapping | None = None,
                      sheet: str | None = None) -> tuple[Mapping | None, bool]:
    """The mapping to read a file with: the one given, else the one saved for its header; and whether it was saved."""
    spec, perm = _spec(kind)
    auth.require(db, perm)
    if mapping is not None:
        return mapping, False
    table = sheets.read_table(spec, path, None, sheet)
    saved = _saved(db, kind, table.signature)
    return saved, saved is not None


def inspect(db: Database, kind: str, path: str | Path, mapping: Mapping | None = None,
            sheet: str | None = None) -> ColumnsReport:
    """How each column of the file would be read (with the saved mapping when none is given); reads no row."""
    spec, perm = _spec(kind)
    auth.require(db, perm)
    table = sheets.read_table(spec, path, mapping, sheet)
    saved = None
    if mapping is None and (saved := _saved(db, kind, table.signature)) is not None:
        table = sheets.read_table(spec, path, saved, sheet)
    report = sheets.report(spec, table, saved)
    return replace(report, plan=tuple(replace(p, samples=_masked(p.samples), values=_masked(p.values))
                                      for p in report.plan))


def _masked(texts: tuple[str, ...]) -> tuple[str, ...]:
    """Samples show what a column is, not whose: ID numbers and mobiles masked as everywhere else."""
    out = []
    for t in texts:
        # A number mistyped (a wrong check digit) or written with spaces and dashes is still someone's.
        bare = re.sub(r"[\s-]", "", t)
        if idcard.is_valid(t) or re.fullmatch(r"\d{17}[\dXx]|\d{15}", bare):
            t = idcard.mask(bare)
        elif re.fullmatch(r"1[3-9]\d{9}", bare):
            t = idcard.mask_phone(bare)
        out.append(t)
    return tuple(out)


def save_mapping(db: Database, kind: str, path: str | Path, mapping: Mapping, sheet: str | None = None) -> str:
    """Keep `mapping` for the header layout of this file (replacing an older one); returns the signature."""
    spec, perm = _spec(kind)
    actor = auth.require(db, perm)
    mapping = mapping_files.parse_mapping(mapping.as_dict(), spec.columns)
    table = sheets.read_table(spec, path, mapping, sheet)
    text = mapping_files.to_json(mapping)
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.scalar(select(ImportMapping).where(
            ImportMapping.kind == kind, ImportMapping.signature == table.signature))
        before = None if row is None else {"mapping": row.mapping}
        if row is None:
            row = ImportMapping(kind=kind, signature=table.signature)
            s.add(row)
        row.header = json.dumps(table.header, ensure_ascii=False)
        row.mapping = text
        row.saved_at = utcnow()
        row.saved_by = actor.login if actor else ""
        s.flush()
        audit.record(s, "update" if before else "insert", "import_mapping", row.id,
                     f"保存{spec.title}导入的列映射（{Path(path).name}）", label=spec.title,
                     before=before, after={"kind": kind, "signature": table.signature, "mapping": text})
        uow.commit()
    return table.signature
