"""Screenshots the tests take go to each run's own folder (the `shot` fixture: tmp_path, or $DANGQUN_SHOTS
when someone wants to look), never a fixed /tmp name: two runs on one machine wrote the same files."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FIXED = re.compile(r"""\.save\(.*(["'])/tmp\b|\.save\(.*Path\(\s*["']/tmp["']""")


def test_no_test_saves_to_a_fixed_tmp_path():
    found = [f"{p.relative_to(TESTS)}:{n}" for p in sorted(TESTS.rglob("*.py")) if p != Path(__file__).resolve()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if FIXED.search(line)]
    assert found == []
