"""A member moving between two communities of one street: a transfer both ends record.

Community A records the 转出 on its roster, its 转往 naming community B (B's
name as enrolled at the street, or B's org code); A's package carries it up.
The street's send-down to B then carries the member, pointed at B's community
node (B does not hold A's branches), with its status history and transfer
records. B records the 转入 into one of its branches, and B's package carries
the member, now in B's tree, and the 转入. Only with both records does the
street accept the member's change of owner; from then on the member row is
B's: the street sends its corrections to B, and A's later changes of it are
refused. Any other claim of another community's member stays refused, naming
the member and both communities.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import Connection, Table, exists, func, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.members import TRANSFER_IN, TRANSFER_OUT, TRANSFERRED_OUT
from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.store.models_sync import SyncPeer, SyncRowState
from desktop_app.sync.codec import synced_tables

MOVED = "member"  # the table whose rows change owner through a transfer
HISTORY = ("transfer", "member_status_change")  # a member's rows that go with it to its new community


_CHUNK = 500  # ids a statement: with a district's peers, well under any driver's limit of parameters


def _table(name: str) -> Table:
    return next(t for t in synced_tables() if t.name == name)


def _squash(text: str | None) -> str:
    return "".join((text or "").split())


def target(to_org: str | None, peers: Iterable[tuple[str, str, str]]) -> str | None:
    """The community (site id) a 转往 text names among (site id, org code, org name); None for none or two.

    The text is the community's org code, or begins with its name (a branch
    path may follow); the longest matching name wins (第一社区党委 over 第一社区).
    """
    text = _squash(to_org)
    if not text:
        return None
    best: list[tuple[int, str]] = []
    for site_id, code, name in peers:
        n = _squash(name)
        if code and text == code:
            return site_id
        if n and text.startswith(n):
            best.append((len(n), site_id))
    best.sort(reverse=True)
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return best[0][1]


def community_peers(s: Session | Connection) -> list[tuple[str, str, str]]:
    p = SyncPeer.__table__
    return [tuple(r) for r in s.execute(select(p.c.site_id, p.c.org_code, p.c.org_name)
                                        .where(p.c.level == "community"))]


# --- at the street: a claim of another community's member --------------------------------

def introducers(s: Session, table: str, ids: list[str]) -> dict[str, str]:
    """Row id -> the peer that brought it here first, for those of `ids` in `table` a peer brought.

    The stamps' key leads with the peer, so a look-up by table and row alone would read every
    stamp of the street (a million and more) for each batch of ids. The peers holding stamps are
    found first by a skip over the key's first column, one seek per peer, whether or not they are
    in sync_peer; then each id is one seek per peer.
    """
    rs = SyncRowState.__table__
    if not ids:
        return {}
    step = select(func.min(rs.c.peer_site).label("p"))
    seen = step.cte("peers", recursive=True)
    seen = seen.union_all(
        select(step.where(rs.c.peer_site > seen.c.p).scalar_subquery()).where(seen.c.p.is_not(None)))
    peers = [p for p in s.scalars(select(seen.c.p)) if p is not None]
    out: dict[str, str] = {}
    q = select(rs.c.row_id, rs.c.peer_site).where(
        rs.c.peer_site.in_(peers), rs.c.table_name == table, rs.c.introduced.is_(True))
    for i in range(0, len(ids), _CHUNK):
        out.update(s.execute(q.where(rs.c.row_id.in_(ids[i:i + _CHUNK]))).all())
    return out


def check_claims(s: Session, plan, sender: str, claims: dict[str, str]) -> None:
    """Member rows (id -> current owner's site) the sender's package changes: each needs the 转出 and the 转入.

    The 转出 must be held here, brought by the member's owner, its 转往 naming
    the sender; the 转入 must be in this package or held here from the sender.
    Raises PackageRefused naming the member and both communities.
    """
    t = _table("transfer")
    peers = community_peers(s)
    names = {sid: name for sid, _, name in peers}
    mp = next(x for x in plan.tables if x.table.name == MOVED)
    k_name = [c.name for c in mp.table.columns].index("name")
    shown = {mp.incoming.ids[i]: mp.incoming.values[i][k_name] for i in range(len(mp.incoming))
             if mp.incoming.ids[i] in claims}
    outs: dict[str, list[tuple[str, str]]] = {}
    ins: set[str] = set()
    held = s.execute(select(t.c.id, t.c.member_id, t.c.direction, t.c.to_org).where(
        t.c.member_id.in_(list(claims)), t.c.deleted.is_(False))).all()
    by = introducers(s, "transfer", [r.id for r in held])
    for tid, mid, direction, to_org in held:
        if direction == TRANSFER_OUT and by.get(tid) == claims[mid]:
            outs.setdefault(mid, []).append((tid, to_org))
        elif direction == TRANSFER_IN and by.get(tid) == sender:
            ins.add(mid)
    tp = next((x for x in plan.tables if x.table.name == "transfer"), None)
    if tp is not None:
        cols = [c.name for c in tp.table.columns]
        k_m, k_d, k_del = cols.index("member_id"), cols.index("direction"), cols.index("deleted")
        for i in tp.inserts + tp.updates:
            v = tp.incoming.values[i]
            if v[k_m] in claims and v[k_d] == TRANSFER_IN and not v[k_del]:
                ins.add(v[k_m])
    for mid, owner in claims.items():
        who = f"{shown.get(mid, '')}（{mid}）"
        here, there = names.get(owner, "其他社区"), names.get(sender, "发送方")
        if not any(target(to_org, peers) == sender for _, to_org in outs.get(mid, ())):
            raise PackageRefused(
                f"表“党员”的记录 {who} 属于{here}，{there}不能改动：组织关系转接须由{here}先办理转出（转往{there}）"
                f"并报送{plan.upper}，{there}收到{plan.upper}下发后再办理转入；整个数据包未导入")
        if mid not in ins:
            raise PackageRefused(
                f"表“党员”的记录 {who} 已由{here}转出给{there}，但数据包里没有{there}的转入记录："
                f"请先在{there}办理转入，再导出数据包；整个数据包未导入")


def handed_away(s: Session, sender: str, owners: dict[str, str]) -> dict[str, str]:
    """Members (id -> current owner's site) the sender itself transferred out to that owner: id -> the 转出's date.

    The member's latest 转出 held here is the sender's and names the owner: the sender's copy is its
    record of a member gone, and a change it makes to it is stale (made after the move), not a claim.
    """
    if not owners:
        return {}
    t = _table("transfer")
    peers = community_peers(s)
    held = s.execute(select(t.c.id, t.c.member_id, t.c.transfer_date, t.c.to_org).where(
        t.c.member_id.in_(list(owners)), t.c.direction == TRANSFER_OUT, t.c.deleted.is_(False))
        .order_by(t.c.transfer_date, t.c.created_at)).all()
    latest = {row.member_id: row for row in held}  # the last of each member's (a 转出 back the same day is later)
    by = introducers(s, "transfer", [r.id for r in latest.values()])
    return {mid: str(r.transfer_date)[:10] for mid, r in latest.items()
            if by.get(r.id) == sender and target(r.to_org, peers) == owners[mid]}


def hand_over(s: Session, sender: str, moved: dict[str, str]) -> None:
    """After the merge: the moved members (id -> former owner) are the sender's from now on.

    The former owner's agreed stamp stays, so its unchanged copy (a 转出 record)
    in a later package is merely older; the street no longer sends it corrections
    of the member (outgoing.downstream_rows), and a change it makes is refused.
    """
    if not moved:
        return
    rs = SyncRowState.__table__
    for mid, former in moved.items():
        s.execute(update(rs).where(rs.c.peer_site == former, rs.c.table_name == MOVED, rs.c.row_id == mid)
                  .values(introduced=False))
    s.execute(update(rs).where(rs.c.peer_site == sender, rs.c.table_name == MOVED, rs.c.row_id.in_(list(moved)))
              .values(introduced=True))


def not_handed_on(table: Table, peer_id: str):
    """A send-down's corrections of members: only those no other community holds now (see hand_over)."""
    rs = SyncRowState.__table__.alias("holder")
    return ~exists().where(rs.c.row_id == table.c.id, rs.c.table_name == MOVED, rs.c.peer_site != peer_id,
                           rs.c.introduced.is_(True))


# --- the street's send-down: members on their way to the community --------------------------

def pending(conn: Connection, peer_id: str, orgs: set[str]) -> dict[str, str]:
    """Members transferred out to this community and not yet taken in: id -> the community's node to show them under."""
    p = SyncPeer.__table__
    peer = conn.execute(select(p.c.org_id).where(p.c.site_id == peer_id)).first()
    if peer is None or not peer.org_id:
        return {}
    t, m = _table("transfer"), _table(MOVED)
    peers = community_peers(conn)
    rows = conn.execute(select(t.c.member_id, t.c.to_org).join(m, m.c.id == t.c.member_id).where(
        t.c.direction == TRANSFER_OUT, t.c.deleted.is_(False), m.c.deleted.is_(False),
        m.c.status == TRANSFERRED_OUT, m.c.org_id.not_in(orgs) if orgs else m.c.id.is_not(None))).all()
    return {mid: peer.org_id for mid, to_org in rows if target(to_org, peers) == peer_id}


def add_rows(conn: Connection, enc, peer_id: str, rows: list, moving: dict[str, str]) -> list:
    """A send-down table's rows with the moving members (or their history) added, each once."""
    table = enc.table
    if table.name != MOVED and table.name not in HISTORY:
        return rows
    have = {r.id for r in rows}
    key = table.c.id if table.name == MOVED else table.c.member_id
    more = conn.execute(enc.select(peer_id).where(key.in_(list(moving)))).all()
    out = list(rows) + [r for r in more if r.id not in have]
    if table.name != MOVED:
        return out
    k = [c.name for c in table.columns].index("org_id")
    return [tuple(r[:k]) + (moving[r.id],) + tuple(r[k + 1:]) if r.id in moving else r for r in out]


# --- at the community: what the street may hand it -------------------------------------------

def arriving(plan, me_code: str, me_name: str, me_site: str) -> set[str]:
    """Members the street's package hands to this community: a live 转出 in it names us."""
    tp = next((x for x in plan.tables if x.table.name == "transfer"), None)
    if tp is None:
        return set()
    cols = [c.name for c in tp.table.columns]
    k_m, k_d, k_to, k_del = (cols.index(c) for c in ("member_id", "direction", "to_org", "deleted"))
    me = [(me_site, me_code, me_name)]
    return {v[k_m] for v in tp.incoming.values
            if v[k_d] == TRANSFER_OUT and not v[k_del] and target(v[k_to], me) == me_site}
