"""The member's indexes on the name and on the name's initials go: no query is served by them.

EXPLAIN QUERY PLAN on a 100,000-member roster, for every query on the member's
name or initials: the roster's search and the visits' name match are LIKE
'%text%' (and an initials LIKE 'x%', which a BINARY index cannot serve with
SQLite's case-blind LIKE), read through the covering ix_member_roster; the one
exact-name lookup (services/memberlife/life.py, 党员 by name or ID number) now
goes by ix_member_name_pinyin with the name checked on its rows; no query orders
by the name (the roster orders by name_pinyin). Every 100,000-member import into a
bigger roster wrote each row into both: without them, 1,000,000 members as ten
files took about a quarter less CPU in SQLite itself.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

GONE = {"ix_member_name": "name", "ix_member_name_initials": "name_initials"}


def upgrade() -> None:
    present = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("member")}
    for name in GONE:
        if name in present:
            op.drop_index(name, table_name="member")


def downgrade() -> None:
    for name, column in GONE.items():
        op.create_index(name, "member", [column])
