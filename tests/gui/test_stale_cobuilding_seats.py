"""兼职委员 and 单位报到 forms opened before someone else saved the same record: refused inside the
dialog, what was typed kept."""

from datetime import date

from desktop_app.gui.cobuilding.contacts import SeatDialog
from desktop_app.gui.cobuilding.unit_reports import UnitReportDialog
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs
from desktop_app.services.cobuilding import SeatInput, UnitInput, UnitReportInput
from tests.gui.test_stale_form_dialogs import _refused_inside

TODAY = date(2026, 6, 15)


def test_seat_and_unit_report_forms_refuse_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    unit = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院"), TODAY)
    units = cb.list_units(db)
    inp = SeatInput(name="刘主任", unit_id=unit.id, term_start=date(2026, 1, 1))
    seat = cb.save_seat(db, None, inp, TODAY)
    dlg = SeatDialog(None, db, units, next(r for r in cb.list_seats(db, today=TODAY) if r.id == seat.id), TODAY)
    _refused_inside(qtbot, dlg, lambda: cb.save_seat(db, seat.id, SeatInput(inp.level, inp.name, unit.id, "副书记",
                                                                            "", inp.term_start), TODAY),
                    dlg.name, "刘建华", wait_ops)
    assert "兼职委员 刘主任" in dlg.message.text()

    community = [n for n in orgs.list_tree(db) if n.kind == "community"]
    rinp = UnitReportInput(unit.id, date(2026, 3, 5), community[0].id, "刘主任", "13800001111", "每季度义诊")
    rep = cb.save_unit_report(db, None, rinp, TODAY)
    row = next(r for r in cb.list_unit_reports(db, 2026) if r.id == rep.id)
    dlg = UnitReportDialog(None, db, units, community, row, TODAY)
    _refused_inside(qtbot, dlg, lambda: cb.save_unit_report(db, rep.id, UnitReportInput(
        unit.id, rinp.reported_on, rinp.org_id, "王主任", "", rinp.promise), TODAY), dlg.liaison, "赵主任", wait_ops)
    assert "单位报到 区人民医院" in dlg.message.text()
    assert next(r for r in cb.list_unit_reports(db, 2026) if r.id == rep.id).liaison == "王主任"
