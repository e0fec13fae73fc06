"""Where things live: the user data folder, shipped resources, migrations, settings.

Paths never depend on the working directory, so the PyInstaller bundle and a
source checkout find the same files.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from desktop_app import APP_ID


def _source_root() -> Path:
    # Frozen: PyInstaller unpacks datas under sys._MEIPASS.
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return _source_root().joinpath("resources", *parts)


def migrations_dir() -> Path:
    return _source_root() / "db"


def data_dir() -> Path:
    """The user data folder; DANGQUN_DATA_DIR overrides it (tests, portable use)."""
    override = os.environ.get("DANGQUN_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "dangqun.db"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Settings:
    """User preferences kept as JSON in the data folder."""

    pdf_font_path: str = ""
    backup_mirror_dir: str = ""  # a second folder or USB drive that gets a copy of each backup
    recent_databases: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> "Settings":
        path = data_dir() / "settings.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self) -> None:
        path = data_dir() / "settings.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
