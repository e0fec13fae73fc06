"""The 年度党建工作台账 of a 3,000-member demo community, beside plain reportlab on the same rows.

The baseline lays out the same number of table rows (one per meeting, visit,
wish, project, activity and ledger line of the year) with reportlab's own
SimpleDocTemplate and Table, no database, no charts, no contents pass. The
folder adds its queries, the charts and the second layout pass for the
contents' page numbers; the issue asks it to finish under a minute.

Run: python -m tests.benchmarks annual
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

from tests.benchmarks.figures import record

MEMBERS = 3000
LIMIT_S = 60.0


def _plain_reportlab(rows: int) -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    data = [[f"2026-01-{i % 28 + 1:02d}", "第一网格党支部", "主题党日", "学习贯彻会议精神", "王小军", "30", "28", "1", "93%"]
            for i in range(rows)]
    t0 = time.perf_counter()
    story = [Table(data[i:i + 40], repeatRows=0) for i in range(0, len(data), 40)]
    SimpleDocTemplate(BytesIO(), pagesize=A4).build(story)
    return time.perf_counter() - t0


def main(quick: bool = False, scale: int = 1) -> None:
    from desktop_app.services import demo, overview

    # The demo makes at most MAX_MEMBERS (20,000) members: --scale 10 runs at that size, which the
    # figure's size says (the growth table compares sizes, not scales).
    members = 100 if quick else min(MEMBERS * scale, demo.MAX_MEMBERS)
    from desktop_app.services.database import open_database

    year = date.today().year
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DANGQUN_DATA_DIR"] = str(Path(tmp) / "data")  # the demo's photos and backups: never the user's own folder
        db, _ = open_database(Path(tmp) / "bench_annual.db")
        t0 = time.perf_counter()
        demo.generate(db, members=members, seed=7)
        fill = time.perf_counter() - t0

        t0 = time.perf_counter()
        folder = overview.annual_folder(db, year)
        model = time.perf_counter() - t0
        t0 = time.perf_counter()
        data = overview.print_annual_folder(db, year, Path(tmp) / "annual.pdf")
        whole = time.perf_counter() - t0
        rows = sum(len(s.rows) for s in folder.sections)
        db.dispose()

    base = _plain_reportlab(rows)
    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(data)).pages)
    print(f"demo community of {members:,} members made in {fill:.1f} s; the year's lists: {rows:,} rows")
    print(f"plain reportlab, the same rows as tables:      {base:6.2f} s")
    print(f"annual_folder (the read model):                 {model:6.2f} s")
    print(f"print_annual_folder ({pages} pages, with charts): {whole:6.2f} s   ratio {whole / base:5.2f}x"
          f"   {'under' if whole < LIMIT_S else 'OVER'} the {LIMIT_S:.0f} s limit")
    size = f"{members:,} members, {rows:,} rows"
    record("annual", "annual_folder (read model)", model, "s", base, "plain reportlab, same rows", size=size)
    record("annual", "print_annual_folder (PDF with charts)", whole, "s", base, "plain reportlab, same rows",
           size=size, limit_s=LIMIT_S)


if __name__ == "__main__":
    main()
