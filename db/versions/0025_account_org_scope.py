"""An account confined to one organisation's subtree (a street's operator at the district).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "": the whole database, as every account before this revision.
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("org_id", sa.String(length=36), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("org_id")
