"""Pages at the turn of the year: 预算执行 opens on the year just ended in January and carries its budget into the
new one; 支部考评 opens on the year being scored until March ends; a 工作台 item opens 三会一课落实 on its year; the
发展党员工作登记簿 printed in January is the year just ended's."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.gui.ledger import page as ledger_page
from desktop_app.services import ledger

_real = dt.date


@pytest.fixture
def january(qtbot, app_ctx, wait_ops, monkeypatch):
    class Jan2(_real):
        @classmethod
        def today(cls):
            return _real(2027, 1, 2)

    monkeypatch.setattr(ledger_page, "date", Jan2)
    accounts = {a.name: a for a in ledger.list_accounts(app_ctx.db)}
    ledger.set_budget(app_ctx.db, accounts["服务群众专项经费"].id, 2026, 16_600_000, note="街道下拨")
    ledger.set_budget(app_ctx.db, accounts["服务群众专项经费"].id, 2026, 2_500_000, "慰问")
    p = ledger_page.LedgerPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.tabs.setCurrentIndex(ledger_page.TABS.index("budget"))
    p.show()
    wait_ops()
    return p


def test_january_opens_on_last_years_budget_and_carries_it_into_the_new_year(january, wait_ops, qtbot, shot):
    p = january
    assert p.budget_year.value() == 2026  # its final 预算执行, and 打印年度汇总 prints 2026
    assert [b.budget_fen for b in p.budget_model.rows] == [16_600_000, 2_500_000]
    assert p.act_carry.text() == "沿用到2027年"

    p.budget_year.setValue(2027)
    wait_ops()
    assert p.budget_model.rows == []
    assert p.budget_hint.text() == "2027年还没有设置预算：点“设置预算”逐项设置，或选2026年后点“沿用到2027年”。"
    shot(p, "ledger-budget-2027-unset.png")

    p.budget_year.setValue(2026)
    wait_ops()
    p.act_carry.trigger()
    qtbot.waitUntil(lambda: p.budget_year.value() == 2027 and len(p.budget_model.rows) == 2, timeout=20_000)
    wait_ops()
    assert [(b.year, b.category, b.budget_fen, b.note) for b in p.budget_model.rows] == [
        (2027, "", 16_600_000, "街道下拨"), (2027, "慰问", 2_500_000, "")]
    assert p.message.text() == ("已按2026年的预算设置2027年预算 2 项，合计 166,000.00 元（各账户总额；分类预算另列），"
                                "可再逐项调整。")
    assert p.budget_hint.text() == ledger_page.BUDGET_LEVELS
    assert p.act_carry.text() == "沿用到2028年"
    shot(p, "ledger-budget-2027-carried.png")


def test_carrying_again_says_there_is_nothing_left(january, wait_ops, qtbot, error_boxes):
    p = january
    ledger.carry_budgets(p.ctx.db, 2026, 2027)
    p.act_carry.trigger()
    qtbot.waitUntil(lambda: bool(error_boxes), timeout=20_000)
    assert "2027年的预算已全部设置，没有需要沿用的" in error_boxes[0]
    assert p.budget_year.value() == 2026


@pytest.mark.parametrize(("today", "year"), [(_real(2027, 3, 31), 2026), (_real(2027, 4, 1), 2027)])
def test_assessment_opens_on_the_year_being_scored(qtbot, app_ctx, wait_ops, today, year):
    from desktop_app.gui.assessment.page import AssessmentPage

    p = AssessmentPage(app_ctx, today=today)
    qtbot.addWidget(p)
    p.show()
    wait_ops()
    assert p.filter_values().year == year
    assert p.loaded_year == year


def test_a_to_do_of_last_years_meetings_opens_that_year(qtbot, app_ctx, wait_ops):
    from desktop_app.gui.meetings.compliance import CompliancePage

    p = CompliancePage(app_ctx)
    qtbot.addWidget(p)
    p.show()
    wait_ops()
    assert p.apply_filter(year=p.today.year - 1) == {"year": p.today.year - 1}
    wait_ops()
    assert p.year.value() == p.today.year - 1 and p.grid.year == p.today.year - 1


@pytest.mark.parametrize(("today", "year"), [(_real(2027, 1, 2), 2026), (_real(2027, 2, 1), 2027)])
def test_the_development_register_in_january_is_last_years(qtbot, app_ctx, wait_ops, monkeypatch, today, year):
    from desktop_app.gui.development.page import DevelopmentPage

    p = DevelopmentPage(app_ctx, today=today)
    qtbot.addWidget(p)
    wait_ops()
    asked = []
    monkeypatch.setattr(p, "print_pdf", lambda title, name, *a, **k: asked.append((title, name)))
    p.print_register()
    assert asked == [(f"打印{year}年发展党员工作登记簿", f"发展党员工作登记簿_{year}.pdf")]
