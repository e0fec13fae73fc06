"""Where the data lives is shown to people (status bar, messages) without the server password."""

from desktop_app.services.database import shown_url


def test_a_server_url_is_shown_without_its_password():
    shown = shown_url("postgresql+psycopg://op:s3cret@db.example/district?sslmode=require")
    assert "s3cret" not in shown
    assert "op" in shown and "db.example/district" in shown


def test_a_server_url_is_shown_as_it_is_typed_and_as_pg_dump_takes_it():
    # The status bar read postgresql+psycopg://…: the driver's name, which --db-url, psql and pg_dump do not take.
    shown = shown_url("postgresql+psycopg://dangqun_admin@/dangqun?host=/run/pg")
    assert shown == "postgresql://dangqun_admin@/dangqun?host=/run/pg"
