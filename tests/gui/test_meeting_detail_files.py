"""The meeting's attachment list shows each file once, however often the selection is re-read."""

from datetime import date

from desktop_app.domain import meetings as r
from desktop_app.gui.meetings.page import MeetingsPage
from desktop_app.services import meetings as ms
from desktop_app.services import orgs


def test_a_detail_read_twice_lists_each_attachment_once(qtbot, app_ctx, wait_ops, tmp_path):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    m = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日", meeting_date=date.today()))
    scan = tmp_path / "签到表.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 scan")
    ms.add_attachment(db, m.id, scan)
    page = MeetingsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    assert page.select(m.id)
    wait_ops()
    # A save re-reads the list, which re-selects the meeting while the first read is still on its way:
    # both reads arrive after the list was cleared, and the scan was shown twice.
    page._selection_changed()
    page._selection_changed()
    wait_ops()
    assert [page.files.item(i).text() for i in range(page.files.count())] == ["签到表.jpg"]
