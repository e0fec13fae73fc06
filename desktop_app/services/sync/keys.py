"""Sync keys and enrolment: each site its own key pairs, the street's register of communities.

    street:     new_key (once)          -> its private key file (protected) + its public keys in the database
    community:  enrol_request           -> its own key file + a request (public keys) for the street
    street:     enrol_accept(request)   -> the community registered; a reply (public keys) for it
    community:  enrol_finish(reply)     -> the street's public keys; the 社区党委 hangs under the street
    street:     enrol_revoke(code)      -> anything signed by that key is refused from now on

Both ends show the request's fingerprint, compared by phone or on paper.
The database holds public keys only; private keys are in keystore files
(passphrase through scrypt, or the Windows key store). Only fingerprints go to
the audit trail.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select, update

from desktop_app.domain import access
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.site import DISTRICT, is_top, upper_name
from desktop_app.domain.sync_rules import COMMUNITY, STREET, PackageRefused
from desktop_app.files import LeftBeside, put_in_place_after, why_not_written, write_atomically, write_new
from desktop_app.services import auth, orgs
from desktop_app.services import site as site_service
from desktop_app.services.dues import rates
from desktop_app.services.sync.status import upper_level_in
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit, scope
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncEnrolment, SyncExport, SyncIdentity, SyncPeer, SyncRowState
from desktop_app.sync import keyfile, keystore, package
from desktop_app.sync.codec import texts_to_row
from desktop_app.sync.crypto import SiteKeys, fingerprint_of
from desktop_app.sync.keyfile import KEY_SUFFIX, REPLY_SUFFIX, REQUEST_SUFFIX, EnrolReply, EnrolRequest
from desktop_app.views.sync import EnrolRequestResult, Enrolment, KeyInfo, KeyUseResult

__all__ = ["KEY_SUFFIX", "REPLY_SUFFIX", "REQUEST_SUFFIX", "KeyInfo", "KeyUseResult", "enrol_accept",
           "enrol_finish", "enrol_streets", "enrol_request", "enrol_revoke", "enrolments", "key_info", "load_keys", "new_key",
           "reader_public", "signers"]

PASSPHRASE_ENV = keystore.PASSPHRASE_ENV
set_passphrase_provider = keystore.set_passphrase_provider


def _info(s, row: SyncIdentity) -> KeyInfo:
    return KeyInfo(row.role, row.fingerprint, row.street_site_id, row.street_org_code, row.street_org_name,
                   row.set_at, upper_level_in(s, row))


def key_info(db: Database) -> KeyInfo | None:
    """This database's part in sync once enrolled (the street: once its key is made)."""
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        return _info(s, row) if row is not None and row.state in ("enrolled", STREET) else None


def _identity(s) -> SyncIdentity:
    row = s.get(SyncIdentity, 1)
    if row is None or row.state not in ("enrolled", STREET):
        if row is not None and row.key_b64 == "" and not row.own_sign_public and row.state == "":
            raise Conflict("本库用的是旧版程序的共用街道密钥，已作废：请在“数据同步”页“向街道登记”，"
                           "把登记申请交给街道，再导入街道给的登记回执（数据都会保留）")
        up = upper_name(upper_level_in(s, row))  # a top database names itself; a community its 街道 or 区
        if row is not None and row.state == "requested":
            raise Conflict(f"登记尚未完成：请把登记申请交给{up}，再在“数据同步”中“导入登记回执”（命令行 dangqun sync enrol finish）")
        raise Conflict(f"本库还没有同步密钥：街道或区请先在“数据同步”中“生成{up}密钥”（命令行 dangqun sync key new），"
                       f"社区请先“向{up}登记”（命令行 dangqun sync enrol request）")
    return row


def load_keys(db: Database) -> tuple[SiteKeys, KeyInfo]:
    """This site's private keys (asks for the passphrase where needed) and its key info."""
    with db.session() as s:
        row = _identity(s)
        info, path, own, role = _info(s, row), row.key_path, row.own_sign_public, row.role
    if not Path(path).is_file():
        raise Conflict(_key_trouble(info, role, f"找不到同步私钥文件 {path}", "把它放回这个位置"))
    keys = _unlock(Path(path))
    if keyfile.b64(keys.sign_public) != own:
        raise Conflict(_key_trouble(info, role, f"私钥文件 {path} 不是本库登记的那一把", "换回正确的私钥文件"))
    return keys, info


def _key_trouble(info: KeyInfo, role: str, what: str, fix: str) -> str:
    """A missing or wrong key file, and what the person at that screen does: the page's own button, not the README."""
    if role == COMMUNITY:
        return (f"{what}。请从备份或 U 盘中{fix}；找不回的，请在“数据同步”页点“重新登记…”"
                f"（数据都会保留），并请{info.upper}作废旧密钥。")
    up = info.upper
    return (f"{what}。请从备份中{fix}（生成{up}密钥时保存的文件）；找不回的，只能在“数据同步”页点“更换密钥…”，"
            "之后各社区都要重新登记。")


# Keys this process unlocked, by the key file's path and state: scrypt takes a second on purpose, and a
# street importing twenty packages pays it once. They live only in this process's memory.
_unlocked: dict[tuple[str, int, int], SiteKeys] = {}


def _unlock(path: Path) -> SiteKeys:
    try:
        st = path.stat()
    except OSError:
        return keystore.read(path)  # says what is missing
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    keys = _unlocked.get(key)
    if keys is None:
        keys = keystore.read(path)
        if len(_unlocked) >= 8:
            _unlocked.clear()
        _unlocked[key] = keys
    return keys


def reader_public(db: Database, to_site: str | None = None) -> bytes:
    """The X25519 public key a package is sealed to: the street's, or (at the street) the community's."""
    with db.session() as s:
        row = _identity(s)
        if row.role == COMMUNITY:
            return keyfile.unb64(row.street_box_public, "街道公钥")
        e = s.get(SyncEnrolment, to_site or "")
        if e is None or e.status != "active":
            raise Conflict("该社区尚未登记或登记已作废：请先让社区在“数据同步”中“重新登记”（命令行 dangqun sync enrol request）")
        return keyfile.unb64(e.box_public, "社区公钥")


def signers(db: Database):
    """Who may sign what this site takes: at the street its active communities, at a community the street."""
    with db.session() as s:
        row = _identity(s)
        role = row.role
        street = (row.street_site_id, row.street_sign_public)
        up = upper_name(upper_level_in(s, row))
        enrolled = {e.site_id: (e.sign_public, e.status, e.org_name) for e in s.scalars(select(SyncEnrolment))}

    def lookup(site_id: str) -> tuple[bytes, str]:
        if role == COMMUNITY:
            if site_id != street[0]:
                raise PackageRefused(f"数据包不是本{up}发来的（发送方未登记）")
            public = keyfile.unb64(street[1], "街道公钥")
            return public, fingerprint_of(public)
        found = enrolled.get(site_id)
        if found is None:
            raise package.UnknownSender(
                f"发送数据包的社区没有在本{up}登记：请先让该社区在“数据同步”中“向{up}登记”"
                f"（命令行 dangqun sync enrol request），在本{up}“接受社区登记”后再导出")
        public_b64, status, name = found
        if status != "active":
            raise PackageRefused(f"“{name}”的密钥已作废：它签名的数据包一律不接受，请让该社区重新登记")
        public = keyfile.unb64(public_b64, "社区公钥")
        return public, fingerprint_of(public)

    return lookup


def _street_node(s, org_code: str) -> Organization | None:
    return s.scalar(
        select(Organization)
        .where(Organization.kind.in_((OrgKind.STREET.value, OrgKind.DISTRICT.value)), Organization.code == org_code,
               Organization.deleted.is_(False))
        .order_by(Organization.created_at)
        .limit(1)
    )


def _community_node(s, org_code: str) -> Organization | None:
    return s.scalar(
        select(Organization)
        .where(Organization.kind == OrgKind.COMMUNITY.value, Organization.deleted.is_(False))
        .order_by((Organization.code == org_code).desc(), Organization.created_at)
        .limit(1)
    )


def new_key(db: Database, out: Path, replace: bool = False) -> KeyInfo:
    """At the street office: make the street's key pairs; the private keys go to `out` (protected)."""
    site = site_service.get_site(db)
    if site is None or not is_top(site.level):
        raise Conflict("只有街道（或区）数据库可以生成同步密钥；社区请向街道（或区）登记（dangqun sync enrol request）")
    auth.require(db, "settings.write")
    upper = upper_name(site.level)
    out = Path(out).resolve()
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.get(SyncIdentity, 1)
        if row is not None and row.state == STREET and not replace:
            raise Conflict(
                f"本库已有{upper}密钥（指纹 {row.fingerprint}）。换新密钥后，各社区都要重新登记"
            )
        keys = SiteKeys.generate()
        key_file = keystore.sealed(keys, f"{site.org_name} {upper}同步私钥")
        node = _street_node(s, site.org_code)
        if row is None:
            row = SyncIdentity(id=1)
            s.add(row)
        row.role, row.state, row.key_b64 = STREET, STREET, ""
        row.own_sign_public = row.street_sign_public = keyfile.b64(keys.sign_public)
        row.own_box_public = row.street_box_public = keyfile.b64(keys.box_public)
        row.fingerprint = keys.fingerprint
        row.street_site_id = site.id
        row.street_org_code = site.org_code
        row.street_org_name = node.name if node else site.org_name
        row.set_at = utcnow()
        # The street's own 党费比例 before any community package: the rates are its, not the first sender's.
        rates.seed_rate_rules_in(s)
        s.flush()
        info = _info(s, row)
        audit.record(s, "setting", SyncIdentity.__tablename__, "1",
                     f"{'更换' if replace else '生成'}{upper}同步密钥（指纹 {info.fingerprint}），私钥文件 {out.name}")
        # The key under a name of its own until the database holds its public keys (_key_home).
        fresh = write_new(out, key_file, private=True)
        row.key_path = str(fresh)
        _commit_with_key(db, uow, fresh)
    # The old key file (更换) is replaced only once the database holds the new public keys.
    _key_home(db, fresh, out, key_file)
    return info


def _commit_with_key(db: Database, uow: UnitOfWork, fresh: Path) -> None:
    """Commit the public keys of the private key written at `fresh`; a commit that fails drops the file,
    unless the database names it after all (a commit whose answer was lost): a key is never dropped while
    its public half is recorded."""
    try:
        uow.commit()
    except BaseException:
        if not _names_key(db, fresh):
            fresh.unlink(missing_ok=True)
        raise


def _names_key(db: Database, path: Path) -> bool:
    try:
        with db.session() as s:
            row = s.get(SyncIdentity, 1)
            return row is not None and row.key_path == str(path)
    except Exception:  # the database cannot say: keep the file (a spare sealed key harms less than none)
        return True


def _key_home(db: Database, fresh: Path, out: Path, key_file: bytes) -> None:
    """After the commit: the key at `out` (the name the user chose) too, the database pointed there, `fresh` removed.

    Each step leaves the database naming a file that holds the key whose public half it holds,
    so a key file held open by another program (Windows), a stick pulled out or a database busy
    leaves the key at `fresh`, in use, and LeftBeside says where; never a key lost.
    """
    try:
        write_atomically(out, key_file, private=True)
        with UnitOfWork(db) as uow:
            row = uow.session.get(SyncIdentity, 1)
            if row is None or row.key_path != str(fresh):
                return  # keyed again meanwhile: that key is the database's now, and this one a spare
            row.key_path = str(out)
            uow.commit()
    except Exception as exc:
        why = why_not_written(exc) if isinstance(exc, OSError) else "数据库暂时无法写入"
        raise LeftBeside(out, fresh, exc, f"新同步密钥已记入本库，但私钥文件未能写到 {out}（{why}）。私钥完整保存在 {fresh}，"
                                          "本库已改用它：请妥善保管，不要删除或改名") from None
    fresh.unlink(missing_ok=True)  # a second copy of the same key, if it stays


def default_key_path(db: Database) -> Path:
    if db.path is None:
        raise Conflict("请指定私钥文件的位置")
    return db.path.with_name(db.path.stem + KEY_SUFFIX)


def enrol_request(db: Database, out: Path, key_out: Path | None = None) -> EnrolRequestResult:
    """At a community: make its own key pairs and write the enrolment request for the street."""
    site = site_service.get_site(db)
    if site is None:
        raise Conflict("请先设置本社区的信息，再向街道登记")
    if site.level != COMMUNITY:
        raise Conflict(f"{site.level_label}数据库不登记：街道的密钥用 dangqun sync key new 生成")
    auth.require(db, "settings.write")
    key_path = Path(key_out or default_key_path(db)).resolve()
    keys = SiteKeys.generate()
    with UnitOfWork(db) as uow:
        s = uow.session
        node = _community_node(s, site.org_code)
        req = EnrolRequest(site.id, site.org_code, site.org_name, node.id if node else "",
                           keys.sign_public, keys.box_public)
        key_file = keystore.sealed(keys, f"{site.org_name} 社区同步私钥")
        row = s.get(SyncIdentity, 1)
        if row is None:
            row = SyncIdentity(id=1, role=COMMUNITY, fingerprint="", street_site_id="", street_org_code="",
                               street_org_name="")
            s.add(row)
        # Until the street's reply comes, the last street's keys (if any) stay for nothing: re-enrolment.
        row.role, row.state, row.key_b64 = COMMUNITY, "requested", ""
        row.own_sign_public, row.own_box_public = keyfile.b64(keys.sign_public), keyfile.b64(keys.box_public)
        row.set_at = utcnow()
        s.flush()
        audit.record(s, "setting", SyncIdentity.__tablename__, "1",
                     f"生成社区同步密钥并写登记申请（指纹 {req.fingerprint}），文件 {Path(out).name}")
        fresh = write_new(key_path, key_file, private=True)  # under its own name until committed (_key_home)
        row.key_path = str(fresh)
        request_kept = None
        try:
            with put_in_place_after(Path(out), keyfile.request_document(req), private=False):
                _commit_with_key(db, uow, fresh)
        except LeftBeside as kept:  # committed: the key goes home all the same, then the request's place is said
            request_kept = kept
        except BaseException:
            if not _names_key(db, fresh):
                fresh.unlink(missing_ok=True)  # (an unwritable folder for the request: nothing committed)
            raise
    try:
        _key_home(db, fresh, key_path, key_file)
    except LeftBeside as key_kept:
        if request_kept is None:
            raise
        raise LeftBeside(key_kept.path, key_kept.kept, key_kept, f"{key_kept}\n{request_kept}") from None
    if request_kept is not None:
        raise request_kept
    return EnrolRequestResult(Path(out), req.fingerprint, site.org_code, site.org_name, key_path)


def read_request(db: Database, path: Path) -> EnrolRequest:
    """At the street: what a request says (to show its fingerprint before accepting)."""
    _confined_street(db)
    return keyfile.read_request(Path(path))


def _confined_street(db: Database) -> str:
    """At a district, the street an account confined to one enrols into ("": not confined, and may enrol).

    Enrolling its own street's communities is that street's work, not the whole database's
    (access.WHOLE_DATABASE): the role's permission is what counts. Elsewhere as before.
    """
    actor = auth.current_actor(db)
    if actor is not None and actor.org_id and access.allowed(actor.role, "settings.write"):
        site = site_service.get_site(db)
        if site is not None and site.level == DISTRICT:
            return actor.org_id
    auth.require(db, "settings.write")
    return ""


def enrol_streets(db: Database) -> list[tuple[str, str]]:
    """At a district: the 街道党工委 a community may be enrolled into (id, name); elsewhere none (the street
    is the parent). An account confined to a street has its own street only."""
    site = site_service.get_site(db)
    if site is None or site.level != DISTRICT:
        return []
    own = _confined_street(db)
    with db.session() as s:
        q = select(Organization.id, Organization.name).where(
            Organization.kind == OrgKind.STREET.value, Organization.deleted.is_(False))
        if own:
            q = q.where(Organization.id == own)
        return [(i, n) for i, n in s.execute(q.order_by(Organization.sort_order, Organization.code))]


def _enrol_street(db: Database, street: str | None) -> tuple[str, str]:
    """The street (id, name) a community enrolled here goes under: ("", "") at a street database."""
    site = site_service.get_site(db)
    own = _confined_street(db)
    text = (street or "").strip()
    if site is None or site.level != DISTRICT:
        if text:  # a street named at a street's database would be silently ignored: say so instead
            raise ValidationError("所属街道", "只有区数据库接受登记时要选所属街道；本库是街道数据库，"
                                  "社区就登记在本街道之下（请不写 --street）")
        return "", ""
    if own:
        with db.session() as s:
            node = s.get(Organization, own)
            if node is None or node.kind != OrgKind.STREET.value:
                raise Conflict("当前账户管的不是一个街道党工委：社区的登记请由区里的管理员办理")
            if text and text not in (node.code, node.name, node.id):
                raise Conflict(f"当前账户只管{node.name}：只能把社区登记到{node.name}（{node.code}），未作任何改动")
            return node.id, node.name
    if not text:
        raise ValidationError("所属街道", "区数据库接受社区登记时请选定社区所属的街道党工委（命令行 --street 代码或名称）")
    with db.session() as s:  # the page passes the street's id; a script its code or name
        node = s.get(Organization, text)
        if node is not None and not node.deleted and node.kind == OrgKind.STREET.value:
            return node.id, node.name
    found = orgs.find(db, text, "所属街道")
    if found.kind != OrgKind.STREET.value:
        raise ValidationError("所属街道", f"“{found.name}”不是街道党工委：请选定社区所属的街道党工委")
    return found.id, found.name


def _own_street_only(s, e: SyncEnrolment | None, req: EnrolRequest) -> None:
    """A street's operator at a district enrols its own street's communities, never one enrolled into another
    street or already in the tree outside its street: accepting its request again would move its enrolment
    and swap its keys, so the community's own packages would be refused and the new key's taken."""
    reached = scope.reach(s)
    if reached is None:
        return
    outside = [e.street_org_id] if e is not None and e.street_org_id and e.street_org_id not in reached else []
    for org_id in (e.org_id if e is not None else "", req.org_id):
        street = _street_over(s, org_id, reached)
        if street is not None:
            outside.append(street)
    if outside:
        org = Organization.__table__
        name = scope.read_past(s, select(org.c.name).where(org.c.id == outside[0])).scalar() or "其他单位"
        raise Conflict(f"{req.org_name}（{req.org_code}）已登记在{name}：当前账户只能登记本街道的社区，"
                       "请由区里的管理员办理，未作任何改动")


def _street_over(s, org_id: str | None, reached: set[str]) -> str | None:
    """For an organisation of the tree outside `reached`: the 街道党工委 over it ("" under none, as the 区委's
    own); None when it is reached or not in the tree. Read past the filter: the account cannot see it."""
    org = Organization.__table__
    at, found = org_id, False
    for _ in range(8):  # a tree is a few levels deep
        if not at or at in reached:
            return None
        row = scope.read_past(s, select(org.c.kind, org.c.parent_id).where(org.c.id == at)).first()
        if row is None:
            break
        if row.kind == OrgKind.STREET.value:
            return at
        at, found = row.parent_id, True
    return "" if found else None


def enrol_accept(db: Database, path: Path, out: Path, street: str | None = None) -> Enrolment:
    """At the street: register a community's request and write its reply (the street's public keys).

    At a district `street` names the 街道党工委 the community belongs to (code or name; an account
    confined to a street enrols into its own): its first package puts its 社区党委 there.
    """
    req = keyfile.read_request(Path(path))
    street_id, street_name = _enrol_street(db, street)
    with UnitOfWork(db) as uow:
        s = uow.session
        me = _identity(s)
        if me.role != STREET:
            raise Conflict("只有街道数据库可以接受登记")
        if req.site_id == me.street_site_id:
            raise Conflict("这是本库自己的登记申请")
        twin = s.scalar(select(SyncEnrolment).where(SyncEnrolment.org_code == req.org_code,
                                                   SyncEnrolment.site_id != req.site_id,
                                                   SyncEnrolment.status == "active"))
        if twin is not None:
            raise Conflict(f"组织代码 {req.org_code} 已由“{twin.org_name}”登记：请先作废它（dangqun sync enrol revoke）")
        now = utcnow()
        e = s.get(SyncEnrolment, req.site_id)
        _own_street_only(s, e, req)
        again = e is not None
        if e is None:
            e = SyncEnrolment(site_id=req.site_id)
            s.add(e)
        e.org_code, e.org_name, e.org_id = req.org_code, req.org_name, req.org_id
        e.street_org_id = street_id
        e.sign_public, e.box_public = keyfile.b64(req.sign_public), keyfile.b64(req.box_public)
        e.fingerprint, e.status, e.enrolled_at, e.revoked_at = req.fingerprint, "active", now, None
        peer = s.get(SyncPeer, req.site_id)
        if peer is None:
            peer = SyncPeer(site_id=req.site_id, first_seen=now, last_package_id="", last_seq=0, last_size=0,
                            last_rows=0, last_counts="{}", packages=0)
            s.add(peer)
        peer.level, peer.org_code, peer.org_name = COMMUNITY, req.org_code, req.org_name
        peer.org_id = req.org_id or peer.org_id
        rates.seed_rate_rules_in(s)  # (a street keyed before new_key seeded it: still before any package)
        s.flush()
        node = _street_node(s, me.street_org_code)
        reply = EnrolReply(me.street_site_id, me.street_org_code, me.street_org_name, keyfile.org_texts(node),
                           keyfile.unb64(me.street_sign_public, "街道公钥"), keyfile.unb64(me.street_box_public, "街道公钥"),
                           req.site_id, req.fingerprint)
        audit.record(s, "setting", SyncEnrolment.__tablename__, req.site_id,
                     f"{'重新' if again else ''}接受{req.org_name}（{req.org_code}）的同步登记"
                     f"{f'，所属{street_name}' if street_name else ''}（指纹 {req.fingerprint}）",
                     label=req.org_name)
        # Written beside `out` first (an unwritable folder refuses the acceptance), in place once committed.
        with put_in_place_after(Path(out), keyfile.reply_document(reply), private=False):
            uow.commit()
        return _enrolment(e, street_name)


def _enrolment(e: SyncEnrolment, street_name: str = "") -> Enrolment:
    return Enrolment(e.site_id, e.org_code, e.org_name, e.fingerprint, e.status, e.enrolled_at, e.revoked_at,
                     e.street_org_id, street_name)


def enrolments(db: Database) -> list[Enrolment]:
    auth.require(db, "sync.import")
    with db.session() as s:
        reached = scope.reach(s)  # a confined account: the keys of its own communities only
        return [_enrolment(e) for e in s.scalars(select(SyncEnrolment).order_by(SyncEnrolment.org_code))
                if reached is None or e.org_id in reached]


def enrol_revoke(db: Database, community: str) -> Enrolment:
    """At the street: a lost or stolen key; its packages are refused until the community enrols again."""
    auth.require(db, "settings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        e = s.get(SyncEnrolment, community) or s.scalar(
            select(SyncEnrolment).where(SyncEnrolment.org_code == community, SyncEnrolment.status == "active"))
        if e is None:
            raise NotFound(f"没有登记过“{community}”")
        e.status, e.revoked_at = "revoked", utcnow()
        s.flush()
        audit.record(s, "setting", SyncEnrolment.__tablename__, e.site_id,
                     f"作废{e.org_name}（{e.org_code}）的同步密钥（指纹 {e.fingerprint}）", label=e.org_name)
        uow.commit()
        return _enrolment(e)


def enrol_finish(db: Database, path: Path) -> KeyUseResult:
    """At a community: take the street's reply; the 社区党委 hangs under the street's own node."""
    reply = keyfile.read_reply(Path(path))
    site = site_service.get_site(db)
    if site is None or site.level != COMMUNITY:
        raise Conflict("只有社区数据库导入登记回执")
    auth.require(db, "settings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.get(SyncIdentity, 1)
        if row is None or not row.own_sign_public:
            raise Conflict("本库还没有写过登记申请：请先 dangqun sync enrol request")
        if reply.community_site_id != site.id:
            raise Conflict("这份登记回执是给另一个社区的")
        mine = keyfile.EnrolRequest(site.id, site.org_code, site.org_name, "",
                                    keyfile.unb64(row.own_sign_public, "本库公钥"),
                                    keyfile.unb64(row.own_box_public, "本库公钥"))
        if reply.request_fingerprint != mine.fingerprint:
            raise Conflict("登记回执对应的不是本库最近一次的登记申请（指纹不同）：请用最新的申请重新登记")
        replaced = bool(row.street_site_id)
        street_changed = replaced and row.street_site_id != reply.street_site_id
        row.role, row.state = COMMUNITY, "enrolled"
        row.street_sign_public = keyfile.b64(reply.sign_public)
        row.street_box_public = keyfile.b64(reply.box_public)
        row.fingerprint = reply.street_fingerprint
        row.street_site_id = reply.street_site_id
        row.street_org_code = reply.street_org_code
        row.street_org_name = reply.street_org_name
        row.set_at = utcnow()
        if street_changed:
            # Another street never had our data: what it "confirmed" means nothing now.
            s.execute(update(SyncExport).values(confirmed_at=None))
        moved = _hang_under_street(s, site, reply)
        # The rates are the street's from now on: lines this community set on its own would be refused there.
        reset = rates.take_street_rates_in(s)
        peer = s.get(SyncPeer, reply.street_site_id)
        if peer is None:
            peer = SyncPeer(site_id=reply.street_site_id, first_seen=utcnow(), last_package_id="", last_seq=0,
                            last_size=0, last_rows=0, last_counts="{}", packages=0)
            s.add(peer)
        # A district's reply names its 区委: kept as the peer's level, the words say 区 (status.upper_level_in)
        district = (reply.street_org or {}).get("kind") == OrgKind.DISTRICT.value
        peer.level = DISTRICT if district else STREET
        peer.org_code, peer.org_name = reply.street_org_code, reply.street_org_name
        peer.org_id = (reply.street_org or {}).get("id") or peer.org_id
        s.flush()
        info = _info(s, row)
        audit.record(s, "setting", SyncIdentity.__tablename__, "1",
                     f"完成向{reply.street_org_name}的同步登记（{info.upper}密钥指纹 {reply.street_fingerprint}）")
        if reset:
            audit.record(s, "setting", "dues_rate_rule", "",
                         f"加入{info.upper}数据同步：党费比例恢复为中组部标准，此后由{reply.street_org_name}统一设置"
                         f"（{reset} 行变动）")
        uow.commit()
    return KeyUseResult(info=info, replaced=replaced, street_changed=street_changed, moved_under_street=moved)


def request_fingerprint(db: Database) -> str | None:
    """The fingerprint of this community's latest request (to compare with the street's screen)."""
    auth.require(db, "settings.write")
    site = site_service.get_site(db)
    with db.session() as s:
        row = s.get(SyncIdentity, 1)
        if row is None or not row.own_sign_public or site is None:
            return None
        return keyfile.EnrolRequest(site.id, site.org_code, site.org_name, "",
                                    keyfile.unb64(row.own_sign_public, "本库公钥"),
                                    keyfile.unb64(row.own_box_public, "本库公钥")).fingerprint


def _hang_under_street(s, site, reply: EnrolReply) -> bool:
    if not reply.street_org:
        return False
    table = Organization.__table__
    try:
        values = texts_to_row(table, reply.street_org)
    except ValueError:
        raise ValidationError("登记回执", "街道组织信息无法读取") from None
    node_id = values.get("id")
    if not node_id or values.get("kind") != OrgKind.STREET.value:
        return False
    if s.get(Organization, node_id) is None:
        # Exactly the street's row, stamps and all: when it comes back in our
        # package, the street finds it unchanged.
        s.execute(insert(table), [values])
    by = str(values["updated_by_site"])
    s.merge(SyncRowState(  # (the street's own site as NULL: SyncRowState.site)
        peer_site=reply.street_site_id, table_name=table.name, row_id=node_id,
        version=int(values["version"]), site=None if by == reply.street_site_id else by, agreed_at=utcnow(),
        introduced=False, local_version=None, local_site=None,
    ))
    community = _community_node(s, site.org_code)
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
