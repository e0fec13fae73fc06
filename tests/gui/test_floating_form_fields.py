"""登记流出 / 登记流入 refused with the field named otherwise than the form labels it (流向 for 外出流向, 开始日期
for 外出日期, 党支部 for 参加活动的党支部): the message said what was missing but the cursor stayed where it was.
Each refusal now names the form's own label and the cursor goes to that field."""

from datetime import date, timedelta

from desktop_app.domain import memberlife as rules
from desktop_app.gui.memberlife.dialogs import FloatingDialog
from desktop_app.services import orgs
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def _refused(qtbot, dlg) -> str:
    dlg.message.clear()
    dlg.accept()
    qtbot.waitUntil(lambda: bool(dlg.message.text()), timeout=20_000)
    return dlg.message.text()


def _form(qtbot, app_ctx, direction, member=None):
    dlg = FloatingDialog(None, app_ctx.db, direction, orgs.list_tree(app_ctx.db), TODAY, member=member)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _inside(dlg, field) -> bool:
    focus = dlg.focusWidget()
    return focus is field or field.isAncestorOf(focus)


def test_an_outflow_refused_puts_the_cursor_on_the_field_it_names(qtbot, app_ctx, shot):
    (mid,) = members(app_ctx.db, branch(app_ctx.db), ["赵玉英"])
    dlg = _form(qtbot, app_ctx, rules.FLOW_OUT, (mid, "赵玉英"))
    dlg.card.setFocus()
    assert _refused(qtbot, dlg).startswith("外出流向：") and _inside(dlg, dlg.place)
    shot(dlg, "outflow_refused.png")
    dlg.place.setText("上海市浦东新区")
    dlg.start.set_value(TODAY + timedelta(days=2))
    dlg.card.setFocus()
    assert _refused(qtbot, dlg).startswith("外出日期：") and _inside(dlg, dlg.start)
    dlg.asks_before_discard = False
    dlg.reject()


def test_an_inflow_without_a_branch_is_refused_on_the_branch(qtbot, app_ctx):
    dlg = _form(qtbot, app_ctx, rules.FLOW_IN)
    dlg.name.setText("李四")
    dlg.org.setCurrentIndex(-1)
    dlg.card.setFocus()
    assert _refused(qtbot, dlg).startswith("参加活动的党支部：") and _inside(dlg, dlg.org)
    dlg.asks_before_discard = False
    dlg.reject()
