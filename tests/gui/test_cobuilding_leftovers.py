"""共驻共建 dialogs and details: what they say about the year and the visit a need came from."""

from __future__ import annotations

from datetime import date

from desktop_app.views.cobuilding import ReportingRow


def test_service_dialog_names_the_year_the_page_shows(qtbot, app_ctx):
    from desktop_app.gui.cobuilding.reporting_dialogs import ServiceDialog

    person = ReportingRow(id="r1", name="陈医生", gender="男", mobile_masked="", employer="区人民医院",
                          employer_org="区人民医院党委", unit_id=None, job="主治医师", reported_on=date(2023, 1, 1),
                          org_id=None, org_name="", posts="", services=3, hours_tenths=60, points=6, left_on=None,
                          from_roster=False)
    dlg = ServiceDialog(None, app_ctx.db, person, [], today=date(2025, 5, 1), year=2024)
    qtbot.addWidget(dlg)
    assert "2024年已服务 3 次" in dlg.summary.text()
    assert "本年" not in dlg.summary.text()  # 2024's counts are not this year's
    this_year = ServiceDialog(None, app_ctx.db, person, [], today=date(2025, 5, 1))
    qtbot.addWidget(this_year)
    assert "2025年已服务" in this_year.summary.text()
