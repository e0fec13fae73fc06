"""A database carries its own behaviour and its own actor: nothing global, nothing registered on import."""

import importlib
import json
import pkgutil

import pytest
from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

import desktop_app.services
import desktop_app.store
from desktop_app.domain.access import Actor, ActorKind, Role
from desktop_app.services import auth, orgs
from desktop_app.services.database import open_database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import stamp_sync_columns
from desktop_app.store.errors import translate_engine_error
from desktop_app.store.models_access import AuditEntry


def _import_everything() -> list[str]:
    names = []
    for package in (desktop_app.store, desktop_app.services):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
            names.append(info.name)
    return names


def _listeners(dispatch) -> dict[str, int]:
    return {name: len(getattr(dispatch, name)) for name in dispatch._event_names if len(getattr(dispatch, name))}


def test_importing_store_and_services_registers_no_listener(tmp_path):
    assert len(_import_everything()) > 10
    for fn, name in ((stamp_sync_columns, "before_flush"), (audit.write_trail, "after_flush"),
                     (audit.forget_open_entries, "after_transaction_end")):
        assert not event.contains(Session, name, fn)
    assert not event.contains(Engine, "handle_error", translate_engine_error)
    # Nor any other listener: a session or engine made outside a Database is plain SQLAlchemy.
    assert _listeners(Session().dispatch) == {}
    bare = create_engine("sqlite://")
    assert _listeners(bare.dispatch) == {} and _listeners(bare.dialect.dispatch) == {}

    db, _ = open_database(tmp_path / "own.db")
    try:
        assert event.contains(db.session_factory, "before_flush", stamp_sync_columns)
        assert event.contains(db.session_factory, "after_flush", audit.write_trail)
        assert event.contains(db.session_factory, "after_transaction_end", audit.forget_open_entries)
        assert event.contains(db.engine, "handle_error", translate_engine_error)
        assert not event.contains(Session, "before_flush", stamp_sync_columns)  # still only its own
    finally:
        db.dispose()


def _actor(name: str) -> Actor:
    return Actor(f"id-{name}", name, name, Role.ADMIN, frozenset(), ActorKind.USER)


@pytest.fixture
def two_dbs(tmp_path):
    from desktop_app.services import site

    made = []
    for name in ("a", "b"):
        db, _ = open_database(tmp_path / f"{name}.db")
        site.init_site(db, "32010200100" + ("1" if name == "a" else "2"), f"{name}社区党委", "community")
        made.append(db)
    yield made
    for db in made:
        db.dispose()


def test_two_databases_in_one_process_audit_under_their_own_actor(two_dbs):
    a, b = two_dbs
    auth.set_actor(a, _actor("甲"))
    auth.set_actor(b, _actor("乙"))
    assert (a.actor.name, b.actor.name) == ("甲", "乙")
    for db, code in ((a, "A01"), (b, "B01")):
        c = next(n for n in orgs.list_tree(db) if n.kind == "community")
        orgs.create(db, f"{code}党支部", code, "branch", c.id)
    for db, who in ((a, "甲"), (b, "乙")):
        with db.session() as s:
            trail = list(s.scalars(select(AuditEntry).where(AuditEntry.table_name == "organization",
                                                            AuditEntry.action == "insert")))
        names = {e.user_name for e in trail if json.loads(e.after_json).get("kind") == "branch"}
        assert names == {who}


def test_the_unit_of_work_keeps_the_actor_it_started_with(two_dbs):
    a, _ = two_dbs
    first, second = _actor("甲"), _actor("丙")
    auth.set_actor(a, first)
    with UnitOfWork(a) as uow:
        assert uow.actor is first and uow.session.info[audit.ACTOR_KEY] is first
        auth.set_actor(a, second)  # the screen locks, someone else logs in: this action stays 甲's
        audit.record(uow.session, "setting", "access_setting", "x", "测试")
        uow.commit()
    with a.session() as s:
        assert s.info[audit.ACTOR_KEY] is second
        entry = s.scalars(select(AuditEntry).where(AuditEntry.row_id == "x")).one()
    assert entry.user_name == "甲"


def test_site_and_accounts_are_declared_state_of_the_database(two_dbs):
    a, b = two_dbs
    assert a.site_id and b.site_id and a.site_id != b.site_id
    assert not a.has_users and not auth.has_users(a)
    auth.set_actor(a, None)
    assert "_site_id" not in vars(a) and "_has_users" not in vars(a)
