"""Attendance from CSV: encodings, names and ID numbers, row-level errors, all-or-nothing."""

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, revert, roster
from desktop_app.services.meetings import attendance_import as imp
from desktop_app.services.revert_added import RevertRefused
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.store.models_undo import AuditUndo
from desktop_app.views.meetings import AttendanceEntry

TODAY = date(2025, 5, 20)


@pytest.fixture
def setup(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    people = {}
    for i, (name, branch) in enumerate([("王芳", b1), ("李强", b1), ("张伟", b1), ("张伟", b2), ("刘洋", b2)]):
        born = date(1950 + i, 3, 1 + i)
        number = idcard.make("320102", born, i, idcard.MALE)
        d = roster.create(db, MemberInput(name=name, org_id=branch.id, id_number=number,
                                          joined_date=date(1980, 7, 1), confirmed_date=date(1981, 7, 1)),
                          today=TODAY)
        people[(name, branch.name)] = (d.id, number)
    m1 = ms.plan(db, ms.MeetingInput(org_id=b1.id, kind=r.THEME_DAY, meeting_date=date(2025, 5, 8)), today=TODAY)
    m2 = ms.plan(db, ms.MeetingInput(org_id=b2.id, kind=r.PARTY_LECTURE, meeting_date=date(2025, 5, 9)),
                 today=TODAY)
    return db, m1, m2, people


def write(tmp_path, text, encoding="utf-8-sig", name="出勤.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def statuses(db, meeting_id):
    return {(a.name, a.org_name): (a.status, a.reason) for a in ms.get(db, meeting_id).attendees}


def test_a_gbk_file_from_excel_with_names_and_short_numbers(setup, tmp_path):
    db, m1, m2, people = setup
    short1 = m1.number.split("-", 1)[1]  # 2025-0001: without the site code
    text = (
        "会议编号,姓名,身份证号,出勤情况,请假原因,单位\r\n"
        f"{short1},王芳,,出席,,\r\n"
        f"{short1},李强,,请假,外出就医,\r\n"
        f"{short1},张伟,,缺席,,\r\n"  # two 张伟, but only one on this meeting's list
        f"{short1},周书记,,列席,,梅园街道党工委\r\n"
        f"{m2.number},,{people[('张伟', '第二网格党支部')][1]},出席,,\r\n"
        ",,,,,\r\n"  # blank lines are left alone
    )
    path = write(tmp_path, text, "gb18030")
    check = imp.preview(db, path, today=TODAY)
    assert check.errors == [] and check.valid_rows == 5 and check.rows == 5
    assert "2 次会议" in check.summary()
    assert ms.get(db, m1.id).status == r.PLANNED  # checking writes nothing

    res = imp.import_file(db, path, today=TODAY)
    assert (res.meetings, res.rows, res.skipped_invalid) == (2, 5, 0)
    s1 = statuses(db, m1.id)
    assert s1[("王芳", "第一网格党支部")] == (r.PRESENT, "")
    assert s1[("李强", "第一网格党支部")] == (r.LEAVE, "外出就医")
    assert s1[("张伟", "第一网格党支部")] == (r.ABSENT, "")
    guest = next(a for a in ms.get(db, m1.id).attendees if a.is_guest)
    assert (guest.name, guest.guest_unit, guest.status) == ("周书记", "梅园街道党工委", r.GUEST)
    d1 = ms.get(db, m1.id)
    assert d1.status == r.HELD and (d1.expected, d1.present) == (3, 1)
    assert statuses(db, m2.id)[("张伟", "第二网格党支部")] == (r.PRESENT, "")


def test_every_bad_row_is_named_and_nothing_is_written(setup, tmp_path):
    db, m1, m2, people = setup
    text = (
        "会议记录导入\n"  # a title line above the header
        "会议编号,姓名,公民身份号码,状态,原因\n"
        f"{m1.number},王芳,,出席,\n"            # row 3: fine
        f"2025-0099,李强,,出席,\n"              # row 4: no such meeting
        f"{m1.number},赵六,,出席,\n"            # row 5: not on the roster and not 列席
        f"{m1.number},李强,,迟到,\n"            # row 6: bad status
        f"{m1.number},,110101199003070000,出席,\n"  # row 7: bad check digit
        f"{m1.number},王芳,,请假,\n"            # row 8: duplicate of row 3
        f"{m1.number},李强,{people[('王芳', '第一网格党支部')][1]},出席,\n"  # row 9: name and number disagree
        f"{m1.number},,,出席,\n"                # row 10: nobody named
    )
    path = write(tmp_path, text)
    with pytest.raises(imp.AttendanceImportError) as e:
        imp.import_file(db, path, today=TODAY)
    found = {(x.row_number, x.field) for x in e.value.errors}
    assert found == {(4, "会议编号"), (5, "姓名"), (6, "出勤情况"), (7, "公民身份号码"), (8, "姓名"),
                     (9, "姓名"), (10, "姓名")}
    msg = str(e.value)
    assert "出勤.csv" in msg and "第 4 行，会议编号“2025-0099”" in msg and "未导入任何记录" in msg
    d = ms.get(db, m1.id)
    assert d.status == r.PLANNED and d.present == 0  # nothing written

    # told to skip them: the good row goes in, the bad ones are listed
    res = imp.import_file(db, path, skip_invalid=True, today=TODAY)
    assert (res.rows, res.skipped_invalid) == (1, 7)
    assert statuses(db, m1.id)[("王芳", "第一网格党支部")] == (r.PRESENT, "")


def test_an_ambiguous_name_asks_for_the_id_number(setup, tmp_path):
    db, m1, m2, people = setup
    lecture = ms.plan(db, ms.MeetingInput(org_id=m1.org_id, kind=r.PARTY_LECTURE, meeting_date=date(2025, 5, 1)),
                      attendee_ids=[people[("王芳", "第一网格党支部")][0]], today=TODAY)
    other = ms.plan(db, ms.MeetingInput(org_id=m1.org_id, kind=r.JOINT, meeting_date=date(2025, 5, 2)),
                    attendee_ids=[], today=TODAY)
    path = write(tmp_path, f"会议编号,姓名,出勤情况\n{lecture.number},张伟,出席\n{other.number},刘洋,列席\n")
    check = imp.preview(db, path, today=TODAY)
    assert check.errors == []  # 张伟 of the meeting's own branch; 刘洋 is unique on the roster
    ms.delete(db, lecture.id)
    # a meeting of the community level: both 张伟 are candidates
    joint = ms.plan(db, ms.MeetingInput(org_id=next(n.id for n in orgs.list_tree(db) if n.kind == "community"),
                                        kind=r.JOINT, meeting_date=date(2025, 5, 3)), today=TODAY)
    path = write(tmp_path, f"会议编号,姓名,出勤情况\n{joint.number},张伟,列席\n")
    with pytest.raises(imp.AttendanceImportError) as e:
        imp.import_file(db, path, today=TODAY)
    assert e.value.errors[0].field == "姓名" and "同名" in e.value.errors[0].reason


def test_cancelled_and_future_meetings_are_refused(setup, tmp_path):
    db, m1, m2, people = setup
    future = ms.plan(db, ms.MeetingInput(org_id=m1.org_id, kind=r.THEME_DAY, meeting_date=date(2025, 6, 8)),
                     today=TODAY)
    ms.cancel(db, m2.id, "改期")
    path = write(tmp_path, f"会议编号,姓名,出勤情况\n{future.number},王芳,出席\n{m2.number},刘洋,出席\n")
    with pytest.raises(imp.AttendanceImportError) as e:
        imp.import_file(db, path, today=TODAY)
    reasons = [x.reason for x in e.value.errors]
    assert "还没到" in reasons[0] and "已取消" in reasons[1]


def test_unreadable_files_say_why(setup, tmp_path):
    db = setup[0]
    with pytest.raises(DomainError, match="找不到表头"):
        imp.import_file(db, write(tmp_path, "姓名,电话\n王芳,1\n"), today=TODAY)
    # text under .xlsx is read as the CSV other systems save so (and told what it lacks); anything else says what it is
    with pytest.raises(DomainError, match="a.xlsx：找不到表头"):
        imp.import_file(db, write(tmp_path, "x", name="a.xlsx"), today=TODAY)
    junk = tmp_path / "b.xlsx"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(DomainError, match="b.xlsx：不是 Excel 表格文件"):
        imp.import_file(db, junk, today=TODAY)
    with pytest.raises(DomainError, match="不存在"):
        imp.import_file(db, tmp_path / "missing.csv", today=TODAY)
    with pytest.raises(DomainError, match="空"):
        imp.import_file(db, write(tmp_path, "\n\n"), today=TODAY)


def test_the_template_round_trips(setup, tmp_path):
    db, m1, m2, people = setup
    path = imp.write_template(db, tmp_path / "模板.csv", m1.id)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    text = path.read_bytes().decode("utf-8-sig")
    assert text.count("\r\n") == 4  # header and three members, CRLF as Windows expects
    path.write_bytes(text.replace(",,,,\r\n", ",,出席,,\r\n").encode("utf-8-sig"))
    res = imp.import_file(db, path, today=TODAY)
    assert res.rows == 3 and ms.get(db, m1.id).present == 3
    dry = imp.import_file(db, path, dry_run=True, today=TODAY)
    assert dry.dry_run and dry.rows == 3


def test_the_file_alone_is_parsed_without_the_database(tmp_path):
    from desktop_app.exchange import attendance as files

    path = write(tmp_path, "会议编号,姓名,公民身份号码,出勤情况,请假原因\n"
                           "2025-0001,王 芳,,请假,外出\n"
                           ",,110101199003070000,迟到,\n")
    parsed = files.parse(path)
    assert [(x.row_number, x.number, x.name, x.status, x.reason) for x in parsed.lines] == [
        (2, "2025-0001", "王芳", r.LEAVE, "外出"), (3, "", "", "", "")]
    assert {(e.row_number, e.field) for e in parsed.errors} == {(3, "会议编号"), (3, "出勤情况"), (3, "公民身份号码")}


def test_apply_writes_the_preview_and_rechecks_it_in_the_write(setup, tmp_path):
    db, m1, m2, people = setup
    path = write(tmp_path, f"会议编号,姓名,出勤情况\n{m1.number},王芳,出席\n{m2.number},刘洋,出席\n")
    check = imp.preview(db, path, today=TODAY)
    assert check.errors == [] and check.valid_rows == 2
    path.unlink()  # applying does not read the file again
    ms.cancel(db, m2.id, "改期")  # the database changed after the preview
    with pytest.raises(DomainError, match="已取消"):
        imp.apply(db, check, today=TODAY)
    assert ms.get(db, m1.id).status == r.PLANNED  # one transaction: nothing written
    ms.reopen(db, m2.id)
    res = imp.apply(db, check, today=TODAY)
    assert (res.meetings, res.rows) == (2, 2) and ms.get(db, m2.id).status == r.HELD


# ---------------------------------------------------------------- taken back from 操作记录


def kept_state(db) -> dict:
    """Every attendance row (deleted ones too) and every meeting's status: what "as before" is measured by."""
    with db.session() as s:
        rows = {a.id: (a.meeting_id, a.member_id, a.guest_name, a.status, a.reason, a.is_guest, a.deleted)
                for a in s.scalars(select(Attendance))}
        meetings = {m.id: m.status for m in s.scalars(select(Meeting))}
    return {"attendance": rows, "meetings": meetings}


def import_batch(db) -> str:
    with db.session() as s:
        return s.scalar(select(AuditUndo.batch).where(AuditUndo.table_name == "attendance").limit(1))


@pytest.fixture
def imported(setup, tmp_path):
    db, m1, m2, people = setup
    liu = people[("刘洋", "第二网格党支部")][0]
    ms.record_attendance(db, m2.id, [AttendanceEntry(status=r.LEAVE, reason="出差", member_id=liu)],
                         mark_held=False, today=TODAY)
    before = kept_state(db)
    path = write(tmp_path, f"会议编号,姓名,出勤情况\n{m1.number},王芳,出席\n{m1.number},李强,缺席\n"
                           f"{m1.number},周书记,列席\n{m2.number},刘洋,出席\n")
    assert imp.import_file(db, path, today=TODAY).rows == 4
    return before


def test_an_attendance_import_is_taken_back_to_what_each_row_was(setup, imported):
    db, m1, m2, _ = setup
    assert kept_state(db) != imported
    out = revert.revert_batch(db, import_batch(db), dry_run=True)
    assert not out.done and out.count == 6  # 3 statuses, 刘洋's reason too, the guest, two meetings held
    assert any(i.label == f"{m2.number} 刘洋" and i.lines() == ["原因：（空） → 出差", "状态：出席 → 请假"] for i in out.items)
    assert any(i.label == f"{m1.number} 周书记" and "已删除：否 → 是" in i.lines() for i in out.items)
    assert kept_state(db) != imported  # a check writes nothing
    revert.revert_batch(db, out.batch)
    now = kept_state(db)
    guest = [k for k in now["attendance"] if k not in imported["attendance"]]
    assert [now["attendance"][k][-1] for k in guest] == [True]  # the guest it added is gone
    assert {k: v for k, v in now["attendance"].items() if k not in guest} == imported["attendance"]
    assert now["meetings"] == imported["meetings"] and ms.get(db, m1.id).status == r.PLANNED


def test_an_attendance_changed_since_is_named_and_nothing_changes(setup, imported):
    db, m1, _, people = setup
    wang = people[("王芳", "第一网格党支部")][0]
    ms.record_attendance(db, m1.id, [AttendanceEntry(status=r.LEAVE, reason="生病", member_id=wang)], today=TODAY)
    changed = kept_state(db)
    with pytest.raises(RevertRefused, match=f"“{m1.number} 王芳”的“.*”此后又改过了"):
        revert.revert_batch(db, import_batch(db))
    assert kept_state(db) == changed


def test_the_command_line_checks_an_attendance_import_before_taking_it_back(setup, imported, capsys):
    db = setup[0]
    path, batch = (str(db.path) if db.path else db.url), import_batch(db)  # a file, or the test's server
    db.dispose()
    assert main(["audit", "revert", "--batch", batch, "--dry-run", "--db", path]) == 0
    assert "只检查，未写入" in capsys.readouterr().out
    assert main(["audit", "revert", "--batch", batch, "--db", path]) == 0
    assert main(["audit", "revert", "--batch", batch, "--db", path]) != 0
