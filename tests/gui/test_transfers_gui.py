"""组织关系转接 page offscreen: record a 转出's 介绍信 and then its 回执."""

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.transfers.page import LetterDialog, TransfersPage
from desktop_app.gui.widgets.dialog import DateNoteDialog
from desktop_app.services import orgs, roster, transfers


@pytest.fixture
def moved(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    m = roster.create(db, MemberInput(name="王建国", org_id=b.id, joined_date=date(1985, 7, 1),
                                      id_number=idcard.make("320102", date(1950, 2, 1), 1, idcard.MALE)))
    roster.transfer(db, m.id, "转出", date(2025, 3, 10), from_org="第一网格党支部", to_org="城西社区党委")
    return m.id


def _shown(qtbot, app_ctx, wait_ops):
    """The page at a usable size with its one row (the fixture's 转出) loaded."""
    page = TransfersPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    wait_ops()
    (row,) = page.panel.model.rows
    return page, row


def test_record_the_letter_then_the_receipt(qtbot, app_ctx, moved, wait_ops, monkeypatch, qtmodeltester, shot):
    page, row = _shown(qtbot, app_ctx, wait_ops)
    assert row.direction == "转出" and row.receipt_on is None and not row.overdue
    qtmodeltester.check(page.panel.model)
    page.panel.select_id(row.id)
    wait_ops()

    def letter(dlg):
        dlg.letter_no.setText("梅组转〔2025〕7号")
        dlg.valid_until.set_value(date(2025, 6, 10))
        dlg.dues_paid_to.set_value(date(2025, 3, 1))
        dlg.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(LetterDialog, "exec", letter)
    page.edit_letter()
    wait_ops()
    (row,) = transfers.transfers(app_ctx.db)
    assert (row.letter_no, row.valid_until, row.dues_paid_to) == ("梅组转〔2025〕7号", date(2025, 6, 10),
                                                                  date(2025, 3, 1))
    assert row.overdue  # the letter lapsed in June and no 回执 came back
    page.panel.select_id(row.id)
    wait_ops()

    def receipt(dlg):
        dlg.on.set_value(date(2025, 4, 2))
        dlg.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(DateNoteDialog, "exec", receipt)
    page.receipt()
    wait_ops()
    (row,) = transfers.transfers(app_ctx.db)
    assert row.receipt_on == date(2025, 4, 2) and not row.overdue
    assert transfers.transfers(app_ctx.db, open_only=True) == []
    shot(page, "transfers_page.png")


def test_print_the_letter_of_a_transfer_out(qtbot, app_ctx, moved, wait_ops, monkeypatch, tmp_path):
    # The 介绍信 a worker used to write by hand comes from the page, with what the register holds.
    from pypdf import PdfReader

    from desktop_app.gui.widgets import forms
    from desktop_app.reports.fonts import ENV_VAR, shipped_font_path

    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    page, row = _shown(qtbot, app_ctx, wait_ops)
    page.panel.select_id(row.id)
    wait_ops()
    assert page.act_print.isEnabled()
    out = tmp_path / "介绍信.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    page.print_letter()
    wait_ops()
    text = "".join(PdfReader(out).pages[0].extract_text().split())
    assert "王建国" in text and "转到城西社区党委" in text and "介绍信回执" in text
