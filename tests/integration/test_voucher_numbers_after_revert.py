"""凭证号 after a 经费 import is taken back: no gap for an accountant to be asked about, and no number twice.

A ledger import taken back is never deleted: each of its vouchers stays on the books with a 红字冲销
posted against it (services.revert_imported), and the 红字冲销 take the next numbers. So the numbers
the import took stay held by vouchers the books show, whether they were the latest or lie between
others, and the next voucher follows the reversals: the year's numbers run 1, 2, 3 … without a hole.
Freeing the imported numbers for reuse would give two vouchers on the books one number. Real SQLite
files with migrations (or the PostgreSQL cluster).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import ledger, ledger_import, revert
from desktop_app.store.models_ledger import LedgerEntry
from tests.integration.test_history_imports import workbook
from tests.integration.test_import_revert_history import LEDGER_HEADER, batch_of_ledger

TODAY = date.today()
YEAR = TODAY.year


def numbers(db) -> list[tuple[int, str]]:
    """The year's vouchers on the books: (number, 摘要), in number order."""
    with db.session() as s:
        rows = s.execute(select(LedgerEntry.voucher_no, LedgerEntry.memo).where(
            LedgerEntry.voucher_no.like(f"{YEAR}-%"), LedgerEntry.deleted.is_(False))).all()
    return sorted((rules.parse_voucher(v)[1], memo) for v, memo in rows)


def import_two(db, tmp_path) -> None:
    rows = [[TODAY.isoformat(), f"{YEAR}-{n}", "党建工作经费", memo, 1000, None, "王会计"]
            for n, memo in ((1, "街道拨付党建经费"), (2, "上级补助"))]
    plan = ledger_import.preview(db, workbook(tmp_path / "账.xlsx", LEDGER_HEADER, rows))
    assert ledger_import.apply(db, plan) == 2


def test_the_latest_vouchers_taken_back_keep_their_numbers_and_the_next_follows_their_reversals(db, tmp_path):
    import_two(db, tmp_path)
    revert.revert_batch(db, batch_of_ledger(db))
    held = numbers(db)
    assert [n for n, _ in held] == [1, 2, 3, 4]  # the two imported, then their 红字冲销: no gap
    assert [memo for _, memo in held[:2]] == ["街道拨付党建经费", "上级补助"]
    assert all(f"{YEAR}-000{n}" in memo for (_, memo), n in zip(held[2:], (1, 2), strict=True))
    assert ledger.suggest_voucher_no(db, YEAR) == f"{YEAR}-0005"
    account = ledger.find_account(db, "党建工作经费")
    with pytest.raises(ValidationError, match="已被"):  # the number is still a voucher's on the books
        ledger.post_entry(db, ledger.EntryInput(TODAY, account.id, "收入", 500, voucher_no=f"{YEAR}-1"))
    ledger.post_entry(db, ledger.EntryInput(TODAY, account.id, "收入", 500, memo="利息"))
    assert numbers(db)[-1] == (5, "利息")


def test_vouchers_taken_back_between_others_leave_no_gap_either(db, tmp_path):
    import_two(db, tmp_path)
    account = ledger.find_account(db, "党建工作经费")
    ledger.post_entry(db, ledger.EntryInput(TODAY, account.id, "支出", 300, memo="购买学习资料"))  # after the import
    revert.revert_batch(db, batch_of_ledger(db))
    held = numbers(db)
    assert [n for n, _ in held] == [1, 2, 3, 4, 5]
    assert held[2][1] == "购买学习资料"  # the voucher entered by hand keeps its number between them
    assert ledger.suggest_voucher_no(db, YEAR) == f"{YEAR}-0006"
