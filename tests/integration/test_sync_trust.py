"""Sync trust: each forgery a community could try is refused whole, with nothing changed at the street or at A.

Community B holds its own key and database and tries what an attacker would:
write A's rows, claim to be A, change A's closed month, edit or tombstone audit
entries. A's own package that changes a posted voucher of a closed month is
refused too. A revoked key's package is refused; a copy of A's database (key
file and passphrase included) reads neither B's package nor B's send-down.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqlalchemy import select

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.base import utcnow
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Member, Organization
from desktop_app.sync import package
from tests.integration.sync_world import STREET_CODE, STREET_NAME, World, build_templates, enrol, fingerprint, rows


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("trust-templates"), members=40, synced=True)


@pytest.fixture
def synced(templates, tmp_path):
    w = World.copy_from(templates, tmp_path, prefix="synced-")
    yield w
    w.close()


def _smuggle(into, table: str, row: dict, **changes) -> None:
    """Put a row (as another site holds it) into a community's database, changed and freshly stamped."""
    row = {**row, **changes, "version": row["version"] + 1, "updated_at": utcnow() + timedelta(seconds=1)}
    con = sqlite3.connect(into.path)
    try:
        names = ", ".join(f'"{k}"' for k in row)
        marks = ", ".join("?" for _ in row)
        vals = [v.isoformat(" ") if isinstance(v, datetime) else v.isoformat() if isinstance(v, date) else v
                for v in row.values()]
        con.execute(f'INSERT OR REPLACE INTO "{table}" ({names}) VALUES ({marks})', vals)
        con.commit()
    finally:
        con.close()


def _refused_whole(w: World, db, words: str) -> str:
    """B's (or A's) delta refused at the street (dry run and real); the street and A unchanged."""
    street_before, a_before = fingerprint(w.street), fingerprint(w.c1, data_only=True)
    e = sync.export_package(db, w.package(f"forged-{words}.dqsync"))
    for dry in (True, False):
        with pytest.raises(PackageRefused) as exc:
            sync.import_package(w.street, e.path, dry_run=dry)
        assert "未导入" in str(exc.value) and words in str(exc.value), str(exc.value)
    assert fingerprint(w.street) == street_before
    # What A takes from the street afterwards carries nothing of it.
    w.down(w.c1)
    assert fingerprint(w.c1, data_only=True) == a_before
    return str(exc.value)


def _a_member(w: World) -> dict:
    return next(r for r in rows(w.c1, "member").values() if not r["deleted"])


def test_b_writing_a_s_member_is_refused_naming_table_row_and_owner(synced):
    a_site = site.get_site(synced.c1)
    m = _a_member(synced)
    a_before = fingerprint(synced.c1, data_only=True)
    _smuggle(synced.c2, "member", m, name="被改名", updated_by_site=site.get_site(synced.c2).id)
    msg = _refused_whole(synced, synced.c2, "党员")
    assert m["id"] in msg and a_site.org_name in msg and "被改名" in msg
    assert rows(synced.street, "member")[m["id"]]["name"] == m["name"]
    assert fingerprint(synced.c1, data_only=True) == a_before


def test_b_adding_a_member_to_a_s_branch_is_refused(synced):
    m = _a_member(synced)
    branch = rows(synced.c1, "organization")[m["org_id"]]
    _smuggle(synced.c2, "member", {**m, "id": "f0f0f0f0-0000-4000-8000-000000000001", "version": 0},
             name="插进来的人", updated_by_site=site.get_site(synced.c2).id)
    msg = _refused_whole(synced, synced.c2, "党员")
    assert branch["name"] in msg
    assert "f0f0f0f0-0000-4000-8000-000000000001" not in rows(synced.street, "member")


def test_b_claiming_to_be_a_is_refused(synced, tmp_path):
    """B signs with its own key a package whose manifest says it is A."""
    e = sync.export_package(synced.c2, synced.package("b.dqsync"), plain=True)
    with zipfile.ZipFile(e.path) as zf:
        entries = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    m = json.loads(entries["manifest.json"])
    a = site.get_site(synced.c1)
    m["site"].update(id=a.id, org_code=a.org_code, org_name=a.org_name)
    entries["manifest.json"] = json.dumps(m, ensure_ascii=False).encode()
    entries["manifest.sig"] = sync.load_keys(synced.c2)[0].sign(entries["manifest.json"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    forged = synced.package("claims-a.zip")
    forged.write_bytes(buf.getvalue())
    before = fingerprint(synced.street)
    with pytest.raises(PackageRefused, match="签名"):
        sync.import_package(synced.street, forged)
    assert fingerprint(synced.street) == before


def test_b_tombstoning_or_editing_a_s_audit_entries_is_refused(synced):
    entries = [r for r in rows(synced.c1, "audit_entry").values()][:2]
    b = site.get_site(synced.c2).id
    _smuggle(synced.c2, "audit_entry", entries[0], deleted=True, updated_by_site=b)
    _smuggle(synced.c2, "audit_entry", entries[1], note="改过", updated_by_site=b)
    msg = _refused_whole(synced, synced.c2, _label("audit_entry"))
    assert entries[0]["id"] in msg or entries[1]["id"] in msg


def test_a_community_cannot_rewrite_its_own_audit_trail(synced):
    entry = next(iter(rows(synced.c1, "audit_entry").values()))
    _smuggle(synced.c1, "audit_entry", entry, deleted=True)
    msg = _refused_whole(synced, synced.c1, "只能追加")
    assert entry["id"] in msg


def _label(table: str) -> str:
    from desktop_app.domain.sync_rules import table_label

    return table_label(table)


def test_a_posted_voucher_in_a_closed_month_stays_as_it_was(synced):
    from desktop_app.services import ledger

    entries = [r for r in rows(synced.c1, "ledger_entry").values() if not r["deleted"]]
    if not entries:
        pytest.skip("the demo community keeps no books")
    entry = min(entries, key=lambda r: r["entry_date"])
    month = entry["entry_date"].replace(day=1)
    closed = {(r["org_id"], r["month"]) for r in rows(synced.street, "closed_month").values()}
    if (entry["org_id"], month) not in closed:
        ledger.close_month(synced.c1, month, today=month + timedelta(days=400))
        synced.up(synced.c1)
    # A's own database is tampered with: the voucher now says 0.01 (the amount fen) and goes up again.
    _smuggle(synced.c1, "ledger_entry", entry, amount_fen=1)
    _refused_whole(synced, synced.c1, "已记账凭证")
    assert rows(synced.street, "ledger_entry")[entry["id"]]["amount_fen"] == entry["amount_fen"]


def test_b_changing_a_s_voucher_is_refused(synced):
    entries = [r for r in rows(synced.c1, "ledger_entry").values() if not r["deleted"]]
    if not entries:
        pytest.skip("the demo community keeps no books")
    _smuggle(synced.c2, "ledger_entry", entries[0], amount_fen=1, updated_by_site=site.get_site(synced.c2).id)
    _refused_whole(synced, synced.c2, "记账")


def test_a_revoked_key_s_package_is_refused_until_it_enrols_again(synced, tmp_path):
    a = site.get_site(synced.c1)
    sync.enrol_revoke(synced.street, a.org_code)
    before = fingerprint(synced.street)
    e = sync.export_package(synced.c1, synced.package("after-revoke.dqsync"))
    with pytest.raises(PackageRefused, match="作废"):
        sync.import_package(synced.street, e.path)
    assert fingerprint(synced.street) == before
    # the stolen key no longer counts; a fresh one does (and the data is all still there)
    enrol(synced.street, synced.c1, tmp_path, "again")
    with pytest.raises(PackageRefused, match="签名"):
        sync.import_package(synced.street, e.path)
    _, r = synced.up(synced.c1)
    assert not r.new_community and r.total("conflicts") == 0


def test_a_copy_of_a_s_database_cannot_read_b_s_packages(synced, tmp_path):
    b_up = sync.export_package(synced.c2, synced.package("b-up.dqsync")).path
    b_down = sync.send_package(synced.street, synced.package("b-down.dqsync"), site.get_site(synced.c2).id).path
    from tests.integration.sync_world import copy_db

    copy_db(synced.c1.path, tmp_path / "stolen-a.db")
    stolen, _ = open_database(tmp_path / "stolen-a.db")
    try:
        keys, _ = sync.load_keys(stolen)  # even with A's key file and passphrase
        for path in (b_up, b_down):
            data = path.read_bytes()
            with pytest.raises(ValueError):
                keys.open_sealed(data, len(package.MAGIC))
            with pytest.raises(PackageRefused, match="加密给另一方"):
                sync.import_package(stolen, path, dry_run=True)
    finally:
        stolen.dispose()
    # and no private key sits in any database or backup of one
    for db in (synced.street, synced.c1, synced.c2):  # files, and the street's server database in a PG run
        with db.engine.connect() as con:
            assert con.exec_driver_sql("SELECT key_b64 FROM sync_identity").scalar() == ""


def test_a_package_in_the_old_format_says_what_to_do(synced):
    e = sync.export_package(synced.c1, synced.package("new.dqsync"))
    old = synced.package("old.dqsync")
    old.write_bytes(package.OLD_MAGIC + e.path.read_bytes()[len(package.MAGIC):])
    with pytest.raises(PackageRefused, match="升级到 0.2.0 或更新的版本.*“向街道登记”"):
        sync.import_package(synced.street, old)


# --- honest packages from many communities converge, conflicts kept ----------------------

def _small_community(folder, i: int, street) -> object:
    db, _ = open_database(folder / f"h{i}.db")
    site.init_site(db, f"{STREET_CODE}{i:03d}", f"第{i}社区党委", "community", street_name=STREET_NAME)
    with UnitOfWork(db) as uow:
        s = uow.session
        root = s.scalar(select(Organization.id).where(Organization.kind == "community"))
        branch = Organization(name=f"第{i}支部", code=f"{STREET_CODE}{i:03d}01", kind="branch", parent_id=root)
        s.add(branch)
        s.flush()
        for k in range(4):
            s.add(Member(name=f"社区{i}党员{k}", id_number=f"1101011990010{i:02d}{k:02d}X"[:18], org_id=branch.id,
                         seq=k + 1))
        uow.commit()
    enrol(street, db, folder, f"h{i}")
    return db


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(2, 3), order=st.randoms(use_true_random=False),
       street_edits=st.lists(st.integers(0, 3), max_size=2), rounds=st.integers(1, 2))
def test_honest_packages_from_many_communities_converge_with_conflicts_kept(tmp_path_factory, n, order,
                                                                            street_edits, rounds):
    folder = tmp_path_factory.mktemp("converge")
    street, _ = open_database(folder / "street.db")
    site.init_site(street, STREET_CODE, STREET_NAME, "street")
    sync.new_key(street, folder / "street.dqkey")
    communities = [_small_community(folder, i, street) for i in range(1, n + 1)]
    w = World(folder, street, communities[0], communities[1], folder / "street.dqkey")
    try:
        for c in communities:
            w.up(c)
            w.down(c)
        expected_conflicts = set()
        for r in range(rounds):
            for i, c in enumerate(communities):
                with UnitOfWork(c) as uow:
                    for m in uow.session.query(Member).filter(Member.name.like("%党员1")):
                        m.notes = f"第{r}轮社区{i}"
                    uow.commit()
            for k in street_edits:  # the street changes the same member of a community meanwhile
                c = communities[k % n]
                with UnitOfWork(street) as uow:
                    mine = uow.session.query(Member).filter(Member.name == f"社区{k % n + 1}党员1").one_or_none()
                    if mine is not None:
                        mine.notes = f"街道第{r}轮"
                        expected_conflicts.add(mine.id)
                    uow.commit()
            shuffled = list(communities)
            order.shuffle(shuffled)
            for c in shuffled:
                w.up(c)
        kept = {c.row_id for c in sync.conflicts(street)}
        assert kept == expected_conflicts
        at_street = rows(street, "member")
        for c in communities:
            for rid, row in rows(c, "member").items():
                if rid not in kept:  # a conflict keeps the street's side until a person decides
                    assert at_street[rid]["notes"] == row["notes"] and at_street[rid]["name"] == row["name"]
    finally:
        for db in [street, *communities]:
            db.dispose()


# --- the audit trail: append-only, hash-chained, checked on import -----------------------

def test_the_trail_is_never_updated_and_its_chain_names_the_first_broken_link(synced, capsys):
    from sqlalchemy import event

    from desktop_app.cli import main
    from desktop_app.services import audit_chain

    statements = []
    event.listen(synced.c1.engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *a: statements.append(sql))
    m = _a_member(synced)
    with UnitOfWork(synced.c1) as uow:  # two flushes of one row in one transaction: one entry, inserted once
        row = uow.session.get(Member, m["id"])
        row.notes = "一"
        uow.session.flush()
        row.job = "二"
        uow.session.flush()
        uow.commit()
    assert not [q for q in statements if q.lstrip().upper().startswith("UPDATE") and "audit_entry" in q]
    assert audit_chain.verify(synced.c1) == []
    assert main(["audit", "verify", "--db", str(synced.c1.path)]) == 0
    # the street keeps A's trail as received and it checks whole there too
    synced.up(synced.c1)
    assert audit_chain.verify(synced.street) == []

    con = sqlite3.connect(synced.c1.path)
    try:
        ids = [r[0] for r in con.execute("SELECT id FROM audit_entry WHERE hash != '' ORDER BY rowid")]
        con.execute("UPDATE audit_entry SET note = 'changed' WHERE id = ?", (ids[3],))
        con.commit()
    finally:
        con.close()
    [broken] = audit_chain.verify(synced.c1)
    assert broken.entry_id == ids[3] and "改动" in broken.problem
    capsys.readouterr()
    assert main(["audit", "verify", "--db", str(synced.c1.path)]) == 1
    assert ids[3] in capsys.readouterr().err


def test_a_package_with_a_gap_in_its_trail_is_refused(synced):
    synced.up(synced.c1)
    for i in range(3):  # three new entries the street has not seen yet
        with UnitOfWork(synced.c1) as uow:
            uow.session.get(Member, _a_member(synced)["id"]).notes = f"第{i}次"
            uow.commit()
    con = sqlite3.connect(synced.c1.path)
    try:  # the middle one is removed from A's database before it leaves
        newest = [r[0] for r in con.execute("SELECT id FROM audit_entry ORDER BY rowid DESC LIMIT 3")]
        con.execute("DELETE FROM audit_entry WHERE id = ?", (newest[1],))
        con.commit()
    finally:
        con.close()
    msg = _refused_whole(synced, synced.c1, "前一条不存在")
    assert newest[0] in msg


def test_b_hanging_a_row_under_a_s_meeting_is_refused(synced):
    a_rows = [r for r in rows(synced.c1, "attendance").values()]
    if not a_rows:
        pytest.skip("the demo community holds no attendance")
    forged = {**a_rows[0], "id": "f0f0f0f0-0000-4000-8000-000000000002", "version": 0}
    _smuggle(synced.c2, "attendance", forged, updated_by_site=site.get_site(synced.c2).id)
    msg = _refused_whole(synced, synced.c2, "挂在不属于发送方的")
    assert forged["id"] in msg and site.get_site(synced.c1).org_name in msg
