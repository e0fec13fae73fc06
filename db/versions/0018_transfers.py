"""组织关系转接 with its letter: 介绍信 number, validity, 回执 received, 党费交至 month.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_no", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("receipt_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("dues_paid_to", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        for column in ("dues_paid_to", "receipt_on", "valid_until", "letter_no"):
            batch_op.drop_column(column)
