"""What the 工作台's figures and its to-do list both read, read once per refresh.

The figures count the dues arrears and the 发展党员 pipeline; the to-do list
names the same arrears and the pipeline's next steps. Each is a pass over every
member (the arrears: 2-3 s for a 3,000-member community), so a refresh hands one
`Shared` to `dashboard` and `todo` and each is made only for whichever asks first.
Each caller checks its permission before it asks; a Shared lives for one refresh
of one account and is then dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from desktop_app.services.database import Database


class Shared:
    def __init__(self) -> None:
        self._made: dict[tuple, Any] = {}

    def _once(self, key: tuple, make: Callable[[], Any]) -> Any:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def arrears(self, db: Database, community: str | None, today: date) -> list:
        from desktop_app.services import dues

        return self._once(("arrears", community, today), lambda: dues.arrears(db, community, today))

    def pipeline(self, db: Database, today: date) -> list:
        from desktop_app.services import development

        return self._once(("pipeline", today), lambda: development.pipeline(db, today=today))
