"""Each peer's data format (数据版本), as its last package named it: what is sent back to it is written in it.

A street at today's program reads the packages of communities still on a program
whose format is older but in range (store/migrate.py SYNC_FORMAT_OLDEST to
SYNC_FORMAT); those programs read only their own format, so a send-down named
today's was refused there. sync/merge notes the sender's manifest format here and
services/sync/outgoing writes the package back under it when it is in range.
"": not known yet (a peer before this revision, or enrolled and silent so far):
today's format is written, as before.

sync_peer is this database's own memory and never travels: SYNC_FORMAT stays.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_peer") as batch:
        batch.add_column(sa.Column("sync_format", sa.String(length=16), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("sync_peer") as batch:
        batch.drop_column("sync_format")
