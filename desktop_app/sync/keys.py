"""The street's key: made once at the street office, taken by each of its communities.

The key is 32 random bytes. From it come two keys of their own (HKDF): one
signs manifests (HMAC-SHA256), one encrypts packages (AES-256-GCM). Its
fingerprint, shown to people and carried in packages, is an HMAC of the key,
so it names the key without giving it away. The key itself never goes to a
log or a repr.

The key file also carries the street office's node of the org tree, so a
community that takes the key hangs its 社区党委 under the very same node the
street has: the street sees one tree, not a copy of its own root per community.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncExport, SyncIdentity, SyncPeer, SyncRowState, row_to_texts, texts_to_row
from desktop_app.sync.package import atomic_write

KEY_FORMAT = "dangqun-street-key"
KEY_FORMAT_VERSION = 1
KEY_SUFFIX = ".dqkey"
KEY_BYTES = 32
STREET = "street"
COMMUNITY = "community"


def fingerprint_bytes(raw: bytes) -> bytes:
    return hmac.new(raw, b"dangqun-sync fingerprint", hashlib.sha256).digest()[:8]


def format_fingerprint(fp: bytes) -> str:
    h = fp.hex().upper()
    return "-".join(h[i:i + 4] for i in range(0, len(h), 4))


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


@dataclass(frozen=True)
class KeyInfo:
    role: str  # street | community
    fingerprint: str
    street_site_id: str
    street_org_code: str
    street_org_name: str
    set_at: datetime


@dataclass(frozen=True)
class KeyUseResult:
    info: KeyInfo
    replaced: bool  # a key was there before
    street_changed: bool  # ... of another street: the next export carries everything
    moved_under_street: bool  # the 社区党委 now hangs under the street's own node


def _info(row: SyncIdentity) -> KeyInfo:
    return KeyInfo(row.role, row.fingerprint, row.street_site_id, row.street_org_code, row.street_org_name,
                   row.set_at)


def key_info(db: Database) -> KeyInfo | None:
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        return _info(row) if row else None


def load_key(db: Database) -> tuple[StreetKey, KeyInfo]:
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        if row is None:
            site = site_service.get_site(db)
            if site is not None and site.level == STREET:
                raise Conflict("本库还没有街道密钥：请先生成街道密钥（dangqun sync key new）")
            raise Conflict("本库还没有街道密钥：请先导入街道发来的密钥文件（dangqun sync key use）")
        return StreetKey(base64.b64decode(row.key_b64)), _info(row)


def _street_node(s, org_code: str) -> Organization | None:
    return s.scalar(
        select(Organization)
        .where(Organization.kind == OrgKind.STREET.value, Organization.code == org_code,
               Organization.deleted.is_(False))
        .order_by(Organization.created_at)
        .limit(1)
    )


def _key_document(raw: bytes, row: SyncIdentity, street_org: dict[str, str] | None) -> bytes:
    doc = {
        "format": KEY_FORMAT,
        "version": KEY_FORMAT_VERSION,
        "street": {
            "site_id": row.street_site_id,
            "org_code": row.street_org_code,
            "org_name": row.street_org_name,
        },
        "street_org": street_org,
        "fingerprint": row.fingerprint,
        "created_at": row.set_at.isoformat(timespec="seconds"),
        "note": "街道同步密钥：请妥善保管，只交给本街道的社区；丢失后请在街道重新生成。",
        "key": base64.b64encode(raw).decode("ascii"),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def new_key(db: Database, out: Path, replace: bool = False) -> KeyInfo:
    """At the street office: make the street's key, keep it, and write the key file for communities."""
    site = site_service.get_site(db)
    if site is None or site.level != STREET:
        raise Conflict("只有街道数据库可以生成街道密钥；社区请导入街道发来的密钥文件")
    auth.require(db, "settings.write")
    raw = secrets.token_bytes(KEY_BYTES)
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.get(SyncIdentity, 1)
        if row is not None and not replace:
            raise Conflict(
                f"本库已有街道密钥（指纹 {row.fingerprint}）。给新社区再发一份请用“另存密钥文件”"
                "（dangqun sync key copy）；换新密钥会让各社区手里的旧密钥作废"
            )
        node = _street_node(s, site.org_code)
        if row is None:
            row = SyncIdentity(id=1)
            s.add(row)
        row.role = STREET
        row.key_b64 = base64.b64encode(raw).decode("ascii")
        row.fingerprint = format_fingerprint(fingerprint_bytes(raw))
        row.street_site_id = site.id
        row.street_org_code = site.org_code
        row.street_org_name = node.name if node else site.org_name
        row.set_at = utcnow()
        s.flush()
        doc = _key_document(raw, row, _org_texts(node))
        info = _info(row)
        audit.record(s, "setting", SyncIdentity.__tablename__, "1",
                     f"{'更换' if replace else '生成'}街道同步密钥（指纹 {info.fingerprint}），密钥文件 {Path(out).name}")
        # The file first: if it cannot be written, the database keeps its old key.
        atomic_write(Path(out), doc)
        uow.commit()
    return info


def _org_texts(node: Organization | None) -> dict[str, str] | None:
    if node is None:
        return None
    table = Organization.__table__
    return row_to_texts(table, {c.name: getattr(node, c.key) for c in table.columns})


def write_key_file(db: Database, out: Path) -> KeyInfo:
    """At the street office: write the existing key again (for a community that joins later)."""
    auth.require(db, "settings.write")
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        if row is None or row.role != STREET:
            raise Conflict("本库没有街道密钥可以另存：请先生成街道密钥")
        raw = base64.b64decode(row.key_b64)
        node = _street_node(s, row.street_org_code)
        atomic_write(Path(out), _key_document(raw, row, _org_texts(node)))
        return _info(row)


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
    if len(raw) != KEY_BYTES or format_fingerprint(fingerprint_bytes(raw)) != fp:
        raise ValidationError("密钥文件", "密钥与指纹不符，文件已损坏或被改动过")
    street_org = doc.get("street_org")
    if street_org is not None and not (
        isinstance(street_org, dict) and all(isinstance(v, str) for v in street_org.values())
    ):
        raise ValidationError("密钥文件", "街道组织信息格式错误")
    return KeyFile(raw, fp, sid, code, name, street_org)


def use_key(db: Database, path: Path) -> KeyUseResult:
    """At a community: take the street's key from its key file, and hang the 社区党委 under the street."""
    kf = read_key_file(path)
    site = site_service.get_site(db)
    if site is None:
        raise Conflict("请先设置本社区的信息，再导入街道密钥")
    if site.level != COMMUNITY:
        raise Conflict("街道数据库不导入密钥：街道的密钥在本库生成")
    if kf.street_site_id == site.id:
        raise Conflict("这是本库自己的密钥文件")
    auth.require(db, "settings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.get(SyncIdentity, 1)
        replaced = row is not None
        street_changed = replaced and (row.street_site_id != kf.street_site_id)
        if row is None:
            row = SyncIdentity(id=1)
            s.add(row)
        row.role = COMMUNITY
        row.key_b64 = base64.b64encode(kf.raw).decode("ascii")
        row.fingerprint = kf.fingerprint
        row.street_site_id = kf.street_site_id
        row.street_org_code = kf.street_org_code
        row.street_org_name = kf.street_org_name
        row.set_at = utcnow()
        if street_changed:
            # Another street never had our data: what it "confirmed" means nothing now.
            s.execute(update(SyncExport).values(confirmed_at=None))
        moved = _hang_under_street(s, site, kf)
        peer = s.get(SyncPeer, kf.street_site_id)
        if peer is None:
            peer = SyncPeer(site_id=kf.street_site_id, first_seen=utcnow(), last_package_id="", last_seq=0,
                            last_size=0, last_rows=0, last_counts="{}", packages=0)
            s.add(peer)
        peer.level = STREET
        peer.org_code = kf.street_org_code
        peer.org_name = kf.street_org_name
        peer.org_id = (kf.street_org or {}).get("id") or peer.org_id
        s.flush()
        info = _info(row)
        audit.record(s, "setting", SyncIdentity.__tablename__, "1",
                     f"导入{kf.street_org_name}的同步密钥（指纹 {kf.fingerprint}）")
        uow.commit()
    return KeyUseResult(info=info, replaced=replaced, street_changed=street_changed, moved_under_street=moved)


def _hang_under_street(s, site, kf: KeyFile) -> bool:
    if not kf.street_org:
        return False
    table = Organization.__table__
    try:
        values = texts_to_row(table, kf.street_org)
    except ValueError:
        raise ValidationError("密钥文件", "街道组织信息无法读取") from None
    node_id = values.get("id")
    if not node_id or values.get("kind") != OrgKind.STREET.value:
        return False
    if s.get(Organization, node_id) is None:
        # Exactly the street's row, stamps and all: when it comes back in our
        # package, the street finds it unchanged.
        s.execute(insert(table), [values])
    s.merge(SyncRowState(
        peer_site=kf.street_site_id, table_name=table.name, row_id=node_id,
        version=int(values["version"]), site=str(values["updated_by_site"]), agreed_at=utcnow(),
        introduced=False, local_version=None, local_site=None,
    ))
    community = s.scalar(
        select(Organization)
        .where(Organization.kind == OrgKind.COMMUNITY.value, Organization.deleted.is_(False))
        .order_by((Organization.code == site.org_code).desc(), Organization.created_at)
        .limit(1)
    )
    if community is None or community.parent_id == node_id:
        return False
    old_parent_id = community.parent_id
    community.parent_id = node_id
    s.flush()
    if old_parent_id:
        old = s.get(Organization, old_parent_id)
        others = s.scalar(
            select(Organization.id).where(Organization.parent_id == old_parent_id, Organization.deleted.is_(False))
            .limit(1)
        )
        if old is not None and old.kind == OrgKind.STREET.value and others is None:
            old.deleted = True  # the local stand-in for the street, now empty
            s.flush()
    return True
