"""Run a built bundle headless the way a center would use it, before it ships.

A data file or hidden import missing from the bundle only shows when the frozen
program runs, so every step here starts the built executables, never the source:
    python build_spec/smoke.py dist/dangqun
Standard library only (it runs from the bootstrap). Exit 0 when every step passed.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class SmokeFailed(Exception):
    pass


def _exe(bundle: Path, name: str) -> Path:
    path = bundle / (name + (".exe" if os.name == "nt" else ""))
    if not path.exists():
        raise SmokeFailed(f"missing executable {path}")
    return path


class Runner:
    def __init__(self, bundle: Path, work: Path):
        self.cli = _exe(bundle, "dangqun-cli")
        self.gui = _exe(bundle, "dangqun")
        self.work = work
        self.env = dict(
            os.environ,
            DANGQUN_DATA_DIR=str(work / "data"),
            QT_QPA_PLATFORM="offscreen",
            PYTHONIOENCODING="utf-8",
            DANGQUN_SYNC_PASSPHRASE="smoke-test-passphrase",  # sync private keys are kept under a passphrase
        )
        self.env.pop("DANGQUN_PASSWORD", None)

    def run(self, label: str, *args: str, exe: Path | None = None, timeout: int = 300,
            env: dict | None = None) -> str:
        start = time.monotonic()
        r = subprocess.run(
            [str(exe or self.cli), *args], capture_output=True, text=True, encoding="utf-8",
            errors="replace", env=env or self.env, timeout=timeout, cwd=self.work,
        )
        took = time.monotonic() - start
        if r.returncode != 0:
            raise SmokeFailed(
                f"{label}: exit {r.returncode}\n--- stdout\n{r.stdout[-3000:]}\n--- stderr\n{r.stderr[-3000:]}"
            )
        print(f"  ok  {label} ({took:.1f} s)", flush=True)
        return r.stdout


def _is_pdf(path: Path) -> None:
    if not path.exists() or path.read_bytes()[:5] != b"%PDF-" or path.stat().st_size < 2000:
        raise SmokeFailed(f"not a PDF: {path}")


def smoke(bundle: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="dangqun-smoke-") as tmp:
        work = Path(tmp)
        r = Runner(bundle, work)
        db = str(work / "smoke.db")
        out = r.run("--version", "--version")
        if not re.search(r"\d+\.\d+", out):
            raise SmokeFailed(f"--version printed {out!r}")
        r.run("demo", "demo", "--db", db, "--members", "60")
        stats = json.loads(r.run("stats --json", "stats", "--json", "--db", db))
        if stats["members"]["total"] < 1:
            raise SmokeFailed(f"stats: no members in {stats['members']}")
        roster = work / "roster.pdf"
        r.run("report roster", "report", "roster", "--db", db, "--out", str(roster))
        _is_pdf(roster)
        numbers = re.findall(r"\b\d{4}-\d{4}\b", r.run("meetings", "meetings", "--db", db))
        if not numbers:
            raise SmokeFailed("meetings: no meeting numbers in the demo data")
        signin = work / "signin.pdf"
        r.run("report signin", "report", "signin", "--meeting", numbers[0], "--db", db, "--out", str(signin))
        _is_pdf(signin)
        # Reading the printed sheet back exercises the scan stack (pypdfium2, OpenCV, numpy, zxing-cpp).
        read = r.run("import signin-scan --dry-run", "import", "signin-scan", str(signin), "--dry-run", "--db", db)
        if numbers[0] not in read:
            raise SmokeFailed(f"signin-scan did not find meeting {numbers[0]}:\n{read[-2000:]}")
        # Sync as a center does it: the street makes its keys, the community enrols on a
        # USB stick, exports a signed package sealed to the street, which reads it back
        # (exercises the bundled cryptography).
        street, key, package = str(work / "street.db"), str(work / "street.key"), work / "package"
        request, reply = str(work / "enrol.dqreq"), str(work / "enrol.dqreply")
        r.run("init street", "init", "--org-code", "S0001", "--org-name", "冒烟街道党工委",
              "--level", "street", "--db", street)
        r.run("sync key new", "sync", "key", "new", "--out", key, "--db", street)
        r.run("sync enrol request", "sync", "enrol", "request", "--out", request, "--db", db)
        r.run("sync enrol accept", "sync", "enrol", "accept", request, "--out", reply, "--db", street)
        r.run("sync enrol finish", "sync", "enrol", "finish", reply, "--db", db)
        package.mkdir()
        r.run("sync export", "sync", "export", "--db", db, "--out", str(package))
        files = list(package.iterdir())
        if not files:
            raise SmokeFailed("sync export wrote nothing")
        r.run("sync import --dry-run", "sync", "import", str(files[0]), "--dry-run", "--db", street)
        copy = work / "copy.db"
        r.run("backup", "backup", "--db", db, "--out", str(copy))
        r.run("restore", "restore", str(copy), "--db", db)
        again = json.loads(r.run("stats after restore", "stats", "--json", "--db", db))
        if again["members"]["total"] != stats["members"]["total"]:
            raise SmokeFailed("restore: member count changed")
        # A database from a newer program: refused in one line, the file untouched.
        newer = work / "newer.db"
        newer.write_bytes((work / "copy.db").read_bytes())
        con = sqlite3.connect(newer)
        con.execute("UPDATE alembic_version SET version_num = '9999'")
        con.commit()
        con.close()
        before = newer.read_bytes()
        refused = subprocess.run([str(r.cli), "stats", "--db", str(newer)], capture_output=True, text=True,
                                 encoding="utf-8", errors="replace", env=r.env, timeout=120, cwd=work)
        if refused.returncode != 2 or "较新版本" not in refused.stderr or newer.read_bytes() != before:
            raise SmokeFailed(f"newer database: exit {refused.returncode}, {refused.stderr[-1000:]}")
        print("  ok  newer database refused, file untouched", flush=True)
        # The windowed program: DANGQUN_SMOKE makes it dismiss start-up dialogs,
        # confirm that the main window is shown, and quit.
        gui_env = dict(r.env, DANGQUN_SMOKE="1")
        shown = r.run("gui main window", "gui", "--db", db, exe=r.gui, env=gui_env, timeout=180)
        if "smoke: main window shown" not in shown:
            raise SmokeFailed(f"gui: the main window did not report itself shown:\n{shown[-2000:]}")


def check_files(bundle: Path) -> None:
    """Data files the frozen program reads at run time (PyInstaller 6 puts them in _internal)."""
    base = bundle / "_internal"
    for rel in ("CHANGELOG.md", "db/env.py", "resources/style.qss", "resources/dangqun.ico",
                "resources/fonts/DroidSansFallbackFull.ttf", "docs/manual/index.md", "docs/manual/images/roster.png"):
        if not (base / rel).exists():
            raise SmokeFailed(f"missing data file {rel} in {base}")
    print("  ok  data files present", flush=True)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    bundle = Path(args[0] if args else "dist/dangqun").resolve()
    print(f"smoke test of {bundle}", flush=True)
    try:
        check_files(bundle)
        smoke(bundle)
    except (SmokeFailed, subprocess.TimeoutExpired, ValueError, KeyError) as exc:
        print(f"SMOKE TEST FAILED: {exc}", flush=True)
        return 1
    print(f"smoke test passed; bundle size {folder_size(bundle) / 2**20:.1f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
