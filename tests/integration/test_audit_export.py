"""导出 of the audit trail to XLSX: all pages of the filter, 说明 sheet, who may, recorded, nothing half-written."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.services import audit_export, audit_log, auth, orgs, roster
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.models_access import AuditEntry

PASSWORD = "xingfuli2026"


@pytest.fixture
def trail(db, monkeypatch):
    """An administrator, a secretary who changed a member's phone, and more entries than one page holds."""
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)  # log-ins here need not take seconds
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.create_user(db, "liming", "李明", "secretary", PASSWORD)
    auth.create_user(db, "zhao", "赵只读", "viewer", PASSWORD)
    auth.set_actor(db, auth.login(db, "admin", PASSWORD))
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    d = roster.create(db, MemberInput(name="张三", org_id=b.id, id_number=idcard.make("320102", date(1980, 5, 6), 1, "男"),
                                      gender="男", mobile="13912345678", joined_date=date(2005, 7, 1),
                                      confirmed_date=date(2006, 7, 1)))
    with UnitOfWork(db) as uow:
        for i in range(audit_log.PAGE_SIZE + 30):  # more than the page shows at once
            audit.record(uow.session, "setting", "access_setting", "", f"设置第 {i} 次", label="安全设置")
        uow.commit()
    auth.set_actor(db, auth.login(db, "liming", PASSWORD))
    roster.update(db, d.id, MemberInput(**{**d.to_input().__dict__, "mobile": "13800001111"}))
    auth.set_actor(db, auth.login(db, "admin", PASSWORD))
    return db


def sheet_rows(path, name="操作记录") -> list[tuple]:
    return [tuple(r) for r in load_workbook(path)[name].iter_rows(values_only=True)]


def notes(path) -> dict:
    return dict(sheet_rows(path, "说明"))


@pytest.fixture
def folder(tmp_path):
    """Where the files go: apart from the database's own files in tmp_path."""
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def exports(db) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "export", AuditEntry.label == "操作记录")))


def test_every_page_of_the_filter_is_exported_with_the_notes_sheet(trail, folder):
    db, out = trail, folder / "操作记录.xlsx"
    flt = AuditFilter(action="setting", date_from=date.today() - timedelta(days=7), date_to=date.today())
    shown = audit_log.search(db, flt)
    assert len(shown.rows) == audit_log.PAGE_SIZE < shown.total  # the page holds less than the filter matches
    done = audit_export.export_xlsx(db, flt, out)
    rows = sheet_rows(out)
    assert rows[0] == ("时间", "操作人", "操作", "对象", "名称", "内容", "修改详情", "操作记录编号", "记录编号")
    assert done.rows == len(rows) - 1 == shown.total == audit_log.PAGE_SIZE + 30
    assert {r[2] for r in rows[1:]} == {"修改设置"} and rows[1][1] == "王管理"
    assert [r[7] for r in rows[1:audit_log.PAGE_SIZE + 1]] == [r.id for r in shown.rows]  # newest first, as shown
    n = notes(out)
    assert n["导出内容"] == f"操作记录，共 {shown.total} 条（按时间从新到旧）"
    assert n["筛选条件"] == f"操作：修改设置；日期：{flt.date_from} 至 {flt.date_to}"
    assert n["导出人"] == "王管理（admin，管理员）"
    assert n["哈希链检查"] == "通过（操作记录完整，没有发现被修改或删除的记录）" and done.chain_ok
    assert n["导出时间"][:10] == date.today().isoformat()


def test_who_changed_the_phone_reads_in_chinese_and_masked(trail, folder):
    db, out = trail, folder / "电话.xlsx"
    liming = next(u for u in auth.list_users(db) if u.login == "liming")
    audit_export.export_xlsx(db, AuditFilter(user_id=liming.id, table="member", action="update", text="张三"), out)
    rows = sheet_rows(out)
    assert len(rows) == 2
    at, who, action, table, label, summary, detail, _id, _row = rows[1]
    assert (who, action, table, label) == ("李明", "修改", "党员", "张三")
    assert at.date() == date.today() and at.microsecond == 0  # to the second, as the page shows it
    assert detail == "手机号码：139****5678 → 138****1111"  # the field's name, masked as on the page
    cells = json.dumps(sheet_rows(out), default=str, ensure_ascii=False)
    assert "13912345678" not in cells and "13800001111" not in cells
    assert notes(out)["筛选条件"] == "操作人：李明；对象：党员；操作：修改；关键词：“张三”"


def test_the_export_is_itself_recorded(trail, folder):
    out = folder / "a.xlsx"
    done = audit_export.export_xlsx(trail, AuditFilter(action="update"), out)
    [entry] = exports(trail)
    assert entry.user_name == "王管理" and str(out) in entry.note and "操作：修改" in entry.note
    assert json.loads(entry.after_json) == {"list": "操作记录", "file": str(out), "rows": done.rows}


def test_a_role_that_may_not_read_the_trail_is_refused(trail, folder):
    db, out = trail, folder / "a.xlsx"
    auth.set_actor(db, auth.login(db, "zhao", PASSWORD))
    assert not audit_export.may_export(db)
    with pytest.raises(auth.PermissionDenied, match="赵只读.*不能导出操作记录.*查看操作记录"):
        audit_export.export_xlsx(db, AuditFilter(), out)
    assert not out.exists()
    auth.set_actor(db, auth.login(db, "admin", PASSWORD))
    assert exports(db) == []


def test_an_empty_result_says_so_and_writes_nothing(trail, folder):
    out = folder / "a.xlsx"
    with pytest.raises(DomainError, match="没有符合筛选条件的操作记录，未导出文件"):
        audit_export.export_xlsx(trail, AuditFilter(text="没有这个人"), out)
    assert list(folder.iterdir()) == [] and exports(trail) == []


def test_a_folder_that_is_gone_is_named_and_not_made_again(trail, folder):
    out = folder / "U盘" / "a.xlsx"
    with pytest.raises(DomainError, match="不存在（U 盘是否已拔出？）"):
        audit_export.export_xlsx(trail, AuditFilter(), out)
    assert not out.parent.exists() and exports(trail) == []


def test_a_file_open_in_wps_is_refused_and_left_as_it_was(trail, folder, monkeypatch):
    from desktop_app.exchange import audit_export as sheet

    out = folder / "a.xlsx"
    out.write_bytes(b"old")
    real_open = open

    def held(path, mode="r", *a, **k):  # Windows: a workbook open in WPS cannot be opened for writing
        if str(path) == str(out) and "+" in mode:
            raise PermissionError(13, "Permission denied")
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr(sheet, "open", held, raising=False)
    with pytest.raises(DomainError, match="a.xlsx 正在 Excel 或 WPS 中打开.*请先关闭该文件"):
        audit_export.export_xlsx(trail, AuditFilter(), out)
    assert out.read_bytes() == b"old" and list(folder.iterdir()) == [out] and exports(trail) == []


def test_cancel_midway_leaves_no_file_no_temporary_file_and_no_entry(trail, folder):
    out = folder / "a.xlsx"
    out.write_bytes(b"old")
    seen = []

    class Stop(Exception):
        pass

    def progress(done, total):
        seen.append((done, total))
        if done >= 200:
            raise Stop()

    with pytest.raises(Stop):
        audit_export.export_xlsx(trail, AuditFilter(), out, progress=progress)
    assert seen[0][0] == 0 and seen[-1][0] == 200
    assert out.read_bytes() == b"old" and list(folder.iterdir()) == [out] and exports(trail) == []


def test_a_broken_chain_is_said_in_the_notes(trail, folder):
    db, out = trail, folder / "a.xlsx"
    with db.engine.begin() as c:  # someone edited an entry behind the program's back
        c.execute(text("UPDATE audit_entry SET note = '改过' WHERE action = 'setting' AND note = '设置第 3 次'"))
    done = audit_export.export_xlsx(db, AuditFilter(), out)
    assert not done.chain_ok and notes(out)["哈希链检查"].startswith("未通过：")


def test_the_command_line_exports_beside_json(tmp_path, monkeypatch, capsys):
    from desktop_app.cli import main

    db, out = tmp_path / "c.db", tmp_path / "out" / "操作记录.xlsx"
    assert main(["init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    monkeypatch.setenv("DANGQUN_NEW_PASSWORD", "Secret-2026")
    assert main(["user", "add", "wangli", "--name", "王丽", "--role", "admin", "--db", str(db)]) == 0
    capsys.readouterr()
    # the folder is gone: said on one line, exit 2, nothing made
    assert main(["audit", "--db", str(db), "--action", "insert", "--xlsx", str(out)]) == 2
    assert "不存在" in capsys.readouterr().err and not out.parent.exists()
    out.parent.mkdir()
    assert main(["audit", "--db", str(db), "--action", "insert", "--limit", "1", "--xlsx", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"→ {out}" in said and "哈希链检查：通过" in said
    rows = sheet_rows(out)
    assert len(rows) > 2 and {r[2] for r in rows[1:]} == {"新增"}  # --limit is the listing's, the file has all
    assert notes(out)["筛选条件"] == "操作：新增" and notes(out)["导出人"] == "命令行"
