"""操作记录 shows each changed field by a Chinese name: no column of an audited table reaches the page in English."""

import re

from desktop_app.store import audit, schema  # noqa: F401  (schema: every model mapped)
from desktop_app.store.base import Base, SyncMixin
from desktop_app.views.audit import field_label

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_audited_column_has_a_chinese_label():
    english = []
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if not issubclass(model, SyncMixin) or model.__tablename__ in audit.NOT_AUDITED:
            continue
        table = mapper.local_table
        skip = audit.SKIP_COLUMNS | audit.SKIP_TABLE_COLUMNS.get(table.name, frozenset())
        english += [f"{table.name}.{c.name}" for c in table.columns
                    if c.name not in skip and not _CHINESE.search(field_label(table.name, c.name))]
    assert english == []


def test_the_check_can_fail():
    assert not _CHINESE.search(field_label("dues_rate_rule", "no_such_column"))


def test_a_sync_conflict_names_every_column_of_an_audited_table_in_chinese():
    """The conflict view shows bookkeeping the trail leaves out; it labels columns with the trail's words."""
    from desktop_app.sync.codec import synced_tables

    english = [f"{t.name}.{c.name}" for t in synced_tables() if t.name not in audit.NOT_AUDITED
               for c in t.columns if c.name != "id" and not _CHINESE.search(field_label(t.name, c.name))]
    assert english == []
    assert field_label("member", "name") == "姓名" and field_label("member", "mobile") == "手机号码"


def test_what_an_import_records_about_itself_is_named_in_chinese():
    """An entry an import or export writes by hand (audit.record(..., after={"added": 3, ...})) showed
    its own keys in English on the 操作记录 page: added, updated, branches_created."""
    import ast
    from pathlib import Path

    import desktop_app

    english = []
    for path in Path(desktop_app.__file__).parent.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "record"
                    and len(call.args) > 2 and isinstance(call.args[2], ast.Constant)):
                continue
            table = call.args[2].value
            english += [f"{path.name}:{call.lineno} {table}.{key.value}"
                        for kw in call.keywords if kw.arg in ("before", "after") and isinstance(kw.value, ast.Dict)
                        for key in kw.value.keys if isinstance(key, ast.Constant)
                        and not _CHINESE.search(field_label(table, key.value))]
    assert english == []
    assert field_label("member", "branches_created") == "新建党支部（个）"


def test_an_import_s_instant_reads_in_local_time(monkeypatch):
    # It showed as kept, in UTC and ISO: 2026-12-06T01:03:26.269138, eight hours before the entry's own time in China.
    import time

    from desktop_app.views.audit import shown_field

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert shown_field("member", "added_at", "2026-12-06T01:03:26.269138") == ("导入时间", "2026-12-06 09:03:26")
        assert shown_field("member", "added_at", "not a time") == ("导入时间", "not a time")
    finally:
        monkeypatch.undo()
        time.tzset()
