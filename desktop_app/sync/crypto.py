"""Keys as packages use them: each site signs with its own Ed25519 key; packages are encrypted to one reader.

Every site (the street and each community) has two key pairs: Ed25519 to sign
what it sends, X25519 to be sent to. A package is sealed to its one reader:
an ephemeral X25519 key agreed with the reader's public key, HKDF-SHA256 to an
AES-256-GCM key, the file header as associated data. So a community's package
can be read only by the street, and the street's package for community A only
by A. Fingerprints (8 bytes of SHA-256 over public keys) name keys to people.
Private keys never go to a log or a repr; how they are kept at rest is keystore.
"""

from __future__ import annotations

import hashlib
import secrets

from desktop_app.domain.errors import ValidationError

PUBLIC_BYTES = 32
FP_BYTES = 8
NONCE_BYTES = 12


def format_fingerprint(fp: bytes) -> str:
    h = fp.hex().upper()
    return "-".join(h[i:i + 4] for i in range(0, len(h), 4))


def fingerprint_bytes(*parts: bytes) -> bytes:
    h = hashlib.sha256(b"dangqun-sync fingerprint v2")
    for p in parts:
        h.update(len(p).to_bytes(2, "big"))
        h.update(p)
    return h.digest()[:FP_BYTES]


def fingerprint_of(*parts: bytes) -> str:
    return format_fingerprint(fingerprint_bytes(*parts))


def enrolment_fingerprint(org_code: str, sign_public: bytes, box_public: bytes) -> str:
    """What both screens show at enrolment: the request's org code and public keys."""
    return fingerprint_of(org_code.encode("utf-8"), sign_public, box_public)


def _check_public(raw: bytes, what: str) -> bytes:
    if not isinstance(raw, bytes) or len(raw) != PUBLIC_BYTES:
        raise ValidationError(what, "公钥长度不对，文件可能已损坏")
    return raw


def verify(sign_public: bytes, data: bytes, signature: bytes) -> bool:
    """Is `signature` (hex) the Ed25519 signature of `data` under `sign_public`?"""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        sig = bytes.fromhex(signature.strip().decode("ascii"))
        Ed25519PublicKey.from_public_bytes(sign_public).verify(sig, data)
    except (InvalidSignature, ValueError, UnicodeDecodeError):
        return False
    return True


def _aes_key(shared: bytes, eph_public: bytes, recipient_public: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_public + recipient_public,
                info=b"dangqun-sync v2 package aes-256-gcm").derive(shared)


def seal_to(recipient_public: bytes, data: bytes, prefix: bytes) -> bytes:
    """prefix | recipient fp | ephemeral public | nonce | AES-GCM(data) (the header is authenticated)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    _check_public(recipient_public, "接收方公钥")
    eph = X25519PrivateKey.generate()
    eph_public = eph.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    nonce = secrets.token_bytes(NONCE_BYTES)
    header = prefix + fingerprint_bytes(recipient_public) + eph_public + nonce
    return header + AESGCM(_aes_key(shared, eph_public, recipient_public)).encrypt(nonce, data, header)


def header_len(prefix_len: int) -> int:
    return prefix_len + FP_BYTES + PUBLIC_BYTES + NONCE_BYTES


def recipient_of(data: bytes, prefix_len: int) -> bytes:
    return data[prefix_len:prefix_len + FP_BYTES]


class SiteKeys:
    """One site's two private keys, with what packages need of them. Never printed."""

    __slots__ = ("_sign", "_box", "sign_public", "box_public", "fingerprint")

    def __init__(self, sign_private: bytes, box_private: bytes):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        if len(sign_private) != 32 or len(box_private) != 32:
            raise ValidationError("同步密钥", "长度不对，密钥文件可能已损坏")
        self._sign = Ed25519PrivateKey.from_private_bytes(sign_private)
        self._box = X25519PrivateKey.from_private_bytes(box_private)
        self.sign_public = self._sign.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.box_public = self._box.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.fingerprint = fingerprint_of(self.sign_public)

    @classmethod
    def generate(cls) -> "SiteKeys":
        return cls(secrets.token_bytes(32), secrets.token_bytes(32))

    def private_bytes(self) -> bytes:
        """Both private keys (64 bytes), for keystore to protect and nothing else."""
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        raw = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return self._sign.private_bytes(*raw) + self._box.private_bytes(*raw)

    def __repr__(self) -> str:
        return f"SiteKeys(fingerprint={self.fingerprint})"

    def sign(self, data: bytes) -> bytes:
        return self._sign.sign(data).hex().encode("ascii")

    def open_sealed(self, data: bytes, prefix_len: int) -> bytes:
        """Decrypt what seal_to made for our box key; raises ValueError (wrong reader) or InvalidTag."""
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        n = header_len(prefix_len)
        header = data[:n]
        if recipient_of(data, prefix_len) != fingerprint_bytes(self.box_public):
            raise ValueError("not for this reader")
        at = prefix_len + FP_BYTES
        eph_public = header[at:at + PUBLIC_BYTES]
        nonce = header[at + PUBLIC_BYTES:]
        shared = self._box.exchange(X25519PublicKey.from_public_bytes(eph_public))
        return AESGCM(_aes_key(shared, eph_public, self.box_public)).decrypt(nonce, data[n:], header)
