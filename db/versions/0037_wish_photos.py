"""Photos of a 微心愿 (wish_photo): the wish card before, the hand-over when it is realised.

Kept as a 共建活动's photos are (cobuild_activity_photo): the file in the data
folder's attachments, the row synced. A new synced table: SYNC_FORMAT moves to
0037, and a package of an older program (without the table) is still read;
one written for an older program leaves the table out (migrate.SYNCED_SINCE).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

TABLE = "wish_photo"


def upgrade() -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    own = (("wish_id", sa.String(36)), ("file_name", sa.String(200)), ("stored_name", sa.String(200)),
           ("size", big), ("sha256", sa.String(64)))
    synced = (("id", sa.String(36)), ("created_at", sa.DateTime()), ("updated_at", sa.DateTime()),
              ("updated_by_site", sa.String(36)), ("version", sa.Integer()), ("deleted", sa.Boolean()))
    op.create_table(
        TABLE,
        *(sa.Column(name, kind, nullable=False) for name, kind in own + synced),
        sa.ForeignKeyConstraint(["wish_id"], ["wish.id"], name=op.f("fk_wish_photo_wish_id_wish")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_photo")),
    )
    op.create_index(op.f("ix_wish_photo_wish_id"), TABLE, ["wish_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_wish_photo_wish_id"), table_name=TABLE)
    op.drop_table(TABLE)
