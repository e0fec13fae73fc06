"""经费台账: accounts, budgets, entries, reversals, month closing, balances, statements, attachments, printing.

A posted entry is never edited or deleted; a mistake is corrected by a
红字冲销 (`reverse_entry`); a closed month (结账) takes no more entries,
reversals or attachments. The books belong to the site's own organisation
(`org_id`), so a street office's merged copy keeps each community's voucher
numbers apart.

The package is split along its seams; this module re-exports the public API so
`from desktop_app.services import ledger; ledger.post_entry(...)` works:

    books        whose books, closed months, balances, seeding the default accounts
    accounts     accounts and categories
    budgets      budgets against actual spending
    entries      reading entries and voucher data
    statements   balances, monthly statement, annual summary, account ledger
    posting      posting, reversals, voucher numbers, month closing
    month_balances  closed months' totals kept for the yearly figures; rebuilding them
    attachments  receipts linked to entries
    printing     print_* (PDF) and the XLSX export
"""

from desktop_app.services.ledger.accounts import (
    add_account,
    categories,
    dues_account_id,
    find_account,
    list_accounts,
    rename_account,
    set_account_active,
)
from desktop_app.services.ledger.attachments import (
    MAX_ATTACHMENT_BYTES,
    add_attachment,
    attachments_dir,
    list_attachments,
)
from desktop_app.services.ledger.books import (
    book_org_id,
    books,
    check_costs_open,
    closed_set_in,
    ensure_accounts,
    ensure_accounts_in,
    own_book_refusal,
)
from desktop_app.services.ledger.budgets import budget_report, carry_budgets, remove_budget, set_budget
from desktop_app.services.ledger.entries import (
    EntryFilter,
    entry_count,
    entry_ids,
    get_entry,
    list_entries,
    vouchers,
)
from desktop_app.services.ledger.month_balances import rebuild_balances
from desktop_app.services.ledger.posting import (
    EntryInput,
    close_month,
    closed_months,
    next_month_to_close,
    post_entry,
    post_in,
    reverse_entry,
    reverse_in,
    suggest_voucher_no,
)
from desktop_app.services.ledger.printing import (
    export_entries_xlsx,
    print_account_ledger,
    print_annual_ledger,
    print_vouchers,
)
from desktop_app.services.ledger.statements import (
    account_ledger,
    balance,
    balances,
    monthly_funds,
    monthly_statement,
    yearly_funds,
    yearly_statement,
)
from desktop_app.views.ledger import (
    AccountBalance,
    AccountInfo,
    AccountLedger,
    AnnualSummary,
    AttachmentInfo,
    BudgetLine,
    CategoryTotal,
    EntryRow,
    MonthStatement,
    MonthTotal,
    PostResult,
    StatementLine,
    VoucherData,
)

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "AccountBalance",
    "AccountInfo",
    "AccountLedger",
    "AnnualSummary",
    "AttachmentInfo",
    "BudgetLine",
    "CategoryTotal",
    "EntryFilter",
    "EntryInput",
    "EntryRow",
    "MonthStatement",
    "MonthTotal",
    "PostResult",
    "StatementLine",
    "VoucherData",
    "account_ledger",
    "add_account",
    "add_attachment",
    "attachments_dir",
    "balance",
    "balances",
    "book_org_id",
    "books",
    "budget_report",
    "carry_budgets",
    "categories",
    "check_costs_open",
    "close_month",
    "closed_months",
    "closed_set_in",
    "dues_account_id",
    "ensure_accounts",
    "ensure_accounts_in",
    "entry_count",
    "entry_ids",
    "export_entries_xlsx",
    "find_account",
    "get_entry",
    "list_accounts",
    "list_attachments",
    "list_entries",
    "monthly_funds",
    "monthly_statement",
    "next_month_to_close",
    "own_book_refusal",
    "post_entry",
    "post_in",
    "print_account_ledger",
    "print_annual_ledger",
    "print_vouchers",
    "rebuild_balances",
    "remove_budget",
    "rename_account",
    "reverse_entry",
    "reverse_in",
    "set_account_active",
    "set_budget",
    "suggest_voucher_no",
    "vouchers",
    "yearly_funds",
    "yearly_statement",
]
