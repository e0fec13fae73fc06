"""修改账户 opened before someone else saved the same account: refused inside the dialog, what was typed kept."""

from desktop_app.gui.ledger.dialogs import AccountDialog
from desktop_app.services import ledger
from tests.gui.test_stale_form_dialogs import _refused_inside


def test_an_account_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    ledger.ensure_accounts(db)
    acc = ledger.add_account(db, "共建单位资助", "街道拨付")
    read = next(a for a in ledger.list_accounts(db) if a.id == acc.id)
    dlg = AccountDialog(None, "修改账户", read.name, read.note, save=lambda name, note: ledger.rename_account(
        db, read.id, name, note, expected_version=read.version))
    _refused_inside(qtbot, dlg, lambda: ledger.rename_account(db, acc.id, read.name, "2026年街道拨付"),
                    dlg.name, "共建资助", wait_ops)
    assert "账户 共建单位资助" in dlg.message.text()
    assert ledger.find_account(db, "共建单位资助").note == "2026年街道拨付"
