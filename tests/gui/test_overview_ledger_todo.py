"""The ledger's 待办 (透支, 超出预算) open 经费台账 on that account's entries; the year's figures open them all."""

from __future__ import annotations

from tests.gui.test_overview_gui import window  # noqa: F401 - the 工作台 on the fixture with known counts
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401


def test_an_overdrawn_account_opens_its_own_entries(window, wait_ops, db, town):  # noqa: F811
    from datetime import date

    from desktop_app.domain.ledger import INCOME
    from desktop_app.services import ledger as books

    other = {a.name: a.id for a in books.list_accounts(db)}["党建工作经费"]
    books.post_entry(db, books.EntryInput(entry_date=date(2026, 3, 1), account_id=other, direction=INCOME,
                                          amount_fen=50_000, category="拨款", memo="上级拨款"))
    page = window.pages["概览"]
    page.refresh()
    wait_ops()
    items = [i for i in page.todos.items if i.kind == "ledger" and i.record_id == town["account"]]
    assert [i.text.split("：")[0] for i in items] == ["经费账户“党组织活动经费”已透支", "“党组织活动经费”超出预算"]
    for item, tab in zip(items, ("收支明细", "预算执行")):
        ledger = page.open_todo(item)
        wait_ops()
        assert window.stack.currentWidget() is ledger is window.pages["经费台账"]
        assert ledger.tabs.tabText(ledger.tabs.currentIndex()) == tab  # 超出预算: the budget beside what it spent
        assert ledger.account_filter.currentData() == town["account"]
        assert ledger.account_filter.currentText() == "党组织活动经费"  # named once the accounts arrived
        assert {r.account_name for r in ledger.entries_model.rows} == {"党组织活动经费"}
        window.go_to("概览")
        wait_ops()
    over = page.open_todo(items[1])
    wait_ops()
    line = over._selected_budget()  # the line over its budget, selected
    assert line is not None and line.account_id == town["account"] and line.spent_fen > line.budget_fen
    assert line.year == TODAY.year
    window.go_to("概览")
    wait_ops()
    (closing,) = [i for i in page.todos.items if i.kind == "ledger" and "尚未结账" in i.text]
    assert page.open_todo(closing).account_filter.currentData() is None  # the whole books, not the last account
    window.go_to("概览")
    page.open_todo(items[0])
    window.go_to("概览")
    page.tile_of["spending_fen"].click()  # the year's 经费支出: every account again
    wait_ops()
    ledger = window.pages["经费台账"]
    assert ledger.account_filter.currentData() is None
    assert ledger.tabs.tabText(ledger.tabs.currentIndex()) == "收支明细"  # not the 预算执行 a to-do left open
    assert {r.account_name for r in ledger.entries_model.rows} == {"党组织活动经费", "党建工作经费"}
    window.go_to("概览")
    page.tile_of["budget_fen"].click()  # the year's 预算: 预算执行
    wait_ops()
    assert ledger.tabs.tabText(ledger.tabs.currentIndex()) == "预算执行"
    assert ledger.budget_year.value() == TODAY.year
