"""三单: the 需求, 资源 and 项目 lists of 共驻共建 in one table, a project linked to its need, its
resource, the unit that claimed it and the 微实事 that carries it out.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _fk(column: str, table: str, target: str) -> sa.Column:
    return sa.Column(column, sa.String(length=36), sa.ForeignKey(
        f"{target}.id", name=op.f(f"fk_{table}_{column}_{target}")), nullable=True)


def upgrade() -> None:
    t = "cobuild_list_item"
    op.create_table(
        t,
        sa.Column("list_kind", sa.String(length=4), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        _fk("grid_id", t, "organization"), _fk("visit_id", t, "visit"), _fk("unit_id", t, "partner_unit"),
        _fk("need_id", t, "cobuild_list_item"), _fk("resource_id", t, "cobuild_list_item"),
        _fk("project_id", t, "project"),
        sa.Column("claimed_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_site", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        for col in ("deleted", "list_kind", "raised_on", "state", "grid_id", "unit_id"):
            batch_op.create_index(batch_op.f(f"ix_{t}_{col}"), [col], unique=False)


def downgrade() -> None:
    op.drop_table("cobuild_list_item")
