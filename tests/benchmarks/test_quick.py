"""Every benchmark still runs: `python -m tests.benchmarks --quick` at tiny sizes, table and JSON.

No timing is asserted (CI machines vary); what is checked is that every benchmark
ran to the end and recorded its figures beside a baseline, so a change that
breaks a benchmark is found when it is made, not on the day someone measures.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_every_benchmark_runs_at_quick_sizes(tmp_path):
    out = tmp_path / "figures.json"
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "tests.benchmarks", "--quick", "--json", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["quick"] is True and data["failed"] == []
    benches = {f["bench"] for f in data["figures"]}
    modules = {p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py")}
    if "district: skipped, PostgreSQL cannot be installed" in run.stdout:
        modules.discard("district")  # no server here and none installable (bench_district says why)
    assert benches == modules  # every benchmark recorded at least one figure
    for f in data["figures"]:
        assert f["value"] > 0, f
        if f["baseline"] is not None:
            assert f["baseline"] > 0 and f["ratio"] == pytest.approx(f["value"] / f["baseline"]), f
    assert "benchmark" in run.stdout and "ratio" in run.stdout  # the table was printed
