"""The status and transfer dialogs refuse a missing, unreadable or future day before saving anything."""

from datetime import date

import pytest

from desktop_app.gui.roster.member_dialog import StatusDialog, TransferDialog

TODAY = date(2026, 3, 10)


def _dialogs(qtbot, saved):
    status = StatusDialog(None, "张三", "正常", lambda *a: saved.append(a), today=TODAY)
    transfer = TransferDialog(None, "张三", None, "正常", [], lambda *a: saved.append(a), today=TODAY)
    for dlg in (status, transfer):
        qtbot.addWidget(dlg)
    return [(status, status.changed_on, "变更日期"), (transfer, transfer.on, "转接日期")]


@pytest.mark.parametrize(("typed", "why"), [("", "不能为空"), ("2026-13-01", None), ("2026-03-11", "不能晚于今天")])
def test_a_day_that_will_not_do_is_refused_at_the_message(qtbot, typed, why):
    saved: list = []
    for dlg, field, label in _dialogs(qtbot, saved):
        field.setText(typed)
        dlg.accept()
        text = dlg.message.text()
        assert text.startswith(f"{label}：") and len(text) > len(label) + 1
        if why:
            assert text == f"{label}：{why}"
        assert not dlg.message.isHidden()
    assert saved == []
