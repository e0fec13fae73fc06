"""问需服务's figures count every state: 已办结 and 无需求 too, so the year's inquiries add up to the total."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.inquiries import InquiriesPage
from desktop_app.services import cobuilding as cb
from tests.gui.test_cobuilding_gui import show


def test_the_counts_name_every_state_and_add_up(qtbot, app_ctx, wait_ops):
    db, today = app_ctx.db, date.today()

    def asked(name: str):
        return cb.save_inquiry(db, None, cb.InquiryInput(today, "电话", "居民", asked_name=name, topic="停车难",
                                                         answer="晚上车位不够"), today)

    asked("张三")
    asked("李四")
    cb.inquiry_to_need(db, asked("王五").id, today)
    cb.close_inquiry(db, asked("赵六").id, rules.INQUIRY_DONE, "已协调临时车位", today, today)
    cb.close_inquiry(db, asked("钱七").id, rules.INQUIRY_NONE, "暂无需求", today, today)
    page = show(qtbot, wait_ops, InquiriesPage(app_ctx))
    # it said 问需 5 次，待办理 2，已转需求 1: the two settled ones were nowhere
    assert page.counts.text() == "问需 5 次：待办理 2，已转需求 1，已办结 1，无需求 1"


def test_putting_an_inquiry_on_the_needs_list_asks_first(qtbot, app_ctx, wait_ops, monkeypatch):
    """转入需求清单 cannot be taken back from the inquiry (it stays 已转需求), so a slip of the mouse asks first."""
    from desktop_app.gui.widgets import common

    db, today = app_ctx.db, date.today()
    row = cb.save_inquiry(db, None, cb.InquiryInput(today, "电话", "居民", asked_name="张三", topic="停车难",
                                                    answer="晚上车位不够"), today)
    page = show(qtbot, wait_ops, InquiriesPage(app_ctx))
    page.panel.select_id(row.id)
    wait_ops()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    page.to_need()
    wait_ops()
    assert "晚上车位不够" in asked[0] and "需求清单" in asked[0]
    assert cb.list_inquiries(db)[0].state == rules.INQUIRY_OPEN and cb.list_items(db, "需求") == []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    page.to_need()
    wait_ops()
    wait_ops()
    assert cb.list_inquiries(db)[0].state == rules.INQUIRY_TO_NEED
    assert [n.title for n in cb.list_items(db, "需求")] == ["晚上车位不够"]
