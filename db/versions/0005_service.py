"""Serving residents: visits, mediation cases, wishes, projects.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Parents before children; downgrade drops in reverse.
_TABLES = (
    "service_list_item", "partner_unit", "project", "project_milestone", "project_resident",
    "visit", "visit_member", "visit_follow_up", "mediation_case", "mediation_party",
    "mediation_session", "wish", "wish_claim",
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
    op.create_table('service_list_item',
    sa.Column('list_kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_list_item'))
    )
    with op.batch_alter_table('service_list_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_list_item_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_list_item_list_kind'), ['list_kind'], unique=False)

    op.create_table('partner_unit',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('contact_person', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_unit'))
    )
    with op.batch_alter_table('partner_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_unit_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_unit_name'), ['name'], unique=False)

    op.create_table('project',
    sa.Column('project_no', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('grid_id', sa.String(length=36), nullable=True),
    sa.Column('owner_name', sa.String(length=40), nullable=False),
    sa.Column('owner_member_id', sa.String(length=36), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('budget_fen', sa.Integer(), nullable=False),
    sa.Column('actual_cost_fen', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('status_note', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['grid_id'], ['organization.id'], name=op.f('fk_project_grid_id_organization')),
    sa.ForeignKeyConstraint(['owner_member_id'], ['member.id'], name=op.f('fk_project_owner_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_completed_on'), ['completed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_owner_member_id'), ['owner_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_project_no'), ['project_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_status'), ['status'], unique=False)

    op.create_table('project_milestone',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_milestone_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_milestone'))
    )
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_milestone_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_milestone_project_id'), ['project_id'], unique=False)

    op.create_table('project_resident',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('resident_id', sa.String(length=36), nullable=True),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_project_resident_household_id_household')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_resident_project_id_project')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_project_resident_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_resident'))
    )
    with op.batch_alter_table('project_resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_resident_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_resident_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_resident_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_resident_resident_id'), ['resident_id'], unique=False)

    op.create_table('visit',
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('form', sa.String(length=10), nullable=False),
    sa.Column('grid_id', sa.String(length=36), nullable=True),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('resident_id', sa.String(length=36), nullable=True),
    sa.Column('visitee_name', sa.String(length=40), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('other_visitors', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('raised_issue', sa.Boolean(), nullable=False),
    sa.Column('follow_state', sa.String(length=10), nullable=False),
    sa.Column('handler', sa.String(length=60), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('resolved_by', sa.String(length=60), nullable=False),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('project_id', sa.String(length=36), nullable=True),
    sa.Column('recorder', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['grid_id'], ['organization.id'], name=op.f('fk_visit_grid_id_organization')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_visit_household_id_household')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_visit_project_id_project')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_visit_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_follow_state'), ['follow_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_resolved_on'), ['resolved_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_visit_date'), ['visit_date'], unique=False)

    op.create_table('visit_member',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_visit_member_member_id_member')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_member_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_member'))
    )
    with op.batch_alter_table('visit_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_member_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_member_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_member_visit_id'), ['visit_id'], unique=False)

    op.create_table('visit_follow_up',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('from_state', sa.String(length=10), nullable=False),
    sa.Column('to_state', sa.String(length=10), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('by', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_follow_up_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_follow_up'))
    )
    with op.batch_alter_table('visit_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_follow_up_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_follow_up_visit_id'), ['visit_id'], unique=False)

    op.create_table('mediation_case',
    sa.Column('case_no', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('mediator', sa.String(length=60), nullable=False),
    sa.Column('grid_id', sa.String(length=36), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('agreement', sa.Text(), nullable=False),
    sa.Column('transferred_to', sa.String(length=60), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['grid_id'], ['organization.id'], name=op.f('fk_mediation_case_grid_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_case'))
    )
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_case_case_no'), ['case_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_closed_on'), ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_state'), ['state'], unique=False)

    op.create_table('mediation_party',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('resident_id', sa.String(length=36), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_party_case_id_mediation_case')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_mediation_party_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_party'))
    )
    with op.batch_alter_table('mediation_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_party_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_party_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_party_resident_id'), ['resident_id'], unique=False)

    op.create_table('mediation_session',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('session_date', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=60), nullable=False),
    sa.Column('mediators', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_session_case_id_mediation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_session'))
    )
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_session_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_session_deleted'), ['deleted'], unique=False)

    op.create_table('wish',
    sa.Column('wish_no', sa.String(length=20), nullable=False),
    sa.Column('resident_id', sa.String(length=36), nullable=True),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('wisher_name', sa.String(length=40), nullable=False),
    sa.Column('grid_id', sa.String(length=36), nullable=True),
    sa.Column('content', sa.String(length=200), nullable=False),
    sa.Column('background', sa.String(length=200), nullable=False),
    sa.Column('estimated_fen', sa.Integer(), nullable=False),
    sa.Column('posted_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('claimant_kind', sa.String(length=10), nullable=False),
    sa.Column('claimant_member_id', sa.String(length=36), nullable=True),
    sa.Column('claimant_unit_id', sa.String(length=36), nullable=True),
    sa.Column('claimant_name', sa.String(length=60), nullable=False),
    sa.Column('claimed_on', sa.Date(), nullable=True),
    sa.Column('fulfilled_on', sa.Date(), nullable=True),
    sa.Column('fulfil_note', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['claimant_member_id'], ['member.id'], name=op.f('fk_wish_claimant_member_id_member')),
    sa.ForeignKeyConstraint(['claimant_unit_id'], ['partner_unit.id'], name=op.f('fk_wish_claimant_unit_id_partner_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['organization.id'], name=op.f('fk_wish_grid_id_organization')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_wish_household_id_household')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_wish_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish'))
    )
    with op.batch_alter_table('wish', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_claimant_member_id'), ['claimant_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_claimant_unit_id'), ['claimant_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_fulfilled_on'), ['fulfilled_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_posted_on'), ['posted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_wish_no'), ['wish_no'], unique=False)

    op.create_table('wish_claim',
    sa.Column('wish_id', sa.String(length=36), nullable=False),
    sa.Column('claimant_kind', sa.String(length=10), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=True),
    sa.Column('unit_id', sa.String(length=36), nullable=True),
    sa.Column('claimant_name', sa.String(length=60), nullable=False),
    sa.Column('claimed_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_wish_claim_member_id_member')),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_unit.id'], name=op.f('fk_wish_claim_unit_id_partner_unit')),
    sa.ForeignKeyConstraint(['wish_id'], ['wish.id'], name=op.f('fk_wish_claim_wish_id_wish')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_claim'))
    )
    with op.batch_alter_table('wish_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_claim_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_claim_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_claim_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_claim_wish_id'), ['wish_id'], unique=False)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
