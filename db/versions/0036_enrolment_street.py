"""The street a community was enrolled into at a district (sync_enrolment.street_org_id).

At a district the operator who accepts a community's enrolment names the
街道党工委 it belongs to; the community's first package then places its
社区党委 under that street. Empty at a street database (the street is the
parent). sync_enrolment never travels: SYNC_FORMAT stays.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_enrolment",
                  sa.Column("street_org_id", sa.String(36), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("sync_enrolment") as batch:
        batch.drop_column("street_org_id")
