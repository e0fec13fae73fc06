"""Packages name what they carry (SYNC_FORMAT), not the database head: a migration that leaves
the synced tables alone does not make every site upgrade on the same day; and a program reads
the packages of older programs whose format is in its range (SYNC_FORMAT_OLDEST to SYNC_FORMAT)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import MetaData, func, select

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import migrate
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization, Resident
from desktop_app.sync import keystore
from desktop_app.sync.codec import is_synced
from tests.integration.sync_world import copy_db, fingerprint
from tests.integration.test_sync_tamper import _community


# --- the constant against the migrations --------------------------------------------

def synced_columns(path: Path, revision: str) -> dict[str, dict[str, tuple[str, bool]]]:
    """Each synced table of a database migrated to `revision`: its columns' types and nullability."""
    db = Database.at(path)
    try:
        migrate.upgrade(db, revision)
        md = MetaData()
        md.reflect(db.engine)
    finally:
        db.dispose()
    # the rule the sync code uses (codec.is_synced), so a table added or dropped counts too
    return {t.name: {c.name: (str(c.type), bool(c.nullable)) for c in t.columns}
            for t in md.sorted_tables if is_synced(t)}


def format_differences(tmp_path: Path, sync_format: str) -> list[str]:
    old = synced_columns(tmp_path / f"at-{sync_format}.db", sync_format)
    new = synced_columns(tmp_path / "at-head.db", migrate.SCHEMA_HEAD)
    out = [f"表 {t} 只在 {sync_format}" for t in sorted(set(old) - set(new))]
    out += [f"表 {t} 只在 {migrate.SCHEMA_HEAD}" for t in sorted(set(new) - set(old))]
    out += [f"表 {t} 的列不同" for t in sorted(set(old) & set(new)) if old[t] != new[t]]
    return out


def test_the_synced_tables_are_those_of_the_sync_format(tmp_path):
    diff = format_differences(tmp_path, migrate.SYNC_FORMAT)
    assert not diff, (
        f"a migration since {migrate.SYNC_FORMAT} changed what a sync package carries: "
        f"bump SYNC_FORMAT in desktop_app/store/migrate.py to its number ({'; '.join(diff)})"
    )


def test_the_synced_tables_at_the_oldest_format_read_are_the_heads(tmp_path):
    # the packages of programs from SYNC_FORMAT_OLDEST on are read as today's: same tables and columns,
    # but for the tables added since (SYNCED_SINCE), which their packages do not carry
    added = {f"表 {t} 只在 {migrate.SCHEMA_HEAD}" for t in migrate.SYNCED_SINCE}
    diff = [d for d in format_differences(tmp_path, migrate.SYNC_FORMAT_OLDEST) if d not in added]
    assert not diff, (
        f"a migration since {migrate.SYNC_FORMAT_OLDEST} changed what a sync package carries: "
        f"set SYNC_FORMAT and SYNC_FORMAT_OLDEST in desktop_app/store/migrate.py to its number ({'; '.join(diff)})"
    )


@pytest.mark.parametrize("older, seen", [
    ("0020", "表 cobuild_cost 只在"),  # 0021 added the 共驻共建 cost, 问需 and 单位报到 tables
    ("0017", "表 transfer 的列不同"),  # 0018 added the 介绍信 columns to transfer
])
def test_the_comparison_sees_a_change_of_the_synced_tables(tmp_path, older, seen):
    assert any(d.startswith(seen) for d in format_differences(tmp_path, older))


def test_the_sync_format_is_a_known_revision_not_after_the_head():
    assert migrate.SYNC_FORMAT in migrate.known_revisions()
    assert migrate.SYNC_FORMAT <= migrate.SCHEMA_HEAD
    assert migrate.SYNC_FORMAT_OLDEST in migrate.known_revisions()
    assert migrate.SYNC_FORMAT_OLDEST <= migrate.SYNC_FORMAT


def test_the_range_reaches_back_to_the_last_change_of_the_synced_columns():
    # 0021 last changed the synced tables; the search keys 0027 rewrote are derived again on arrival
    # (sync.merge.own_keys), so a program from 0021 on sends nothing this one reads otherwise
    assert migrate.SYNC_FORMAT_OLDEST == "0021"


# --- packages from a program at another head ------------------------------------------

def street_and_community(d: Path, code: str = "320102001", name: str = "c1") -> tuple[Database, Database]:
    """A street with its key (street.dqkey) and one community enrolled there (its key in `name`.dqkey)."""
    street, _ = migrate.open_database(d / "street.db")
    site.init_site(street, "320102", "梅园街道党工委", "street")
    sync.new_key(street, d / "street.dqkey")
    return street, _community(d / f"{name}.db", code, street, d)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp("format")
    street, community = street_and_community(d)
    plain = sync.export_package(community, d / "c1.zip", plain=True).path
    second = sync.export_package(community, d / "c1-2.zip", plain=True).path  # its package 2
    street.dispose()
    community.dispose()
    return {"dir": d, "street": d / "street.db", "plain": plain, "second": second}


@pytest.fixture
def street(world, tmp_path):
    copy_db(world["street"], tmp_path / "street.db")
    db, _ = migrate.open_database(tmp_path / "street.db")
    yield db
    db.dispose()


def labelled(world, version: str) -> bytes:
    """The community's package as a program writing `version` would have made it, signed by its key."""
    return relabelled(world["plain"], world["dir"] / "c1.dqkey", version)


def relabelled(plain: Path, key_file: Path, version: str, without: frozenset[str] = frozenset()) -> bytes:
    """A plain package as a program writing `version` would have made it, signed again by its sender's key;
    the tables `without` names left out, as a program before them wrote none."""
    with zipfile.ZipFile(io.BytesIO(plain.read_bytes())) as zf:
        entries = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    manifest = json.loads(entries["manifest.json"])
    manifest["schema_version"] = version
    manifest.pop("reads", None)  # a program before 0037 named only the format it wrote
    for table in [t for t in manifest["tables"] if t["name"] in without]:
        manifest["tables"].remove(table)
        del entries[table["file"]]
    entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    entries["manifest.sig"] = keystore.read(key_file).sign(entries["manifest.json"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buf.getvalue()


def test_a_package_carries_the_sync_format_not_the_database_head(world):
    with zipfile.ZipFile(world["plain"]) as zf:
        assert json.loads(zf.read("manifest.json"))["schema_version"] == migrate.SYNC_FORMAT


def in_range() -> list[str]:
    """The oldest format read, one between (when there is one) and the newest."""
    known = sorted(r for r in migrate.known_revisions() if migrate.SYNC_FORMAT_OLDEST <= r <= migrate.SYNC_FORMAT)
    return sorted({known[0], known[len(known) // 2], known[-1]})


def before_range() -> str:
    return max(r for r in migrate.known_revisions() if r < migrate.SYNC_FORMAT_OLDEST)


@pytest.mark.parametrize("version", in_range())
def test_a_package_of_a_program_in_the_range_is_taken_by_a_later_head(world, street, tmp_path, version):
    # e.g. 0032 only dropped an index, and 0028..0031 changed nothing that travels on SQLite:
    # the street at today's head takes what a community still on such a program sends
    assert migrate.current_revision(street) == migrate.SCHEMA_HEAD
    path = tmp_path / f"c1-{version}.zip"
    path.write_bytes(labelled(world, version))
    report = sync.import_package(street, path)
    assert report.package_id
    with street.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Member.__table__).where(Member.name.like("党员%"))) == 5


@pytest.mark.parametrize("version, words", [
    (before_range(), "数据包来自较旧的程序（数据版本 {v}，本程序 {now}），请对方升级程序后重新导出"),
    ("0017", "数据包来自较旧的程序（数据版本 0017，本程序 {now}），请对方升级程序后重新导出"),
    ("9999", "数据包来自更新的程序（数据版本 9999，本程序 {now}），请先升级本程序"),
    # a name not of the form sorts inside the range ("0021" < "00275" < "0031"); it is not read
    ("00275", "数据包来自更新的程序（数据版本 00275，本程序 {now}），请先升级本程序"),
])
def test_a_package_of_a_format_out_of_the_range_is_refused_untouched(world, street, tmp_path, version, words):
    words = words.format(v=version, now=migrate.SYNC_FORMAT)
    before = fingerprint(street)
    path = tmp_path / f"c1-{version}.zip"
    path.write_bytes(labelled(world, version))
    for dry in (True, False):
        with pytest.raises(PackageRefused) as exc:
            sync.import_package(street, path, dry_run=dry)
        assert words in str(exc.value), str(exc.value)
    assert fingerprint(street) == before


# --- the search keys are the receiver's --------------------------------------------------

OLD_KEYS = {"于思雨": ("yusaiyu", "ysy"), "曾思雨": ("cengsaiyu", "csy")}  # as phrase segmentation read them


@pytest.fixture
def stale_keys(tmp_path):
    """A street and a community whose members and residents carry keys of the rule before 0027."""
    street, community = street_and_community(tmp_path, "320102009", "c9")
    with UnitOfWork(community) as uow:
        s = uow.session
        branch = s.scalar(select(Organization.id).where(Organization.kind == "branch"))
        for n, (name, (pinyin, initials)) in enumerate(OLD_KEYS.items()):
            s.add(Member(name=name, name_pinyin=pinyin, name_initials=initials, org_id=branch, seq=10 + n,
                         id_number=f"32010219900101{n:03d}X"))
            s.add(Resident(name=name, name_pinyin=pinyin, name_initials=initials, grid_id=branch))
        uow.commit()
    plain = sync.export_package(community, tmp_path / "c9.zip", plain=True).path
    community.dispose()
    yield street, plain
    street.dispose()


def keys_of(db: Database, model) -> dict[str, tuple[str, str]]:
    with db.engine.connect() as conn:
        return {n: (p, i) for n, p, i in conn.execute(
            select(model.name, model.name_pinyin, model.name_initials).where(model.name.in_(OLD_KEYS)))}


def test_a_package_of_the_oldest_format_with_old_keys_lands_with_todays(stale_keys, tmp_path):
    street, plain = stale_keys
    path = tmp_path / "c9-oldest.zip"
    path.write_bytes(relabelled(plain, tmp_path / "c9.dqkey", migrate.SYNC_FORMAT_OLDEST))
    sync.import_package(street, path)
    today = {"于思雨": ("yusiyu", "ysy"), "曾思雨": ("zengsiyu", "zsy")}
    assert keys_of(street, Member) == today
    assert keys_of(street, Resident) == today
    with street.session() as s:  # the sender's stamps stand: the keys are no edit of this site
        assert {m.version for m in s.scalars(select(Member).where(Member.name.in_(OLD_KEYS)))} == {1}


# --- the columns on the wire, in their order ----------------------------------------

def test_the_wire_columns_of_this_format_are_those_older_programs_expect():
    """A package lists each table's columns in the models' declaration order, and a reader refuses
    any other order (sync.decode). Moving a column, even into a mixin with the schema unchanged,
    would make every other site's program refuse our packages and ours refuse theirs, while
    SYNC_FORMAT still says they agree. The order is pinned per format: a new format re-pins it."""
    from desktop_app.sync.codec import synced_tables

    pin = json.loads((Path(__file__).parent / "data" / "sync_wire_columns.json").read_text(encoding="utf-8"))
    assert migrate.SYNC_FORMAT == pin["format"], "a new package format: write its column order to the pin file"
    now = {t.name: [c.name for c in t.columns] for t in synced_tables()}
    moved = {name: cols for name, cols in now.items() if pin["tables"].get(name) != cols}
    gone = sorted(set(pin["tables"]) - set(now))
    assert not moved and not gone, f"columns on the wire differ from format {pin['format']}: {moved or gone}"
