"""A test file that runs only against a server database is in the PostgreSQL suites, or CI never runs it."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app.bootstrap import PG_SUITES

ROOT = Path(__file__).resolve().parents[2]
# skipif(not PG_URL, ...): the whole file needs DANGQUN_TEST_PG_URL
_SERVER_ONLY = re.compile(r"skipif\(\s*not\s+PG_URL")


def test_every_server_only_test_file_is_in_the_postgresql_suites():
    server_only = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests" / "integration").glob("test_*.py")
                   if _SERVER_ONLY.search(p.read_text(encoding="utf-8"))}
    assert server_only, "the pattern should find the server-only files"
    assert server_only - set(PG_SUITES) == set()


def test_every_postgresql_suite_exists():
    assert [s for s in PG_SUITES if not (ROOT / s).is_file()] == []
