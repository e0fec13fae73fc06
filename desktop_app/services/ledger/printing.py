"""Fetch and print: 记账凭证, 收支明细账, the year's summary, and the XLSX export of entries.

Each function checks the permission (through the read it makes), builds the
read model and hands it to a report or the XLSX writer. The GUI and the
command line call these; neither reaches reports or exchange itself. Each
returns a one-line summary for the command line (the XLSX export: the count).
The reports and the XLSX writer are imported when called: reportlab and
openpyxl take a noticeable part of a second to load, and start-up need not pay it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from desktop_app.domain.clock import closing_year
from desktop_app.domain.money import format_yuan
from desktop_app.services.ledger.accounts import find_account
from desktop_app.services.ledger.entries import (
    EntryFilter,
    entry_ids,
    list_entries,
    vouchers,
)
from desktop_app.services.ledger.statements import account_ledger, yearly_funds
from desktop_app.services.site import center_of
from desktop_app.store.db import Database

Progress = Callable[[int], None]


def print_vouchers(
    db: Database,
    out: Path,
    voucher_nos: Sequence[str] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> str:
    """记账凭证 of entries `ids`, or by number (e.g. ["2024-0007"]), or for a period, to `out`."""
    from desktop_app.reports.voucher import render_vouchers

    if ids is None:
        ids = entry_ids(db, voucher_nos, date_from, date_to)
    render_vouchers(vouchers(db, ids), out, center_name=center_of(db), progress=progress)
    return f"凭证 {len(ids)} 张"


def print_account_ledger(
    db: Database,
    account: str,
    out: Path,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    progress: Progress | None = None,
) -> str:
    """收支明细账 of `account` (id, name, or a part of a name) to `out`; the period defaults to this year so far,
    in January to the whole year just ended (the book being closed, not a fortnight of the new one)."""
    from desktop_app.reports.ledger import render_account_ledger

    today = date.today()
    first = date_from or date(closing_year(today), 1, 1)
    last = date_to or (date(first.year, 12, 31) if date_from or first.year < today.year else today)
    acc = find_account(db, account)
    data = account_ledger(db, acc.id, first, last)
    render_account_ledger(data, out, progress=progress)
    return (f"{acc.name} {first.isoformat()} 至 {last.isoformat()}，凭证 {len(data.lines)} 张，"
            f"期末余额 {format_yuan(data.closing_fen)} 元")


def print_annual_ledger(db: Database, year: int, out: Path, *, progress: Progress | None = None,
                        book: str | None = None) -> str:
    """The year's 经费收支汇总表 to `out` (`book`: a community's, read at a street office)."""
    from desktop_app.reports.ledger_annual import render_annual_ledger

    funds = yearly_funds(db, year, book=book)
    render_annual_ledger(funds, out, progress=progress)
    t, d = funds.funds_total, funds.dues_total
    return (f"{year}年 经费收入 {format_yuan(t.income_fen)} 元，支出 {format_yuan(t.expense_fen)} 元，"
            f"年末余额 {format_yuan(t.closing_fen)} 元（不含党费；党费年末余额 {format_yuan(d.closing_fen)} 元）")


def export_entries_xlsx(
    db: Database,
    out: Path | str,
    account: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    flt: EntryFilter | None = None,
    book: str | None = None,
) -> int:
    """Entries of the period (and account: id, name or part of a name), or matching `flt`, to `out` (.xlsx).

    Returns the number of entries written.
    """
    from desktop_app.exchange import ledger_xlsx

    if flt is None:
        account_id = find_account(db, account).id if account else None
        flt = EntryFilter(account_id=account_id, date_from=date_from, date_to=date_to)
    return ledger_xlsx.export_entries(list_entries(db, flt, book=book), out)
