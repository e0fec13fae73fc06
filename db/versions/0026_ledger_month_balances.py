"""Month balances of the ledger: each closed month's totals per account, direction and category.

A local cache (not synced) that the yearly summary, the month's statement and
the 收支明细账's opening balance read instead of every entry of the closed months.
Existing closed months are built by `dangqun ledger rebuild-balances` (or the
ledger page's button); until then reads fall back to the entries.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_month_balance",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("reversals", sa.Integer(), nullable=False),
        sa.Column("closed_month_id", sa.String(length=36), nullable=False),
        sa.Column("closed_version", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_month_balance")),
    )
    op.create_index("ix_ledger_month_balance_org_month", "ledger_month_balance", ["org_id", "month"])
    op.create_index("ix_ledger_month_balance_account_month", "ledger_month_balance", ["account_id", "month"])


def downgrade() -> None:
    op.drop_index("ix_ledger_month_balance_account_month", table_name="ledger_month_balance")
    op.drop_index("ix_ledger_month_balance_org_month", table_name="ledger_month_balance")
    op.drop_table("ledger_month_balance")
