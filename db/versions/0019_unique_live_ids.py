"""What must be unique is enforced by the database: a live member's ID number.

Two imports started at once used to both pass their duplicate check and leave
every member twice. The partial unique index (live rows only: a removed
member's number may return) stops that at the storage level whatever the code
above does. It is unique per writing site: a street merges the rosters of many
communities, and during a 组织关系转接 one person is rightly on two of them (转出
at one, new at the other); the street must not refuse either package. A voucher number is already unique per book (uq_ledger_entry_org_voucher;
the number carries its year).

A database that already holds duplicates must still upgrade, and no record may
be lost: the oldest live member keeps the number; each later duplicate is kept
with its number made unique ("<number>#2") and a note saying what it was and
whom it duplicates, so that someone can merge or correct it. Each is logged.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

INDEX = "uq_member_live_id_number"


def _settle_duplicates(conn) -> list[str]:
    rows = conn.execute(sa.text(
        "SELECT m.id, m.id_number, m.updated_by_site, m.name, m.notes FROM member m JOIN ("
        " SELECT id_number, updated_by_site FROM member WHERE deleted = false"
        " GROUP BY id_number, updated_by_site HAVING COUNT(*) > 1) d"
        " ON d.id_number = m.id_number AND d.updated_by_site = m.updated_by_site"
        " WHERE m.deleted = false ORDER BY m.updated_by_site, m.id_number, m.created_at, m.id"
    )).all()
    taken = set(conn.execute(sa.text("SELECT DISTINCT id_number FROM member")).scalars())
    reports: list[str] = []
    keeper: dict[tuple[str, str], str] = {}
    for mid, number, site, name, notes in rows:
        if (number, site) not in keeper:
            keeper[number, site] = name
            continue
        n = 2
        while f"{number}#{n}" in taken:
            n += 1
        new = f"{number}#{n}"
        taken.add(new)
        note = (f"【数据库升级】公民身份号码 {number} 与党员{keeper[number, site]}重复，"
                f"已暂改为 {new}；请核实后更正号码或删除重复记录。")
        conn.execute(
            sa.text("UPDATE member SET id_number = :new, notes = :notes WHERE id = :id"),
            {"new": new, "notes": (notes + "\n" if notes else "") + note, "id": mid},
        )
        reports.append(f"{name}（{number} → {new}）")
    return reports


def upgrade() -> None:
    reports = _settle_duplicates(op.get_bind())
    for line in reports:
        log.warning("duplicate live member ID number kept under a new number: %s", line)
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(INDEX, ["id_number", "updated_by_site"], unique=True,
                              sqlite_where=sa.text("deleted = 0"),
                              postgresql_where=sa.text("NOT deleted"))


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
