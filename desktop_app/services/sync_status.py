"""Kept so `from desktop_app.services import sync_status` keeps working: everything lives in services.sync."""

from desktop_app.services.sync import *  # noqa: F401,F403
from desktop_app.services.sync import __all__  # noqa: F401
