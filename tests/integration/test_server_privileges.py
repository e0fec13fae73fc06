"""A district's server database opened with an account that may not use it: a plain message, nothing changed.

The IT person follows README (createuser, createdb --owner) but connects with another
account, or made the database without --owner. The program showed the driver's SQL
(ProgrammingError: permission denied for table alembic_version ... sqlalche.me) and
nothing a worker or the IT person could act on. Runs only against a PostgreSQL cluster.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from desktop_app.services import site
from desktop_app.services.database import ServerUnavailable, open_database
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL cluster (DANGQUN_TEST_PG_URL)")


@pytest.fixture
def cluster():
    """An empty database made by the cluster's superuser, a second login account, and URLs for both."""
    name, role = "p_" + uuid.uuid4().hex[:12], "op_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
        c.execute(text(f"CREATE ROLE {role} LOGIN"))
        owner = c.execute(text("SELECT current_user")).scalar()
    url = PG_URL.replace("/postgres?", f"/{name}?").replace("postgresql+psycopg://", "postgresql://")
    yield {"name": name, "role": role, "owner": owner, "owner_url": url,
           "role_url": url.replace(f"postgresql://{owner}@", f"postgresql://{role}@")}
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        c.execute(text(f"DROP ROLE IF EXISTS {role}"))
    admin.dispose()


def _tables(url: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
    engine.dispose()
    return n


def test_an_account_that_does_not_own_the_new_database_is_told_whose_it_is(cluster):
    with pytest.raises(ServerUnavailable) as err:
        open_database(cluster["role_url"])
    said = str(err.value)
    assert cluster["role"] in said and cluster["owner"] in said and cluster["name"] in said
    assert "ALTER DATABASE" in said and "createdb --owner" in said
    assert "ProgrammingError" not in said and "sqlalche.me" not in said
    assert _tables(cluster["owner_url"]) == 0  # nothing was made


def test_an_account_without_rights_on_the_district_database_is_told_to_use_its_owner(cluster):
    db, _ = open_database(cluster["owner_url"])
    site.init_site(db, "320102", "玄武区委", "street")
    db.dispose()
    before = _tables(cluster["owner_url"])
    with pytest.raises(ServerUnavailable) as err:
        open_database(cluster["role_url"])
    said = str(err.value)
    assert f"属于账户 {cluster['owner']}" in said and cluster["role"] in said
    assert "ProgrammingError" not in said and "sqlalche.me" not in said
    assert _tables(cluster["owner_url"]) == before
