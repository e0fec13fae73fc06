"""批量计划 ticks only the kinds the chosen branches hold, says why one is off, and offers 最后一个星期X."""

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop_app.domain import batch_plan as batch
from desktop_app.domain import meetings as r
from desktop_app.gui.meetings import batch_plan as dialog_mod
from desktop_app.gui.meetings.batch_plan import REST_OF_YEAR, BatchPlanDialog
from desktop_app.services import orgs
from tests.gui.test_cadence_gui import branch, page  # noqa: F401 - the fixtures


def _line(dlg: BatchPlanDialog, kind: str) -> dialog_mod._KindLine:
    return next(line for line in dlg.lines if line.kind == kind)


def test_kinds_by_the_chosen_branches(qtbot, page, branch, wait_ops, monkeypatch, shot):  # noqa: F811
    db = page.ctx.db
    community = orgs.get(db, branch).parent_id
    other = orgs.create(db, "第二网格党支部", "B02", "branch", community)
    orgs.create(db, "第一党小组", "G21", "group", other.id)
    page.refresh()
    wait_ops()
    seen = {}

    def run(dlg: BatchPlanDialog) -> int:
        wait_ops()
        committee, groups, theme = (_line(dlg, k) for k in (r.COMMITTEE, r.GROUP_MEETING, r.THEME_DAY))
        dlg.org.setCurrentIndex(dlg.org.findData(branch))
        assert dlg.model.rowCount() == 0 and not dlg.ok_button.isEnabled()  # the community's rows are gone
        qtbot.waitUntil(lambda: committee.held.text() == "本支部未设支委会", timeout=20_000)
        wait_ops()
        assert {p.row.org_name for p in dlg.model.rows} == {"第一网格党支部"}
        # three members, no groups: neither kind is ticked nor can be, and the line says why
        assert not committee.tick.isEnabled() and not committee.tick.isChecked()
        assert committee.held.text() == "本支部未设支委会" and not committee.title.isEnabled()
        assert not groups.tick.isEnabled() and groups.held.text() == "本支部未设党小组"
        assert theme.tick.isEnabled() and theme.tick.isChecked() and theme.held.text() == ""
        shot(dlg, "batch_one_branch.png")
        dlg.org.setCurrentIndex(dlg.org.findData(community))  # 全部党支部
        qtbot.waitUntil(lambda: groups.tick.isEnabled(), timeout=20_000)
        assert groups.tick.isChecked() and groups.held.text() == "2 个党支部中 1 个设党小组"
        assert not committee.tick.isEnabled() and committee.held.text() == "所选 2 个党支部均未设支委会"
        assert theme.held.text() == "2 个党支部中 2 个需召开"
        dlg.range.setCurrentIndex(dlg.range.findData(REST_OF_YEAR))
        qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
        wait_ops()
        kinds = {p.row.kind for p in dlg.model.rows}
        assert r.COMMITTEE not in kinds
        seen["groups"] = {p.row.org_name for p in dlg.model.rows if p.row.kind == r.GROUP_MEETING}
        shot(dlg, "batch_all_branches.png")
        return 0

    monkeypatch.setattr(BatchPlanDialog, "exec", run)
    page.plan_batch()
    wait_ops()
    assert seen["groups"] <= {"第二网格党支部·第一党小组"}


def test_the_last_weekday_of_each_month(qtbot, page, branch, wait_ops, monkeypatch, shot):  # noqa: F811
    seen = {}

    def run(dlg: BatchPlanDialog) -> int:
        wait_ops()
        theme = _line(dlg, r.THEME_DAY)
        assert theme.mode.findText("每月最后一个星期几") >= 0
        theme.mode.setCurrentIndex(theme.mode.findData(dialog_mod.BY_LAST))
        theme.weekday.setCurrentIndex(4)  # 星期五
        assert theme.number.isHidden() and theme.weekday.isEnabled()
        assert theme.day_rule().label == "每月最后一个星期五"
        dlg.range.setCurrentIndex(dlg.range.findData(dialog_mod.NEXT_QUARTER))
        qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
        wait_ops()
        seen["days"] = [p.row.day for p in dlg.model.rows if p.row.kind == r.THEME_DAY]
        shot(dlg, "batch_last_friday.png")
        return 0

    monkeypatch.setattr(BatchPlanDialog, "exec", run)
    page.plan_batch()
    wait_ops()
    days = seen["days"]
    assert len(days) == 3
    assert all(d.weekday() == 4 and (d + timedelta(days=7)).month != d.month for d in days)
    for said in ("-1-5", "最后-5", "L-5"):  # the command line's names of the window's 最后一个星期五
        assert batch.parse_day_rule(said) == batch.DayRule(day=None, nth=batch.LAST, weekday=4)


def test_planning_from_the_grid_says_the_period_already_has_one(qtbot, page, branch, wait_ops, monkeypatch,  # noqa: F811
                                                                 shot):
    from datetime import date

    from desktop_app.gui.meetings.meeting_dialog import MeetingDialog, to_qdate
    from desktop_app.services import meetings as ms

    db = page.ctx.db
    today = page.today
    day = date(today.year, today.month, 28 if today.day < 28 else today.day)  # this month, not past
    planned = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, title="主题党日", meeting_date=day))
    seen = {}

    def run(dlg: MeetingDialog) -> int:
        qtbot.waitUntil(lambda: dlg.period_note.isVisibleTo(dlg), timeout=20_000)
        seen["said"] = dlg.period_note.text()
        dlg.resize(880, 560)
        dlg.show()
        shot(dlg, "plan_from_grid_period_note.png")
        nxt = date(today.year + (today.month == 12), today.month % 12 + 1, 10)
        with qtbot.waitSignal(dlg.period_loaded, timeout=20_000):
            dlg.day.setDate(to_qdate(nxt))  # next month has none: no note
        seen["next"] = dlg.period_note.isVisibleTo(dlg)
        return 0

    monkeypatch.setattr(MeetingDialog, "exec", run)
    page.plan_for(branch, r.THEME_DAY, today)
    wait_ops()
    said = seen["said"]
    assert said.startswith(f"注意：{today.year}年{today.month}月已有主题党日 1 次") and planned.number in said
    assert f"{day:%m-%d}，计划中" in said and "再计划就多出一次" in said
    assert seen["next"] is False
