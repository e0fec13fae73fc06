"""党员动态 shows a member's whole life, not only the registers of this page: the member came in with a
转入 (listed on the roster's tab only), comes to meetings and pays dues. Before, a secretary saw
“没有出党、处分、调动、流动或失联的记录” and nothing of the 转入, the meetings or the dues, and had to open
three other pages to answer “is this member with us”. A viewer who may not read meetings or dues is not
shown them (a 网格员 reads the roster but neither)."""

from datetime import date, time

from desktop_app.domain import meetings as mr
from desktop_app.domain.dues import RETIRED
from desktop_app.gui.memberlife.member import MemberLifeDialog, life_html
from desktop_app.services import auth, dues, meetings as ms, memberlife as ml, roster
from tests.integration.test_roles import PASSWORD, fast_kdf  # noqa: F401 - the accounts' quick key derivation
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def _life(db):
    b = branch(db)
    mid, other = members(db, b, ["赵玉英", "肖鑫"], today=date(2024, 1, 5))
    roster.transfer(db, mid, "转入", date(2024, 11, 18), from_org="东湖街道翠苑社区党委", to_org="第一网格党支部",
                    new_org_id=b, today=TODAY)
    for on in (date(2025, 10, 1), date(2026, 3, 1), date(2026, 11, 20)):  # the first more than a year ago
        meeting = ms.plan(db, ms.MeetingInput(org_id=b, kind=mr.BRANCH_CONGRESS, meeting_date=on, start_time=time(9),
                                              title="支部党员大会"), today=on)
        ms.record_attendance(db, meeting.id, [ms.AttendanceEntry(status=mr.PRESENT, member_id=mid),
                                              ms.AttendanceEntry(status=mr.ABSENT, member_id=other)], today=on)
    dues.set_base(db, mid, date(2026, 1, 1), RETIRED, income_fen=600_000)
    dues.record_payment(db, mid, [date(2026, m, 1) for m in range(1, 12)], date(2026, 11, 25), "赵书记")
    return mid, other


def test_the_member_page_shows_the_transfer_meetings_and_dues(qtbot, app_ctx, wait_ops, shot):
    mid, other = _life(app_ctx.db)
    html = life_html(ml.member_life(app_ctx.db, mid, today=TODAY))
    assert "2024-11-18 转入 东湖街道翠苑社区党委 → 第一网格党支部" in html
    assert "近一年参加组织生活 2 次，最近一次：2026-11-20" in html and "党费交至：2026年11月" in html
    assert "没有出党" not in html  # a 转入 is a record
    alone = life_html(ml.member_life(app_ctx.db, other, today=TODAY))
    assert "近一年参加组织生活 0 次，最近一次：无记录" in alone and "党费交至：无缴纳记录" in alone
    dlg = MemberLifeDialog(None, app_ctx.db, mid, "赵玉英")
    qtbot.addWidget(dlg)
    dlg.show()
    wait_ops()
    assert "组织生活和党费" in dlg.view.toPlainText() and "组织关系转接" in dlg.view.toPlainText()
    shot(dlg, "member_life_whole.png")


def test_an_account_that_may_not_read_meetings_or_dues_is_not_shown_them(app_ctx):
    db = app_ctx.db
    mid, _ = _life(db)
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "grid1", "李网格", "grid", PASSWORD, grid_ids=[roster.get(db, mid).org_id])
    auth.login(db, "grid1", PASSWORD)
    life = ml.member_life(db, mid, today=TODAY)
    assert life.meetings_year is None and not life.dues_read and life.transfers
    assert "组织生活和党费" not in life_html(life)
