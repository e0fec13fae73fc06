"""A save that writes a file and records it: the file is put in place only once the record is committed.

导出Excel of a list (its audit entry), the 党员名册 (recorded before it was written, in a unit of work
of its own), a street's acceptance of an enrolment (the reply file) and the
sync keys (the private key file) wrote their file inside the unit of work, before it committed: a commit
that failed left a file with no trail line, and a 更换 key file overwritten for keys the database never
held. Now the file is written beside the target first, the unit of work commits, then it is renamed into
place. The commit is made to fail for real: a trigger on the audit trail inserts a row whose deferred
foreign key SQLite checks only at COMMIT. Real SQLite files with migrations.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desktop_app.domain.errors import DomainError
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import auth, mediation, roster, sync, table_export
from desktop_app.services.database import decrypt, print_key_sheet
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncEnrolment
from tests.integration.test_district_enrolment import (  # noqa: F401 - community, district: fixtures
    ADMIN_PASSWORD, community, district,
)
from tests.integration.test_encryption import KEY, encrypted  # noqa: F401 - encrypted: a fixture
from tests.integration.test_mediation_agreement import _case

pytestmark = pytest.mark.sqlite_only  # the failing commit is an SQLite trigger

TABLE = table_export.ListTable("projects", "微实事", ["编号", "名称"], [["WSS-1", "加装电梯"]])


def refuse_commits(db, note_like: str) -> None:
    """From now on a transaction that records an audit entry whose note is LIKE `note_like` fails at COMMIT."""
    with db.engine.begin() as con:  # the database's own connection: an encrypted file opens with its key
        con.exec_driver_sql(
            "CREATE TABLE commit_refused (site_ref TEXT REFERENCES site(id) DEFERRABLE INITIALLY DEFERRED)")
        con.exec_driver_sql(
            f"CREATE TRIGGER refuse_at_commit AFTER INSERT ON audit_entry WHEN NEW.note LIKE '{note_like}' "
            "BEGIN INSERT INTO commit_refused VALUES ('no such site'); END")


def entries(db, like: str) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry.note).where(AuditEntry.note.like(like))))


def files(folder) -> list[str]:
    """The files of `folder` but the databases (and their journals)."""
    return sorted(p.name for p in folder.iterdir() if ".db" not in p.name)


def not_a_folder(tmp_path):
    """A folder that cannot be written (the tests run as root, where a read-only mode is no bar): a file."""
    blocker = tmp_path / "U盘"
    blocker.write_bytes(b"")
    return blocker / "清单.xlsx"


def test_an_export_whose_entry_cannot_be_committed_leaves_the_file_there_as_it_was(db, tmp_path):
    out = tmp_path / "微实事.xlsx"
    out.write_bytes(b"last week's sheet")
    refuse_commits(db, "导出%")
    with pytest.raises(IntegrityError):
        table_export.export_list(db, TABLE, out)
    assert out.read_bytes() == b"last week's sheet"
    assert files(tmp_path) == ["微实事.xlsx"]  # no temporary file
    assert entries(db, "导出%") == []


def test_an_export_whose_entry_cannot_be_committed_writes_no_new_file(db, tmp_path):
    out = tmp_path / "微实事.xlsx"
    refuse_commits(db, "导出%")
    with pytest.raises(IntegrityError):
        table_export.export_list(db, TABLE, out)
    assert files(tmp_path) == []


def test_an_export_to_a_folder_that_cannot_be_written_leaves_no_trail_line(db, tmp_path):
    with pytest.raises(OSError):
        table_export.export_list(db, TABLE, not_a_folder(tmp_path))
    assert entries(db, "导出%") == []
    out = tmp_path / "微实事.xlsx"
    assert table_export.export_list(db, TABLE, out) == 1  # and a writable one: file and line both
    assert out.exists() and entries(db, "导出%") == [f"导出“微实事”1 条到 {out}"]


def test_a_roster_export_to_a_folder_that_cannot_be_written_leaves_no_trail_line(db, tmp_path):
    """The 党员名册 with whole ID numbers was recorded (committed) before it was written: a failed write left
    an entry saying the roster had been exported."""
    with pytest.raises(DomainError, match="写入失败|无法写入"):
        roster.export_members(db, not_a_folder(tmp_path).with_suffix(".csv"))
    assert entries(db, "导出党员名册%") == []
    out = tmp_path / "名册.csv"
    roster.export_members(db, out)
    assert out.exists() and len(entries(db, "导出党员名册%")) == 1


def test_a_roster_export_whose_entry_cannot_be_committed_leaves_no_file(db, tmp_path):
    out = tmp_path / "名册.xlsx"
    refuse_commits(db, "导出党员名册%")
    with pytest.raises(IntegrityError):
        roster.export_members(db, out)
    assert files(tmp_path) == []


@pytest.mark.parametrize("sheet", ["花名册", "调解协议书"])
def test_a_pdf_with_whole_numbers_to_a_folder_that_cannot_be_written_is_not_logged(db, tmp_path, monkeypatch, sheet):
    """The 花名册 with whole ID numbers and the 调解协议书 with whole phones were logged before being written."""
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    c = _case(db) if sheet == "调解协议书" else None

    def print_to(out):
        if c is None:
            return roster.print_roster(db, out, full_ids=True)
        return mediation.print_mediation_agreement(db, c.id, out, whole_phones=True)

    with pytest.raises(OSError):
        print_to(not_a_folder(tmp_path).with_suffix(".pdf"))
    assert entries(db, f"导出%{sheet}%") == []
    refuse_commits(db, f"导出%{sheet}%")  # and a log that cannot be committed puts no file in place
    with pytest.raises(IntegrityError):
        print_to(tmp_path / "全号.pdf")
    assert files(tmp_path) == ["U盘"]


def _nothing_enrolled(db) -> None:
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncEnrolment)) == 0
    assert entries(db, "%同步登记%") == []


def test_an_acceptance_that_cannot_be_committed_leaves_no_reply_file(district, community, tmp_path):
    db, _a, _b = district
    _c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    refuse_commits(db, "接受%")
    before = files(tmp_path)
    with pytest.raises(IntegrityError):
        sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102100")
    assert files(tmp_path) == before  # no reply, no temporary file
    _nothing_enrolled(db)


def test_an_acceptance_to_a_folder_that_cannot_be_written_enrols_nothing(district, community, tmp_path):
    db, _a, _b = district
    _c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    with pytest.raises(OSError):
        sync.enrol_accept(db, request, not_a_folder(tmp_path).with_suffix(".dqreply"), street="320102100")
    _nothing_enrolled(db)
    e = sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102100")  # and into a writable one
    assert e.status == "active" and (tmp_path / "c.dqreply").exists()


def test_a_new_street_key_that_cannot_be_committed_leaves_the_old_key_file(district, tmp_path):
    """更换 the street's keys: the old key file is overwritten only once the database holds the new public keys,
    else every package would be signed with keys no community was told of."""
    db, _a, _b = district
    key_file = tmp_path / "district.dqkey"
    old = key_file.read_bytes()
    fingerprint = sync.key_info(db).fingerprint
    refuse_commits(db, "更换%")
    with pytest.raises(IntegrityError):
        sync.new_key(db, key_file, replace=True)
    assert key_file.read_bytes() == old and sync.key_info(db).fingerprint == fingerprint
    assert [n for n in files(tmp_path) if n.startswith(".")] == []  # no temporary file


def test_a_key_sheet_whose_printing_cannot_be_recorded_is_not_left_on_the_disk(encrypted, tmp_path, monkeypatch):
    """The 数据库密钥恢复单 carries the key itself: it was written, then its printing recorded."""
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    with pytest.raises(OSError):
        print_key_sheet(encrypted, KEY, not_a_folder(tmp_path).with_suffix(".pdf"))
    assert entries(encrypted, "打印数据库密钥恢复单%") == []
    refuse_commits(encrypted, "打印数据库密钥恢复单%")
    with pytest.raises(IntegrityError):
        print_key_sheet(encrypted, KEY, tmp_path / "密钥恢复单.pdf")
    assert files(tmp_path) == ["U盘"]


def test_a_plain_copy_whose_entry_cannot_be_committed_is_not_left_on_the_disk(encrypted, tmp_path):
    """解密副本: the whole database unencrypted was put in place, then recorded in a unit of work of its own."""
    refuse_commits(encrypted, "写出未加密的副本%")
    (tmp_path / "副本").mkdir()
    with pytest.raises(IntegrityError):
        decrypt(encrypted, KEY, tmp_path / "副本" / "明文副本.db")
    assert list((tmp_path / "副本").iterdir()) == []
    assert entries(encrypted, "写出未加密的副本%") == []
