"""状态变更 to 流动 offers to register the 流出 on 流动与失联 with the member chosen, instead of a bare status."""

from datetime import date

from desktop_app.domain import members as m
from desktop_app.gui.roster.member_dialog import StatusDialog
from desktop_app.gui.widgets import common


def test_choosing_floating_offers_the_outflow_form(qapp, monkeypatch):
    went, saved = [], []
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    dlg = StatusDialog(None, "张兰", m.NORMAL, lambda *a: saved.append(a), today=date(2026, 12, 6),
                       register_outflow=lambda: went.append(True))
    dlg.status.setCurrentIndex(dlg.status.findData(m.FLOATING))
    dlg.destination.setText("上海")
    dlg.accept()
    assert went == [True] and saved == [] and "流动与失联" in asked[0]
    assert dlg.result() == StatusDialog.DialogCode.Rejected
