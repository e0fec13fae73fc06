"""Accounts and the acting person: passwords, who acts (log-in, lock, permission checks), user admin, policy.

    auth.require(db, "members.write")                  # may the actor do this at all?
    auth.require(db, "residents.write", grid_id=r.grid_id)   # ... on this grid's row?
    q = q.where(auth.scoped(db, "residents.read", Resident.grid_id))   # lists: only visible rows

The modules: `passwords` (scrypt hashing), `actor` (who acts, log-in/out,
idle lock, the checks), `users` (account administration, own password),
`policy` (this PC's idle-lock setting). Everything public is re-exported here.
"""

from desktop_app.domain.access import OPEN, SYSTEM, Actor
from desktop_app.services.auth.actor import (
    AccountLocked, LoginFailed, PasswordChangeRequired, PermissionDenied, can, check_login, cli_actor,
    create_first_admin, current_actor, has_users,
    lock_session, login, logout, require, scope, scoped, set_actor,
)
from desktop_app.services.auth.passwords import hash_password, verify_password
from desktop_app.services.auth.policy import policy, set_idle_minutes
from desktop_app.services.auth.users import (
    change_password, create_user, find_user, grid_choices, list_users, reset_password, scope_choices, set_active,
    unlock_user, update_user,
)
from desktop_app.views.users import Policy, UserInfo

__all__ = [
    "Actor", "SYSTEM", "OPEN", "PermissionDenied", "LoginFailed", "AccountLocked", "UserInfo",
    "Policy", "set_actor", "current_actor", "require", "can", "scope", "scoped", "has_users",
    "create_first_admin", "login", "logout", "lock_session", "cli_actor", "change_password",
    "list_users", "find_user", "grid_choices", "scope_choices", "create_user", "update_user", "reset_password", "unlock_user",
    "set_active", "policy", "set_idle_minutes", "hash_password", "verify_password",
    "PasswordChangeRequired", "check_login",
]
