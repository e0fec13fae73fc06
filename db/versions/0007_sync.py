"""Sync: the street key and role, peers, per-row agreed stamps, kept conflicts, package logs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TABLES = ("sync_import", "sync_export", "sync_conflict", "sync_row_state", "sync_peer", "sync_identity")


def upgrade() -> None:
    op.create_table('sync_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('key_b64', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=False),
    sa.Column('street_site_id', sa.String(length=36), nullable=False),
    sa.Column('street_org_code', sa.String(length=32), nullable=False),
    sa.Column('street_org_name', sa.String(length=60), nullable=False),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_identity'))
    )

    op.create_table('sync_peer',
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('org_code', sa.String(length=32), nullable=False),
    sa.Column('org_name', sa.String(length=60), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('first_seen', sa.DateTime(), nullable=False),
    sa.Column('last_package_id', sa.String(length=36), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_package_at', sa.DateTime(), nullable=True),
    sa.Column('last_imported_at', sa.DateTime(), nullable=True),
    sa.Column('last_size', sa.BigInteger(), nullable=False),
    sa.Column('last_rows', sa.Integer(), nullable=False),
    sa.Column('last_counts', sa.Text(), nullable=False),
    sa.Column('packages', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_sync_peer'))
    )

    op.create_table('sync_row_state',
    sa.Column('peer_site', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('site', sa.String(length=36), nullable=False),
    sa.Column('agreed_at', sa.DateTime(), nullable=False),
    sa.Column('introduced', sa.Boolean(), nullable=False),
    sa.Column('local_version', sa.Integer(), nullable=True),
    sa.Column('local_site', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('peer_site', 'table_name', 'row_id', name=op.f('pk_sync_row_state')),
    sqlite_with_rowid=False,
    )

    op.create_table('sync_conflict',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('peer_site', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('local_version', sa.Integer(), nullable=False),
    sa.Column('local_site', sa.String(length=36), nullable=False),
    sa.Column('incoming_version', sa.Integer(), nullable=False),
    sa.Column('incoming_site', sa.String(length=36), nullable=False),
    sa.Column('local_json', sa.Text(), nullable=False),
    sa.Column('incoming_json', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('resolution', sa.String(length=12), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index('ix_sync_conflict_row', ['table_name', 'row_id', 'peer_site'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_status'), ['status'], unique=False)

    op.create_table('sync_export',
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('to_site', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=True),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('plain', sa.Boolean(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('package_id', name=op.f('pk_sync_export'))
    )
    with op.batch_alter_table('sync_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_export_seq'), ['seq'], unique=False)

    op.create_table('sync_import',
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('from_site', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('package_id', name=op.f('pk_sync_import'))
    )
    with op.batch_alter_table('sync_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_import_from_site'), ['from_site'], unique=False)


def downgrade() -> None:
    for table in _TABLES:
        op.drop_table(table)
