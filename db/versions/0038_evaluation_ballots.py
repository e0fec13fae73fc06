"""民主测评 tallies: a branch's ballots issued and returned (evaluation_ballot) and each member's votes
(evaluation_vote) for a year's 民主评议党员.

Both synced and owned by the organisation as an evaluation is. New synced tables: SYNC_FORMAT moves
to 0038, an older program's package (without them) is still read, and one written for an older
program leaves them out (migrate.SYNCED_SINCE).

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None


def _synced() -> tuple[sa.Column, ...]:
    return (
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_site", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    )


def upgrade() -> None:
    op.create_table(
        "evaluation_ballot",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_evaluation_ballot_org_id_organization")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_ballot")),
    )
    op.create_index(op.f("ix_evaluation_ballot_org_id"), "evaluation_ballot", ["org_id"], unique=False)
    op.create_table(
        "evaluation_vote",
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("excellent", sa.Integer(), nullable=False),
        sa.Column("qualified", sa.Integer(), nullable=False),
        sa.Column("basic", sa.Integer(), nullable=False),
        sa.Column("unqualified", sa.Integer(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_evaluation_vote_member_id_member")),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_evaluation_vote_org_id_organization")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_vote")),
    )
    op.create_index(op.f("ix_evaluation_vote_member_id"), "evaluation_vote", ["member_id"], unique=False)
    op.create_index(op.f("ix_evaluation_vote_org_id"), "evaluation_vote", ["org_id"], unique=False)
    op.create_index(op.f("ix_evaluation_vote_year"), "evaluation_vote", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_evaluation_vote_year"), table_name="evaluation_vote")
    op.drop_index(op.f("ix_evaluation_vote_org_id"), table_name="evaluation_vote")
    op.drop_index(op.f("ix_evaluation_vote_member_id"), table_name="evaluation_vote")
    op.drop_table("evaluation_vote")
    op.drop_index(op.f("ix_evaluation_ballot_org_id"), table_name="evaluation_ballot")
    op.drop_table("evaluation_ballot")
