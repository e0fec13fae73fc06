"""Where the data lives is shown to people (status bar, messages) without the server password."""

from desktop_app.services.database import shown_url


def test_a_server_url_is_shown_without_its_password():
    shown = shown_url("postgresql+psycopg://op:s3cret@db.example/district?sslmode=require")
    assert "s3cret" not in shown
    assert "op" in shown and "db.example/district" in shown
