"""A hostile community against its street: packages signed with its own enrolled key, its database edited past its program.

Each attempt is a real package that community B (or A) exports after writing its
own database file with sqlite3, as anyone holding the stick and the computer can.
The street must refuse it whole, in Chinese, saying what is wrong, with nothing
changed there and nothing reaching the other community. What test_sync_trust,
test_sync_tamper and test_sync_bomb already try is not repeated here.
"""

from __future__ import annotations

import uuid

import pytest

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from tests.integration.sync_world import World, fingerprint, rows
from tests.integration.test_sync_transfer import templates, w  # noqa: F401 - the synced street and two communities
from tests.integration.test_sync_trust import _smuggle


def _refused(w: World, db, *words: str) -> str:
    """`db`'s next package refused at the street (dry run and real), the street and the other community unchanged."""
    other = w.c1 if db is w.c2 else w.c2
    street_before, other_before = fingerprint(w.street), fingerprint(other, data_only=True)
    e = sync.export_package(db, w.package(f"hostile-{uuid.uuid4().hex[:8]}.dqsync"))
    for dry in (True, False):
        with pytest.raises(PackageRefused) as exc:
            sync.import_package(w.street, e.path, dry_run=dry)
        for word in words:
            assert word in str(exc.value), str(exc.value)
    assert fingerprint(w.street) == street_before
    w.down(other)
    assert fingerprint(other, data_only=True) == other_before
    return str(exc.value)


def _member(db) -> dict:
    return next(r for r in rows(db, "member").values() if not r["deleted"])


@pytest.mark.parametrize("name, shown", [
    ("\u202e张三", "U+202E"),  # right-to-left override: the roster would read the name backwards
    ("张\x01三", "U+0001"),  # XML cannot hold it: the street's XLSX export
    ("张三\x1b[2J", "U+001B"),  # a terminal escape: `dangqun` printing the name clears the screen
    ("张\x85三", "U+0085"),  # a C1 control
    ("张\u2066三", "U+2066"),  # a bidi isolate
])
def test_a_member_name_with_a_control_or_bidi_character_is_refused(w, name, shown):
    """Entering or importing such a name is refused; a package of the sender's own member must be too."""
    b_site = site.get_site(w.c2).id
    _smuggle(w.c2, "member", _member(w.c2), name=name, updated_by_site=b_site)
    msg = _refused(w, w.c2, "党员", "name", shown, "控制字符")
    assert "第" in msg and "行" in msg


def test_a_control_character_in_another_table_is_refused_too(w):
    b_site = site.get_site(w.c2).id
    org = next(r for r in rows(w.c2, "organization").values() if r["parent_id"] and not r["deleted"])
    _smuggle(w.c2, "organization", org, name=org["name"] + "\u202d", updated_by_site=b_site)
    _refused(w, w.c2, "U+202D", "name")


# The rates are national rules and the street's once a community is enrolled: the street seeds its
# own table before any package, a community may not set rates (dues.set_rate_rules) and its seeded
# lines as every program has them pass; any other line is refused. Enrolment restores a community's
# own lines to the seeded ones (test_dues_rates_street), so an honest community is never stuck.
def test_the_first_community_cannot_rewrite_the_street_s_dues_rates_for_everyone(w):
    """The seeded 党费比例 lines are the street's own, not learnt from the first community package.

    Before: A (whose package came first) changed a line's rate, the street took it and sent it down to B.
    """
    a_site = site.get_site(w.c1).id
    line = next(r for r in rows(w.c1, "dues_rate_rule").values() if r["rate_bp"] and not r["deleted"])
    _smuggle(w.c1, "dues_rate_rule", line, rate_bp=line["rate_bp"] + 100, updated_by_site=a_site)
    _refused(w, w.c1, "党费比例", "街道")
    assert rows(w.street, "dues_rate_rule")[line["id"]]["rate_bp"] == line["rate_bp"]


def test_a_community_s_new_dues_rate_line_is_refused(w):
    """The rate table has no community column: a line B adds would set the rates the street computes with."""
    b_site = site.get_site(w.c2).id
    line = next(r for r in rows(w.c2, "dues_rate_rule").values() if r["rate_bp"] and not r["deleted"])
    _smuggle(w.c2, "dues_rate_rule", line, id=str(uuid.uuid4()), version=0, updated_by_site=b_site,
             effective_from="2026-01-01", over_fen=None, upto_fen=None, rate_bp=10000)
    _refused(w, w.c2, "党费比例")


def test_b_s_row_stamped_as_a_s_edit_is_refused_and_cannot_block_a(w):
    """B stamps its own member as A's edit, with an ID number A has not used yet.

    Before: the street took it, holding that number under A's stamp (ID numbers are unique per
    writing site), and refused A's next honest package that gave one of A's members the number.
    """
    number = "11010119900307663X"
    a_site = site.get_site(w.c1).id
    _smuggle(w.c2, "member", _member(w.c2), id_number=number, updated_by_site=a_site)
    _refused(w, w.c2, "党员", site.get_site(w.c1).org_name)
    _smuggle(w.c1, "member", _member(w.c1), id_number=number, updated_by_site=a_site)
    w.up(w.c1)  # A's own edit is taken
    assert any(r["id_number"] == number for r in rows(w.street, "member").values())


def test_a_stolen_stick_s_package_shows_no_name_id_number_or_community(w):
    """The encrypted package on the stick: no member's name or ID number, no community name or org code readable."""
    e = sync.export_package(w.c2, w.package("stick.dqsync"), full=True)
    data = e.path.read_bytes()
    me = site.get_site(w.c2)
    member = _member(w.c2)
    for text in (member["name"], member["id_number"], me.org_name, me.org_code, "党员", "member"):
        assert text and text.encode("utf-8") not in data and text.encode("utf-16-le") not in data, text
