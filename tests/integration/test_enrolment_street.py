"""At a district: naming the street of a community enrolled before enrolments kept it (migration 0036).

Such a community's packages landed without a street (its 社区党委 under its own stand-in, not under
any of the district's streets). The district's administrator names the street: the community moves
under it at once, in the same transaction, with the audit entry; its next packages keep it there and
its next 下发包 carries the new place. A street's operator, or a street database, is refused with
nothing changed. Real database files with migrations (or the PostgreSQL cluster), the command line as
`main` runs it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from desktop_app.cli import main
from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, orgs, site, sync
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncEnrolment
from tests.integration.test_district_enrolment import (  # noqa: F401 - community, district: fixtures
    ADMIN_PASSWORD, PASSWORD, community, district,
)
from tests.integration.test_district_level import _tree


def _target(db) -> str:
    return str(db.path) if db.path else db.url


def _old_enrolment(db, c, request, tmp_path, first_package: bool = True) -> None:
    """Enrolled as before 0036: no street kept; its first package merged without one."""
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102200")
    with db.session() as s:
        s.execute(update(SyncEnrolment).values(street_org_id=""))
        s.commit()
    sync.enrol_finish(c, tmp_path / "c.dqreply")
    if first_package:
        sync.import_package(db, sync.export_package(c, tmp_path / "up1.dqsync").path)


def _street_entries(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry.note).where(AuditEntry.table_name == "sync_enrolment",
                                                          AuditEntry.note.like("设置%"))))


def test_the_administrator_names_the_street_and_the_community_moves_under_it(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    _old_enrolment(db, c, request, tmp_path)
    assert _tree(db)["320102001"][1] not in ("320102100", "320102200")  # under no street of the district's
    e = sync.enrol_set_street(db, "320102001", "新街口街道党工委")
    assert (e.street_org_id, e.street_name, e.moved) == (b.id, "新街口街道党工委", True)
    assert _tree(db)["320102001"] == ("community", "320102200")
    assert {n.code for n in orgs.list_tree(db) if n.kind == "street"} == {"320102100", "320102200"}  # stand-in gone
    [note] = _street_entries(db)
    assert "所属街道为新街口街道党工委（原未设置）" in note and "置于新街口街道党工委之下" in note
    # its next package lands under that street too, and the 下发包 carries the new place to the community
    sync.import_package(db, sync.export_package(c, tmp_path / "up2.dqsync").path)
    assert _tree(db)["320102001"] == ("community", "320102200")
    sync.import_package(c, sync.send_package(db, tmp_path / "down.dqsync", site.get_site(c).id).path)
    assert _tree(c)["320102001"] == ("community", "320102200")


def test_named_before_its_first_package_the_package_lands_under_it(district, community, tmp_path):
    db, a, b = district
    c, request = community
    auth.login(db, "admin", ADMIN_PASSWORD)
    _old_enrolment(db, c, request, tmp_path, first_package=False)
    e = sync.enrol_set_street(db, "320102001", "320102100")
    assert (e.street_org_id, e.moved) == (a.id, False)
    assert "第一个数据包将置于该街道之下" in _street_entries(db)[0]
    sync.import_package(db, sync.export_package(c, tmp_path / "up.dqsync").path)
    assert _tree(db)["320102001"] == ("community", "320102100")


def test_the_command_line_sets_the_street(district, community, tmp_path, capsys):
    db, a, b = district
    c, request = community
    _old_enrolment(db, c, request, tmp_path)
    assert main(["sync", "enrol", "set-street", "320102001", "--street", "320102200", "--db", _target(db)]) == 0
    out = capsys.readouterr().out
    assert "所属街道设为 新街口街道党工委" in out and "已移到该街道之下" in out
    assert _tree(db)["320102001"] == ("community", "320102200")


def _unchanged(db, before) -> None:
    assert _tree(db) == before
    assert _street_entries(db) == []
    with db.session() as s:
        assert s.scalar(select(SyncEnrolment.street_org_id)) == ""


def test_a_street_operator_may_not_name_a_street(district, community, tmp_path):
    db, a, b = district
    c, request = community
    _old_enrolment(db, c, request, tmp_path)
    before = _tree(db)
    auth.login(db, "meiyuan", PASSWORD)
    for street in ("320102200", "320102100"):  # another street's, or even their own
        with pytest.raises(auth.PermissionDenied, match="区里的管理员"):
            sync.enrol_set_street(db, "320102001", street)
    auth.login(db, "admin", ADMIN_PASSWORD)  # (the operator's own view of the tree is their street's)
    _unchanged(db, before)


def test_an_unknown_community_or_a_non_street_is_refused(district, community, tmp_path):
    db, a, b = district
    c, request = community
    _old_enrolment(db, c, request, tmp_path)
    before = _tree(db)
    with pytest.raises(DomainError, match="没有登记过"):
        sync.enrol_set_street(db, "999999", "320102200")
    with pytest.raises(DomainError, match="不是街道党工委"):
        sync.enrol_set_street(db, "320102001", "玄武区委")
    _unchanged(db, before)


def test_a_street_database_is_refused(empty_db, community, tmp_path, monkeypatch):
    db = empty_db
    c, request = community
    site.init_site(db, "320102100", "梅园街道党工委", "street")
    sync.new_key(db, tmp_path / "street.dqkey")
    sync.enrol_accept(db, request, tmp_path / "c.dqreply")
    with pytest.raises(DomainError, match="只有区数据库"):
        sync.enrol_set_street(db, "320102001", "梅园街道党工委")
    with db.session() as s:
        assert s.scalar(select(SyncEnrolment.street_org_id)) == ""
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.note.like("设置%"))) == 0
