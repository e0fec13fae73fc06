"""PostgreSQL tells listeners when the roster's tables change (NOTIFY dangqun_roster).

The roster's in-memory search lists (services/roster/search.py) must be read
again when a member, an organisation or a 双报到 registration changes. The
server's snapshot moves with every commit of every operator, to any table of
any database on the cluster, and reading 320,000 members again costs seconds;
so each statement on those three tables sends a notice, delivered with the
commit, and the lists are kept across every other commit. SQLite needs
nothing (a file's data_version).

The cost is one trigger call per statement on those tables: 20,000 one-row
INSERTs into a bare three-column table took 1.11-1.18x as long (a member row,
with its indexes, less; a COPY calls it once).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

TABLES = ("member", "organization", "reporting_member")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Per statement, not per row: a notice of a transaction is sent once at its commit however many there are.
    op.execute("""
        CREATE FUNCTION dangqun_roster_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('dangqun_roster', '');
            RETURN NULL;
        END $$""")
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {table}_roster_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                   f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION dangqun_roster_changed()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_roster_changed ON {table}")
    op.execute("DROP FUNCTION IF EXISTS dangqun_roster_changed()")
