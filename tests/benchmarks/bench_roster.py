"""The roster at 100,000 members: CSV import beside raw sqlite3, and search latency per keystroke.

Import: a template CSV of 100,000 members is previewed and imported through the
program (parse, validate every row, pinyin keys, one transaction), beside two
raw sqlite3 `executemany` baselines:
- the rows the import wrote, every stored column (35 of them, the sync stamps,
  pinyin keys and status included), with the branches it created, into a copy of
  the freshly migrated database as it was just before the import (the member
  table's primary key, unique live ID number and five other indexes, its foreign
  key), on a connection set as the program sets its own (WAL, synchronous=NORMAL,
  foreign_keys=ON), a transaction per file of 100,000 as the import commits them:
  "the same rows", the floor for storing what the import stores;
- (the older figure, kept for comparison with earlier runs) the file's 21 cells
  per row as text into a table of 21 untyped columns, no key, no index, in a
  rollback-journal file: the floor for writing the bytes at all, not the same rows.

Search: on the imported roster, the ids for each prefix of a few typed queries
(name, pinyin, initials, ID and phone fragments) are fetched the way the roster
page does on every keystroke; median and 95th percentile.

The import runs in a child process of its own, so its peak memory (the child's
peak resident set, from resource.getrusage) is the import's and nothing else's.
The same rows saved as XLSX are imported too, each beside a CSV import of its own (three alternated pairs).

At --scale 10 the million members come as ten files of 100,000 into one growing roster; the CPU of
each file is printed beside the raw cost of its rows (the same rows, a transaction per file, into the
same migrated schema) and their ratio, and the last file's is recorded as a per-file figure, so the
growth table shows how much more a file costs as the roster grows (linear growth of the whole would
keep it flat) and whether the raw cost grows as much (the ratio to it, at 1x and at 10x). It does not
stay flat, in SQLite itself as much as in the program: the first file (and the second, as big as the
roster it joins) is written with the member indexes built after its rows, and the first looks nothing
up on an empty roster; later files go into the member indexes of a growing table. The primary key
takes them in one place (an import's ids are time-ordered), the roster index near it (序号 follows the
file), but the live-ID-number index takes keys spread over its whole range, so each file writes back
every leaf page of it (the rows are written in its order, one sweep). The pinyin index, which took
its keys at random places, is gone (db/versions/0032). Measured raw, ten transactions of the same
rows, CPU: the tenth file 1.49 times the first (1.64 with the pinyin index).

Run: python -m tests.benchmarks roster   (--quick: 2,000 members; --scale 10: 1,000,000)
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.figures import record

MEMBERS = int(os.environ.get("DANGQUN_BENCH_MEMBERS", "100000"))
QUICK_MEMBERS = 2000
QUERIES = ["zhang", "wxm", "王秀", "李建国", "3101", "1391", "liu", "chen"]


def _write_csv(path: Path, n: int) -> None:
    from desktop_app.demo import pools as demo_pools
    from desktop_app.domain import idcard
    from desktop_app.exchange.members import TEMPLATE_COLUMNS

    rng = random.Random(11)
    used: set[str] = set()
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(TEMPLATE_COLUMNS)
        for i in range(1, n + 1):
            gender = rng.choice((idcard.MALE, idcard.FEMALE))
            while True:
                born = date(1940, 1, 1) + timedelta(days=rng.randrange(55 * 365))
                number = idcard.make("310105", born, rng.randrange(100), gender)
                if number not in used:
                    used.add(number)
                    break
            joined = born + timedelta(days=365 * 20 + rng.randrange(3000))
            name = demo_pools.person_name(rng, gender, born.year)
            row = {
                "序号": i, "姓名": name, "所在党支部": f"第{i % 40 + 1}网格党支部", "公民身份号码": number,
                "性别": gender, "民族": "汉族", "出生日期": born.isoformat(), "学历": "本科",
                "人员类别": "正式党员", "加入党组织日期": joined.isoformat(),
                "转为正式党员日期": (joined + timedelta(days=366)).isoformat(), "工作岗位": "退休",
                "手机号码": f"139{rng.randrange(10**8):08d}", "固定电话": "", "家庭住址": "幸福里3栋",
                "党籍状态": "正常", "是否为失联党员": "否", "失去联系日期": "", "是否为流动党员": "否",
                "外出流向": "", "备注": "",
            }
            w.writerow([row[c] for c in TEMPLATE_COLUMNS])


def _write_xlsx(source: Path, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员信息")
    with open(source, encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(path)


# In a fresh process: open a new database, preview and apply the files one after another (a file
# holds at most exchange.safety.MAX_ROWS rows, so the 10x run imports several), report the summed
# times and the peak memory.
IMPORT = r"""
import json, resource, sys, time
from pathlib import Path
def peak_kb():
    # This process's own high-water mark: ru_maxrss carries over the parent's through fork and exec
    # (a benchmark that has just held 100,000 rows itself would show as the import's peak).
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from desktop_app.services import roster, site
from desktop_app.services.database import open_database
db, _ = open_database(Path(sys.argv[1]))
site.init_site(db, "310105001", "幸福里社区党委", "community")
with db.engine.connect() as conn:  # the database as the import finds it, for the same-rows baseline
    conn.exec_driver_sql("VACUUM INTO ?", (str(Path(sys.argv[1]).with_suffix(".before.db")),))
before = peak_kb()
c0 = time.process_time()
spent = {"preview": 0.0, "write": 0.0}
added = 0
per_file = []  # CPU of each file's preview and apply: whether a file costs more as the roster grows
for source in sys.argv[2:-1]:
    t0, f0 = time.perf_counter(), time.process_time()
    preview = roster.preview_import(db, Path(source))
    t1, f1 = time.perf_counter(), time.process_time()
    added += roster.apply_import(db, preview).added
    spent["preview"] += t1 - t0
    spent["write"] += time.perf_counter() - t1
    per_file.append((f1 - f0, time.process_time() - f1))
c2 = time.process_time()
assert added == int(sys.argv[-1]), added
peak = peak_kb()
print(json.dumps({**spent, "cpu": c2 - c0, "peak_mb": peak / 1024, "before_mb": before / 1024, "per_file": per_file}))
"""


def _split(source: Path, rows_per_file: int) -> list[Path]:
    """The CSV as files of at most rows_per_file rows each, the header repeated (just the file if it fits)."""
    with open(source, encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    if len(rows) <= rows_per_file:
        return [source]
    parts = []
    for i in range(0, len(rows), rows_per_file):
        part = source.with_name(f"{source.stem}_{len(parts) + 1}.csv")
        with open(part, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([header, *rows[i:i + rows_per_file]])
        parts.append(part)
    return parts


def _import(db_path: Path, sources: list[Path], n: int) -> dict:
    out = subprocess.run([sys.executable, "-c", IMPORT, str(db_path), *map(str, sources), str(n)],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _raw_baseline(path: Path, rows: list[tuple]) -> tuple[float, float]:
    """Wall and CPU seconds of the plain executemany."""
    con = sqlite3.connect(path)
    cols = ", ".join(f"c{i}" for i in range(len(rows[0])))
    con.execute(f"CREATE TABLE member ({cols})")
    t0, c0 = time.perf_counter(), time.process_time()
    con.executemany(f"INSERT INTO member VALUES ({', '.join('?' * len(rows[0]))})", rows)
    con.commit()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    con.close()
    return elapsed, cpu


def _same_rows_baseline(fresh: Path, imported: Path, rebuild: bool = False,
                        per_file: int = 0) -> tuple[float, float, list[float]]:
    """Wall and CPU seconds of a raw executemany of the rows the import stored (every column of member, and
    the organisations it created) into `fresh`, the migrated database as the import found it, on a
    connection with the program's settings. Only the executemany calls and the commits are timed.

    `per_file`: the members in transactions of this many rows, each committed, in the order the import
    wrote them, as the import writes its files one after another (0: all in one transaction). The CPU of
    each is given too: what the database itself costs a file as the roster grows.
    `rebuild`: the member indexes dropped first and created again after the rows (timed too), as the
    program does on a large load: the lowest raw cost of storing these rows."""
    src = sqlite3.connect(imported)
    con = sqlite3.connect(fresh)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):  # as store/db.py sets them
        con.execute(f"PRAGMA {pragma}")
    wall = cpu = 0.0

    def timed(*statements: str) -> None:
        nonlocal wall, cpu
        t0, c0 = time.perf_counter(), time.process_time()
        for sql in statements:
            con.execute(sql)
        wall, cpu = wall + time.perf_counter() - t0, cpu + time.process_time() - c0

    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'member' "
                          "AND sql IS NOT NULL").fetchall() if rebuild else []
    timed("BEGIN IMMEDIATE", *(f'DROP INDEX "{name}"' for name, _ in indexes))

    files: list[float] = []

    def copy(table: str, where: str = "", params: tuple = (), part: int = 100_000) -> None:
        nonlocal wall, cpu
        cols = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
        sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
        cur = src.execute(f'SELECT {", ".join(cols)} FROM "{table}" {where} ORDER BY rowid', params)
        while rows := cur.fetchmany(part):  # in parts: a million rows at once would fill the memory
            t0, c0 = time.perf_counter(), time.process_time()
            con.executemany(sql, rows)
            if per_file and table == "member":  # this file's transaction ends; the next one begins
                con.commit()
                con.execute("BEGIN IMMEDIATE")
            wall, cpu = wall + time.perf_counter() - t0, cpu + time.process_time() - c0
            if per_file and table == "member":
                files.append(time.process_time() - c0)
            del rows

    there = [r[0] for r in con.execute("SELECT id FROM organization")]
    copy("organization", f"WHERE id NOT IN ({', '.join('?' * len(there))})", tuple(there))
    copy("member", part=per_file or 100_000)
    timed(*(sql for _, sql in indexes))
    t0, c0 = time.perf_counter(), time.process_time()
    con.commit()
    wall, cpu = wall + time.perf_counter() - t0, cpu + time.process_time() - c0
    con.close()
    src.close()
    return wall, cpu, files


def _search(db_path: Path, n: int) -> None:
    from desktop_app.services import roster
    from desktop_app.services.database import open_database

    db, _ = open_database(db_path)
    flt = roster.MemberFilter
    roster.search_hits(db, flt())  # warm the page cache as a running program has it
    times = []
    for _ in range(3):
        for query in QUERIES:
            for k in range(1, len(query) + 1):
                t = time.perf_counter()
                roster.search_hits(db, flt(text=query[:k]))  # what the page asks (ids looked up when read)
                times.append(time.perf_counter() - t)
    t = time.perf_counter()
    roster.search_ids(db, flt())
    everyone = time.perf_counter() - t
    db.dispose()
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    median = statistics.median(times)
    print(f"search per keystroke on {n:,} members ({len(times)} keystrokes): "
          f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    print(f"all {n:,} ids in roster order (empty search box): {everyone * 1000:.0f} ms")
    size = f"{n:,} members"
    record("roster", "search per keystroke, p95", p95, "s", target=0.016, size=size)
    record("roster", "search per keystroke, median", median, "s", size=size)
    record("roster", "all ids, empty search box", everyone, "s", size=size)


# In a fresh process: the 党员名册 page itself, offscreen; each prefix of the queries typed (the typing pause
# left out), timed from the search starting to its rows painted, wall and CPU of all threads.
PAGE_SEARCH = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from desktop_app.gui import ops
from desktop_app.gui.app import make_app
from desktop_app.gui.roster.page import RosterPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site
from desktop_app.services.database import open_database
app = make_app()
db, _ = open_database(Path(sys.argv[1]))
page = RosterPage(AppContext(db=db, site=site.get_site(db)))
page.resize(1100, 700)
page.show()
wait = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
def settle():
    while ops.pending():
        app.processEvents(wait, 20)
    app.processEvents()
settle()
class Paints(QObject):  # counts the table's paints: a keystroke ends when its rows are painted
    count = 0
    waiting = None
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            if self.waiting is not None:
                self.waiting.quit()
        return False
paints = Paints()
page.table.viewport().installEventFilter(paints)
shown_at = []
page.searched.connect(lambda _n: shown_at.append(paints.count))  # the result is in the model; not yet painted
wall, cpu, gui, unpainted = [], [], [], 0
for query in json.loads(sys.argv[2]):
    for k in range(1, len(query) + 1):
        loop = QEventLoop()  # waits as the program's own event loop does (a polling loop would burn CPU)
        page.searched.connect(loop.quit)
        page.search.blockSignals(True)
        page.search.setText(query[:k])
        page.search.blockSignals(False)
        t, c, g = time.perf_counter(), time.process_time(), time.thread_time()
        page.run_search()
        loop.exec()
        app.processEvents()  # the repaint the new result asked for
        if paints.count == shown_at[-1]:  # not yet: a layout the new rows wait for comes first (a timer)
            paints.waiting = QEventLoop()
            QTimer.singleShot(500, paints.waiting.quit)
            paints.waiting.exec()
            paints.waiting = None
            unpainted += paints.count == shown_at[-1]  # nothing painted in half a second
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        gui.append(time.thread_time() - g)  # of it, the GUI thread's: the result shown and painted
        page.searched.disconnect(loop.quit)
        settle()
print(json.dumps({"wall": wall, "cpu": cpu, "gui": gui, "unpainted": unpainted}))
"""


def _search_page(db_path: Path, n: int) -> None:
    out = subprocess.run([sys.executable, "-c", PAGE_SEARCH, str(db_path), json.dumps(QUERIES * 2)],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    got = json.loads(out.stdout.strip().splitlines()[-1])
    size = f"{n:,} members"
    if got["unpainted"]:
        print(f"党员名册 page: {got['unpainted']} keystrokes painted nothing within half a second")
    for kind in ("wall", "cpu"):
        times = sorted(got[kind])
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"党员名册 page, keystroke to rows painted ({kind}, {len(times)} keystrokes): "
              f"median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
        record("roster", f"page keystroke to rows painted, {kind} p95", p95, "s",
               target=0.016 if kind == "wall" else None, size=size)
    gui = sorted(got["gui"])  # the rest of the CPU is the worker's: the search and the rows it reads
    print(f"  of the CPU, the GUI thread's (the result shown and painted): median {statistics.median(gui) * 1000:.1f} ms, "
          f"p95 {gui[min(len(gui) - 1, int(len(gui) * 0.95))] * 1000:.1f} ms")


def main(quick: bool = False, scale: int = 1) -> None:
    n = QUICK_MEMBERS if quick else MEMBERS * scale
    size = f"{n:,} members"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "members.csv"
        _write_csv(source, n)
        with open(source, encoding="utf-8-sig") as fh:
            rows = [tuple(r) for r in csv.reader(fh)][1:]
        raw, raw_cpu = _raw_baseline(tmp / "raw.db", rows)
        del rows
        from desktop_app.exchange.safety import MAX_ROWS

        # The limit counts the sheet's rows, heading included: files of half of it are well inside.
        # (--quick: two files, so that the file-by-file figures run too.)
        per_file = n // 2 if quick else MAX_ROWS // 2
        got = _import(tmp / "bench.db", _split(source, per_file), n)
        ours = got["preview"] + got["write"]
        print(f"import {n:,} members from CSV: {ours:.2f} s (preview {got['preview']:.2f} s, "
              f"write {got['write']:.2f} s), peak memory {got['peak_mb']:.0f} MB "
              f"({got['before_mb']:.0f} MB before the import)")
        shutil.copy(tmp / "bench.before.db", tmp / "bench.floor.db")
        # The same rows file by file, each in its own transaction, as the import writes them: at 10x the
        # database's own cost of ten files into a growing roster, beside the program's.
        same, same_cpu, same_files = _same_rows_baseline(tmp / "bench.before.db", tmp / "bench.db",
                                                         per_file=per_file)
        floor, floor_cpu, _ = _same_rows_baseline(tmp / "bench.floor.db", tmp / "bench.db", rebuild=True)
        files = [p + a for p, a in got["per_file"]]
        if len(files) > 1:
            print("  CPU per file (preview + apply), as the roster grows: " + ", ".join(
                f"{p:.2f}+{a:.2f}" for p, a in got["per_file"]) + " s")
            print("  the same rows raw, per file (one transaction each): " + ", ".join(
                f"{c:.2f}" for c in same_files) + " s")
            print("  the program over raw, per file: " + ", ".join(
                f"{f / c:.2f}x" for f, c in zip(files, same_files)))
            # Linear growth of the whole means every file costs what the first did (see the module's note).
            print(f"  the last file {files[-1] / files[0]:.2f}x the first "
                  f"(raw: {same_files[-1] / same_files[0]:.2f}x); all {len(files)} files "
                  f"{sum(files) / files[0]:.1f}x the first (raw: {sum(same_files) / same_files[0]:.1f}x; "
                  f"linear: {len(files)}x)")
        record("roster", f"import CPU of the last file ({min(per_file, n):,} rows, preview + apply)", files[-1],
               "s", same_files[-1], "raw executemany of its rows, CPU", size=size, per_unit=True)
        # CPU beside CPU as well: on a shared machine the wall clock counts the waits for a core and the disk.
        print(f"raw sqlite3 executemany of the same rows (the 35 stored columns and the new branches, into the "
              f"migrated schema with its member indexes, the program's pragmas, a transaction per file): "
              f"{same:.2f} s, CPU "
              f"{same_cpu:.2f} s   ratio {ours / same:.1f}x, CPU {got['cpu'] / same_cpu:.1f}x")
        print(f"  older baseline, not the same rows (the file's 21 cells as text into a bare table, no key, no "
              f"index): {raw:.2f} s, CPU {raw_cpu:.2f} s   ratio {ours / raw:.1f}x, CPU {got['cpu'] / raw_cpu:.1f}x")
        record("roster", "import from CSV (preview + apply)", ours, "s", same, "raw executemany, same rows", 3,
               size, preview=got["preview"], write=got["write"])
        record("roster", "import from CSV, CPU", got["cpu"], "s", same_cpu, "raw executemany, same rows, CPU", 3,
               size)
        print(f"  the same rows with the member indexes dropped before and built after (the lowest raw cost): "
              f"{floor:.2f} s, CPU {floor_cpu:.2f} s   ratio {ours / floor:.1f}x, CPU {got['cpu'] / floor_cpu:.1f}x")
        record("roster", "import from CSV, CPU, vs same rows indexed after", got["cpu"], "s", floor_cpu,
               "raw executemany, same rows, indexes built after, CPU", size=size)
        record("roster", "import from CSV, CPU, vs bare cells", got["cpu"], "s", raw_cpu,
               "raw executemany of 21 text cells, no index (older baseline), CPU", size=size)
        record("roster", "import peak memory (child process)", got["peak_mb"], "MB", target=300, size=size)
        if scale == 1:  # an XLSX of 1,000,000 rows takes longer to write than the whole run
            xlsx = tmp / "members.xlsx"
            _write_xlsx(source, xlsx)
            # Each XLSX import beside a CSV import of its own, alternated (three pairs; one with --quick): a burst
            # of load on the machine between the first CSV import above and this one moved the ratio by a third.
            pairs = []
            for k in range(1 if quick else 3):
                twin = _import(tmp / f"bench_csv_{k}.db", _split(source, per_file), n)
                got_x = _import(tmp / f"bench_xlsx_{k}.db", [xlsx], n)
                pairs.append((twin, got_x))
                for db_file in tmp.glob(f"bench_*_{k}.*"):
                    db_file.unlink()
            walls = [[pair[side]["preview"] + pair[side]["write"] for pair in pairs] for side in (0, 1)]
            cpus = [[pair[side]["cpu"] for pair in pairs] for side in (0, 1)]
            csv_x, ours_x = map(statistics.median, walls)
            csv_cpu_x, cpu_x = map(statistics.median, cpus)
            peak_x = max(pair[1]["peak_mb"] for pair in pairs)
            print(f"the same rows from XLSX: {ours_x:.2f} s   ratio {ours_x / csv_x:.2f}x a CSV import beside it "
                  f"({csv_x:.2f} s; medians of {len(pairs)} alternated pairs, each pair's ratio "
                  + ", ".join(f"{x / c:.2f}x" for c, x in zip(*walls))
                  + f"; CPU {cpu_x:.2f} s, {cpu_x / csv_cpu_x:.2f}x), peak memory {peak_x:.0f} MB")
            record("roster", "import from XLSX", ours_x, "s", csv_x, "a CSV import beside it", 2, size)
            record("roster", "import from XLSX, CPU", cpu_x, "s", csv_cpu_x, "a CSV import beside it, CPU", 2, size)
            record("roster", "import peak memory from XLSX (child process)", peak_x, "MB", size=size)
        _search(tmp / "bench.db", n)
        _search_page(tmp / "bench.db", n)


if __name__ == "__main__":
    main()
