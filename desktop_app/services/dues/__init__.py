"""党费: the rate table, members' bases, monthly dues, payments, arrears, the branch's yearly grid.

A payment records one DuesRecord per month paid and, in the same transaction,
posts one 党费收缴 income entry to the 党费 account; undoing it reverses that
entry, so the ledger and the dues always agree.

The package is split along its seams; this module re-exports the public API so
`from desktop_app.services import dues; dues.record_payment(...)` works:

    rates      the rate table as dated data
    facts      members' bases, records and leaving dates; each month's state
    bases      members' dues bases
    grid       the yearly grid, the registry, arrears, last paid
    payments   recording and undoing payments (posting to the ledger)
    printing   print_dues_registry, the 党费收据 (dues_receipts, print_dues_receipt)
"""

from desktop_app.services.dues.bases import bases, remove_base, set_base
from desktop_app.services.dues.facts import BaseTerms, DuesCalculator, counted
from desktop_app.services.dues.grid import (
    arrears,
    branch_grid,
    due_for,
    dues_last_paid,
    dues_last_paid_map,
    member_year,
    members_without_base,
    registry_grids,
)
from desktop_app.services.dues.payments import (
    PaymentInput,
    cancel_payment,
    record_payment,
    record_payments,
)
from desktop_app.services.dues.printing import dues_receipts, print_dues_receipt, print_dues_registry
from desktop_app.services.dues.rates import (
    RateTable,
    ensure_rate_rules,
    parse_rate,
    rate_line,
    rate_lines,
    rate_tables,
    rate_words,
    rate_rules,
    rate_rules_in,
    rates_locked,
    seed_rate_rules_in,
    set_rate_rules,
)

# The read models (month states, grid rows, arrears …) are imported from desktop_app.views.dues where they are
# declared; the GUI, the report and the tests take them from there.
__all__ = [
    "BaseTerms", "DuesCalculator", "PaymentInput", "RateTable", "parse_rate", "rate_line", "rate_lines", "rate_tables", "rate_words", "arrears", "bases", "branch_grid", "cancel_payment", "counted", "due_for",
    "dues_last_paid", "dues_last_paid_map", "ensure_rate_rules", "member_year", "members_without_base",
    "dues_receipts", "print_dues_receipt", "print_dues_registry",
    "rate_rules", "rate_rules_in", "rates_locked", "record_payment", "record_payments", "registry_grids", "remove_base",
    "seed_rate_rules_in", "set_base", "set_rate_rules",
]
