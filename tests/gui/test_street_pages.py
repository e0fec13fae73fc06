"""Street pages read community by community: the 经费台账 opens each community's books, 党费 lists a community's branches."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.ledger import EXPENSE
from desktop_app.gui.dues.page import DuesPage
from desktop_app.gui.ledger.page import LedgerPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import demo, ledger, site, sync
from desktop_app.store.migrate import open_database
from tests.integration.sync_world import enrol


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    """A street that merged two demo communities, each with one expense of its own."""
    folder = tmp_path_factory.mktemp("street")
    db, _ = open_database(folder / "street.db")
    site.init_site(db, "310105", "长宁街道党工委", "street")
    sync.new_key(db, folder / "street.key")
    names = {}
    for seed, fen in ((3, 12_300), (4, 45_600)):
        c, _ = open_database(folder / f"c{seed}.db")
        names[demo.generate(c, members=12, seed=seed, with_modules=False).org_name] = fen
        account = ledger.list_accounts(c)[0]
        ledger.post_entry(c, ledger.EntryInput(entry_date=date.today().replace(day=1), account_id=account.id,
                                               direction=EXPENSE, amount_fen=fen, category="活动", memo=f"社区{seed}"))
        enrol(db, c, folder, f"c{seed}")
        sync.import_package(db, sync.export_package(c, folder / f"p{seed}.dqsync").path)
        c.dispose()
    yield db, names
    db.dispose()


def test_the_street_reads_each_community_s_books_and_writes_none(qtbot, qapp, street, wait_ops):
    db, names = street
    page = LedgerPage(AppContext(db, site.get_site(db)))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_ops()
    books = [page.book.itemText(i) for i in range(page.book.count())]
    assert books[0] == "长宁街道党工委（本级）" and sorted(books[1:]) == sorted(names)
    assert page.entries_model.rowCount() == 0  # the street's own books are empty
    assert page.act_expense.isEnabled()
    for name, fen in names.items():
        page.book.setCurrentIndex(page.book.findText(name))
        wait_ops()
        assert [e.amount_fen for e in page.entries_model.rows] == [fen]
        assert not page.act_expense.isEnabled() and "只能查看" in page.act_expense.toolTip()
        assert not page.act_close.isEnabled()
        assert sum(b.expense_fen for b in page.balances_model.rows) == fen
    assert not page.grab().isNull()
    page.apply_filter(book=None)
    wait_ops()
    assert page.entries_model.rowCount() == 0 and page.act_expense.isEnabled()


def test_the_street_s_dues_page_lists_one_community_s_branches(qtbot, street, wait_ops):
    db, names = street
    page = DuesPage(AppContext(db, site.get_site(db)))
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    assert sorted(page.community.itemText(i) for i in range(1, page.community.count())) == sorted(names)
    every = page.branch.count()
    first = page.community.itemText(1)
    page.community.setCurrentIndex(1)
    wait_ops()
    mine = [page.branch.itemText(i) for i in range(page.branch.count())]
    assert 0 < len(mine) < every
    assert page.view.grid is not None and page.branch.currentData() == page.view.grid.org_id
    # the chosen branch is one of that community's
    assert all(cname == first for bid, _n, _c, cname in page.view.branches if bid == page.view.grid.org_id)
    assert not page.act_pay.isEnabled() and "街道只能查看" in page.act_base.toolTip()  # the community records its dues
    assert page.act_print.isEnabled()


def test_the_street_s_compliance_grid_names_each_community_and_shows_one(qtbot, street, wait_ops, qtmodeltester):
    from desktop_app.gui.meetings.compliance import CompliancePage

    db, names = street
    page = CompliancePage(AppContext(db, site.get_site(db)))
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    titles = [r.name for r in page.grid.rows]
    assert len(titles) == len(set(titles))  # no two identical 第一网格党支部 rows
    assert sorted(page.community.itemText(i) for i in range(1, page.community.count())) == sorted(names)
    page.community.setCurrentIndex(1)
    wait_ops()
    short = page.community.itemText(1).removesuffix("党委")
    mine = [r.name for r in page.grid.rows]
    other = page.community.itemText(2).removesuffix("党委")
    assert 0 < len(mine) < len(titles) and set(mine) <= set(titles)
    assert any(t.startswith(short) for t in mine) and not any(t.startswith(other) for t in mine)
    qtmodeltester.check(page.model)


def test_the_dues_registry_is_offered_like_every_print(qtbot, street, wait_ops, tmp_path, monkeypatch):
    from desktop_app.gui.widgets import forms

    db, _names = street
    page = DuesPage(AppContext(db, site.get_site(db)))
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.community.setCurrentIndex(1)
    wait_ops()
    named, offered = [], []
    # the kit's one save dialog, as the ledger's prints use it
    monkeypatch.setattr(forms, "ask_save_path", lambda parent, title, name, *a, **k: named.append(name)
                        or tmp_path / "登记表.pdf")
    monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: offered.append(path))
    page.print_registry()
    wait_ops(30_000)
    assert offered == [tmp_path / "登记表.pdf"] and offered[0].read_bytes().startswith(b"%PDF")
    assert page.message.text() == f"已保存登记表到 {offered[0]}"  # on one line on the page
    assert named[0].startswith(page.community.itemText(1).removesuffix("党委"))  # whose branch, in the name
