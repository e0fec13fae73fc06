"""The package file: one zip of table CSVs, manifest.json and manifest.sig, encrypted around it.

    zip:  manifest.json   what the package holds: tables, row counts, SHA-256 of each file,
                          who sent it (and the fingerprint of the key that signed it)
          manifest.sig    Ed25519 signature of manifest.json by the sender's own key (hex)
          tables/<t>.csv  UTF-8 (with BOM, so Excel opens a plain package), header row,
                          one row per record: every column, then the sender's base stamp

    file: MAGIC | reader's key fingerprint | ephemeral X25519 key | nonce | AES-256-GCM(zip)
          (sealed to its one reader, see crypto), or the bare zip when the user chose plain CSV.

The GCM tag covers the header too, so a flipped byte anywhere, or a file cut
short, is refused before anything is read. A file is written under a temporary
name and renamed only once complete and read back, so a USB stick pulled out
halfway never holds a package that looks whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from desktop_app.domain.sync_rules import (
    KEYS_VERSION, Manifest, PackageRefused, manifest_to_dict, table_label, validate_manifest,
)
from desktop_app.files import write_atomically
from desktop_app.store.migrate import SYNC_FORMAT_OLDEST
from desktop_app.sync import crypto
from desktop_app.sync.crypto import SiteKeys, format_fingerprint

MAGIC = b"DQSYNC\x00\x02"
OLD_MAGIC = b"DQSYNC\x00\x01"  # the shared street key of before: refused, with what to do
HEADER_LEN = crypto.header_len(len(MAGIC))
# In the worker's terms: which version to install, which button to press, whom to ask (not the README).
OLD_FORMAT = (f"这是旧版程序（各社区共用街道密钥）生成的数据包，已不再接受：请社区和街道都把程序升级到 {KEYS_VERSION} "
              "或更新的版本，社区在“数据同步”页“向街道登记”（数据都会保留），街道接受登记后，社区再导出新的数据包；"
              "不清楚怎么做的，请问街道负责数据同步的同志")
# Who may have signed a package: site id -> (Ed25519 public key, its fingerprint); raises PackageRefused.
SignerLookup = Callable[[str], tuple[bytes, str]]
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
BASE_COLUMNS = ("_base_version", "_base_site")  # the sender's memory of the receiver's stamp
SUFFIX = ".dqsync"
PLAIN_SUFFIX = ".zip"
# Sizes checked before anything is decrypted or inflated (a zip bomb, or a huge file, is refused as is).
# A street of 20 communities x 3,000 members sends ~10 MB each; a year's CSV compresses 5-10 times.
MAX_FILE = 1 << 30  # the package file itself
MAX_INFLATED = 4 << 30  # every member of the zip together, as declared
MAX_RATIO = 100  # declared size over compressed size, per member
MAX_SMALL = 4 << 20  # manifest.json and manifest.sig, read before the signature is checked
MAX_MEMBERS = 1000


# --- CSV ---------------------------------------------------------------------------

def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def read_csv(data: bytes) -> list[list[str]]:
    """The rows of a CSV file, exactly as csv.reader reads them.

    A file without a quote anywhere, every line ended by CRLF (as csv_bytes
    writes it), no empty line and no line over the csv field limit reads the
    same split on CRLF and commas: nearly every table of a package, at half
    the cost of csv.reader. Anything else goes through csv.reader.
    """
    text = data.decode("utf-8-sig")
    if '"' not in text and text.count("\r") == text.count("\n") == text.count("\r\n"):
        lines = text.split("\r\n")
        if lines[-1] == "":
            lines.pop()
        if "" not in lines and (not lines or max(map(len, lines)) <= csv.field_size_limit()):
            return [line.split(",") for line in lines]
    return list(csv.reader(io.StringIO(text, newline="")))


class Columns(NamedTuple):
    """A CSV file read column by column: what read_csv gives, with its body turned on its side."""

    header: list[str]
    columns: list[list[str]]  # one list per header field, the body's texts (empty when ragged)
    rows: int  # body lines
    ragged: int  # the first line (1 = the header) whose width is not the header's; 0 when none


def read_columns(data: bytes) -> Columns:
    """The body of a CSV file as columns, exactly as read_csv's rows would give them.

    A plain file (no quote, every line ended by CRLF, as csv_bytes writes it)
    is split once, whole, with each line end turned into a field of its own
    ("\\n"): the line ends must then fall every width + 1 fields, which one list
    comparison checks, and each column is a slice. No list per line and no
    pass per line, which a package of a few hundred thousand rows spent a
    fifth of its verify on. The line ends are found and replaced in the UTF-8
    bytes, a byte a character, before decoding. Anything else goes the general way.
    """
    end = data.find(b"\r\n")
    if end > 0 and b'"' not in data and data.endswith(b"\r\n"):
        try:
            head = data[:end].decode("utf-8-sig")
            body_bytes = data[end + 2:].replace(b"\r\n", b",\n,")
            plain = head and b"\r" not in body_bytes and "\r" not in head and "\n" not in head
            body = body_bytes.decode("utf-8") if plain else ""
        except UnicodeDecodeError:  # the general way says where
            plain = False
        if plain:
            header = head.split(",")
            width = len(header)
            rows = body_bytes.count(b"\n")  # the line ends, and any lone "\n" (which fails the check below)
            del body_bytes
            flat = body.split(",")
            flat.pop()  # the "" after the last line end
            limit = csv.field_size_limit()
            if (len(flat) == rows * (width + 1) and flat[width::width + 1] == ["\n"] * rows
                    and (width > 1 or "" not in flat)  # an empty line is no field at all to csv.reader
                    and (len(head) + len(body) <= limit or _no_long_field(head, body, limit)
                         or max(map(len, header + flat)) <= limit)):
                return Columns(header, [flat[k::width + 1] for k in range(width)], rows, 0)
    return _columns(read_csv(data))


def _no_long_field(head: str, body: str, limit: int) -> bool:
    """No line, so no field, over the csv field limit: a line end in every stretch of half the limit.

    A few hundred finds over a big table instead of a len() per field. False only says "look closer".
    """
    half = limit // 2
    if len(head) > limit or half < 2:
        return False
    return all(body.find("\n", at, at + half) >= 0 for at in range(0, len(body) - 2, half))


def _columns(lines: list[list[str]]) -> Columns:
    header, body = (lines[0], lines[1:]) if lines else ([], [])
    width = len(header)
    bad = next((n for n, line in enumerate(body, start=2) if len(line) != width), 0)
    if bad:
        return Columns(header, [], len(body), bad)
    return Columns(header, [list(c) for c in zip(*body)] if body else [[] for _ in header], len(body), 0)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- writing -------------------------------------------------------------------------

def manifest_bytes(manifest: Manifest) -> bytes:
    return json.dumps(manifest_to_dict(manifest), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def seal(signer: SiteKeys, reader_box_public: bytes, manifest: Manifest, files: dict[str, bytes],
         plain: bool = False) -> bytes:
    """The bytes of a package file, signed by `signer`, sealed to the reader's public key (unless plain)."""
    mbytes = manifest_bytes(manifest)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(MANIFEST, mbytes)
        zf.writestr(SIGNATURE, signer.sign(mbytes))
        for entry in manifest.tables:
            zf.writestr(entry.file, files[entry.name])
    raw = buf.getvalue()
    if plain:
        return raw
    return crypto.seal_to(reader_box_public, raw, MAGIC)


def write(path: Path, signer: SiteKeys, reader_box_public: bytes, manifest: Manifest, files: dict[str, bytes],
          plain: bool = False) -> int:
    """Write a package atomically and read it back; returns its size in bytes."""
    data = seal(signer, reader_box_public, manifest, files, plain)
    write_atomically(path, data, private=False)  # sealed to the reader, read from a stick
    # A bad stick or a full disk shows now, not at the street office next month.
    with open(path, "rb") as fh:
        back = fh.read()
    if back != data:
        Path(path).unlink(missing_ok=True)
        raise OSError(f"写入后读回的内容不一致，U 盘或磁盘可能有问题：{path}")
    return len(data)


# --- reading -------------------------------------------------------------------------

@dataclass(frozen=True)
class Opened:
    manifest: Manifest
    files: dict[str, bytes]  # table name -> CSV bytes, every checksum already checked
    size: int
    encrypted: bool


def open_file(path: Path, keys: SiteKeys, signers: SignerLookup, sync_format: str,
              oldest: str = SYNC_FORMAT_OLDEST) -> Opened:
    """A package file, checked whole (open_bytes): its format from `oldest` to `sync_format`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise PackageRefused(f"数据包文件过大（{_mb(size)}，上限 {_mb(MAX_FILE)}），不是本程序生成的数据包，未读取")
        data = path.read_bytes()
    except FileNotFoundError:
        raise PackageRefused(f"找不到文件 {path}") from None
    return open_bytes(data, keys, signers, sync_format, oldest)


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MB"


def check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose members would inflate too far, from the sizes it declares, before inflating any.

    zipfile never returns more than a member's declared size (and checks its
    CRC), so the declared sizes bound what reading can cost.
    """
    if len(infos) > MAX_MEMBERS:
        raise PackageRefused(f"数据包中的文件过多（{len(infos)} 个），不是本程序生成的数据包，未解压")
    total = 0
    for info in infos:
        small = info.filename in (MANIFEST, SIGNATURE)
        if info.file_size > (MAX_SMALL if small else MAX_INFLATED) or (
                info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > MAX_SMALL):
            raise PackageRefused(
                f"数据包中的 {info.filename} 解压后过大（压缩 {_mb(info.compress_size)}，声明解压后 "
                f"{_mb(info.file_size)}），可能是恶意构造的压缩包，未解压，未导入任何数据")
        total += info.file_size
    if total > MAX_INFLATED:
        raise PackageRefused(f"数据包解压后总计 {_mb(total)}，超过上限 {_mb(MAX_INFLATED)}，未解压，未导入任何数据")


def open_bytes(data: bytes, keys: SiteKeys, signers: SignerLookup, sync_format: str,
               oldest: str = SYNC_FORMAT_OLDEST) -> Opened:
    """Check a package whole: container, its sender's signature, manifest, file list, checksums.

    Packages of the formats from `oldest` to `sync_format` are read (sync_rules.validate_manifest).
    """
    if len(data) > MAX_FILE:
        raise PackageRefused(f"数据包文件过大（{_mb(len(data))}，上限 {_mb(MAX_FILE)}），不是本程序生成的数据包，未读取")
    if data.startswith(OLD_MAGIC):
        raise PackageRefused(OLD_FORMAT)
    encrypted = data.startswith(MAGIC)
    if encrypted:
        raw = _decrypt(data, keys)
    elif data.startswith(b"PK\x03\x04"):
        raw = data
    elif len(data) < HEADER_LEN and MAGIC.startswith(data[: len(MAGIC)]) and data:
        raise PackageRefused("数据包不完整（文件被截断），请重新拷贝或让对方重新导出")
    else:
        raise PackageRefused("这不是同步数据包文件")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
        check_sizes(infos)
        names = [i.filename for i in infos]
        if len(names) != len(set(names)):
            raise PackageRefused("数据包中有重名文件，可能被改动过")
        if MANIFEST not in names or SIGNATURE not in names:
            raise PackageRefused("数据包缺少清单或签名，可能被改动过或不完整")
        mbytes = _read(zf, MANIFEST)
        signature = _read(zf, SIGNATURE)
        try:
            obj = json.loads(mbytes.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise PackageRefused("数据包清单无法读取") from None
        if isinstance(obj, dict) and obj.get("format_version") == 1:
            raise PackageRefused(OLD_FORMAT)
        claimed = obj.get("site") if isinstance(obj, dict) else None
        site_id = claimed.get("id") if isinstance(claimed, dict) else None
        if not isinstance(site_id, str) or not site_id:
            raise PackageRefused("数据包清单中没有发送方")
        try:
            public, fingerprint = signers(site_id)
        except UnknownSender as exc:
            street = obj.get("street") if isinstance(obj.get("street"), dict) else {}
            stated = tuple(str(v) if isinstance(v, str) else "" for v in (
                claimed.get("org_name"), claimed.get("org_code"), street.get("org_code")))
            raise UnknownSender(str(exc), stated) from None
        if not crypto.verify(public, mbytes, signature):
            raise PackageRefused(_signature_message(obj, fingerprint))
        manifest = validate_manifest(obj, sync_format, oldest)
        if manifest.key_fingerprint != fingerprint:
            raise PackageRefused("数据包清单中的签名密钥指纹与登记的不符")
        expected = {MANIFEST, SIGNATURE} | {t.file for t in manifest.tables}
        extra = sorted(set(names) - expected)
        missing = sorted(expected - set(names))
        if extra or missing:
            parts = []
            if missing:
                parts.append("缺少 " + "、".join(missing))
            if extra:
                parts.append("多出 " + "、".join(extra))
            raise PackageRefused(f"数据包中的文件与清单不符（{'；'.join(parts)}），可能被改动过")
        files: dict[str, bytes] = {}
        for entry in manifest.tables:
            content = _read(zf, entry.file)
            if sha256(content) != entry.sha256:
                raise PackageRefused(f"表 {entry.name} 的数据与清单的校验值不符，数据包被改动过或已损坏")
            files[entry.name] = content
        for entry in manifest.tables:
            if entry.name not in TRAIL_TABLES:
                check_text(entry.name, files[entry.name])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
            NotImplementedError, RuntimeError) as exc:  # what zipfile raises on a damaged archive
        raise PackageRefused(f"数据包已损坏或不完整（{type(exc).__name__}），请重新拷贝或让对方重新导出") from None
    return Opened(manifest=manifest, files=files, size=len(data), encrypted=encrypted)


# What domain.text refuses at every other entry point: C0/C1 controls but tab, newline and CR, and
# bidi controls (they reorder what the eye reads). A signed package is no proof against them: the
# sender's own database may have been written past its program.
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_C0_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r") + b"\x7f"
# In UTF-8, every other character _BAD_TEXT finds: its first byte, and the bytes of each
_BAD_LEAD_BYTES = (b"\xc2", b"\xd8", b"\xe2")
_BAD_SEQUENCE = re.compile(rb"\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
# Past this many of one lead byte (much text with “” or ·), the file is decoded and searched whole instead
_LEADS_LOOKED_AT = 1000
# The trail is checked by its hash chain and written once: a name entered before the rule stays in it.
TRAIL_TABLES = frozenset({"audit_entry"})


def check_text(name: str, content: bytes) -> None:
    """Refuse a table file holding a control or bidi character, naming the line, the column and the character.

    Looked at in the bytes first: in UTF-8 a C0 control is one byte of its own, and every other
    character refused starts with byte C2, D8 or E2 (C1 controls, U+061C, U+2xxx), each of which is
    looked at where it occurs. Every table file starts with a byte order mark, so the former
    "is it ASCII" shortcut never applied: each file was decoded and searched whole, a fifth of a
    package's verify. A file that may hold one is decoded and searched; the line is looked for only
    on a hit.
    """
    if len(content.translate(None, _C0_BYTES)) == len(content) and not _may_hold_bad_sequence(content):
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # decode_tables says where
    hit = _BAD_TEXT.search(text)
    if hit is None:
        return
    ch = hit.group()
    try:
        lines = read_csv(content)
    except csv.Error:
        lines = []  # refused all the same, without the line
    header = lines[0] if lines else []
    where = ""
    for line_no, line in enumerate(lines[1:], start=2):
        k = next((k for k, field in enumerate(line) if _BAD_TEXT.search(field)), None)
        if k is not None:
            where = f"第 {line_no} 行 {header[k] if k < len(header) else ''}".rstrip()
            break
    raise PackageRefused(f"表“{table_label(name)}”{where}含有不可见的控制字符（U+{ord(ch):04X}），"
                         "可能是伪造的数据包；请发送方改正该记录后重新导出")


def _may_hold_bad_sequence(content: bytes) -> bool:
    """Whether the bytes may hold a C1, bidi or U+061C character: each lead byte looked at, up to a limit."""
    for lead in _BAD_LEAD_BYTES:
        at, seen = content.find(lead), 0
        while at >= 0:
            if _BAD_SEQUENCE.match(content, at) or seen == _LEADS_LOOKED_AT:
                return True
            at, seen = content.find(lead, at + 1), seen + 1
    return False


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    """One member, inflated a megabyte at a time: never more than its declared (checked) size in memory.

    zf.read() inflates whatever one compressed chunk holds before cutting it to
    the declared size, which a crafted member makes a gigabyte.
    """
    chunks = []
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            chunks.append(chunk)
    return b"".join(chunks)


def _decrypt(data: bytes, keys: SiteKeys) -> bytes:
    from cryptography.exceptions import InvalidTag

    if len(data) <= HEADER_LEN + 16:
        raise PackageRefused("数据包不完整（文件被截断），请重新拷贝或让对方重新导出")
    try:
        return keys.open_sealed(data, len(MAGIC))
    except ValueError:
        raise SealedElsewhere(crypto.recipient_of(data, len(MAGIC))) from None
    except InvalidTag:
        raise PackageRefused(
            "数据包已损坏、不完整或被改动过（解密校验未通过），请重新拷贝或让对方重新导出"
        ) from None


class SealedElsewhere(PackageRefused):
    """A package sealed to another key: only its reader knows what it holds, so the caller says whose it is."""

    def __init__(self, recipient: bytes, what: str = "", details: str = ""):
        self.recipient = recipient  # crypto.fingerprint_bytes of the reader's box key, from the header
        # What to do first, the fingerprints on a line of their own: a worker reads the sentence, the street's
        # staff the numbers.
        super().__init__(
            "本库无法读取，它是加密给另一方的："
            + (what or "社区的数据包只有街道能读，街道的下发包只有收件社区能读")
            + f"\n详细信息：接收方密钥指纹 {format_fingerprint(recipient)}" + (f"，{details}" if details else ""))


class UnknownSender(PackageRefused):
    """A readable package whose sender is not enrolled here; `stated`: (community name, its code, its street's
    code) as the package's manifest states them, unverified (nobody here knows the key that signed them)."""

    def __init__(self, message: str, stated: tuple[str, str, str] = ("", "", "")):
        self.stated = stated
        super().__init__(message)


def _signature_message(obj: dict, fingerprint: str) -> str:
    claimed = (obj.get("street") or {}).get("key_fingerprint") if isinstance(obj.get("street"), dict) else None
    if isinstance(claimed, str) and claimed and claimed != fingerprint:
        # The usual case is a community that enrolled again (a new computer, the program reinstalled) and a
        # package it made before still on the stick: the worker is told whose it says it is and what to ask for.
        site = obj.get("site") if isinstance(obj.get("site"), dict) else {}
        # (unverified words: no control or direction marks, and no longer than a name may be)
        name, code = ("".join(ch for ch in v if ch.isprintable())[:60] if isinstance(v, str) else ""
                      for v in (site.get("org_name"), site.get("org_code")))
        who = f"“{name}”（{code}）" if name and code else "发送方"
        return (
            f"数据包自称来自{who}，但不是用它现在登记的密钥签名的：多半是它重新登记（如换电脑、重装程序）"
            "之前导出的旧数据包，请它用现在的程序重新导出后再交来；它没有重新登记过的话，这个数据包可能是伪造的"
            f"\n详细信息：数据包密钥指纹 {claimed}，登记的密钥指纹 {fingerprint}"
        )
    return "数据包签名校验未通过：清单被改动过、已损坏或是伪造的"
