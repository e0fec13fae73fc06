"""The street's key as packages use it: signing, encryption, and the fingerprint that names it.

The key is 32 random bytes. From it come two keys of their own (HKDF): one
signs manifests (HMAC-SHA256), one encrypts packages (AES-256-GCM). Its
fingerprint, shown to people and carried in packages, is an HMAC of the key,
so it names the key without giving it away. The key itself never goes to a
log or a repr.
"""

from __future__ import annotations

import hashlib
import hmac

from desktop_app.domain.errors import ValidationError

KEY_BYTES = 32


def fingerprint_bytes(raw: bytes) -> bytes:
    return hmac.new(raw, b"dangqun-sync fingerprint", hashlib.sha256).digest()[:8]


def format_fingerprint(fp: bytes) -> str:
    h = fp.hex().upper()
    return "-".join(h[i:i + 4] for i in range(0, len(h), 4))


def fingerprint_of(raw: bytes) -> str:
    return format_fingerprint(fingerprint_bytes(raw))


def _derive(raw: bytes, label: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(raw)


class StreetKey:
    """The secret, with what packages need of it. Never printed."""

    __slots__ = ("_mac_key", "_enc_key", "fingerprint_bytes", "fingerprint")

    def __init__(self, raw: bytes):
        if len(raw) != KEY_BYTES:
            raise ValidationError("街道密钥", "长度不对，密钥文件可能已损坏")
        self._mac_key = _derive(raw, b"dangqun-sync manifest hmac")
        self._enc_key = _derive(raw, b"dangqun-sync package aes-gcm")
        self.fingerprint_bytes = fingerprint_bytes(raw)
        self.fingerprint = format_fingerprint(self.fingerprint_bytes)

    def __repr__(self) -> str:
        return f"StreetKey(fingerprint={self.fingerprint})"

    def sign(self, data: bytes) -> bytes:
        return hmac.new(self._mac_key, data, hashlib.sha256).hexdigest().encode("ascii")

    def verify(self, data: bytes, signature: bytes) -> bool:
        return hmac.compare_digest(self.sign(data), signature.strip())

    def aead(self):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(self._enc_key)
