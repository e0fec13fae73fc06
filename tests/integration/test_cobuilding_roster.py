"""A 在职党员 moved into the 双报到 register leaves the community's roster, 应到, quorum and 党费;
the migration moves the old reporting_* fields into the register without loss."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict
from desktop_app.domain.members import MemberInput
from desktop_app.services import cobuilding as cb
from desktop_app.services import dues, orgs, roster
from desktop_app.services.meetings import lifecycle
from desktop_app.store import migrate
from desktop_app.store.db import Database

TODAY = date(2026, 6, 28)


@pytest.fixture
def branch(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id

    def member(name, seq, **kw):
        born = date(1970, 1, seq)
        return roster.create(db, MemberInput(
            name=name, org_id=g1, id_number=idcard.make("320102", born, seq, "男"), gender="男", birth_date=born,
            joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1), **kw), TODAY).id

    return {"g1": g1, "zhang": member("张建国", 1), "chen": member(
        "陈医生", 2, reporting_employer="区人民医院", reporting_post="医生", reporting_date=date(2025, 3, 1),
        reporting_services="健康咨询")}


def test_a_member_moved_into_the_register_no_longer_counts(db, branch):
    assert roster.stats(db, today=TODAY).total == 2
    before = [p.name for p in lifecycle.default_attendees(db, branch["g1"], "支部党员大会", TODAY)]
    assert before == ["张建国", "陈医生"]
    d = cb.move_from_roster(db, branch["chen"], TODAY)
    assert (d.row.employer, d.row.job, d.row.reported_on, d.skills, d.row.from_roster) == (
        "区人民医院", "医生", date(2025, 3, 1), "健康咨询", True)
    with pytest.raises(Conflict):
        cb.move_from_roster(db, branch["chen"], TODAY)
    assert roster.stats(db, today=TODAY).total == 1  # the roster
    assert [p.name for p in lifecycle.default_attendees(db, branch["g1"], "支部党员大会", TODAY)] == ["张建国"]  # 应到, so quorum
    grid = dues.branch_grid(db, branch["g1"], 2026, TODAY)  # 党费
    assert [r.name for r in grid.rows] == ["张建国"]
    # still found when the roster is asked for its reporting members
    assert roster.search_ids(db, roster.MemberFilter(reporting=True), today=TODAY) == [branch["chen"]]


def test_migration_moves_reporting_fields_into_the_register(tmp_path):
    path = tmp_path / "old.db"
    db = Database.at(path)
    migrate.upgrade(db, "0008")
    db.dispose()
    con = sqlite3.connect(path)
    sync = ("2025-01-01 00:00:00.000000", "2025-01-01 00:00:00.000000", "site-1", 1, 0)
    org_id, unit_id = str(uuid.uuid4()), str(uuid.uuid4())
    con.execute("INSERT INTO organization (id, code, name, kind, parent_id, sort_order, created_at, updated_at,"
                " updated_by_site, version, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (org_id, "C01", "幸福里社区党委", "community", None, 1, *sync))
    con.execute("INSERT INTO partner_unit (id, name, contact_person, phone, notes, created_at, updated_at,"
                " updated_by_site, version, deleted) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (unit_id, "区人民医院", "", "", "", *sync))
    cols = [r[1] for r in con.execute("PRAGMA table_info(member)")]
    for seq, (name, employer) in enumerate((("陈医生", "区人民医院"), ("张建国", "")), 1):
        values = {c: "" for c in cols}
        values.update(id=str(uuid.uuid4()), seq=seq, name=name, org_id=org_id, gender="女", category="正式党员",
                      mobile="13812345678", status="正常", party_status="正常", is_lost=0, is_floating=0,
                      is_hardship=0, reporting_employer=employer, reporting_post="主治医师" if employer else "",
                      reporting_date="2024-05-06" if employer else None, reporting_services="义诊；健康讲座",
                      created_at=sync[0], updated_at=sync[1], updated_by_site="site-1", version=1, deleted=0)
        for c in cols:
            if c.endswith(("_date", "_until")) and values[c] == "":
                values[c] = None
        con.execute(f"INSERT INTO member ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    [values[c] for c in cols])
    con.commit()
    con.close()
    db2, _backup = migrate.open_database(path)
    db2.dispose()
    con = sqlite3.connect(path)
    rows = con.execute("SELECT r.name, r.employer, r.unit_id, r.job, r.reported_on, r.skills, r.org_id, m.name,"
                       " r.mobile FROM reporting_member r JOIN member m ON m.id = r.member_id").fetchall()
    assert rows == [("陈医生", "区人民医院", unit_id, "主治医师", "2024-05-06", "义诊；健康讲座", org_id, "陈医生",
                     "13812345678")]
    # the member's own fields are left as they were
    assert con.execute("SELECT reporting_employer FROM member WHERE name='陈医生'").fetchone() == ("区人民医院",)
