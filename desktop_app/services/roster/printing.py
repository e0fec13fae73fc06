"""The printed 党员花名册: its read model (members grouped by branch) and print_roster(), which renders it.

The tree, the site and the members are read in one session, each member with
its organisation id, so the grouping cannot be misaligned by a write between
two reads. Members of a 党小组 are listed under the 党支部 above it; members
kept directly on the 社区党委 get a section of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.files import put_in_place_after
from desktop_app.services import auth, privacy
from desktop_app.services.database import Database
from desktop_app.services.orgs import tree_nodes
from desktop_app.services.roster._common import _today
from desktop_app.services.roster.queries import _conditions, _order_by
from desktop_app.services.site import center_name
from desktop_app.store.models import Member
from desktop_app.views.orgs import OrgNode
from desktop_app.views.roster import MemberFilter, RosterLine, RosterPrint

NO_ORG = "未分配党组织"

_LINE_COLUMNS = (
    Member.org_id, Member.name, Member.gender, Member.ethnicity, Member.birth_date, Member.education,
    Member.category, Member.joined_date, Member.confirmed_date, Member.id_number, Member.mobile,
    Member.party_status, Member.job, Member.notes, Member.status,
)


def _section_of(nodes: dict[str, OrgNode]) -> dict[str, str]:
    """org id -> id of the org whose section lists its members (the branch above a 党小组)."""
    out: dict[str, str] = {}
    for oid, node in nodes.items():
        current = node
        while current.kind == "group" and current.parent_id in nodes:
            current = nodes[current.parent_id]
        out[oid] = current.id
    return out


def roster_print(
    db: Database, flt: MemberFilter | None = None, today: date | None = None
) -> RosterPrint:
    """The 花名册's read model: sections in org-tree order, members in 序号 order.

    `flt` defaults to the members still on the roster (no 转出 or 去世).
    """
    auth.require(db, "members.read")
    auth.require(db, "orgs.read")
    flt = flt if flt is not None else MemberFilter(active_only=True)
    order, _ = _order_by("seq", False)
    q = select(*_LINE_COLUMNS).where(*_conditions(flt, _today(today))).order_by(*order)
    with db.session() as s:
        center = center_name(s)  # a confined account's own organisation (services.site)
        tree = tree_nodes(s)
        members = s.execute(q).all()
    nodes = {n.id: n for n in tree}
    section_of = _section_of(nodes)
    by_section: dict[str, list[RosterLine]] = {}
    for org_id, *values in members:
        key = section_of.get(org_id or "", "")  # "" = no live organisation
        by_section.setdefault(key, []).append(RosterLine(*values))
    # A street's communities each have a 第一网格党支部: a section is headed as the 名册 shows its branch
    # (梅园社区 · 第一网格党支部), a community's own print keeps the bare name.
    groups = [(n.shown, by_section[n.id]) for n in tree if n.id in by_section]
    if "" in by_section:
        groups.append((NO_ORG, by_section[""]))
    center = center or (tree[0].name if tree else "")
    return RosterPrint(center, groups)


def print_roster(
    db: Database,
    out: Path | str,
    include_all: bool = False,
    *,
    flt: MemberFilter | None = None,
    today: date | None = None,
    printed_on: date | None = None,
    font_path: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    full_ids: bool = False,
) -> RosterPrint:
    """Print the 党员花名册 to the PDF `out`; returns what was printed.

    Prints `flt` when given, else everyone still on the roster, or every
    member ever recorded with `include_all`. `progress(done, total)` is told
    the page being laid out against an estimate; raise from it to cancel.
    ID numbers and mobiles are masked; `full_ids` prints them whole, which needs
    members.reveal and export.personal and is recorded in the audit trail before the file is in place.
    """
    auth.require(db, "members.read")
    if full_ids:
        auth.require(db, "members.reveal")
        auth.require(db, "export.personal")
    if flt is None and include_all:
        flt = MemberFilter()
    model = roster_print(db, flt, today)
    estimate = max(1, model.member_count // 24 + len(model.groups))  # about 24 rows a page
    if progress is not None:
        progress(0, 0)

    def on_page(page: int) -> None:
        if progress is not None:
            progress(min(page, estimate), estimate)

    from desktop_app.reports.roster import render_roster  # reportlab: loaded when something is printed

    data = render_roster(model.center_name, model.groups, None, printed_on,
                         font_path=font_path, progress=on_page, full_ids=full_ids)
    # Written beside `out` first (a folder that cannot be written is refused before the log); the PDF with
    # whole numbers is put in place only once its export is logged, and never without it.
    with put_in_place_after(Path(out), data, private=False):
        if full_ids:
            privacy.confirm_personal_export(db, "党员花名册（完整身份证号）", str(out), rows=model.member_count,
                                            table="member")
    return model
