"""Residents (and any member missed) get the search keys of today's reading, as 0027 gave members.

0027 rewrote the members' name_pinyin/name_initials with the per-character
table (于思雨 is yusiyu; phrase segmentation read yu-sai-yu) but left the
residents', so a resident saved before kept keys a search by the right pinyin
misses, at every site. The members are read again too: a package of a program
before 0027 used to store its members' keys as sent (the merge now derives its
own, sync.merge.own_keys). Derived search columns: rewritten without a new
version, sync stamp or audit entry (nothing a user entered changes), and only
where they differ.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.pinyin import keys as pinyin_keys

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

_TABLES = ("resident", "member")  # every table with name keys (store/models.py)
_BATCH = 5000


def upgrade() -> None:
    conn = op.get_bind()
    for name in _TABLES:
        t = sa.table(name, sa.column("id", sa.String), sa.column("name", sa.String),
                     sa.column("name_pinyin", sa.String), sa.column("name_initials", sa.String))
        stale = []
        for rid, person, pinyin, initials in conn.execute(
                sa.select(t.c.id, t.c.name, t.c.name_pinyin, t.c.name_initials)):
            new_pinyin, new_initials = pinyin_keys(person)
            if (new_pinyin, new_initials) != (pinyin, initials):
                stale.append({"rid": rid, "p": new_pinyin, "i": new_initials})
        update = (t.update().where(t.c.id == sa.bindparam("rid"))
                  .values(name_pinyin=sa.bindparam("p"), name_initials=sa.bindparam("i")))
        for start in range(0, len(stale), _BATCH):
            conn.execute(update, stale[start:start + _BATCH])


def downgrade() -> None:
    pass  # the old keys were a reading of the same names; nothing to restore
