"""Cold start with demo data beside a bare PySide6 window: painted, roster searchable, settled.

Three figures from one start, each beside the bare window's time to show:
- painted: the main window shown and its first paint processed (the frame, the
  first page's skeleton);
- roster searchable: the user goes to 党员名册 at once; its ids and first rows have
  arrived and the search box answers;
- settled: every background load started so far has delivered (the 工作台's
  figures and to-do list included). No target; it shows what is still deferred.

Run: python -m tests.benchmarks startup
"""

import json
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
print(time.perf_counter() - t0)
"""

OURS = r"""
import json, sys, time; t0 = time.perf_counter()
from desktop_app.gui.app import make_app, open_context
from desktop_app.gui import ops
app = make_app()
ctx = open_context(__import__("pathlib").Path(sys.argv[1]), demo=False)
from desktop_app.gui.main_window import MainWindow
from PySide6.QtCore import QEventLoop
w = MainWindow(ctx); w.show(); app.processEvents()
painted = time.perf_counter() - t0
page = w.go_to("党员名册")
found = []
page.searched.connect(found.append)
wait = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
while not found:
    app.processEvents(wait, 50)
searchable = time.perf_counter() - t0
assert found[0] > 0, found
while ops.pending():
    app.processEvents(wait, 50)
app.processEvents()
settled = time.perf_counter() - t0
mods = sys.modules
print(json.dumps({"painted": painted, "searchable": searchable, "settled": settled,
                  "loaded": {m: m in mods for m in ("reportlab", "openpyxl", "pypinyin", "cv2", "sqlalchemy.orm")}}))
"""


def _run(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return out.stdout.strip().splitlines()[-1]


def main(quick: bool = False, scale: int = 1, runs: int = 5) -> None:
    members = 100 if quick else MEMBERS * scale
    runs = 1 if quick else runs
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        subprocess.run(
            [sys.executable, "-m", "desktop_app", "demo", "--db", str(db), "--members", str(members)],
            check=True, capture_output=True,
        )
        _run(OURS, str(db))  # warm the OS file cache once for both
        ours, bare = [], []
        for _ in range(runs):  # alternated, so a burst of load on the machine hits both
            ours.append(json.loads(_run(OURS, str(db))))
            bare.append(float(_run(BARE)))
    base = statistics.median(bare)
    fig = {k: statistics.median(r[k] for r in ours) for k in ("painted", "searchable", "settled")}
    size = f"{members:,} members"
    print(f"bare PySide6 QMainWindow shown:                {base:.2f} s")
    for key, label, target in (("painted", "main window painted", 2), ("searchable", "roster shown and searchable", 6),
                               ("settled", "every background load delivered", None)):
        print(f"{label:46s} {fig[key]:.2f} s   ratio {fig[key] / base:.1f}x")
        record("startup", label, fig[key], "s", base, "bare QMainWindow", target, size)
    print("modules loaded by then:", ", ".join(m for m, on in ours[-1]["loaded"].items() if on) or "none of the heavy ones")


if __name__ == "__main__":
    main()
