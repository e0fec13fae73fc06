"""登记在职党员报到: picking 所在共建单位 fills 工作单位 and 单位党组织; a wrong pick corrected replaces what the first
pick filled in (the feedback forms go to 单位党组织), while what the worker typed stays."""

from __future__ import annotations

from datetime import date

from desktop_app.gui.cobuilding.reporting_dialogs import ReportingDialog
from desktop_app.gui.widgets import forms
from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import UnitInput

TODAY = date.today()


def test_a_second_pick_replaces_the_first_and_leaves_typing(qtbot, app_ctx):
    db = app_ctx.db
    hospital = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院", party_org="区人民医院党委"), TODAY)
    tax = cb.save_unit(db, None, UnitInput(name="区税务局", kind="机关", party_org="区税务局党委"), TODAY)
    dlg = ReportingDialog(None, db, cb.list_units(db), [], None, TODAY)
    qtbot.addWidget(dlg)
    forms.select(dlg.unit, hospital.id)
    assert (dlg.employer.text(), dlg.employer_org.text()) == ("区人民医院", "区人民医院党委")
    forms.select(dlg.unit, tax.id)  # picked the wrong one first
    assert (dlg.employer.text(), dlg.employer_org.text()) == ("区税务局", "区税务局党委")
    dlg.employer.setText("区税务局第一稽查局")  # typed: kept whatever is picked next
    forms.select(dlg.unit, hospital.id)
    assert (dlg.employer.text(), dlg.employer_org.text()) == ("区税务局第一稽查局", "区人民医院党委")
    dlg.employer_org.setText("区人民医院党委第三支部")
    forms.select(dlg.unit, tax.id)
    assert dlg.employer_org.text() == "区人民医院党委第三支部"
