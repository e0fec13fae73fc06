"""A site's private keys at rest: a file of their own (0600 on POSIX), never in the database.

The keys are sealed with AES-256-GCM under a key that is either
- kept by the operating system (Windows: DPAPI through the keyring package,
  where it is installed), or
- derived from a passphrase with scrypt (everywhere else, or when asked):
  the passphrase comes from DANGQUN_SYNC_PASSPHRASE (scripts, tests) or from a
  provider the CLI / GUI registers (a prompt).
A copied database, backup or log therefore holds no private key; a copied key
file is useless without the passphrase (or the Windows account).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Callable

from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.sync.crypto import SiteKeys

FORMAT = "dangqun-sync-private-key"
VERSION = 2
PASSPHRASE_ENV = "DANGQUN_SYNC_PASSPHRASE"
KEYRING_SERVICE = "dangqun-sync"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
MIN_PASSPHRASE = 8

_provider: Callable[[bool], str | None] | None = None


def set_passphrase_provider(fn: Callable[[bool], str | None] | None) -> None:
    """fn(new: bool) -> passphrase or None; `new` asks for one to protect a new key (confirm it)."""
    global _provider
    _provider = fn


def _passphrase(new: bool) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if not value and _provider is not None:
        value = _provider(new)
    if not value:
        raise Conflict(f"需要同步密钥的口令：请输入口令，或在脚本中设置环境变量 {PASSPHRASE_ENV}")
    if new and len(value) < MIN_PASSPHRASE:
        raise ValidationError("口令", f"至少 {MIN_PASSPHRASE} 个字符")
    return value


def _keyring():
    if sys.platform != "win32" or os.environ.get(PASSPHRASE_ENV):
        return None
    try:
        import keyring  # DPAPI-backed on Windows
    except ImportError:
        return None
    return keyring


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def sealed(keys: SiteKeys, label: str) -> bytes:
    """A key file's bytes holding `keys` sealed (for a caller that puts the file in place itself, 0600)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    doc: dict = {"format": FORMAT, "version": VERSION, "label": label,
                 "sign_public": base64.b64encode(keys.sign_public).decode("ascii"),
                 "box_public": base64.b64encode(keys.box_public).decode("ascii")}
    kr = _keyring()
    if kr is not None:
        wrap = secrets.token_bytes(32)
        account = secrets.token_hex(8)
        kr.set_password(KEYRING_SERVICE, account, base64.b64encode(wrap).decode("ascii"))
        doc["protection"] = {"kind": "keyring", "account": account}
    else:
        salt = secrets.token_bytes(16)
        wrap = _scrypt(_passphrase(new=True), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        doc["protection"] = {"kind": "scrypt", "salt": base64.b64encode(salt).decode("ascii"),
                             "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
    nonce = secrets.token_bytes(12)
    aad = (doc["sign_public"] + doc["box_public"]).encode("ascii")
    doc["nonce"] = base64.b64encode(nonce).decode("ascii")
    doc["sealed"] = base64.b64encode(AESGCM(wrap).encrypt(nonce, keys.private_bytes(), aad)).decode("ascii")
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def read(path: Path) -> SiteKeys:
    """The keys in a key file; asks for the passphrase where they are protected by one."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Conflict(f"找不到本库的同步私钥文件 {path}：请把它放回原处；找不回时，"
                       "社区在“数据同步”页点“重新登记…”，街道点“更换密钥…”") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError("私钥文件", f"{path.name} 不是同步私钥文件") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise ValidationError("私钥文件", f"{path.name} 不是本版本的同步私钥文件")
    try:
        prot = doc["protection"]
        nonce = base64.b64decode(doc["nonce"])
        sealed = base64.b64decode(doc["sealed"])
        aad = (doc["sign_public"] + doc["box_public"]).encode("ascii")
        if prot["kind"] == "keyring":
            kr = _keyring_for_read()
            stored = kr.get_password(KEYRING_SERVICE, prot["account"])
            if not stored:
                raise Conflict("本机的系统密钥库中没有这把私钥的保护密钥：请在原来的电脑和账户上使用，或重新登记")
            wrap = base64.b64decode(stored)
        else:
            wrap = _scrypt(_passphrase(new=False), base64.b64decode(prot["salt"]),
                           int(prot["n"]), int(prot["r"]), int(prot["p"]))
    except (KeyError, TypeError, ValueError):
        raise ValidationError("私钥文件", "内容不完整，文件可能已损坏") from None
    try:
        raw = AESGCM(wrap).decrypt(nonce, sealed, aad)
    except InvalidTag:
        raise Conflict("同步私钥的口令不对（或私钥文件被改动过）") from None
    keys = SiteKeys(raw[:32], raw[32:])
    if base64.b64encode(keys.sign_public).decode("ascii") != doc["sign_public"]:
        raise ValidationError("私钥文件", "私钥与公钥不符，文件已损坏")
    return keys


def _keyring_for_read():
    try:
        import keyring
    except ImportError:
        raise Conflict("私钥由 Windows 系统密钥库保护，但本机没有安装 keyring") from None
    return keyring
