"""矛盾调处's 打印调解协议书: greyed with the reason on a case that has no agreement, a real PDF for one closed as
调解成功; phones whole only when an account that may is asked and says so. The page's writes are marked, so
an account that only reads is not offered them."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import CaseInput, PartyInput, SessionInput
from desktop_app.gui.mediation.page import MediationPage
from desktop_app.gui.widgets import common, forms
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import auth, mediation
from tests.gui.test_service_gui import show

TODAY = date.today()
PASSWORD = "xingfuli2026"


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def _case(db, outcome: str | None):
    c = mediation.create_case(db, CaseInput(
        kind="房屋漏水", summary="楼上卫生间漏水到楼下吊顶", received_on=TODAY - timedelta(days=5), mediator="张建国",
        parties=(PartyInput("王秀英", "申请人", None, "13912345678", "梅园新村3栋302室"),
                 PartyInput("赵德明", "被申请人", None, "", "梅园新村3栋402室"))), TODAY)
    if outcome is None:
        return c
    mediation.add_session(db, c.id, SessionInput(TODAY - timedelta(days=3), "社区调解室", "张建国", "双方到场"), TODAY)
    return mediation.close_case(db, c.id, outcome, TODAY - timedelta(days=2),
                                "赵德明于本月底前赔偿800元" if outcome == flow.MEDIATION_SUCCESS else "", today=TODAY)


def _choose(page, wait_ops, case_id: str) -> None:
    page.panel.select_id(case_id)
    wait_ops()


def _text(path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(BytesIO(path.read_bytes())).pages)


def test_the_agreement_is_greyed_with_its_reason_then_printed(qtbot, app_ctx, wait_ops, monkeypatch, tmp_path, shot):
    db = app_ctx.db
    mediating, failed, success = _case(db, None), _case(db, flow.MEDIATION_FAILED), _case(db, flow.MEDIATION_SUCCESS)
    page = show(qtbot, wait_ops, MediationPage(app_ctx))
    act = page.act_agreement
    assert act.text() == "打印调解协议书"
    _choose(page, wait_ops, mediating.id)
    assert not act.isEnabled() and "调解中" in act.toolTip() and "调解成功结案后" in act.toolTip()
    _choose(page, wait_ops, failed.id)
    assert not act.isEnabled() and "调解未成功" in act.toolTip()
    _choose(page, wait_ops, success.id)
    assert act.isEnabled()
    shot(page, "mediation_agreement_action.png")
    asked = []
    monkeypatch.setattr(common, "ask", lambda *a: asked.append(a) or False)
    out = tmp_path / "agreement.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    act.trigger()
    wait_ops()
    assert str(out) in page.message.text() and "一式 3 份" in page.message.text()
    text = _text(out)
    assert "人民调解协议书" in text and f"编号：{success.case_no}" in text and "一式三份" in text
    assert len(asked) == 1 and "139****5678" in text and "13912345678" not in text  # answered 否: masked

    monkeypatch.setattr(common, "ask", lambda *a: True)
    act.trigger()
    wait_ops()
    assert "13912345678" in _text(out)


def test_a_reading_account_is_not_asked_for_whole_phones_nor_offered_the_writes(qtbot, app_ctx, wait_ops,
                                                                              monkeypatch, tmp_path):
    db = app_ctx.db
    success = _case(db, flow.MEDIATION_SUCCESS)
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    auth.login(db, "street", PASSWORD)
    page = show(qtbot, wait_ops, MediationPage(app_ctx))
    marked = {a.text(): a for a in page.toolbar.actions() if a.property("writes")}
    assert {"受理纠纷", "修改", "调解记录", "结案", "重新调解", "删除", "纠纷类型"} <= set(marked)
    assert "打印调解协议书" not in marked and "打印调解记录" not in marked  # prints only read
    _choose(page, wait_ops, success.id)
    monkeypatch.setattr(common, "ask", lambda *a: pytest.fail("a 只读 account may not print whole phones"))
    out = tmp_path / "agreement.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    page.act_agreement.trigger()
    wait_ops()
    assert "139****5678" in _text(out)
