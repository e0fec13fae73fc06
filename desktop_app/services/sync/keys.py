"""The street's key: made once at the street office, taken by each community (with its checks and audit).

The street makes the key and writes the key file; a community takes it and
hangs its 社区党委 under the street's own node of the org tree, so the street
sees one tree. The key never goes to a log or the audit trail, only its fingerprint.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from sqlalchemy import insert, select, update

from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.sync_rules import COMMUNITY, STREET
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncExport, SyncIdentity, SyncPeer, SyncRowState
from desktop_app.sync import keyfile
from desktop_app.sync.codec import texts_to_row
from desktop_app.sync.crypto import KEY_BYTES, StreetKey, fingerprint_of
from desktop_app.sync.keyfile import KEY_SUFFIX, KeyFile, read_key_file
from desktop_app.views.sync import KeyInfo, KeyUseResult

__all__ = ["KEY_SUFFIX", "KeyFile", "KeyInfo", "KeyUseResult", "StreetKey", "key_info", "load_key", "new_key",
           "read_key_file", "use_key", "write_key_file"]


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


def _document(raw: bytes, row: SyncIdentity, node: Organization | None) -> bytes:
    return keyfile.key_document(raw, row.fingerprint, row.street_site_id, row.street_org_code, row.street_org_name,
                                row.set_at, keyfile.org_texts(node))


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
        row.fingerprint = fingerprint_of(raw)
        row.street_site_id = site.id
        row.street_org_code = site.org_code
        row.street_org_name = node.name if node else site.org_name
        row.set_at = utcnow()
        s.flush()
        doc = _document(raw, row, node)
        info = _info(row)
        audit.record(s, "setting", SyncIdentity.__tablename__, "1",
                     f"{'更换' if replace else '生成'}街道同步密钥（指纹 {info.fingerprint}），密钥文件 {Path(out).name}")
        # The file first: if it cannot be written, the database keeps its old key.
        keyfile.write_document(Path(out), doc)
        uow.commit()
    return info


def write_key_file(db: Database, out: Path) -> KeyInfo:
    """At the street office: write the existing key again (for a community that joins later)."""
    auth.require(db, "settings.write")
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        if row is None or row.role != STREET:
            raise Conflict("本库没有街道密钥可以另存：请先生成街道密钥")
        raw = base64.b64decode(row.key_b64)
        node = _street_node(s, row.street_org_code)
        keyfile.write_document(Path(out), _document(raw, row, node))
        return _info(row)


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
