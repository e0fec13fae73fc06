"""The district's server address as a worker types it: a wrong one is refused saying how it is spelled,
and a server that cannot be reached or refuses the account says what is wrong and what to do, in Chinese.

The refusals of addresses need no server; the messages of a real server's refusals run only against a
PostgreSQL cluster (DANGQUN_TEST_PG_URL).
"""

from __future__ import annotations

import pytest

from desktop_app.cli import main
from desktop_app.services.database import ServerUnavailable, open_database
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


@pytest.mark.parametrize(("reason", "told"), [
    ('connection failed: connection to server on socket "/run/pg/.s.PGSQL.5432" failed: '
     'FATAL:  password authentication failed for user "dangqun_admin"', "账户 dangqun_admin 的密码不对"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: fe_sendauth: no password supplied',
     "服务器要求密码，但没有提供"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: Connection refused', "服务器没有响应"),
    ("failed to resolve host 'db.district.local': [Errno -2] Name or service not known", "找不到这台服务器"),
    ('connection failed: FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "dangqun_admin", database "dangqun"',
     "pg_hba.conf 中放行"),
])
def test_the_drivers_reasons_are_told_as_what_to_do(reason, told):
    from desktop_app.store.server import what_to_do

    assert told in what_to_do(reason)


@needs_server
def test_postgres_scheme_opens_the_server_as_postgresql_does():
    db, _ = open_database(PG_URL.replace("postgresql+psycopg://", "postgres://"))
    assert db.engine.dialect.name == "postgresql"
    db.dispose()


@needs_server
@pytest.mark.parametrize(("wrong", "told"), [
    (lambda url: url.replace("/postgres?", "/nosuchdb?"), "服务器上没有数据库 nosuchdb：检查地址中最后的数据库名"),
    (lambda url: url.replace("://dangqun@", "://nosuchuser@"), "服务器上没有账户 nosuchuser"),
])
def test_a_server_refusing_says_what_is_wrong_in_chinese(wrong, told):
    with pytest.raises(ServerUnavailable) as err:
        open_database(wrong(PG_URL))
    assert told in str(err.value) and "%2F" not in str(err.value)
