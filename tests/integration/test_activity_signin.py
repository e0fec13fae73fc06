"""签到表 of a 共建活动 on a real SQLite file: the activity's lines and participants, in the meeting sheet's look
without its scan code; the service checks the permission; `dangqun report activity-signin` prints it by name."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth, orgs
from desktop_app.services import cobuilding as cb
from desktop_app.services.auth import PermissionDenied
from tests.party_people import branch, members
from tests.pdf_text import shipped_font  # noqa: F401 - the fixture is used by name

TODAY = date(2026, 6, 28)
pytestmark = pytest.mark.usefixtures("shipped_font")


@pytest.fixture
def clinic(db):
    g1 = branch(db)
    [zhang] = members(db, g1, ["张建国"], today=TODAY)
    unit = cb.save_unit(db, None, cb.UnitInput(name="区人民医院", kind="医院"), TODAY).id
    chen = cb.register_reporting(db, cb.ReportingInput(name="陈医生", employer="区人民医院", unit_id=unit,
                                                       reported_on=date(2026, 3, 1)), TODAY).id
    a = cb.record_activity(db, cb.ActivityInput(
        date(2026, 6, 20), "医疗进社区", "夏季义诊", place="社区广场", org_ids=[g1], unit_ids=[unit],
        people=[cb.PersonInput("志愿者", "小王"), cb.PersonInput("报到党员", "陈医生", reporting_member_id=chen),
                cb.PersonInput("党员", "张建国", member_id=zhang)]), TODAY)
    return a.id


def _text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)


def test_the_sheet_lists_the_activity_and_its_participants(db, clinic, tmp_path):
    sheet = cb.activity_signin_sheet(db, clinic)
    assert (sheet.title, sheet.kind, sheet.place, sheet.activity_date) == ("夏季义诊", "医疗进社区", "社区广场",
                                                                         date(2026, 6, 20))
    assert "第一网格党支部" in sheet.organisers and "区人民医院" in sheet.organisers
    # 党员, 报到党员, 志愿者 in the form's order, each with where they come from
    assert [(x.name, x.kind, x.unit) for x in sheet.lines] == [
        ("张建国", "党员", "第一网格党支部"), ("陈医生", "报到党员", "区人民医院"), ("小王", "志愿者", "")]
    out = tmp_path / "签到表.pdf"
    data = cb.print_activity_signin_sheet(db, clinic, out, printed_on=TODAY)
    assert out.read_bytes() == data
    text = _text(data)
    for said in ("共建活动签到表", "活动名称：夏季义诊（医疗进社区）", "2026年6月20日", "活动地点：社区广场", "应到：3 人",
                 "组织方：第一网格党支部、区人民医院",  # a line of their own: six organisers are not unusual
                 "张建国", "陈医生", "小王", "服务时长（小时）", "签到", "实到", "记录人（签字）"):
        assert said in text, said
    assert "编号" not in text and "会议" not in text  # no scan code: nobody imports these sheets back


def test_an_activity_with_nobody_listed_prints_blank_rows(db, tmp_path):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    a = cb.record_activity(db, cb.ActivityInput(date(2026, 6, 1), "文艺演出", "七一文艺汇演", org_ids=[community.id]),
                           TODAY)
    text = _text(cb.print_activity_signin_sheet(db, a.id))
    assert "应到：0 人" in text and "活动地点：—" in text


def test_printing_needs_the_cobuilding_read_permission(db, clinic):
    grid = next(n.id for n in orgs.list_tree(db) if n.name == "第一网格党支部")
    auth.create_user(db, "grid", "网格员", "grid", "pw-123456-Ab", grid_ids=[grid])
    auth.login(db, "grid", "pw-123456-Ab")
    with pytest.raises(PermissionDenied):
        cb.print_activity_signin_sheet(db, clinic)
    with pytest.raises(PermissionDenied):
        cb.find_activity(db, "夏季义诊")


def test_found_by_name_or_date_and_name_else_refused_with_the_candidates(db, clinic):
    assert cb.find_activity(db, "义诊") == clinic
    assert cb.find_activity(db, "2026-06-20 义诊") == clinic
    assert cb.find_activity(db, clinic) == clinic
    unit = cb.list_units(db)[0].id
    cb.record_activity(db, cb.ActivityInput(date(2026, 5, 5), "医疗进社区", "春季义诊", unit_ids=[unit]), TODAY)
    with pytest.raises(ValidationError) as e:
        cb.find_activity(db, "义诊")
    assert "2 次活动" in e.value.message and "2026-05-05 春季义诊" in e.value.message
    with pytest.raises(ValidationError) as e:
        cb.find_activity(db, "2026-06-21 义诊")
    assert "找不到活动" in e.value.message


def test_the_cli_prints_it_by_name(db, clinic, tmp_path, capsys):
    path = str(db.path or db.url)
    db.dispose()
    out = tmp_path / "a.pdf"
    assert main(["report", "activity-signin", "--db", path, "--activity", "2026-06-20 夏季义诊", "--out", str(out)]) == 0
    assert "夏季义诊 签到表，列出 3 人" in capsys.readouterr().out
    assert "陈医生" in _text(out.read_bytes())
    assert main(["report", "activity-signin", "--db", path, "--out", str(out)]) != 0
    assert "--activity" in capsys.readouterr().err
