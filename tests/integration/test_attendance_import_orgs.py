"""Attendance from CSV naming the member's organisation: by code or path, an ambiguous name refused
with the candidates, a member of the same name picked by their branch."""

from datetime import date

import pytest

from desktop_app.domain import meetings as r
from desktop_app.services import meetings as ms
from desktop_app.services import orgs
from desktop_app.services.meetings import attendance_import as imp
from tests.integration.test_attendance_import import TODAY, setup, write  # noqa: F401 - the fixture


def test_a_branch_by_name_path_or_code_picks_the_member_and_a_shared_group_name_is_refused(setup, tmp_path):
    db, m1, m2, people = setup
    b1, b2 = m1.org_id, m2.org_id
    orgs.create(db, "第一党小组", "B01G1", "group", b1)
    orgs.create(db, "第一党小组", "B02G1", "group", b2)
    community = next(n.id for n in orgs.list_tree(db) if n.kind == "community")
    joint = ms.plan(db, ms.MeetingInput(org_id=community, kind=r.JOINT, meeting_date=date(2025, 5, 3)), today=TODAY)
    path = write(tmp_path, f"会议编号,姓名,所在党支部,出勤情况\n{joint.number},张伟,B02,列席\n")
    check = imp.preview(db, path, today=TODAY)
    assert check.errors == []
    [batch] = check.batches
    assert batch.entries[0].member_id == people[("张伟", "第二网格党支部")][0]
    path = write(tmp_path, f"会议编号,姓名,所在党支部,出勤情况\n{joint.number},张伟,第一网格党支部,列席\n"
                           f"{joint.number},王芳,第一网格党支部 / 第一党小组,列席\n{joint.number},李强,第一党小组,列席\n"
                           f"{joint.number},刘洋,第一网格党支部,列席\n")
    check = imp.preview(db, path, today=TODAY)
    by_row = {e.row_number: e for e in check.errors}
    assert set(by_row) == {3, 4, 5}  # row 2: 张伟 of the first branch, by its unique name
    # 第一党小组 is in both branches: refused naming both paths and codes.
    assert by_row[4].field == "所在党组织" and "B01G1" in by_row[4].reason and "B02G1" in by_row[4].reason
    assert by_row[5].field == "姓名" and "没有此人" in by_row[5].reason
    # 王芳 sits in the branch itself, not in its group: the path finds the group, which does not hold her.
    assert by_row[3].field == "姓名" and "没有此人" in by_row[3].reason
    assert check.valid_rows == 1


def test_an_id_number_in_another_organisation_is_refused(setup, tmp_path):
    db, m1, _, people = setup
    number = people[("刘洋", "第二网格党支部")][1]
    path = write(tmp_path, f"会议编号,公民身份号码,所在党支部,出勤情况\n{m1.number},{number},B01,出席\n")
    with pytest.raises(imp.AttendanceImportError) as e:
        imp.import_file(db, path, today=TODAY)
    assert e.value.errors[0].field == "所在党组织" and "不在这个党组织" in e.value.errors[0].reason
