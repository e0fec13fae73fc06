"""考评 forms opened before someone else's save of the same record refuse inside the dialog,
what was typed kept (offscreen, on a real SQLite file)."""

from __future__ import annotations

from datetime import date

from desktop_app.gui.assessment.dialogs import SchemeDialog, TitleDialog
from desktop_app.services import assessment as asm
from desktop_app.services import orgs, roster
from tests.gui.test_stale_form_dialogs import _refused_inside

YEAR = 2025


def test_title_and_scheme_forms_refuse_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    branch = orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db)).id
    t = asm.save_title(db, None, branch, YEAR, "红旗党支部", date(2026, 1, 20), "梅园街道党工委")
    dlg = TitleDialog(None, db, branch, "第一网格党支部", YEAR, t)
    _refused_inside(qtbot, dlg, lambda: asm.save_title(db, t.id, branch, YEAR, t.title, t.granted_on, t.issued_by,
                                                       "表彰大会上颁发"), dlg.issued_by, "梅园街道", wait_ops)
    assert f"荣誉称号 {YEAR}年度红旗党支部" in dlg.message.text()
    assert asm.titles(db, YEAR)[0].issued_by == "梅园街道党工委"
    sch = asm.load_sample(db, YEAR)
    dlg = SchemeDialog(None, db, sch)
    _refused_inside(qtbot, dlg, lambda: asm.save_scheme(db, sch.id, "2025年度党支部考评", sch.excellent_tenths,
                                                        sch.pass_tenths), dlg.name, "五好党支部考评", wait_ops)
    assert "考评方案 2025年度党支部考评" in dlg.message.text()
