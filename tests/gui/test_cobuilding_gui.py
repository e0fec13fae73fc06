"""共驻共建 pages offscreen: register a unit, record an activity with two units and twenty residents,
log a reporting member's service hours; every table passes the model tester."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.cobuilding.units import UnitDialog, UnitsPage
from desktop_app.gui.widgets import forms
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs, roster
from desktop_app.services.cobuilding import ReportingInput, UnitInput

TODAY = date.today()
SHOTS = None  # a folder to save screenshots in while looking at the pages


@pytest.fixture
def town(app_ctx):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    zhang = roster.create(db, MemberInput(
        name="张建国", org_id=g1, id_number=idcard.make("320102", date(1960, 1, 2), 1, "男"), gender="男",
        birth_date=date(1960, 1, 2), joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1))).id
    hospital = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院", party_org="区人民医院党委",
                                                offers=["专业服务"]), TODAY).id
    return {"community": community.id, "g1": g1, "zhang": zhang, "hospital": hospital}


def show(qtbot, wait_ops, page):
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    wait_ops()
    return page


def exec_with(wait_ops, fill):
    def exec_(self):
        fill(self)
        self.accept()
        wait_ops()
        return self.result()
    return exec_


def shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(f"{SHOTS}/{name}.png")


def test_register_a_unit_from_the_page(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester, tmp_path):
    page = show(qtbot, wait_ops, UnitsPage(app_ctx))
    qtmodeltester.check(page.panel.model)

    def fill(dlg):
        dlg.name.setText("实验小学")
        forms.select(dlg.kind, "学校")
        dlg.party_org.setText("实验小学党支部")
        dlg.contact.setText("周校长")
        dlg.offers["阵地"].setChecked(True)
        dlg.offers["志愿者"].setChecked(True)
        shot(dlg, "unit_dialog")

    monkeypatch.setattr(UnitDialog, "exec", exec_with(wait_ops, fill))
    page.add_unit()
    wait_ops()
    rows = {r.name: r for r in page.panel.model.rows}
    assert (rows["实验小学"].kind, rows["实验小学"].offers) == ("学校", "阵地、志愿者")
    assert page.detail is not None and page.detail.unit.name == "实验小学"  # selected after the reload
    assert "实验小学党支部" in page.panel.details.text()
    qtmodeltester.check(page.panel.model)
    shot(page, "units_page")
    out = tmp_path / "units.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    page.print_register()
    wait_ops()
    assert out.exists() and out.stat().st_size > 1000
