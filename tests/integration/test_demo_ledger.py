"""The ledger and dues demo: a year of books an auditor would accept, on top of demo.generate."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import text

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import Conflict
from desktop_app.services import demo, dues, ledger

TODAY = date(2026, 5, 20)


@pytest.fixture
def demo_db(empty_db):
    demo.generate(empty_db, members=120, seed=3, with_modules=False)
    return empty_db


def test_a_year_of_books_that_add_up(demo_db):
    db = demo_db
    counts = demo.add_ledger(db, seed=3, today=TODAY)
    assert counts["entries"] > 100 and counts["dues_records"] > 500 and counts["reversals"] >= 2
    assert counts["budgets"] > 4 and counts["dues_bases"] >= 100

    entries = ledger.list_entries(db)
    assert len(entries) == counts["entries"]
    assert entries[0].entry_date == date(2025, 1, 1) and entries[-1].entry_date <= TODAY
    # Voucher numbers: unique, and 1..n in date order within each year.
    by_year = defaultdict(list)
    for e in entries:
        by_year[e.entry_date.year].append(e)
    for year, rows in by_year.items():
        rows.sort(key=lambda e: e.voucher_no)
        assert [e.voucher_no for e in rows] == [rules.format_voucher(year, i) for i in range(1, len(rows) + 1)]
        assert [e.entry_date for e in rows] == sorted(e.entry_date for e in rows)
    # Reversals point back, net to zero, and name what they reverse.
    for rev in (e for e in entries if e.is_reversal):
        orig = ledger.get_entry(db, rev.reversal_of)
        assert rev.amount_fen == -orig.amount_fen and rev.entry_date >= orig.entry_date
        assert rev.memo.startswith(f"红字冲销 {orig.voucher_no}：")
    # Months are closed in order up to the one before last.
    closed = ledger.closed_months(db)
    assert closed[0] == date(2025, 1, 1) and closed[-1] == date(2026, 3, 1)
    assert len(closed) == counts["closed_months"] == 15
    assert ledger.next_month_to_close(db, today=TODAY) == date(2026, 4, 1)

    # Every dues record points to the 党费收缴 entry that holds its money, to the fen.
    with db.engine.connect() as con:  # as stored, past the services (file or server)
        mismatched = con.execute(text(
            "SELECT e.voucher_no FROM ledger_entry e JOIN dues_record r ON r.ledger_entry_id = e.id "
            "GROUP BY e.id HAVING SUM(r.paid_fen) != e.amount_fen"
        )).all()
        orphans = con.execute(text(
            "SELECT count(*) FROM ledger_entry e JOIN account a ON a.id = e.account_id "
            "WHERE a.kind = 'dues' AND e.category = '党费收缴' "
            "AND NOT EXISTS (SELECT 1 FROM dues_record r WHERE r.ledger_entry_id = e.id)"
        )).scalar()
    assert mismatched == [] and orphans == 0
    # Collected dues go to the street each quarter: the 党费 account keeps little.
    dues_account = next(b for b in ledger.balances(db, TODAY) if b.kind == rules.DUES_KIND)
    assert 0 <= dues_account.balance_fen < dues_account.income_fen // 3
    # Budgets: some line is near or over, as in any real year.
    levels = {b.state.level for b in ledger.budget_report(db, 2025)}
    assert levels & {rules.NEAR, rules.REACHED, rules.OVER}

    # Late payers and members who went missing (失联) owe dues; some owe six months in a row.
    owing = dues.arrears(db, today=TODAY)
    assert owing and any(r.lapse_risk for r in owing)
    with db.engine.connect() as con:
        lost = set(con.execute(text("SELECT id FROM member WHERE status = '失联'")).scalars())
        joined_later = set(con.execute(text("SELECT id FROM member WHERE joined_date > :d"), {"d": TODAY}).scalars())
        at_work = set(con.execute(text("SELECT id FROM member WHERE reporting_employer != ''")).scalars())
    assert lost <= {r.member_id for r in owing}
    # Everyone has a dues base, except members who join after the demo's "today" and the 在职党员 the demo
    # moves into the 双报到 register (their dues are paid at work): none of theirs are kept.
    assert {r.member_id for r in dues.members_without_base(db)} <= joined_later | at_work
    with db.engine.connect() as con:
        assert not con.execute(text("SELECT 1 FROM dues_record r JOIN member m ON m.id = r.member_id"
                                    " WHERE m.reporting_employer != ''")).first()


def test_the_demo_fills_an_empty_ledger_only_and_follows_its_seed(demo_db, tmp_path):
    first = demo.add_ledger(demo_db, seed=3, today=TODAY)
    with pytest.raises(Conflict):
        demo.add_ledger(demo_db, seed=3, today=TODAY)
    from desktop_app.store.migrate import open_database

    other, _ = open_database(tmp_path / "again.db")
    demo.generate(other, members=120, seed=3, with_modules=False)
    again = demo.add_ledger(other, seed=3, today=TODAY)
    assert {k: v for k, v in again.items() if k != "dues_records"} == {
        k: v for k, v in first.items() if k != "dues_records"
    }
    other.dispose()


def test_the_ledger_keeps_working_after_the_demo(demo_db):
    db = demo_db
    demo.add_ledger(db, seed=3, today=TODAY)
    acc = ledger.list_accounts(db)[0]
    e = ledger.post_entry(db, ledger.EntryInput(date(2026, 4, 10), acc.id, "支出", 12345, "活动", memo="测试")).entry
    year_entries = [x for x in ledger.list_entries(db) if x.entry_date.year == 2026]
    assert e.voucher_no == rules.format_voucher(2026, len(year_entries))
    with pytest.raises(Conflict):
        ledger.post_entry(db, ledger.EntryInput(date(2026, 3, 10), acc.id, "支出", 100, "活动", memo="补记"))
