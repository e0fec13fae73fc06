"""An encrypted database that neither DANGQUN_DB_KEY nor the stored key opens: the window asks for its key."""

import pytest

from desktop_app.gui import app as gui_app
from desktop_app.gui.shell.key_dialog import KeyDialog
from desktop_app.gui.widgets import common
from desktop_app.services import auth, site
from desktop_app.services.database import KEY_ENV, KeyProblem, open_database
from desktop_app.store import cipher

pytestmark = pytest.mark.sqlite_only
KEY = "correct horse battery staple"


@pytest.fixture
def sealed(tmp_path, monkeypatch, qapp):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setattr(cipher, "stored_key", lambda path: None)  # no operating-system store here
    monkeypatch.setattr(gui_app, "_typed_keys", {})
    db, _ = open_database(tmp_path / "enc.db", KEY)
    auth.cli_actor(db)
    site.init_site(db, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
    db.dispose()
    cipher._keys.clear()  # a fresh program: nothing remembered from opening it above
    assert cipher.file_state(db.path) == "sealed"
    return db.path


def typing(monkeypatch, keys):
    """KeyDialog.exec types the next of `keys` (None: the user cancels); returns what the dialog showed."""
    seen = []

    def exec_(self):
        assert self.key.echoMode() == self.key.EchoMode.Password
        seen.append(self.message.text() if self.message.isVisibleTo(self) else "")
        key = keys.pop(0)
        if key is None:
            return KeyDialog.DialogCode.Rejected
        self.key.setText(key)
        return KeyDialog.DialogCode.Accepted

    monkeypatch.setattr(KeyDialog, "exec", exec_)
    return seen


def test_the_window_asks_for_the_key_and_opens_the_file_with_it(sealed, monkeypatch):
    seen = typing(monkeypatch, ["wrong", KEY])
    ctx = gui_app.open_context(sealed, demo=False)
    assert ctx.site.org_name == "幸福里社区党委" and ctx.db.encrypted
    assert seen[0] == "" and "密钥不正确" in seen[1] and "2 次" in seen[1]
    ctx.db.dispose()
    again = gui_app.open_context(sealed, demo=False)  # a reopen (after a restore) does not ask again
    assert again.site.org_name == "幸福里社区党委" and seen == ["", seen[1]]
    again.db.dispose()


def test_three_wrong_keys_stop_with_a_clear_message_and_the_file_untouched(sealed, monkeypatch):
    before = sealed.read_bytes()
    typing(monkeypatch, ["one", "two", "three"])
    asked = []
    monkeypatch.setattr(common, "ask", lambda *a: asked.append(a) or False)
    with pytest.raises(KeyProblem, match="已输错 3 次"):
        gui_app._open_or_recover(sealed, demo=False)
    assert asked == []  # a wrong key is not a damaged file: no backup is offered over it
    assert sealed.read_bytes() == before


def test_a_cancel_says_the_key_is_needed(sealed, monkeypatch):
    typing(monkeypatch, [None])
    with pytest.raises(KeyProblem, match="没有输入密钥"):
        gui_app.open_context(sealed, demo=False)


def test_no_question_when_the_environment_key_opens_it(sealed, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    typing(monkeypatch, [])  # any question would fail: nothing to type
    ctx = gui_app.open_context(sealed, demo=False)
    assert ctx.site.org_name == "幸福里社区党委"
    ctx.db.dispose()


def test_a_wrong_environment_key_is_not_taken_for_damage(sealed, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "not the key")
    typing(monkeypatch, [KEY])
    ctx = gui_app.open_context(sealed, demo=False)
    assert ctx.site.org_name == "幸福里社区党委"
    ctx.db.dispose()
