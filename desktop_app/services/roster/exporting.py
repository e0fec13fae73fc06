"""Member export: template rows masked unless revealed, and the personal-data export gate for files.

A list of members leaves the service with ID numbers and phones masked unless
the actor may reveal them and asks to (a logged reveal). A file carrying the
full numbers (for the national member system) is written only after the
personal-data gate: it needs export.personal and is recorded in the audit trail.

A file holds what the roster page shows (its filter), or everyone: every member the
roster has kept, 转出, 去世 and 出党 too, with a 状态 column saying where each stands
(an import reads the template columns and leaves that one alone).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.domain import members as rules
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import members as member_files
from desktop_app.services import auth, privacy
from desktop_app.services.database import Database
from desktop_app.services.roster._common import _org_designations, _today
from desktop_app.services.roster.queries import _conditions, _order_by
from desktop_app.store.models import Member, Organization
from desktop_app.views.roster import MemberFilter

# Everyone the roster has kept, whatever their status: the export's "全部党员".
EVERYONE = MemberFilter()
# The column an export of everyone adds after the template's: 正常, 流动, 转出, 去世, 开除党籍 …
STATUS_COLUMN = "状态"

# Template column -> privacy masker field: the columns that carry personal numbers.
_MASKED = {"公民身份号码": "id_number", "手机号码": "mobile", "固定电话": "phone"}


def _template_rows(db: Database, flt: MemberFilter | None, today: date | None,
                   with_status: bool = False) -> list[dict]:
    """Members as template rows, unmasked: callers check and mask.

    所在党支部 names the organisation so that importing the file finds it again: the bare
    name, or a path when several bear it (every branch has a 第一党小组). `with_status`
    adds the 状态 column last."""
    flt = flt or MemberFilter()
    order, _ = _order_by("seq", False)
    cols = [Member.org_id, Organization.name, *[getattr(Member, rules.COLUMN_FIELDS[c])
                                                for c in rules.TEMPLATE_COLUMNS if c != "所在党支部"],
            Member.status]
    q = (
        select(*cols)
        .select_from(Member)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .where(*_conditions(flt, _today(today)))
        .order_by(*order)
    )
    header = ["所在党支部", *[c for c in rules.TEMPLATE_COLUMNS if c != "所在党支部"], STATUS_COLUMN]
    columns = (*rules.TEMPLATE_COLUMNS, STATUS_COLUMN) if with_status else rules.TEMPLATE_COLUMNS
    out: list[dict] = []
    with db.session() as s:
        designations = _org_designations(s)
        for r in s.connection().execute(q):
            org_id, org_name, *values = r
            rec = dict(zip(header, [None, *values]))
            # A deleted organisation has no designation: its name still says where the member was.
            rec["所在党支部"] = designations.get(org_id) or org_name or ""
            for c in ("是否为失联党员", "是否为流动党员"):
                rec[c] = rules.YES if rec[c] else rules.NO
            out.append({c: rec[c] for c in columns})
    return out


def export_rows(
    db: Database, flt: MemberFilter | None = None, today: date | None = None, reveal: bool = False
) -> list[dict]:
    """Members as template rows (keys are TEMPLATE_COLUMNS, in order), roster order.

    Dates stay `date`, yes/no become 是/否; the writer decides how a cell looks.
    ID numbers and phones are masked unless `reveal` is asked for by someone
    holding members.reveal; that reveal is recorded in the audit trail.
    """
    auth.require(db, "members.read")
    rows = _template_rows(db, flt, today)
    if reveal and auth.can(db, "members.reveal"):
        privacy.record_reveal(db, "member", f"查看完整公民身份号码和电话（名册 {len(rows)} 条）")
        return rows
    for rec in rows:
        for column, kind in _MASKED.items():
            if rec[column]:
                rec[column] = privacy.MASKERS[kind](rec[column])
    return rows


def export_counts(db: Database, flt: MemberFilter, today: date | None = None) -> tuple[int, int]:
    """How many members an export of `flt` holds, and an export of everyone: what the export dialog offers."""
    auth.require(db, "members.read")
    today = _today(today)

    def count(f: MemberFilter) -> int:
        with db.session() as s:
            return s.execute(select(func.count()).select_from(Member).where(*_conditions(f, today))).scalar_one()

    return count(flt), count(EVERYONE)


def export_members(db: Database, path: str | Path, flt: MemberFilter | None = None,
                   today: date | None = None, *, everyone: bool = False) -> int:
    """Write the roster (or the filtered part) in template columns to .csv or .xlsx; returns the count.

    `everyone` writes every member the roster has kept instead of `flt`, 转出, 去世 and
    出党 included, with a 状态 column after the template's. The file carries full ID
    numbers and phones: it needs export.personal and is recorded in the audit trail
    (PIPL), with what it holds and how many, before it is put in place.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise DomainError(f"{path.name}：只能导出为 .csv 或 .xlsx 文件")
    auth.require(db, "members.read")
    auth.require(db, "export.personal")
    if everyone:
        flt = EVERYONE
    records = _template_rows(db, flt, today, with_status=everyone)
    if everyone:
        what = "党员名册（全部党员，含转出、去世等，附状态列）"
    else:  # which members: the filter in words, its organisation by name
        flt = flt or EVERYONE
        with db.session() as s:
            org_name = s.scalar(select(Organization.name).where(Organization.id == flt.org_id)) if flt.org_id else ""
        what = f"党员名册（当前筛选：{flt.in_words(org_name or '')}）"
    # Written beside the chosen file first: a folder that cannot be written leaves no entry saying it was
    # exported; the file is put in place once the entry is committed (none without its entry either).
    with member_files.members_put_in_place_after(path, records, (STATUS_COLUMN,) if everyone else ()):
        privacy.confirm_personal_export(db, what, str(path), rows=len(records), table="member")
    return len(records)


def write_template(path: str | Path) -> None:
    """The blank 党员信息导入模板 (no data in it: anyone may save it)."""
    member_files.write_template(path)
