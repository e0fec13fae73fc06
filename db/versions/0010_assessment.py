"""五好党支部 assessment: schemes and their indicator trees, manual scores, evidence files, titles.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
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
        "assessment_scheme",
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("excellent_tenths", sa.Integer(), nullable=False),
        sa.Column("pass_tenths", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_sync_columns(),
        _fk("assessment_scheme", "org_id", "organization"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scheme")),
    )
    _indexes("assessment_scheme", ("deleted", "org_id", "year"))
    op.create_table(
        "assessment_indicator",
        sa.Column("scheme_id", sa.String(length=36), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("max_tenths", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        *_sync_columns(),
        _fk("assessment_indicator", "parent_id", "assessment_indicator"),
        _fk("assessment_indicator", "scheme_id", "assessment_scheme"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_indicator")),
    )
    _indexes("assessment_indicator", ("deleted", "parent_id", "scheme_id"))
    op.create_table(
        "assessment_score",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=36), nullable=False),
        sa.Column("score_tenths", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("scored_by", sa.String(length=40), nullable=False),
        sa.Column("scored_on", sa.Date(), nullable=True),
        *_sync_columns(),
        _fk("assessment_score", "indicator_id", "assessment_indicator"),
        _fk("assessment_score", "org_id", "organization"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_score")),
    )
    _indexes("assessment_score", ("deleted", "indicator_id", "org_id", "year"))
    op.create_table(
        "assessment_evidence",
        sa.Column("score_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        *_sync_columns(),
        _fk("assessment_evidence", "score_id", "assessment_score"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_evidence")),
    )
    _indexes("assessment_evidence", ("deleted", "score_id"))
    op.create_table(
        "assessment_title",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_sync_columns(),
        _fk("assessment_title", "org_id", "organization"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_title")),
    )
    _indexes("assessment_title", ("deleted", "org_id", "year"))


def downgrade() -> None:
    for table in ("assessment_title", "assessment_evidence", "assessment_score", "assessment_indicator",
                  "assessment_scheme"):
        op.drop_table(table)
