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
