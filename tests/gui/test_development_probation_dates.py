"""登记下一步 for a 预备党员 before the probation has ended: 转正, 延长预备期 and 取消预备党员资格 put the
probation's end into 日期 even when it was months away, so 保存 was refused with 日期：不能晚于今天 and the
worker was not told the one thing that mattered, that the probation was not over (and for 取消, allowed at
any time, had to retype the day). The date offered is the end once reached, else today; the hint names the end."""

from datetime import date

import pytest

from desktop_app.domain import development as rules
from desktop_app.gui.development.dialogs import StepDialog
from desktop_app.services import development, orgs
from tests.integration.test_development_confirm_due import _probationer

END = date(2025, 9, 1)  # a year after the 支部大会 of _probationer


@pytest.fixture
def probationer(app_ctx):
    c = next(n for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
    branch = orgs.create(app_ctx.db, "第一网格党支部", "B01", "branch", c.id).id
    return _probationer(app_ctx.db, branch)


def _dialog(qtbot, db, aid, today):
    dlg = StepDialog(None, db, development.get(db, aid, today), today)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _choose(dlg, step):
    dlg.step.setCurrentIndex(dlg.step.findData(step))


def test_before_the_end_the_date_is_today_and_the_refusal_names_the_end(qtbot, app_ctx, probationer, shot):
    today = date(2025, 6, 1)
    dlg = _dialog(qtbot, app_ctx.db, probationer, today)
    for step in (rules.CANCEL, rules.EXTEND, rules.CONFIRM):
        _choose(dlg, step)
        assert dlg.on.value() == today, step  # never a day the service refuses as after today
    assert "预备期 2025-09-01 期满，期满后再登记转正" in dlg.hint.text()
    shot(dlg, "confirm_early.png")
    dlg.accept()
    qtbot.waitUntil(lambda: bool(dlg.message.text()), timeout=20_000)
    assert "预备期 2025-09-01 期满" in dlg.message.text() and "晚于今天" not in dlg.message.text()
    dlg.asks_before_discard = False
    dlg.reject()


def test_once_ended_the_end_is_offered_as_before(qtbot, app_ctx, probationer):
    dlg = _dialog(qtbot, app_ctx.db, probationer, date(2025, 9, 20))
    _choose(dlg, rules.CONFIRM)
    assert dlg.on.value() == END and "期满后再登记转正" not in dlg.hint.text()
    _choose(dlg, rules.CANCEL)
    assert dlg.on.value() == END
