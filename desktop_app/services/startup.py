"""The one read the program makes before its window opens: site, whether accounts exist, idle-lock time.

Nothing here is personal or secret (the organisation's name and a setting), and
it must be known before anyone has logged in, so it checks no permission.
"""

from __future__ import annotations

from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.site import get_site
from desktop_app.views.startup import StartState

__all__ = ["StartState", "start_state"]


def start_state(db: Database) -> StartState:
    return StartState(site=get_site(db), has_users=auth.has_users(db), idle_minutes=auth.policy(db).idle_minutes)
