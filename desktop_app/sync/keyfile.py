"""Enrolment on a USB stick: the community's request and the street's reply (public keys only).

request  (community -> street): the community's site, org code and name, its
         社区党委 node, and its two public keys. Its fingerprint is shown at
         both ends, to be compared by phone or on paper before the street accepts.
reply    (street -> community): the street's site, its two public keys, its own
         org node (the community hangs its 社区党委 under the very same node, so
         the street sees one tree) and the request's fingerprint it accepted.
Neither holds a secret: private keys stay in keystore files at each site.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.site import upper_name
from desktop_app.files import write_atomically
from desktop_app.store.models import Organization
from desktop_app.sync.codec import row_to_texts
from desktop_app.sync.crypto import PUBLIC_BYTES, enrolment_fingerprint, fingerprint_of

REQUEST_FORMAT = "dangqun-sync-enrol-request"
REPLY_FORMAT = "dangqun-sync-enrol-reply"
OLD_KEY_FORMAT = "dangqun-street-key"
VERSION = 2
KEY_SUFFIX = ".dqkey"
REQUEST_SUFFIX = ".dqreq"
REPLY_SUFFIX = ".dqreply"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (TypeError, ValueError):
        raise ValidationError(what, "公钥无法读取，文件可能已损坏") from None
    if len(raw) != PUBLIC_BYTES:
        raise ValidationError(what, "公钥长度不对，文件可能已损坏")
    return raw


def org_texts(node: Organization | None) -> dict[str, str] | None:
    """An org node as column -> text, as the enrolment files carry it."""
    if node is None:
        return None
    table = Organization.__table__
    return row_to_texts(table, {c.name: getattr(node, c.key) for c in table.columns})


@dataclass(frozen=True)
class EnrolRequest:
    site_id: str
    org_code: str
    org_name: str
    org_id: str
    sign_public: bytes
    box_public: bytes

    @property
    def fingerprint(self) -> str:
        return enrolment_fingerprint(self.org_code, self.sign_public, self.box_public)


@dataclass(frozen=True)
class EnrolReply:
    street_site_id: str
    street_org_code: str
    street_org_name: str
    street_org: dict[str, str] | None
    sign_public: bytes
    box_public: bytes
    community_site_id: str
    request_fingerprint: str

    @property
    def street_fingerprint(self) -> str:
        return fingerprint_of(self.sign_public)


def request_document(r: EnrolRequest) -> bytes:
    return json.dumps({
        "format": REQUEST_FORMAT, "version": VERSION,
        "site_id": r.site_id, "org_code": r.org_code, "org_name": r.org_name, "org_id": r.org_id,
        "sign_public": b64(r.sign_public), "box_public": b64(r.box_public), "fingerprint": r.fingerprint,
        "note": "社区同步登记申请：交给街道或区，核对两边屏幕上的指纹一致后由街道或区接受。",
    }, ensure_ascii=False, indent=1).encode("utf-8")


def reply_document(r: EnrolReply) -> bytes:
    return json.dumps({
        "format": REPLY_FORMAT, "version": VERSION,
        "street": {"site_id": r.street_site_id, "org_code": r.street_org_code, "org_name": r.street_org_name},
        "street_org": r.street_org, "sign_public": b64(r.sign_public), "box_public": b64(r.box_public),
        "street_fingerprint": r.street_fingerprint,
        "community_site_id": r.community_site_id, "request_fingerprint": r.request_fingerprint,
        # a district's reply carries its 区委 (street_org): the note names it as the pages do (site.upper_name)
        "note": f"{upper_name((r.street_org or {}).get('kind', ''))}同步登记回执：只含公钥，交回申请的社区导入。",
    }, ensure_ascii=False, indent=1).encode("utf-8")


def write_document(path: Path, document: bytes) -> None:
    write_atomically(Path(path), document, private=False)  # public keys only, handed over


def _load(path: Path, fmt: str, what: str) -> dict:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(what, f"找不到文件 {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(what, f"{path.name} 不是{what}") from None
    if isinstance(doc, dict) and doc.get("format") == OLD_KEY_FORMAT:
        raise ValidationError(what, "这是旧版程序的共用街道密钥文件，已不再使用：请在“数据同步”页“向街道登记”，"
                              "把登记申请交给街道，再导入街道给的登记回执（.dqreply）")
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        raise ValidationError(what, f"{path.name} 不是{what}")
    if doc.get("version") != VERSION:
        raise ValidationError(what, "版本不符，请用同一版本的程序重新生成")
    return doc


def read_request(path: Path) -> EnrolRequest:
    doc = _load(path, REQUEST_FORMAT, "登记申请")
    try:
        r = EnrolRequest(str(doc["site_id"]), str(doc["org_code"]), str(doc["org_name"]), str(doc["org_id"] or ""),
                         unb64(doc["sign_public"], "登记申请"), unb64(doc["box_public"], "登记申请"))
    except (KeyError, TypeError):
        raise ValidationError("登记申请", "内容不完整，文件可能已损坏") from None
    if doc.get("fingerprint") != r.fingerprint:
        raise ValidationError("登记申请", "公钥与指纹不符，文件已损坏或被改动过")
    return r


def read_reply(path: Path) -> EnrolReply:
    doc = _load(path, REPLY_FORMAT, "登记回执")
    try:
        street = doc["street"]
        street_org = doc.get("street_org")
        r = EnrolReply(str(street["site_id"]), str(street["org_code"]), str(street["org_name"]), street_org,
                       unb64(doc["sign_public"], "登记回执"), unb64(doc["box_public"], "登记回执"),
                       str(doc["community_site_id"]), str(doc["request_fingerprint"]))
    except (KeyError, TypeError):
        raise ValidationError("登记回执", "内容不完整，文件可能已损坏") from None
    if street_org is not None and not (
        isinstance(street_org, dict) and all(isinstance(v, str) for v in street_org.values())
    ):
        raise ValidationError("登记回执", "街道组织信息格式错误")
    if doc.get("street_fingerprint") != r.street_fingerprint:
        raise ValidationError("登记回执", "公钥与指纹不符，文件已损坏或被改动过")
    return r
