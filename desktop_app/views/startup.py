"""What the program must know before its window opens, as one plain record.

The start-up reads it in one service call (off the GUI thread once a window
exists), so opening the window itself reads nothing from the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.views.site import SiteInfo


@dataclass(frozen=True)
class StartState:
    site: SiteInfo | None  # None until the first-run setup has named the organisation
    has_users: bool  # accounts exist: the program opens only after a log-in
    idle_minutes: int  # this database's idle-lock time (0: never)
