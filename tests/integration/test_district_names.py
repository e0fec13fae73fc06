"""An account confined to one community at the district is told it is that community's, not the district's.

The window's title, the 工作台's 范围 and `dangqun stats` named the district while
showing one community's rows, and the 经费台账 opened the district's own (empty,
unwritable) books as if they were the operator's. One database: a SQLite file, or
the PostgreSQL cluster under DANGQUN_TEST_PG_URL.
"""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, ledger, site
from desktop_app.services.uow import UnitOfWork
from tests.integration.test_district_roles import PASSWORD, district  # noqa: F401 - the fixture

SEEN = "梅园街社区党委（梅园街道党工委）"


def _as_community_a(db, w) -> None:
    auth.create_user(db, "meiyuan-sq", "梅园社区操作员", "secretary", PASSWORD, org_id=w["a_community"],
                     must_change_password=False)
    auth.login(db, "meiyuan-sq", PASSWORD)


def _community_books(db, org_id: str) -> None:
    """The community's books as its package brings them into the district database."""
    with UnitOfWork(db) as uow:
        ledger.ensure_accounts_in(uow.session, org_id)
        uow.commit()


def test_the_site_names_the_operators_community(district):  # noqa: F811
    db, w = district
    assert site.seen_by(db).org_name == "玄武区委测试" and not site.seen_by(db).confined
    _as_community_a(db, w)
    seen = site.seen_by(db)
    assert (seen.org_name, seen.confined) == (SEEN, True)
    assert (seen.org_code, seen.level) == ("320102", "street")  # what the program does stays the database's


def test_stats_heading_names_the_operators_community(district, monkeypatch, capsys):  # noqa: F811
    from desktop_app.cli import main

    db, w = district
    _as_community_a(db, w)
    target = str(db.path) if db.path else db.url
    monkeypatch.setenv("DANGQUN_PASSWORD", PASSWORD)
    assert main(["--user", "meiyuan-sq", "stats", "--db", target]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{SEEN} "), first  # was: 玄武区委测试 …年统计, over one community's figures


def test_the_ledger_opens_the_communitys_books_read_only(district):  # noqa: F811
    db, w = district
    _community_books(db, w["a_community"])
    _community_books(db, w["b_community"])
    _as_community_a(db, w)
    assert ledger.books(db) == [(w["a_community"], "梅园街社区党委")]  # was: the district's own books first
    assert "梅园街社区党委" in ledger.own_book_refusal(db)
    accounts = ledger.list_accounts(db, book=w["a_community"])
    assert accounts
    with pytest.raises(DomainError):  # the service refuses the write whole, as before
        ledger.post_entry(db, ledger.EntryInput(account_id=accounts[0].id, entry_date=date.today(),
                                                direction="expense", amount_fen=100, memo="办公用品"))


def test_without_the_communitys_books_the_ledger_says_so(district):  # noqa: F811
    db, w = district
    _as_community_a(db, w)
    assert ledger.books(db) == []
    assert ledger.own_book_refusal(db).startswith("本账户只管“梅园街社区党委”")


def test_the_administrator_keeps_the_districts_books(district):  # noqa: F811
    db, w = district
    assert ledger.own_book_refusal(db) == ""
    assert ledger.books(db)[0] == (None, "玄武区委测试")
