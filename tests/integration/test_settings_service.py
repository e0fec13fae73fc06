"""设置: every setting round-trips through the service and settings.json; bad values are refused."""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import audit_log, auth
from desktop_app.services import settings as settings_service
from desktop_app.services.auth import PermissionDenied
from desktop_app.settings import Settings, backup_dir, data_dir, resource_path
from desktop_app.views.audit import AuditFilter
from desktop_app.views.settings import SettingsValues

PASSWORD = "Dangqun#2024"


def _changed(tmp_path) -> SettingsValues:
    """A value different from the default for every field."""
    return SettingsValues(
        pdf_font_path=str(resource_path("fonts", "DroidSansFallbackFull.ttf")),
        paper_size="B5",
        margin_mm=22,
        backup_folder=str(tmp_path / "备份"),
        backup_mirror_dir=str(tmp_path / "U盘"),
        signin_show_phones=True,
        idle_lock_minutes=25,
        print_folder=str(tmp_path / "打印文件"),
    )


def test_every_setting_round_trips(db, tmp_path):
    defaults = settings_service.current(db)
    assert defaults == SettingsValues()
    wanted = _changed(tmp_path)
    for f in fields(SettingsValues):
        assert getattr(wanted, f.name) != getattr(defaults, f.name), f.name

    saved = settings_service.save(db, wanted)
    assert saved == wanted
    assert settings_service.current(db) == wanted
    # in the data folder's settings.json, read back by a fresh load
    raw = json.loads((data_dir() / "settings.json").read_text(encoding="utf-8"))
    for name, value in asdict(wanted).items():
        if name != "idle_lock_minutes":
            assert raw[name] == value
    assert auth.policy(db).idle_minutes == 25
    assert backup_dir() == tmp_path / "备份"

    # and back to the defaults, field by field
    for f in fields(SettingsValues):
        before = settings_service.current(db)
        after = settings_service.save(db, replace(before, **{f.name: f.default}))
        assert getattr(after, f.name) == f.default
    assert settings_service.current(db) == SettingsValues()
    assert backup_dir() == data_dir() / "backups"


def test_changes_are_audited_with_before_and_after(db, tmp_path):
    settings_service.save(db, replace(SettingsValues(), paper_size="A5", margin_mm=12))
    rows = audit_log.search(db, AuditFilter(table="settings_file")).rows
    assert rows, "no audit record of the change"
    assert rows[0].after == {"paper_size": "A5", "margin_mm": 12}
    assert rows[0].before == {"paper_size": "A4", "margin_mm": 15}


@pytest.mark.parametrize("change, field_label", [
    ({"paper_size": "A3"}, "纸张"),
    ({"margin_mm": 2}, "页边距"),
    ({"margin_mm": 31}, "页边距"),
    ({"pdf_font_path": "/nowhere/font.ttf"}, "PDF 字体"),
    ({"pdf_font_path": "/etc/hostname"}, "PDF 字体"),
    ({"backup_folder": "relative/folder"}, "备份文件夹"),
    ({"idle_lock_minutes": 100000}, ""),
])
def test_bad_values_are_refused_and_nothing_is_stored(db, change, field_label):
    with pytest.raises(ValidationError) as err:
        settings_service.save(db, replace(SettingsValues(), **change))
    assert field_label in str(err.value)
    assert settings_service.current(db) == SettingsValues()


def test_a_backup_mirror_on_the_backup_folder_itself_is_refused(db, tmp_path):
    same = str(tmp_path / "b")
    with pytest.raises(ValidationError, match="不同"):
        settings_service.save(db, replace(SettingsValues(), backup_folder=same, backup_mirror_dir=same))


def test_a_hand_edited_file_with_wrong_types_falls_back_to_defaults(db):
    (data_dir() / "settings.json").write_text(
        json.dumps({"paper_size": 4, "margin_mm": "wide", "signin_show_phones": True}), encoding="utf-8"
    )
    loaded = Settings.load()
    assert (loaded.paper_size, loaded.margin_mm, loaded.signin_show_phones) == ("A4", 15, True)


def test_only_who_may_manage_settings_can_read_or_change_them(db):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "viewer", "只读员", "viewer", PASSWORD, must_change_password=False)
    auth.login(db, "viewer", PASSWORD)
    with pytest.raises(PermissionDenied):
        settings_service.current(db)
    with pytest.raises(PermissionDenied):
        settings_service.save(db, SettingsValues())


def test_info_shows_the_data_folder_and_the_site(db):
    shown = settings_service.info(db)
    assert shown.data_folder == str(data_dir())
    assert shown.org_name == "幸福里社区党委" and shown.level_label == "社区"
    assert not shown.portable


def test_prints_may_not_go_into_the_data_folder(db):
    with pytest.raises(ValidationError, match="数据文件夹"):
        settings_service.save(db, replace(SettingsValues(), print_folder=str(data_dir() / "prints")))
