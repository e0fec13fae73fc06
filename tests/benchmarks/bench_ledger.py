"""A ledger of 200,000 entries: balance and monthly statement beside a plain SQL SUM, as a ratio.

The baseline is the cheapest question the table can answer, `SELECT SUM(amount_fen)
FROM ledger_entry` over every row, on the same file in the same run. A balance
reads one account's rows up to a date (through the covering index); a monthly
statement groups one month and sums everything before it.

The books are kept as a center keeps them: every month closed (结账) up to
November 2024, December still open. Closing keeps each month's balances, so the
yearly summary and the 收支明细账's opening balance read those rows for the
closed months and entries only for December; the time to close all 119 months
(each building its month balances) is printed too.

Run: python -m tests.benchmarks ledger   (--quick: 2,000 entries; --scale 10: 2,000,000)
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.figures import record

ENTRIES = 200_000
YEARS = range(2015, 2025)  # ten years of 20,000 entries
RUNS = 7


def _fill(db, n: int = ENTRIES) -> tuple[list[str], float]:
    from sqlalchemy import insert

    from desktop_app.domain import ledger as rules
    from desktop_app.services import ledger
    from desktop_app.services.uow import UnitOfWork
    from desktop_app.store.base import sync_values, utcnow
    from desktop_app.store.models_ledger import LedgerEntry

    accounts = [a.id for a in ledger.list_accounts(db)]
    rng = random.Random(6)
    per_year = n // len(YEARS)

    def year_rows(year: int) -> list[dict]:
        days = sorted(rng.randrange(365) for _ in range(per_year))
        rows = []
        for seq, day in enumerate(days, start=1):
            income = rng.random() < 0.3
            rows.append({
                "account_id": rng.choice(accounts),
                "entry_date": date(year, 1, 1) + timedelta(days=day),
                "direction": rules.INCOME if income else rules.EXPENSE,
                "amount_fen": rng.randint(100, 5_000_000 if income else 500_000),
                "category": rng.choice(("活动", "慰问", "办公", "培训")),
                "voucher_no": rules.format_voucher(year, seq),
                "counterparty": "惠民超市", "handler": "王芳", "entered_by": "李明", "memo": "基准测试",
                "reversal_of": None, "project_id": None, "meeting_id": None, "activity_id": None,
            })
        return rows

    t0 = time.perf_counter()
    with UnitOfWork(db) as uow:  # a year at a time: 2,000,000 entries at --scale 10 need not sit in memory
        s = uow.session
        book = ledger.book_org_id(s)
        now = utcnow()
        for year in YEARS:
            rows = year_rows(year)
            for i in range(0, len(rows), 5000):
                s.execute(
                    insert(LedgerEntry.__table__),
                    [{**sync_values(uow.site_id, now), "org_id": book, **r} for r in rows[i:i + 5000]],
                )
        uow.commit()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    return accounts, time.perf_counter() - t0


def _close_months(db) -> tuple[int, float]:
    """结账 month by month, January of the first year to November 2024 (December stays open)."""
    from desktop_app.services import ledger

    t0 = time.perf_counter()
    n = 0
    month = date(YEARS[0], 1, 1)
    while month < date(YEARS[-1], 12, 1):
        ledger.close_month(db, month, "王芳")
        n += 1
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return n, time.perf_counter() - t0


def _median(fn, runs: int = RUNS) -> float:
    """Median CPU seconds (SQLite runs in this process): on the shared machine wall time swings with the load."""
    fn()  # warm the page cache and the ORM's compiled statements
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main(quick: bool = False, scale: int = 1) -> None:
    n = 2000 if quick else ENTRIES * scale
    from desktop_app.services import ledger, site
    from desktop_app.services.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        db, _ = open_database(Path(tmp) / "bench_ledger.db")
        site.init_site(db, "320102001", "幸福里社区党委", "community")
        accounts, fill = _fill(db, n)
        closed, closing = _close_months(db)
        account = accounts[0]

        def plain_sum():
            with db.engine.connect() as conn:
                return conn.exec_driver_sql("SELECT SUM(amount_fen) FROM ledger_entry").scalar()

        checks = {
            "balance (one account, at a date)": lambda: ledger.balance(db, account, date(2024, 6, 30)),
            "monthly statement (2024-06)": lambda: ledger.monthly_statement(db, 2024, 6),
            "yearly summary (2024)": lambda: ledger.yearly_statement(db, 2024),
            "收支明细账 data (one account, 2024)": lambda: ledger.account_ledger(
                db, account, date(2024, 1, 1), date(2024, 12, 31)),
        }
        base = _median(plain_sum)
        results = {name: _median(fn) for name, fn in checks.items()}
        # The figures agree with the plain SUM they are measured against.
        statement = ledger.monthly_statement(db, 2024, 12)
        assert sum(x.closing_fen for x in statement.lines) == sum(
            b.balance_fen for b in ledger.balances(db, date(2024, 12, 31))
        )
        db.dispose()

    print(f"{n:,} entries inserted in {fill:.2f} s; {closed} months closed in {closing:.2f} s "
          f"({closing / closed * 1000:.0f} ms a month, its month balances included)")
    print(f"plain SQL SUM over the table:          {base * 1000:7.1f} ms")
    for name, t in results.items():
        print(f"{name:38s} {t * 1000:7.1f} ms   ratio {t / base:5.2f}x")
        target = 2 if name.startswith(("yearly", "收支明细账")) else None
        record("ledger", name, t, "s", base, "plain SQL SUM", target, f"{n:,} entries")


if __name__ == "__main__":
    main()
