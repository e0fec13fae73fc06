"""A street's operator at the district reads what the district's administrator has not opened yet.

Reads such as `dangqun stats` and the 经费台账 seed the district's own default
accounts on first use; an operator confined to one street may not write the
district's rows, so that seeding refused the whole read. One database: a SQLite
file, or the PostgreSQL cluster under DANGQUN_TEST_PG_URL.
"""

from __future__ import annotations

from desktop_app.services import ledger
from tests.integration.test_district_roles import YEAR, _as_street_a, district  # noqa: F401 - the fixture


def test_the_street_operator_reads_the_ledger_before_the_administrator_has_opened_it(district):  # noqa: F811
    db, _ = district
    _as_street_a(db)
    summary = ledger.yearly_statement(db, YEAR)  # was: OutOfScope “经费账户”中有属于其他单位或未指定单位的记录
    assert summary.lines == () or list(summary.lines) == []
