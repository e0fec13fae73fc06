"""双进双认: pairings of office party organisations with the community, the posts and households
they take on (认岗位 / 认亲戚), and the visits to them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TABLES = ("cobuild_pairing", "cobuild_pairing_item", "cobuild_pairing_visit")


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_site", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def _table(name: str, *columns, indexes: tuple[str, ...] = ()) -> None:
    op.create_table(name, *columns, *_sync_columns(), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")))
    with op.batch_alter_table(name, schema=None) as batch_op:
        for col in ("deleted", *indexes):
            batch_op.create_index(batch_op.f(f"ix_{name}_{col}"), [col], unique=False)


def _fk(column: str, table: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.String(length=36), sa.ForeignKey(
        f"{target}.id", name=op.f(f"fk_{table}_{column}_{target}")), nullable=nullable)


def upgrade() -> None:
    t = "cobuild_pairing"
    _table(t, _fk("unit_id", t, "partner_unit"),
           sa.Column("unit_name", sa.String(length=60), nullable=False),
           sa.Column("party_org", sa.String(length=120), nullable=False),
           sa.Column("paired_on", sa.Date(), nullable=False),
           sa.Column("ended_on", sa.Date(), nullable=True),
           sa.Column("notes", sa.Text(), nullable=False),
           indexes=("unit_id",))
    t = "cobuild_pairing_item"
    _table(t, _fk("pairing_id", t, "cobuild_pairing"),
           sa.Column("kind", sa.String(length=10), nullable=False),
           sa.Column("name", sa.String(length=120), nullable=False),
           _fk("household_id", t, "household", True),
           sa.Column("since", sa.Date(), nullable=False),
           sa.Column("ended_on", sa.Date(), nullable=True),
           sa.Column("notes", sa.Text(), nullable=False),
           indexes=("pairing_id", "household_id"))
    t = "cobuild_pairing_visit"
    _table(t, _fk("item_id", t, "cobuild_pairing_item"),
           sa.Column("visit_date", sa.Date(), nullable=False),
           sa.Column("visitors", sa.String(length=120), nullable=False),
           sa.Column("content", sa.String(length=300), nullable=False),
           indexes=("item_id", "visit_date"))


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
