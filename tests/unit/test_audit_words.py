"""The 操作记录 page in words: every table by its Chinese name, codes by the words the pages use."""

import importlib
import pkgutil
import re
from datetime import datetime

import desktop_app.store as store
from desktop_app.store.base import Base
from desktop_app.views.audit import AuditRow, table_label


def _row(table, before, after, action="update"):
    return AuditRow("e1", datetime(2026, 3, 2, 9, 0), "", "", "s", table, "r1", "", action, "", before, after)


def test_every_table_the_trail_can_name_has_a_chinese_name():
    for mod in pkgutil.iter_modules(store.__path__):
        if mod.name.startswith("models"):
            importlib.import_module(f"desktop_app.store.{mod.name}")
    english = sorted(t for t in Base.metadata.tables if not re.search(r"[\u4e00-\u9fff]", table_label(t)))
    assert english == []  # 导出同步包 on sync_export read "sync_export" in the 对象 column


def test_a_held_meeting_reads_as_held_not_as_its_code():
    row = _row("meeting", {"status": "planned"}, {"status": "held"})
    assert row.summary == "状态：计划中 → 已召开"
    assert [(c.before, c.after) for c in row.changes()] == [("计划中", "已召开")]


def test_an_org_kind_a_role_and_a_level_read_as_words():
    assert _row("organization", {"kind": "branch"}, {"kind": "community"}).summary == "类型：党支部 → 社区党委"
    assert _row("app_user", {"role": "viewer"}, {"role": "admin"}).summary == "角色：只读 → 管理员"
    assert _row("site", {"level": "community"}, {"level": "street"}).summary == "级别：社区 → 街道"
