"""Conflicts a merge kept, and the one decision the sync page lets a person make.

Resolve a conflict by choosing a side, in one transaction. The choice is a new
edit of this site that follows both versions, so it travels on like any other
edit and the other end catches up (the street sends it down). It is written by
the merge's own writer (sync.merge.settle): the row, the stamp agreed with the
peer, the conflicts it settles. The street is the one arbiter: a community may
take the street's version, but "keep ours" is the street's call, or the two
decisions would conflict anew.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import Boolean, DateTime, select
from sqlalchemy.exc import IntegrityError

from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.site import upper_name
from desktop_app.domain.sync_rules import COMMUNITY, Stamp, resolved_version, table_label
from desktop_app.services import auth
from desktop_app.services.sync.status import reached_peers, site_names, upper_level_in
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_sync import SyncConflict, SyncIdentity
from desktop_app.sync import merge
from desktop_app.sync.codec import NULL, row_to_texts, synced_tables, texts_to_row
from desktop_app.views.audit import shown_field
from desktop_app.views.sync import INCOMING, LOCAL, SIDE_LABELS, ConflictDetail, ConflictRow, FieldDiff

_ROW_NAMES = ("name", "title", "wisher_name", "visitee_name", "head_name", "guest_name", "claimant_name",
              "number", "case_no", "wish_no", "project_no", "voucher_no", "code")
_ROW_KINDS = ("kind", "category")  # only when nothing names the row: a 党费记录's category is not who it is


def _text(texts: dict[str, str], col: str) -> str:
    v = texts.get(col)
    return v.removeprefix("\\") if v and v != NULL else ""


def _row_label(texts: dict[str, str], members: dict[str, str]) -> str:
    """What a person calls the row: its own name or number, else its member's name and month, else its kind."""
    for col in _ROW_NAMES:
        if v := _text(texts, col):
            return v
    if who := members.get(_text(texts, "member_id")):
        month = _text(texts, "month") or _text(texts, "effective_from")
        return f"{who} · {month[:7]}" if month else who
    for col in _ROW_KINDS:
        if v := _text(texts, col):
            return v
    return texts.get("id", "")[:8]


def _member_names(s, rows: list[dict[str, str]]) -> dict[str, str]:
    """The names of the members the rows belong to, in one query."""
    ids = {v for r in rows if (v := _text(r, "member_id"))}
    if not ids:
        return {}
    return dict(s.execute(select(Member.id, Member.name).where(Member.id.in_(ids))).all())


def _incoming(c: SyncConflict) -> dict[str, str]:
    try:
        return json.loads(c.incoming_json)
    except ValueError:
        return {}


def _conflict_row(c: SyncConflict, names: dict[str, str], texts: dict[str, str],
                  members: dict[str, str]) -> ConflictRow:
    return ConflictRow(
        id=c.id, table=c.table_name, table_label=table_label(c.table_name), row_id=c.row_id,
        row_label=_row_label(texts, members), peer_site=c.peer_site, peer_name=names.get(c.peer_site, c.peer_site[:8]),
        detected_at=c.detected_at, local_version=c.local_version, incoming_version=c.incoming_version,
        status=c.status, resolution=c.resolution, resolved_at=c.resolved_at, resolved_by=c.resolved_by,
    )


def conflicts(db: Database, status: str | None = "open", community: str | None = None) -> list[ConflictRow]:
    """Kept conflicts, newest first; `community` is a peer's site id."""
    with db.session() as s:
        names = site_names(s)
        q = select(SyncConflict).order_by(SyncConflict.detected_at.desc(), SyncConflict.table_name)
        if status:
            q = q.where(SyncConflict.status == status)
        if community:
            q = q.where(SyncConflict.peer_site == community)
        peers = reached_peers(s)  # a confined account: its own communities' conflicts, not their rows elsewhere
        if peers is not None:
            q = q.where(SyncConflict.peer_site.in_(peers))
        kept = [(c, _incoming(c)) for c in s.scalars(q)]
        members = _member_names(s, [texts for _, texts in kept])
        return [_conflict_row(c, names, texts, members) for c, texts in kept]


def _table(name: str):
    for t in synced_tables():
        if t.name == name:
            return t
    raise NotFound(f"本库没有表 {name}")


def _display(table: str, column, text: str, org_names: dict[str, str], site_names: dict[str, str]) -> str:
    """A stored text as a person reads it: 是/否, names for ids, times on this PC's clock, money in 元
    (for reading only: a resolution writes the stored texts, never these)."""
    if text == NULL:
        return "（空）"
    name = column.name
    text = text[1:] if text.startswith("\\") else text
    if name.endswith("_fen"):
        try:
            return str(shown_field(table, name, int(text))[1])
        except ValueError:
            return text
    if name == "updated_by_site":
        return site_names.get(text, text[:8])
    if isinstance(column.type, Boolean):
        return {"1": "是", "0": "否"}.get(text, text)
    if isinstance(column.type, DateTime):
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return text
        if name in ("created_at", "updated_at"):  # kept in UTC by the sync columns
            when = when.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)
        return when.strftime("%Y-%m-%d %H:%M:%S")
    if name.endswith("_id") and text in org_names:
        return org_names[text]
    return text


def _kept(s, conflict_id: str) -> SyncConflict:
    """A kept conflict, as one of a confined account's own communities (else not found: it is not theirs)."""
    c = s.get(SyncConflict, conflict_id)
    peers = reached_peers(s)
    if c is None or (peers is not None and c.peer_site not in peers):
        raise NotFound("找不到这条冲突记录")
    return c


def conflict_detail(db: Database, conflict_id: str) -> ConflictDetail:
    """Both versions side by side; "local" is the row as it is now in this database."""
    with db.session() as s:
        c = _kept(s, conflict_id)
        names = site_names(s)
        table = _table(c.table_name)
        current = s.execute(select(table).where(table.c.id == c.row_id)).mappings().first()
        local = row_to_texts(table, dict(current)) if current else json.loads(c.local_json)
        incoming = json.loads(c.incoming_json)
        org_names = dict(s.execute(select(Organization.id, Organization.name)).all())
        fields = tuple(
            FieldDiff(col.name, shown_field(c.table_name, col.name, None)[0],
                      _display(c.table_name, col, local.get(col.name, NULL), org_names, names),
                      _display(c.table_name, col, incoming.get(col.name, NULL), org_names, names))
            for col in table.columns if col.name != "id"
        )
        changed = current is not None and (current["version"], current["updated_by_site"]) != (
            c.local_version, c.local_site)
        return ConflictDetail(
            conflict=_conflict_row(c, names, incoming, _member_names(s, [incoming])), fields=fields,
            local_changed_since=changed,
            local_site_name=names.get(str(current["updated_by_site"]) if current else c.local_site, ""),
            incoming_site_name=names.get(c.incoming_site, c.incoming_site[:8]),
        )


# --- the decision ------------------------------------------------------------------

def resolve_conflict(db: Database, conflict_id: str, side: str, by: str = "") -> ConflictRow:
    """A person chooses a side. One transaction: the row, the agreed stamp, the conflict's status."""
    if side not in (LOCAL, INCOMING):
        raise ValidationError("处理方式", "应为“采用本地”或“采用来件”")
    by = (by or "").strip()[:40]
    auth.require(db, "sync.import")
    with UnitOfWork(db) as uow:
        s = uow.session
        c = _kept(s, conflict_id)
        if c.status != "open":
            raise Conflict("这条冲突已经处理过了")
        ident = s.get(SyncIdentity, 1)
        if side == LOCAL and ident is not None and ident.role == COMMUNITY:
            # The street is the one arbiter: two ends deciding apart would only
            # make a new conflict of their two decisions.
            up = upper_name(upper_level_in(s, ident))
            raise Conflict(
                f"社区与{up}的冲突由{up}决定：本社区的版本会随下次数据包报送{up}，{up}处理后会下发结果。"
                f"如果{up}的版本是对的，可以“采用来件”"
            )
        table = _table(c.table_name)
        current = s.execute(select(table).where(table.c.id == c.row_id)).mappings().first()
        if current is None:
            raise NotFound("本地已没有这条记录")
        incoming_stamp = Stamp(c.incoming_version, c.incoming_site)
        now = utcnow()
        values: dict = {}
        if side == INCOMING:
            try:
                incoming = texts_to_row(table, json.loads(c.incoming_json))
            except ValueError:
                raise Conflict("来件版本的数据无法读取") from None
            values = {k: v for k, v in incoming.items() if k not in ("id", "created_at")}
        values.update(
            version=resolved_version(Stamp(current["version"], current["updated_by_site"]), incoming_stamp),
            updated_by_site=uow.site_id, updated_at=now,
        )
        texts = _incoming(c)
        members = _member_names(s, [texts])
        audit.record(
            s, "update", c.table_name, c.row_id,
            f"处理同步冲突：{SIDE_LABELS[side]}（来自 {site_names(s).get(c.peer_site, c.peer_site[:8])}）",
            label=_row_label(texts, members),
            before={k: current[k] for k in values if k in current},
            after={k: v for k, v in values.items()},
        )
        try:
            merge.settle(s, c, table, values, side, by, now)
        except IntegrityError:
            raise Conflict("采用来件后与本库其他记录冲突（引用的记录不存在或重复），未作更改") from None
        row = _conflict_row(c, site_names(s), texts, members)
        uow.commit()
    return row
