"""沿用上年预算: in January the new year's budget starts from last year's lines, not from a blank table."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import ledger


def acc(db, name):
    return next(a for a in ledger.list_accounts(db) if a.name == name)


def lines(db, year):
    return {(b.account_name, b.category): (b.budget_fen, b.note) for b in ledger.budget_report(db, year)
            if b.budget_fen is not None}


def test_last_years_lines_are_carried_and_a_line_already_set_is_kept(db):
    service, party, spare = acc(db, "服务群众专项经费"), acc(db, "党建工作经费"), ledger.add_account(db, "临时账户")
    ledger.set_budget(db, service.id, 2026, 16_600_000, note="街道下拨")
    ledger.set_budget(db, service.id, 2026, 2_500_000, "慰问")
    ledger.set_budget(db, party.id, 2026, 1_000_000)
    ledger.set_budget(db, spare.id, 2026, 50_000)
    ledger.set_account_active(db, spare.id, False)  # stopped since: its line stays behind
    ledger.set_budget(db, party.id, 2027, 1_200_000, note="已调整")  # set before carrying: kept

    carried = ledger.carry_budgets(db, 2026, 2027)

    assert {(b.account_name, b.category) for b in carried} == {("服务群众专项经费", ""), ("服务群众专项经费", "慰问")}
    assert lines(db, 2027) == {
        ("服务群众专项经费", ""): (16_600_000, "街道下拨"),
        ("服务群众专项经费", "慰问"): (2_500_000, ""),
        ("党建工作经费", ""): (1_200_000, "已调整"),
    }
    assert len(lines(db, 2026)) == 4  # last year's lines untouched, the stopped account's too


def test_nothing_to_carry_is_said(db):
    with pytest.raises(ValidationError) as exc:
        ledger.carry_budgets(db, 2026, 2027)
    assert exc.value.message == "2026年没有可沿用的预算"
    ledger.set_budget(db, acc(db, "党建工作经费").id, 2026, 1_000_000)
    ledger.carry_budgets(db, 2026, 2027)
    with pytest.raises(ValidationError) as exc:
        ledger.carry_budgets(db, 2026, 2027)
    assert exc.value.message == "2027年的预算已全部设置，没有需要沿用的"


def test_a_removed_line_of_the_new_year_may_be_carried_again(db):
    party = acc(db, "党建工作经费")
    ledger.set_budget(db, party.id, 2026, 1_000_000)
    first = ledger.carry_budgets(db, 2026, 2027)
    ledger.remove_budget(db, first[0].budget_id)
    again = ledger.carry_budgets(db, 2026, 2027)
    assert [(b.budget_fen, b.budget_id) for b in again] == [(1_000_000, first[0].budget_id)]
