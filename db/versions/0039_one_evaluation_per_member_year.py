"""One live 民主评议 grade and one live 民主测评 tally per member and year, one ballot count per branch and year.

The services keep to one row (they update the row they find), but two windows
saving at once on PostgreSQL, or a program before this one, could leave two
live rows; the grid then showed whichever was edited last and the other stayed
in every count of the trail. A partial unique index on live rows stops that at
the storage level. Like the live ID number (0019) it is per writing site: a
street merges many communities' packages, and a member moved between two of
them may rightly carry one grade from each (the lists read the latest edit).

A database that already holds duplicates must still upgrade and lose nothing:
the newest row (latest edit) stays; each older one is marked deleted, not
removed, so it stays in the table and can be read or restored. A kept grade
whose duplicates said something else gets a note naming them (the grade and its
notes); every duplicate is logged. The rows changed get version + 1 with their
writing site kept, so the street, settling the same duplicates in its own copy
the same way, agrees with the community's package instead of seeing a conflict,
and a street holding only the older row receives its tombstone.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from alembic.runtime.migration import log  # where alembic says what it upgrades, as 0019's warnings go

revision = "0039"
down_revision = "0038"
branch_labels = None
depends_on = None

# table -> (index name, key columns without the site, what a log line calls a row)
INDEXES = {
    "evaluation": ("uq_evaluation_live_member_year", ("member_id", "year"), "民主评议结果"),
    "evaluation_vote": ("uq_evaluation_vote_live_member_year", ("member_id", "year"), "民主测评票数"),
    "evaluation_ballot": ("uq_evaluation_ballot_live_org_year", ("org_id", "year"), "民主测评发出/收回票数"),
}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _settle(conn, table: str, keys: tuple[str, ...], what: str) -> list[str]:
    """Every live duplicate of `table` but the newest marked deleted; one report line per row so marked."""
    cols = ", ".join(keys)
    on = " AND ".join(f"d.{k} = t.{k}" for k in (*keys, "updated_by_site"))
    extra = ", t.grade, t.notes" if table == "evaluation" else ""
    rows = conn.execute(sa.text(
        f"SELECT t.id, t.{keys[0]}, t.year, t.updated_by_site, t.version{extra} FROM {table} t JOIN ("
        f" SELECT {cols}, updated_by_site FROM {table} WHERE deleted = false"
        f" GROUP BY {cols}, updated_by_site HAVING COUNT(*) > 1) d ON {on}"
        f" WHERE t.deleted = false"
        # newest first: the latest edit, then the higher version, then the id (the same choice on every site)
        f" ORDER BY t.updated_by_site, t.{keys[0]}, t.year, t.updated_at DESC, t.version DESC, t.id DESC"
    )).all()
    names = dict(conn.execute(sa.text(
        "SELECT id, name FROM member" if keys[0] == "member_id" else "SELECT id, name FROM organization")).all())
    now = _now()
    reports: list[str] = []
    kept: dict[tuple, tuple] = {}
    dropped: dict[str, list[str]] = {}  # kept evaluation id -> what its duplicates said
    for row in rows:
        rid, owner, year, site, version = row[:5]
        key = (owner, year, site)
        if key not in kept:
            kept[key] = row
            continue
        conn.execute(sa.text(f"UPDATE {table} SET deleted = true, version = :v, updated_at = :now WHERE id = :id"),
                     {"v": version + 1, "now": now, "id": rid})
        label = f"{names.get(owner, owner)} {year}年度{what}（{rid}）"
        if table == "evaluation":
            grade, notes = row[5], row[6]
            said = f"“{grade}”" + (f"（备注：{notes}）" if notes else "")
            dropped.setdefault(kept[key][0], []).append(said)
            label += f" {said}"
        reports.append(label)
    for keep_id, said in dropped.items():
        keep = next(r for r in kept.values() if r[0] == keep_id)
        note = (f"【数据库升级】本年度另有{len(said)}条评议结果与本条重复：{'、'.join(said)}，"
                "已标为删除（仍保存在数据库中）；如应以那条为准，请在此更正。")
        conn.execute(sa.text("UPDATE evaluation SET notes = :notes, version = :v, updated_at = :now WHERE id = :id"),
                     {"notes": (keep[6] + "\n" if keep[6] else "") + note, "v": keep[4] + 1, "now": now,
                      "id": keep_id})
    return reports


def upgrade() -> None:
    conn = op.get_bind()
    for table, (index, keys, what) in INDEXES.items():
        for line in _settle(conn, table, keys, what):
            log.warning("duplicate live row marked deleted, the newest kept: %s", line)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(index, [*keys, "updated_by_site"], unique=True,
                                  sqlite_where=sa.text("deleted = 0"), postgresql_where=sa.text("NOT deleted"))


def downgrade() -> None:
    for table, (index, _keys, _what) in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
