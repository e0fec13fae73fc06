"""党费比例 are the street's once a community is enrolled: no community sets them, an honest one is never stuck.

Real packages between the synced street and its two communities (sync_world), and a
third community that set its own rates before it enrolled. The refusal of a hostile
community's rate lines is in test_hostile_sync.
"""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import dues as rules
from desktop_app.domain.errors import Conflict
from desktop_app.services import demo, dues, sync
from desktop_app.store.migrate import open_database
from desktop_app.services import site
from tests.integration.sync_world import World, enrol, rows
from tests.integration.test_hostile_sync import _refused
from tests.integration.test_sync_trust import _smuggle
from tests.integration.test_sync_transfer import templates, w  # noqa: F401 - the synced street and two communities

_LINE = ("category", "effective_from", "over_fen", "upto_fen", "rate_bp", "fixed_fen", "min_fen", "max_fen", "note")
SEEDED = sorted((tuple(getattr(r, k) for k in _LINE) for r in rules.default_lines().values()), key=repr)


def table(db) -> list[tuple]:
    """The rate lines in force, as content (ids and stamps aside)."""
    def value(v):
        return date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 and v[4] == "-" else v
    return sorted((tuple(value(r[k]) for k in _LINE) for r in rows(db, "dues_rate_rule").values() if not r["deleted"]),
                  key=repr)


def _street_corrects_students(w: World) -> list[tuple]:
    """The street replaces the seeded 学生 line (the seeded row is tombstoned) and adds a later rule."""
    dues.set_rate_rules(w.street, [rules.RateRule(rules.STUDENT, rules.RULES_2008, fixed_fen=10, note="街道更正")])
    dues.set_rate_rules(w.street, [rules.RateRule(rules.RETIRED, date(2026, 1, 1), None, None, rate_bp=80,
                                                  note="假设的新标准")])
    return table(w.street)


def _fresh_community(w: World, seed: int):
    db, _ = open_database(w.folder / f"fresh-{seed}.db")
    demo.generate(db, members=5, seed=seed, with_modules=False)
    return db


def test_an_enrolled_community_may_not_set_rates_the_street_and_a_stand_alone_center_may(w):
    before = table(w.c1)
    assert dues.rates_locked(w.c1) == "本社区已加入街道数据同步，党费比例由街道统一设置；如需调整请联系街道"
    with pytest.raises(Conflict, match="党费比例由街道统一设置.*联系街道"):
        dues.set_rate_rules(w.c1, [rules.RateRule(rules.STUDENT, date(2026, 1, 1), fixed_fen=50)])
    assert table(w.c1) == before
    assert dues.rates_locked(w.street) is None
    after = _street_corrects_students(w)
    assert after != SEEDED and (rules.STUDENT, rules.RULES_2008, None, None, None, 10, None, None, "街道更正") in after
    alone = _fresh_community(w, 31)
    try:
        assert dues.rates_locked(alone) is None
        dues.set_rate_rules(alone, [rules.RateRule(rules.STUDENT, date(2026, 1, 1), fixed_fen=50)])
        assert len(table(alone)) == len(SEEDED) + 1
    finally:
        alone.dispose()


def test_a_community_that_set_its_own_rates_before_enrolling_takes_the_street_s(w):
    """Its own lines go at enrolment; its first package is taken though the street moved on; the street's come down."""
    street = _street_corrects_students(w)
    c3 = _fresh_community(w, 32)
    try:
        dues.set_rate_rules(c3, [rules.RateRule(rules.STUDENT, rules.RULES_2008, fixed_fen=30, note="本社区自定")])
        dues.set_rate_rules(c3, [rules.RateRule(rules.FARMER, date(2025, 1, 1), min_fen=50, max_fen=200)])
        assert table(c3) != SEEDED
        enrol(w.street, c3, w.folder, "c3")
        assert table(c3) == SEEDED  # the seeded table, as the street began with
        assert any("党费比例恢复为中组部标准" in (e["note"] or "") for e in rows(c3, "audit_entry").values())
        _, up = w.up(c3)  # seeded lines the street has since replaced: no change, no conflict
        assert up.new_community and table(w.street) == street
        assert sync.conflicts(w.street) == []
        _, down = w.down(c3)
        assert table(c3) == street and sync.conflicts(c3) == []
        _, again = w.up(c3, full=True)  # everything again, now on the street's lines: nothing to take
        rates = next(t for t in again.tables if t.table == "dues_rate_rule")
        assert rates.changed == 0 and table(w.street) == street
    finally:
        c3.dispose()


def test_a_community_behind_the_street_s_rates_is_not_refused_and_catches_up(w):
    street = _street_corrects_students(w)
    _, up = w.up(w.c2, full=True)  # B still has the seeded 学生 line the street replaced
    assert table(w.street) == street and sync.conflicts(w.street) == []
    w.down(w.c2)
    assert table(w.c2) == street and sync.conflicts(w.c2) == []
    w.up(w.c2, full=True)
    assert table(w.street) == street and sync.conflicts(w.street) == []


def test_enrolling_again_keeps_the_street_s_rates_a_community_holds(w):
    """A new PC or a lost key: the lines the street sent are not the community's own and stay."""
    street = _street_corrects_students(w)
    w.down(w.c1)
    assert table(w.c1) == street
    enrol(w.street, w.c1, w.folder, "again")
    assert table(w.c1) == street
    w.up(w.c1, full=True)
    assert table(w.street) == street and sync.conflicts(w.street) == []


def test_a_community_tombstoning_a_seeded_line_is_refused(w):
    """Only a line the street never held may come as a tombstone (one set before enrolment, withdrawn then)."""
    line = next(r for r in rows(w.c1, "dues_rate_rule").values() if r["fixed_fen"] and not r["deleted"])
    _smuggle(w.c1, "dues_rate_rule", line, deleted=True, updated_by_site=site.get_site(w.c1).id)
    _refused(w, w.c1, "党费比例", "街道统一设置")
    assert not rows(w.street, "dues_rate_rule")[line["id"]]["deleted"]


def test_a_street_that_learnt_the_seeded_lines_from_a_community_sends_its_changes_to_every_community(w):
    """Streets from before they seeded their own table learnt it from the first community package.

    The rows are then marked as brought by that community, and what goes down to the others left
    them out: a seeded line the street replaced stayed in force at every other community.
    """
    import sqlite3

    first = site.get_site(w.c1).id
    con = sqlite3.connect(w.folder / "street.db")
    with con:
        marked = con.execute("UPDATE sync_row_state SET introduced = 1 WHERE table_name = 'dues_rate_rule' "
                             "AND peer_site = ?", (first,)).rowcount
    con.close()
    assert marked  # the street holds the seeded lines as agreed with the first community
    street = _street_corrects_students(w)
    w.down(w.c2)
    assert table(w.c2) == street
