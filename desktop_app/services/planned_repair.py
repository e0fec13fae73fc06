"""Whether the one-time repair of planned meetings' 应到 is due, asked without loading the meetings package.

The window asks after every log-in and, when it is due, calls
services.meetings.planned.repair_once; once the repair has run the question is
one small read, and the meetings services (0.2 s of CPU to import) wait until a
meetings page is shown.
"""

from __future__ import annotations

from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.store.models_access import AccessSetting

REPAIRED_KEY = "planned_attendance_repaired"  # access_setting: when the repair ran on this database, and rows changed


def due(db: Database) -> bool:
    """Whether the repair has yet to run on this database and the person logged in may run it
    (a viewer's log-in leaves it to the next person who may edit meetings)."""
    if not auth.can(db, "meetings.write"):
        return False
    with db.session() as s:
        return s.get(AccessSetting, REPAIRED_KEY) is None
