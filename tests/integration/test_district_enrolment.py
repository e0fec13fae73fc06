"""A community enrolled at a district lands under its street, not under the 区委.

At a district the enrolment names the 街道党工委 the community belongs to: an operator
confined to a street enrols into that street, the administrator picks one. The community's
first package puts its 社区党委 there; its next 下发包 carries the new place. Real database
files with migrations (or the PostgreSQL cluster under DANGQUN_TEST_PG_URL), the command line
as `main` runs it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, orgs, roster, site, sync
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncEnrolment
from tests.integration.test_district_level import _community, _tree

PASSWORD = "street-pass-1"
ADMIN_PASSWORD = "district-pass-1"


def set_up_district(db, tmp_path):
    """玄武区委 with two streets (梅园, 新街口), its key, an administrator and 梅园's operator."""
    site.init_site(db, "320102", "玄武区委", "district")
    a = orgs.create(db, "梅园街道党工委", "320102100", "street", None)
    b = orgs.create(db, "新街口街道党工委", "320102200", "street", None)
    sync.new_key(db, tmp_path / "district.dqkey")
    auth.create_first_admin(db, "admin", "区管理员", ADMIN_PASSWORD)
    auth.create_user(db, "meiyuan", "梅园操作员", "secretary", PASSWORD, org_id=a.id, must_change_password=False)
    return a, b


def community_request(tmp_path):
    """梅园社区 (a branch, one member) and its enrolment request."""
    c = _community(tmp_path / "c.db", "320102001", "梅园社区党委")
    return c, sync.enrol_request(c, tmp_path / "c.dqreq", key_out=tmp_path / "c.dqkey")


@pytest.fixture
def district(empty_db, tmp_path, monkeypatch):
    monkeypatch.setenv(sync.PASSPHRASE_ENV, "district-passphrase")
    a, b = set_up_district(empty_db, tmp_path)
    return empty_db, a, b


@pytest.fixture
def community(tmp_path, monkeypatch):
    monkeypatch.setenv(sync.PASSPHRASE_ENV, "district-passphrase")
    c, req = community_request(tmp_path)
    yield c, req.path
    c.dispose()


def _first_package(db, c, tmp_path) -> None:
    sync.enrol_finish(c, tmp_path / "c.dqreply")
    up = sync.export_package(c, tmp_path / "up.dqsync")
    assert sync.import_package(db, up.path).new_community


def _nothing_enrolled(db, tmp_path) -> None:
    assert not (tmp_path / "c.dqreply").exists()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncEnrolment)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.table_name == "sync_enrolment")) == 0


def test_the_administrator_enrols_a_community_under_the_street_it_names(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    e = sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="新街口街道党工委")
    assert e.street_name == "新街口街道党工委"
    _first_package(db, c, tmp_path)
    tree = _tree(db)
    assert tree["320102001"] == ("community", "320102200")  # was: under the community's own stand-in
    assert tree["32010200101"] == ("branch", "320102001")
    live = {n.code for n in orgs.list_tree(db) if n.kind == "street"}
    assert live == {"320102100", "320102200"}  # the community's stand-in for its street is not left behind
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "sync_enrolment")).one()
        assert "所属新街口街道党工委" in entry.note
    # its next 下发包 carries its new place
    down = sync.send_package(db, tmp_path / "down.dqsync", site.get_site(c).id)
    sync.import_package(c, down.path)
    assert _tree(c)["320102001"] == ("community", "320102200")
    assert [n.code for n in orgs.list_tree(c) if n.kind == "street"] == ["320102200"]  # its stand-in put away


def test_the_administrator_must_name_a_street(district, community, tmp_path):
    db, a, b = district
    c, request = community
    with pytest.raises(DomainError, match="街道"):
        sync.enrol_accept(db, request, tmp_path / "c.dqreply")
    with pytest.raises(DomainError):
        sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="没有这个街道")
    _nothing_enrolled(db, tmp_path)


def test_a_street_operator_enrols_into_their_street_and_sees_its_members(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "meiyuan", PASSWORD)
    e = sync.enrol_accept(db, request, tmp_path / "c.dqreply")  # no question: their street
    assert (e.org_code, e.street_org_id) == ("320102001", a.id)
    _first_package(db, c, tmp_path)  # the operator imports the first package too: it is their street's
    assert _tree(db)["320102001"] == ("community", "320102100")
    assert roster.stats(db).total == 1  # inside their confinement at once


def test_a_street_operator_naming_another_street_is_refused(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "meiyuan", PASSWORD)
    with pytest.raises(DomainError, match="只管梅园街道党工委"):
        sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102200")
    _nothing_enrolled(db, tmp_path)


def test_the_cli_takes_street(district, community, tmp_path, capsys):
    db, a, b = district
    c, request = community
    t = str(db.path) if db.path else db.url
    assert main(["sync", "enrol", "accept", str(request), "--out", str(tmp_path / "c.dqreply"),
                 "--street", "320102200", "--db", t]) == 0
    assert "所属新街口街道党工委" in capsys.readouterr().out
    with db.session() as s:
        assert s.scalar(select(SyncEnrolment.street_org_id)) == b.id


def _street(db, tmp_path):
    site.init_site(db, "320102100", "梅园街道党工委", "street")
    sync.new_key(db, tmp_path / "street.dqkey")


def test_a_street_database_is_unchanged(empty_db, community, tmp_path):
    db = empty_db
    c, request = community
    _street(db, tmp_path)
    sync.enrol_accept(db, request, tmp_path / "c.dqreply")
    _first_package(db, c, tmp_path)
    assert _tree(db)["320102001"] == ("community", "320102100")
    with db.session() as s:
        assert s.scalar(select(SyncEnrolment.street_org_id)) == ""


def test_a_confined_account_at_a_street_database_still_may_not_enrol(empty_db, community, tmp_path):
    db = empty_db
    c, request = community
    _street(db, tmp_path)
    mine = orgs.create(db, "梅园社区党委", "320102001", "community", orgs.list_tree(db)[0].id)
    auth.create_first_admin(db, "admin", "街道管理员", ADMIN_PASSWORD)
    auth.create_user(db, "meiyuan", "社区操作员", "secretary", PASSWORD, org_id=mine.id, must_change_password=False)
    auth.login(db, "meiyuan", PASSWORD)
    with pytest.raises(DomainError, match="整个数据库"):
        sync.enrol_accept(db, request, tmp_path / "c.dqreply")
    _nothing_enrolled(db, tmp_path)
