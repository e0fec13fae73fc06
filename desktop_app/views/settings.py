"""This PC's settings as plain data, for the 设置 dialog and the tests that round-trip them."""

from __future__ import annotations

from dataclasses import dataclass

PAPER_LABELS: dict[str, str] = {
    "A4": "A4（210×297 毫米）",
    "A5": "A5（148×210 毫米）",
    "B5": "B5（176×250 毫米）",
    "Letter": "Letter（216×279 毫米）",
}


@dataclass(frozen=True)
class SettingsValues:
    """What 设置 edits. Everything but idle_lock_minutes lives in the data folder's
    settings.json; the idle-lock time is the database's access policy, which the
    lock screen already reads."""

    pdf_font_path: str = ""
    paper_size: str = "A4"
    margin_mm: int = 15
    backup_folder: str = ""
    backup_mirror_dir: str = ""
    signin_show_phones: bool = False
    idle_lock_minutes: int = 10
    print_folder: str = ""  # where prints and exports go; empty: 打印文件 under Documents


@dataclass(frozen=True)
class SettingsInfo:
    """What 设置 shows but does not edit here: where the data is, whose database it is."""

    data_folder: str
    default_backup_folder: str
    settings_file: str
    database_file: str
    portable: bool
    org_code: str
    org_name: str
    level_label: str
