"""发展党员: applicants and their dated development steps.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
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
    op.create_table(
        "applicant",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("gender", sa.String(length=2), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("education", sa.String(length=20), nullable=False),
        sa.Column("job", sa.String(length=60), nullable=False),
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("contacts", sa.String(length=60), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_sync_columns(),
        _fk("applicant", "org_id", "organization"),
        _fk("applicant", "member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant")),
    )
    _indexes("applicant", ("deleted", "member_id", "name", "org_id", "stage"))
    op.create_table(
        "development_step",
        sa.Column("applicant_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(length=60), nullable=False),
        sa.Column("document_no", sa.String(length=40), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_abstain", sa.Integer(), nullable=True),
        sa.Column("voters_expected", sa.Integer(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("documents", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_sync_columns(),
        _fk("development_step", "applicant_id", "applicant"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_step")),
    )
    _indexes("development_step", ("applicant_id", "deleted"))


def downgrade() -> None:
    op.drop_table("development_step")
    op.drop_table("applicant")
