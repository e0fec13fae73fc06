"""Month balances of the ledger: the yearly figures read them, and they always equal summing the entries.

Random postings, reversals, closings and reopenings on a real database (an
SQLite file, or PostgreSQL under DANGQUN_PG_TEST=1); after each step the year's
summary, a month's statement and a 收支明细账 are compared with sums made here
straight from the stored entries. A month is reopened the ways a database can
see it happen: its ClosedMonth row deleted, changed (version + 1) or tombstoned.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, audit_log, ledger
from desktop_app.services.auth import PermissionDenied
from desktop_app.views.ledger import LedgerLine

TODAY = date(2024, 6, 15)
YEARS = (2022, 2023, 2024)
CATEGORIES = ("活动", "慰问", "办公", "")
MEMOS = ("", "", "春节走访")  # the 收支明细账 prints 类别：摘要, or whichever of the two is given


def stored_entries(db) -> list[tuple]:
    with db.engine.connect() as con:
        return [
            (acc, d if isinstance(d, date) else date.fromisoformat(d), direction, int(amount), cat, rev)
            for acc, d, direction, amount, cat, rev in con.execute(text(
                "SELECT account_id, entry_date, direction, amount_fen, category, reversal_of "
                "FROM ledger_entry WHERE deleted = :f"), {"f": False})
        ]


def signed(direction: str, amount: int) -> int:
    return amount if direction == rules.INCOME else -amount


def expected_year(entries, year: int):
    first, last = date(year, 1, 1), date(year, 12, 31)
    opening, inc, exp = defaultdict(int), defaultdict(int), defaultdict(int)
    cats, months = defaultdict(int), defaultdict(lambda: [0, 0])
    count = reversals = 0
    for acc, d, direction, amount, cat, rev in entries:
        if d < first:
            opening[acc] += signed(direction, amount)
        elif d <= last:
            count += 1
            reversals += rev is not None
            (inc if direction == rules.INCOME else exp)[acc] += amount
            cats[(acc, direction, cat)] += amount
            months[d.month][0 if direction == rules.INCOME else 1] += amount
    return opening, inc, exp, {k: v for k, v in cats.items() if v}, months, count, reversals


def check_year(db, entries, year: int) -> None:
    opening, inc, exp, cats, months, count, reversals = expected_year(entries, year)
    s = ledger.yearly_statement(db, year)
    assert {x.account_id: x.opening_fen for x in s.lines} == {x.account_id: opening[x.account_id] for x in s.lines}
    assert {x.account_id: (x.income_fen, x.expense_fen) for x in s.lines} == {
        x.account_id: (inc[x.account_id], exp[x.account_id]) for x in s.lines}
    assert {(c.account_id, c.direction, c.category): c.amount_fen for c in s.categories} == cats
    assert [(m.income_fen, m.expense_fen) for m in s.months] == [tuple(months[m]) for m in range(1, 13)]
    assert (s.entry_count, s.reversal_count) == (count, reversals)


def check_month(db, entries, year: int, month: int) -> None:
    first = date(year, month, 1)
    last = rules.month_end(first)
    st = ledger.monthly_statement(db, year, month)
    for line in st.lines:
        mine = [e for e in entries if e[0] == line.account_id]
        assert line.opening_fen == sum(signed(e[2], e[3]) for e in mine if e[1] < first)
        assert line.income_fen == sum(e[3] for e in mine if first <= e[1] <= last and e[2] == rules.INCOME)
        assert line.expense_fen == sum(e[3] for e in mine if first <= e[1] <= last and e[2] == rules.EXPENSE)
    assert st.entry_count == sum(1 for e in entries if first <= e[1] <= last)


def check_account_ledger(db, entries, account_id: str, first: date, last: date) -> None:
    data = ledger.account_ledger(db, account_id, first, last)
    mine = [e for e in entries if e[0] == account_id]
    assert data.opening_fen == sum(signed(e[2], e[3]) for e in mine if e[1] < first)
    assert len(data.lines) == sum(1 for e in mine if first <= e[1] <= last)
    assert data.closing_fen == sum(signed(e[2], e[3]) for e in mine if e[1] <= last)
    # Its lines print what the entry list shows of the same entries, in its order, reversal links and all,
    # each with the running balance from the opening.
    rows = ledger.list_entries(db, ledger.EntryFilter(account_id, first, last))
    balance, expected = data.opening_fen, []
    for r in rows:
        balance += r.signed_fen
        expected.append(LedgerLine(r.entry_date, r.voucher_no, r.summary, r.counterparty, r.income_fen,
                                   r.expense_fen, r.is_reversal, balance, r.reversed_by_voucher))
    assert list(data.lines) == expected
    assert [type(x.is_reversal) for x in data.lines] == [bool] * len(rows)


def check_all(db, rng) -> None:
    entries = stored_entries(db)
    for year in YEARS:
        check_year(db, entries, year)
    year, month = rng.choice(YEARS), rng.randint(1, 12)
    check_month(db, entries, year, month)
    accounts = [a.id for a in ledger.list_accounts(db)]
    a = date(2022, 1, 1) + timedelta(days=rng.randrange(900))  # periods that start and end inside a month
    check_account_ledger(db, entries, rng.choice(accounts), a, a + timedelta(days=rng.randrange(1, 400)))


def reopen(db, how: str, month: date) -> None:
    """A month reopened as a database sees it: its ClosedMonth row gone, changed, or tombstoned."""
    with db.engine.begin() as con:
        if how == "delete":
            con.execute(text("DELETE FROM closed_month WHERE month = :m"), {"m": month})
        elif how == "change":
            con.execute(text("UPDATE closed_month SET note = 'changed', version = version + 1 WHERE month = :m"),
                        {"m": month})
        else:
            con.execute(text("UPDATE closed_month SET deleted = :t, version = version + 1 WHERE month = :m"),
                        {"m": month, "t": True})


def random_day(rng) -> date:
    d = date(2022, 1, 1) + timedelta(days=rng.randrange((TODAY - date(2022, 1, 1)).days))
    edge = rng.random()  # a month's first and last days often: where month rows and entries meet
    return rules.month_of(d) if edge < 0.2 else min(rules.month_end(d), TODAY) if edge < 0.4 else d


def step(db, rng, posted: list[str]) -> None:
    accounts = [a.id for a in ledger.list_accounts(db)]
    r = rng.random()
    try:
        if r < 0.55:
            direction = rules.INCOME if rng.random() < 0.4 else rules.EXPENSE
            e = ledger.post_entry(db, ledger.EntryInput(
                random_day(rng), rng.choice(accounts), direction, rng.randint(1, 900_000), rng.choice(CATEGORIES),
                counterparty=rng.choice(("", "惠民超市")), handler="王芳", entered_by="李明",
                memo=rng.choice(MEMOS))).entry
            posted.append(e.id)
        elif r < 0.65 and posted:
            ledger.reverse_entry(db, rng.choice(posted), "金额有误", random_day(rng))
        elif r < 0.9:
            month = ledger.next_month_to_close(db, TODAY)
            if month is not None:
                ledger.close_month(db, month, "王芳", today=TODAY)
        else:
            closed = ledger.closed_months(db)
            if closed:
                month, how = rng.choice(closed), rng.choice(("delete", "delete", "change"))
                reopen(db, how, month)
                if how == "delete":  # a reopened month takes entries again: its kept rows are stale now
                    e = ledger.post_entry(db, ledger.EntryInput(
                        month + timedelta(days=rng.randrange(28)), rng.choice(accounts), rules.INCOME,
                        rng.randint(1, 900_000), rng.choice(CATEGORIES))).entry
                    posted.append(e.id)
    except DomainError:
        pass  # a post into a closed month, a second reversal: refused, nothing written


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_yearly_figures_equal_summing_the_entries_through_postings_closings_and_reopenings(db, seed):
    rng = random.Random(seed)
    posted: list[str] = []
    for _ in range(40):  # entries over two and a half years first, so closings have something to keep
        e = ledger.post_entry(db, ledger.EntryInput(
            random_day(rng), rng.choice([a.id for a in ledger.list_accounts(db)]),
            rng.choice(rules.DIRECTIONS), rng.randint(1, 900_000), rng.choice(CATEGORIES))).entry
        posted.append(e.id)
    for i in range(60):
        step(db, rng, posted)
        if i % 6 == 5:
            check_all(db, rng)
    assert built_months(db)  # the figures above came partly from month balances
    # Rebuilding changes nothing that is read; a tombstoned month then falls back to its entries.
    assert ledger.rebuild_balances(db) == len(ledger.closed_months(db))
    check_all(db, rng)
    closed = ledger.closed_months(db)
    if closed:
        reopen(db, "tombstone", rng.choice(closed))
        check_all(db, rng)


def built_months(db) -> set:
    with db.engine.connect() as con:
        return set(con.execute(text("SELECT DISTINCT month FROM ledger_month_balance")).scalars())


def test_closing_a_month_keeps_its_balances_and_the_year_reads_them(db):
    acc = ledger.list_accounts(db)[0]
    for d, amount in ((date(2023, 1, 5), 1000), (date(2023, 1, 20), 2500), (date(2023, 2, 3), 700)):
        ledger.post_entry(db, ledger.EntryInput(d, acc.id, rules.EXPENSE, amount, "活动"))
    ledger.close_month(db, date(2023, 1, 1), "王芳", today=TODAY)
    with db.engine.connect() as con:
        rows = con.execute(text(
            "SELECT account_id, amount_fen, entries FROM ledger_month_balance WHERE amount_fen <> 0")).all()
        idle = con.execute(text("SELECT count(*) FROM ledger_month_balance WHERE amount_fen = 0")).scalar()
    assert [(r[0], int(r[1]), r[2]) for r in rows] == [(acc.id, 3500, 2)]
    assert idle == len(ledger.list_accounts(db)) - 1  # every other account: a zero row, so the month is known built
    # Proof the year reads the kept row, not January's entries: a row altered behind the service shows through ...
    with db.engine.begin() as con:
        con.execute(text("UPDATE ledger_month_balance SET amount_fen = 99 WHERE amount_fen = 3500"))
    line = next(x for x in ledger.yearly_statement(db, 2023).lines if x.account_id == acc.id)
    assert line.expense_fen == 99 + 700
    assert ledger.monthly_statement(db, 2023, 2).lines[0].opening_fen == -99
    # ... and rebuilding puts it right from the entries.
    assert ledger.rebuild_balances(db) == 1
    line = next(x for x in ledger.yearly_statement(db, 2023).lines if x.account_id == acc.id)
    assert line.expense_fen == 3500 + 700
    assert ledger.account_ledger(db, acc.id, date(2023, 2, 1), date(2023, 2, 28)).opening_fen == -3500


def test_a_reopened_month_is_read_from_its_entries_until_closed_again(db):
    acc = ledger.list_accounts(db)[0]
    ledger.post_entry(db, ledger.EntryInput(date(2023, 1, 5), acc.id, rules.INCOME, 5000, "活动"))
    ledger.close_month(db, date(2023, 1, 1), "王芳", today=TODAY)
    reopen(db, "delete", date(2023, 1, 1))
    ledger.post_entry(db, ledger.EntryInput(date(2023, 1, 9), acc.id, rules.INCOME, 300, "活动"))
    assert ledger.yearly_statement(db, 2023).lines[0].income_fen == 5300  # the stale row is not read
    ledger.close_month(db, date(2023, 1, 1), "王芳", today=TODAY)
    with db.engine.connect() as con:
        assert con.execute(text("SELECT sum(amount_fen) FROM ledger_month_balance")).scalar() == 5300
    assert ledger.yearly_statement(db, 2023).lines[0].income_fen == 5300


def test_rebuilding_is_for_those_who_keep_the_books_and_is_audited(db):
    acc = ledger.list_accounts(db)[0]
    ledger.post_entry(db, ledger.EntryInput(date(2023, 1, 5), acc.id, rules.INCOME, 5000, "活动"))
    ledger.close_month(db, date(2023, 1, 1), "王芳", today=TODAY)
    assert ledger.rebuild_balances(db) == 1
    trail = [e for e in audit_log.search(db).rows if e.table == "ledger_month_balance"]
    assert len(trail) == 1 and "已结账 1 个月" in trail[0].note
    auth.create_user(db, "viewer1", "只读用户", "viewer", "xingfuli2026")
    auth.login(db, "viewer1", "xingfuli2026")
    with pytest.raises(PermissionDenied):
        ledger.rebuild_balances(db)


@pytest.mark.sqlite_only
def test_the_command_line_rebuilds_the_month_balances(tmp_path):
    import subprocess
    import sys

    from desktop_app.services import site
    from desktop_app.services.database import open_database

    path = tmp_path / "books.db"
    db, _ = open_database(path)
    site.init_site(db, "320102001", "幸福里社区党委", "community")
    acc = ledger.list_accounts(db)[0]
    ledger.post_entry(db, ledger.EntryInput(date(2023, 1, 5), acc.id, rules.INCOME, 5000, "活动"))
    ledger.close_month(db, date(2023, 1, 1), "王芳", today=TODAY)
    with db.engine.begin() as con:
        con.execute(text("DELETE FROM ledger_month_balance"))
    db.dispose()
    done = subprocess.run([sys.executable, "-m", "desktop_app", "ledger", "rebuild-balances", "--db", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "已结账 1 个月" in done.stdout
    db, _ = open_database(path)
    assert built_months(db) == {date(2023, 1, 1)} or built_months(db) == {"2023-01-01"}
    db.dispose()


def built_days(db) -> set[date]:
    return {m if isinstance(m, date) else date.fromisoformat(m) for m in built_months(db)}


def test_a_history_import_keeps_the_balances_of_the_months_it_closes(db, tmp_path):
    from openpyxl import Workbook

    from desktop_app.services import ledger_import

    wb = Workbook()
    ws = wb.active
    ws.append(["记账日期", "凭证编号", "科目", "摘要", "收入(元)", "支出(元)", "经手人", "类别"])
    rng = random.Random(7)
    days = sorted(date(2023, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(60))
    for k, d in enumerate(days):
        income = k % 4 == 0
        ws.append([d.isoformat(), f"2023-{k + 1}", rng.choice(["党建工作经费", "服务群众专项经费"]), "导入的账目",
                   rng.randint(100, 90_000) if income else None, None if income else rng.randint(100, 9_000),
                   "王会计", rng.choice(CATEGORIES)])
    wb.save(tmp_path / "2023.xlsx")
    plan = ledger_import.preview(db, tmp_path / "2023.xlsx", today=TODAY)
    assert not plan.errors
    assert ledger_import.apply(db, plan) == 60
    closed = set(ledger.closed_months(db))
    assert len(closed) == 12 and built_days(db) == closed  # built as it closed: no rebuild needed
    entries = stored_entries(db)
    assert len(entries) == 60
    for year in (2023, 2024):
        check_year(db, entries, year)
    check_month(db, entries, 2023, 7)
    # The rows are what the year reads: a row altered behind the service shows through.
    with db.engine.begin() as con:
        con.execute(text("UPDATE ledger_month_balance SET amount_fen = amount_fen + 1 "
                         "WHERE month = :m AND amount_fen > 0"), {"m": date(2023, 3, 1)})
    with pytest.raises(AssertionError):
        check_year(db, entries, 2023)


def test_the_demo_books_keep_the_balances_of_their_closed_months(empty_db):
    from desktop_app.services import demo

    demo.generate(empty_db, members=60, seed=5, with_modules=False)
    today = date(2026, 5, 20)
    demo.add_ledger(empty_db, seed=5, today=today)
    closed = set(ledger.closed_months(empty_db))
    assert len(closed) == 15 and built_days(empty_db) == closed
    entries = stored_entries(empty_db)
    for year in (2025, 2026):
        check_year(empty_db, entries, year)
    check_month(empty_db, entries, 2026, 4)  # the first month not closed: its opening from the kept rows
    assert ledger.rebuild_balances(empty_db) == 15
    check_year(empty_db, entries, 2025)
