"""Keys, sequence numbers, byte sizes, row counts and project money become 64-bit on PostgreSQL.

PostgreSQL's INTEGER stops at 2^31 - 1: a 序号 typed as 2147483648, a file of
2 GiB or more, a package sequence or a project's cost past 21,474,836.47 yuan
failed to store at a district. SQLite's INTEGER already holds 64 bits, so on
SQLite nothing changes (the models keep the INTEGER spelling there, which
keeps `INTEGER PRIMARY KEY` the rowid alias).

Row versions stay INTEGER: a row is edited far fewer than 2^31 times, and
widening them would rewrite every table of a district's database.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

COLUMNS = {
    "assessment_evidence": ("size",),
    "cobuild_activity": ("cost_fen",),
    "cobuild_activity_photo": ("size",),
    "cobuild_care_recipient": ("amount_fen",),
    "cobuild_cost": ("amount_fen",),
    "meeting_attachment": ("size",),
    "meeting_topic": ("seq",),
    "member": ("seq",),
    "project": ("budget_fen", "actual_cost_fen"),
    "sync_export": ("seq", "rows"),
    "sync_identity": ("id",),
    "sync_import": ("seq", "rows"),
    "sync_peer": ("last_seq", "last_rows", "packages"),
    "wish": ("estimated_fen",),
}


def _alter(to: str) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        # One statement per table: PostgreSQL rewrites the table once for all its columns.
        changes = ", ".join(f"ALTER COLUMN {c} TYPE {to}" for c in columns)
        op.execute(f"ALTER TABLE {table} {changes}")
    # sync_identity.id was made SERIAL: its sequence follows the column.
    seq = conn.scalar(sa.text("SELECT pg_get_serial_sequence('sync_identity', 'id')"))
    if seq:
        op.execute(f"ALTER SEQUENCE {seq} AS {to}")


def upgrade() -> None:
    _alter("BIGINT")


def downgrade() -> None:
    _alter("INTEGER")
