"""The 党员花名册 printed with everyone (--all) says who has gone: an expelled member printed with 党籍状态
“正常” and the heading counted the 转出, 去世 and 除名 among the 党员."""

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from desktop_app.domain import members as m
from desktop_app.reports.roster import COLUMNS, roster_row
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def test_a_print_of_everyone_shows_the_leavers_status_and_does_not_count_them_as_members(db, tmp_path):
    ids = members(db, branch(db), ["金雪梅", "张兰", "李明", "王强"])
    ml.record_exit(db, ids[0], ml.ExitInput(m.REMOVED, date(2026, 4, 13), "支部大会", "街党〔2026〕12号"), today=TODAY)
    ml.record_exit(db, ids[1], ml.ExitInput(m.DECEASED, date(2026, 5, 21)), today=TODAY)
    out = tmp_path / "all.pdf"
    printed = roster.print_roster(db, out, include_all=True, today=TODAY)
    assert (printed.member_count, printed.gone_count) == (4, 2)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages)
    assert "党员 2 名（正式党员 2 名，预备党员 0 名）；另列已离开的 2 名（去世 1 名、除名 1 名）" in text
    status_at = [c.title for c in COLUMNS].index("党籍状态")
    cells = {line.name: roster_row(1, line)[status_at] for _, lines in printed.groups for line in lines}
    assert cells == {"金雪梅": "除名", "张兰": "去世", "李明": "正常", "王强": "正常"}

    printed = roster.print_roster(db, tmp_path / "now.pdf", today=TODAY)
    assert (printed.member_count, printed.gone_count) == (2, 0)
