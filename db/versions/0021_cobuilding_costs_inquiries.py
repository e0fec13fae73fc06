"""共驻共建: costs linked to ledger vouchers, 问需服务, and 单位报到 with what each unit took on, did and was rated.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _fk(t: str, col: str, target: str, nullable: bool = True) -> sa.Column:
    return sa.Column(col, sa.String(length=36),
                     sa.ForeignKey(f"{target}.id", name=op.f(f"fk_{t}_{col}_{target}")), nullable=nullable)


def _table(t: str, *cols: sa.Column, index: tuple[str, ...] = ()) -> None:
    op.create_table(
        t, *cols,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_site", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        for col in ("deleted",) + index:
            batch_op.create_index(batch_op.f(f"ix_{t}_{col}"), [col], unique=False)


def upgrade() -> None:
    t = "cobuild_cost"
    _table(t, _fk(t, "entry_id", "ledger_entry", False), _fk(t, "activity_id", "cobuild_activity"),
           _fk(t, "item_id", "cobuild_list_item"),
           sa.Column("voucher_no", sa.String(length=20), nullable=False),
           sa.Column("entry_date", sa.Date(), nullable=False),
           sa.Column("amount_fen", sa.Integer(), nullable=False),
           index=("entry_id", "activity_id", "item_id"))
    t = "cobuild_inquiry"
    _table(t, _fk(t, "grid_id", "organization"),
           sa.Column("inquiry_date", sa.Date(), nullable=False),
           sa.Column("channel", sa.String(length=10), nullable=False),
           sa.Column("party_kind", sa.String(length=4), nullable=False),
           _fk(t, "unit_id", "partner_unit"), _fk(t, "resident_id", "resident"),
           sa.Column("asked_name", sa.String(length=60), nullable=False),
           sa.Column("asked_by", sa.String(length=60), nullable=False),
           sa.Column("topic", sa.String(length=200), nullable=False),
           sa.Column("answer", sa.Text(), nullable=False),
           sa.Column("state", sa.String(length=10), nullable=False),
           _fk(t, "need_id", "cobuild_list_item"),
           sa.Column("follow_up", sa.Text(), nullable=False),
           sa.Column("done_on", sa.Date(), nullable=True),
           index=("grid_id", "inquiry_date", "unit_id", "resident_id", "state"))
    t = "cobuild_unit_report"
    _table(t, _fk(t, "org_id", "organization"), _fk(t, "unit_id", "partner_unit", False),
           sa.Column("unit_name", sa.String(length=60), nullable=False),
           sa.Column("reported_on", sa.Date(), nullable=False),
           sa.Column("liaison", sa.String(length=40), nullable=False),
           sa.Column("phone", sa.String(length=30), nullable=False),
           sa.Column("promise", sa.Text(), nullable=False),
           sa.Column("ended_on", sa.Date(), nullable=True),
           index=("org_id", "unit_id"))
    t = "cobuild_unit_report_item"
    _table(t, _fk(t, "report_id", "cobuild_unit_report", False),
           sa.Column("kind", sa.String(length=4), nullable=False),
           sa.Column("item_date", sa.Date(), nullable=False),
           sa.Column("title", sa.String(length=200), nullable=False),
           _fk(t, "post_id", "reporting_post"), _fk(t, "list_item_id", "cobuild_list_item"),
           sa.Column("people", sa.Integer(), nullable=False),
           sa.Column("hours_tenths", sa.Integer(), nullable=False),
           sa.Column("year", sa.Integer(), nullable=True),
           sa.Column("notes", sa.Text(), nullable=False),
           sa.Column("ended_on", sa.Date(), nullable=True),
           index=("report_id", "kind", "item_date"))


def downgrade() -> None:
    for t in ("cobuild_unit_report_item", "cobuild_unit_report", "cobuild_inquiry", "cobuild_cost"):
        op.drop_table(t)
