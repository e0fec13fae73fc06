"""The district's server address as a worker types it: a wrong one is refused saying how it is spelled.

The refusals of addresses need no server; opening one runs only against a PostgreSQL cluster (DANGQUN_TEST_PG_URL).
"""

from __future__ import annotations

import pytest

from desktop_app.cli import main
from desktop_app.services.database import open_database
from tests.conftest import PG_URL

needs_server = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL cluster (DANGQUN_TEST_PG_URL)")


@pytest.mark.parametrize("given", ["db.district.local/dangqun", "mysql://u:pw@db.district.local/dangqun"])
def test_an_address_that_is_not_a_server_is_refused_and_no_database_is_made_in_its_name(given, tmp_path, monkeypatch,
                                                                                         capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DANGQUN_DB_URL", raising=False)
    assert main(["orgs", "--db-url", given]) == 2
    err = capsys.readouterr().err
    assert "不是数据库服务器地址" in err and "postgresql://" in err and "pw" not in err
    monkeypatch.setenv("DANGQUN_DB_URL", given)
    assert main(["orgs"]) == 2
    assert "不是数据库服务器地址" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # was: a folder named after the address, holding a new empty database


@needs_server
def test_postgres_scheme_opens_the_server_as_postgresql_does():
    db, _ = open_database(PG_URL.replace("postgresql+psycopg://", "postgres://"))
    assert db.engine.dialect.name == "postgresql"
    db.dispose()
