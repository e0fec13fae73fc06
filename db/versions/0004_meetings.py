"""三会一课: meeting kinds and cadence, meetings, attendance, evaluations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
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


def _indexes(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for col in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{col}"), [col], unique=False)


def upgrade() -> None:
    op.create_table('meeting_kind_setting',
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_meeting_kind_setting_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_kind_setting'))
    )
    _indexes('meeting_kind_setting', ['deleted', 'org_id'])

    op.create_table('committee_member',
    sa.Column('org_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_committee_member_member_id_member')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_committee_member_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_member'))
    )
    _indexes('committee_member', ['deleted', 'member_id', 'org_id'])

    op.create_table('meeting',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('place', sa.String(length=60), nullable=False),
    sa.Column('host', sa.String(length=40), nullable=False),
    sa.Column('recorder', sa.String(length=40), nullable=False),
    sa.Column('lecturer', sa.String(length=40), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_meeting_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    _indexes('meeting', ['deleted', 'kind', 'meeting_date', 'number', 'org_id', 'status'])

    op.create_table('attendance',
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=True),
    sa.Column('guest_name', sa.String(length=40), nullable=False),
    sa.Column('guest_unit', sa.String(length=60), nullable=False),
    sa.Column('is_guest', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('reason', sa.String(length=100), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_attendance_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_attendance_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    _indexes('attendance', ['deleted', 'meeting_id', 'member_id'])

    op.create_table('meeting_attachment',
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_attachment_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attachment'))
    )
    _indexes('meeting_attachment', ['deleted', 'meeting_id'])

    op.create_table('evaluation',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=6), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_evaluation_member_id_member')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_evaluation_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation'))
    )
    _indexes('evaluation', ['deleted', 'member_id', 'org_id', 'year'])


def downgrade() -> None:
    op.drop_table("evaluation")
    op.drop_table("meeting_attachment")
    op.drop_table("attendance")
    op.drop_table("meeting")
    op.drop_table("committee_member")
    op.drop_table("meeting_kind_setting")
