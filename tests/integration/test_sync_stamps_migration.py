"""An old database's agreed stamps survive 0035 (the peer's own site and a street's agreement times as NULL)."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command

from desktop_app.services import sync
from desktop_app.store import migrate
from desktop_app.store.models import Member
from tests.integration.sync_world import World, build_templates
from tests.integration.test_sync_scenarios import edit, some_member

OTHER_SITE = "0f0f0f0f-0000-4000-8000-000000000035"


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("stamps-templates"), members=20, synced=True)


def _stamps(path) -> dict[tuple, tuple]:
    with sqlite3.connect(path) as con:
        return {(p, t, r): rest for p, t, r, *rest in con.execute(
            "SELECT peer_site, table_name, row_id, version, site, agreed_at, introduced, local_version, local_site "
            "FROM sync_row_state")}


def _to_0034(db) -> None:
    """The database as the program before 0035 left it (the site and the agreement time in every stamp)."""
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0034")
    db.dispose()


def test_old_stamps_survive_the_migration_and_a_row_changed_at_both_ends_is_still_a_conflict(templates, tmp_path):
    w = World.copy_from(templates, tmp_path, prefix="synced-", server=False)
    m, other = some_member(w.c1), some_member(w.c1, 1)
    for db in (w.street, w.c1):
        _to_0034(db)
    with sqlite3.connect(w.street.path) as con:  # a stamp whose row another site changed last
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0034",)
        con.execute("UPDATE sync_row_state SET site = ? WHERE table_name = 'member' AND row_id = ?", (OTHER_SITE, other))
    old_street, old_c1 = _stamps(w.street.path), _stamps(w.c1.path)
    assert old_street and old_c1
    assert all(s is not None and at is not None for _, s, at, *_ in [*old_street.values(), *old_c1.values()])

    w.street, _ = migrate.open_database(w.street.path)
    w.c1, _ = migrate.open_database(w.c1.path)
    new_street, new_c1 = _stamps(w.street.path), _stamps(w.c1.path)
    assert new_street.keys() == old_street.keys() and new_c1.keys() == old_c1.keys()
    for old, new in ((old_street, new_street), (old_c1, new_c1)):
        for key, (v, s, at, introduced, lv, ls) in old.items():
            nv, ns, nat, nintroduced, nlv, nls = new[key]
            assert (nv, nintroduced, nlv, nls) == (v, introduced, lv, ls)
            assert ns == (None if s == key[0] else s)  # the peer's own site as NULL, any other kept
    assert [s for (_, _, rid), (_, s, *_) in new_street.items() if rid == other] == [OTHER_SITE]
    assert all(at is None for _, _, at, *_ in new_street.values())  # nothing at a street reads it
    assert [at for _, _, at, *_ in new_c1.values()] == [at for _, _, at, *_ in old_c1.values()]  # upstream_rows

    # after the migration, a row changed at both ends is still one conflict; one changed only
    # at the community is a plain update (its agreed stamp read as the community's own)
    edit(w.street, Member, m, mobile="13811111111")
    edit(w.c1, Member, m, mobile="13922222222")
    edit(w.c1, Member, some_member(w.c1, 2), mobile="13933333333")
    _, r = w.up(w.c1)
    counts = {t.table: (t.updated, t.conflicts) for t in r.tables}
    assert counts["member"] == (1, 1)
    [c] = sync.conflicts(w.street)
    assert c.row_id == m
    w.close()
