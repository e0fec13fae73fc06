"""Reverting bulk changes from the audit trail: an import's updates, a street merge, one entry or a whole batch.

The trail stays masked; the real old ID numbers and phones come from audit_undo,
which is emptied once a change is reverted. Stale rows and masked-only values
are refused with the reason and nothing is written; every revert is itself audited.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.members import FLOATING, MEMBER_FIELDS, NORMAL
from desktop_app.services import audit_chain, auth, orgs, revert, roster
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, MemberStatusChange
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_undo import AuditUndo
from tests.integration.test_member_import import GOOD_ROWS, HEADER, by_name, write_csv

WANG_ROW = [3, "王五", "第一网格党支部", idcard.make("320104", date(1960, 1, 9), 5, "男"), "男", "正式党员",
            "1990-07-01", "1991-07-01", "13611112222"]


@pytest.fixture
def imported(db, tmp_path):
    """Three members, then an --update-existing import that changes five fields of two of them."""
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    orgs.create(db, "第二网格党支部", "32010200102", "branch", roster.root_org_id(db))
    first = [list(r) for r in GOOD_ROWS] + [WANG_ROW]
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", HEADER, first)))
    was = {n: _fields(d) for n, d in by_name(db).items()}
    second = [list(r) for r in first]
    second[0][1:] = ["张叁", "第二网格党支部", second[0][3], "男", "预备党员", "2006-07-01", "", "13700000000"]
    second[1][8] = "13800000001"
    done = roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "b.csv", HEADER, second)),
                               update_existing=True)
    assert done.updated == 2
    return was


def _fields(d) -> dict:
    """Every member field (all of MemberInput's) as the roster shows it to an administrator."""
    return {f: getattr(d, f) for f in MEMBER_FIELDS if hasattr(d, f)} | {"status": d.status}


def _now(db) -> dict:
    return {d.id_number: _fields(d) for d in by_name(db).values()}


def _entries(db, action: str) -> list[AuditEntry]:
    with db.session() as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.at)).all()


def _batch(db) -> str:
    return _entries(db, "import_update")[0].note.rsplit("导入批次 ", 1)[1].rstrip("）")


def _edit(db, label: str, **values) -> AuditEntry:
    """A form-like edit (ORM) of the member the import entry `label` names; returns its trail entry."""
    member_id = next(e.row_id for e in _entries(db, "import_update") if e.label == label)
    with UnitOfWork(db) as uow:
        m = uow.session.get(Member, member_id)
        for k, v in values.items():
            setattr(m, k, v)
        uow.commit()
    return next(e for e in _entries(db, "update") if e.row_id == member_id)


def _undo_rows(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditUndo))


def test_an_import_update_is_traced_per_member_and_reverted_whole(db, imported):
    entries = _entries(db, "import_update")
    assert len(entries) == 2
    batch = entries[0].note.rsplit("导入批次 ", 1)[1].rstrip("）")
    assert all(batch in e.note for e in entries)
    assert all("13700000000" not in e.before_json + e.after_json for e in entries)  # the trail stays masked
    assert {e.label for e in entries} == {"张三", "李四"}
    assert _undo_rows(db) == 2

    out = revert.revert_batch(db, batch[:8])
    assert out.done and out.count == 2 and out.batch == batch
    now = _now(db)
    assert now == {v["id_number"]: v for v in imported.values()}  # every field of every member back
    zhang = next(d for d in by_name(db).values() if d.name == "张三")
    with db.session() as s:
        assert s.scalar(select(Member.name_pinyin).where(Member.id == zhang.id)) == "zhangsan"

    reverts = _entries(db, "audit_revert")
    assert len(reverts) == 2 and all(batch in e.note for e in reverts)
    zhang_import = next(e for e in entries if e.row_id == zhang.id)
    assert "status" not in json.loads(zhang_import.before_json)
    with db.session() as s:  # no status went back: the history has nothing to say
        assert s.scalars(select(MemberStatusChange.note).where(MemberStatusChange.member_id == zhang.id)).all() == []
    z = next(e for e in reverts if e.row_id == zhang.id)
    assert json.loads(z.after_json)["name"] == "张三" and json.loads(z.before_json)["name"] == "张叁"
    assert "13912345678" not in z.after_json and "13700000000" not in z.before_json  # masked like every entry
    assert _undo_rows(db) == 0  # the old values are kept no longer than needed
    assert audit_chain.verify(db) == []

    with pytest.raises(revert.RevertRefused, match="没有编号为"):
        revert.revert_batch(db, batch)  # nothing left to revert


def test_one_entry_is_reverted_alone_and_not_twice(db, imported):
    li = next(e for e in _entries(db, "import_update") if e.label == "李四")
    check = revert.check_entry(db, li.id)
    assert not check.done and check.items[0].lines() == ["手机号码：138****0001 → 139****5679"]
    assert _now(db)[imported["李四"]["id_number"]]["mobile"] == "13800000001"  # a check writes nothing

    revert.revert_entry(db, li.id)
    assert _now(db)[imported["李四"]["id_number"]] == imported["李四"]
    assert _now(db)[imported["张三"]["id_number"]]["name"] == "张叁"  # the other member keeps the import
    with pytest.raises(revert.RevertRefused, match="已经撤销过"):
        revert.revert_entry(db, li.id)


def test_a_member_changed_since_is_refused_and_nothing_is_written(db, imported):
    edit = _edit(db, "张三", mobile="13511113333")
    before = _now(db)
    with pytest.raises(revert.RevertRefused, match="没有撤销任何更改.*张三.*手机号码.*此后又改过了"):
        revert.revert_batch(db, _batch(db))
    assert _now(db) == before and _entries(db, "audit_revert") == [] and _undo_rows(db) == 2

    # the edit itself masked the phone in the trail: it cannot be put back from there
    with pytest.raises(revert.RevertRefused, match="遮蔽"):
        revert.revert_entry(db, edit.id)


def test_an_edit_without_masked_fields_is_reverted_too(db, imported):
    edit = _edit(db, "张三", notes="调往外地")
    revert.revert_entry(db, edit.id)
    with db.session() as s:
        assert s.get(Member, edit.row_id).notes in ("", None)


def test_only_an_administrator_reverts_and_bad_references_are_named(db, imported):
    with pytest.raises(revert.RevertRefused, match="至少 8 位"):
        revert.revert_entry(db, "abc")
    with pytest.raises(revert.RevertRefused, match="没有编号为"):
        revert.revert_entry(db, "ffffffff-ffff")
    login = _entries(db, "import")[0]
    with pytest.raises(revert.RevertRefused, match="不能撤销"):
        revert.revert_entry(db, login.id)
    auth.create_user(db, "admin1", "管理员", "admin", "Admin-pass-1", must_change_password=False)
    auth.login(db, "admin1", "Admin-pass-1")
    auth.create_user(db, "secretary1", "秘书", "secretary", "Secret-pass-1", must_change_password=False)
    auth.login(db, "secretary1", "Secret-pass-1")
    with pytest.raises(auth.PermissionDenied):
        revert.revert_entry(db, _entries(db, "import_update")[0].id)


# ---------------------------------------------------------------- a street merge


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    from tests.integration.sync_world import build_templates

    return build_templates(tmp_path_factory.mktemp("revert-templates"), members=20, synced=True)


def test_a_street_merge_is_reverted_by_its_package(templates, tmp_path, capsys):
    from desktop_app.cli import main
    from tests.integration.sync_world import World, rows
    from tests.integration.test_sync_trail import edit_and_remove

    w = World.copy_from(templates, tmp_path, prefix="synced-")
    try:
        edited, removed = edit_and_remove(w, "revert-test.dqsync")
        merged = rows(w.street, "member")
        assert merged[edited["id"]]["mobile"] == "13912345678" and merged[removed["id"]]["deleted"]
        with w.street.session() as s:
            [package] = s.scalars(select(AuditUndo.batch).distinct()).all()
        entries = [e for e in _entries(w.street, "sync_update") + _entries(w.street, "sync_delete")]
        assert {e.row_id for e in entries if e.table_name == "member"} == {edited["id"], removed["id"]}
        # the deleted member also left the 应到 of the meetings planned ahead: those rows came up too
        attendance = {e.row_id for e in entries if e.table_name == "attendance"}
        assert len(entries) == 2 + len(attendance) and {e.table_name for e in entries} <= {"member", "attendance"}
        assert all(package in e.note for e in entries)  # the trail names the package
        count = 2 + len(attendance)

        capsys.readouterr()
        assert main(["audit", "--db", str(w.street.path), "revert", "--batch", package, "--dry-run"]) == 0
        assert f"将撤销 {count} 条记录" in capsys.readouterr().out
        assert rows(w.street, "member")[edited["id"]]["mobile"] == "13912345678"  # a dry run writes nothing

        assert main(["audit", "--db", str(w.street.path), "revert", "--batch", package]) == 0
        out = capsys.readouterr().out
        assert f"已撤销 {count} 条记录" in out and "13912345678" not in out
        back = rows(w.street, "member")
        assert back[edited["id"]]["mobile"] == edited["mobile"] and back[edited["id"]]["notes"] == edited["notes"]
        assert not back[removed["id"]]["deleted"]
        assert back[edited["id"]]["version"] > merged[edited["id"]]["version"]  # carried on like any edit
        assert audit_chain.verify(w.street) == []

        assert main(["audit", "--db", str(w.street.path), "revert", "--batch", package]) == 2
        assert "没有编号为" in capsys.readouterr().err

        # the street's revert goes down to the community as a correction of its own rows
        w.down(w.c1)
        home = rows(w.c1, "member")
        assert home[edited["id"]]["mobile"] == edited["mobile"] and not home[removed["id"]]["deleted"]
    finally:
        w.close()


def test_old_values_are_kept_for_a_limited_time_only(db, imported, tmp_path):
    from datetime import timedelta

    from desktop_app.store import audit

    batch = _batch(db)
    with UnitOfWork(db) as uow:
        for u in uow.session.scalars(select(AuditUndo)):
            u.created_at -= timedelta(days=audit.UNDO_DAYS + 1)
        uow.commit()
    rows = [list(WANG_ROW)]
    rows[0][8] = "13622223333"
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "c.csv", HEADER, rows)),
                        update_existing=True)  # the next bulk write clears what is past its time
    with db.session() as s:
        assert s.scalars(select(AuditUndo.batch)).all() != [] and batch not in s.scalars(select(AuditUndo.batch)).all()
    with pytest.raises(revert.RevertRefused, match="保留期"):
        revert.revert_batch(db, batch)
    li = next(e for e in _entries(db, "import_update") if e.label == "李四")
    with pytest.raises(revert.RevertRefused, match="遮蔽"):
        revert.revert_entry(db, li.id)  # its phone is only masked in the trail now


def test_the_command_line_lists_one_import_and_reverts_one_entry(db, imported, capsys):
    from desktop_app.cli import main

    li = next(e for e in _entries(db, "import_update") if e.label == "李四")
    batch = li.note.rsplit("导入批次 ", 1)[1].rstrip("）")
    capsys.readouterr()
    assert main(["audit", "--db", str(db.path), "--batch", batch]) == 0
    out = capsys.readouterr().out
    assert out.count("import_update") == 2 and "李四" in out and "张三" in out and li.id[:8] in out
    assert "13800000001" not in out

    assert main(["audit", "--db", str(db.path), "revert"]) == 2
    assert "二者选一" in capsys.readouterr().err
    assert main(["audit", "--db", str(db.path), "revert", li.id[:8]]) == 0
    out = capsys.readouterr().out
    assert "已撤销党员“李四”的更改" in out and "138****0001 → 139****5679" in out
    assert _now(db)[imported["李四"]["id_number"]] == imported["李四"]


def test_money_is_never_written_back_raw(db):
    from desktop_app.store import audit

    with UnitOfWork(db) as uow:  # an edit of a voucher's amount, as the trail would hold it
        audit.record(uow.session, "update", "ledger_entry", "11111111-2222-3333-4444-555555555555", "",
                     before={"amount_fen": 100}, after={"amount_fen": 100000})
        uow.commit()
    [entry] = [e for e in _entries(db, "update") if e.table_name == "ledger_entry"]
    with pytest.raises(revert.RevertRefused, match="经费和党费"):
        revert.revert_entry(db, entry.id)


def test_a_status_the_import_changed_goes_back_with_a_line_in_the_history(db, tmp_path):
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    header = HEADER + ["是否为流动党员", "外出流向"]
    rows = [list(r) + ["否", ""] for r in GOOD_ROWS]
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", header, rows)))
    rows[1][-2:] = ["是", "上海市浦东新区"]
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "b.csv", header, rows)),
                        update_existing=True)
    li = by_name(db)["李四"]
    assert li.is_floating and li.status == FLOATING

    revert.revert_batch(db, _batch(db))
    back = by_name(db)["李四"]
    assert not back.is_floating and back.status == NORMAL and back.floating_to == ""
    with db.session() as s:
        history = s.execute(select(MemberStatusChange.status, MemberStatusChange.note)
                            .where(MemberStatusChange.member_id == li.id)).all()
    assert (back.status, "撤销导入或数据包带来的更改") in history


def test_another_sites_entry_received_with_a_package_is_reverted_there_not_here(db, imported):
    li = next(e for e in _entries(db, "import_update") if e.label == "李四")
    with UnitOfWork(db) as uow:  # as the street holds a community's trail
        uow.session.get(AuditEntry, li.id).site_id = "another-site"
        uow.commit()
    with pytest.raises(revert.RevertRefused, match="另一个单位"):
        revert.revert_entry(db, li.id)
