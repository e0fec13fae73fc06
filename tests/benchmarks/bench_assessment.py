"""A year's 五好党支部 assessment of a demo community, beside a plain SQL pass over the year's attendance.

The baseline is one read of the year's attendance rows joined to their meetings
(`SELECT … FROM attendance JOIN meeting` for the year), the largest table the
assessment reads, on the same file in the same run. The assessment scores every
branch of the year in one computation (each fact one query for all branches),
so it stays a small multiple of that read however many branches there are.

Run: python -m tests.benchmarks assessment
"""

from __future__ import annotations

import statistics
import os
import tempfile
import time
from datetime import date
from pathlib import Path

from tests.benchmarks.figures import record

MEMBERS = 2000
RUNS = 5


def _median(fn, runs: int = RUNS) -> float:
    """Median CPU seconds (SQLite runs in this process): on the shared machine wall time swings with the load."""
    fn()  # warm the page cache and the compiled statements
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main(quick: bool = False, scale: int = 1) -> None:
    members = 100 if quick else MEMBERS * scale
    from desktop_app.services import assessment as asm
    from desktop_app.services import demo
    from desktop_app.services.database import open_database

    year = date.today().year
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DANGQUN_DATA_DIR"] = str(Path(tmp) / "data")  # the demo's photos and backups: never the user's own folder
        db, _ = open_database(Path(tmp) / "bench_assessment.db")
        t0 = time.perf_counter()
        demo.generate(db, members=members, seed=7)
        fill = time.perf_counter() - t0

        def plain_read():
            with db.engine.connect() as conn:
                return len(conn.exec_driver_sql(
                    "SELECT a.meeting_id, a.status, a.is_guest FROM attendance a JOIN meeting m ON m.id = a.meeting_id"
                    " WHERE a.deleted = 0 AND m.deleted = 0 AND m.meeting_date BETWEEN ? AND ?",
                    (f"{year}-01-01", f"{year}-12-31")).all())

        checks = {
            "assess_year (every branch, ranked)": lambda: asm.assess_year(db, year),
            "branch_assessments (every form's data)": lambda: asm.branch_assessments(db, year),
            "compare_communities (互比互看)": lambda: asm.compare_communities(db, year),
        }
        base = _median(plain_read)
        results = {name: _median(fn) for name, fn in checks.items()}
        branches = len(asm.assess_year(db, year).rows)
        db.dispose()

    print(f"demo community of {members:,} members, {branches} branches, made in {fill:.1f} s")
    print(f"plain SQL read of the year's attendance:   {base * 1000:7.1f} ms")
    for name, t in results.items():
        print(f"{name:42s} {t * 1000:7.1f} ms   ratio {t / base:5.2f}x")
        record("assessment", name, t, "s", base, "plain SQL read of the attendance", size=f"{members:,} members")


if __name__ == "__main__":
    main()
