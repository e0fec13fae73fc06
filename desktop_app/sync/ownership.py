"""Who owns each synced table's rows (as data), and the checks a merge plan passes before anything is written.

A row belongs to the organisation subtree where it was made: the table names
the column that says which organisation (OWNER_COLUMN). Rows with no such
column (or an empty one) belong to the site that brought them first (the
street remembers that per row: sync_row_state.introduced), or to the street
when the street made them. Reference lists are the street's (STREET_OWNED).
The audit trail belongs to the site that wrote it and is append-only.

At the street a package is refused whole if any row it adds or changes is
not its sender's, naming the table, the row and its owner. At a community a
package is refused if the street sends a row it may not (another community's,
or anything but the org tree, reference lists and corrections of its own rows).
A new row a community hangs under the street's own record is that community's;
a member changes community only through a transfer both ends record (sync.handover).
Closed stays closed: a change to a posted ledger entry's money, or to anything
dated in a month the receiver has closed (结账), is refused whole. The 党费比例
(STREET_ONLY) take nothing from a community but the seeded lines as every program has them.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import dues as dues_rules
from desktop_app.domain.service_flow import mask_name
from desktop_app.domain.sync_rules import Decision, PackageRefused, table_label
from desktop_app.store import audit
from desktop_app.store.books import Books, closed_months
from desktop_app.store.models import Member, Organization, Site
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncPeer
from desktop_app.sync import handover
from desktop_app.sync.codec import codec_for, encode_value
from desktop_app.sync.merge import _STAMP_COLUMNS, MergePlan, TablePlan, _chunks, _local_values
from desktop_app.sync.outgoing import REFERENCE_TABLES

# The organisation a row belongs to, per table ("id": the organisation itself).
OWNER_COLUMN: dict[str, str] = {
    "organization": "id",
    "account": "org_id", "applicant": "org_id", "assessment_scheme": "org_id", "assessment_score": "org_id",
    "assessment_title": "org_id", "branch_cadence": "org_id", "closed_month": "org_id",
    "cobuild_activity_org": "org_id", "committee_member": "org_id", "dues_record": "org_id",
    "evaluation": "org_id", "evaluation_ballot": "org_id", "evaluation_vote": "org_id",
    "ledger_entry": "org_id", "meeting": "org_id", "meeting_kind_setting": "org_id",
    "member": "org_id", "reporting_member": "org_id", "reporting_post": "org_id",
    "cobuild_contact": "grid_id", "cobuild_list_item": "grid_id", "household": "grid_id",
    "mediation_case": "grid_id", "project": "grid_id", "resident": "grid_id", "visit": "grid_id",
    "wish": "grid_id",
}
STREET_OWNED: frozenset[str] = frozenset(REFERENCE_TABLES)
# National rules with one table for all: a community adds or changes nothing in them (its lines are the
# seeded ones until the street's reach it); services.dues.rates refuses the edit at an enrolled community.
STREET_ONLY: frozenset[str] = frozenset({"dues_rate_rule"})


def _parents() -> dict[str, tuple[str, str]]:
    """A row with no organisation of its own belongs to its parent's owner: table -> (column, parent table)."""
    from desktop_app.sync.codec import synced_tables

    out: dict[str, tuple[str, str]] = {}
    for t in synced_tables():
        if t.name in OWNER_COLUMN:
            continue
        for c in t.columns:
            parents = {fk.column.table.name for fk in c.foreign_keys} & set(OWNER_COLUMN)
            if parents:
                out[t.name] = (c.name, parents.pop())
                break
    return out


PARENT: dict[str, tuple[str, str]] = _parents()  # e.g. attendance -> (meeting_id, meeting)
SITE_COLUMN: dict[str, str] = {"audit_entry": "updated_by_site"}  # rows of the site that wrote them
APPEND_ONLY: frozenset[str] = frozenset({"audit_entry", "closed_month"})  # written once, never changed
# Dated rows: the date that puts them in a month of their organisation's books.
# A 党费 record is in the books by the day its money came in (paid_on, on the voucher ledger_entry_id), not by
# the month it pays for: a 补交 of a closed month is money of an open one. Records without a voucher (imported
# history, nothing paid) are no entry of the books and not held by its closed months.
DATED: dict[str, str] = {"ledger_entry": "entry_date", "dues_record": "paid_on"}
BOOKED_BY: dict[str, str] = {"dues_record": "ledger_entry_id"}
POSTED: dict[str, tuple[str, ...]] = {  # what a posted entry never changes (corrected by a reversal)
    "ledger_entry": ("org_id", "account_id", "entry_date", "direction", "amount_fen", "voucher_no", "deleted"),
}


def _changed(tp: TablePlan) -> list[int]:
    return tp.inserts + tp.updates + [i for i, _ in tp.conflicts]


def _existing(tp: TablePlan) -> list[int]:
    return tp.updates + [i for i, _ in tp.conflicts]


def _col(tp: TablePlan, name: str) -> int:
    return [c.name for c in tp.table.columns].index(name)


def _subtree(s: Session, root: str, incoming: Iterable[tuple[str, str | None]] = ()) -> set[str]:
    """The org ids under `root` (itself included), new nodes of this package counted."""
    children: dict[str | None, list[str]] = {}
    parent_of = dict(s.execute(select(Organization.id, Organization.parent_id)).all())
    parent_of.update(incoming)
    for oid, pid in parent_of.items():
        children.setdefault(pid, []).append(oid)
    out = {root}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in out:
                out.add(child)
                stack.append(child)
    return out




def _street_org(s: Session, org_id: str | None, cache: dict[str | None, bool]) -> bool:
    """Is this organisation the street's own (no community at or above it)? None counts as the street's."""
    if org_id not in cache:
        cur, seen, street = org_id, set(), True
        while cur and cur not in seen:
            seen.add(cur)
            row = s.execute(select(Organization.kind, Organization.parent_id).where(Organization.id == cur)).first()
            if row is None:
                break
            if row.kind == "community":
                street = False
                break
            cur = row.parent_id
        cache[org_id] = street
    return cache[org_id]


def _owner_name(s: Session, org_id: str) -> str:
    """An organisation named with the community it is in: 紫荆社区党委·第一网格党支部."""
    names = []
    seen: set[str] = set()
    cur: str | None = org_id
    while cur and cur not in seen:
        seen.add(cur)
        row = s.execute(select(Organization.name, Organization.kind, Organization.parent_id)
                        .where(Organization.id == cur)).first()
        if row is None:
            break
        names.append(row.name)
        if row.kind in ("community", "street"):
            break
        cur = row.parent_id
    return "·".join(reversed(names)) or "其他组织"


def _refuse(tp: TablePlan, i: int, owner: str, why: str = "不属于发送方") -> PackageRefused:
    label = table_label(tp.table.name)
    names = [c.name for c in tp.table.columns]
    row = dict(zip(names, tp.incoming.values[i]))
    shown = next((str(row[k]) for k in ("name", "title", "voucher_no", "label", "code") if row.get(k)), "")
    what = f"{shown}（{tp.incoming.ids[i]}）" if shown else tp.incoming.ids[i]
    return PackageRefused(f"表“{label}”的记录 {what} {why}（属于{owner}），整个数据包未导入")


def check_from_community(s: Session, p: MergePlan, sender: str, root: str) -> dict[str, str]:
    """At the street: every row the package adds or changes must be its sender's.

    Returns the members it moves to the sender through a transfer both ends
    recorded (id -> former owner's site): `handover.hand_over` once merged.
    """
    set_aside_moved(s, p, sender)
    moved: dict[str, str] = {}
    incoming_orgs = []
    for tp in p.tables:
        if tp.table.name == "organization":
            i_parent = _col(tp, "parent_id")
            incoming_orgs = [(tp.incoming.ids[i], tp.incoming.values[i][i_parent]) for i in _changed(tp)]
    owned = _subtree(s, root, incoming_orgs) if root else set()
    peers = dict(s.execute(select(SyncPeer.site_id, SyncPeer.org_name)).all())
    known = set(s.scalars(select(Organization.id)))
    for tp in p.tables:
        name = tp.table.name
        rows = _changed(tp)
        if not rows:
            continue
        if name in APPEND_ONLY and _existing(tp):
            raise _refuse(tp, _existing(tp)[0], "原记录", "只能追加，不能修改或删除")
        site_col = SITE_COLUMN.get(name)
        if site_col:
            k = _col(tp, site_col)
            for i in rows:
                if tp.incoming.values[i][k] != sender:
                    raise _refuse(tp, i, peers.get(tp.incoming.values[i][k], "其他单位"))
        _check_stamps(s, tp, rows, sender, peers)
        if name in STREET_ONLY:
            _check_street_rates(tp, p.upper)
            continue
        column = OWNER_COLUMN.get(name)
        k = _col(tp, column) if column else None
        # An organisation the street does not know is no one else's (the foreign keys refuse it if it matters).
        foreign = [i for i in rows if k is not None and tp.incoming.values[i][k]
                   and tp.incoming.values[i][k] not in owned and tp.incoming.values[i][k] in known]
        if name == "organization" and foreign:
            # A new node hanging off nothing the street knows (a community's own stand-in for the
            # street, made before enrolment) belongs to no one else.
            i_parent = _col(tp, "parent_id")
            inserted = set(tp.inserts)
            foreign = [i for i in foreign if not (i in inserted and tp.incoming.values[i][i_parent] not in known)]
        if foreign:
            i = foreign[0]
            org = tp.incoming.values[i][k]
            raise _refuse(tp, i, _owner_name(s, org))
        if name == "organization" and root:
            _check_root_stays(s, tp, root, p.upper)
        if name in PARENT and tp.inserts:
            _check_parents(s, p, tp, sender, owned, peers)
        existing = _existing(tp)
        if existing:
            ids = [tp.incoming.ids[i] for i in existing]
            by = handover.introducers(s, name, ids)
            claims: dict[str, str] = {}
            for i in existing:
                who = by.get(tp.incoming.ids[i])
                # No one brought it here: the street's own, unless its organisation says it is the sender's.
                mine = (who is None and k is not None and tp.incoming.values[i][k] in owned
                        and name != "organization" and name not in STREET_OWNED)
                if who is not None and who != sender and name == handover.MOVED:
                    claims[tp.incoming.ids[i]] = who  # another community's member: only through a transfer
                elif who != sender and not mine:
                    raise _refuse(tp, i, peers.get(who, "其他社区") if who else p.upper)
            if claims:
                handover.check_claims(s, p, sender, claims)
                updated = {tp.incoming.ids[i] for i in tp.updates}
                moved.update({rid: who for rid, who in claims.items() if rid in updated})
    return moved


def set_aside_moved(s: Session, p: MergePlan, sender: str) -> None:
    """Changes the sender made to a member it had itself transferred out (to the community holding it now).

    Its program refuses them (services.roster); an older program, or a database put back from a copy,
    may still send them. They are not taken, and not a reason to refuse the rest: the package would
    be refused every time, the community unable to send anything. Each such member is named (masked)
    in p.set_aside, for the report and the trail; its row's change is agreed as the sender's state
    (so a full package later brings it as unchanged), new status or transfer rows under it are dropped.
    """
    mp = next((t for t in p.tables if t.table.name == handover.MOVED), None)
    wanted: set[str] = set()
    if mp is not None:
        wanted.update(mp.incoming.ids[i] for i in _existing(mp))
    history = [t for t in p.tables if t.table.name in handover.HISTORY and t.inserts]
    for tp in history:
        k = _col(tp, "member_id")
        wanted.update(tp.incoming.values[i][k] for i in tp.inserts)
    wanted.discard(None)
    if not wanted:
        return
    owners = {mid: who for mid, who in handover.introducers(s, handover.MOVED, sorted(wanted)).items()
              if who != sender}
    gone = handover.handed_away(s, sender, owners)
    if not gone:
        return
    peers = dict(s.execute(select(SyncPeer.site_id, SyncPeer.org_name)).all())
    names = dict(s.execute(select(Member.id, Member.name).where(Member.id.in_(list(gone)))).all())
    me = peers.get(sender, "发送方")
    for mid, on in sorted(gone.items(), key=lambda x: names.get(x[0], "")):
        there = peers.get(owners[mid], "其他社区")
        p.set_aside.setdefault(mid, (
            f"党员{mask_name(names.get(mid, ''))}（{mid}）已于 {on} 由{me}转出至{there}，组织关系已不在{me}："
            f"{me}在转出后对其所作的修改未导入，其余数据照常导入；{me}无需处理，"
            f"该党员的信息如需更正，请由{there}修改后报送"))
    if mp is not None:
        _drop_updates(mp, {i for i in _existing(mp) if mp.incoming.ids[i] in gone})
    for tp in history:
        k = _col(tp, "member_id")
        drop = {i for i in tp.inserts if tp.incoming.values[i][k] in gone}
        if drop:
            ids = {tp.incoming.ids[i] for i in drop}
            tp.inserts = [i for i in tp.inserts if i not in drop]
            tp.fresh = [i for i in tp.fresh if i not in drop]
            tp.states = [st for st in tp.states if st[0] not in ids]
            tp.counts[Decision.INSERT] -= len(drop)


def _drop_updates(tp: TablePlan, drop: set[int]) -> None:
    """Rows of a plan agreed as the sender's state but not written (as _check_street_rates does for all)."""
    if not drop:
        return
    inc = tp.incoming
    kept = [(i, was) for i, was in zip(tp.updates, tp.was) if i not in drop]
    tp.counts[Decision.UPDATE] -= len(tp.updates) - len(kept)
    tp.updates, tp.was = [i for i, _ in kept], [w for _, w in kept]
    conflicts = [(i, local) for i, local in tp.conflicts if i in drop]
    for i, _local in conflicts:
        tp.states.append((inc.ids[i], inc.stamps[i], False, None))
    tp.conflicts = [c for c in tp.conflicts if c[0] not in drop]
    tp.counts[Decision.CONFLICT] -= len(conflicts)
    tp.counts[Decision.UNCHANGED] += len(drop)


def _check_root_stays(s: Session, tp: TablePlan, root: str, upper: str) -> None:
    """The sender's 社区党委 stays where the street has it: its package may rename it, never move it.

    Where a community sits is the street's to say (the enrolment, orgs move), and its own database refuses
    the move (services.orgs); a package doing it anyway would put the community beyond its street's
    operator at a district. A row both sides changed (the street moved it, the community renamed it) is a
    conflict a person decides, not a move: only a clean update is held to the place the street has.
    """
    k = _col(tp, "parent_id")
    for i in tp.updates:
        if tp.incoming.ids[i] == root:
            here = s.scalar(select(Organization.parent_id).where(Organization.id == root))
            if tp.incoming.values[i][k] != here:
                name = tp.incoming.values[i][_col(tp, "name")]
                street = s.scalar(select(Organization.name).where(Organization.id == here)) if here else ""
                back = f"把它移回“{street}”之下" if street else "把它移回原处"
                raise PackageRefused(f"数据包把“{name}”移到了另一个上级组织之下：社区党委在哪个街道党工委之下由{upper}确定，"
                                     f"请在社区的“党组织”页{back}后重新导出；整个数据包未导入")


def _seeded_texts(tp: TablePlan) -> dict[str, list[tuple[int, str]]]:
    """Each seeded rate line as every program seeds it, by id: (column index, text as sent) pairs."""
    names = [c.name for c in tp.table.columns]
    out = {}
    for rid, line in dues_rules.default_lines().items():
        values = {**line.__dict__, "deleted": False}
        out[rid] = [(names.index(n), encode_value(codec_for(tp.table.c[n]), v)) for n, v in values.items()]
    return out


def _check_street_rates(tp: TablePlan, upper: str) -> None:
    """A community's rate lines: each a seeded line as every program has it (or a new line's tombstone), else refused.

    Such a line is no change even where the street has since moved on (a community that has not yet
    taken the street's lines sends its seed): it is agreed as the community's state, not written,
    so the street's line stands and goes down to the community as a correction.
    """
    seeded = _seeded_texts(tp)
    inc = tp.incoming
    k_deleted = _col(tp, "deleted")
    tombstone = encode_value(codec_for(tp.table.c.deleted), True)
    inserted = set(tp.inserts)
    for i in _changed(tp):
        if i in inserted and inc.columns[k_deleted][i] == tombstone:
            continue  # a line the community set before it enrolled, withdrawn then: it sets no rate
        want = seeded.get(inc.ids[i])
        if want is None or any(inc.columns[k][i] != text for k, text in want):
            raise _refuse(tp, i, upper, f"不属于发送方：党费比例由{upper}统一设置，社区不能新增或修改")
    for i, _local in tp.conflicts:
        tp.states.append((inc.ids[i], inc.stamps[i], False, None))
    tp.counts[Decision.UNCHANGED] += len(tp.updates) + len(tp.conflicts)
    tp.counts[Decision.UPDATE] = tp.counts[Decision.CONFLICT] = 0
    tp.updates, tp.was, tp.conflicts = [], [], []  # (an update's state, the sender's stamp, stays as planned)


def _check_stamps(s: Session, tp: TablePlan, rows: list[int], sender: str, peers: dict[str, str]) -> None:
    """A row the sender adds or changes carries its own stamp (or the street's, a correction it took).

    A third site's stamp would be that site's edit: a member stamped as A's holds an ID number in
    A's name at the street (unique per writing site), and A's own next package is refused.
    """
    k = _col(tp, "updated_by_site")
    here = s.scalar(select(Site.id).limit(1))
    for i in rows:
        who = tp.incoming.values[i][k]
        if who != sender and who != here:
            raise _refuse(tp, i, peers.get(who, "其他单位"), "标为其他单位的修改，不是发送方自己的")


def _check_parents(s: Session, p: MergePlan, tp: TablePlan, sender: str, owned: set[str],
                   peers: dict[str, str]) -> None:
    """New rows hung under a parent row: the parent must be the sender's (or come in this package).

    A row under the street's own record (a 议题 for the street's 联席会议, a row tied to the
    street's node) is the sending community's, as any new row it makes; under a reference
    list (an indicator of the street's scheme) or under another community's record it is refused.
    """
    column, parent_name = PARENT[tp.table.name]
    k = _col(tp, column)
    in_package = set()  # parents this package adds or changes (an unchanged copy proves nothing)
    for other in p.tables:
        if other.table.name == parent_name:
            in_package = {other.incoming.ids[i] for i in _changed(other)}
    wanted = {tp.incoming.values[i][k] for i in tp.inserts} - in_package - {None}
    if not wanted:
        return
    parent = next(t for t in tp.table.metadata.sorted_tables if t.name == parent_name)
    org_col = parent.c[OWNER_COLUMN[parent_name]]
    orgs: dict[str, str | None] = {}
    for part in _chunks(sorted(wanted)):
        orgs.update(s.execute(select(parent.c.id, org_col).where(parent.c.id.in_(part))).all())
    by = handover.introducers(s, parent_name, [pid for pid, org in orgs.items() if org not in owned])
    streets: dict[str | None, bool] = {}
    for i in tp.inserts:
        pid = tp.incoming.values[i][k]
        if pid not in orgs or orgs[pid] in owned or by.get(pid) == sender:
            continue  # unknown here (the foreign keys decide), or the sender's own
        who = by.get(pid)
        if who is None and parent_name not in STREET_OWNED and _street_org(s, orgs[pid], streets):
            continue  # under the street's own record (not a reference list): the new row is its maker's
        owner = _owner_name(s, orgs[pid]) if orgs[pid] else (peers.get(who, "其他社区") if who else p.upper)
        raise _refuse(tp, i, owner, f"挂在不属于发送方的{table_label(parent_name)}下")


def check_from_street(s: Session, p: MergePlan, root: str, me=None) -> None:
    """At a community: the street sends the org tree, reference lists, corrections of our own rows only,
    and members another community transferred out to us (`me`: our SiteRef), with their history."""
    owned = _subtree(s, root) if root else set()
    arriving = handover.arriving(p, me.org_code, me.org_name, me.id) if me is not None else set()
    for tp in p.tables:
        name = tp.table.name
        if name == "organization" or name in STREET_OWNED:
            continue
        if name in APPEND_ONLY and _existing(tp):
            raise _refuse(tp, _existing(tp)[0], "原记录", "只能追加，不能修改或删除")
        if name == handover.MOVED:
            k = _col(tp, "org_id")
            alien = [i for i in tp.inserts if tp.incoming.ids[i] not in arriving
                     or tp.incoming.values[i][k] not in owned]
        elif name in handover.HISTORY:
            k = _col(tp, "member_id")
            alien = [i for i in tp.inserts if tp.incoming.values[i][k] not in arriving]
        else:
            alien = tp.inserts
        if alien:
            raise _refuse(tp, alien[0], "其他社区", f"不是本社区的数据，{p.upper}不能下发")
        column = OWNER_COLUMN.get(name)
        if column is None:
            continue
        k = _col(tp, column)
        for i in _existing(tp):
            org = tp.incoming.values[i][k]
            if org and org not in owned:
                raise _refuse(tp, i, _owner_name(s, org), f"不是本社区的数据，{p.upper}不能下发")


def check_closed(s: Session, p: MergePlan) -> None:
    """Closed stays closed: posted entries' money, and anything dated in a month closed here.

    A dated row falls in the books of the nearest organisation at or above its own that keeps books
    (store.books): a 党支部 member's 党费 record is in its community's closed month as much as the 党委's.
    """
    closed = {(org, str(month)[:7]) for org, month in closed_months(s)}
    books: Books | None = None
    stuck: list[str] = []  # every 党费 record refused, named: the community puts each back (services.sync.closed_dues)
    for tp in p.tables:
        name = tp.table.name
        posted = POSTED.get(name)
        dated = DATED.get(name)
        if not (posted or (dated and closed)):
            continue
        existing = _existing(tp)
        local = _local_values(s, tp.table, [tp.incoming.ids[i] for i in existing], p.package.storage) \
            if existing else {}
        names = [c.name for c in tp.table.columns]
        if posted:
            ks = [names.index(c) for c in posted]
            for i in existing:
                mine = local.get(tp.incoming.ids[i])
                if mine is not None and any(mine[k] != tp.incoming.values[i][k] for k in ks):
                    raise _refuse(tp, i, "已记账的凭证", "改动了已记账凭证（只能红字冲销）")
        if dated and closed:
            books = books or Books(s, _incoming_orgs(p))  # the org tree read once per package
            k_org, k_date = names.index(OWNER_COLUMN[name]), names.index(dated)
            k_booked = names.index(BOOKED_BY[name]) if name in BOOKED_BY else None
            content = [k for k, n in enumerate(names) if n not in _STAMP_COLUMNS]
            for i in _changed(tp):
                vals = [tp.incoming.values[i]]
                mine = local.get(tp.incoming.ids[i])
                if mine is not None:
                    if all(mine[k] == tp.incoming.values[i][k] for k in content):
                        continue  # the same content under a new stamp (a row put back as it was) changes no book
                    vals.append(mine)
                for v in vals:
                    book = books.of(v[k_org])
                    if k_booked is not None and v[k_booked] is None:
                        continue
                    if v[k_date] is not None and (book, str(v[k_date])[:7]) in closed:
                        if name != "dues_record":
                            raise _closed_refusal(s, p, tp, i, v[k_org], book, str(v[k_date])[:7])
                        stuck.append(_closed_dues_text(s, p, tp, i, v[k_org], book, str(v[k_date])[:7]))
                        break
    if stuck:
        raise _closed_dues_refusal(p, stuck)
    # Reopening a closed month (tombstoning or changing its row) is an append-only breach, checked above.


def _incoming_orgs(p: MergePlan) -> list[tuple[str, str, str | None]]:
    """(id, kind, parent id) of the organisations a package adds or changes."""
    tp = next((t for t in p.tables if t.table.name == "organization"), None)
    if tp is None:
        return []
    k_kind, k_parent = _col(tp, "kind"), _col(tp, "parent_id")
    return [(tp.incoming.ids[i], tp.incoming.values[i][k_kind], tp.incoming.values[i][k_parent])
            for i in _changed(tp)]


def _shown_month(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:7])}月"


def _closed_refusal(s: Session, p: MergePlan, tp: TablePlan, i: int, org: str | None, book: str | None,
                    month: str) -> PackageRefused:
    """A row dated in a closed month, named by its organisation, the month and whose books closed it."""
    keeper = _owner_name(s, book) if book else "本单位"
    return _refuse(tp, i, f"{keeper}已结账的{_shown_month(month)}", "落在已结账的月份")


def _closed_dues_text(s: Session, p: MergePlan, tp: TablePlan, i: int, org: str | None, book: str | None,
                      month: str) -> str:
    """One 党费 record dated in a closed month: its member, organisation, the month and whose books closed it."""
    shown = _shown_month(month)
    keeper = _owner_name(s, book) if book else "本单位"
    member_id = tp.incoming.values[i][_col(tp, "member_id")]
    who = s.scalar(select(Member.name).where(Member.id == member_id))
    if who is None:  # a member new in this package
        mp = next((t for t in p.tables if t.table.name == "member"), None)
        if mp is not None and member_id in mp.incoming.ids:
            who = mp.incoming.values[mp.incoming.ids.index(member_id)][_col(mp, "name")]
    where = _owner_name(s, org) if org else keeper
    return (f"{who or member_id}（{where}）{shown}交纳的党费（{tp.incoming.ids[i]}）落在已结账的月份："
            f"{keeper}已结账{shown}，党费记在它的账上")


_NAMED = 10  # records named one by one in a refusal; the rest counted


def _closed_dues_refusal(p: MergePlan, stuck: list[str]) -> PackageRefused:
    """Every 党费 record of a closed month the package changes, and the community's way out.

    Such changes were made by a program from before the community itself refused them; they travel in every
    package until put back, so the message says where: the community's 数据同步 page puts each record back as
    the receiver holds it (and books the money again where the change had taken it out).
    """
    named = "；".join(stuck[:_NAMED]) + (f"；另有 {len(stuck) - _NAMED} 条" if len(stuck) > _NAMED else "")
    return PackageRefused(
        f"表“{table_label('dues_record')}”的 {len(stuck)} 条记录改动了已结账月份的党费：{named}。"
        f"请社区在“数据同步”页点“恢复已结账月份的党费”（命令行 dangqun sync closed-dues --apply），"
        f"按{p.upper}的记录恢复这些党费后重新导出；要更正的金额可在未结账的月份补交。整个数据包未导入")


def check_trail(s: Session, p: MergePlan, sender: str) -> None:
    """At the street: the sender's audit entries, as received, continue its hash chain without a gap or a fork."""
    tp = next((t for t in p.tables if t.table.name == "audit_entry"), None)
    if tp is None or not tp.inserts:
        return
    names = [c.name for c in tp.table.columns]
    new = [(i, dict(zip(names, tp.incoming.values[i]))) for i in tp.inserts]
    new = [(i, e) for i, e in new if e["hash"]]
    if not new:
        return
    a = AuditEntry.__table__
    stored = s.execute(select(a.c.hash, a.c.prev_hash).where(a.c.site_id == sender, a.c.hash != "")).all()
    hashes = {h for h, _ in stored} | {e["hash"] for _, e in new}
    taken = {prev for _, prev in stored}
    for i, e in new:
        if e["site_id"] != sender:
            raise _refuse(tp, i, "其他单位", "不是发送方自己的操作日志")
        if audit.entry_hash(e) != e["hash"]:
            raise _refuse(tp, i, "发送方的操作日志", "内容与哈希链不符（被改动过）")
        if e["prev_hash"] and e["prev_hash"] not in hashes:
            raise _refuse(tp, i, "发送方的操作日志", "在哈希链上的前一条不存在（有记录被删除；若本库曾从备份恢复，"
                                                        "请让社区导出全部数据（完整数据包）后再导入）")
        if e["prev_hash"] in taken:
            raise _refuse(tp, i, "发送方的操作日志", "与另一条记录接在哈希链的同一处（链分叉）")
        taken.add(e["prev_hash"])
