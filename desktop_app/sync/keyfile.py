"""The key file: how the street's key travels to a community (by hand, on a USB stick).

Besides the key it carries the street office's node of the org tree, so a
community that takes the key hangs its 社区党委 under the very same node the
street has: the street sees one tree, not a copy of its own root per community.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.domain.errors import ValidationError
from desktop_app.store.models import Organization
from desktop_app.sync.codec import row_to_texts
from desktop_app.sync.crypto import KEY_BYTES, fingerprint_of
from desktop_app.sync.package import atomic_write

KEY_FORMAT = "dangqun-street-key"
KEY_FORMAT_VERSION = 1
KEY_SUFFIX = ".dqkey"


def org_texts(node: Organization | None) -> dict[str, str] | None:
    """The street's org node as column -> text, as the key file carries it."""
    if node is None:
        return None
    table = Organization.__table__
    return row_to_texts(table, {c.name: getattr(node, c.key) for c in table.columns})


def key_document(raw: bytes, fingerprint: str, street_site_id: str, street_org_code: str, street_org_name: str,
                 created_at: datetime, street_org: dict[str, str] | None) -> bytes:
    doc = {
        "format": KEY_FORMAT,
        "version": KEY_FORMAT_VERSION,
        "street": {
            "site_id": street_site_id,
            "org_code": street_org_code,
            "org_name": street_org_name,
        },
        "street_org": street_org,
        "fingerprint": fingerprint,
        "created_at": created_at.isoformat(timespec="seconds"),
        "note": "街道同步密钥：请妥善保管，只交给本街道的社区；丢失后请在街道重新生成。",
        "key": base64.b64encode(raw).decode("ascii"),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def write_document(path: Path, document: bytes) -> None:
    atomic_write(Path(path), document)


@dataclass(frozen=True)
class KeyFile:
    raw: bytes
    fingerprint: str
    street_site_id: str
    street_org_code: str
    street_org_name: str
    street_org: dict[str, str] | None

    def __repr__(self) -> str:
        return f"KeyFile({self.street_org_name}, fingerprint={self.fingerprint})"


def read_key_file(path: Path) -> KeyFile:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError("密钥文件", f"找不到文件 {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError("密钥文件", f"{path.name} 不是街道密钥文件") from None
    if not isinstance(doc, dict) or doc.get("format") != KEY_FORMAT:
        raise ValidationError("密钥文件", f"{path.name} 不是街道密钥文件")
    if doc.get("version") != KEY_FORMAT_VERSION:
        raise ValidationError("密钥文件", "版本不符，请用同一版本的程序重新生成")
    try:
        raw = base64.b64decode(doc["key"], validate=True)
        street = doc["street"]
        fp = str(doc["fingerprint"])
        code, name, sid = str(street["org_code"]), str(street["org_name"]), str(street["site_id"])
    except (KeyError, TypeError, ValueError):
        raise ValidationError("密钥文件", "内容不完整，文件可能已损坏") from None
    if len(raw) != KEY_BYTES or fingerprint_of(raw) != fp:
        raise ValidationError("密钥文件", "密钥与指纹不符，文件已损坏或被改动过")
    street_org = doc.get("street_org")
    if street_org is not None and not (
        isinstance(street_org, dict) and all(isinstance(v, str) for v in street_org.values())
    ):
        raise ValidationError("密钥文件", "街道组织信息格式错误")
    return KeyFile(raw, fp, sid, code, name, street_org)
