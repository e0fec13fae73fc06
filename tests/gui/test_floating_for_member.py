"""流动与失联 registers a 流出 for a member chosen elsewhere (the roster's 状态变更 sends the user here)."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.gui.memberlife.dialogs import FloatingDialog
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def test_the_outflow_form_opened_for_a_member_registers_them(qapp, app_ctx):
    db = app_ctx.db
    mid = members(db, branch(db), ["张兰", "李明"])[0]
    dlg = FloatingDialog(None, db, rules.FLOW_OUT, [], TODAY, (mid, "张兰"))
    assert dlg.picker is None and dlg.member_id() == mid
    dlg.card.setText("LD-001")
    dlg.place.setText("上海市浦东新区")
    dlg.prepare()()
    assert [(r.name, r.card_no) for r in ml.floating(db)] == [("张兰", "LD-001")]
    assert roster.get(db, mid, today=TODAY).status == m.FLOATING


def test_the_page_opens_the_form_for_the_member(qapp, app_ctx, monkeypatch):
    from desktop_app.gui.memberlife.floating_page import FloatingPage

    db = app_ctx.db
    mid = members(db, branch(db), ["张兰"])[0]
    page = FloatingPage(app_ctx)
    opened = []
    monkeypatch.setattr(page, "run_dialog", lambda dlg, message=None, keep=None: opened.append(dlg))
    page.add_out_for(mid, "张兰")
    assert [(d.direction, d.member_id()) for d in opened] == [(rules.FLOW_OUT, mid)]
