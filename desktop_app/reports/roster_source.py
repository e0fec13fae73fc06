"""The data of the 党员花名册: the center's name and its members grouped by branch.

Only services are asked (no SQL here), so the GUI and the CLI print the same
roster. Members of a 党小组 are listed under the 党支部 above it; members kept
directly on the 社区党委 get a section of their own.
"""

from __future__ import annotations

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict
from desktop_app.reports.roster import RosterLine
from desktop_app.services import orgs as org_service
from desktop_app.services import roster
from desktop_app.services import site as site_service
from desktop_app.services.orgs import OrgNode
from desktop_app.services.roster import MemberFilter
from desktop_app.store.db import Database

NO_ORG = "未分配党组织"
_ATTEMPTS = 3  # a write between our reads shifts the rows: read again


def _section_of(nodes: dict[str, OrgNode]) -> dict[str, str]:
    """org id -> id of the org whose section lists its members (the branch above a 党小组)."""
    out: dict[str, str] = {}
    for oid, node in nodes.items():
        current = node
        while current.kind == "group" and current.parent_id in nodes:
            current = nodes[current.parent_id]
        out[oid] = current.id
    return out


def _line(rec: dict) -> RosterLine:
    return RosterLine(
        name=rec["姓名"],
        gender=rec["性别"],
        ethnicity=rec["民族"],
        birth_date=rec["出生日期"],
        education=rec["学历"],
        category=rec["人员类别"],
        joined_date=rec["加入党组织日期"],
        confirmed_date=rec["转为正式党员日期"],
        id_number=rec["公民身份号码"],
        mobile=rec["手机号码"],
        party_status=rec["党籍状态"],
        job=rec["工作岗位"],
        notes=rec["备注"],
    )


def _members_with_org(
    db: Database, flt: MemberFilter, today: date
) -> list[tuple[str | None, dict]]:
    """(org id, template row) per member in roster order.

    export_rows has every printed field but names the org only by name (names
    repeat: every branch has its 第一党小组); search_ids + rows give the org id
    in the same order. A concurrent write could misalign the two lists, so the
    pairing is checked and read again if it does not match.
    """
    for _ in range(_ATTEMPTS):
        ids = roster.search_ids(db, flt, sort="seq", today=today)
        table = roster.rows(db, ids, today=today)
        records = roster.export_rows(db, flt, today=today)
        if len(table) == len(records) and all(
            row.name == rec["姓名"] and row.id_masked == idcard.mask(rec["公民身份号码"])
            for row, rec in zip(table, records)
        ):
            return [(row.org_id, rec) for row, rec in zip(table, records)]
    raise Conflict("名册在读取时被其他操作修改，请稍后重试")


def collect(
    db: Database, flt: MemberFilter | None = None, today: date | None = None
) -> tuple[str, list[tuple[str, list[RosterLine]]]]:
    """(center name, [(section name, members in 序号 order)]) with sections in org-tree order.

    `flt` defaults to the members still on the roster (no 转出 or 去世).
    """
    today = today or date.today()
    flt = flt if flt is not None else MemberFilter(active_only=True)
    site = site_service.get_site(db)
    tree = org_service.list_tree(db)
    nodes = {n.id: n for n in tree}
    section_of = _section_of(nodes)
    center = site.org_name if site else (tree[0].name if tree else "")

    by_section: dict[str, list[RosterLine]] = {}
    for org_id, rec in _members_with_org(db, flt, today):
        key = section_of.get(org_id or "", "")  # "" = no live organisation
        by_section.setdefault(key, []).append(_line(rec))

    groups = [(n.name, by_section[n.id]) for n in tree if n.id in by_section]
    if "" in by_section:
        groups.append((NO_ORG, by_section[""]))
    return center, groups

