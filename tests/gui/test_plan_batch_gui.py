"""按周期批量计划 from the 三会一课落实 page: the dialog previews what is owed, a row left out, N planned."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop_app.domain import meetings as r
from desktop_app.gui.meetings import batch_plan as dialog_mod
from desktop_app.gui.meetings.batch_plan import NEXT_QUARTER, BatchPlanDialog, months_for
from desktop_app.services import meetings as ms
from tests.gui.test_cadence_gui import branch, page  # noqa: F401 - the fixtures


def test_months_of_the_ranges():
    assert months_for(NEXT_QUARTER, date(2026, 12, 7), 2026) == (date(2027, 1, 1), date(2027, 3, 31))
    assert months_for("quarter", date(2026, 5, 7), 2026) == (date(2026, 4, 1), date(2026, 6, 30))
    assert months_for("rest", date(2026, 5, 7), 2026) == (date(2026, 5, 1), date(2026, 12, 31))
    assert months_for("year", date(2026, 5, 7), 2027) == (date(2027, 1, 1), date(2027, 12, 31))


def test_plan_next_quarter_leaving_one_out(qtbot, page, branch, wait_ops, monkeypatch, shot):  # noqa: F811
    told: list[str] = []
    monkeypatch.setattr(dialog_mod, "inform", lambda _p, _t, text: told.append(text))
    assert page.act_batch.text() == "批量计划…" and page.act_batch.toolTip()
    seen = {}

    def run(dlg: BatchPlanDialog) -> int:
        wait_ops()
        assert dlg.org.currentData() == branch  # the page's branch, the only one
        dlg.range.setCurrentIndex(dlg.range.findData(NEXT_QUARTER))
        theme = next(line for line in dlg.lines if line.kind == r.THEME_DAY)
        theme.mode.setCurrentIndex(theme.mode.findData(dialog_mod.BY_WEEKDAY))
        theme.number.setValue(2)
        theme.weekday.setCurrentIndex(2)  # 每月第二个星期三
        dlg.place.setText("党群服务中心二楼会议室")
        qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
        wait_ops()
        rows = [p.row for p in dlg.model.rows]
        assert rows and all(x.day >= page.today and x.day.weekday() < 5 for x in rows)
        themes = [x for x in rows if x.kind == r.THEME_DAY]
        assert [x.day.weekday() for x in themes] == [2, 2, 2] and [x.day.day <= 14 for x in themes] == [True] * 3
        assert themes[0].title == f"{themes[0].day.month}月主题党日"
        assert {x.kind for x in rows} >= {r.BRANCH_CONGRESS, r.PARTY_LECTURE, r.THEME_DAY}
        assert r.COMMITTEE not in {x.kind for x in rows}  # three members: no committee
        assert dlg.ok_button.text() == f"计划 {len(rows)} 次会议"
        dlg.model.setData(dlg.model.index(0, 0), False)  # 不计划 the first row
        assert dlg.ok_button.text() == f"计划 {len(rows) - 1} 次会议"
        dlg.table.setFocus()
        shot(dlg, "plan_batch_dialog.png")
        seen["rows"] = rows
        dlg.accept()
        qtbot.waitUntil(lambda: not dlg.isVisible() or dlg.result() != 0, timeout=20_000)
        wait_ops()
        return dlg.result()

    monkeypatch.setattr(BatchPlanDialog, "exec", run)
    page.table.setCurrentIndex(page.model.index(0, 0))
    with qtbot.waitSignal(page.loaded, timeout=20_000):  # the page reloads on the op's changes
        page.plan_batch()
    wait_ops()
    rows = seen["rows"]
    assert told == [f"已计划 {len(rows) - 1} 次会议"]
    listed = ms.list_meetings(page.ctx.db, ms.MeetingFilter(date_from=page.today))
    assert sorted((m.kind, m.meeting_date) for m in listed if m.status == r.PLANNED) == \
        sorted((x.kind, x.day) for x in rows[1:])


def test_from_the_meetings_page_a_group_plans_its_branch(qtbot, app_ctx, branch, wait_ops, monkeypatch):  # noqa: F811
    from desktop_app.gui.meetings.batch_plan import open_batch_plan
    from desktop_app.services import orgs

    db = app_ctx.db
    group = orgs.create(db, "第一党小组", "G01", "group", branch)
    seen = {}

    def run(dlg: BatchPlanDialog) -> int:
        seen["org"] = dlg.org.currentData()
        seen["kinds"] = [line.kind for line in dlg.lines]
        seen["focus"] = dlg.first_field
        return 0

    monkeypatch.setattr(BatchPlanDialog, "exec", run)
    parent = QWidget()
    qtbot.addWidget(parent)
    open_batch_plan(parent, db, ms.holders(db), group.id, date.today().year, date.today())
    wait_ops()
    assert seen["org"] == branch and r.JOINT not in seen["kinds"] and r.THEME_DAY in seen["kinds"]
    assert seen["focus"] is not None

    # the 三会一课 page's own 批量计划…, for the organisation in its filter
    from desktop_app.gui.meetings.page import MeetingsPage

    seen.clear()
    meetings = MeetingsPage(app_ctx)
    qtbot.addWidget(meetings)
    meetings.show()
    wait_ops()
    meetings.org_filter.setCurrentIndex(meetings.org_filter.findData(group.id))
    wait_ops()
    assert meetings.act_batch.text() == "批量计划…" and meetings.act_batch.isEnabled()
    meetings.act_batch.trigger()
    wait_ops()
    assert seen["org"] == branch
