"""A member's life in the party: 出党 records, 党纪处分, 不合格党员处置, dated moves between branches,
流动党员 流入/流出 with the 活动证, 失联 search records, and 议题 with votes on meeting records.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
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


def _table(name: str, columns: list, fks: list[tuple[str, str]], indexed: tuple[str, ...]) -> None:
    op.create_table(
        name, *columns, *_sync_columns(), *[_fk(name, c, t) for c, t in fks],
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    _indexes(name, ("deleted", *indexed))


def _decision() -> list[sa.Column]:
    return [
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.Column("document_no", sa.String(length=40), nullable=False),
    ]


def upgrade() -> None:
    _table("party_exit", [
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("exit_date", sa.Date(), nullable=False),
        *_decision(),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("prior_status", sa.String(length=10), nullable=False),
        sa.Column("status_change_id", sa.String(length=36), nullable=False),
    ], [("member_id", "member")], ("member_id",))
    _table("discipline", [
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        *_decision(),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    ], [("member_id", "member")], ("member_id",))
    _table("member_disposal", [
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=8), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        *_decision(),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    ], [("member_id", "member")], ("member_id",))
    _table("member_org_move", [
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("from_org_id", sa.String(length=36), nullable=True),
        sa.Column("to_org_id", sa.String(length=36), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    ], [("member_id", "member"), ("from_org_id", "organization"), ("to_org_id", "organization")], ("member_id",))
    _table("floating_record", [
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("card_no", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("other_org", sa.String(length=120), nullable=False),
        sa.Column("contact", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    ], [("org_id", "organization"), ("member_id", "member")], ("member_id", "org_id"))
    _table("lost_search", [
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("tried_on", sa.Date(), nullable=False),
        sa.Column("tried_by", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    ], [("member_id", "member")], ("member_id",))
    _table("meeting_topic", [
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_abstain", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    ], [("meeting_id", "meeting")], ("meeting_id",))


def downgrade() -> None:
    for name in ("meeting_topic", "lost_search", "floating_record", "member_org_move", "member_disposal",
                 "discipline", "party_exit"):
        op.drop_table(name)
