"""Shared fixtures. Tests run headless: Qt uses the offscreen platform unless told otherwise."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DANGQUN_SYNC_PASSPHRASE", "test-sync-passphrase")  # sync private key files

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder from a test."""
    monkeypatch.setenv("DANGQUN_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def empty_db(tmp_path):
    """A real SQLite file migrated to head, with no site yet."""
    from desktop_app.services.database import open_database

    db, _ = open_database(tmp_path / "test.db")
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db):
    """A migrated database set up as a community under a street office."""
    from desktop_app.services import site

    site.init_site(empty_db, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
    return empty_db
