"""Where a community's 社区党委 sits in the street's (or district's) tree is the street's to say.

A community database moving its own 社区党委 (the 党组织 page, `orgs move`) would send the move up in
its next package, and the district would take it: the community out from under its street, beyond its
street operator's reach, beside the 区委. The community's database refuses the move; the district
refuses a package that makes it anyway (a hostile or hand-edited database), with nothing changed,
while a package that only renames the 社区党委 is still taken. Real database files with migrations.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, orgs, site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Organization
from desktop_app.store.models_access import AuditEntry
from tests.integration.test_district_enrolment import (  # noqa: F401 - the fixtures
    ADMIN_PASSWORD, _first_package, community, district,
)
from tests.integration.test_district_level import _tree


def _enrolled_in_xinjiekou(db, c, request, tmp_path):
    auth.login(db, "admin", ADMIN_PASSWORD)
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="新街口街道党工委")
    _first_package(db, c, tmp_path)
    down = sync.send_package(db, tmp_path / "down.dqsync", site.get_site(c).id)
    sync.import_package(c, down.path)
    return next(n for n in orgs.list_tree(c) if n.kind == "community")


def _changes(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action != "login"))


def test_a_community_database_does_not_move_its_own_community_committee(district, community, tmp_path):
    db, a, b = district
    c, request = community
    root = _enrolled_in_xinjiekou(db, c, request, tmp_path)
    district_root = next(n for n in orgs.list_tree(c) if n.kind == "district")
    before = _tree(c)
    for parent in (None, district_root.id):
        with pytest.raises(DomainError, match="由区确定") as refused:  # to the top, or straight under the 区委
            orgs.move(c, root.id, parent)
        assert "街道确定" not in str(refused.value)  # the district, not the street, names its street
    assert _tree(c) == before
    # the rate table is the district's too, and the community is told so in its words
    from desktop_app.services import dues

    locked = dues.rates_locked(c)
    assert locked == "本社区已加入区数据同步，党费比例由区统一设置；如需调整请联系区", locked
    branch = next(n for n in orgs.list_tree(c) if n.kind == "branch")
    orgs.move(c, branch.id, root.id, position=0)  # arranging under it stays the community's


def test_the_district_refuses_a_package_that_moves_the_community_committee(district, community, tmp_path):
    db, a, b = district
    c, request = community
    root = _enrolled_in_xinjiekou(db, c, request, tmp_path)
    district_root = next(n for n in orgs.list_tree(c) if n.kind == "district")
    for parent in (None, district_root.id):  # out of its street: to the top, or straight under the 区委
        with UnitOfWork(c) as uow:  # a hand-edited database: no service would do it
            uow.session.get(Organization, root.id).parent_id = parent
            uow.commit()
        up = sync.export_package(c, tmp_path / f"up-{parent}.dqsync")
        before, trail = _tree(db), _changes(db)
        with pytest.raises(DomainError, match="把它移回“新街口街道党工委”之下"):
            sync.import_package(db, up.path)
        assert _tree(db) == before and _tree(db)["320102001"] == ("community", "320102200")
        assert _changes(db) == trail
    # the way back: the page puts it under its street again, and the next package is taken
    orgs.move(c, root.id, b.id)
    sync.import_package(db, sync.export_package(c, tmp_path / "up-back.dqsync").path)
    assert _tree(db)["320102001"] == ("community", "320102200")


def test_a_package_renaming_the_community_committee_is_still_taken(district, community, tmp_path):
    db, a, b = district
    c, request = community
    root = _enrolled_in_xinjiekou(db, c, request, tmp_path)
    orgs.rename(c, root.id, "梅园社区党委（新）")
    sync.import_package(db, sync.export_package(c, tmp_path / "up2.dqsync").path)
    assert {n.code: n.name for n in orgs.list_tree(db)}["320102001"] == "梅园社区党委（新）"
    assert _tree(db)["320102001"] == ("community", "320102200")


def test_the_district_still_moves_the_community_and_its_next_package_is_taken(district, community, tmp_path):
    db, a, b = district
    c, request = community
    root = _enrolled_in_xinjiekou(db, c, request, tmp_path)
    auth.login(db, "admin", ADMIN_PASSWORD)
    orgs.move(db, root.id, a.id)  # enrolled under the wrong street: the district puts it right
    orgs.rename(c, root.id, "梅园社区党委（新）")  # meanwhile the community renames it, not yet told
    sync.import_package(db, sync.export_package(c, tmp_path / "up2.dqsync").path)  # not refused
    assert _tree(db)["320102001"] == ("community", "320102100")
