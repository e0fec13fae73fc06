"""Members saved before names were read character by character get their search keys again.

Since issue #19 a name's pinyin keys come from a per-character table (于思雨 is
yusiyu; phrase segmentation read yu-sai-yu), but members stored before kept
their old keys until edited, so typing "yusiyu" did not find them. The keys
are derived search columns, each site computes them itself: they are
rewritten without a new version, sync stamp or audit entry (nothing a user
entered changes).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.pinyin import keys as pinyin_keys

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    conn = op.get_bind()
    member = sa.table("member", sa.column("id", sa.String), sa.column("name", sa.String),
                      sa.column("name_pinyin", sa.String), sa.column("name_initials", sa.String))
    stale = []
    for mid, name, pinyin, initials in conn.execute(
            sa.select(member.c.id, member.c.name, member.c.name_pinyin, member.c.name_initials)):
        new_pinyin, new_initials = pinyin_keys(name)
        if (new_pinyin, new_initials) != (pinyin, initials):
            stale.append({"mid": mid, "p": new_pinyin, "i": new_initials})
    update = (member.update().where(member.c.id == sa.bindparam("mid"))
              .values(name_pinyin=sa.bindparam("p"), name_initials=sa.bindparam("i")))
    for start in range(0, len(stale), _BATCH):
        conn.execute(update, stale[start:start + _BATCH])


def downgrade() -> None:
    pass  # the old keys were a reading of the same names; nothing to restore
