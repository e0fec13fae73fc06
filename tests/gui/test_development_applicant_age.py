"""登记入党申请人 with the ID number of someone under eighteen: the refusal named 出生日期, a field the form does
not have (the birth date is read from the number), so the cursor stayed where it was and the worker looked for
a field to correct. It names 公民身份号码 and the birth date read from it, and the cursor goes there; a 递交申请书
日期 after today is refused on that field as the form labels it (it was 申请日期)."""

from datetime import date, timedelta

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.development.dialogs import ApplicantDialog
from desktop_app.services import development, orgs

TODAY = date(2026, 12, 6)


@pytest.fixture
def branch(app_ctx):
    c = next(n for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
    return orgs.create(app_ctx.db, "第一网格党支部", "B01", "branch", c.id).id


def _refused(qtbot, dlg) -> str:
    dlg.message.clear()
    dlg.accept()
    qtbot.waitUntil(lambda: bool(dlg.message.text()), timeout=20_000)
    return dlg.message.text()


def test_an_applicant_under_eighteen_is_refused_on_the_id_number(qtbot, app_ctx, branch, shot):
    dlg = ApplicantDialog(None, app_ctx.db, [("第一网格党支部", branch)], branch, TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name.setText("小明")
    dlg.id_number.setText(idcard.make("310105", date(2010, 5, 1), 3, idcard.MALE))
    said = _refused(qtbot, dlg)
    assert said.startswith("公民身份号码：按号码出生于 2010-05-01") and "年满十八岁" in said
    assert dlg.focusWidget() is dlg.id_number
    shot(dlg, "applicant_minor.png")
    dlg.id_number.clear()
    dlg.applied.set_value(TODAY + timedelta(days=3))
    assert _refused(qtbot, dlg).startswith("递交申请书日期：")
    assert dlg.focusWidget() is dlg.applied or dlg.applied.isAncestorOf(dlg.focusWidget())
    dlg.asks_before_discard = False
    dlg.reject()


def test_a_birth_date_given_apart_from_the_number_is_still_refused_on_it(app_ctx, branch):
    with pytest.raises(ValidationError) as e:
        development.add_applicant(app_ctx.db, development.ApplicantInput(
            name="小明", org_id=branch, applied_on=TODAY, birth_date=date(2010, 1, 1)), today=TODAY)
    assert e.value.field == "出生日期"
