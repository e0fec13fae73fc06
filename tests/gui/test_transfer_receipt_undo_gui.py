"""组织关系转接 page: 撤销回执 asks, naming the member and the letter, then opens the transfer again; a refusal
is said in words; an account that may not record the 回执 is not shown the action."""

from datetime import date

import pytest

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets.page import AppContext
from desktop_app.gui.widgets import common
from desktop_app.services import auth, roster, site, transfers
from tests.gui.test_transfers_gui import _shown, moved  # noqa: F401 - fixture
from tests.integration.test_roles import PASSWORD, fast_kdf  # noqa: F401 - quick password hashing


@pytest.fixture
def received(app_ctx, moved):
    (row,) = transfers.transfers(app_ctx.db)
    transfers.set_letter(app_ctx.db, row.id, "梅组转〔2025〕7号", date(2025, 6, 10), None)
    transfers.record_receipt(app_ctx.db, row.id, date(2025, 4, 2))
    return moved, row.id


def _page(qtbot, app_ctx, wait_ops, tid):
    page, _row = _shown(qtbot, app_ctx, wait_ops)
    page.panel.select_id(tid)
    wait_ops()
    return page


def test_undo_a_receipt_after_a_question_naming_member_and_letter(qtbot, app_ctx, received, wait_ops, monkeypatch,
                                                                  shot):
    _, tid = received
    page = _page(qtbot, app_ctx, wait_ops, tid)
    assert page.act_undo_receipt.isVisible() and page.act_undo_receipt.isEnabled()
    assert not page.act_receipt.isEnabled()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    page.undo_receipt()
    wait_ops()
    assert "王建国" in asked[0] and "梅组转〔2025〕7号" in asked[0] and "2025-04-02" in asked[0]
    assert transfers.transfers(app_ctx.db, open_only=True) == []  # 否: nothing changed
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    page.undo_receipt()
    wait_ops()
    qtbot.waitUntil(lambda: bool(transfers.transfers(app_ctx.db, open_only=True)), timeout=20_000)
    wait_ops()
    assert not page.act_undo_receipt.isEnabled() and page.act_receipt.isEnabled()
    shot(page, "transfer_receipt_undone.png")


def test_undo_refused_in_words_after_a_later_transfer(qtbot, app_ctx, received, wait_ops, monkeypatch,
                                                      error_boxes):
    mid, tid = received
    page = _page(qtbot, app_ctx, wait_ops, tid)
    roster.transfer(app_ctx.db, mid, "转入", date(2025, 5, 6), from_org="城西社区党委", to_org="第一网格党支部")
    page.refresh()
    wait_ops()
    page.panel.select_id(tid)
    wait_ops()
    assert len(page.panel.model.rows) == 2 and page.act_undo_receipt.isEnabled()
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    page.undo_receipt()
    qtbot.waitUntil(lambda: bool(error_boxes), timeout=20_000)
    assert any("又办理了2025-05-06的转入" in text and "不能撤销" in text for text in error_boxes), error_boxes
    assert next(r for r in transfers.transfers(app_ctx.db) if r.id == tid).receipt_on == date(2025, 4, 2)


def test_a_read_only_account_is_not_shown_undo(qtbot, app_ctx, received, wait_ops):
    _, tid = received
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.login(db, "admin", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    shown = {}
    for login in ("admin", "street"):  # the window hides a page's writes from whoever may not make them
        auth.login(db, login, PASSWORD)
        w = MainWindow(AppContext(db=db, site=site.get_site(db)))
        qtbot.addWidget(w)
        w.show()
        wait_ops()
        page = w.pages["组织关系转接"]
        shown[login] = (page.act_undo_receipt.isVisible(), page.act_receipt.isVisible())
        w.close()
    assert shown == {"admin": (True, True), "street": (False, False)}
