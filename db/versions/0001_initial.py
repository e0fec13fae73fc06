"""Initial schema: site identity, organisation tree, member roster.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organization',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_site', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['organization.id'], name=op.f('fk_organization_parent_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization'))
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_parent_id'), ['parent_id'], unique=False)

    op.create_table('site',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org_code', sa.String(length=32), nullable=False),
    sa.Column('org_name', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site'))
    )

    op.create_table('member',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=False),
    sa.Column('ethnicity', sa.String(length=20), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('education', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('joined_date', sa.Date(), nullable=True),
    sa.Column('confirmed_date', sa.Date(), nullable=True),
    sa.Column('job', sa.String(length=60), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('party_status', sa.String(length=10), nullable=False),
    sa.Column('is_lost', sa.Boolean(), nullable=False),
    sa.Column('lost_date', sa.Date(), nullable=True),
    sa.Column('is_floating', sa.Boolean(), nullable=False),
    sa.Column('floating_to', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reporting_employer', sa.String(length=120), nullable=False),
    sa.Column('reporting_post', sa.String(length=60), nullable=False),
    sa.Column('reporting_date', sa.Date(), nullable=True),
    sa.Column('reporting_services', sa.Text(), nullable=False),
    sa.Column('is_hardship', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_site', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_member_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table("member")
    op.drop_table("site")
    op.drop_table("organization")
