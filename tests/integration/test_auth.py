"""Accounts on real database files: password storage, log-in, lock-out, management, the actor."""

import base64
from datetime import timedelta

import pytest
from sqlalchemy import text

from desktop_app.domain import access
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.services import auth, orgs
from desktop_app.services.auth import AccountLocked, LoginFailed, PermissionDenied
from desktop_app.store.base import utcnow

PASSWORD = "xingfuli2026"
REAL_N = auth.passwords.SCRYPT_N


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    """Cheaper scrypt for the many log-ins here; the storage test puts the real cost back."""
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def raw_user(db, login):
    """The account's row as stored, read past the services (an SQLite file or a PostgreSQL server)."""
    with db.engine.connect() as con:
        return dict(con.execute(text("SELECT * FROM app_user WHERE login = :login"), {"login": login}).mappings().one())


def file_bytes(db) -> bytes:
    """Everything the database holds: the file and its WAL, or on a server every table's rows as text."""
    if db.path is None:
        with db.engine.connect() as con:
            tables = con.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
            return "".join(repr(con.execute(text(f'SELECT * FROM "{t}"')).all()) for t in tables).encode()
    data = db.path.read_bytes()
    wal = db.path.with_name(db.path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def admin(db):
    return auth.create_first_admin(db, "admin", "王书记", PASSWORD)


def test_a_database_without_accounts_lets_everyone_act_as_administrator(db):
    assert not auth.has_users(db)
    actor = auth.current_actor(db)
    assert actor is auth.OPEN and actor.role == access.Role.ADMIN
    assert auth.require(db, "users.manage") is auth.OPEN
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", c.id)  # services work as before accounts


def test_password_is_stored_only_as_a_salted_scrypt_hash(db, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", REAL_N)
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    row = raw_user(db, "admin")
    assert row["password_hash"] != PASSWORD and PASSWORD not in str(row)
    assert PASSWORD.encode() not in file_bytes(db)  # not in the database file at all
    assert row["kdf_params"] == "scrypt:n=32768,r=8,p=1,len=32"
    assert len(base64.b64decode(row["password_salt"])) == 16
    assert len(base64.b64decode(row["password_hash"])) == 32
    assert auth.verify_password(PASSWORD, row["password_hash"], row["password_salt"], row["kdf_params"])
    assert not auth.verify_password(PASSWORD + "x", row["password_hash"], row["password_salt"], row["kdf_params"])


def test_weaker_stored_parameters_are_upgraded_at_the_next_login(db, admin, monkeypatch):
    assert raw_user(db, "admin")["kdf_params"] == "scrypt:n=1024,r=8,p=1,len=32"
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**11)
    auth.logout(db)
    auth.login(db, "admin", PASSWORD)
    row = raw_user(db, "admin")
    assert row["kdf_params"] == "scrypt:n=2048,r=8,p=1,len=32"
    assert auth.verify_password(PASSWORD, row["password_hash"], row["password_salt"], row["kdf_params"])


def test_the_same_password_hashes_differently_for_two_users(db, admin):
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD)
    assert raw_user(db, "li")["password_hash"] != raw_user(db, "admin")["password_hash"]
    assert raw_user(db, "li")["password_salt"] != raw_user(db, "admin")["password_salt"]


def test_first_admin_only_once_and_with_a_good_password(db):
    with pytest.raises(ValidationError) as err:
        auth.create_first_admin(db, "admin", "王书记", "12345678")
    assert err.value.field == "密码"
    assert not auth.has_users(db)
    actor = auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    assert auth.current_actor(db) == actor and actor.role == access.Role.ADMIN
    with pytest.raises(Conflict):
        auth.create_first_admin(db, "admin2", "另一个", PASSWORD)


def test_login_with_right_and_wrong_passwords(db, admin):
    auth.logout(db)
    assert auth.current_actor(db) is None
    with pytest.raises(PermissionDenied, match="请先登录"):
        auth.require(db, "orgs.read")
    with pytest.raises(LoginFailed, match="用户名或密码不正确"):
        auth.login(db, "admin", "wrong-password")
    with pytest.raises(LoginFailed, match="用户名或密码不正确"):
        auth.login(db, "nobody", PASSWORD)  # the same words: names are not disclosed
    assert auth.current_actor(db) is None
    actor = auth.login(db, "ADMIN", PASSWORD)  # login names ignore case
    assert actor.name == "王书记" and auth.current_actor(db) == actor
    row = raw_user(db, "admin")
    assert row["failed_count"] == 0 and row["last_login_at"] is not None


def test_five_wrong_passwords_lock_the_account_and_it_opens_after_fifteen_minutes(db, admin):
    auth.logout(db)
    t0 = utcnow()
    for i in range(4):
        with pytest.raises(LoginFailed) as err:
            auth.login(db, "admin", f"wrong-{i}xyz", now=t0)
        assert not isinstance(err.value, AccountLocked)
        assert f"再错 {4 - i} 次" in str(err.value)
    with pytest.raises(AccountLocked) as err:
        auth.login(db, "admin", "wrong-5xyz", now=t0)
    assert "已锁定 15 分钟" in str(err.value)
    # even the right password is refused while locked
    with pytest.raises(AccountLocked):
        auth.login(db, "admin", PASSWORD, now=t0 + timedelta(minutes=14))
    assert auth.current_actor(db) is None
    actor = auth.login(db, "admin", PASSWORD, now=t0 + timedelta(minutes=15, seconds=1))
    assert actor.login == "admin"
    assert raw_user(db, "admin")["locked_until"] is None


def test_an_administrator_unlocks_a_locked_account(db, admin):
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD)
    for i in range(5):
        with pytest.raises(LoginFailed):
            auth.login(db, "li", f"bad-pass-{i}")
    li = next(u for u in auth.list_users(db) if u.login == "li")
    assert li.locked() and li.state_label() == "已锁定"
    auth.unlock_user(db, li.id)
    assert auth.login(db, "li", PASSWORD).name == "李委员"


def test_change_password_checks_the_old_one_and_the_policy(db, admin):
    with pytest.raises(ValidationError) as err:
        auth.change_password(db, "not-the-old-one", "brand-new-2026")
    assert err.value.field == "原密码"
    with pytest.raises(ValidationError) as err:
        auth.change_password(db, PASSWORD, "short")
    assert err.value.field == "密码"
    before = raw_user(db, "admin")
    auth.change_password(db, PASSWORD, "brand-new-2026")
    after = raw_user(db, "admin")
    assert after["password_hash"] != before["password_hash"] and after["password_salt"] != before["password_salt"]
    auth.logout(db)
    with pytest.raises(LoginFailed):
        auth.login(db, "admin", PASSWORD)
    assert auth.login(db, "admin", "brand-new-2026").login == "admin"


def test_reset_password_makes_the_user_change_it_at_next_login(db, admin):
    info = auth.create_user(db, "li", "李委员", "secretary", PASSWORD, must_change_password=False)
    auth.reset_password(db, info.id, "temporary-2026")
    actor = auth.login(db, "li", "temporary-2026")
    assert actor.must_change_password
    auth.change_password(db, "temporary-2026", "my-own-2026")
    assert not auth.current_actor(db).must_change_password
    assert not raw_user(db, "li")["must_change_password"]


def test_only_an_administrator_manages_users(db, admin):
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD)
    auth.login(db, "li", PASSWORD)
    with pytest.raises(PermissionDenied) as err:
        auth.create_user(db, "zhao", "赵", "viewer", PASSWORD)
    assert "管理用户" in str(err.value) and "李委员" in str(err.value)
    with pytest.raises(PermissionDenied):
        auth.list_users(db)
    with pytest.raises(PermissionDenied):
        auth.set_idle_minutes(db, 5)


def test_the_last_administrator_cannot_be_removed_or_demoted(db, admin):
    with pytest.raises(Conflict):
        auth.set_active(db, admin.user_id, False)  # yourself
    other = auth.create_user(db, "li", "李委员", "admin", PASSWORD)
    auth.login(db, "li", PASSWORD)
    auth.set_active(db, admin.user_id, False)
    with pytest.raises(Conflict, match="唯一的管理员"):
        auth.update_user(db, other.id, "李委员", "secretary")  # would leave no administrator
    auth.logout(db)
    with pytest.raises(LoginFailed, match="已停用"):
        auth.login(db, "admin", PASSWORD)


def test_grid_workers_need_real_grids(db, admin):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    with pytest.raises(ValidationError) as err:
        auth.create_user(db, "li", "李网格", "grid", PASSWORD)
    assert err.value.field == "负责网格"
    with pytest.raises(ValidationError, match="不是网格"):
        auth.create_user(db, "li", "李网格", "grid", PASSWORD, grid_ids=[c.id])
    info = auth.create_user(db, "li", "李网格", "grid", PASSWORD, grid_ids=[g.id])
    assert info.grid_names == ("第一网格党支部",) and info.role_label == "网格员"
    with pytest.raises(ValidationError, match="已被使用"):
        auth.create_user(db, "LI", "另一个李", "viewer", PASSWORD)
    actor = auth.login(db, "li", PASSWORD)
    assert actor.grid_ids == {g.id}


def test_a_forgotten_admin_password_is_reset_from_the_command_line(db, admin):
    """Whoever holds the file holds the data: the CLI (SYSTEM) may reset any password."""
    auth.logout(db)
    auth.cli_actor(db)
    who = auth.find_user(db, "ADMIN")
    assert who.id == admin.user_id
    auth.reset_password(db, who.id, "recovered-2026")
    assert auth.login(db, "admin", "recovered-2026").must_change_password
    with pytest.raises(NotFound):
        auth.find_user(db, "nobody")


def test_the_command_line_acts_as_system_or_as_a_named_user(db, admin):
    auth.logout(db)
    actor = auth.cli_actor(db)
    assert actor is auth.SYSTEM and auth.current_actor(db) is auth.SYSTEM
    assert auth.require(db, "users.manage") is auth.SYSTEM
    auth.create_user(db, "li", "李委员", "viewer", PASSWORD, must_change_password=False)
    assert auth.cli_actor(db, "li", PASSWORD).name == "李委员"
    with pytest.raises(PermissionDenied):
        auth.require(db, "members.write")
    with pytest.raises(LoginFailed):
        auth.cli_actor(db, "li", "wrong-password")


def test_idle_lock_puts_the_actor_aside_until_login(db, admin):
    assert auth.policy(db).idle_minutes == access.DEFAULT_IDLE_MINUTES
    assert auth.set_idle_minutes(db, 3).idle_minutes == 3
    assert auth.policy(db).idle_minutes == 3
    was = auth.lock_session(db)
    assert was == admin and auth.current_actor(db) is None
    with pytest.raises(PermissionDenied, match="请先登录"):
        auth.require(db, "orgs.write")
    auth.login(db, "admin", PASSWORD)
    assert auth.current_actor(db).user_id == admin.user_id


def test_open_actor_stops_once_an_account_exists(db):
    auth.set_actor(db, auth.OPEN)  # the GUI's "continue without accounts"
    assert auth.current_actor(db) is auth.OPEN
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.set_actor(db, auth.OPEN)  # a stale OPEN must not keep administrator rights
    assert auth.current_actor(db) is None
