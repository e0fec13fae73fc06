"""On PostgreSQL the audit trail keeps its insertion order in a column of its own.

SQLite orders the per-site hash chain by rowid; PostgreSQL has no rowid, so
there the table gets an identity column that the store reads instead
(store.audit.insertion_order). SQLite files are left exactly as they are.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_entry ADD COLUMN insert_seq BIGINT GENERATED ALWAYS AS IDENTITY")
        op.execute("CREATE INDEX ix_audit_entry_site_seq ON audit_entry (site_id, insert_seq)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_audit_entry_site_seq")
        op.execute("ALTER TABLE audit_entry DROP COLUMN insert_seq")
