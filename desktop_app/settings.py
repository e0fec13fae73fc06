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
from desktop_app.files import write_atomically


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


def manual_dir() -> Path:
    """docs/manual: the 用户手册 (Markdown and its screenshots), shipped in the bundle."""
    return _source_root() / "docs" / "manual"


def changelog_path() -> Path:
    """CHANGELOG.md: the 更新说明 (beside the checkout's root; in the bundle's data files)."""
    return _source_root() / "CHANGELOG.md"


def portable_data_dir() -> Path | None:
    """A `data` folder beside the bundle's executables: the USB-stick copy keeps its data with it."""
    if not getattr(sys, "frozen", False):
        return None
    path = Path(sys.executable).resolve().parent / "data"
    return path if path.is_dir() else None


def data_dir() -> Path:
    """The user data folder: DANGQUN_DATA_DIR (tests, a moved folder), else a portable
    `data` folder beside the bundle, else the per-user folder (%LOCALAPPDATA%\\dangqun)."""
    override = os.environ.get("DANGQUN_DATA_DIR")
    if override:
        path = Path(override)
    else:
        path = portable_data_dir() or Path(user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "dangqun.db"


def database_url() -> str:
    """DANGQUN_DB_URL: a district's PostgreSQL server instead of the file ("": the file)."""
    return os.environ.get("DANGQUN_DB_URL", "").strip()


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    """Where backups go: the folder chosen in 设置, else `backups` in the data folder.

    A chosen folder that cannot be made (a drive since removed) falls back to the
    data folder's, so a backup is never lost for want of its folder.
    """
    chosen = Settings.load().backup_folder
    if chosen:
        try:
            Path(chosen).mkdir(parents=True, exist_ok=True)
            return Path(chosen)
        except OSError:
            pass
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


# Paper sizes a report may be printed on, in millimetres (portrait).
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "B5": (176.0, 250.0),
    "Letter": (215.9, 279.4),
}
MARGIN_RANGE_MM = (5, 30)


@dataclass
class Settings:
    """User preferences kept as JSON in the data folder (never in the registry).

    Edited in 设置 through services/settings.py, which validates and audits; a
    value of the wrong type in a hand-edited file falls back to its default.
    """

    pdf_font_path: str = ""
    paper_size: str = "A4"  # a key of PAPER_SIZES; landscape forms turn it sideways
    margin_mm: int = 15  # left and right page margin of every report
    backup_folder: str = ""  # empty: `backups` in the data folder
    backup_mirror_dir: str = ""  # a second folder or USB drive that gets a copy of each backup
    signin_show_phones: bool = False  # 签到表 prints the (masked) mobile numbers by default
    print_folder: str = ""  # empty: 打印文件 under the user's Documents; never the data folder
    recent_databases: list[str] = field(default_factory=list)
    # database path → the schema revision it had before this program upgraded it;
    # the window shows the 更新说明 since then once and clears the entry.
    upgrade_notes_from: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Settings":
        path = data_dir() / "settings.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        defaults = cls()
        known = {
            k: v for k, v in raw.items()
            if k in cls.__dataclass_fields__ and type(v) is type(getattr(defaults, k))
        }
        return cls(**known)

    def save(self) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        write_atomically(data_dir() / "settings.json", text.encode("utf-8"), private=False)  # no secret in it

    def page_mm(self, landscape: bool = False) -> tuple[float, float]:
        """The chosen paper's (width, height) in mm; A4 when the name is unknown."""
        w, h = PAPER_SIZES.get(self.paper_size, PAPER_SIZES["A4"])
        return (h, w) if landscape else (w, h)

    def margin(self) -> float:
        """The margin in mm, clamped to MARGIN_RANGE_MM."""
        low, high = MARGIN_RANGE_MM
        return float(min(max(self.margin_mm, low), high))
