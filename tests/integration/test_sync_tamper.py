"""A package changed anywhere, cut short, or made under another key is refused whole; the street keeps its data."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app import files
from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Member, Organization
from desktop_app.sync import keystore, package
from desktop_app.sync.codec import synced_tables
from tests.integration.sync_world import copy_db, enrol, fingerprint


def _community(path: Path, code: str, street, folder: Path):
    db, _ = open_database(path)
    site.init_site(db, code, f"社区{code[-3:]}党委", "community", street_name="梅园街道党工委")
    with UnitOfWork(db) as uow:
        s = uow.session
        root = s.scalar(select(Organization.id).where(Organization.kind == "community"))
        branch = Organization(name="第一网格党支部", code=f"{code}01", kind="branch", parent_id=root)
        s.add(branch)
        s.flush()
        for i in range(5):
            s.add(Member(name=f"党员{i}", id_number=f"1101011990{int(code[-1]):02d}01{i:03d}X", org_id=branch.id, seq=i + 1,
                         notes="有逗号,有引号\"，有换行\n" * i))
        uow.commit()
    enrol(street, db, folder, path.stem)
    return db


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    d = tmp_path_factory.mktemp("tamper")
    street, _ = open_database(d / "street.db")
    site.init_site(street, "320102", "梅园街道党工委", "street")
    sync.new_key(street, d / "street.dqkey")
    other, _ = open_database(d / "other-street.db")
    site.init_site(other, "320104", "朝天宫街道党工委", "street")
    sync.new_key(other, d / "other.dqkey")
    c1 = _community(d / "c1.db", "320102001", street, d)
    c2 = _community(d / "c2.db", "320102002", street, d)
    foreign = _community(d / "foreign.db", "320104001", other, d)
    out = {
        "encrypted": sync.export_package(c1, d / "c1.dqsync").path,
        "plain": sync.export_package(c1, d / "c1.zip", plain=True).path,
        "foreign": sync.export_package(foreign, d / "foreign.dqsync").path,
        "foreign-plain": sync.export_package(foreign, d / "foreign.zip", plain=True).path,
    }
    # the street has taken c2's package, so there is data to keep safe
    sync.import_package(street, sync.export_package(c2, d / "c2.dqsync").path)
    sync.import_package(street, sync.export_package(c1, d / "c1-first.dqsync").path)
    out["down-c1"] = sync.send_package(street, d / "down-c1.dqsync", site.get_site(c1).id).path
    for db in (street, other, c1, c2, foreign):
        db.dispose()
    return {**out, "street": d / "street.db", "c1": d / "c1.db", "c2": d / "c2.db", "dir": d}


@pytest.fixture
def street(parts, tmp_path):
    copy_db(parts["street"], tmp_path / "street.db")
    db, _ = open_database(tmp_path / "street.db")
    yield db
    db.dispose()


def refused(db, data: bytes, tmp_path: Path, words: str = "") -> str:
    """Import `data` (dry run and real): refused whole, database unchanged. Returns the message."""
    before = fingerprint(db)
    path = tmp_path / "tampered.dqsync"
    path.write_bytes(data)
    for dry in (True, False):
        with pytest.raises(PackageRefused) as exc:
            sync.import_package(db, path, dry_run=dry)
        assert "未导入" in str(exc.value)
        assert words in str(exc.value), str(exc.value)
    assert fingerprint(db) == before
    return str(exc.value)


def flip(data: bytes, at: int) -> bytes:
    b = bytearray(data)
    b[at] ^= 0x01
    return bytes(b)


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def rezip(entries: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    items = entries.items() if isinstance(entries, dict) else entries
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in items:
            zf.writestr(name, content)
    return buf.getvalue()


def sender_key(parts):
    """Community 1's own signing key: a package re-signed by its rightful sender."""
    return keystore.read(parts["dir"] / "c1.dqkey")


def test_the_untouched_packages_are_taken(parts, street):
    r = sync.import_package(street, parts["encrypted"], dry_run=True)
    assert r.encrypted and r.total("conflicts") == 0
    r = sync.import_package(street, parts["plain"], dry_run=True)
    assert not r.encrypted


# --- the encrypted file --------------------------------------------------------

@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_flipped_byte_in_the_ciphertext_is_refused(parts, street, tmp_path, where):
    data = parts["encrypted"].read_bytes()
    at = {"first": package.HEADER_LEN, "middle": (package.HEADER_LEN + len(data)) // 2, "last": len(data) - 1}[where]
    refused(street, flip(data, at), tmp_path, "解密校验未通过")


def test_a_flipped_byte_in_the_nonce_is_refused(parts, street, tmp_path):
    refused(street, flip(parts["encrypted"].read_bytes(), package.HEADER_LEN - 1), tmp_path, "解密校验未通过")


def test_a_flipped_byte_in_the_key_fingerprint_is_refused(parts, street, tmp_path):
    refused(street, flip(parts["encrypted"].read_bytes(), len(package.MAGIC)), tmp_path, "加密给另一方")


@pytest.mark.parametrize("keep", [0, 3, 8, package.HEADER_LEN, package.HEADER_LEN + 10, "half", "minus1"])
def test_a_truncated_package_is_refused(parts, street, tmp_path, keep):
    data = parts["encrypted"].read_bytes()
    n = {"half": len(data) // 2, "minus1": len(data) - 1}.get(keep, keep)
    msg = refused(street, data[:n], tmp_path)
    assert any(w in msg for w in ("不完整", "不是同步数据包", "解密校验未通过"))


@pytest.mark.parametrize("cut", ["half", "minus1", "minus30"])
def test_a_truncated_plain_package_is_refused(parts, street, tmp_path, cut):
    data = parts["plain"].read_bytes()
    n = {"half": len(data) // 2, "minus1": len(data) - 1, "minus30": len(data) - 30}[cut]
    refused(street, data[:n], tmp_path)


def test_a_package_of_another_street_is_refused(parts, street, tmp_path):
    refused(street, parts["foreign"].read_bytes(), tmp_path, "加密给另一方")
    said = refused(street, parts["foreign-plain"].read_bytes(), tmp_path, "不是本街道登记的社区")
    # A worker at the window reads the buttons to press; the command is for the command line.
    assert "“向街道登记”" in said and "“接受社区登记”" in said, said


def test_an_old_format_package_is_refused_saying_what_to_do(parts, street, tmp_path):
    old = package.OLD_MAGIC + parts["encrypted"].read_bytes()[len(package.MAGIC):]
    said = refused(street, old, tmp_path, f"升级到 {package.KEYS_VERSION}")
    assert "README" not in said and "“向街道登记”" in said, said
    entries = zip_entries(parts["plain"].read_bytes())
    m = json.loads(entries["manifest.json"])
    m["format_version"] = 1
    entries["manifest.json"] = json.dumps(m).encode()
    refused(street, rezip(entries), tmp_path, "“向街道登记”")


def test_a_community_claiming_to_be_another_is_refused(parts, street, tmp_path):
    # a plain package signed by another key whose manifest claims community 1: only the signature can tell
    entries = zip_entries(parts["foreign-plain"].read_bytes())
    m = json.loads(entries["manifest.json"])
    mine = json.loads(zip_entries(parts["plain"].read_bytes())["manifest.json"])
    m["site"], m["street"] = mine["site"], mine["street"]
    entries["manifest.json"] = json.dumps(m).encode()
    refused(street, rezip(entries), tmp_path, "签名校验未通过")


def test_a_file_that_is_not_a_package_is_refused(street, tmp_path):
    refused(street, b"name,id\n\xe5\xbc\xa0\xe4\xb8\x89,1\n", tmp_path, "不是同步数据包")


# --- the zip inside ---------------------------------------------------------------

def test_a_changed_manifest_is_refused(parts, street, tmp_path):
    entries = zip_entries(parts["plain"].read_bytes())
    m = json.loads(entries["manifest.json"])
    m["tables"][0]["rows"] += 1
    entries["manifest.json"] = json.dumps(m, ensure_ascii=False).encode()
    refused(street, rezip(entries), tmp_path, "签名校验未通过")


def test_a_flipped_byte_in_the_manifest_is_refused(parts, street, tmp_path):
    entries = zip_entries(parts["plain"].read_bytes())
    entries["manifest.json"] = flip(entries["manifest.json"], len(entries["manifest.json"]) // 2)
    refused(street, rezip(entries), tmp_path)


def test_a_flipped_signature_is_refused(parts, street, tmp_path):
    entries = zip_entries(parts["plain"].read_bytes())
    sig = bytearray(entries["manifest.sig"])
    sig[5] = ord("0") if sig[5] != ord("0") else ord("1")
    entries["manifest.sig"] = bytes(sig)
    refused(street, rezip(entries), tmp_path, "签名校验未通过")


def test_a_missing_signature_is_refused(parts, street, tmp_path):
    entries = zip_entries(parts["plain"].read_bytes())
    del entries["manifest.sig"]
    refused(street, rezip(entries), tmp_path, "缺少清单或签名")


@pytest.mark.parametrize("table", [t.name for t in synced_tables()])
def test_a_flipped_byte_in_each_table_file_is_refused(parts, street, tmp_path, table):
    entries = zip_entries(parts["plain"].read_bytes())
    name = f"tables/{table}.csv"
    entries[name] = flip(entries[name], len(entries[name]) - 2)
    refused(street, rezip(entries), tmp_path, "校验值不符")


def test_a_renamed_file_inside_the_zip_is_refused(parts, street, tmp_path):
    entries = zip_entries(parts["plain"].read_bytes())
    entries["tables/members.csv"] = entries.pop("tables/member.csv")
    refused(street, rezip(entries), tmp_path, "文件与清单不符")


def test_an_extra_file_inside_the_zip_is_refused(parts, street, tmp_path):
    entries = zip_entries(parts["plain"].read_bytes())
    entries["tables/readme.txt"] = b"hello"
    refused(street, rezip(entries), tmp_path, "多出")


def test_a_second_copy_of_a_file_inside_the_zip_is_refused(parts, street, tmp_path):
    entries = list(zip_entries(parts["plain"].read_bytes()).items())
    member = next(content for name, content in entries if name == "tables/member.csv")
    entries.append(("tables/member.csv", member.replace("党员1".encode(), "党员9".encode())))
    with pytest.warns(UserWarning):  # zipfile itself warns of the duplicate name
        data = rezip(entries)
    refused(street, data, tmp_path, "重名")


def test_a_flipped_byte_in_the_plain_zip_is_refused(parts, street, tmp_path):
    data = parts["plain"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("tables/member.csv")
    at = info.header_offset + 30 + len(info.filename) + 5  # inside the compressed member table
    refused(street, flip(data, at), tmp_path)


# --- signed correctly but still wrong: every layer checks on its own --------------------

def resign(parts, entries: dict[str, bytes], manifest: dict) -> bytes:
    key = sender_key(parts)
    mbytes = json.dumps(manifest, ensure_ascii=False).encode()
    entries["manifest.json"] = mbytes
    entries["manifest.sig"] = key.sign(mbytes)
    return rezip(entries)


def _resealed(parts, change) -> bytes:
    entries = zip_entries(parts["plain"].read_bytes())
    m = json.loads(entries["manifest.json"])
    change(entries, m)
    for t in m["tables"]:
        t["sha256"] = package.sha256(entries[t["file"]])
    return resign(parts, entries, m)


def test_a_row_count_that_does_not_match_is_refused(parts, street, tmp_path):
    def change(entries, m):
        next(t for t in m["tables"] if t["name"] == "member")["rows"] = 4

    refused(street, _resealed(parts, change), tmp_path, "应有 4 行")


def test_another_schema_version_is_refused(parts, street, tmp_path):
    def change(entries, m):
        m["schema_version"] = "9999"

    refused(street, _resealed(parts, change), tmp_path, "升级")


def test_a_value_of_the_wrong_type_is_refused_naming_table_row_and_column(parts, street, tmp_path):
    def change(entries, m):
        text = entries["tables/member.csv"].decode("utf-8-sig")
        lines = text.split("\r\n")
        header = lines[0].split(",")
        cells = lines[1].split(",")
        cells[header.index("seq")] = "twelve"
        lines[1] = ",".join(cells)
        entries["tables/member.csv"] = "\r\n".join(lines).encode("utf-8-sig")

    refused(street, _resealed(parts, change), tmp_path, "表“党员”第 2 行 seq")


def test_a_column_the_street_does_not_know_is_refused(parts, street, tmp_path):
    def change(entries, m):
        t = next(t for t in m["tables"] if t["name"] == "member")
        t["columns"] = t["columns"][:-1] + ["_smuggled"]

    refused(street, _resealed(parts, change), tmp_path, "列与本库不一致")


# --- packages in the wrong hands ----------------------------------------------------

def test_a_downstream_package_for_one_community_is_refused_by_another(parts, tmp_path):
    copy_db(parts["c2"], tmp_path / "c2.db")
    c2, _ = open_database(tmp_path / "c2.db")
    try:
        refused(c2, parts["down-c1"].read_bytes(), tmp_path, "加密给另一方")
    finally:
        c2.dispose()


def test_a_community_package_is_refused_by_a_community(parts, tmp_path):
    copy_db(parts["c2"], tmp_path / "c2.db")
    c2, _ = open_database(tmp_path / "c2.db")
    try:
        refused(c2, parts["encrypted"].read_bytes(), tmp_path, "加密给另一方")
    finally:
        c2.dispose()


def test_a_downstream_package_is_refused_by_the_street(parts, street, tmp_path):
    refused(street, parts["down-c1"].read_bytes(), tmp_path, "加密给另一方")


def test_a_package_is_refused_by_its_own_maker(parts, tmp_path):
    copy_db(parts["c1"], tmp_path / "c1.db")
    c1, _ = open_database(tmp_path / "c1.db")
    try:
        refused(c1, parts["encrypted"].read_bytes(), tmp_path, "加密给另一方")
    finally:
        c1.dispose()


def test_no_temporary_file_is_left_and_nothing_half_written_looks_complete(parts, tmp_path, monkeypatch):
    # the package is written under a temporary name and renamed only when whole
    copy_db(parts["c1"], tmp_path / "c1.db")
    c1, _ = open_database(tmp_path / "c1.db")
    try:
        calls = []
        real = files.os.replace

        def replace_then_check(src, dst):
            calls.append((Path(src).name, Path(dst).name))
            assert not Path(dst).exists()
            return real(src, dst)

        monkeypatch.setattr(files.os, "replace", replace_then_check)  # the one writer of whole files
        e = sync.export_package(c1, tmp_path / "out.dqsync")
        monkeypatch.undo()
        assert calls and calls[0][0].endswith(".tmp") and calls[0][1] == "out.dqsync"
        assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
        assert e.path.exists()
    finally:
        c1.dispose()


def test_a_package_sealed_to_another_says_whose_it_is_and_what_to_do(parts, street, tmp_path):
    """The file keeps the name its sender gave it; the message names whose it is, as far as the reader can tell."""
    down = tmp_path / "下发包_320102001_20261206-000000.dqsync"
    down.write_bytes(parts["down-c1"].read_bytes())

    def says(db, path, *words):
        for check in (lambda: sync.import_package(db, path, dry_run=True),
                      lambda: sync.check_packages(db, [path])[0].refused):
            try:
                msg = check()
            except PackageRefused as exc:
                msg = str(exc)
            assert all(w in msg for w in ("加密给另一方", *words)), msg

    says(street, down, "本街道为“社区001党委”生成的下发包", "应在该社区导入")
    says(street, parts["foreign"], "另一个街道", "就把数据包交给那个街道", "是“梅园街道党工委”，就重新登记")
    copy_db(parts["c2"], tmp_path / "c2.db")
    c2, _ = open_database(tmp_path / "c2.db")
    try:
        says(c2, down, "为另一个社区（组织代码 320102001）下发", "请向街道索取本社区的下发包")
        says(c2, parts["encrypted"], "社区交给街道的数据包，应在街道导入")
        says(c2, parts["down-c1"], "请向街道索取本社区的下发包", "确认本社区登记的街道是“梅园街道党工委”")
    finally:
        c2.dispose()
