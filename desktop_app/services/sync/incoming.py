"""Packages in: preview what a package would do, then apply that very preview.

    preview = sync.preview_import(db, path)     # decrypt, verify, decode once; plan
    report = sync.apply_import(db, preview)     # write it, in one transaction

The preview holds the package as read and checked, so applying never opens
the file again (it may be gone from the stick by then). Inside the write
transaction apply re-checks what may have moved since: the permission, the
street key (a package signed under a key replaced meanwhile is refused), and
the stamps the plan was decided on; only if those rows changed meanwhile is
the plan decided again, from the same decoded rows.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.errors import Conflict
from desktop_app.domain.sync_rules import COMMUNITY, UPSTREAM, Decision, PackageRefused
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.sync.keys import key_info, load_keys, signers
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit, scope
from desktop_app.store import dialect as store_dialect
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database
from desktop_app.store.migrate import SYNC_FORMAT
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncImport
from desktop_app.store.models_sync import SyncEnrolment, SyncIdentity, SyncRowState
from desktop_app.sync import decode, handover, merge, ownership, package
from desktop_app.sync.crypto import fingerprint_bytes
from desktop_app.sync.codec import synced_tables
from desktop_app.sync.outgoing import root_org_id
from desktop_app.sync.decode import Verified
from desktop_app.sync.merge import Progress, Stage
from desktop_app.views.sync import ImportReport, KeyInfo

__all__ = ["ImportPreview", "apply_import", "import_package", "preview_import"]


@dataclass(frozen=True, eq=False)
class ImportPreview:
    """A package read, verified and decoded once, and what merging it would do (`report`)."""

    path: Path
    report: ImportReport  # dry_run=True
    fingerprint: str  # the street key it was verified under
    plan: merge.MergePlan


@dataclass(frozen=True)
class Reader:
    """What checking a package takes from this database, read once: a batch reads it once for all its files."""

    site_id: str
    keys: object  # crypto.SiteKeys, unlocked
    info: KeyInfo
    signers: object  # package.SignerLookup
    storage: object  # SQLite takes rows as its own storage values straight from the texts (see sync.decode)
    org_code: str = ""
    readers: tuple[tuple[bytes, str], ...] = ()  # others' box key fingerprints this site knows -> whose
    enrolled: tuple[tuple[str, str], ...] = ()  # at the street: its communities' org codes -> names




def reader(db: Database) -> Reader:
    """The site, the permission, the unlocked keys and who may sign; raises if any is missing."""
    site = site_service.get_site(db)
    if site is None:
        raise Conflict("本库尚未设置所属单位")
    auth.require(db, "sync.import")
    keys, info = load_keys(db)
    dialect = db.engine.dialect
    return Reader(site.id, keys, info, signers(db), dialect if dialect.name == "sqlite" else None,
                  site.org_code, _readers(db), _enrolled(db))


def _readers(db: Database) -> tuple[tuple[bytes, str], ...]:
    """Whose box keys this site knows: at a community its street's, at the street its communities'."""
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        known = [(row.street_box_public, "") if row is not None and row.role == COMMUNITY else None]
        known += [(e.box_public, e.org_name) for e in s.scalars(select(SyncEnrolment))]
    return tuple((fingerprint_bytes(base64.b64decode(k)), name) for k, name in filter(None, known) if k)


def _enrolled(db: Database) -> tuple[tuple[str, str], ...]:
    with db.session() as s:
        return tuple((e.org_code, e.org_name) for e in s.scalars(select(SyncEnrolment)))


def _taken_over(up: str) -> str:
    """What a community this street took over from another does, in the page's button names."""
    return (f"如果该社区已划归本{up}：请它在“数据同步”中“向{up}登记”（登记到本{up}，数据都会保留），"
            f"你在这里“接受社区登记”，它再“导出全部数据”交来")


def _unknown_at_street(path: Path, r: Reader) -> tuple[str, str]:
    """A package sealed to no key of this street: the community its file name carries (同步包_<code>_…), if any,
    and what to do; then the details (this street's key) for whoever checks keys."""
    up = r.info.upper  # 街道 or 区
    street = f"“{r.info.street_org_name}”"
    details = f"本{up}密钥指纹 {r.info.fingerprint}"
    named = re.match(r"同步包_(\d+)_", path.name)
    if named is None:
        return (f"可能是另一个{up}的社区的数据包，或社区登记的是本{up}换钥之前的旧密钥。"
                f"请该社区在“数据同步”中看一看它登记的{up}：是别的{up}，就把数据包交给那个{up}；是{street}，"
                "就重新登记后再导出", details)
    code = named.group(1)
    name = dict(r.enrolled).get(code)
    if name is not None:
        return (f"这是“{name}”（{code}）的数据包，但不是加密给本{up}现用密钥的。该社区登记的可能是本{up}换钥之前的"
                f"旧密钥，或它后来在别的{up}登记过。请该社区在“数据同步”中核对登记的{up}是{street}，"
                "必要时重新登记，再导出全部数据", details)
    return (f"这是组织代码 {code} 的社区的数据包，它是交给另一个{up}的，本{up}没有这个社区的登记。"
            f"请把它交还该社区，由它交给自己所属的{up}导入；" + _taken_over(up), details)


def unknown_sender(exc: package.UnknownSender, path: Path, r: Reader) -> PackageRefused:
    """A readable package from a community not enrolled here: whose it says it is (unverified) and what to do."""
    name, code, street_code = exc.stated
    up = r.info.upper
    if r.info.role == COMMUNITY or not (name or code):
        return PackageRefused(f"数据包“{path.name}”未导入：{exc}")
    whose = f"“{name}”（{code}）" if name else f"组织代码 {code} 的社区"
    elsewhere = (f"数据包上写明它登记在另一个{up}（组织代码 {street_code}），" if street_code and street_code != r.org_code
                 else "")
    return PackageRefused(
        f"数据包“{path.name}”未导入：这是{whose}的数据包，{elsewhere}它不是本{up}登记的社区。"
        f"请把它交还该社区，由它交给自己所属的{up}导入；" + _taken_over(up)
        + f"\n详细信息：本{up}密钥指纹 {r.info.fingerprint}")


def sealed_elsewhere(exc: package.SealedElsewhere, path: Path, r: Reader) -> PackageRefused:
    """Whose a package sealed to another key is, as far as this site can tell, and what to do.

    Only its reader can open it, so the hints are the reader's key fingerprint
    (this site knows its street's, or its communities') and the file name the
    sender gave it (下发包_<community code>_…).
    """
    up = r.info.upper  # at a community: its 街道 or 区; at the top: itself
    whose = dict(r.readers).get(exc.recipient)
    named = re.match(r"下发包_(\d+)_", path.name)
    if r.info.role == COMMUNITY:
        if whose == "":
            what = f"这是社区交给{up}的数据包，应在{up}导入；社区只导入{up}的下发包"
        elif named and named.group(1) != r.org_code:
            what = (f"这是为另一个社区（组织代码 {named.group(1)}）下发的数据包，不是本社区的：请向{up}索取本社区的下发包")
        else:
            what = (f"可能是为其他社区下发的、本社区重新登记之前生成的，或是另一个{up}的；"
                    f"请向{up}索取本社区的下发包，并确认本社区登记的{up}是“{r.info.street_org_name}”")
    elif whose:
        what = f"这是本{up}为“{whose}”生成的下发包，应在该社区导入"
    else:
        what, details = _unknown_at_street(path, r)
        return PackageRefused(f"数据包“{path.name}”未导入：{package.SealedElsewhere(exc.recipient, what, details)}")
    return PackageRefused(f"数据包“{path.name}”未导入：{package.SealedElsewhere(exc.recipient, what)}")


def open_verified(path: Path, r: Reader) -> Verified:
    """Read and check the whole package under the reader's key; raises PackageRefused naming the file."""
    try:
        with decode.quiet_gc():
            return decode.open_package(path, r.keys, r.signers, SYNC_FORMAT, r.site_id, r.info.role,
                                       r.info.street_site_id, r.storage, r.info.upper)
    except package.SealedElsewhere as exc:
        raise sealed_elsewhere(exc, path, r) from None
    except package.UnknownSender as exc:
        raise unknown_sender(exc, path, r) from None
    except PackageRefused as exc:
        raise PackageRefused(f"数据包“{path.name}”未导入：{exc}") from None


def _open(db: Database, path: Path) -> tuple[Verified, str]:
    """Read and check the whole package under this database's key (its fingerprint too); raises PackageRefused."""
    r = reader(db)
    return open_verified(path, r), r.info.fingerprint


def _check(s, p: merge.MergePlan, path: Path) -> dict[str, str]:
    """Every row the package adds or changes is its sender's to send, and closed months stay closed.

    Returns the members a transfer moves to the sending community (id -> former owner).
    """
    m = p.manifest
    moved: dict[str, str] = {}
    try:
        if m.kind == UPSTREAM:
            e = s.get(SyncEnrolment, m.site.id)
            moved = ownership.check_from_community(s, p, m.site.id, e.org_id if e is not None else "")
            ownership.check_trail(s, p, m.site.id)
        else:
            ownership.check_from_street(s, p, root_org_id(s, COMMUNITY, m.to_site.org_code if m.to_site else ""),
                                        m.to_site)
        ownership.check_closed(s, p)
    except PackageRefused as exc:
        raise PackageRefused(f"数据包“{path.name}”未导入：{exc}") from None
    return moved


def _vet(s, m) -> None:
    """A street's operator at the district merges only its own communities' packages (store.scope).

    Before the plan: a vetted merge reads and decides on the whole database.
    """
    if m.kind == UPSTREAM:
        e = s.get(SyncEnrolment, m.site.id)
        org = e.org_id if e is not None else None
        if e is not None and e.street_org_id and (not org or scope.read_past(
                s, select(Organization.id).where(Organization.id == org)).first() is None):
            org = e.street_org_id  # its first package: it goes under the street it was enrolled into
        scope.check_org(s, org, f"{m.site.org_name}的数据包")


def place_under_street(s, sender: str) -> str:
    """A community enrolled at a district into a street: its first package puts its 社区党委 under that
    street (an ordinary change, stamped here: its next 下发包 carries the new place, as orgs move does).
    The stand-in for the street it made before enrolling, left empty, is put away. Returns the street's name."""
    e = s.get(SyncEnrolment, sender)
    street = s.get(Organization, e.street_org_id) if e is not None and e.street_org_id else None
    root = s.get(Organization, e.org_id) if street is not None and e.org_id else None
    if root is None or street.deleted or root.parent_id == street.id:
        return ""
    old = s.get(Organization, root.parent_id) if root.parent_id else None
    root.parent_id = street.id
    s.flush()
    if old is not None and old.kind == street.kind and not old.deleted and s.scalar(
            select(Organization.id).where(Organization.parent_id == old.id, Organization.deleted.is_(False))
            .limit(1)) is None and s.scalar(
            select(SyncRowState.introduced).where(SyncRowState.peer_site == sender,
                                                  SyncRowState.table_name == Organization.__tablename__,
                                                  SyncRowState.row_id == old.id)):
        old.deleted = True
        s.flush()
    return street.name


def _report(path: Path, p: merge.MergePlan, st: merge.Standing, dry_run: bool, confirmed: int = 0) -> ImportReport:
    m, v = p.manifest, p.package
    return ImportReport(
        path=path, package_id=m.package_id, kind=m.kind, seq=m.seq, from_site=m.site, created_at=m.created_at,
        full=m.full, size=v.size, encrypted=v.encrypted, dry_run=dry_run, new_community=st.new_community,
        already_imported=st.already, older_package=st.older, tables=p.reports(), confirmed=confirmed,
        warnings=st.warnings + tuple(p.set_aside.values()),
    )


def preview_import(db: Database, path: Path, stage: Stage | None = None) -> ImportPreview:
    """Verify a package whole and say what merging it would do; writes nothing."""
    path = Path(path)
    if stage:
        stage("verify")
    v, fingerprint = _open(db, path)
    with UnitOfWork(db) as uow, decode.quiet_gc():
        s = uow.session
        store_dialect.read_one_moment(s)  # every table decided on the database as of one moment
        _vet(s, v.manifest)
        old_cache = merge.begin(s, write=False)
        try:
            if stage:
                stage("plan")
            p = merge.plan(s, v, keep_basis=True)
            _check(s, p, path)
            st = merge.standing(s, v.manifest)
        finally:
            merge.end(s, old_cache)
    return ImportPreview(path=path, report=_report(path, p, st, dry_run=True), fingerprint=fingerprint, plan=p)


def apply_import(db: Database, preview: ImportPreview, progress: Progress | None = None,
                 stage: Stage | None = None) -> ImportReport:
    """Merge a previewed package, in one transaction; the file is not read again."""
    auth.require(db, "sync.import")
    info = key_info(db)
    if info is None or info.fingerprint != preview.fingerprint:
        raise PackageRefused(f"数据包“{preview.path.name}”未导入：预览之后本库的{info.upper if info else '同步'}密钥已更换，请重新选择数据包")
    try:  # revoked since the preview: refused all the same
        signers(db)(preview.plan.manifest.site.id)
    except PackageRefused as exc:
        raise PackageRefused(f"数据包“{preview.path.name}”未导入：{exc}") from None
    return merge_package(db, preview.path, preview.plan, progress, stage)


def import_package(
    db: Database,
    path: Path,
    dry_run: bool = False,
    progress: Progress | None = None,
    stage: Stage | None = None,
) -> ImportReport:
    """Verify a package whole, then merge it (or, with dry_run, only say what merging would do)."""
    path = Path(path)
    if dry_run:
        return preview_import(db, path, stage).report
    if stage:
        stage("verify")
    # One quiet stretch from decoding to commit: re-enabling the collector between
    # them made it walk every decoded row once more (a tenth of verify), and the
    # rows are all freed by the time it runs again here.
    with decode.quiet_gc():
        return merge_package(db, path, _open(db, path)[0], progress, stage)


@cache
def _shared() -> frozenset[str]:
    """Tables whose rows belong to whoever brought them first, which no other synced table refers to.

    Two communities may both bring the same such row (the default 党费 rates
    have fixed ids): see merge.apply.
    """
    tables = synced_tables()
    referred = {fk.column.table.name for t in tables for c in t.columns for fk in c.foreign_keys
                if fk.column.table is not t}
    return frozenset(t.name for t in tables if t.name not in ownership.OWNER_COLUMN and t.name not in ownership.PARENT
                     and t.name not in ownership.SITE_COLUMN and t.name not in referred)


_ATTEMPTS = 3  # a server's merge decided again after another operator's merge wrote the same rows


def merge_package(db: Database, path: Path, planned: merge.MergePlan | Verified, progress: Progress | None,
           stage: Stage | None) -> ImportReport:
    """Plan (or re-check a preview's plan) and write, in one transaction.

    On a server, merges of different senders run at once; when one of them
    finds a row the other wrote meanwhile, it is rolled back and decided again
    on what the other committed (store.dialect.lock_for_import says what they share).
    """
    server = db.engine.dialect.name != "sqlite"
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return _merge_once(db, path, planned, progress, stage)
        except Exception as exc:
            if not server or attempt == _ATTEMPTS or not (
                    isinstance(exc, merge.Contended) or store_dialect.contended(exc)):
                raise
            planned = planned.package if isinstance(planned, merge.MergePlan) else planned
    raise AssertionError("unreachable")


def _merge_once(db: Database, path: Path, planned: merge.MergePlan | Verified, progress: Progress | None,
                stage: Stage | None) -> ImportReport:
    """Plan (or re-check a preview's plan) and write, under one write lock taken up front."""
    v = planned.package if isinstance(planned, merge.MergePlan) else planned
    m = v.manifest
    total = v.rows
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total)  # may raise to cancel: the transaction rolls back

    with UnitOfWork(db) as uow, decode.quiet_gc():
        s = uow.session
        old_cache = merge.begin(s, write=True)
        try:
            store_dialect.lock_for_import(s, m.site.id)  # PostgreSQL: one merge per sender at a time
            _vet(s, m)
            now = utcnow()
            if stage:
                stage("plan")
            if isinstance(planned, merge.MergePlan) and merge.still_holds(s, planned):
                p = planned
            else:  # new, or the rows a preview decided on changed since: decide now, under the lock
                p = merge.plan(s, v)
            moved = _check(s, p, path)  # again under the write lock: ownership and closed months as they are now
            st = merge.standing(s, m)
            if stage:
                stage("merge")
            if progress:
                progress(0, total)
            confirmed = merge.apply(s, p, st, now, tick, path.name, _shared())
            handover.hand_over(s, m.site.id, moved)
            placed = place_under_street(s, m.site.id) if st.new_community and m.kind == UPSTREAM else ""
            if not st.already:
                done_ = {k: p.total(d) for k, d in (
                    ("新增", Decision.INSERT), ("更新", Decision.UPDATE), ("冲突", Decision.CONFLICT))}
                audit.record(
                    s, "sync_import", SyncImport.__tablename__, m.package_id,
                    f"导入{m.site.org_name}的数据包 {path.name}：" + "，".join(f"{k} {n}" for k, n in done_.items())
                    + (f"；{m.site.org_name}置于{placed}之下" if placed else "")
                    + "".join(f"；{said}" for said in p.set_aside.values()),
                    label=path.name,
                )
            if stage:
                stage("commit")
            merge.end(s, old_cache)  # on this very connection, before it goes back to the pool
            old_cache = None
            uow.commit()
        finally:
            merge.end(s, old_cache)
    return _report(path, p, st, dry_run=False, confirmed=confirmed)
