"""Run every benchmark and print one table of figure, baseline and ratio.

    python -m tests.benchmarks                      all of them, at the sizes issue "speed" names
    python -m tests.benchmarks roster ledger        those whose name contains a word given
    python -m tests.benchmarks --quick              every benchmark at tiny sizes (CI: they still run)
    python -m tests.benchmarks --scale 10           the 10x sizes (1,000,000 members, 2,000,000 entries)
    python -m tests.benchmarks --json out.json      also write the figures as JSON
    python -m tests.benchmarks --scale 10 --against out.json   the growth of each figure over a 1x run
    python -m tests.benchmarks --skip district --skip sync     all but those
    python -m tests.benchmarks --show a.json b.json --against out.json   one run's parts, run apart, as one

Each benchmark measures its figure beside a baseline in the same run, so the
ratio holds on a busy machine where the seconds do not.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks import figures  # noqa: E402

# The sync benchmark keeps its own command line (it is also run alone with its options).
_SYNC_QUICK = ["--communities", "2", "--members", "120", "--distinct", "1"]


def _names() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def _run_one(name: str, quick: bool, scale: int) -> None:
    module = importlib.import_module(f"tests.benchmarks.{name}")
    params = inspect.signature(module.main).parameters
    if "argv" in params:
        module.main(_SYNC_QUICK if quick else (["--communities", str(20 * scale)] if scale > 1 else []))
    else:
        module.main(quick=quick, scale=scale)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help="run only benchmarks whose name contains one of these")
    p.add_argument("--skip", action="append", default=[], metavar="WORD",
                   help="leave out benchmarks whose name contains this (may be given again)")
    p.add_argument("--quick", action="store_true", help="tiny sizes: proves every benchmark still runs")
    p.add_argument("--scale", type=int, default=1, help="multiply the sizes (10: the growth run)")
    p.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    p.add_argument("--against", metavar="PATH", help="a --json file of a smaller run: print how each figure grew")
    p.add_argument("--show", nargs="+", metavar="PATH",
                   help="run nothing: the table of these --json files of one run (its parts, run apart), "
                        "with --against its growth; --json writes them as one file")
    args = p.parse_args(argv)
    started = time.perf_counter()
    failed: list[str] = []
    wanted: list[str] = []
    if args.show:
        runs = [json.loads(Path(x).read_text(encoding="utf-8")) for x in args.show]
        figures.RESULTS.extend(figures.from_json(f) for r in runs for f in r["figures"])
        failed = [x for r in runs for x in r["failed"]]
        args.scale, args.quick = runs[0]["scale"], runs[0]["quick"]
        started -= sum(r["seconds"] for r in runs)
    else:
        wanted = [n for n in _names() if (not args.names or any(a in n for a in args.names))
                  and not any(s in n for s in args.skip)]
        if not wanted:
            p.error(f"no benchmark matches {args.names}; there are {', '.join(_names())}")
    for name in wanted:
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        try:
            _run_one(name, args.quick, args.scale)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            import traceback

            traceback.print_exc()
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
        print(f"   ({time.perf_counter() - t0:.0f} s)", flush=True)
    print()
    print(figures.table(figures.RESULTS, args.scale))
    if args.against:
        before = json.loads(Path(args.against).read_text(encoding="utf-8"))
        print(f"\ngrowth from the x{before.get('scale', 1)} run ({args.against}) to this x{args.scale} run "
              f"(linear: a figure grows as its size; a per-unit figure stays flat):")
        print(figures.growth(before, figures.RESULTS, args.scale / before.get("scale", 1)))
    if failed:
        print("\nFAILED:\n  " + "\n  ".join(failed))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "quick": args.quick, "scale": args.scale, "machine": platform.platform(),
            "cpus": os.cpu_count(), "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "seconds": time.perf_counter() - started, "failed": failed,
            "figures": [f.as_json() for f in figures.RESULTS],
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
