"""Funding ledger and party dues.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Dependants before what they reference, so downgrade can drop in this order.
_TABLES = (
    "dues_record", "ledger_attachment", "ledger_entry", "dues_base", "budget",
    "closed_month", "account", "dues_rate_rule",
)


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
    op.create_table('dues_rate_rule',
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('over_fen', sa.BigInteger(), nullable=True),
    sa.Column('upto_fen', sa.BigInteger(), nullable=True),
    sa.Column('rate_bp', sa.Integer(), nullable=True),
    sa.Column('fixed_fen', sa.Integer(), nullable=True),
    sa.Column('min_fen', sa.Integer(), nullable=True),
    sa.Column('max_fen', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dues_rate_rule'))
    )
    with op.batch_alter_table('dues_rate_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dues_rate_rule_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_dues_rate_rule_deleted'), ['deleted'], unique=False)

    op.create_table('account',
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_account_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('org_id', 'name', name='uq_account_org_name')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_org_id'), ['org_id'], unique=False)

    op.create_table('closed_month',
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('closed_by', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_closed_month_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_month')),
    sa.UniqueConstraint('org_id', 'month', name='uq_closed_month_org_month')
    )
    with op.batch_alter_table('closed_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closed_month_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_closed_month_org_id'), ['org_id'], unique=False)

    op.create_table('budget',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_budget_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget')),
    sa.UniqueConstraint('account_id', 'year', 'category', name='uq_budget_account_year_category')
    )
    with op.batch_alter_table('budget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_deleted'), ['deleted'], unique=False)

    op.create_table('dues_base',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('income_fen', sa.BigInteger(), nullable=False),
    sa.Column('fixed_due_fen', sa.Integer(), nullable=True),
    sa.Column('quarterly_consent', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_dues_base_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dues_base')),
    sa.UniqueConstraint('member_id', 'effective_from', name='uq_dues_base_member_month')
    )
    with op.batch_alter_table('dues_base', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dues_base_deleted'), ['deleted'], unique=False)

    op.create_table('ledger_entry',
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('voucher_no', sa.String(length=20), nullable=False),
    sa.Column('counterparty', sa.String(length=60), nullable=False),
    sa.Column('handler', sa.String(length=20), nullable=False),
    sa.Column('entered_by', sa.String(length=20), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('reversal_of', sa.String(length=36), nullable=True),
    sa.Column('project_id', sa.String(length=36), nullable=True),
    sa.Column('meeting_id', sa.String(length=36), nullable=True),
    sa.Column('activity_id', sa.String(length=36), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_ledger_entry_account_id_account')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_ledger_entry_org_id_organization')),
    sa.ForeignKeyConstraint(['reversal_of'], ['ledger_entry.id'], name=op.f('fk_ledger_entry_reversal_of_ledger_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry')),
    sa.UniqueConstraint('org_id', 'voucher_no', name='uq_ledger_entry_org_voucher'),
    sa.UniqueConstraint('reversal_of', name=op.f('uq_ledger_entry_reversal_of'))
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entry_account_date', ['account_id', 'entry_date', 'direction', 'amount_fen', 'deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_entry_date'), ['entry_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_project_id'), ['project_id'], unique=False)

    op.create_table('dues_record',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('base_fen', sa.BigInteger(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=True),
    sa.Column('due_fen', sa.Integer(), nullable=False),
    sa.Column('paid_fen', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('collected_by', sa.String(length=20), nullable=False),
    sa.Column('quarterly_consent', sa.Boolean(), nullable=False),
    sa.Column('ledger_entry_id', sa.String(length=36), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['ledger_entry_id'], ['ledger_entry.id'], name=op.f('fk_dues_record_ledger_entry_id_ledger_entry')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_dues_record_member_id_member')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_dues_record_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dues_record')),
    sa.UniqueConstraint('member_id', 'month', name='uq_dues_record_member_month')
    )
    with op.batch_alter_table('dues_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dues_record_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_dues_record_ledger_entry_id'), ['ledger_entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dues_record_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_dues_record_org_id'), ['org_id'], unique=False)

    op.create_table('ledger_attachment',
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('stored_path', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entry.id'], name=op.f('fk_ledger_attachment_entry_id_ledger_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_attachment'))
    )
    with op.batch_alter_table('ledger_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_attachment_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_attachment_entry_id'), ['entry_id'], unique=False)


def downgrade() -> None:
    for table in _TABLES:
        op.drop_table(table)
