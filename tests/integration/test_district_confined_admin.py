"""An administrator confined to one street at the district: whole-database work stays the district's.

An account's role and its confinement are set apart (user add --role admin --org …).
Putting back what the trail recorded works from everyone's trail: a dry run lists
the rows an import or a package changed, of every street, by name and value, and
the trail itself (audit.read) is already the district's alone. One database: a
SQLite file, or the PostgreSQL cluster under DANGQUN_TEST_PG_URL.
"""

from __future__ import annotations

import pytest

from desktop_app.services import audit_log, auth, revert
from desktop_app.views.audit import AuditFilter
from tests.integration.test_district_roles import PASSWORD, district  # noqa: F401 - the fixture


def test_a_confined_administrator_does_not_revert_from_the_trail(district):  # noqa: F811
    db, w = district
    entry = audit_log.search(db, AuditFilter(row_id=w["b_member"])).rows[0]  # the other street's member
    auth.create_user(db, "meiyuan-admin", "梅园管理员", "admin", PASSWORD, org_id=w["a"],
                     must_change_password=False)
    auth.login(db, "meiyuan-admin", PASSWORD)
    assert not auth.can(db, "audit.read")
    assert not auth.can(db, "audit.revert")  # was: allowed, as to the district's administrator
    with pytest.raises(auth.PermissionDenied):
        revert.check_entry(db, entry.id)
    with pytest.raises(auth.PermissionDenied):
        revert.check_batch_of(db, entry.id)


def test_the_district_administrator_still_reverts(district):  # noqa: F811
    db, w = district
    entry = audit_log.search(db, AuditFilter(row_id=w["b_member"])).rows[0]
    assert auth.can(db, "audit.revert")
    with pytest.raises(revert.RevertRefused):  # the entry's own reason (a 新增 is not reverted), not the account's
        revert.check_entry(db, entry.id)
