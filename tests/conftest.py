"""Shared fixtures. Tests run headless: Qt uses the offscreen platform unless told otherwise."""

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DANGQUN_SYNC_PASSPHRASE", "test-sync-passphrase")  # sync private key files

import pytest  # noqa: E402

pytest_plugins = ("pytester",)  # tests of our test fixtures run a small pytest of their own


@pytest.fixture(autouse=True, scope="session")
def _session_data_dir(tmp_path_factory):
    """A data folder for module- and session-scoped fixtures too, which run before the one below: a demo
    they make keeps photos in the data folder, and it must not be the user's own."""
    patch = pytest.MonkeyPatch()
    patch.setenv("DANGQUN_DATA_DIR", str(tmp_path_factory.mktemp("session-data")))
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder from a test."""
    monkeypatch.setenv("DANGQUN_DATA_DIR", str(tmp_path_factory.mktemp("data")))


# Set by `bootstrap test` (tests/pgcluster.py): the fixtures' databases live on that
# PostgreSQL server instead of in SQLite files. Tests that open their own files stay on SQLite.
PG_URL = os.environ.get("DANGQUN_TEST_PG_URL", "")


@pytest.fixture(scope="session")
def _pg_template():
    """A database migrated to head once per run; each test copies it (CREATE DATABASE ... TEMPLATE)."""
    from sqlalchemy import create_engine, text

    from desktop_app.store import migrate
    from desktop_app.store.db import Database

    # One template per run (its own name), so two runs on one cluster never drop each other's.
    name = f"dangqun_template_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {name}"))
    template = Database(PG_URL.replace("/postgres?", f"/{name}?"))
    migrate.upgrade(template)
    template.dispose()
    yield admin, name
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    """A plain SQLite file migrated to head once per run (per worker): migrating a new file takes about
    0.7 s, copying this one 15 ms, and most of the suite's tests start from an empty database."""
    from desktop_app.services.database import open_database

    path = tmp_path_factory.mktemp("template") / "template.db"
    db, _ = open_database(path, key="")
    db.dispose()
    assert not Path(f"{path}-wal").exists(), "the template must be whole in its one file before it is copied"
    return path


@pytest.fixture
def empty_db(tmp_path, request):
    """A real database migrated to head, with no site yet: an SQLite file, or PostgreSQL when asked."""
    if PG_URL and not request.node.get_closest_marker("sqlite_only"):
        import uuid

        from sqlalchemy import text

        from desktop_app.store.db import Database

        admin, template = request.getfixturevalue("_pg_template")
        name = "t_" + uuid.uuid4().hex[:16]
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
        db = Database(PG_URL.replace("/postgres?", f"/{name}?"))
        yield db
        db.dispose()
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        return
    from desktop_app.services.database import open_database
    from desktop_app.store import cipher

    path = tmp_path / "test.db"
    if not cipher.env_key():  # an encrypted run makes its file itself
        shutil.copy2(request.getfixturevalue("_sqlite_template"), path)
    db, _ = open_database(path)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db):
    """A migrated database set up as a community under a street office."""
    from desktop_app.services import site

    site.init_site(empty_db, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
    return empty_db
