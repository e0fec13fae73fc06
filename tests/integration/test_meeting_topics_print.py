"""议题 with their votes on the 会议记录 PDF and from `dangqun meetings topics`, on a real SQLite file."""

import json
from datetime import date, time
from io import BytesIO

from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.domain import meetings as mr
from desktop_app.services import meetings as ms
from desktop_app.services import memberlife as ml
from tests.integration.test_memberlife_service import THEN, world  # noqa: F401  (fixture)


def _meeting(db, world):
    a, _b, ids = world
    meeting = ms.plan(db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=THEN, start_time=time(9),
                                          title="支部党员大会"), today=THEN)
    ms.record_attendance(db, meeting.id, [ms.AttendanceEntry(status=mr.PRESENT, member_id=mid)
                                          for mid in ids.values()], today=THEN)
    ml.add_topic(db, meeting.id, "讨论接收张某为预备党员", "同意接收", 4, 1, 0)
    ml.add_topic(db, meeting.id, "增补支部委员", "", 2, 2, 1)
    ml.add_topic(db, meeting.id, "学习党章第九条")
    return meeting


def test_the_record_pdf_lists_each_topic_with_its_vote(db, world, tmp_path):
    meeting = _meeting(db, world)
    out = tmp_path / "record.pdf"
    data = ms.print_meeting_record(db, meeting.number, out, printed_on=date(2024, 6, 20))
    assert out.read_bytes() == data
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).replace(" ", "")
    assert "议题与表决" in text
    for part in ("讨论接收张某为预备党员", "同意接收", "赞成4，反对1，弃权0", "通过", "增补支部委员", "未通过",
                 "学习党章第九条", "未表决"):
        assert part in text, part


def test_a_meeting_without_topics_prints_no_topics_section(db, world):
    a, _b, _ids = world
    meeting = ms.plan(db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=THEN, start_time=time(9),
                                          title="无议题"), today=THEN)
    data = ms.print_meeting_record(db, meeting.number)
    assert "议题与表决" not in "".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)


def test_the_command_line_lists_the_topics(db, world, tmp_path, capsys):
    meeting = _meeting(db, world)
    path = str(db.path) if db.path else db.url  # the file, or the server database under a PostgreSQL run
    assert main(["meetings", "topics", meeting.number, "--db", path]) == 0
    out = capsys.readouterr().out
    assert "1. 讨论接收张某为预备党员  赞成 4 / 反对 1 / 弃权 0  通过" in out
    assert "2. 增补支部委员  赞成 2 / 反对 2 / 弃权 1  未通过" in out and "3. 学习党章第九条  未表决" in out
    assert main(["meetings", "--db", path, "topics", meeting.number, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["passed"]) for r in rows] == [
        ("讨论接收张某为预备党员", True), ("增补支部委员", False), ("学习党章第九条", None)]
    assert main(["meetings", "topics", "2099-9999", "--db", path]) == 2
    assert main(["meetings", "--db", path, "--year", "2024"]) == 0  # the year list still works
    assert meeting.number in capsys.readouterr().out
