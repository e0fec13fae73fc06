"""The window repairs planned meetings' 应到 once, after the file's check has passed (never before it)."""

from datetime import date, time, timedelta

from sqlalchemy import update

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster
from desktop_app.store.base import utcnow
from desktop_app.store.models import Member


def _stale_meeting(db):
    """A meeting planned ahead that still lists a member the old code moved to another branch."""
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id).id
    ids = [roster.create(db, MemberInput(
        name=name, org_id=b1, id_number=idcard.make("320102", date(1960, 1, 1 + i), i, idcard.MALE),
        category="正式党员", joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1))).id
        for i, name in enumerate(("王书记", "李三"))]
    meeting = ms.plan(db, ms.MeetingInput(org_id=b1, kind=r.BRANCH_CONGRESS, meeting_date=date.today() + timedelta(10),
                                          start_time=time(9, 0), place="党群服务中心", host="王书记",
                                          recorder="王书记")).id
    with db.session() as s:  # the old roster edit: the member only
        s.execute(update(Member).where(Member.id == ids[1]).values(org_id=b2, updated_at=utcnow()))
        s.commit()
    return meeting, ids


def test_the_window_repairs_planned_lists_after_the_file_check(qtbot, app_ctx, wait_ops):
    from desktop_app.gui import app as gui_app
    from desktop_app.services import auth
    from tests.integration.test_file_check_gate import _closed

    meeting, (secretary, _moved) = _stale_meeting(app_ctx.db)
    path = _closed(app_ctx.db)
    keeper = gui_app._WindowKeeper(path)
    ctx = gui_app.open_context(path, demo=False)
    auth.set_actor(ctx.db, auth.OPEN)
    keeper.show(ctx, auth.OPEN)
    qtbot.addWidget(keeper.window)
    assert ctx.db.gate is not None and ctx.db.gate.problems is None  # the check waits for the first page
    listed = lambda: [a.member_id for a in ms.get(ctx.db, meeting).attendees]  # noqa: E731
    qtbot.waitUntil(lambda: listed() == [secretary], timeout=20_000)
    assert ctx.db.gate.problems == []  # it ran after the check had passed
    wait_ops()
    keeper.window.skip_exit_backup = True
