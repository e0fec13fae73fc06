"""Narrower agreed stamps: no copy of the peer's site in its own stamps, no agreement time at a street.

sync_row_state holds a stamp per merged row (at a street, millions: about a
quarter of its file), each writing 144 bytes of text. Two of its columns
mostly repeat what is known already:
- site, the site that last changed the row as the peer sent it, is the peer
  itself in all but a handful of rows: now NULL there, read as
  coalesce(site, peer_site);
- agreed_at is read only by a community, of its stamps with the street
  (sync.outgoing.upstream_rows: what changed since its last package): a
  street's stamps with its communities now carry none.
A street's merge writes about a tenth less (the benchmark's 4 communities x
3,000 members: see tests/benchmarks/bench_sync.py).

On SQLite the table is remade by one INSERT .. SELECT (its columns cannot be
made nullable in place; in key order the copy appends); on PostgreSQL the
columns drop NOT NULL and the rows are updated. The table never travels:
SYNC_FORMAT stays.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06
"""

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

_STREET = "EXISTS (SELECT 1 FROM sync_identity WHERE role = 'street')"


def _remake(nullable: bool, site: str, agreed_at: str) -> None:
    """SQLite: the table again with `site` and `agreed_at` as given (SQL over the old table's columns)."""
    null = "" if nullable else " NOT NULL"
    op.execute(
        "CREATE TABLE _sync_row_state_new (peer_site VARCHAR(36) NOT NULL, table_name VARCHAR(64) NOT NULL, "
        f"row_id VARCHAR(36) NOT NULL, version INTEGER NOT NULL, site VARCHAR(36){null}, agreed_at DATETIME{null}, "
        "introduced BOOLEAN NOT NULL, local_version INTEGER, local_site VARCHAR(36), "
        "CONSTRAINT pk_sync_row_state PRIMARY KEY (peer_site, table_name, row_id)) WITHOUT ROWID"
    )
    op.execute(
        "INSERT INTO _sync_row_state_new (peer_site, table_name, row_id, version, site, agreed_at, introduced, "
        f"local_version, local_site) SELECT peer_site, table_name, row_id, version, {site}, {agreed_at}, "
        "introduced, local_version, local_site FROM sync_row_state"
    )
    op.execute("DROP TABLE sync_row_state")
    op.execute("ALTER TABLE _sync_row_state_new RENAME TO sync_row_state")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE sync_row_state ALTER COLUMN site DROP NOT NULL, ALTER COLUMN agreed_at DROP NOT NULL")
        op.execute("UPDATE sync_row_state SET site = nullif(site, peer_site), "
                   f"agreed_at = CASE WHEN {_STREET} THEN NULL ELSE agreed_at END")
        return
    _remake(True, "nullif(site, peer_site)", f"CASE WHEN {_STREET} THEN NULL ELSE agreed_at END")


def downgrade() -> None:
    # A street's stamps get the time of the downgrade: nothing there reads it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE sync_row_state SET site = coalesce(site, peer_site), "
                   "agreed_at = coalesce(agreed_at, now() AT TIME ZONE 'UTC')")
        op.execute("ALTER TABLE sync_row_state ALTER COLUMN site SET NOT NULL, ALTER COLUMN agreed_at SET NOT NULL")
        return
    _remake(False, "coalesce(site, peer_site)", "coalesce(agreed_at, strftime('%Y-%m-%d %H:%M:%f000', 'now'))")
