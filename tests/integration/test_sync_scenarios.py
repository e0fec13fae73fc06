"""Two communities and their street office in temp folders, exchanging packages as on a USB stick."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Text, Time, func, select

from desktop_app.domain import dues as rules
from desktop_app.domain.errors import Conflict, NotFound
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from desktop_app.services.sync import outgoing
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, Organization, Resident
from desktop_app.store.models_sync import SyncConflict, SyncExport, SyncRowState
from desktop_app.sync.codec import NULL, codec_for, decode_value, encode_value, synced_tables
from tests.integration.sync_world import World, build_templates, copy_db, data_changes, enrol, fingerprint, rows

STAMPS = {"created_at", "updated_at", "updated_by_site", "version"}
TRICKY_TEXTS = [
    "", "a,b", 'say "hi"', "line1\nline2", "crlf\r\nend", "\\N", "\\", "\\\\N", " lead and trail ",
    "逗号，引号“”、顿号", "emoji 😀", "tab\there", "semi;colon", "=1+2", "\x00nul", "\r",
]


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("sync-templates"), synced=True)


@pytest.fixture
def world(templates, tmp_path):
    """Two communities with a year of demo data, the street has nothing of theirs yet."""
    w = World.copy_from(templates, tmp_path)
    yield w
    w.close()


@pytest.fixture
def synced(templates, tmp_path):
    """The same after a first round: the street holds both, both took its package back."""
    w = World.copy_from(templates, tmp_path, prefix="synced-")
    yield w
    w.close()


def edit(db, model, row_id, **values):
    if "name" in values and hasattr(model, "name_pinyin"):  # a name is saved with its keys, as the services do
        values["name_pinyin"], values["name_initials"] = pinyin_keys(values["name"])
    with UnitOfWork(db) as uow:
        obj = uow.session.get(model, row_id)
        for k, v in values.items():
            setattr(obj, k, v)
        uow.commit()


def some_member(db, n: int = 0) -> str:
    with db.session() as s:
        return s.scalars(select(Member.id).where(Member.deleted.is_(False)).order_by(Member.seq)).all()[n]


def community_ids(db) -> set[str]:
    return set(rows(db, "member"))


def confirm(world: World, community) -> None:
    """The street sends its package down, so the community's next export is a delta."""
    world.down(community)


# --- values travel exactly ----------------------------------------------------

def _strategy(column):
    t = column.type
    if isinstance(t, Boolean):
        s = st.booleans()
    elif isinstance(t, DateTime):
        s = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1))
    elif isinstance(t, Date):
        s = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))
    elif isinstance(t, Time):
        s = st.times()
    elif isinstance(t, Integer):
        s = st.integers(-(2**62), 2**62)  # fen, big and negative (reversals)
    else:
        s = st.text() | st.sampled_from(TRICKY_TEXTS)
    return st.none() | s if column.nullable else s


def test_every_column_type_in_the_metadata_has_a_codec():
    kinds = set()
    for table in synced_tables():
        for column in table.columns:
            codec_for(column)  # raises for a type sync cannot carry
            kinds.add(type(column.type))
    # the kinds of today's schema; a new one gets its own round trip below automatically
    assert {String, Text, Integer, BigInteger, Boolean, Date, DateTime, Time} <= kinds


def _column_kinds():
    """One column of each (type, nullable) found on the synced tables: the codec depends on nothing else."""
    kinds = {}
    for table in synced_tables():
        for column in table.columns:
            kinds.setdefault((type(column.type), column.nullable), column)
    return list(kinds.values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_column_type_round_trips_through_csv_text(data):
    from desktop_app.sync import package

    cols = _column_kinds()
    values = [data.draw(_strategy(c), label=f"{c.table.name}.{c.name}") for c in cols]
    texts = [encode_value(codec_for(c), v) for c, v in zip(cols, values)]
    raw = package.csv_bytes([f"c{i}" for i in range(len(cols))], [texts, texts])
    lines = package.read_csv(raw)
    assert len(lines) == 3
    for back in lines[1:]:
        assert [decode_value(codec_for(c), t) for c, t in zip(cols, back)] == values


def test_null_and_empty_text_stay_apart():
    col = Member.__table__.c.notes
    c = codec_for(col)
    assert encode_value(c, None) == NULL
    assert encode_value(c, "") == ""
    assert decode_value(c, encode_value(c, "\\N")) == "\\N"
    assert decode_value(c, NULL) is None


def test_first_packages_bring_every_row_to_the_street_exactly(world):
    # Awkward values in every kind of column the members table has.
    m0, m1 = some_member(world.c1, 0), some_member(world.c1, 1)
    # A street on PostgreSQL keeps INTEGER columns in 32 bits (a file's hold 64): the largest it takes there.
    big = 2**31 - 1 if world.street.path is None else 2**31 + 7
    edit(world.c1, Member, m0, notes="a,b\n\"quoted\"\r\n\\N and 😀", address="", birth_date=None, seq=big)
    edit(world.c1, Member, m1, notes="\\N", job="\\", is_hardship=True)
    # as they are when packed (making a package adds a line to the community's own audit trail)
    sent = [{t.name: rows(c, t.name) for t in synced_tables()} for c in (world.c1, world.c2)]
    _, r1 = world.up(world.c1)
    _, r2 = world.up(world.c2)
    assert r1.new_community and r2.new_community
    assert r1.total("conflicts") == 0 and r2.total("conflicts") == 0
    seen_types: set[type] = set()
    for tables in sent:
        for table in synced_tables():
            mine, theirs = tables[table.name], rows(world.street, table.name)
            for rid, row in mine.items():
                if table.name == "dues_rate_rule":
                    assert {k: v for k, v in theirs[rid].items() if k not in STAMPS} == \
                           {k: v for k, v in row.items() if k not in STAMPS}  # the street's own, seeded alike
                    continue
                assert theirs[rid] == row, (table.name, rid)
                for col in table.columns:
                    if row[col.name] is not None:
                        seen_types.add(type(col.type))
    # the demo year covers every kind of column the schema has
    assert seen_types == {type(c.type) for t in synced_tables() for c in t.columns}
    assert rows(world.street, "member")[m0]["notes"] == "a,b\n\"quoted\"\r\n\\N and 😀"
    assert rows(world.street, "member")[m0]["birth_date"] is None
    assert rows(world.street, "member")[m0]["address"] == ""
    assert rows(world.street, "member")[m1]["notes"] == "\\N"
    assert community_ids(world.c1) | community_ids(world.c2) == community_ids(world.street)


def test_the_street_sees_one_tree_with_every_community_under_its_own_node(world):
    world.up(world.c1)
    world.up(world.c2)
    with world.street.session() as s:
        streets = s.scalars(select(Organization).where(
            Organization.kind == OrgKind.STREET.value, Organization.deleted.is_(False))).all()
        assert [o.code for o in streets] == ["320102"]
        communities = s.scalars(select(Organization).where(
            Organization.kind == OrgKind.COMMUNITY.value, Organization.deleted.is_(False))).all()
        assert len(communities) == 2 and {o.parent_id for o in communities} == {streets[0].id}


def test_importing_the_same_package_twice_changes_nothing(world):
    e, first = world.up(world.c1)
    before = fingerprint(world.street)
    again = sync.import_package(world.street, e.path)
    assert again.already_imported and again.changes_nothing
    assert again.total("unchanged") == first.total("inserted") + first.total("unchanged")
    assert fingerprint(world.street) == before


def test_a_dry_run_says_what_would_happen_and_writes_nothing(world):
    before = fingerprint(world.street)
    e, dry = world.up(world.c1, dry_run=True)
    assert dry.dry_run and fingerprint(world.street) == before
    real = sync.import_package(world.street, e.path)
    assert [(t.table, t.inserted, t.updated, t.unchanged, t.conflicts) for t in dry.tables] == \
           [(t.table, t.inserted, t.updated, t.unchanged, t.conflicts) for t in real.tables]
    seeded = len(rules.DEFAULT_RULES)  # the 党费 rates the street seeded itself
    assert dry.total("inserted") == e.rows - 1 - seeded  # all but the street's own node and its rates


def test_edits_and_deletions_go_up_as_a_small_delta(synced, monkeypatch):
    monkeypatch.setattr(outgoing, "WATERMARK_MARGIN", timedelta(0))  # the test writes faster than any clock
    renamed, gone = some_member(synced.c1, 0), some_member(synced.c1, 1)
    edit(synced.c1, Member, renamed, name="改名后")
    edit(synced.c1, Member, gone, deleted=True)
    with UnitOfWork(synced.c1) as uow:
        org = uow.session.scalar(select(Member.org_id).where(Member.id == renamed))
        uow.session.add(Member(name="新党员", id_number="110101199001011237", org_id=org))
        uow.commit()
    e, r = synced.up(synced.c1)
    assert not e.full and e.since is not None
    assert e.counts["member"] == 3
    # Three members, the audit trail, and the rows taken from the street (its org tree and reference
    # lists, 五好 schemes included now that they exist) echoed once: nothing else of the community's year.
    echoed = {t: n for t, n in e.counts.items() if n and t not in ("member", "audit_entry")}
    assert set(echoed) <= {"organization", *outgoing.REFERENCE_TABLES}
    with synced.c1.session() as s:
        taken = s.scalar(select(func.count()).select_from(SyncRowState).where(
            SyncRowState.peer_site == sync.key_info(synced.c1).street_site_id))
    assert sum(echoed.values()) <= taken
    assert e.rows - sum(echoed.values()) < 80
    street = rows(synced.street, "member")
    assert street[renamed]["name"] == "改名后"
    assert street[gone]["deleted"] is True
    assert any(m["name"] == "新党员" for m in street.values())
    assert r.total("conflicts") == 0
    assert {t.table: t.updated for t in r.tables}["member"] == 2


def _agreed_stamps(db, peer: str, table: str) -> dict[str, tuple]:
    rs = SyncRowState
    with db.session() as s:
        return {rid: (v, site_, bool(new), lv) for rid, v, site_, new, lv in s.execute(
            select(rs.row_id, rs.version, func.coalesce(rs.site, rs.peer_site), rs.introduced, rs.local_version)
            .where(rs.peer_site == peer, rs.table_name == table))}


def test_new_rows_of_a_later_package_are_agreed_as_introduced(synced, monkeypatch):
    """A new community's stamps are copied by SQLite from the rows written (sync.merge); a later package's
    new rows, beside rows already agreed, get theirs from the package: one each, introduced, all the same."""
    monkeypatch.setattr(outgoing, "WATERMARK_MARGIN", timedelta(0))  # the test writes faster than any clock
    peer = site.get_site(synced.c1).id
    before = _agreed_stamps(synced.street, peer, "member")
    assert before  # the first round agreed the community's members (copied from the rows)
    with UnitOfWork(synced.c1) as uow:
        known = uow.session.scalar(select(Member).where(Member.id.in_(list(before))).limit(1))
        known.name = "改名后"  # an agreed row in the same package: the table is agreed with the sender
        org = known.org_id
        added = Member(name="新党员", id_number="110101199001011237", org_id=org)
        uow.session.add(added)
        uow.session.flush()
        new_id, known_id = added.id, known.id
        uow.commit()
    e, r = synced.up(synced.c1)
    assert not e.full and {t.table: (t.inserted, t.updated) for t in r.tables}["member"] == (1, 1)
    after = _agreed_stamps(synced.street, peer, "member")
    assert after[new_id] == (1, peer, True, None)
    assert after[known_id][0] == before[known_id][0] + 1
    assert {k: v for k, v in after.items() if k not in (new_id, known_id)} == {
        k: v for k, v in before.items() if k != known_id}
    # Agreed, so the community's next edit of it is a plain update at the street, not a conflict.
    with UnitOfWork(synced.c1) as uow:
        uow.session.get(Member, new_id).name = "新党员（改）"
        uow.commit()
    _, r2 = synced.up(synced.c1)
    assert r2.total("conflicts") == 0 and {t.table: t.updated for t in r2.tables}["member"] == 1


def test_without_a_confirmation_the_next_export_carries_everything_again(world):
    e1, _ = world.up(world.c1)
    e2, r2 = world.up(world.c1)
    assert e1.full and e2.full
    assert data_changes(r2) == 0


def test_an_older_package_after_a_newer_one_changes_nothing(world):
    m = some_member(world.c1)
    p1 = sync.export_package(world.c1, world.package("p1.dqsync"))
    edit(world.c1, Member, m, name="第二次")
    p2 = sync.export_package(world.c1, world.package("p2.dqsync"))
    sync.import_package(world.street, p2.path)
    before = fingerprint(world.street, data_only=True)
    late = sync.import_package(world.street, p1.path)
    assert late.older_package and late.warnings
    assert data_changes(late) == 0
    assert late.total("older") >= 1
    assert fingerprint(world.street, data_only=True) == before
    assert rows(world.street, "member")[m]["name"] == "第二次"


def test_packages_in_any_order_build_the_same_street(world, templates, tmp_path):
    m1, m2 = some_member(world.c1), some_member(world.c2)
    a1 = sync.export_package(world.c1, world.package("a1.dqsync"))
    b1 = sync.export_package(world.c2, world.package("b1.dqsync"))
    edit(world.c1, Member, m1, mobile="13900000001")
    edit(world.c2, Member, m2, deleted=True)
    a2 = sync.export_package(world.c1, world.package("a2.dqsync"))
    b2 = sync.export_package(world.c2, world.package("b2.dqsync"))
    orders = [[a1, b1, a2, b2], [b2, a2, b1, a1, a2]]
    # Rows both communities seeded under the same ids keep the stamp that came first; their content is one.
    shared = {t.name: set(rows(world.c1, t.name)) & set(rows(world.c2, t.name)) for t in synced_tables()}
    streets = []
    for i, order in enumerate(orders):
        copy_db(templates["street"], tmp_path / f"s{i}.db")
        from desktop_app.store.migrate import open_database

        s, _ = open_database(tmp_path / f"s{i}.db")
        for p in order:
            sync.import_package(s, p.path)
        assert rows(s, "member")[m1]["mobile"] == "13900000001"
        assert rows(s, "member")[m2]["deleted"] is True
        streets.append({
            t.name: {rid: {k: v for k, v in row.items() if rid not in shared[t.name] or k not in STAMPS}
                     for rid, row in rows(s, t.name).items()}
            for t in synced_tables() if t.name != "audit_entry"
        })
        s.dispose()
    assert streets[0] == streets[1]


def test_a_row_changed_at_both_ends_is_kept_as_a_conflict_until_the_street_decides(synced):
    m = some_member(synced.c1)
    edit(synced.street, Member, m, mobile="13811111111")  # the street corrects a phone number
    edit(synced.c1, Member, m, mobile="13922222222", address="幸福里 3 栋")  # the community too, meanwhile
    _, r = synced.up(synced.c1)
    assert {t.table: t.conflicts for t in r.tables}["member"] == 1
    street_row = rows(synced.street, "member")[m]
    assert street_row["mobile"] == "13811111111"  # nothing silently overwritten
    [c] = sync.conflicts(synced.street)
    assert c.table == "member" and c.row_id == m and "社区" in c.peer_name
    detail = sync.conflict_detail(synced.street, c.id)
    diff = {f.column: (f.local, f.incoming) for f in detail.differing}
    assert diff["mobile"] == ("13811111111", "13922222222")
    assert diff["address"][1] == "幸福里 3 栋"
    # the same package again keeps one conflict, not two
    e2 = sync.export_package(synced.c1, synced.package("again.dqsync"))
    sync.import_package(synced.street, e2.path)
    sync.import_package(synced.street, e2.path)
    assert len(sync.conflicts(synced.street)) == 1

    done = sync.resolve_conflict(synced.street, c.id, sync.INCOMING, by="王主任")
    assert done.status == "resolved" and done.resolved_by == "王主任"
    after = rows(synced.street, "member")[m]
    assert (after["mobile"], after["address"]) == ("13922222222", "幸福里 3 栋")
    assert after["version"] > max(street_row["version"], rows(synced.c1, "member")[m]["version"])
    assert sync.conflicts(synced.street) == []
    with pytest.raises(Conflict):
        sync.resolve_conflict(synced.street, c.id, sync.LOCAL)
    # the decision goes down; the community catches up and nothing conflicts any more
    _, down = synced.down(synced.c1)
    assert {t.table: t.updated for t in down.tables}.get("member") == 1
    assert rows(synced.c1, "member")[m] == rows(synced.street, "member")[m]
    _, r3 = synced.up(synced.c1)
    assert data_changes(r3) == 0


def test_keeping_the_street_side_goes_down_and_settles_the_community(synced):
    m = some_member(synced.c1)
    edit(synced.street, Member, m, name="街道改")
    edit(synced.c1, Member, m, name="社区改")
    # the street's correction reaches the community before its own edit went up: a conflict there too
    _, down = synced.down(synced.c1)
    assert {t.table: t.conflicts for t in down.tables}["member"] == 1
    [cc] = sync.conflicts(synced.c1)
    with pytest.raises(Conflict, match="由街道决定"):
        sync.resolve_conflict(synced.c1, cc.id, sync.LOCAL)
    assert rows(synced.c1, "member")[m]["name"] == "社区改"
    _, up = synced.up(synced.c1)
    [sc] = sync.conflicts(synced.street)
    sync.resolve_conflict(synced.street, sc.id, sync.LOCAL)
    synced.down(synced.c1)
    assert rows(synced.c1, "member")[m]["name"] == "街道改"
    assert sync.conflicts(synced.c1) == []  # settled by the street's decision
    with synced.c1.session() as s:
        assert s.scalar(select(SyncConflict.status).where(SyncConflict.id == cc.id)) == "superseded"
    _, again = synced.up(synced.c1)
    assert again.total("conflicts") == 0
    assert rows(synced.street, "member")[m] == rows(synced.c1, "member")[m]


def test_a_community_may_take_the_street_version(synced):
    m = some_member(synced.c1)
    edit(synced.street, Member, m, name="街道改")
    edit(synced.c1, Member, m, name="社区改")
    synced.down(synced.c1)
    [cc] = sync.conflicts(synced.c1)
    sync.resolve_conflict(synced.c1, cc.id, sync.INCOMING)
    assert rows(synced.c1, "member")[m]["name"] == "街道改"
    _, up = synced.up(synced.c1)
    assert up.total("conflicts") == 0
    assert rows(synced.street, "member")[m]["name"] == "街道改"


def stale_keys(db, member_id: str, pinyin: str, initials: str) -> None:
    """The member's keys as a program before 0027 stored them (phrase segmentation), its stamp untouched."""
    m = Member.__table__
    with db.engine.begin() as conn:
        conn.execute(m.update().where(m.c.id == member_id).values(name_pinyin=pinyin, name_initials=initials))


def test_two_edits_to_one_name_differing_only_in_their_keys_are_no_conflict(synced):
    # the street derives its own keys from the name: a sender's older reading of it is no second version
    m = some_member(synced.c1)
    edit(synced.street, Member, m, name="于思雨")
    edit(synced.c1, Member, m, name="于思雨")
    stale_keys(synced.c1, m, "yusaiyu", "ysy")
    _, up = synced.up(synced.c1)
    assert up.total("conflicts") == 0
    assert sync.conflicts(synced.street) == []
    assert (rows(synced.street, "member")[m]["name_pinyin"], rows(synced.street, "member")[m]["name_initials"]) \
        == ("yusiyu", "ysy")


def test_taking_a_kept_version_with_old_keys_gives_the_row_todays(synced):
    # a conflict kept before the merge derived the keys holds the sender's: taking it writes ours
    m = some_member(synced.c1)
    edit(synced.street, Member, m, name="街道改")
    edit(synced.c1, Member, m, name="曾思雨")
    synced.up(synced.c1)
    [sc] = sync.conflicts(synced.street)
    with synced.street.engine.begin() as conn:
        c = SyncConflict.__table__
        kept = json.loads(conn.scalar(select(c.c.incoming_json).where(c.c.id == sc.id)))
        kept.update(name_pinyin="cengsaiyu", name_initials="csy")
        conn.execute(c.update().where(c.c.id == sc.id).values(incoming_json=json.dumps(kept, ensure_ascii=False)))
    sync.resolve_conflict(synced.street, sc.id, sync.INCOMING)
    row = rows(synced.street, "member")[m]
    assert (row["name"], row["name_pinyin"], row["name_initials"]) == ("曾思雨", "zengsiyu", "zsy")


def test_a_street_edit_goes_down_once_as_a_correction(synced):
    m = some_member(synced.c1)
    edit(synced.street, Member, m, phone="025-1234567")
    e, down = synced.down(synced.c1)
    assert e.counts.get("member") == 1
    assert rows(synced.c1, "member")[m]["phone"] == "025-1234567"
    synced.up(synced.c1)  # the community echoes what it took
    e2, _ = synced.down(synced.c1)
    assert e2.counts.get("member", 0) == 0


def test_reference_lists_go_to_every_community_but_a_community_s_own_rows_stay_its_own(synced):
    from desktop_app.store.models_service import ServiceListItem

    with UnitOfWork(synced.street) as uow:
        item = ServiceListItem(list_kind="resident_tag", name="独居老人", sort_order=1)
        uow.session.add(item)
        uow.commit()
    with UnitOfWork(synced.c1) as uow:
        own = ServiceListItem(list_kind="resident_tag", name="社区一自定", sort_order=9)
        uow.session.add(own)
        uow.commit()
    synced.up(synced.c1)
    e1, _ = synced.down(synced.c1)
    e2, _ = synced.down(synced.c2)
    assert item.id in rows(synced.c1, "service_list_item") and item.id in rows(synced.c2, "service_list_item")
    assert own.id not in rows(synced.c2, "service_list_item")
    # the street's org tree reaches each community
    assert e1.counts["organization"] > 1
    # the street's reference rows are the street's: a community's edit of one is refused whole
    edit(synced.c1, ServiceListItem, item.id, name="空巢老人")
    before = fingerprint(synced.street)
    with pytest.raises(PackageRefused, match="空巢老人.*属于街道"):
        synced.up(synced.c1)
    assert fingerprint(synced.street) == before
    assert rows(synced.street, "service_list_item")[item.id]["name"] == "独居老人"


def test_downstream_confirms_what_the_street_merged(world):
    e1, _ = world.up(world.c1)
    e_lost = sync.export_package(world.c1, world.package("lost.dqsync"))  # never reaches the street
    _, down = world.down(world.c1)
    assert down.confirmed == 1
    with world.c1.session() as s:
        confirmed = {p for p, in s.execute(select(SyncExport.package_id).where(SyncExport.confirmed_at.is_not(None)))}
    assert confirmed == {e1.package_id}
    assert e_lost.package_id not in confirmed
    state = sync.sync_state(world.c1)
    assert state.last_confirmed.package_id == e1.package_id
    assert state.has_key and state.street_org_name == "梅园街道党工委"


def test_a_delta_that_does_not_fit_the_street_is_refused_whole(synced, templates, tmp_path, monkeypatch):
    monkeypatch.setattr(outgoing, "WATERMARK_MARGIN", timedelta(0))
    synced.up(synced.c1)  # echoes the org tree it took from the street
    confirm(synced, synced.c1)
    with UnitOfWork(synced.c1) as uow:
        branch = uow.session.scalar(select(Organization.id).where(Organization.kind == "branch",
                                                                   Organization.deleted.is_(False)))
        uow.session.add(Member(name="新党员", id_number="110101199001011237", org_id=branch))
        uow.commit()
    delta = sync.export_package(synced.c1, synced.package("delta.dqsync"))
    assert not delta.full and delta.rows - delta.counts["audit_entry"] == 1
    # a street that never took the full package (restored from an old backup)
    copy_db(templates["street"], tmp_path / "old-street.db")
    from desktop_app.store.migrate import open_database

    old, _ = open_database(tmp_path / "old-street.db")
    before = fingerprint(old)
    with pytest.raises(PackageRefused, match="完整数据包"):
        sync.import_package(old, delta.path)
    assert fingerprint(old) == before
    old.dispose()


def test_the_street_list_shows_last_packages_and_flags_silence(synced):
    listed = {c.org_name: c for c in sync.communities(synced.street)}
    assert len(listed) == 2
    c1 = listed[site.get_site(synced.c1).org_name]
    assert c1.last_size > 10_000 and c1.packages == 1 and not c1.silent and c1.last_package_at
    # members who died, transferred out or left the party have left the figures (their records still travel),
    # and so have those in the 双报到 register, as the street's 党员 card leaves them out
    registered = {r["member_id"] for r in rows(synced.c1, "reporting_member").values()
                  if not r["deleted"] and r["member_id"]}
    assert registered  # the world has some: the figure below differs without them
    assert c1.members == len([i for i, m in rows(synced.c1, "member").items()
                              if not m["deleted"] and m["status"] not in GONE_STATUSES and i not in registered])
    assert c1.counts["member"] == len(rows(synced.c1, "member"))
    later = date.today() + timedelta(days=31)
    warnings = sync.silent_warnings(synced.street, today=later)
    assert len(warnings) == 2 and all("31 天未报送" in w for w in warnings)
    assert sync.community_choices(synced.street)
    counts = {c.org_name: c for c in sync.community_counts(synced.street)}
    mine = counts[c1.org_name]
    assert mine.members == c1.members and mine.full_members + mine.probationary == c1.members
    assert mine.residents == len([r for r in rows(synced.c1, "resident").values() if not r["deleted"]])
    assert [c.org_name for c in sync.community_counts(synced.street, c1.org_id)] == [c1.org_name]
    org_ids = sync.community_org_ids(synced.street, c1.org_id)
    with synced.street.session() as s:
        n = s.scalar(select(func.count()).select_from(Member).where(
            Member.org_id.in_(org_ids), Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES),
            Member.id.not_in(registered)))
    assert n == c1.members


def test_rows_both_communities_seeded_alike_are_one_row_not_a_conflict(synced, monkeypatch):
    # 党费 rates are seeded under fixed ids: the same rows, stamped by each community
    shared = set(rows(synced.c1, "dues_rate_rule")) & set(rows(synced.c2, "dues_rate_rule"))
    assert shared and sync.conflicts(synced.street) == []
    from desktop_app.store.models_ledger import DuesRateRule

    rid = sorted(shared)[0]
    # a rate is a reference list: community 2 may not change the row it shares with the others
    edit(synced.c2, DuesRateRule, rid, note="二社区改")
    before = fingerprint(synced.street)
    with pytest.raises(PackageRefused, match="党费.*不属于发送方"):
        synced.up(synced.c2)
    assert fingerprint(synced.street) == before
    _, down = synced.down(synced.c1)
    assert rows(synced.c1, "dues_rate_rule")[rid]["note"] != "二社区改"
    assert sync.conflicts(synced.street) == [] and sync.conflicts(synced.c1) == []


def test_the_rows_seeded_alike_are_unchanged_in_every_later_package_not_older(synced):
    # the street seeded the rates itself: it keeps its stamps and the twin pair with community 2's
    for dry_run in (True, False, False):  # and taking the package leaves the pair as it was
        _, r = synced.up(synced.c2, dry_run=dry_run)
        rates = next(t for t in r.tables if t.table == "dues_rate_rule")
        assert rates.older == 0 and rates.unchanged > 0 and rates.updated == rates.conflicts == 0, rates
    assert sync.conflicts(synced.street) == []


def test_who_may_do_what(world, tmp_path):
    with pytest.raises(Conflict, match="下发"):
        sync.export_package(world.street, tmp_path)
    with pytest.raises(Conflict, match="已有街道密钥"):
        sync.new_key(world.street, tmp_path / "again.dqkey")
    with pytest.raises(Conflict, match="只有街道"):
        sync.new_key(world.c1, tmp_path / "x.dqkey")
    with pytest.raises(NotFound):
        sync.send_package(world.street, tmp_path, "no-such-community")
    # Enrolling again (a new PC, a lost key) keeps the street and the data; the old key stops counting.
    again_fp = enrol(world.street, world.c1, tmp_path, "again")
    info = sync.key_info(world.c1)
    assert info.fingerprint == sync.key_info(world.street).fingerprint and info.role == "community"
    assert len(again_fp) == 19 and "key" not in repr(sync.load_keys(world.c1)[0]).lower().replace("sitekeys", "")
    with pytest.raises(Conflict, match="只有街道"):
        sync.enrol_accept(world.c2, tmp_path / "again.dqreq", tmp_path / "x.dqreply")
    with pytest.raises(Conflict, match="另一个社区"):
        sync.enrol_finish(world.c2, tmp_path / "again.dqreply")


def test_a_community_without_the_key_is_told_what_to_do(tmp_path, db):
    with pytest.raises(Conflict, match="sync enrol request"):
        sync.export_package(db, tmp_path)


def test_the_enrolment_files_are_checked(world, tmp_path):
    req = sync.enrol_request(world.c2, tmp_path / "c2.dqreq", key_out=tmp_path / "c2.dqkey")
    bad = tmp_path / "bad.dqreq"
    doc = json.loads(req.path.read_text(encoding="utf-8"))
    doc["org_code"] = "999999"  # another community's code under this one's keys
    bad.write_text(json.dumps(doc), encoding="utf-8")
    from desktop_app.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="指纹不符"):
        sync.enrol_accept(world.street, bad, tmp_path / "r.dqreply")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ValidationError, match="不是登记申请"):
        sync.enrol_accept(world.street, tmp_path / "notes.txt", tmp_path / "r.dqreply")
    old = tmp_path / "old.dqkey"
    old.write_text(json.dumps({"format": "dangqun-street-key", "version": 1}), encoding="utf-8")
    with pytest.raises(ValidationError, match="“向街道登记”") as said:
        sync.enrol_finish(world.c2, old)
    assert "README" not in str(said.value)
    # The private key file is protected and private to its owner.
    assert "sealed" in json.loads((tmp_path / "c2.dqkey").read_text(encoding="utf-8"))
    if os.name == "posix":
        assert (tmp_path / "c2.dqkey").stat().st_mode & 0o077 == 0


def test_export_progress_can_cancel_and_leaves_no_file(world, tmp_path):
    class Stop(Exception):
        pass

    calls = []

    def progress(done, total):
        calls.append((done, total))
        if done > 0:
            raise Stop()

    with pytest.raises(Stop):
        sync.export_package(world.c1, tmp_path, progress=progress)
    assert list(tmp_path.glob("*.dqsync")) == [] and list(tmp_path.glob(".*part")) == []
    with world.c1.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncExport)) == 0
    e = sync.export_package(world.c1, tmp_path)
    assert e.path.parent == tmp_path and e.path.name.startswith("同步包_") and e.path.suffix == ".dqsync"


def test_import_progress_can_cancel_and_changes_nothing(world):
    e = sync.export_package(world.c1, world.package("p.dqsync"))
    before = fingerprint(world.street)

    class Stop(Exception):
        pass

    def progress(done, total):
        if done > total // 2:
            raise Stop()

    with pytest.raises(Stop):
        sync.import_package(world.street, e.path, progress=progress)
    assert fingerprint(world.street) == before


def test_a_plain_package_is_a_zip_of_readable_csv(world, tmp_path):
    import zipfile

    e = sync.export_package(world.c1, tmp_path / "plain.zip", plain=True)
    with zipfile.ZipFile(e.path) as zf:
        text = zf.read("tables/member.csv").decode("utf-8-sig")
        assert text.splitlines()[0].startswith("seq,name,")
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["tables"][0]["name"] == synced_tables()[0].name
    r = sync.import_package(world.street, e.path)
    assert not r.encrypted and r.total("inserted") > 0
    enc = sync.export_package(world.c1, tmp_path / "enc.dqsync")
    assert b"seq,name" not in enc.path.read_bytes() and not zipfile.is_zipfile(enc.path)


def test_resolving_checks_its_input(world):
    with pytest.raises(NotFound):
        sync.resolve_conflict(world.street, "nope", sync.INCOMING)
    from desktop_app.domain.errors import ValidationError

    with pytest.raises(ValidationError):
        sync.resolve_conflict(world.street, "nope", "both")


def test_residents_tombstoned_at_the_community_stay_tombstones_at_the_street(synced, monkeypatch):
    monkeypatch.setattr(outgoing, "WATERMARK_MARGIN", timedelta(0))
    old = sync.export_package(synced.c1, synced.package("old.dqsync"), full=True)
    rid = next(iter(rows(synced.c1, "resident")))
    edit(synced.c1, Resident, rid, deleted=True)
    e, r = synced.up(synced.c1)
    assert e.counts["resident"] == 1
    assert rows(synced.street, "resident")[rid]["deleted"] is True
    # the old full package, found on the stick again, does not bring it back
    sync.import_package(synced.street, old.path)
    assert rows(synced.street, "resident")[rid]["deleted"] is True


# --- preview, then apply that preview ---------------------------------------------------

def _count_calls(monkeypatch, module, name: str) -> list:
    calls = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_preview_is_applied_without_reading_decrypting_or_planning_the_package_again(world, monkeypatch):
    from desktop_app.sync import merge, package

    e = sync.export_package(world.c1, world.package("p.dqsync"))
    decrypted = _count_calls(monkeypatch, package, "_decrypt")
    opened = _count_calls(monkeypatch, package, "open_bytes")
    planned = _count_calls(monkeypatch, merge, "plan")
    preview = sync.preview_import(world.street, e.path)
    assert preview.report.dry_run and preview.report.new_community
    e.path.unlink()  # the stick is pulled out between the preview and the import
    report = sync.apply_import(world.street, preview)
    assert (len(decrypted), len(opened), len(planned)) == (1, 1, 1)
    assert not report.dry_run and report.new_community
    assert [(t.table, t.inserted, t.updated, t.unchanged, t.conflicts) for t in report.tables] == \
           [(t.table, t.inserted, t.updated, t.unchanged, t.conflicts) for t in preview.report.tables]
    assert community_ids(world.c1) <= community_ids(world.street)


def test_a_preview_overtaken_by_an_edit_is_decided_again_under_the_write_lock(synced, monkeypatch):
    monkeypatch.setattr(outgoing, "WATERMARK_MARGIN", timedelta(0))
    m = some_member(synced.c1)
    edit(synced.c1, Member, m, mobile="13922222222")
    e = sync.export_package(synced.c1, synced.package("p.dqsync"))
    preview = sync.preview_import(synced.street, e.path)
    assert {t.table: t.updated for t in preview.report.tables}["member"] == 1
    edit(synced.street, Member, m, mobile="13811111111")  # meanwhile, at the street
    report = sync.apply_import(synced.street, preview)
    assert {t.table: (t.updated, t.conflicts) for t in report.tables}["member"] == (0, 1)
    assert rows(synced.street, "member")[m]["mobile"] == "13811111111"  # nothing silently overwritten
    [c] = sync.conflicts(synced.street)
    assert c.row_id == m


def test_a_preview_made_under_a_key_since_replaced_is_refused(world, tmp_path):
    e = sync.export_package(world.c1, world.package("p.dqsync"))
    preview = sync.preview_import(world.street, e.path)
    sync.new_key(world.street, tmp_path / "new.dqkey", replace=True)
    before = fingerprint(world.street)
    with pytest.raises(PackageRefused, match="密钥已更换"):
        sync.apply_import(world.street, preview)
    assert fingerprint(world.street) == before


def test_a_preview_of_a_key_revoked_since_is_refused(world):
    e = sync.export_package(world.c1, world.package("p.dqsync"))
    preview = sync.preview_import(world.street, e.path)
    sync.enrol_revoke(world.street, site.get_site(world.c1).org_code)
    before = fingerprint(world.street)
    with pytest.raises(PackageRefused, match="作废"):
        sync.apply_import(world.street, preview)
    assert fingerprint(world.street) == before
