"""Cold start with demo data beside a bare PySide6 window: painted, roster searchable, settled.

Three figures from one start, each beside the bare window's time to show:
- painted: the main window's frame (navigation with the page names, menus, status
  bar) shown and its first paint processed, as `dangqun gui` paints it before it
  opens the database;
- roster searchable: the user goes to 党员名册 at once (before the database is
  open); its ids and first rows have arrived and the search box answers;
- settled: every background load started so far has delivered, the file's
  check among them (it runs once the first page has its rows; writes wait for
  it). No target; it shows what is still deferred.

Ours starts by importing the command line's module, as `dangqun gui` and the bundle
do: until round 10 it imported every command's module (services, SQLAlchemy, ~0.4 s of
CPU) before the frame, which a start from gui.app alone did not show. The log-in step
of `dangqun gui` (a dialog when the file has accounts) is left out.

Both sides run from compiled bytecode, as an installed program does (the bundle
ships .pyc files; pip compiles on install): the warm-up start writes it into a
temporary cache (PYTHONPYCACHEPREFIX), so a checkout run with
PYTHONDONTWRITEBYTECODE does not measure compiling every module from source at
each start. The CPU time of each start (all threads) is printed beside it: on a
loaded machine the wall-clock ratio mostly measures the wait for a core.

Run: python -m tests.benchmarks startup
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.figures import record

MEMBERS = 3000

BARE = r"""
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1200, 760); w.show(); app.processEvents()
import json; print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time()}))
"""

OURS = r"""
import json, sys, time; t0 = time.perf_counter()
from pathlib import Path
import desktop_app.cli  # noqa: F401 - the entry point `dangqun gui` and the bundle start from, imported first
from desktop_app.gui.app import make_app, open_context, paint_frame, watch_file
app = make_app()
w = paint_frame()  # what `dangqun gui` does first: the frame, before the database opens
painted = time.perf_counter() - t0
heavy = ("sqlalchemy", "reportlab", "openpyxl", "pypinyin", "qtawesome", "cv2")
at_paint = [m for m in heavy if m in sys.modules]
from PySide6.QtCore import QEventLoop, QTimer
# Waits sleep in an event loop, as the program's app.exec() does: processEvents(flags, ms) drops
# WaitForMoreEvents and returns at once, so a loop of it would spin a core beside the workers.
loop = QEventLoop()
found = []
# Read at the signal, not once the loop has returned: the page starts the background work that
# follows the rows (the search lists, the filter's tree) as it emits, and those threads take the
# GIL and run before the loop's return is seen (up to ~80 ms of their CPU counted as the roster's).
w.page_built.connect(lambda p: p.title == "党员名册" and p.searched.connect(
    lambda n: (found.append((n, time.perf_counter(), time.process_time())), loop.quit())))
w.nav.setCurrentRow(list(w.pages).index("党员名册"))  # the user goes to 党员名册 at once
ctx = open_context(Path(sys.argv[1]), demo=False)
w.attach(ctx)
damaged = []
watch_file(w, ctx.db, damaged.append)  # as `dangqun gui` does: the file's check once the first page has its rows
from desktop_app.gui import ops
if not found:
    loop.exec()
shown, searchable, searchable_cpu = found[0]
searchable -= t0
assert shown > 0, found
gate = ctx.db.gate
poll = QTimer()
poll.timeout.connect(lambda: ops.pending() or (gate is not None and gate.problems is None) or loop.quit())
poll.start(10)  # the check starts a moment after the rows
loop.exec()
poll.stop()
app.processEvents()
settled = time.perf_counter() - t0
assert gate is None or gate.problems == [], (gate.problems, damaged)  # the check ran, and passed
w.skip_exit_backup = True
print(json.dumps({"painted": painted, "searchable": searchable, "settled": settled, "at_paint": at_paint,
                  "searchable_cpu": searchable_cpu,
                  "loaded": {m: m in sys.modules for m in heavy}}))
"""


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return out.stdout.strip().splitlines()[-1]


def main(quick: bool = False, scale: int = 1, runs: int = 5) -> None:
    from desktop_app.services import demo

    # The demo makes at most MAX_MEMBERS (20,000) members: --scale 10 runs at that size, which the
    # figure's size says (the growth table compares sizes, not scales).
    members = 100 if quick else min(MEMBERS * scale, demo.MAX_MEMBERS)
    runs = 1 if quick else runs
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DANGQUN_DATA_DIR"] = str(Path(tmp) / "data")  # the demo's photos and backups: never the user's own folder
        db = Path(tmp) / "bench.db"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")  # compiled once by the warm-up start
        subprocess.run(
            [sys.executable, "-m", "desktop_app", "demo", "--db", str(db), "--members", str(members)],
            check=True, capture_output=True,
        )
        _run(OURS, str(db), env=env)  # warm the OS file cache once for both, and compile the bytecode
        _run(BARE, env=env)
        ours, bare = [], []
        for _ in range(runs):  # alternated, so a burst of load on the machine hits both
            ours.append(json.loads(_run(OURS, str(db), env=env)))
            bare.append(json.loads(_run(BARE, env=env)))
    base = statistics.median(b["wall"] for b in bare)
    base_cpu = statistics.median(b["cpu"] for b in bare)
    fig = {k: statistics.median(r[k] for r in ours) for k in ("painted", "searchable", "settled")}
    size = f"{members:,} members"
    print(f"bare PySide6 QMainWindow shown:                {base:.2f} s")
    for key, label, target in (("painted", "main window painted", 2), ("searchable", "roster shown and searchable", 6),
                               ("settled", "every background load delivered", None)):
        print(f"{label:46s} {fig[key]:.2f} s   ratio {fig[key] / base:.1f}x")
        record("startup", label, fig[key], "s", base, "bare QMainWindow", target, size)
    cpu = statistics.median(r["searchable_cpu"] for r in ours)
    print(f"CPU time: bare window {base_cpu:.2f} s, roster searchable {cpu:.2f} s   ratio {cpu / base_cpu:.1f}x")
    record("startup", "roster shown and searchable, CPU", cpu, "s", base_cpu, "bare QMainWindow, CPU", None, size)
    print("heavy modules loaded when painted:", ", ".join(ours[-1]["at_paint"]) or "none")
    print("heavy modules loaded when settled:", ", ".join(m for m, on in ours[-1]["loaded"].items() if on) or "none")


if __name__ == "__main__":
    main()
