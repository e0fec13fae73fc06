"""党费比例 on the 党费 page: the 2008 table in words, a new table from a month on, a gap refused, the street's lock."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from desktop_app.domain import access
from desktop_app.domain import dues as rules
from desktop_app.gui.dues.models import FIRST_MONTH_COLUMN
from desktop_app.gui.dues.rates_dialog import RatesDialog
from desktop_app.gui.widgets import common
from desktop_app.services import auth, dues
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models_sync import SyncIdentity
from tests.gui.test_ledger_gui import TODAY, dues_page, filling, members  # noqa: F401  (fixtures)


def _open(page, wait_ops, monkeypatch, edit=None) -> list[RatesDialog]:
    """Press 党费比例; `edit(dialog)` fills it and presses 保存新标准 (the dialog saving itself is awaited)."""
    opened: list[RatesDialog] = []
    press_ok = filling()

    def exec_(dlg):
        opened.append(dlg)
        if edit is None:
            return 0
        edit(dlg)
        return press_ok(dlg)

    monkeypatch.setattr(RatesDialog, "exec", exec_)
    monkeypatch.setattr(common, "ask", lambda *a, **k: True)
    page.act_rates.trigger()
    wait_ops()
    return opened


def _type_rows(dlg: RatesDialog, month: date, rows: list[tuple[str, ...]]) -> None:
    dlg.category.setCurrentText(rules.EMPLOYED)
    dlg.month.setDate(QDate(month.year, month.month, 1))
    dlg.clear_rows()
    for r in rows:
        dlg.add_row(r)


def test_the_seeded_table_in_words_and_a_new_table_used_from_its_month(dues_page, wait_ops, monkeypatch):
    page, month = dues_page, rules.month_of(TODAY)
    [dlg] = _open(page, wait_ops, monkeypatch)
    text = dlg.words.toPlainText()
    for words in ("自 2008-04 起（现行）", "月工资收入3000元以下（含）交纳0.5%", "月工资收入10000元以上交纳2%",
                  "月基本离退休费5000元以上交纳1%", "每月自愿 0.20–1.00 元", "每月定额 0.20 元"):
        assert words in text
    assert dlg.editor.isVisibleTo(dlg) and dlg.ok_button.isVisibleTo(dlg)
    # prefilled with the 在职 table in force: four brackets, amounts in 元, the rate in %
    assert [dlg.cell(r, 2) for r in range(dlg.row_count())] == ["0.5", "1", "1.5", "2"]
    assert (dlg.cell(1, 0), dlg.cell(1, 1)) == ("3000.00", "5000.00")

    new = [("", "4000", "1", "", ""), ("4000", "", "2.25", "", "")]
    [dlg] = _open(page, wait_ops, monkeypatch, lambda d: _type_rows(d, month, new))
    assert dlg.result() == RatesDialog.DialogCode.Accepted, dlg.message.text()
    wait_ops()
    in_force = rules.rules_in_force(dues.rate_rules(page.ctx.db), rules.EMPLOYED, month)
    assert [(r.over_fen, r.upto_fen, r.rate_bp) for r in in_force] == [(None, 400_000, 100), (400_000, None, 225)]
    assert "此前各月仍按原标准" in page.message.text()
    # the page refreshed: 张建国 (3000 元) and 李秀英 (4500 元) owe this month at the new rates
    rows = page.view.grid.rows
    assert [r.cells[month.month - 1].due_fen for r in rows] == [3000, 10125]
    if month.month > 1:  # the months before keep the old rates
        assert [r.cells[month.month - 2].due_fen for r in rows] == [1500, 4500]
    assert page.grid_model.index(0, FIRST_MONTH_COLUMN + month.month - 1).data()


def test_a_gap_is_refused_naming_the_row_and_nothing_changes(dues_page, wait_ops, monkeypatch):
    page = dues_page
    before = dues.rate_rules(page.ctx.db)
    gap = [("", "3000", "0.5", "", ""), ("3500", "", "1", "", "")]
    [dlg] = _open(page, wait_ops, monkeypatch, lambda d: _type_rows(d, rules.month_of(TODAY), gap))
    assert dlg.result() != RatesDialog.DialogCode.Accepted
    assert dlg.message.text().startswith("第2行：") and "应从3000.00元以上起" in dlg.message.text()
    assert dues.rate_rules(page.ctx.db) == before
    # a rate of three decimals is refused too, not rounded
    [dlg] = _open(page, wait_ops, monkeypatch,
                  lambda d: _type_rows(d, rules.month_of(TODAY), [("", "", "0.125", "", "")]))
    assert "第1行比例" in dlg.message.text() and "两位小数" in dlg.message.text()
    assert dues.rate_rules(page.ctx.db) == before


def test_an_enrolled_community_sees_the_street_sets_the_rates(dues_page, wait_ops, monkeypatch):
    page = dues_page
    with UnitOfWork(page.ctx.db) as uow:
        uow.session.add(SyncIdentity(id=1, role="community", fingerprint="f" * 32, state="enrolled"))
        uow.commit()
    [dlg] = _open(page, wait_ops, monkeypatch)
    assert dlg.lock_note.isVisibleTo(dlg) and "党费比例由街道统一设置" in dlg.lock_note.text()
    assert not dlg.editor.isVisibleTo(dlg) and not dlg.ok_button.isVisibleTo(dlg)
    assert "月工资收入3000元以下（含）交纳0.5%" in dlg.words.toPlainText()


def test_an_account_that_may_not_change_settings_only_reads(dues_page, wait_ops, monkeypatch):
    page = dues_page
    auth.set_actor(page.ctx.db, access.Actor("u-viewer", "viewer", "只读者", access.Role.VIEWER))
    [dlg] = _open(page, wait_ops, monkeypatch)
    assert "只能查看党费比例" in dlg.lock_note.text() and dlg.lock_note.isVisibleTo(dlg)
    assert not dlg.editor.isVisibleTo(dlg) and not dlg.ok_button.isVisibleTo(dlg)
    assert "月工资收入10000元以上交纳2%" in dlg.words.toPlainText()


def test_closing_after_typing_a_bracket_asks_first(dues_page, wait_ops, monkeypatch):
    [dlg] = _open(dues_page, wait_ops, monkeypatch)
    dlg.show()
    dlg._remember_fields()
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda _parent, title, _text: asked.append(title) or False)
    dlg.add_row(("10000", "", "2", "", ""))
    dlg.reject()
    assert asked == ["放弃填写的内容？"] and dlg.isVisible()
    dlg.hide()


def test_a_bracket_typed_into_its_cell_is_what_saves(dues_page, wait_ops, monkeypatch, qtbot, qtmodeltester):
    """The brackets are a ColumnModel like every table: a cell typed through the view's editor lands in the row."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    [dlg] = _open(dues_page, wait_ops, monkeypatch)
    qtmodeltester.check(dlg.brackets)
    dlg.show()
    index = dlg.brackets.index(0, 2)
    dlg.rows.setCurrentIndex(index)
    dlg.rows.edit(index)
    [editor] = dlg.rows.viewport().findChildren(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "0.8")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: dlg.cell(0, 2) == "0.8")
    assert [r.rate_bp for r in dlg.lines()][:2] == [80, 100]
    dlg.hide()
