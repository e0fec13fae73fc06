"""A street's operator at the district reaches its own street's tree and nothing beyond it.

Hostile or careless use of the confined account (domain.access.Actor.org_id): moving its own
街道党工委 out from under the 区委 (`orgs move --top`) is refused with nothing changed; inside its
street it arranges its organisations as before. Real database files with migrations, the command
line as `main` runs it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, orgs
from desktop_app.store.models_access import AuditEntry
from tests.integration.test_district_enrolment import (
    ADMIN_PASSWORD, PASSWORD, district,  # noqa: F401 - the fixture
)
from tests.integration.test_district_level import _tree


def _target(db) -> str:
    return str(db.path) if db.path else db.url


def _trail(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action != "login"))


def _as_admin(db):
    auth.login(db, "admin", ADMIN_PASSWORD)


def test_a_street_operator_cannot_move_their_own_street_out_from_under_the_district(district, monkeypatch, capsys):
    db, a, b = district
    _as_admin(db)
    before, trail = _tree(db), _trail(db)
    assert before["320102100"] == ("street", "320102")
    db.actor = None  # the command line signs in by itself
    monkeypatch.setenv("DANGQUN_PASSWORD", PASSWORD)
    t = _target(db)
    assert main(["--user", "meiyuan", "orgs", "move", "320102100", "--top", "--db", t]) == 2
    assert "320102100" in capsys.readouterr().err
    auth.login(db, "meiyuan", PASSWORD)
    with pytest.raises(DomainError):
        orgs.move(db, a.id, None)
    _as_admin(db)
    assert _tree(db) == before and _trail(db) == trail


def test_a_street_operator_still_arranges_inside_their_street(district):
    db, a, b = district
    _as_admin(db)
    c1 = orgs.create(db, "梅园社区党委", "C1", "community", a.id)
    c2 = orgs.create(db, "梅园第二社区党委", "C2", "community", a.id)
    br = orgs.create(db, "第一党支部", "BR1", "branch", c1.id)
    auth.login(db, "meiyuan", PASSWORD)
    orgs.move(db, br.id, c2.id)  # a branch made under the wrong community
    _as_admin(db)
    assert _tree(db)["BR1"] == ("branch", "C2")


def test_the_administrator_still_moves_a_street(district):
    db, a, b = district
    _as_admin(db)
    orgs.move(db, a.id, None)
    assert _tree(db)["320102100"] == ("street", None)


def test_the_store_refuses_a_confined_session_moving_its_own_organisation(district):
    """Behind the service's refusal: any write of the confined session that moves the root is refused."""
    from desktop_app.services.uow import UnitOfWork
    from desktop_app.store.models import Organization
    from desktop_app.store.scope import OutOfScope

    db, a, b = district
    auth.login(db, "meiyuan", PASSWORD)
    with pytest.raises(OutOfScope), UnitOfWork(db) as uow:
        uow.session.get(Organization, a.id).parent_id = None
        uow.session.flush()
    with UnitOfWork(db) as uow:  # renaming it stays the operator's
        uow.session.get(Organization, a.id).name = "梅园街道党工委（新）"
        uow.commit()
    _as_admin(db)
    assert _tree(db)["320102100"] == ("street", "320102")
