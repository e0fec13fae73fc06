"""What must be unique stays unique with two writers at once: a live member's ID number, a branch, a voucher."""

import csv
import sqlite3
import subprocess
import sys
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.store import migrate
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization

BRANCHES = ["第一党支部", "第二党支部", "第三党支部"]


def member_file(path, n: int):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "所在党支部", "公民身份号码", "人员类别", "加入党组织日期", "转为正式党员日期"])
        for i in range(n):
            born = date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
            number = idcard.make("320102", born, i % 100, idcard.MALE if i % 2 else idcard.FEMALE)
            w.writerow([f"党员{i}", BRANCHES[i % 3], number, "正式党员", f"{born.year + 25}-07-01",
                        f"{born.year + 26}-07-01"])
    return path


def test_two_imports_of_the_same_file_at_once_leave_one_copy_and_a_message(tmp_path):
    dbfile = tmp_path / "c.db"
    assert main(["init", "--db", str(dbfile), "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    src = member_file(tmp_path / "名册.csv", 4000)
    cmd = [sys.executable, "-m", "desktop_app", "import", "members", str(src), "--db", str(dbfile)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    codes = sorted(r[0] for r in results)
    con = sqlite3.connect(dbfile)
    live = con.execute("SELECT count(*), count(DISTINCT id_number) FROM member WHERE deleted = 0").fetchone()
    branches = con.execute(
        "SELECT name, count(*) FROM organization WHERE deleted = 0 AND kind = 'branch' GROUP BY name"
    ).fetchall()
    con.close()
    assert live == (4000, 4000), results
    assert sorted(branches) == sorted((b, 1) for b in BRANCHES), results
    assert codes[0] == 0 and codes[1] in (0, 2), results
    loser = next((r for r in results if r[0] == 2), None)
    if loser is not None:  # the usual case: both previewed an empty roster
        assert "名册在预览之后已被修改" in loser[2] and "未导入任何数据" in loser[2]
    else:  # the second previewed after the first committed: it found every member already there
        assert any("无变化 4000 人" in r[1] for r in results), results


def test_the_database_refuses_a_second_live_member_with_the_same_id_number(db):
    from desktop_app.store.base import sync_values, utcnow

    number = idcard.make("320102", date(1970, 1, 1), 1, idcard.MALE)
    with db.session() as s:
        org = s.scalar(select(Organization.id).limit(1))
        base = {"name": "张三", "org_id": org, "id_number": number, "seq": 1}
        s.add(Member(**base))
        s.commit()
        s.add(Member(**base | {"seq": 2}))
        with pytest.raises(IntegrityError):
            s.commit()
        s.rollback()
        # a removed member's number may come back
        first = s.scalar(select(Member).where(Member.id_number == number))
        first.deleted = True
        s.commit()
        s.add(Member(**base | {"seq": 3}))
        s.commit()
        assert s.scalar(select(func.count()).select_from(Member).where(Member.id_number == number)) == 2
    # A street holds every community's roster: another site's live row with the number is not refused.
    with db.session() as s:
        s.execute(Member.__table__.insert(), [sync_values("another-site", utcnow()) | base | {"seq": 4}])
        s.commit()


def _insert_member(con, org_id, number, name, created, deleted=0, site="site-1"):
    con.execute(
        "INSERT INTO member (id, seq, name, org_id, id_number, gender, ethnicity, education, category,"
        " job, mobile, phone, address, party_status, is_lost, is_floating, floating_to, notes, status,"
        " reporting_employer, reporting_post, reporting_services, is_hardship, name_pinyin, name_initials,"
        " created_at, updated_at, updated_by_site, version, deleted)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (str(uuid.uuid4()), 1, name, org_id, number, "男", "汉族", "", "正式党员", "", "", "", "", "正常",
         0, 0, "", "旧备注" if name == "王五" else "", "正常", "", "", "", 0, "", "", created, created,
         site, 1, deleted),
    )


def test_upgrading_a_database_with_duplicates_keeps_every_member_and_says_which(tmp_path, caplog):
    path = tmp_path / "old.db"
    db = Database.at(path)
    migrate.upgrade(db, "0018")
    db.dispose()
    con = sqlite3.connect(path)
    org_id = str(uuid.uuid4())
    con.execute(
        "INSERT INTO organization (id, code, name, kind, parent_id, sort_order, created_at, updated_at,"
        " updated_by_site, version, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (org_id, "C01", "幸福里社区党委", "community", None, 1, "2025-01-01", "2025-01-01", "site-1", 1, 0),
    )
    number = idcard.make("320102", date(1970, 5, 6), 12, idcard.MALE)
    _insert_member(con, org_id, number, "张三", "2020-01-01 00:00:00")
    _insert_member(con, org_id, number, "李四", "2021-01-01 00:00:00")
    _insert_member(con, org_id, number, "王五", "2022-01-01 00:00:00")
    _insert_member(con, org_id, number, "赵六", "2019-01-01 00:00:00", deleted=1)
    # a street's copy of another community's roster: the same person during a transfer
    _insert_member(con, org_id, number, "孙七", "2018-01-01 00:00:00", site="site-2")
    con.commit()
    con.close()

    with caplog.at_level("WARNING"):
        db2, _ = migrate.open_database(path)
    db2.dispose()
    con = sqlite3.connect(path)
    rows = dict(con.execute("SELECT name, id_number FROM member").fetchall())
    notes = dict(con.execute("SELECT name, notes FROM member").fetchall())
    con.close()
    assert rows == {"张三": number, "李四": f"{number}#2", "王五": f"{number}#3", "赵六": number, "孙七": number}
    assert "重复" in notes["李四"] and number in notes["李四"] and "张三" in notes["李四"]
    assert notes["王五"].startswith("旧备注\n")
    assert "李四" in caplog.text and "王五" in caplog.text


def test_two_writers_posting_one_voucher_number_leave_one_entry(db):
    import threading

    from desktop_app.domain import ledger as ledger_rules
    from desktop_app.domain.errors import DomainError
    from desktop_app.services import ledger

    account = next(a for a in ledger.list_accounts(db) if a.name == "服务群众专项经费")
    other = Database.at(db.path) if db.path else Database(db.url)  # a second program on the file or server
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def post(handle):
        inp = ledger.EntryInput(date(2026, 3, 2), account.id, ledger_rules.INCOME, 1000, "其他",
                                handler="王芳", entered_by="李明", voucher_no="2026-0007")
        barrier.wait()
        try:
            outcomes.append(ledger.post_entry(handle, inp).entry.voucher_no)
        except DomainError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=post, args=(h,)) for h in (db, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.dispose()
    assert len(outcomes) == 2 and outcomes.count("2026-0007") == 1
    refused = next(o for o in outcomes if not isinstance(o, str))
    assert "2026-0007" in str(refused)  # 已被使用 / 刚被占用: the second writer is told which number
    with db.engine.connect() as con:  # as stored, past the services (file or server)
        assert con.execute(text("SELECT count(*) FROM ledger_entry WHERE voucher_no = '2026-0007'")).scalar() == 1


def test_a_ledger_memo_with_a_control_character_is_refused(db):
    from desktop_app.domain import ledger as ledger_rules
    from desktop_app.domain.errors import ValidationError
    from desktop_app.services import ledger

    account = next(a for a in ledger.list_accounts(db) if a.name == "服务群众专项经费")
    with pytest.raises(ValidationError, match="摘要"):
        ledger.post_entry(db, ledger.EntryInput(date(2026, 3, 2), account.id, ledger_rules.INCOME, 1000, "其他",
                                                memo="收款\x1b[2J"))


def test_a_preview_reads_the_roster_as_of_one_moment(db, tmp_path, monkeypatch):
    """Another import committing between the preview's reads of organisations and of members is not mixed in."""
    from desktop_app.services import roster
    from desktop_app.services.roster import importing

    src = member_file(tmp_path / "名册.csv", 30)
    check_rows = importing._check_rows
    other_done = []

    def check_then_let_another_import_commit(*args, **kwargs):
        got = check_rows(*args, **kwargs)  # the organisations are read by now, the members not yet
        if not other_done:
            other_done.append(None)  # the other import's own preview passes straight through
            other = Database(db.url)
            try:
                other_done[0] = roster.apply_import(other, roster.preview_import(other, src)).added
            finally:
                other.dispose()
        return got

    monkeypatch.setattr(importing, "_check_rows", check_then_let_another_import_commit)
    preview = roster.preview_import(db, src)
    assert other_done == [30]
    # As of the moment the preview began: no branches and no members, so all 30 are new, none "changed".
    assert (len(preview.to_add), len(preview.to_update), preview.unchanged) == (30, 0, 0)
    assert sorted(preview.new_branches) == sorted(BRANCHES)
    with pytest.raises(Exception, match="名册在预览之后已被修改"):
        roster.apply_import(db, preview)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Member).where(Member.deleted.is_(False))) == 30
