"""登记党费交纳 says a 补交 is more than six months late while the date is chosen, before saving."""

from __future__ import annotations

from datetime import date

from desktop_app.gui.dues.dialogs import PaymentDialog
from desktop_app.gui.ledger.forms import to_qdate


def test_the_late_back_payment_warning_follows_the_date_before_saving(qtbot):
    dlg = PaymentDialog(None, [("张建国", [date(2026, 1, 1), date(2026, 2, 1)], 3000)], on=date(2026, 7, 20))
    qtbot.addWidget(dlg)
    assert dlg.late.isHidden()  # six months on is still in time

    dlg.date.setDate(to_qdate(date(2026, 8, 3)))  # January is now more than six months back
    assert not dlg.late.isHidden()
    assert "补交2026年1月党费，已超过6个月" in dlg.late.text() and "报告党支部" in dlg.late.text()

    dlg.date.setDate(to_qdate(date(2026, 7, 1)))
    assert dlg.late.isHidden()


def test_several_members_are_named_in_the_warning(qtbot):
    dlg = PaymentDialog(None, [("张建国", [date(2025, 1, 1)], 1500), ("李秀英", [date(2026, 10, 1)], 4500)],
                        on=date(2026, 11, 2))
    qtbot.addWidget(dlg)
    assert dlg.late.text().startswith("张建国：补交") and "李秀英" not in dlg.late.text()
