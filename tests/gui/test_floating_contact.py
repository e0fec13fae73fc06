"""登记流出 / 登记流入: 联系方式 said 手机号码 but kept “12345”. It now takes what an applicant's 联系电话 does, an
11-digit mobile or a fixed line with its area code; a refusal names 联系方式 and the cursor goes there."""

from datetime import date

import pytest

from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.memberlife.dialogs import FloatingDialog
from desktop_app.services import memberlife as life
from desktop_app.services import orgs
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def _outflow(mid, contact):
    return rules.FloatingInput(rules.FLOW_OUT, None, date(2026, 11, 2), member_id=mid, place="上海市浦东新区",
                               contact=contact)


def test_the_service_refuses_a_number_that_is_not_a_phone_and_keeps_a_fixed_line(db):
    b = branch(db)
    first, second = members(db, b, ["赵玉英", "钱国华"])
    with pytest.raises(ValidationError, match="^联系方式：“12345”不像电话号码"):
        life.add_floating(db, _outflow(first, "12345"), TODAY)
    with pytest.raises(ValidationError, match="^联系方式："):
        life.add_floating(db, _outflow(first, "1381234567"), TODAY)  # a mobile a digit short
    life.add_floating(db, _outflow(first, "138 1234 5678"), TODAY)
    life.add_floating(db, _outflow(second, "021-62345678"), TODAY)


def test_the_form_puts_the_cursor_on_contact(qtbot, app_ctx, shot):
    (mid,) = members(app_ctx.db, branch(app_ctx.db), ["赵玉英"])
    dlg = FloatingDialog(None, app_ctx.db, rules.FLOW_OUT, orgs.list_tree(app_ctx.db), TODAY, member=(mid, "赵玉英"))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.place.setText("上海市浦东新区")
    dlg.start.set_value(date(2026, 11, 2))
    dlg.contact.setText("12345")
    dlg.card.setFocus()
    dlg.message.clear()
    dlg.accept()
    qtbot.waitUntil(lambda: bool(dlg.message.text()), timeout=20_000)
    assert dlg.message.text().startswith("联系方式：“12345”不像电话号码")
    focus = dlg.focusWidget()
    assert focus is dlg.contact or dlg.contact.isAncestorOf(focus)
    shot(dlg, "floating_contact_refused.png")
    dlg.asks_before_discard = False
    dlg.reject()
