"""What the district's sync records tell an account confined to one street: its own communities only.

The district database keeps a record of every community it hears from (sync_peer),
every package it merged (sync_import) and every conflict kept for a person to decide
(sync_conflict, with both versions of the row). None of them belongs to an
organisation's subtree by a column, so the confinement of reads (store.scope) does
not reach them: the 工作台's 范围 and street table, its to-do list (communities gone
quiet), the 数据同步 page and the conflicts list showed a street's operator every
community of the district, with another street's figures and rows. One database:
a SQLite file, or the PostgreSQL cluster under DANGQUN_TEST_PG_URL.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, overview, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models_sync import SyncConflict, SyncEnrolment, SyncImport, SyncPeer
from tests.integration.test_district_roles import PASSWORD, district  # noqa: F401 - the fixture

TODAY = date(2026, 3, 1)
QUIET = datetime(2025, 11, 1)  # over 30 days before TODAY: both communities have gone quiet


@pytest.fixture
def heard(district):  # noqa: F811
    """Each street's community has sent a package; a conflict is kept on a row of each."""
    db, w = district
    with UnitOfWork(db) as uow:
        s = uow.session
        for key, name in (("a", "梅园街社区党委"), ("b", "新街口社区党委")):
            peer = f"site-{key}"
            s.add(SyncPeer(site_id=peer, level="community", org_code=f"code-{key}", org_name=name,
                           org_id=w[f"{key}_community"], last_package_at=QUIET, packages=1,
                           last_counts=json.dumps({"member": 40 if key == "b" else 3})))
            s.add(SyncEnrolment(site_id=peer, org_code=f"code-{key}", org_name=name, org_id=w[f"{key}_community"],
                                sign_public="s", box_public="b", fingerprint=f"fp-{key}"))
            s.add(SyncImport(package_id=f"pkg-{key}", kind="upstream", from_site=peer, seq=1, created_at=QUIET,
                             until=QUIET, file_name=f"{name}.dqsync"))
            s.add(SyncConflict(peer_site=peer, table_name="member", row_id=w[f"{key}_member"], local_version=1,
                               local_site="here", incoming_version=2, incoming_site=peer,
                               local_json=json.dumps({"name": "本地"}),
                               incoming_json=json.dumps({"name": f"来件{key}", "mobile": "13900000000"})))
        uow.commit()
    return db, w


def _as_street_a(db) -> None:
    auth.login(db, "meiyuan", PASSWORD)


def test_the_sync_page_names_only_the_streets_communities(heard):
    db, w = heard
    _as_street_a(db)
    assert [c.org_name for c in sync.communities(db, TODAY)] == ["梅园街社区党委"]  # was: both streets'
    assert [name for _, name in sync.community_choices(db)] == ["梅园街社区党委"]
    assert [c.org_name for c in sync.community_counts(db)] == ["梅园街社区党委"]
    assert [p.file_name for p in sync.imports(db)] == ["梅园街社区党委.dqsync"]
    assert sync.sync_state(db).last_import.file_name == "梅园街社区党委.dqsync"
    assert [e.org_name for e in sync.enrolments(db)] == ["梅园街社区党委"]


def test_the_conflicts_of_another_street_are_not_shown(heard):
    db, w = heard
    _as_street_a(db)
    rows = sync.conflicts(db)
    assert [r.row_id for r in rows] == [w["a_member"]]  # was: the other street's row and its values too
    other = next(c.id for c in _all_conflicts(db) if c.row_id == w["b_member"])
    with pytest.raises(DomainError):
        sync.conflict_detail(db, other)
    with pytest.raises(DomainError):
        sync.resolve_conflict(db, other, "incoming")


def test_the_workbench_names_only_the_streets_communities(heard):
    db, w = heard
    _as_street_a(db)
    texts = [i.text for i in overview.todo(db, TODAY).items if i.kind == "sync"]
    assert texts and all("新街口" not in t for t in texts), texts  # was: 新街口社区党委：… 未报送
    assert [c.name for c in overview.community_columns(db, TODAY.year, TODAY)] == ["梅园街社区党委"]
    with pytest.raises(DomainError):  # a community outside the street: refused, not a crash on its name
        overview.dashboard(db, TODAY.year, w["b_community"], TODAY)
    board = overview.dashboard(db, TODAY.year, None, TODAY)
    assert board.scope == "梅园街道党工委"  # was: 玄武区委测试
    assert not [f.label for f in board.figures if f.label.startswith("街道本级")]  # the district's own books
    assert "经费（街道账）" in board.left_out


def test_the_co_building_street_summary_lists_only_the_streets_communities(heard, tmp_path):
    from desktop_app.services import cobuilding

    db, w = heard
    _as_street_a(db)
    assert [c.org_name for c in cobuilding.street_figures(db, TODAY.year)] == ["梅园街社区党委"]  # was: both
    assert cobuilding.print_street_summary(db, TODAY.year, tmp_path / "汇总.pdf", today=TODAY) == 1


def test_the_district_administrator_sees_every_community(heard):
    db, w = heard
    auth.login(db, "admin", "district-pass-1")
    assert len(sync.communities(db, TODAY)) == 2 and len(sync.imports(db)) == 2 and len(sync.enrolments(db)) == 2
    assert len(sync.conflicts(db)) == 2
    assert len([i for i in overview.todo(db, TODAY).items if i.kind == "sync"]) == 2
    assert overview.dashboard(db, TODAY.year, None, TODAY).scope == "玄武区委测试"
    from desktop_app.services import cobuilding

    assert len(cobuilding.street_figures(db, TODAY.year)) == 2
    assert "spending_fen" in {f.key for f in overview.dashboard(db, TODAY.year, None, TODAY).figures}


def _all_conflicts(db) -> list[SyncConflict]:
    from sqlalchemy import select

    with db.session() as s:
        return list(s.scalars(select(SyncConflict)))
