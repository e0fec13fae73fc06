"""The audit trail reads as names: organisations and people, not record ids; the command line is named."""

import re

from desktop_app.services import audit_log, orgs
from desktop_app.views.audit import SYSTEM_ACTOR

UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)


def test_records_and_people_are_named(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    page = audit_log.search(db)
    row = next(r for r in page.rows if r.row_id == b.id)
    assert row.label == "第一网格党支部" or "第一网格党支部" in row.label
    shown = [str(v) for v in row.after.values()] + [str(v) for v in row.before.values()]
    assert c.name in shown or not any(k.endswith("_id") for k in row.after)
    for k, v in row.after.items():
        if k.endswith("_id") and isinstance(v, str):
            assert not UUID.fullmatch(v), (k, v)
    assert row.who == SYSTEM_ACTOR  # no one logged in: the command line or the program itself
