"""共驻共建, second part: 兼职委员 of the 大工委 / 大党委, 慰问 with the people visited, and
楼门书记 / 党员联系户 contacts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLES = ("cobuild_committee", "cobuild_care", "cobuild_care_recipient", "cobuild_contact")


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
    t = "cobuild_committee"
    _table(t,
           sa.Column("level", sa.String(length=10), nullable=False),
           sa.Column("name", sa.String(length=40), nullable=False),
           _fk("unit_id", t, "partner_unit", True),
           sa.Column("unit_name", sa.String(length=60), nullable=False),
           sa.Column("post", sa.String(length=40), nullable=False),
           sa.Column("phone", sa.String(length=30), nullable=False),
           sa.Column("term_start", sa.Date(), nullable=False),
           sa.Column("term_end", sa.Date(), nullable=True),
           indexes=("level", "unit_id"))
    t = "cobuild_care"
    _table(t,
           sa.Column("care_date", sa.Date(), nullable=False),
           sa.Column("occasion", sa.String(length=20), nullable=False),
           sa.Column("title", sa.String(length=80), nullable=False),
           _fk("unit_id", t, "partner_unit", True),
           sa.Column("givers", sa.String(length=120), nullable=False),
           sa.Column("notes", sa.Text(), nullable=False),
           indexes=("care_date", "unit_id"))
    t = "cobuild_care_recipient"
    _table(t, _fk("care_id", t, "cobuild_care"), _fk("member_id", t, "member", True),
           _fk("resident_id", t, "resident", True),
           sa.Column("name", sa.String(length=40), nullable=False),
           sa.Column("category", sa.String(length=20), nullable=False),
           sa.Column("address", sa.String(length=120), nullable=False),
           sa.Column("items", sa.String(length=120), nullable=False),
           sa.Column("amount_fen", sa.Integer(), nullable=False),
           indexes=("care_id", "member_id", "resident_id"))
    t = "cobuild_contact"
    _table(t, _fk("member_id", t, "member"),
           sa.Column("member_name", sa.String(length=40), nullable=False),
           sa.Column("role", sa.String(length=10), nullable=False),
           _fk("grid_id", t, "organization", True),
           sa.Column("building", sa.String(length=40), nullable=False),
           _fk("household_id", t, "household", True),
           sa.Column("household_label", sa.String(length=120), nullable=False),
           sa.Column("since", sa.Date(), nullable=True),
           sa.Column("ended_on", sa.Date(), nullable=True),
           indexes=("member_id", "grid_id", "household_id"))


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
