"""Merge decisions and the manifest: pure rules, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain import sync_rules as r
from desktop_app.domain.sync_rules import Decision, PackageRefused, Stamp, decide

A, B = "site-a", "site-b"


# --- decide: the cases one by one ---------------------------------------------------

def test_a_row_we_do_not_have_is_inserted():
    assert decide(Stamp(3, A), None) is Decision.INSERT


def test_the_same_stamp_is_unchanged_whatever_we_remember():
    assert decide(Stamp(3, A), Stamp(3, A)) is Decision.UNCHANGED
    assert decide(Stamp(3, A), Stamp(3, A), base_here=Stamp(2, A)) is Decision.UNCHANGED


def test_sender_moved_on_and_we_did_not_is_an_update():
    assert decide(Stamp(4, A), Stamp(3, A), base_here=Stamp(3, A)) is Decision.UPDATE


def test_sender_built_on_our_current_state_is_an_update():
    # we never took anything from the sender, but it took our v3 and edited it
    assert decide(Stamp(4, A), Stamp(3, B), base_there=Stamp(3, B)) is Decision.UPDATE


def test_both_moved_on_since_they_agreed_is_a_conflict():
    assert decide(Stamp(4, A), Stamp(4, B), base_here=Stamp(3, A)) is Decision.CONFLICT
    assert decide(Stamp(5, A), Stamp(4, B), base_here=Stamp(3, A), base_there=Stamp(2, B)) is Decision.CONFLICT


def test_two_histories_we_cannot_relate_are_a_conflict_not_an_overwrite():
    assert decide(Stamp(7, A), Stamp(2, B)) is Decision.CONFLICT


def test_what_we_already_took_or_earlier_is_older():
    assert decide(Stamp(3, A), Stamp(4, B), base_here=Stamp(3, A)) is Decision.OLDER
    assert decide(Stamp(2, A), Stamp(3, A), base_here=Stamp(3, A)) is Decision.OLDER  # an old package


def test_sender_still_holding_what_it_got_from_us_is_older():
    # it took our v3; we edited to v4; its v3 must not take us back
    assert decide(Stamp(3, B), Stamp(4, B), base_there=Stamp(3, B)) is Decision.OLDER


def test_a_pair_of_twin_stamps_counts_as_agreed():
    # both ends seeded the same row (same content, two stamps); the sender then edits its own
    here, mine = Stamp(1, A), Stamp(1, B)
    assert decide(Stamp(2, A), mine, base_here=here, base_local=mine) is Decision.UPDATE
    # ... but not when we edited ours since
    assert decide(Stamp(2, A), Stamp(2, B), base_here=here, base_local=mine) is Decision.CONFLICT
    # and the sender's older state stays older
    assert decide(Stamp(1, A), Stamp(2, B), base_here=here, base_local=mine) is Decision.OLDER
    # the pair itself sent again (a second community's seeded 党费 rates, every package) is unchanged, not older
    assert decide(here, mine, base_here=here, base_local=mine) is Decision.UNCHANGED


def test_a_decision_follows_both_versions():
    assert r.resolved_version(Stamp(4, A), Stamp(6, B)) == 7
    assert r.resolved_version(Stamp(9, A), Stamp(2, B)) == 10


# --- decide as a protocol: random edits, packages lost, late, duplicated ------------

@dataclass(frozen=True)
class State:
    stamp: Stamp
    anc: frozenset  # every stamp this state was built from, itself included

    def child(self, site: str, version: int, *others: "State") -> "State":
        s = Stamp(version, site)
        anc = set(self.anc) | {s}
        for o in others:
            anc |= o.anc
        return State(s, frozenset(anc))


@dataclass
class Site:
    name: str
    local: State | None = None
    base_here: dict = field(default_factory=dict)  # peer -> Stamp taken from it
    conflicts: dict = field(default_factory=dict)  # peer -> incoming State
    versions: list = field(default_factory=list)


LINKS = {("S", "C1"), ("C1", "S"), ("S", "C2"), ("C2", "S")}


def _receive(sites, to: str, frm: str, msg) -> Decision | None:
    y = sites[to]
    state, base_there = msg
    if state is None:
        return None
    d = decide(state.stamp, y.local.stamp if y.local else None, y.base_here.get(frm), base_there)
    if d is Decision.UPDATE:
        assert y.local.stamp in state.anc, "an update must build on what we hold: nothing lost"
    if d is Decision.OLDER:
        assert state.stamp in y.local.anc, "'older' must really be behind us"
    if d in (Decision.INSERT, Decision.UPDATE):
        y.local = state
        y.conflicts.pop(frm, None)
        y.versions.append(state.stamp.version)
    if d in (Decision.INSERT, Decision.UPDATE, Decision.UNCHANGED):
        y.base_here[frm] = state.stamp
    if d is Decision.CONFLICT:
        y.conflicts[frm] = state
    return d


def _resolve(y: Site, frm: str, take_incoming: bool) -> None:
    inc = y.conflicts.pop(frm)
    v = r.resolved_version(y.local.stamp, inc.stamp)
    base = inc if take_incoming else y.local
    y.local = base.child(y.name, v, y.local, inc)
    y.base_here[frm] = inc.stamp
    y.versions.append(v)


ops = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sampled_from(["S", "C1", "C2"])),
        st.tuples(st.just("send"), st.sampled_from(sorted(LINKS))),
        st.tuples(st.just("deliver"), st.integers(0, 30), st.booleans()),  # keep a copy: delivered twice
        st.tuples(st.just("resolve"), st.sampled_from(["S", "C1", "C2"]), st.booleans()),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_no_edit_is_lost_and_every_copy_converges(plan):
    sites = {n: Site(n) for n in ("S", "C1", "C2")}
    root = State(Stamp(1, "C1"), frozenset({Stamp(1, "C1")}))
    sites["C1"].local = root  # the row is born at a community
    flight: list = []
    edits = {root.stamp}
    for op in plan:
        if op[0] == "edit":
            y = sites[op[1]]
            if y.local is not None:
                y.local = y.local.child(y.name, y.local.stamp.version + 1)
                y.versions.append(y.local.stamp.version)
                edits.add(y.local.stamp)
        elif op[0] == "send":
            frm, to = op[1]
            x = sites[frm]
            flight.append((to, frm, (x.local, x.base_here.get(to))))
        elif op[0] == "deliver" and flight:
            to, frm, msg = flight[op[1] % len(flight)]
            if not op[2]:
                flight.remove((to, frm, msg))
            _receive(sites, to, frm, msg)
        elif op[0] == "resolve":
            y = sites[op[1]]
            if y.conflicts:
                # The street decides either way; a community may only take the street's version.
                _resolve(y, sorted(y.conflicts)[0], op[2] or y.name != "S")
    # Every site's versions only grow.
    for y in sites.values():
        assert y.versions == sorted(y.versions)
    # Quiet period: packages go both ways, the street decides what conflicts, until nothing changes.
    for _ in range(12):
        for frm, to in sorted(LINKS):
            x = sites[frm]
            _receive(sites, to, frm, (x.local, x.base_here.get(to)))
        for frm in sorted(sites["S"].conflicts):
            _resolve(sites["S"], frm, take_incoming=False)
    finals = {y.local.stamp for y in sites.values()}
    assert len(finals) == 1, finals
    # ... and the state all of them hold follows every edit anyone ever made: each
    # was taken, or set aside by a person who saw it, never dropped unseen.
    assert edits <= sites["S"].local.anc


# --- the manifest ---------------------------------------------------------------

def _manifest(**over) -> dict:
    m = r.Manifest(
        kind=r.UPSTREAM, package_id="p-1", seq=3, created_at=datetime(2025, 3, 1, 9, 30),
        schema_version="0007", site=r.SiteRef("s-1", "320102001", "幸福里社区党委", "community", "o-1"),
        street_org_code="320102", key_fingerprint="AAAA-BBBB-CCCC-DDDD", full=False,
        since=datetime(2025, 2, 1), until=datetime(2025, 3, 1, 9, 30),
        tables=(r.TableEntry("member", "tables/member.csv", 2, "a" * 64, ("id", "name", "_base_version")),),
    )
    d = r.manifest_to_dict(m)
    d.update(over)
    return d


def test_a_manifest_goes_through_its_dict_and_back():
    m = r.validate_manifest(_manifest(), "0007")
    assert m.site.org_name == "幸福里社区党委"
    assert m.tables[0].columns == ("id", "name", "_base_version")
    assert m.since == datetime(2025, 2, 1) and m.total_rows == 2
    assert r.manifest_to_dict(m) == _manifest()


@pytest.mark.parametrize("over, words", [
    ({"format": "zip"}, "不是本程序"),
    ({"format_version": r.FORMAT_VERSION + 1}, "升级程序"),
    ({"schema_version": "0009"}, "先升级本程序"),
    ({"schema_version": "0005"}, "对方升级程序"),
    ({"kind": "sideways"}, "类型"),
    ({"seq": 0}, "序号"),
    ({"seq": True}, "整数"),
    ({"range": {"since": "2025-04-01T00:00:00", "until": "2025-03-01T00:00:00"}}, "起始时间晚于"),
    ({"range": {"since": None, "until": "yesterday"}}, "不是有效的时间"),
    ({"tables": [{"name": "member", "file": "member.csv", "rows": 1, "sha256": "a" * 64, "columns": ["id"]}]},
     "文件名"),
    ({"tables": [{"name": "member", "file": "tables/member.csv", "rows": -1, "sha256": "a" * 64,
                  "columns": ["id"]}]}, "行数"),
    ({"tables": [{"name": "member", "file": "tables/member.csv", "rows": 1, "sha256": "xyz",
                  "columns": ["id"]}]}, "校验值"),
    ({"tables": [{"name": "../etc", "file": "tables/../etc.csv", "rows": 1, "sha256": "a" * 64,
                  "columns": ["id"]}]}, "表名"),
    ({"kind": "downstream", "to_site": None}, "接收社区"),
])
def test_a_bad_manifest_is_refused_with_a_reason(over, words):
    with pytest.raises(PackageRefused) as exc:
        r.validate_manifest(_manifest(**over), "0007")
    assert words in str(exc.value)


def test_silence_is_counted_in_days_and_never_sending_counts_as_silent():
    today = date(2025, 3, 31)
    assert r.silent_days(datetime(2025, 3, 1, 23, 0), today) == 30
    assert not r.is_silent(datetime(2025, 3, 1, 23, 0), today)
    assert r.is_silent(datetime(2025, 2, 28), today)
    assert r.is_silent(None, today) and r.silent_days(None, today) is None


def test_the_next_export_starts_a_little_before_what_was_confirmed():
    until = datetime(2025, 3, 1, 12, 0)
    assert r.watermark_since(None, until) is None
    assert r.watermark_since(until, until + timedelta(days=3)) == until - timedelta(minutes=10)
    assert r.watermark_since(until, until + timedelta(days=3), timedelta(0)) == until
    # the clock now reads earlier than a confirmed export: send everything
    assert r.watermark_since(until, until - timedelta(hours=1)) is None


def test_labels_fall_back_to_the_name():
    assert r.table_label("member") == "党员"
    assert r.table_label("brand_new_table") == "brand_new_table"


def test_a_community_never_heard_from_is_silent_only_thirty_days_after_it_enrolled():
    today = date(2025, 3, 31)
    assert not r.is_silent(None, today, since=datetime(2025, 3, 31, 8, 0))  # enrolled this morning: awaited
    assert not r.is_silent(None, today, since=datetime(2025, 3, 1))
    assert r.is_silent(None, today, since=datetime(2025, 2, 28))
    assert not r.is_silent(datetime(2025, 3, 30), today, since=datetime(2024, 1, 1))  # its last package counts
