"""Read and change this PC's settings (设置): validated, permission-checked, audited.

The values live in the data folder's settings.json (desktop_app.settings), never
in the registry, so copying the folder takes them along; the idle-lock time is
the database's access policy (services.auth), which the lock screen reads.
Where backups go is an administrator's choice alone (backup_copies.require_settings).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from desktop_app.domain import access
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth, backup_copies, site
from desktop_app.services.uow import UnitOfWork
from desktop_app.settings import MARGIN_RANGE_MM, PAPER_SIZES, Settings, data_dir, portable_data_dir
from desktop_app.store import audit
from desktop_app.store.db import Database
from desktop_app.views.settings import PAPER_LABELS, SettingsInfo, SettingsValues

__all__ = ["PAPER_LABELS", "SettingsInfo", "SettingsValues", "current", "info", "save"]

_FILE_FIELDS = tuple(f.name for f in fields(SettingsValues) if f.name != "idle_lock_minutes")
_LABELS = {
    "pdf_font_path": "PDF 字体",
    "paper_size": "纸张",
    "margin_mm": "页边距（毫米）",
    "backup_folder": "备份文件夹",
    "backup_mirror_dir": "第二备份文件夹",
    "signin_show_phones": "签到表印手机号",
    "idle_lock_minutes": "自动锁定（分钟）",
    "print_folder": "打印文件夹",
}


def current(db: Database) -> SettingsValues:
    auth.require(db, "settings.manage")
    stored = Settings.load()
    return SettingsValues(
        **{name: getattr(stored, name) for name in _FILE_FIELDS},
        idle_lock_minutes=auth.policy(db).idle_minutes,
    )


def info(db: Database) -> SettingsInfo:
    auth.require(db, "settings.manage")
    here = site.get_site(db)
    return SettingsInfo(
        data_folder=str(data_dir()),
        default_backup_folder=str(data_dir() / "backups"),
        settings_file=str(data_dir() / "settings.json"),
        database_file=str(db.path or ""),
        portable=portable_data_dir() is not None,
        org_code=here.org_code if here else "",
        org_name=here.org_name if here else "",
        level_label=here.level_label if here else "",
    )


def _as_path(text: str) -> str:
    return str(Path(text.strip()).expanduser()) if text.strip() else ""


def _folder(label: str, text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise ValidationError(label, "请选择完整的文件夹路径")
    if path.exists() and not path.is_dir():
        raise ValidationError(label, f"{path} 是文件，不是文件夹")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(label, f"无法建立文件夹 {path}：{exc.strerror or exc}") from exc
    return str(path)


def _validate(values: SettingsValues) -> SettingsValues:
    """The values as they will be stored, or a ValidationError naming the field and what to do."""
    font = values.pdf_font_path.strip()
    if font:
        if Path(font).suffix.lower() not in (".ttf", ".otf", ".ttc"):
            raise ValidationError(_LABELS["pdf_font_path"], "请选择 .ttf、.otf 或 .ttc 字体文件，或留空用程序自带的字体")
        if not Path(font).is_file():
            raise ValidationError(_LABELS["pdf_font_path"], f"找不到字体文件 {font}")
    if values.paper_size not in PAPER_SIZES:
        raise ValidationError(_LABELS["paper_size"], "应为 " + "、".join(PAPER_SIZES))
    low, high = MARGIN_RANGE_MM
    if not isinstance(values.margin_mm, int) or not low <= values.margin_mm <= high:
        raise ValidationError(_LABELS["margin_mm"], f"应在 {low} 到 {high} 毫米之间")
    backup = _folder(_LABELS["backup_folder"], values.backup_folder)
    mirror = _folder(_LABELS["backup_mirror_dir"], values.backup_mirror_dir)
    if backup and mirror and Path(backup).resolve() == Path(mirror).resolve():
        raise ValidationError(_LABELS["backup_mirror_dir"], "应与备份文件夹不同（放在另一个盘或 U 盘上）")
    minutes = access.check_idle_minutes(values.idle_lock_minutes)
    prints = _folder(_LABELS["print_folder"], values.print_folder)
    if prints and Path(prints).resolve().is_relative_to(data_dir().resolve()):
        raise ValidationError(_LABELS["print_folder"], "不能放在程序的数据文件夹里，请选“文档”下或桌面上的文件夹")
    return SettingsValues(
        pdf_font_path=font, paper_size=values.paper_size, margin_mm=values.margin_mm,
        backup_folder=backup, backup_mirror_dir=mirror,
        signin_show_phones=bool(values.signin_show_phones), idle_lock_minutes=minutes, print_folder=prints,
    )


def save(db: Database, values: SettingsValues) -> SettingsValues:
    """Check, store and record the changed settings; returns them as stored."""
    auth.require(db, "settings.manage")
    old = current(db)
    if any(_as_path(getattr(values, k)) != _as_path(getattr(old, k)) for k in ("backup_folder", "backup_mirror_dir")):
        # where every later backup goes (a mirror on a stick carries the whole database away): administrators;
        # asked before the folders are checked, which makes them
        backup_copies.require_settings(db)
    new = _validate(values)
    before = {k: v for k, v in asdict(old).items() if asdict(new)[k] != v}
    after = {k: asdict(new)[k] for k in before}
    if not before:
        return old
    if "idle_lock_minutes" in before:
        auth.set_idle_minutes(db, new.idle_lock_minutes)  # audits itself; needs users.manage
    file_changes = {k: v for k, v in after.items() if k in _FILE_FIELDS}
    if file_changes:
        stored = Settings.load()
        for name, value in file_changes.items():
            setattr(stored, name, value)
        stored.save()
        with UnitOfWork(db) as uow:
            audit.record(
                uow.session, "setting", "settings_file", "settings.json",
                "修改设置：" + "、".join(_LABELS[k] for k in file_changes), label="本机设置",
                before={k: before[k] for k in file_changes}, after=file_changes,
            )
            uow.commit()
    return current(db)
