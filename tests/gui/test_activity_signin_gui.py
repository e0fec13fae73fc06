"""共建活动 page offscreen: 打印签到表 is there once an activity is chosen and saves the activity's sheet."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from desktop_app.gui.cobuilding.activities import ActivitiesPage
from desktop_app.gui.widgets import forms
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs

SHOTS = None  # a folder to save screenshots in while looking at the page


def test_print_the_chosen_activitys_signin_sheet(qtbot, app_ctx, wait_ops, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    today = date.today()
    a = cb.record_activity(db, cb.ActivityInput(today, "志愿服务", "楼道清洁日", place="幸福里3栋", org_ids=[community.id],
                                                people=[cb.PersonInput("志愿者", "小王"), cb.PersonInput("志愿者", "小李")]),
                           today)
    page = ActivitiesPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_ops()
    page.tabs.setCurrentIndex(1)  # a person's hours: no activity to print a sheet of
    wait_ops()
    page.panel.select_id(("志愿者", "小王"))
    wait_ops()
    assert not page.act_signin.isEnabled()
    page.tabs.setCurrentIndex(0)
    wait_ops()
    page.panel.select_id(a.id)
    wait_ops()
    assert page.act_signin.isEnabled() and page.act_signin.text() == "打印签到表"
    if SHOTS:
        page.grab().save(f"{SHOTS}/activities_signin.png")
    out = tmp_path / "sheet.pdf"
    asked = []
    monkeypatch.setattr(forms, "ask_save_path", lambda parent, title, name: asked.append(name) or out)
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    page.act_signin.trigger()
    wait_ops()
    assert asked == [f"共建活动签到表{today:%Y%m%d}楼道清洁日.pdf"]
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages)
    assert "楼道清洁日" in text and "小王" in text and "应到：2 人" in text
