"""Pinyin search keys on members; households and residents.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.pinyin import keys as pinyin_keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_pinyin", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("name_initials", sa.String(length=40), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_member_name_initials"), ["name_initials"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_name_pinyin"), ["name_pinyin"], unique=False)

    # Existing members get their search keys now, not on their next edit.
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM member")).all()
    if rows:
        conn.execute(
            sa.text("UPDATE member SET name_pinyin = :p, name_initials = :i WHERE id = :id"),
            [dict(zip(("p", "i"), pinyin_keys(name)), id=mid) for mid, name in rows],
        )

    op.create_table('household',
    sa.Column('grid_id', sa.String(length=36), nullable=True),
    sa.Column('building', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('room', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('head_name', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_site', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['organization.id'], name=op.f('fk_household_grid_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_grid_id'), ['grid_id'], unique=False)

    op.create_table('resident',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_pinyin', sa.String(length=200), nullable=False),
    sa.Column('name_initials', sa.String(length=40), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('grid_id', sa.String(length=36), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('tags', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_site', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['organization.id'], name=op.f('fk_resident_grid_id_organization')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_resident_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident'))
    )
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_name_initials'), ['name_initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_name_pinyin'), ['name_pinyin'], unique=False)


def downgrade() -> None:
    op.drop_table("resident")
    op.drop_table("household")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_name_pinyin"))
        batch_op.drop_index(batch_op.f("ix_member_name_initials"))
        batch_op.drop_column("name_initials")
        batch_op.drop_column("name_pinyin")
