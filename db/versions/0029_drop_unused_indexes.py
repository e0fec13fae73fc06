"""Indexes no query needs go: every table's index on `deleted`, and the member's on status and ID number.

`deleted` is false on nearly every row, so an index on it alone selects
nothing; but SQLite, without statistics, takes an equality on it for a
selective one and, for `meeting_id = ? AND deleted = 0`, walks the whole
`deleted` index instead of the one on meeting_id (EXPLAIN QUERY PLAN chose
the `deleted` index for 298 of 488 such lookups over the schema). No query
asks for the deleted rows by that column. The member's `ix_member_status`
(a handful of values, read through the roster index) and `ix_member_id_number`
(the unique index on the live ID number leads with the same column) were
chosen by no query either. Fewer indexes also make a 100,000-member import
cheaper: each one is built once more at its end.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

# The tables whose SyncMixin `deleted` column had an index at 0028 (the downgrade makes them again).
TABLES = (
    "account", "app_user", "applicant", "assessment_evidence", "assessment_indicator", "assessment_scheme",
    "assessment_score", "assessment_title", "attendance", "attendance_exemption", "audit_entry", "branch_cadence",
    "budget", "closed_month", "cobuild_activity", "cobuild_activity_org", "cobuild_activity_person",
    "cobuild_activity_photo", "cobuild_activity_unit", "cobuild_care", "cobuild_care_recipient",
    "cobuild_committee", "cobuild_contact", "cobuild_cost", "cobuild_inquiry", "cobuild_joint_topic",
    "cobuild_list_item", "cobuild_pairing", "cobuild_pairing_item", "cobuild_pairing_visit",
    "cobuild_unit_report", "cobuild_unit_report_item", "committee_member", "development_step", "discipline",
    "dues_base", "dues_rate_rule", "dues_record", "evaluation", "floating_record", "household",
    "ledger_attachment", "ledger_entry", "lost_search", "mediation_case", "mediation_party", "mediation_session",
    "meeting", "meeting_attachment", "meeting_kind_setting", "meeting_topic", "member", "member_disposal",
    "member_org_move", "member_status_change", "organization", "partner_unit", "party_exit", "project",
    "project_milestone", "project_resident", "reporting_member", "reporting_post", "reporting_post_claim",
    "reporting_service", "resident", "service_list_item", "transfer", "visit", "visit_follow_up", "visit_member",
    "wish", "wish_claim",
)
MEMBER = {"ix_member_status": "status", "ix_member_id_number": "id_number"}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in inspector.get_table_names():
        for index in inspector.get_indexes(table):
            if index["name"] == f"ix_{table}_deleted" and index["column_names"] == ["deleted"]:
                op.drop_index(index["name"], table_name=table)
    present = {i["name"] for i in inspector.get_indexes("member")}
    for name in MEMBER:
        if name in present:
            op.drop_index(name, table_name="member")


def downgrade() -> None:
    for name, column in MEMBER.items():
        op.create_index(name, "member", [column])
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    for table in TABLES:
        if table in tables:
            op.create_index(f"ix_{table}_deleted", table, ["deleted"])
