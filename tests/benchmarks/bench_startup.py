"""Cold start to a shown main window (with demo data) beside a bare PySide6 window."""

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BARE = r"""
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1200, 760); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""

OURS = r"""
import sys, time; t0 = time.perf_counter()
from desktop_app.gui.app import make_app, open_context
from desktop_app.gui import ops
app = make_app()
ctx = open_context(__import__("pathlib").Path(sys.argv[1]), demo=False)
from desktop_app.gui.main_window import MainWindow
w = MainWindow(ctx); w.show()
while ops.pending():
    app.processEvents()
app.processEvents()
print(time.perf_counter() - t0)
"""


def _time(code: str, *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        subprocess.run(
            [sys.executable, "-m", "desktop_app", "demo", "--db", str(db), "--members", "3000"],
            check=True, capture_output=True,
        )
        _time(OURS, str(db))  # warm the OS file cache once for both
        ours = statistics.median(_time(OURS, str(db)) for _ in range(runs))
        bare = statistics.median(_time(BARE) for _ in range(runs))
    print(f"start-up to shown main window (3,000 members): {ours:.2f} s")
    print(f"bare PySide6 QMainWindow:                       {bare:.2f} s")
    print(f"ratio: {ours / bare:.1f}x")


if __name__ == "__main__":
    main()
