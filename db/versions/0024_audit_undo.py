"""Unmasked before values of bulk changes, so an import or a package can be reverted (local, not synced).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_undo",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("batch", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_audit_undo")),
    )
    op.create_index("ix_audit_undo_batch", "audit_undo", ["batch"])


def downgrade() -> None:
    op.drop_index("ix_audit_undo_batch", table_name="audit_undo")
    op.drop_table("audit_undo")
