"""Password hashing: scrypt (memory-hard, in the standard library), with the salt and parameters stored beside the hash.

Stronger parameters later re-hash a password at its next log-in (`outdated`).
A password is never stored or logged. Passwords are hashed in Unicode NFC, so
the same password typed on a keyboard that composes accents differently (NFD)
still matches; hashes stored before that still verify (see `verify_password`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from datetime import datetime

from desktop_app.store.models_access import User

# scrypt with N=2^15, r=8, p=1 needs 32 MiB and about 0.4 s on a slow 2-core PC:
# costly for a guesser with a stolen file, tolerable once per log-in.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN, SALT_LEN = 2**15, 8, 1, 32, 16


def _params_text(n: int, r: int, p: int, length: int) -> str:
    return f"scrypt:n={n},r={r},p={p},len={length}"


def _parse_params(text: str) -> tuple[int, int, int, int]:
    kind, _, rest = text.partition(":")
    if kind != "scrypt":
        raise ValueError(f"unknown password scheme {kind!r}")
    values = dict(part.split("=", 1) for part in rest.split(","))
    return int(values["n"]), int(values["r"]), int(values["p"]), int(values["len"])


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # maxmem: OpenSSL refuses above 32 MiB by default; allow the parameters' need plus room.
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024)


def normal(password: str) -> str:
    """The password as it is hashed: NFC, so composed and decomposed spellings are one password."""
    return unicodedata.normalize("NFC", password)


def hash_password(password: str) -> tuple[str, str, str]:
    """(hash, salt, params), base64 and text, ready to store. The password itself is not kept."""
    salt = os.urandom(SALT_LEN)
    key = _derive(normal(password), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN)
    return (base64.b64encode(key).decode("ascii"), base64.b64encode(salt).decode("ascii"),
            _params_text(SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN))


def _spellings(password: str) -> list[str]:
    """NFC first; a hash stored before normalisation may hold the raw or the NFD spelling."""
    found: list[str] = []
    for candidate in (normal(password), password, unicodedata.normalize("NFD", password)):
        if candidate not in found:
            found.append(candidate)
    return found


def verify_password(password: str, stored_hash: str, salt: str, params: str) -> bool:
    try:
        n, r, p, length = _parse_params(params)
        expected = base64.b64decode(stored_hash)
        raw_salt = base64.b64decode(salt)
        # Only a password with accents has more than one spelling (one scrypt each).
        return any(hmac.compare_digest(_derive(c, raw_salt, n, r, p, length), expected)
                   for c in _spellings(password))
    except (ValueError, KeyError):
        return False


def outdated(params: str) -> bool:
    """True when a stored hash used weaker parameters than today's (re-hash it at the next log-in)."""
    try:
        n, r, p, length = _parse_params(params)
    except (ValueError, KeyError):
        return True
    return (n, r, p, length) < (SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN)


def set_password(user: User, password: str, now: datetime) -> None:
    """Store a new password's hash, salt and parameters on the account row."""
    user.password_hash, user.password_salt, user.kdf_params = hash_password(password)
    user.password_changed_at = now


_DUMMY: tuple[str, str, str] | None = None


def burn_time(password: str) -> None:
    """Hash anyway for an unknown name, so timing does not tell which names exist."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_password("dummy-password")
    verify_password(password, *_DUMMY)
