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


def _themes_this_year(db, org_id, rule):
    this = date.today().year
    for mo in range(1, 13):
        day = rule.in_month(this, mo)
        ms.plan(db, ms.MeetingInput(org_id=org_id, kind=r.THEME_DAY, meeting_date=day, place="社区书房",
                                    title=f"{this}年{mo}月主题党日"), today=day)


def test_like_last_year_fills_each_kind_in_words_and_plans_next_year(qtbot, app_ctx, branch, wait_ops, monkeypatch,
                                                                     shot):  # noqa: F811
    from desktop_app.domain.batch_plan import DayRule
    from desktop_app.services.meetings import plan_batch as service

    db, today = app_ctx.db, date.today()
    this, second_friday = today.year, DayRule(None, 2, 4)
    _themes_this_year(db, branch, second_friday)
    for mo in (2, 5, 8, 11):  # the second month of each quarter, on the 20th (a weekday, or moved to it)
        day = next(date(this, mo, d) for d in (20, 21, 22) if date(this, mo, d).weekday() < 5)
        ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.PARTY_LECTURE, meeting_date=day, lecturer="王建国"),
                today=day)  # no title: saved as 党课, no pattern to follow
    ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=date(this, 7, 1), title="七一"),
            today=date(this, 7, 1))
    told: list[str] = []
    monkeypatch.setattr(dialog_mod, "inform", lambda _p, _t, text: told.append(text))
    dlg = BatchPlanDialog(None, db, [("第一网格党支部", branch)], branch, service.batch_kinds(db, branch), this,
                          today, held=service.kind_holders(db, branch, today))
    qtbot.addWidget(dlg)
    dlg.show()
    wait_ops()
    dlg.range.setCurrentIndex(dlg.range.findData(dialog_mod.NEXT_YEAR))
    assert dlg.like.text() == f"照去年（{this}年）的安排" and not dlg.like.isChecked()
    # by keyboard: Alt+L is the label's, Space ticks
    assert dlg.like.focusPolicy() & Qt.FocusPolicy.TabFocus
    dlg.like.setFocus()
    qtbot.keyClick(dlg.like, Qt.Key.Key_Space)
    assert dlg.like.isChecked()
    wait_ops()
    lines = {line.kind: line for line in dlg.lines}
    theme, lecture = lines[r.THEME_DAY], lines[r.PARTY_LECTURE]
    assert theme.habit.text() == f"照{this}年：每月第二个星期五；{this}年有 1 个月开了不止 1 次，每月只计划 1 次"
    assert theme.day_rule() == second_friday and theme.place.text() == "社区书房"
    assert theme.title.text() == "{年}年{月}月主题党日"
    assert lecture.habit.text() == f"照{this}年：每季度第二个月 20 日" and "授课人：王建国" in lecture.habit.toolTip()
    assert lecture.title.text() == "{季度}{类型}"
    assert lines[r.BRANCH_CONGRESS].habit.text() == f"{this}年未召开，按周期默认"
    assert lines[r.BRANCH_CONGRESS].day_rule() == DayRule(15)
    rows = [p.row for p in dlg.model.rows]
    themes = [x for x in rows if x.kind == r.THEME_DAY]
    assert [x.day for x in themes] == [second_friday.in_month(this + 1, mo) for mo in range(1, 13)]
    assert themes[0].title == f"{this + 1}年1月主题党日" and themes[0].place == "社区书房"
    lectures = [x for x in rows if x.kind == r.PARTY_LECTURE]
    assert [x.day.month for x in lectures] == [2, 5, 8, 11] and {x.lecturer for x in lectures} == {"王建国"}
    shown = dlg.model.index(dlg.model.rows.index(next(p for p in dlg.model.rows if p.row.kind == r.PARTY_LECTURE)), 7)
    assert "授课人：王建国" in dlg.model.data(shown)
    from tests.gui.test_pages_chinese import english

    assert english(dlg) == []
    for w, h in ((1366, 768), (1024, 768)):
        dlg.resize(w, h)
        qtbot.wait(50)
        shot(dlg, f"plan_batch_like_year_{w}.png")

    # Still editable: the third Friday asked for instead, the year's place and title kept
    theme.number.setValue(3)
    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
    wait_ops()
    themes = [p.row for p in dlg.model.rows if p.row.kind == r.THEME_DAY]
    assert [x.day for x in themes] == [DayRule(None, 3, 4).in_month(this + 1, mo) for mo in range(1, 13)]
    assert {x.place for x in themes} == {"社区书房"}
    n = len(dlg.model.rows)
    dlg.accept()
    qtbot.waitUntil(lambda: not dlg.isVisible() or dlg.result() != 0, timeout=20_000)
    wait_ops()
    assert told == [f"已计划 {n} 次会议"]
    planned = ms.list_meetings(db, ms.MeetingFilter(date_from=date(this + 1, 1, 1)))
    assert len(planned) == n
    assert {ms.get(db, m.id).lecturer for m in planned if m.kind == r.PARTY_LECTURE} == {"王建国"}

    # Unticked: back to the defaults
    dlg2 = BatchPlanDialog(None, db, [("第一网格党支部", branch)], branch, service.batch_kinds(db, branch), this, today)
    qtbot.addWidget(dlg2)
    wait_ops()
    dlg2.like.setChecked(True)
    wait_ops()
    dlg2.like.setChecked(False)
    wait_ops()
    line = next(x for x in dlg2.lines if x.kind == r.THEME_DAY)
    assert (line.day_rule(), line.place.text(), line.habit.text()) == (DayRule(15), "", "")


def test_like_last_year_over_a_community_each_branch_its_own(qtbot, app_ctx, branch, wait_ops):  # noqa: F811
    from desktop_app.domain.batch_plan import DayRule
    from desktop_app.services import orgs
    from desktop_app.services.meetings import plan_batch as service

    db, today = app_ctx.db, date.today()
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    other = orgs.create(db, "第二网格党支部", "B02", "branch", community.id).id
    _themes_this_year(db, branch, DayRule(None, 2, 4))
    _themes_this_year(db, other, DayRule(None, -1, 1))
    choices = [("社区（全部党支部）", community.id), ("第一网格党支部", branch), ("第二网格党支部", other)]
    dlg = BatchPlanDialog(None, db, choices, community.id, service.batch_kinds(db, community.id), today.year,
                          today, held=service.kind_holders(db, community.id, today))
    qtbot.addWidget(dlg)
    wait_ops()
    dlg.range.setCurrentIndex(dlg.range.findData(dialog_mod.NEXT_YEAR))
    dlg.like.setChecked(True)
    wait_ops()
    theme = next(line for line in dlg.lines if line.kind == r.THEME_DAY)
    assert theme.habit.text() == f"各党组织按其{today.year}年的安排（2 个）"
    assert "第二网格党支部：照" in theme.habit.toolTip() and "每月最后一个星期二" in theme.habit.toolTip()
    themes = [p.row for p in dlg.model.rows if p.row.kind == r.THEME_DAY]
    assert {x.day.weekday() for x in themes if x.org_id == branch} == {4}
    assert {x.day.weekday() for x in themes if x.org_id == other} == {1}
    assert len(themes) == 24
    # one branch chosen: its own rule shown and filled
    dlg.org.setCurrentIndex(dlg.org.findData(other))
    wait_ops()
    assert theme.habit.text() == f"照{today.year}年：每月最后一个星期二" and theme.day_rule() == DayRule(None, -1, 1)
    assert {p.row.org_id for p in dlg.model.rows} == {other}
