"""Every table, imported in one place so the metadata is complete (Alembic, tests, sync)."""

from desktop_app.store import audit, models, models_access, models_cobuilding, models_ledger, models_meetings, models_service, models_sync  # noqa: F401
from desktop_app.store import models_assessment  # noqa: F401
from desktop_app.store import models_cadence, models_membership  # noqa: F401
from desktop_app.store import models_development  # noqa: F401
from desktop_app.store import models_memberlife  # noqa: F401
from desktop_app.store import models_imports  # noqa: F401
from desktop_app.store import models_undo  # noqa: F401
from desktop_app.store.base import Base

metadata = Base.metadata
