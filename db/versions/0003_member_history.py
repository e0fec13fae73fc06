"""Member status history, transfers of party relationship, a covering index for roster search.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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


def upgrade() -> None:
    op.create_table('member_status_change',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('destination', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_status_change_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_status_change'))
    )
    with op.batch_alter_table('member_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_status_change_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_status_change_member_id'), ['member_id'], unique=False)

    op.create_table('transfer',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('transfer_date', sa.Date(), nullable=False),
    sa.Column('from_org', sa.Text(), nullable=False),
    sa.Column('to_org', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_transfer_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer'))
    )
    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_member_id'), ['member_id'], unique=False)


    # Search-as-you-type reads these columns in roster order (see store/models.py).
    op.create_index(
        "ix_member_roster", "member",
        ["deleted", "seq", "name_pinyin", "id", "name", "name_initials", "id_number", "mobile",
         "org_id", "status", "category"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_member_roster", table_name="member")
    op.drop_table("transfer")
    op.drop_table("member_status_change")
