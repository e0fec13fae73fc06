"""年度党建工作台账, 经费收支汇总: 透支 printed whole, and 合计 carrying the year's budget as 年度主要数据 does."""

from __future__ import annotations

import pypdfium2 as pdfium

from desktop_app.services import overview
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts


def ledger_chapter(db):
    return {s.title: s for s in overview.annual_folder(db, 2026, today=TODAY, photos=False).sections}["经费收支汇总"]


def test_an_overdrawn_budgeted_account_prints_tou_zhi_whole(db, town):  # noqa: F811
    # 已用 150% and 透支 in the 50-point column broke as "已用 150% 透" over "支"
    rows = {r[0]: r for r in ledger_chapter(db).rows}
    assert rows["党组织活动经费"][-1] == "已用 150%\n透支"
    pdf = pdfium.PdfDocument(overview.print_annual_folder(db, 2026, today=TODAY, photos=False))
    pages = [pdf[i].get_textpage() for i in range(len(pdf))]
    (ledger_page,) = [tp for tp in pages if tp.search("经费收支汇总").get_next() and tp.search("凭证").get_next()]
    found, hits = ledger_page.search("透支"), []
    while (hit := found.get_next()) is not None:
        hits.append(hit[1])
    # the note's 年末透支账户 and the cell's, each two characters: a cut 透支 is found with the line break between
    assert hits == [2, 2]
    assert ledger_page.search("已用 150%").get_next() is not None


def test_the_total_line_carries_the_budget_of_the_figures_page(db, town):  # noqa: F811
    rows = {r[0]: r for r in ledger_chapter(db).rows}
    budget = next(f for f in overview.dashboard(db, 2026, today=TODAY).figures if f.key == "budget_fen")
    total = rows["合计（不含党费）"]
    assert total[5] == "200.00" and budget.value == 20_000  # the same 年度预算 in both places
    assert total[6] == "已用 150%"  # 300.00 spent of 200.00, the one fund that spent had a budget


def test_the_total_says_no_share_when_a_fund_spent_without_a_budget(db, town):  # noqa: F811
    from datetime import date

    from desktop_app.domain.ledger import EXPENSE
    from desktop_app.services import ledger

    other = {a.name: a.id for a in ledger.list_accounts(db)}["党建工作经费"]
    ledger.post_entry(db, ledger.EntryInput(entry_date=date(2026, 4, 1), account_id=other, direction=EXPENSE,
                                            amount_fen=5_000, category="资料", memo="资料费"))
    total = {r[0]: r for r in ledger_chapter(db).rows}["合计（不含党费）"]
    assert total[5] == "200.00" and total[6] == ""  # 350.00 against 200.00 would be a share of nothing planned
