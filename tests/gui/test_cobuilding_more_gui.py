"""共驻共建 pages offscreen, second part: an activity's cost posted as a ledger voucher from its page,
问需服务 followed up onto the 需求清单, and a unit's 报到 with a 认领, a service and its 评价."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.gui.cobuilding import costs as cost_gui
from desktop_app.gui.cobuilding.activities import ActivitiesPage
from desktop_app.gui.cobuilding.inquiries import CloseInquiryDialog, InquiriesPage, InquiryDialog
from desktop_app.gui.cobuilding.unit_reports import ReportItemDialog, UnitReportDialog, UnitReportsPage
from desktop_app.gui.widgets import common, forms
from desktop_app.services import cobuilding as cb
from desktop_app.services import ledger, orgs
from desktop_app.services.cobuilding import ActivityInput, UnitInput
from tests.gui.test_cobuilding_gui import exec_with, shot, show

TODAY = date.today()


@pytest.fixture
def town(app_ctx):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    hospital = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院"), TODAY).id
    return {"community": community.id, "g1": g1, "hospital": hospital}


def test_an_activitys_cost_becomes_a_ledger_voucher(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester):
    db = app_ctx.db
    act = cb.record_activity(db, ActivityInput(TODAY, "义诊", "夏季义诊", residents_served=20, cost_fen=15_000,
                                               org_ids=[town["g1"]], unit_ids=[town["hospital"]]), TODAY)
    page = show(qtbot, wait_ops, ActivitiesPage(app_ctx))
    page.panel.select_id(act.id)
    wait_ops()

    def fill(dlg: cost_gui.CostDialog):
        dlg.amount.setText("120.50")
        dlg.counterparty.setText("康泰药房")
        dlg.memo.setText("药品")
        shot(dlg, "cost_dialog")

    monkeypatch.setattr(cost_gui.CostDialog, "exec", exec_with(wait_ops, fill))
    page.record_cost()
    wait_ops()
    wait_ops()
    [row] = page.panel.model.rows
    assert row.linked_cost_fen == 12_050
    qtmodeltester.check(page.panel.model)
    assert "费用凭证 1 张，计 120.50 元" in page.panel.details.text()
    [entry] = [e for e in ledger.list_entries(db) if e.activity_id == act.id]
    assert (entry.amount_fen, entry.memo) == (12_050, "共建活动：夏季义诊；药品")
    shot(page, "activity_costs")
    # unlinking leaves the voucher in the ledger
    monkeypatch.setattr(cost_gui.UnlinkCostDialog, "exec", exec_with(wait_ops, lambda dlg: None))
    page.unlink_cost()
    wait_ops()
    wait_ops()
    assert page.panel.model.rows[0].linked_cost_fen == 0
    assert ledger.get_entry(db, entry.id).amount_fen == 12_050


def test_an_inquiry_goes_onto_the_needs_list_and_is_settled(qtbot, app_ctx, wait_ops, town, monkeypatch,
                                                            qtmodeltester):
    page = show(qtbot, wait_ops, InquiriesPage(app_ctx))
    qtmodeltester.check(page.panel.model)

    def fill(dlg: InquiryDialog):
        dlg.unit_kind.setChecked(True)
        forms.select(dlg.unit, town["hospital"])
        dlg.asked_by.setText("李书记")
        dlg.topic.setText("共建需求")
        dlg.answer.setPlainText("希望社区提供义诊场地")
        shot(dlg, "inquiry_dialog")

    monkeypatch.setattr(InquiryDialog, "exec", exec_with(wait_ops, fill))
    page.add_inquiry()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.asked_name, row.party_kind, row.state) == ("区人民医院", "单位", "待办理")
    page.panel.select_id(row.id)
    wait_ops()
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)  # 转入需求清单 asks first
    page.to_need()
    wait_ops()
    wait_ops()
    row = page.panel.model.rows[0]
    assert row.state == "已转需求" and row.need_title == "希望社区提供义诊场地（待对接）"
    assert [n.title for n in cb.list_items(app_ctx.db, "需求")] == ["希望社区提供义诊场地"]
    page.panel.select_id(row.id)
    wait_ops()
    monkeypatch.setattr(CloseInquiryDialog, "exec",
                        exec_with(wait_ops, lambda dlg: dlg.follow_up.setPlainText("活动室每月第一周借用")))
    page.close_inquiry()
    wait_ops()
    assert page.panel.model.rows[0].state == "已办结"
    qtmodeltester.check(page.panel.model)
    shot(page, "inquiries_page")


def test_a_unit_reports_claims_serves_and_is_rated(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester):
    page = show(qtbot, wait_ops, UnitReportsPage(app_ctx))

    def report(dlg: UnitReportDialog):
        forms.select(dlg.unit, town["hospital"])
        dlg.liaison.setText("刘主任")
        dlg.phone.setText("025-84561234")
        dlg.promise.setPlainText("每季度义诊一次")
        shot(dlg, "unit_report_dialog")

    monkeypatch.setattr(UnitReportDialog, "exec", exec_with(wait_ops, report))
    page.add_report()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.unit_name, row.liaison, row.phone_masked) == ("区人民医院", "刘主任", "025****1234")
    page.panel.select_id(row.id)
    wait_ops()
    steps = iter([
        lambda dlg: dlg.title_edit.setText("社区卫生站值守"),
        lambda dlg: (dlg.title_edit.setText("义诊"), dlg.people.setValue(6), dlg.hours.setText("24")),
        lambda dlg: forms.select(dlg.grade, "优秀"),
    ])
    monkeypatch.setattr(ReportItemDialog, "exec", exec_with(wait_ops, lambda dlg: next(steps)(dlg)))
    page.add_claim()
    wait_ops()
    page.add_service()
    wait_ops()
    page.add_review()
    wait_ops()
    wait_ops()
    row = page.panel.model.rows[0]
    assert (row.claims, row.services, row.hours_tenths, row.grade) == (1, 1, 240, "优秀")
    qtmodeltester.check(page.panel.model)
    text = page.panel.details.text()
    assert "社区卫生站值守" in text and "6 人，24 小时" in text and "优秀" in text
    shot(page, "unit_reports_page")


def test_a_cost_into_a_closed_month_is_refused_in_the_dialog_and_an_expense_can_be_linked(
        qtbot, app_ctx, wait_ops, town, monkeypatch):
    from datetime import timedelta

    from desktop_app.domain.ledger import month_of

    db = app_ctx.db
    last_month = month_of(TODAY) - timedelta(days=1)
    act = cb.record_activity(db, ActivityInput(last_month, "义诊", "冬季义诊", org_ids=[town["g1"]]), TODAY)
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    paid = ledger.post_entry(db, ledger.EntryInput(TODAY, account, "支出", 5_000, memo="横幅")).entry
    ledger.post_entry(db, ledger.EntryInput(last_month, account, "支出", 100, memo="文具"))
    ledger.close_month(db, month_of(last_month), today=TODAY)
    page = show(qtbot, wait_ops, ActivitiesPage(app_ctx))
    page.panel.select_id(act.id)
    wait_ops()
    seen = {}

    def refused(dlg: cost_gui.CostDialog):
        dlg.on.set_value(last_month)
        dlg.amount.setText("50")
        dlg.accept()
        wait_ops()
        seen["message"] = dlg.message.text()
        dlg.link.setChecked(True)  # then link the expense already in the books instead
        forms.select(dlg.entry, paid.id)

    monkeypatch.setattr(cost_gui.CostDialog, "exec", exec_with(wait_ops, refused))
    page.record_cost()
    wait_ops()
    wait_ops()
    assert f"{last_month.year}年{last_month.month}月已结账" in seen["message"]
    assert page.panel.model.rows[0].linked_cost_fen == 5_000
    assert [c.entry_id for c in cb.costs_of(db, activity_id=act.id)] == [paid.id]


def test_recording_an_activity_with_a_cost_offers_the_voucher(qtbot, app_ctx, wait_ops, town, monkeypatch):
    from desktop_app.gui.cobuilding.activity_dialog import ActivityDialog
    from desktop_app.gui.widgets.items import set_checked

    page = show(qtbot, wait_ops, ActivitiesPage(app_ctx))

    def fill(dlg: ActivityDialog):
        dlg.title_edit.setText("迎新春文艺汇演")
        forms.select(dlg.kind, "文艺演出")
        set_checked(dlg.units, town["hospital"])
        dlg.cost.setText("800")

    asked = []
    monkeypatch.setattr(ActivityDialog, "exec", exec_with(wait_ops, fill))
    monkeypatch.setattr(cost_gui.common, "ask", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(cost_gui.CostDialog, "exec", exec_with(
        wait_ops, lambda dlg: seen.append(dlg.amount.text())))
    seen: list[str] = []
    page.add_activity()
    wait_ops()
    wait_ops()
    assert asked and "800.00 元还没有记入经费台账" in asked[0]
    assert seen == ["800.00"]  # the dialog starts from what is still to be booked
    [row] = page.panel.model.rows
    assert (row.cost_fen, row.linked_cost_fen) == (80_000, 80_000)
