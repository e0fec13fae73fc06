"""A test file that runs only against a server database is in the PostgreSQL suites, or CI never runs it."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app.bootstrap import PG_SUITES

ROOT = Path(__file__).resolve().parents[2]
# A file with any test that runs only on a server: skipif(not PG_URL, ...) over the file, or a test
# that skips itself without PG_URL or on any dialect but PostgreSQL's.
_SERVER_ONLY = re.compile(r"skipif\(\s*not\s+PG_URL"
                          r"|if\s+not\s+PG_URL\s*:\s*\n\s*pytest\.skip"
                          r"|!=\s*[\"']postgresql[\"']\s*:\s*\n\s*pytest\.skip")


def test_every_server_only_test_file_is_in_the_postgresql_suites():
    server_only = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests" / "integration").glob("test_*.py")
                   if _SERVER_ONLY.search(p.read_text(encoding="utf-8"))}
    assert server_only, "the pattern should find the server-only files"
    # each of the three forms is found (a pattern that stopped matching would let a file slip out)
    assert {"tests/integration/test_sync_batch_pg.py", "tests/integration/test_sync_peer_format.py",
            "tests/integration/test_pgbulk.py"} <= server_only
    assert server_only - set(PG_SUITES) == set()


def test_every_postgresql_suite_exists():
    assert [s for s in PG_SUITES if not (ROOT / s).is_file()] == []
