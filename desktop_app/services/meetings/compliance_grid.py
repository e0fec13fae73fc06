"""The compliance grid: every branch and tracked kind, a cell per period of the year.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from desktop_app.domain import cadence
from desktop_app.domain import meetings as rules
from desktop_app.domain.meetings import CellStatus, KindRule, PeriodUnit
from desktop_app.services import auth, orgtree
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _own_community, _today
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.meetings.kinds import _RuleBook
from desktop_app.services.meetings.cadence import branch_settings, secretary_lectures
from desktop_app.services.meetings.queries import _quorums
from desktop_app.store.models_meetings import Meeting
from desktop_app.views.meetings import ComplianceCell, ComplianceGrid, ComplianceRow, ComplianceSummary
from desktop_app.views.orgs import OrgNode, path_names

_SEVERITY = {
    CellStatus.OVERDUE: 6, CellStatus.NO_QUORUM: 5, CellStatus.DUE: 4, CellStatus.PLANNED: 3,
    CellStatus.HELD: 2, CellStatus.FUTURE: 1, CellStatus.NOT_REQUIRED: 0,
}


def compliance(db: Database, year: int | None = None, today: date | None = None,
               org_id: str | None = None) -> ComplianceGrid:
    """Every branch (under `org_id`, default all) and every tracked kind: a cell per period of `year`.

    A party group's 党小组会 is summed up into its branch: the branch cell shows
    the worst of its groups and names the groups that owe it.
    """
    auth.require(db, "meetings.read")
    today = _today(today)
    year = year or today.year
    first, last = date(year, 1, 1), date(year, 12, 31)
    review_last = cadence.review_deadline(year)  # a year's 组织生活会 / 民主评议 may be held up to 31 March after
    with db.session() as s:
        orgs = OrgTree(s)
        book = _RuleBook(s, orgs)
        own = _own_community(s, orgs)
        head_rules = book.for_org(own.id if own else None)
        branches = orgs.branches()
        if org_id:
            inside = set(orgtree.subtree_ids(s, org_id))
            top = orgs.branch_of(org_id)
            branches = [b for b in branches if b.id in inside or (top is not None and b.id == top.id)]
        meetings = s.execute(
            select(Meeting.id, Meeting.kind, Meeting.org_id, Meeting.meeting_date, Meeting.status)
            .where(Meeting.deleted.is_(False), Meeting.meeting_date >= first, Meeting.meeting_date <= review_last,
                   Meeting.status.in_((rules.PLANNED, rules.HELD)))
        ).all()
        settings = branch_settings(s, orgs, [b.id for b in branches], year, min(today, last))
        quorums = _quorums(s, orgs, [(m[0], m[1], m[2], m[3]) for m in meetings if m[4] == rules.HELD])
        by_holder: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for m in meetings:
            by_holder[(m[2], m[1])].append(m)

        kinds = tuple(k for k in rules.KINDS if any(book.for_org(b.id)[k].tracked for b in branches)
                      or head_rules[k].tracked)
        # At a street two communities' 第一网格党支部 are told apart by their community's name.
        shown = path_names([OrgNode(o.id, o.code, o.name, o.kind, o.parent_id, o.sort_order)
                            for o in orgs.by_id.values()])
        cells: dict[tuple[str, str], tuple[ComplianceCell, ...]] = {}
        for b in branches:
            branch_rules = book.for_org(b.id)
            since, committee = settings[b.id]
            for kind in kinds:
                # Only the meetings this branch must hold: no 支委会 without a committee, no 党小组会 without groups.
                rule = cadence.branch_rule(branch_rules[kind], committee, bool(orgs.groups_of(b.id)))
                if not rule.tracked:
                    unit = rule.unit if rule.unit != PeriodUnit.NONE else PeriodUnit.YEAR
                    cells[(b.id, kind)] = tuple(
                        ComplianceCell(b.id, kind, p, CellStatus.NOT_REQUIRED)
                        for p in rules.periods_in_year(year, unit))
                    continue
                holders_ = [b]
                if rule.holder == rules.Holder.GROUP:
                    holders_ = orgs.groups_of(b.id) or [b]
                # A 党小组会 the branch records as its own counts for each of its groups.
                shared = by_holder.get((b.id, kind), []) if holders_[0].id != b.id else []
                per_holder = [
                    _holder_cells(h.id, kind, rule, year, today, by_holder.get((h.id, kind), []) + shared,
                                  quorums, since)
                    for h in holders_
                ]
                merged = []
                for i, p in enumerate(rules.periods_in_year(year, rule.unit)):
                    parts = [hc[i] for hc in per_holder]
                    worst = max(parts, key=lambda c: _SEVERITY[c.status])
                    owing = tuple(h.name for h, c in zip(holders_, parts)
                                  if c.status in (CellStatus.OVERDUE, CellStatus.DUE, CellStatus.NO_QUORUM)
                                  and h.id != b.id)
                    merged.append(ComplianceCell(
                        b.id, kind, p, worst.status,
                        held=sum(c.held for c in parts), planned=sum(c.planned for c in parts),
                        no_quorum=sum(c.no_quorum for c in parts),
                        meeting_ids=tuple(i for c in parts for i in c.meeting_ids), owing=owing,
                    ))
                cells[(b.id, kind)] = tuple(merged)
        return ComplianceGrid(
            year=year, today=today, kinds=kinds, rules=head_rules,
            rows=tuple(ComplianceRow(b.id, shown.get(b.id, b.name), b.code, b.kind) for b in branches),
            cells=cells,
            secretary_lecture=secretary_lectures(s, [b.id for b in branches], year),
            tracking_since={b.id: settings[b.id][0] for b in branches if settings[b.id][0] is not None},
            has_committee={b.id: settings[b.id][1] for b in branches},
        )


def _holder_cells(org_id: str, kind: str, rule: KindRule, year: int, today: date,
                  meetings: list[tuple], quorums: dict[str, rules.Quorum],
                  since: date | None = None) -> list[ComplianceCell]:
    out = []
    for p in rules.periods_in_year(year, rule.unit):
        inside = [m for m in meetings if cadence.counts_in(rule, p, m[3])]
        held = [m for m in inside if m[4] == rules.HELD]
        planned = [m for m in inside if m[4] == rules.PLANNED and m[3] >= today]
        no_quorum = sum(1 for m in held if quorums.get(m[0]) is not None and quorums[m[0]].lacking)
        status = cadence.cell_status(rule, p, today, len(held), len(planned), no_quorum, since)
        out.append(ComplianceCell(org_id, kind, p, status, len(held), len(planned), no_quorum,
                                  tuple(m[0] for m in inside)))
    return out


def compliance_summary(db: Database, today: date | None = None) -> ComplianceSummary:
    """Counts for the overview page: overdue, due now and held without quorum, this year."""
    auth.require(db, "meetings.read")
    today = _today(today)
    grid = compliance(db, today.year, today)
    overdue = due = no_quorum = 0
    owing: set[str] = set()
    for (org_id, _kind), cells in grid.cells.items():
        for c in cells:
            if c.status == CellStatus.OVERDUE:
                overdue += 1
                owing.add(org_id)
            elif c.status == CellStatus.DUE:
                due += 1
            no_quorum += c.no_quorum
    return ComplianceSummary(overdue, due, no_quorum, len(owing))


def overdue_count(db: Database, today: date | None = None) -> int:
    """Meetings owed this year whose period is over (branch × kind × period): the overview's number."""
    auth.require(db, "meetings.read")
    return compliance_summary(db, today).overdue
