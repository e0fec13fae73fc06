"""A district's server imports several packages at once: each is its own transaction, as one imported alone."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desktop_app.services import sync
from desktop_app.views.sync import CANCELLED
from tests.conftest import PG_URL
from tests.integration.sync_world import copy_db, drop_server, on_server
from tests.integration.test_sync_batch import packages  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(not PG_URL, reason="a server database: set DANGQUN_TEST_PG_URL")


def _taken(db) -> set[str]:
    with db.engine.connect() as c:
        return set(c.execute(text("SELECT file_name FROM sync_import")).scalars())


def test_each_package_commits_alone_a_bad_one_is_left_out_and_cancel_keeps_those_done(packages, tmp_path):  # noqa: F811
    copy_db(packages["street"], tmp_path / "street.db")
    db = on_server(tmp_path / "street.db")
    try:
        def progress(k, n, done, total):
            if k == 2 and done > 0:  # c2 halfway: its own transaction rolls back
                raise RuntimeError("取消")

        got = sync.import_packages(db, [packages["c1"], packages["junk"], packages["c2"], packages["c1b"]],
                                   progress=progress)
        assert got.cancelled and [i.imported for i in got.items] == [True, False, False, False]
        assert got.items[2].refused == got.items[3].refused == CANCELLED
        assert _taken(db) == {"c1-1.dqsync"}
        again = sync.import_packages(db, [packages["c2"], packages["c1b"], packages["c1"]])
        assert [i.imported for i in again.items] == [True, True, True] and again.items[2].report.already_imported
        assert _taken(db) == {"c1-1.dqsync", "c2-1.dqsync", "c1-2.dqsync"}
    finally:
        drop_server(db)
