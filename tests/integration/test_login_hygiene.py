"""Log-in hardening on a real database file: NFC passwords, printable login names, forced password change."""

import base64
import unicodedata

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth

COMPOSED = "Café-Zürich-2026"  # é and ü as single code points (NFC)
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)  # e + combining acute, u + combining diaeresis


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def test_the_same_password_typed_composed_or_decomposed_logs_in(db):
    assert COMPOSED != DECOMPOSED
    auth.create_first_admin(db, "admin", "管理员", "admin-pass-1")
    auth.create_user(db, "li", "李委员", "secretary", DECOMPOSED, must_change_password=False)
    assert auth.login(db, "li", COMPOSED).login == "li"
    assert auth.login(db, "li", DECOMPOSED).login == "li"
    with pytest.raises(auth.LoginFailed):
        auth.login(db, "li", "Cafe-Zurich-2026")  # without the accents it is another password


def test_a_hash_stored_before_normalisation_still_verifies():
    """A decomposed password hashed as typed (before NFC) still matches, typed either way."""
    salt = b"0123456789abcdef"
    n, r, p, length = 2**10, 8, 1, 32
    key = auth.passwords._derive(DECOMPOSED, salt, n, r, p, length)
    stored = (base64.b64encode(key).decode(), base64.b64encode(salt).decode(), f"scrypt:n={n},r={r},p={p},len={length}")
    assert auth.verify_password(DECOMPOSED, *stored)
    assert auth.verify_password(COMPOSED, *stored)
    assert not auth.verify_password("Cafe-Zurich-2026", *stored)


@pytest.mark.parametrize("login", ["ad\u202emin", "li\u200b", "wang\u2066li", "zhao\x07", "li\u200f"])
def test_login_names_with_bidi_or_invisible_characters_are_refused(db, login):
    auth.create_first_admin(db, "admin", "管理员", "admin-pass-1")
    with pytest.raises(ValidationError, match="不可见字符或文字方向控制符"):
        auth.create_user(db, login, "某人", "viewer", "password-123")
    assert [u.login for u in auth.list_users(db)] == ["admin"]


def test_a_first_administrator_with_a_disguised_name_is_refused(empty_db):
    with pytest.raises(ValidationError, match="登录名"):
        auth.create_first_admin(empty_db, "adm\u202ein", "管理员", "admin-pass-1")
    assert not auth.has_users(empty_db)


def test_login_names_are_stored_composed_so_both_spellings_find_the_account(db):
    auth.create_first_admin(db, "admin", "管理员", "admin-pass-1")
    auth.create_user(db, "jos\u0065\u0301", "José", "viewer", "password-123", must_change_password=False)
    assert [u.login for u in auth.list_users(db)][-1] == "jos\u00e9"
    assert auth.login(db, "jos\u00e9", "password-123").name == "José"
    assert auth.login(db, "jos\u0065\u0301", "password-123").name == "José"


def test_the_command_line_refuses_an_account_that_must_change_its_password(db):
    auth.create_first_admin(db, "admin", "管理员", "admin-pass-1")
    auth.create_user(db, "li", "李委员", "secretary", "first-pass-1")  # must change at first log-in
    with pytest.raises(auth.PasswordChangeRequired, match="须先修改密码"):
        auth.cli_actor(db, "li", "first-pass-1")
    assert db.actor is None  # nobody acts after the refusal
    actor = auth.cli_actor(db, "li", "first-pass-1", changing_password=True)
    assert actor.must_change_password
    auth.change_password(db, "first-pass-1", "second-pass-2")
    assert not auth.cli_actor(db, "li", "second-pass-2").must_change_password
