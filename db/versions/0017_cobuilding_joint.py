"""联席会议: the units attending a joint meeting and the 议题 each took on, beside the meeting row.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    t = "cobuild_joint_topic"
    op.create_table(
        t,
        sa.Column("meeting_id", sa.String(length=36), sa.ForeignKey("meeting.id", name=op.f(f"fk_{t}_meeting_id_meeting")),
                  nullable=False),
        sa.Column("unit_id", sa.String(length=36),
                  sa.ForeignKey("partner_unit.id", name=op.f(f"fk_{t}_unit_id_partner_unit")), nullable=True),
        sa.Column("unit_name", sa.String(length=60), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(length=300), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_site", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        for col in ("deleted", "meeting_id", "unit_id"):
            batch_op.create_index(batch_op.f(f"ix_{t}_{col}"), [col], unique=False)


def downgrade() -> None:
    op.drop_table("cobuild_joint_topic")
