"""Figures true as of their date: 应到 exemptions (dated, with a reason, kept on each attendance row)
and per-branch cadence settings (tracking since, committee).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_site", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def _indexes(table: str, columns: tuple[str, ...]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for c in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{c}"), [c], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("excused_reason", sa.String(length=40), nullable=False, server_default=""))
    op.create_table(
        "attendance_exemption",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_sync_columns(),
        _fk("attendance_exemption", "member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_exemption")),
    )
    _indexes("attendance_exemption", ("deleted", "member_id"))
    op.create_table(
        "branch_cadence",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("tracking_since", sa.Date(), nullable=True),
        sa.Column("has_committee", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_sync_columns(),
        _fk("branch_cadence", "org_id", "organization"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branch_cadence")),
    )
    _indexes("branch_cadence", ("deleted", "org_id"))


def downgrade() -> None:
    op.drop_table("branch_cadence")
    op.drop_table("attendance_exemption")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_column("excused_reason")
