"""Every table that travels by sync has a Chinese name on the sync page, conflicts and the audit trail.

The list of synced tables is read from the schema (sync.codec.synced_tables), so a
new table with SyncMixin fails here until it is named in domain/sync_rules.TABLE_LABELS.
"""

from desktop_app.domain.sync_rules import TABLE_LABELS, table_label
from desktop_app.sync.codec import synced_tables


def test_every_synced_table_has_a_chinese_label():
    missing = [t.name for t in synced_tables() if t.name not in TABLE_LABELS]
    assert not missing, f"add these tables to TABLE_LABELS in desktop_app/domain/sync_rules.py: {missing}"
    for t in synced_tables():
        label = table_label(t.name)
        assert label and label != t.name and not label.isascii(), t.name


def test_no_two_tables_share_a_label():
    names = {t.name for t in synced_tables()}
    seen: dict[str, str] = {}
    for name, label in TABLE_LABELS.items():
        if name in names:
            assert label not in seen, f"{name} and {seen.get(label)} are both called {label}"
            seen[label] = name


def test_the_assessment_tables_are_named():
    assert [table_label(t) for t in ("assessment_scheme", "assessment_indicator", "assessment_score",
                                     "assessment_evidence", "assessment_title")] == [
        "考评方案", "考评指标", "考评评分", "考评佐证材料", "支部荣誉称号"]
