"""三会一课's list keeps the 会议主题 readable on a small or scaled screen (1920×1080 at 150% leaves 1280
pixels): the columns sized to their contents squeezed the topic to 50 pixels ("讨论…"); now the table
scrolls sideways instead, and the topic stretches again when there is room."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import meetings as r
from desktop_app.gui.meetings.page import TOPIC, MeetingsPage
from desktop_app.services import meetings as ms
from tests.gui.test_meetings_gui import community  # noqa: F401 - a branch, a group and six members

LONG = "学习12月理论学习资料"


def test_the_topic_keeps_room_for_a_usual_topic_when_the_page_is_narrow(qtbot, app_ctx, community, wait_ops):  # noqa: F811
    _branch, group, _ids = community
    ms.plan(app_ctx.db, ms.MeetingInput(org_id=group, kind=r.GROUP_MEETING, meeting_date=date(2026, 3, 5),
                                        title=LONG))
    page = MeetingsPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(800, 600)  # the page as the window at 150% lays it out
    page.show()
    wait_ops()
    page.grab()  # the header lays its sections out when painted
    header = page.view.horizontalHeader()
    wide = page.view.fontMetrics().horizontalAdvance(LONG)
    assert header.sectionSize(TOPIC) >= wide
    page.resize(2000, 700)  # room enough: the topic stretches into it
    wait_ops()
    page.grab()
    qtbot.waitUntil(lambda: header.sectionSize(TOPIC) > wide + 100)
