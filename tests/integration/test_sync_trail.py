"""The street's merge leaves a per-row trail: which rows a package changed, fields before and after, by which package.

`dangqun audit --row ID` shows who changed a member when and through which
package; ID numbers and phones are masked in it as everywhere in the trail;
the trail's hash chain stays whole.
"""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.services import audit_chain, roster, site
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from tests.integration.sync_world import World, build_templates, rows


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("trail-templates"), members=20, synced=True)


@pytest.fixture
def w(templates, tmp_path):
    world = World.copy_from(templates, tmp_path, prefix="synced-")
    yield world
    world.close()


def _trail(db, row_id: str, package: str = "") -> list[dict]:
    return [r for r in rows(db, "audit_entry").values()
            if r["row_id"] == row_id and r["action"].startswith("sync_") and package in r["note"]]


def edit_and_remove(w, package: str) -> tuple[dict, dict]:
    """At community 1 a member moves (notes, phone) and another is deleted; the package goes up.

    Returns both members as they were before."""
    live = [r for r in rows(w.c1, "member").values() if not r["deleted"]]
    edited, removed = live[0], live[1]
    with UnitOfWork(w.c1) as uow:
        m = uow.session.get(Member, edited["id"])
        m.notes, m.mobile = "搬到新楼", "13912345678"
        uow.commit()
    roster.delete(w.c1, removed["id"])
    w.up(w.c1, name=package)
    return edited, removed


def test_the_street_s_merge_records_each_changed_row_before_and_after(w, capsys):
    edited, removed = edit_and_remove(w, "trail-test.dqsync")

    [entry] = _trail(w.street, edited["id"], "trail-test")
    assert entry["action"] == "sync_update" and entry["table_name"] == "member"
    before, after = json.loads(entry["before_json"]), json.loads(entry["after_json"])
    assert after["notes"] == "搬到新楼" and before["notes"] == edited["notes"]
    assert "13912345678" not in entry["after_json"] + entry["note"]  # masked like every entry
    assert "trail-test.dqsync" in entry["note"] and site.get_site(w.c1).org_name in entry["note"]
    assert set(after) <= {"notes", "mobile", "name_pinyin", "name_initials"}  # the changed fields only

    [gone] = _trail(w.street, removed["id"], "trail-test")
    assert gone["action"] == "sync_delete" and json.loads(gone["after_json"])["deleted"] in (1, True)
    assert audit_chain.verify(w.street) == []

    capsys.readouterr()
    street = str(w.street.path) if w.street.path else w.street.url  # the file, or the server in a PG run
    assert main(["audit", "--db", street, "--row", edited["id"]]) == 0
    out = capsys.readouterr().out
    assert "sync_update" in out and "搬到新楼" in out and "trail-test.dqsync" in out


def test_new_members_get_an_entry_each_and_other_new_rows_a_count(w):
    with UnitOfWork(w.c2) as uow:
        branch = next(r for r in rows(w.c2, "organization").values() if r["kind"] == "branch")
        uow.session.add(Member(id="f0f0f0f0-0000-4000-8000-0000000000bb", name="新来的党员", org_id=branch["id"],
                               id_number="110101199001018888", seq=99))
        uow.commit()
    w.up(w.c2)
    [entry] = _trail(w.street, "f0f0f0f0-0000-4000-8000-0000000000bb")
    assert entry["action"] == "sync_insert" and "新来的党员" in entry["note"]
    # nothing is described twice when the same package comes again
    merged = ("sync_insert", "sync_update", "sync_delete")
    n = len([r for r in rows(w.street, "audit_entry").values() if r["action"] in merged])
    w.up(w.c2, full=True)
    after = [r for r in rows(w.street, "audit_entry").values() if r["action"] in merged]
    assert len(after) == n  # a full package of rows the street already holds changes nothing
