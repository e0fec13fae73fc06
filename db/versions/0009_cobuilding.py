"""共驻共建: partner units gain kind, party organisation, address, date joined and offers; activities;
the 双报到 register with posts and a service log. Members' reporting_* fields are copied into the
register (each such member linked by member_id), so they leave the roster's counts without loss.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Parents before children; downgrade drops in reverse.
_TABLES = (
    "cobuild_activity", "reporting_member", "reporting_post", "cobuild_activity_org", "cobuild_activity_unit",
    "cobuild_activity_person", "cobuild_activity_photo", "reporting_post_claim", "reporting_service",
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


def _table(name: str, *columns, indexes: tuple[str, ...] = ()) -> None:
    op.create_table(name, *columns, *_sync_columns(), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")))
    with op.batch_alter_table(name, schema=None) as batch_op:
        for col in ("deleted", *indexes):
            batch_op.create_index(batch_op.f(f"ix_{name}_{col}"), [col], unique=False)


def _fk(column: str, table: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.String(length=36), sa.ForeignKey(
        f"{target}.id", name=op.f(f"fk_{table}_{column}_{target}")), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("partner_unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("party_org", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("address", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("joined_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("offers", sa.String(length=120), nullable=False, server_default=""))

    _table("cobuild_activity",
           sa.Column("activity_date", sa.Date(), nullable=False),
           sa.Column("kind", sa.String(length=20), nullable=False),
           sa.Column("title", sa.String(length=80), nullable=False),
           sa.Column("place", sa.String(length=120), nullable=False),
           sa.Column("residents_served", sa.Integer(), nullable=False),
           sa.Column("cost_fen", sa.Integer(), nullable=False),
           sa.Column("content", sa.Text(), nullable=False),
           indexes=("activity_date", "kind"))
    t = "reporting_member"
    _table(t,
           sa.Column("name", sa.String(length=40), nullable=False),
           sa.Column("gender", sa.String(length=2), nullable=False),
           sa.Column("mobile", sa.String(length=30), nullable=False),
           sa.Column("employer", sa.String(length=120), nullable=False),
           sa.Column("employer_org", sa.String(length=120), nullable=False),
           _fk("unit_id", t, "partner_unit", True),
           sa.Column("job", sa.String(length=60), nullable=False),
           sa.Column("reported_on", sa.Date(), nullable=True),
           _fk("org_id", t, "organization", True),
           _fk("member_id", t, "member", True),
           sa.Column("skills", sa.Text(), nullable=False),
           sa.Column("left_on", sa.Date(), nullable=True),
           sa.Column("notes", sa.Text(), nullable=False),
           indexes=("name", "unit_id", "org_id", "member_id"))
    t = "reporting_post"
    _table(t,
           sa.Column("name", sa.String(length=60), nullable=False),
           _fk("org_id", t, "organization", True),
           sa.Column("duties", sa.Text(), nullable=False),
           sa.Column("places", sa.Integer(), nullable=False),
           indexes=("org_id",))
    t = "cobuild_activity_org"
    _table(t, _fk("activity_id", t, "cobuild_activity"), _fk("org_id", t, "organization"),
           indexes=("activity_id", "org_id"))
    t = "cobuild_activity_unit"
    _table(t, _fk("activity_id", t, "cobuild_activity"), _fk("unit_id", t, "partner_unit"),
           sa.Column("unit_name", sa.String(length=60), nullable=False),
           indexes=("activity_id", "unit_id"))
    t = "cobuild_activity_person"
    _table(t, _fk("activity_id", t, "cobuild_activity"),
           sa.Column("kind", sa.String(length=10), nullable=False),
           _fk("member_id", t, "member", True), _fk("reporting_member_id", t, "reporting_member", True),
           sa.Column("name", sa.String(length=40), nullable=False),
           sa.Column("hours_tenths", sa.Integer(), nullable=False),
           indexes=("activity_id", "member_id", "reporting_member_id"))
    t = "cobuild_activity_photo"
    _table(t, _fk("activity_id", t, "cobuild_activity"),
           sa.Column("file_name", sa.String(length=200), nullable=False),
           sa.Column("stored_name", sa.String(length=200), nullable=False),
           sa.Column("size", sa.Integer(), nullable=False),
           sa.Column("sha256", sa.String(length=64), nullable=False),
           indexes=("activity_id",))
    t = "reporting_post_claim"
    _table(t, _fk("post_id", t, "reporting_post"), _fk("reporting_member_id", t, "reporting_member"),
           sa.Column("claimed_on", sa.Date(), nullable=False),
           sa.Column("ended_on", sa.Date(), nullable=True),
           indexes=("post_id", "reporting_member_id"))
    t = "reporting_service"
    _table(t, _fk("reporting_member_id", t, "reporting_member"),
           sa.Column("service_date", sa.Date(), nullable=False),
           _fk("post_id", t, "reporting_post", True),
           sa.Column("content", sa.String(length=200), nullable=False),
           sa.Column("hours_tenths", sa.Integer(), nullable=False),
           sa.Column("points", sa.Integer(), nullable=False),
           indexes=("reporting_member_id", "service_date"))
    _move_reporting_members()


def _move_reporting_members() -> None:
    """Each roster member with a reporting employer becomes a register entry linked by member_id.

    Nothing is lost: employer, the old 报到岗位 (kept as the job), the date and the
    服务内容 (kept as what they offer) are copied as they were; the member's own
    fields stay untouched. The employer is linked to a partner unit of the same name.
    """
    con = op.get_bind()
    units = {name: uid for uid, name in con.execute(
        sa.text("SELECT id, name FROM partner_unit WHERE deleted = false"))}
    rows = con.execute(sa.text(
        "SELECT id, name, gender, mobile, org_id, reporting_employer, reporting_post, reporting_date,"
        " reporting_services, updated_by_site FROM member"
        " WHERE deleted = false AND reporting_employer != ''")).all()
    now = datetime.utcnow()
    insert = sa.text(
        "INSERT INTO reporting_member (id, name, gender, mobile, employer, employer_org, unit_id, job,"
        " reported_on, org_id, member_id, skills, left_on, notes, created_at, updated_at, updated_by_site,"
        " version, deleted) VALUES (:id, :name, :gender, :mobile, :employer, '', :unit_id, :job, :reported_on,"
        " :org_id, :member_id, :skills, NULL, '', :now, :now, :site, 1, false)")
    for mid, name, gender, mobile, org_id, employer, post, on, services, site in rows:
        con.execute(insert, {
            "id": str(uuid.uuid4()), "name": name, "gender": gender or "", "mobile": mobile or "",
            "employer": employer, "unit_id": units.get(employer), "job": (post or "")[:60],
            "reported_on": on, "org_id": org_id, "member_id": mid, "skills": services or "",
            "now": now, "site": site or "",
        })


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
    with op.batch_alter_table("partner_unit", schema=None) as batch_op:
        for col in ("offers", "joined_on", "address", "party_org", "kind"):
            batch_op.drop_column(col)
