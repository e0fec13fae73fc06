"""A district's server database: the program opens PostgreSQL by URL (--db-url, DANGQUN_DB_URL).

Runs only against a PostgreSQL cluster (DANGQUN_TEST_PG_URL, as `bootstrap test`
sets under CI): a real server, real migrations, no stand-in.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from desktop_app.cli import main
from desktop_app.services import backup, site
from desktop_app.services.backup_copies import BackupError
from desktop_app.services.database import ServerUnavailable, open_database
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL cluster (DANGQUN_TEST_PG_URL)")


@pytest.fixture
def server_url():
    """An empty database on the cluster, spelled as a district would (postgresql://, no driver name)."""
    name = "s_" + uuid.uuid4().hex[:16]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    yield PG_URL.replace("/postgres?", f"/{name}?").replace("postgresql+psycopg://", "postgresql://")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_an_empty_server_database_is_migrated_and_opens_again(server_url):
    db, copy = open_database(server_url)
    assert copy is None and db.path is None and db.engine.dialect.name == "postgresql"
    site.init_site(db, "320102000", "梅园街道党工委", "street")
    db.dispose()
    db, _ = open_database(server_url)
    assert site.get_site(db).org_name == "梅园街道党工委"
    db.dispose()


def test_an_unknown_account_is_a_plain_message_naming_the_server_without_its_password(server_url):
    bad = server_url.replace("postgresql://dangqun@", "postgresql://nosuchuser:secret@")
    with pytest.raises(ServerUnavailable) as err:
        open_database(bad)
    assert "nosuchuser" in str(err.value) and "secret" not in str(err.value)


def test_backups_of_a_server_database_point_to_pg_dump(server_url):
    db, _ = open_database(server_url)
    site.init_site(db, "320102000", "梅园街道党工委", "street")
    with pytest.raises(BackupError, match="pg_dump"):
        backup.take_backup(db)
    db.dispose()


def test_the_command_line_works_on_the_server(server_url, capsys, monkeypatch):
    assert main(["init", "--db-url", server_url, "--org-code", "320102000", "--org-name", "梅园街道党工委",
                 "--level", "street"]) == 0
    assert "梅园街道党工委" in capsys.readouterr().out
    monkeypatch.setenv("DANGQUN_DB_URL", server_url)
    assert main(["orgs"]) == 0
    assert "梅园街道党工委" in capsys.readouterr().out
    assert main(["backup"]) == 2  # a file command on a server: refused with a plain message
    assert "pg_dump" in capsys.readouterr().err
