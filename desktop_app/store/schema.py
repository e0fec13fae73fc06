"""Every table, imported in one place so the metadata is complete (Alembic, tests, sync)."""

from desktop_app.store import models, models_meetings, models_service  # noqa: F401
from desktop_app.store.base import Base

metadata = Base.metadata
