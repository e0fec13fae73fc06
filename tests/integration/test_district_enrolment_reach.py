"""A street's operator at the district enrols its own street's communities, and no other street's.

Accepting a request again in the name of a community enrolled into another street (a forged request,
or a real one handed to the wrong street) would move the enrolment to the operator's street and swap
its keys: the community's own packages refused, the new key's taken. Refused with nothing changed,
also for a community enrolled before the street was recorded that already sits under another street.
Real database files with migrations.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, sync
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncEnrolment
from tests.integration.test_district_enrolment import (  # noqa: F401 - the fixtures
    ADMIN_PASSWORD, PASSWORD, _first_package, community, district,
)


def _trail(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action != "login"))


def _enrolled(db) -> dict[str, tuple[str, str]]:
    with db.session() as s:
        return {e.org_code: (e.street_org_id, e.fingerprint) for e in s.scalars(select(SyncEnrolment))}


def _refused_for_meiyuan(db, c, tmp_path, match: str) -> None:
    auth.login(db, "admin", ADMIN_PASSWORD)
    before, trail = _enrolled(db), _trail(db)
    again = sync.enrol_request(c, tmp_path / "c2.dqreq", key_out=tmp_path / "c2.dqkey")
    auth.login(db, "meiyuan", PASSWORD)
    with pytest.raises(DomainError, match=match):
        sync.enrol_accept(db, again.path, tmp_path / "c2.dqreply")
    assert not (tmp_path / "c2.dqreply").exists()
    auth.login(db, "admin", ADMIN_PASSWORD)
    assert _enrolled(db) == before and _trail(db) == trail


def test_a_street_operator_cannot_take_over_another_street_s_enrolment(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="新街口街道党工委")
    _refused_for_meiyuan(db, c, tmp_path, "已登记在新街口街道党工委")


def test_nor_a_community_already_under_another_street_enrolled_before_streets_were_recorded(
        district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="新街口街道党工委")
    _first_package(db, c, tmp_path)  # its 社区党委 now under 新街口
    with db.session() as s:  # an enrolment made before migration 0036: no street recorded
        s.execute(update(SyncEnrolment).values(street_org_id=""))
        s.commit()
    _refused_for_meiyuan(db, c, tmp_path, "已登记在新街口街道党工委")


def test_a_street_operator_re_enrols_their_own_community(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "meiyuan", PASSWORD)
    sync.enrol_accept(db, request, tmp_path / "c.dqreply")
    _first_package(db, c, tmp_path)
    again = sync.enrol_request(c, tmp_path / "c2.dqreq", key_out=tmp_path / "c2.dqkey")
    e = sync.enrol_accept(db, again.path, tmp_path / "c2.dqreply")  # a lost key: enrolled again
    assert (e.street_org_id, e.fingerprint) == (a.id, again.fingerprint)


def test_the_administrator_still_re_enrols_into_another_street(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="新街口街道党工委")
    again = sync.enrol_request(c, tmp_path / "c2.dqreq", key_out=tmp_path / "c2.dqkey")
    assert sync.enrol_accept(db, again.path, tmp_path / "c2.dqreply", street="梅园街道党工委").street_org_id == a.id


def test_a_street_named_at_a_street_database_is_refused_not_ignored(empty_db, community, tmp_path):
    from desktop_app.services import site

    c, request = community
    site.init_site(empty_db, "320102100", "梅园街道党工委", "street")
    sync.new_key(empty_db, tmp_path / "street.dqkey")
    with pytest.raises(DomainError, match="不写 --street"):
        sync.enrol_accept(empty_db, request, tmp_path / "c.dqreply", street="新街口街道党工委")
    assert not (tmp_path / "c.dqreply").exists()
    assert sync.enrol_accept(empty_db, request, tmp_path / "c.dqreply").street_org_id == ""
