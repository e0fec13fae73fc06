"""The member's index on the name's pinyin goes: a roster import paid for it on every file, its readers hardly gained.

Its keys spread over their whole range, so every 100,000-member file imported into a
big roster went into it at random places and wrote back every leaf page of it.
Measured raw (sqlite3 executemany of the same 1,000,000 rows as ten files of 100,000,
the import's 64 MB page cache, CPU): 15.6-15.7 s with it, 12.8-12.9 s without; the
tenth file 1.85-1.88 s against 1.44-1.50 s. The program's import of those ten files,
back to back with the code before: 29.8-30.7 s of CPU against 32.4-33.0 s; at 100,000
members (one file into an empty roster, indexes built after) unchanged.

What read it, at 1,000,000 members (CPU): the 走访 member picker (services/visits,
ORDER BY name_pinyin LIMIT 30) walked it in pinyin order and looked each row up, 0.6 ms
with an empty box but 1.5-2.1 s for a name or initials that few members match; it now
reads the covering ix_member_roster, 0.24-0.34 s for any text. A member named on the
command line (services/memberlife, exact name) 1.2 ms by it, 105 ms through
ix_member_roster (10 ms at 100,000). The roster sorted by name is served by the
search's own lists, the same either way (45-55 ms). The roster orders ties by seq
first, which ix_member_roster leads with.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

INDEX = "ix_member_name_pinyin"


def upgrade() -> None:
    if INDEX in {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("member")}:
        op.drop_index(INDEX, table_name="member")


def downgrade() -> None:
    op.create_index(INDEX, "member", ["name_pinyin"])
