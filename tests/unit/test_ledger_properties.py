"""Properties: a balance always equals the sum of its entries; a reversal nets to zero.

The ledger properties run against a real migrated SQLite file (one per module,
a fresh account per example), so they exercise the SQL sums, not a model of them.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain import ledger as rules
from desktop_app.domain.money import amount_in_capitals, format_yuan, parse_yuan
from desktop_app.services import ledger

START = date(2019, 1, 1)
DAYS = 5 * 365

amounts = st.integers(min_value=1, max_value=5_000_000_00)
entries = st.lists(
    st.tuples(st.integers(0, DAYS), st.sampled_from(rules.DIRECTIONS), amounts, st.booleans()),
    min_size=1,
    max_size=12,
)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from desktop_app.services import site
    from desktop_app.store.migrate import open_database

    db, _ = open_database(tmp_path_factory.mktemp("prop") / "ledger.db")
    site.init_site(db, "320102001", "幸福里社区党委", "community")
    yield db
    db.dispose()


@given(fen=st.integers(min_value=-10**14, max_value=10**14))
def test_yuan_text_round_trips(fen):
    assert parse_yuan(format_yuan(fen), allow_negative=True) == fen
    assert parse_yuan(format_yuan(fen, grouping=False, symbol=True), allow_negative=True) == fen


@given(fen=st.integers(min_value=-10**14, max_value=10**14))
def test_capitals_are_well_formed(fen):
    words = amount_in_capitals(fen)
    assert words.startswith("负") == (fen < 0)
    assert "零零" not in words
    assert words.endswith("整") == (fen % 10 == 0)
    assert ("分" in words) == (abs(fen) % 10 != 0)


@given(budget=st.integers(0, 10**9), spent=st.integers(-10**6, 10**9), more=st.integers(0, 10**8))
def test_spending_more_never_lowers_the_warning_level(budget, spent, more):
    order = [rules.OK, rules.NEAR, rules.REACHED, rules.OVER]
    a = rules.budget_state(budget, spent).level
    b = rules.budget_state(budget, spent + more).level
    assert order.index(b) >= order.index(a)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=entries, probes=st.lists(st.integers(-10, DAYS + 10), min_size=1, max_size=5))
def test_balance_equals_the_sum_of_entries_and_reversals_net_to_zero(book, items, probes):
    account = ledger.add_account(book, f"测试{uuid.uuid4().hex[:8]}")
    posted = []
    for offset, direction, amount, _ in items:
        result = ledger.post_entry(
            book, ledger.EntryInput(START + timedelta(days=offset), account.id, direction, amount, "测试")
        )
        posted.append(result.entry)

    def expected(on: date, rows) -> int:
        return sum(rules.signed(e.direction, e.amount_fen) for e in rows if e.entry_date <= on)

    for p in probes:
        on = START + timedelta(days=p)
        assert ledger.balance(book, account.id, on) == expected(on, posted)

    # Reverse the entries marked so; each reversal is dated on or after its original.
    reversals = []
    for (offset, *_rest, reverse), entry in zip(items, posted):
        if reverse:
            on = entry.entry_date + timedelta(days=offset % 40)
            rev = ledger.reverse_entry(book, entry.id, "录入错误", on).entry
            assert rev.reversal_of == entry.id and rev.amount_fen == -entry.amount_fen
            assert rev.signed_fen + entry.signed_fen == 0
            reversals.append(rev)

    everything = posted + reversals
    end = START + timedelta(days=DAYS + 60)
    final = ledger.balance(book, account.id, end)
    assert final == expected(end, everything)
    kept = [e for e, (*_x, reverse) in zip(posted, items) if not reverse]
    assert final == sum(e.signed_fen for e in kept)  # reversed pairs vanish from the balance

    # The grouped views agree with the single-account sum.
    by_account = {b.account_id: b for b in ledger.balances(book, end)}
    assert by_account[account.id].balance_fen == final
    book_view = ledger.account_ledger(book, account.id, START, end)
    assert book_view.closing_fen == final
    assert [bal for _, bal in book_view.running()][-1] == final
    year = items[0][0] // 365 + START.year
    statement = ledger.yearly_statement(book, year)
    line = next(x for x in statement.lines if x.account_id == account.id)
    assert line.closing_fen == ledger.balance(book, account.id, date(year, 12, 31))
    assert line.opening_fen == ledger.balance(book, account.id, date(year - 1, 12, 31))
