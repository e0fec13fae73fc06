"""记录服务 from the 双报到 page showing a past year: the 服务日期 starts in that year, not today
(a service typed in for last year would otherwise land in this year, outside the list it was added from)."""

from datetime import date

from desktop_app.gui.cobuilding.reporting_dialogs import ServiceDialog
from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import ReportingInput

TODAY = date(2026, 6, 15)


def test_the_service_day_starts_in_the_year_the_page_shows(qtbot, app_ctx):
    db = app_ctx.db
    rid = cb.register_reporting(db, ReportingInput(name="陈医生", employer="区人民医院", reported_on=date(2024, 3, 1)),
                                TODAY).row.id
    person = cb.get_reporting(db, rid, 2025).row
    for year, expected in ((2025, date(2025, 12, 31)), (2026, TODAY), (None, TODAY)):
        dlg = ServiceDialog(None, db, person, [], TODAY, year)
        qtbot.addWidget(dlg)
        assert dlg.on.value() == expected, year
