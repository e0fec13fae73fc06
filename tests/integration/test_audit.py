"""The audit trail on real database files: every ORM write through the services leaves an entry."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import audit_log, auth, orgs, privacy, roster
from desktop_app.services import residents as res
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.residents import HouseholdInput, ResidentInput
from desktop_app.services.uow import UnitOfWork, site_id_of
from tests.party_people import floating_out
from desktop_app.store import audit
from desktop_app.store.base import Base, SyncMixin
from desktop_app.store.models import Organization
from desktop_app.store.models_access import AuditEntry

TODAY = date(2026, 6, 15)
PASSWORD = "xingfuli2026"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def entries(db, **where) -> list[AuditEntry]:
    with db.session() as s:
        q = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
        for key, value in where.items():
            q = q.where(getattr(AuditEntry, key) == value)
        return list(s.scalars(q))


def raw_trail(db) -> str:
    con = db.engine.raw_connection()  # the stored rows as they are, on either engine
    try:
        cur = con.cursor()
        cur.execute("SELECT * FROM audit_entry")
        return "\n".join(" ".join(str(v) for v in row) for row in cur.fetchall())
    finally:
        con.close()


def community(db):
    return next(n for n in orgs.list_tree(db) if n.kind == "community")


def test_org_create_rename_move_delete_each_leave_before_and_after(db):
    admin = auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    c = community(db)
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    g = orgs.create(db, "第一党小组", "G01", "group", b1.id)
    orgs.rename(db, b1.id, "幸福网格党支部", code="B09")
    orgs.move(db, g.id, b2.id)
    orgs.delete(db, g.id)

    trail = entries(db, table_name="organization", row_id=b1.id)
    assert [e.action for e in trail] == ["insert", "update"]  # rename flushes twice: still one line
    ins, upd = trail
    assert json.loads(ins.after_json) == {"code": "B01", "kind": "branch", "name": "第一网格党支部",
                                          "parent_id": c.id, "sort_order": 1}
    assert ins.before_json == "" and ins.label == "第一网格党支部"
    assert json.loads(upd.before_json) == {"name": "第一网格党支部", "code": "B01"}
    assert json.loads(upd.after_json) == {"name": "幸福网格党支部", "code": "B09"}
    for e in trail:
        assert (e.user_id, e.user_name) == (admin.user_id, "王书记")
        assert e.site_id == site_id_of(db) and e.updated_by_site == site_id_of(db)  # travels with sync
    group = entries(db, table_name="organization", row_id=g.id)
    assert [e.action for e in group] == ["insert", "update", "delete"]
    assert json.loads(group[1].before_json)["parent_id"] == b1.id
    assert json.loads(group[1].after_json)["parent_id"] == b2.id
    assert json.loads(group[2].before_json)["name"] == "第一党小组"  # what was deleted


def test_roster_writes_are_audited_with_id_numbers_and_phones_masked(db):
    c = community(db)
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    number = idcard.make("320102", date(1980, 5, 6), 1, "男")
    other = idcard.make("320102", date(1980, 5, 6), 3, "男")
    d = roster.create(db, MemberInput(name="张三", org_id=b.id, id_number=number, gender="男",
                                      mobile="13912345678", joined_date=date(2005, 7, 1),
                                      confirmed_date=date(2006, 7, 1)), today=TODAY)
    roster.update(db, d.id, MemberInput(**{**d.to_input().__dict__, "id_number": other,
                                           "mobile": "13800001111", "job": "教师"}), today=TODAY)
    roster.delete(db, d.id)
    roster.restore(db, d.id)
    trail = entries(db, table_name="member", row_id=d.id)
    assert [e.action for e in trail] == ["insert", "update", "delete", "restore"]
    after = json.loads(trail[0].after_json)
    assert after["id_number"] == idcard.mask(number) and after["mobile"] == "139****5678"
    assert after["name"] == "张三" and after["joined_date"] == "2005-07-01"
    before, after = json.loads(trail[1].before_json), json.loads(trail[1].after_json)
    assert before == {"id_number": idcard.mask(number), "mobile": "139****5678", "job": ""}
    assert after == {"id_number": idcard.mask(other), "mobile": "138****1111", "job": "教师"}
    text = raw_trail(db)
    for secret in (number, other, "13912345678", "13800001111"):
        assert secret not in text  # the trail is no copy of the personal data


def test_resident_and_household_writes_are_audited(db):
    c = community(db)
    g = orgs.create(db, "第一网格党支部", "G1", "branch", c.id)
    h = res.create_household(db, HouseholdInput(grid_id=g.id, building="梅园新村3栋", room="302室",
                                                phone="13912345678"))
    r = res.create_resident(db, ResidentInput(name="王秀英", household_id=h.id, phone="025-84561234"), TODAY)
    res.update_resident(db, r.id, ResidentInput(**{**r.to_input().__dict__, "tags": ("独居老人",)}), TODAY)
    res.delete_resident(db, r.id)
    assert [e.action for e in entries(db, table_name="resident", row_id=r.id)] == ["insert", "update", "delete"]
    upd = entries(db, table_name="resident", action="update")[0]
    assert json.loads(upd.after_json) == {"tags": "独居老人"}
    assert json.loads(entries(db, table_name="household", row_id=h.id)[0].after_json)["phone"] == "139****5678"
    assert "84561234" not in raw_trail(db)


def test_every_orm_write_has_its_entry(db):
    """Completeness: each synced row has its insert entry, and a changed row its later entries.

    Entries are one per row and transaction, so a row has between one and
    (version - 1) later entries when it changed at all.
    """
    c = community(db)
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    for i in range(3):
        d = roster.create(db, MemberInput(name=f"党员{i}", org_id=b1.id,
                                          id_number=idcard.make("320102", date(1970 + i, 1, 2), i, "女"),
                                          gender="女", joined_date=date(2000, 7, 1),
                                          confirmed_date=date(2001, 7, 1)), today=TODAY)
        floating_out(db, d.id, TODAY - timedelta(days=3), "上海", today=TODAY)  # a 流出 on 流动与失联
        roster.transfer(db, d.id, "转出", TODAY - timedelta(days=1), to_org="外区", today=TODAY)
        roster.transfer(db, d.id, "转入", TODAY, new_org_id=b2.id, today=TODAY)
    orgs.move(db, b2.id, c.id, 0)
    h = res.create_household(db, HouseholdInput(grid_id=b1.id, building="1栋", room="101"))
    res.update_household(db, h.id, HouseholdInput(grid_id=b2.id, building="1栋", room="102"))
    res.create_resident(db, ResidentInput(name="李四", household_id=h.id), TODAY)

    with db.session() as s:
        counts = {}
        for table, row_id, action, n in s.execute(
            select(AuditEntry.table_name, AuditEntry.row_id, AuditEntry.action, func.count())
            .group_by(AuditEntry.table_name, AuditEntry.row_id, AuditEntry.action)
        ):
            counts.setdefault((table, row_id), {})[action] = n
        checked = 0
        for mapper in Base.registry.mappers:
            model = mapper.class_
            if not issubclass(model, SyncMixin) or model is AuditEntry:
                continue
            for row_id, version in s.execute(select(model.id, model.version)):
                seen = counts.get((model.__tablename__, row_id), {})
                assert seen.get("insert") == 1, (model.__tablename__, row_id)
                later = sum(n for a, n in seen.items() if a != "insert")
                assert (later > 0) == (version > 1) and later <= version - 1, (model.__tablename__, seen, version)
                checked += 1
    assert checked > 20


def test_two_flushes_of_one_row_in_one_action_make_one_entry(db):
    c = community(db)
    with UnitOfWork(db) as uow:
        s = uow.session
        org = Organization(name="甲支部", code="T1", kind="branch", parent_id=c.id)
        s.add(org)
        s.flush()
        org.name = "乙支部"
        s.flush()
        uow.commit()
    with UnitOfWork(db) as uow:
        s = uow.session
        org = s.get(Organization, org.id)
        org.name, org.code = "丙支部", "T2"
        s.flush()
        org.name = "乙支部"  # changed back within the same action: only the code changed
        s.flush()
        org.deleted = True
        uow.commit()
    trail = entries(db, table_name="organization", row_id=org.id)
    assert [e.action for e in trail] == ["insert", "delete"]
    assert json.loads(trail[0].after_json)["name"] == "乙支部"
    assert json.loads(trail[1].before_json)["code"] == "T1" and json.loads(trail[1].after_json) == {"code": "T2"}


def test_a_rolled_back_change_leaves_no_entry(db):
    before = len(entries(db))
    with UnitOfWork(db) as uow:
        uow.session.add(Organization(name="试试", code="T1", kind="branch", parent_id=None))
        uow.session.flush()  # the entry is written in the flush ...
        assert len(entries(db)) == before  # ... but not visible outside the transaction
    assert len(entries(db)) == before  # ... and gone with the rollback


def test_record_for_bulk_paths_masks_and_names_the_actor(db):
    actor = auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    number = idcard.make("320102", date(1980, 5, 6), 1, "男")
    with UnitOfWork(db) as uow:
        audit.record(uow.session, "import", "member", "", "导入党员 2 名（名册.xlsx）",
                     after={"id_number": number, "count": 2})
        uow.commit()
    e = entries(db, action="import")[0]
    assert e.user_name == "王书记" and e.user_id == actor.user_id and e.note == "导入党员 2 名（名册.xlsx）"
    assert json.loads(e.after_json) == {"id_number": idcard.mask(number), "count": 2}


def test_every_column_type_is_written_as_json(db):
    from datetime import datetime, time
    from decimal import Decimal

    with UnitOfWork(db) as uow:
        audit.record(uow.session, "bulk", "meeting", "", after={
            "start_time": time(14, 30), "meeting_date": date(2026, 6, 1), "at": datetime(2026, 6, 1, 9, 0),
            "ratio": Decimal("0.5"), "held": True, "amount_fen": 12345, "other": object.__name__,
        })
        uow.commit()
    after = json.loads(entries(db, action="bulk")[0].after_json)
    assert after == {"start_time": "14:30:00", "meeting_date": "2026-06-01", "at": "2026-06-01T09:00:00",
                     "ratio": "0.5", "held": True, "amount_fen": 12345, "other": "object"}


def test_logins_failures_and_lockouts_are_in_the_trail(db):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.logout(db)
    for i in range(5):
        with pytest.raises(auth.LoginFailed):
            auth.login(db, "admin", f"bad-pass-{i}")
    with pytest.raises(auth.LoginFailed):
        auth.login(db, "ghost", "whatever-1")
    actions = [e.action for e in entries(db, table_name="app_user")]
    assert actions == ["insert", "login", "logout"] + ["login_failed"] * 4 + ["lockout", "login_failed"]
    ghost = entries(db, table_name="app_user")[-1]
    assert ghost.label == "ghost" and ghost.user_id == ""
    for e in entries(db, table_name="app_user"):
        assert PASSWORD not in (e.before_json + e.after_json)


def test_user_changes_hide_the_password_fields(db):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    info = auth.create_user(db, "li", "李委员", "secretary", PASSWORD, must_change_password=False)
    auth.reset_password(db, info.id, "another-2026")
    ins = entries(db, table_name="app_user", row_id=info.id, action="insert")[0]
    after = json.loads(ins.after_json)
    assert after["password_hash"] == audit.HIDDEN and after["password_salt"] == audit.HIDDEN
    assert after["role"] == "secretary" and "failed_count" not in after
    upd = entries(db, table_name="app_user", row_id=info.id, action="update")[0]
    assert json.loads(upd.before_json)["password_hash"] == audit.HIDDEN
    assert json.loads(upd.after_json)["must_change_password"] is True


def test_reveal_needs_the_role_and_is_logged_without_the_value(db):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    c = community(db)
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    number = idcard.make("320102", date(1980, 5, 6), 1, "男")
    d = roster.create(db, MemberInput(name="张三", org_id=b.id, id_number=number, gender="男",
                                      joined_date=date(2005, 7, 1), confirmed_date=date(2006, 7, 1)),
                      today=TODAY)
    assert privacy.reveal(db, "member", d.id, "id_number") == number
    e = entries(db, action="reveal")[0]
    assert (e.table_name, e.row_id, e.label, e.note) == ("member", d.id, "张三", "查看完整公民身份号码")
    assert number not in raw_trail(db)
    auth.create_user(db, "v", "街道小赵", "viewer", PASSWORD)
    auth.login(db, "v", PASSWORD)
    with pytest.raises(auth.PermissionDenied):
        privacy.reveal(db, "member", d.id, "id_number")
    assert len(entries(db, action="reveal")) == 1


def test_personal_export_is_logged_and_refused_without_the_right(db):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    privacy.confirm_personal_export(db, "党员名册", "/tmp/名册.xlsx", rows=120, table="member")
    e = entries(db, action="export")[0]
    assert "党员名册" in e.note and "/tmp/名册.xlsx" in e.note and "120" in e.note
    auth.create_user(db, "v", "街道小赵", "viewer", PASSWORD)
    auth.login(db, "v", PASSWORD)
    with pytest.raises(auth.PermissionDenied, match="导出含完整个人信息"):
        privacy.confirm_personal_export(db, "党员名册", "/tmp/x.csv")


def test_reading_the_trail_filters_and_pages(db):
    admin = auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    c = community(db)
    made = [orgs.create(db, f"第{i}支部", f"B{i:02d}", "branch", c.id) for i in range(1, 8)]
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD)
    auth.login(db, "li", PASSWORD)
    orgs.rename(db, made[0].id, "改名支部")

    everything = audit_log.search(db)
    assert everything.total == len(entries(db))
    assert everything.rows[0].action == "update" and everything.rows[0].who == "李委员"  # newest first
    mine = audit_log.search(db, AuditFilter(user_id=admin.user_id, table="organization", action="insert"))
    assert mine.total == 7 and all(r.table_label == "党组织" and r.action_label == "新增" for r in mine.rows)
    one = audit_log.search(db, AuditFilter(row_id=made[0].id))
    assert [r.action for r in one.rows] == ["update", "insert"]
    change = one.rows[0].changes()
    assert [(c.label, c.before, c.after) for c in change] == [("名称", "第1支部", "改名支部")]
    assert audit_log.search(db, AuditFilter(text="改名")).total == 1
    today = date.today()
    assert audit_log.search(db, AuditFilter(date_from=today, date_to=today)).total == everything.total
    assert audit_log.search(db, AuditFilter(date_to=today - timedelta(days=1))).total == 0
    p0 = audit_log.search(db, page=0, page_size=5)
    p1 = audit_log.search(db, page=1, page_size=5)
    assert p0.pages == -(-everything.total // 5) and len(p0.rows) == 5
    assert not {r.id for r in p0.rows} & {r.id for r in p1.rows}
    assert [r.id for r in audit_log.history(db, "organization", made[0].id)] == [r.id for r in reversed(one.rows)]
    ch = audit_log.choices(db)
    assert ("organization", "党组织") in ch.tables and (admin.user_id, "王书记") in ch.users


def test_only_those_allowed_read_the_trail(db):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    c = community(db)
    g = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    auth.create_user(db, "w", "李网格", "grid", PASSWORD, grid_ids=[g.id])
    auth.login(db, "w", PASSWORD)
    with pytest.raises(auth.PermissionDenied, match="查看操作记录"):
        audit_log.search(db)


def test_the_trail_travels_with_sync_but_accounts_do_not():
    from desktop_app.store import schema  # noqa: F401  (every table)
    from desktop_app.sync.codec import synced_tables

    names = {t.name for t in synced_tables()}
    assert "audit_entry" in names and "member" in names
    assert "app_user" not in names  # a community's password hashes never reach the street
