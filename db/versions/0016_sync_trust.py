"""Sync trust: each site's own public keys, the street's register of enrolled communities,
and the audit trail's hash chain. The old shared street key is wiped from the database.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_IDENTITY = ("street_sign_public", "street_box_public", "own_sign_public", "own_box_public")


def upgrade() -> None:
    with op.batch_alter_table("sync_identity") as b:
        for name in _IDENTITY:
            b.add_column(sa.Column(name, sa.String(length=64), nullable=False, server_default=""))
        b.add_column(sa.Column("key_path", sa.String(length=400), nullable=False, server_default=""))
        b.add_column(sa.Column("state", sa.String(length=16), nullable=False, server_default=""))
    # The shared key decrypted every community's packages: it leaves the database (and every later backup).
    op.execute("UPDATE sync_identity SET key_b64 = ''")
    op.create_table(
        "sync_enrolment",
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("org_code", sa.String(length=32), nullable=False),
        sa.Column("org_name", sa.String(length=60), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("sign_public", sa.String(length=64), nullable=False),
        sa.Column("box_public", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("site_id"),
    )
    with op.batch_alter_table("audit_entry") as b:
        b.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=""))
        b.add_column(sa.Column("hash", sa.String(length=64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as b:
        b.drop_column("hash")
        b.drop_column("prev_hash")
    op.drop_table("sync_enrolment")
    with op.batch_alter_table("sync_identity") as b:
        for name in ("state", "key_path", *reversed(_IDENTITY)):
            b.drop_column(name)
