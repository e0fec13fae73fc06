"""发展党员 page offscreen: register an applicant, advance one step from the page, print the 纪实表."""

from datetime import date

import pytest
from pypdf import PdfReader

from desktop_app.domain import development as rules
from desktop_app.gui.development.dialogs import ApplicantDialog, StepDialog
from desktop_app.gui.development.page import DevelopmentPage, details_html
from desktop_app.gui.widgets import common, forms
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import development, orgs


@pytest.fixture
def branch(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id


@pytest.fixture
def page(qtbot, app_ctx, branch, wait_ops):
    p = DevelopmentPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    wait_ops()
    return p


def test_register_then_advance_one_step(qtbot, page, branch, wait_ops, monkeypatch, qtmodeltester, shot):
    def fill(dlg):
        dlg.name.setText("周晓梅")
        dlg.applied.set_value(date.today())
        dlg.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(ApplicantDialog, "exec", fill)
    page.add_applicant()
    wait_ops()
    assert [r.name for r in page.panel.model.rows] == ["周晓梅"]
    qtmodeltester.check(page.panel.model)
    page.panel.select_id(page.panel.model.rows[0].id)
    wait_ops()
    assert page.detail is not None and page.detail.next_steps[0] == rules.TALK

    def talk(dlg):
        assert dlg.step.currentData() == rules.TALK
        assert [b.text() for b in dlg.docs] == ["谈话记录"]
        dlg.note.setPlainText("书记与本人谈话")
        dlg.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(StepDialog, "exec", talk)
    page.advance()
    wait_ops()
    (row,) = development.pipeline(page.ctx.db)
    detail = development.get(page.ctx.db, row.id)
    assert [s.step for s in detail.steps] == [rules.APPLY, rules.TALK]
    assert detail.steps[1].documents == ("谈话记录",) and detail.steps[1].note == "书记与本人谈话"

    def refused(dlg):  # an activist needs a 培养联系人: the dialog says so and stays open
        dlg.step.setCurrentIndex(dlg.step.findData(rules.MAKE_ACTIVIST))
        dlg.accept()
        qtbot.waitUntil(lambda: bool(dlg.message.text()))
        assert "培养联系人" in dlg.message.text()
        dlg.reject()
        return dlg.result()

    page.panel.select_id(row.id)
    wait_ops()
    monkeypatch.setattr(StepDialog, "exec", refused)
    page.advance()
    wait_ops()
    assert development.get(page.ctx.db, row.id).row.stage == rules.APPLICANT
    shot(page, "development_page.png")


def test_print_the_record(qtbot, page, branch, wait_ops, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    development.add_applicant(page.ctx.db, development.ApplicantInput(
        name="钱多多", org_id=branch, applied_on=date.today()))
    page.refresh()
    wait_ops()
    page.panel.select_id(page.panel.model.rows[0].id)
    wait_ops()
    out = tmp_path / "纪实表.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    page.print_record()
    wait_ops()
    assert "钱多多" in "".join(p.extract_text() for p in PdfReader(out).pages)


def test_edit_an_applicant_to_add_the_id_number(qtbot, page, branch, wait_ops, monkeypatch, shot):
    # Registered without an ID number (allowed), the person can be completed from the page: 修改信息
    # opens the form filled in, with branch and application date fixed, and saves the number.
    a = development.add_applicant(page.ctx.db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2024, 3, 1), job="护士"))
    page.refresh()
    wait_ops()
    page.panel.select_id(a.row.id)
    wait_ops()
    assert page.act_edit.isEnabled()
    assert "未填（列入党员名册前须补全：点“修改信息”）" in details_html(page.detail)
    number = "110101199003074514"

    def fill(dlg):
        assert dlg.name.text() == "周晓梅" and dlg.job.text() == "护士"
        assert not dlg.branch.isEnabled() and dlg.applied.value() == date(2024, 3, 1)
        dlg.id_number.setText(number)
        shot(dlg, "development_edit.png")
        dlg.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(ApplicantDialog, "exec", fill)
    page.edit_applicant()
    wait_ops()
    got = development.get(page.ctx.db, a.row.id)
    assert got.id_number == number and got.birth_date == date(1990, 3, 7) and got.job == "护士"
    assert number in details_html(got) and "修改信息" not in details_html(got)


def test_a_step_recorded_by_mistake_is_withdrawn_from_the_page(qtbot, page, branch, wait_ops, monkeypatch, shot):
    # 确定入党积极分子 entered by mistake: 撤销最后一步 asks, names the step and its date, and the person
    # is an 入党申请人 again; with only the application left there is nothing to withdraw, and the button says why.
    db = page.ctx.db
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2024, 3, 1)))
    development.advance(db, a.row.id, development.StepInput(rules.TALK, date(2024, 3, 5)))
    development.advance(db, a.row.id, development.StepInput(rules.MAKE_ACTIVIST, date(2024, 3, 10),
                                                            contacts="王建国"))
    page.refresh()
    wait_ops()
    page.panel.select_id(a.row.id)
    wait_ops()
    assert page.act_withdraw.isEnabled()
    asked = []
    monkeypatch.setattr(common, "ask", lambda _p, _t, text: asked.append(text) or True)
    page.withdraw_step()
    wait_ops()
    assert "确定入党积极分子" in asked[0] and "2024-03-10" in asked[0]
    assert development.get(db, a.row.id).row.stage == rules.APPLICANT
    assert page.detail is not None and page.detail.row.id == a.row.id and page.detail.steps[-1].step == rules.TALK
    shot(page, "development_withdrawn.png")
    page.withdraw_step()  # the talk
    wait_ops()
    assert not page.act_withdraw.isEnabled() and "没有可撤销" in page.act_withdraw.toolTip()


def test_the_sponsors_are_chosen_from_the_roster_and_shown_on_the_page(qtbot, page, branch, wait_ops, monkeypatch,
                                                                      shot):
    # 确定入党介绍人: two 正式党员 picked with the roster's member picker; the 支部大会 is refused until
    # they are on file, and the page then shows them on the person's file and in the 纪实.
    from tests.integration.test_development_service import VOTE, sponsor_ids, step

    db = page.ctx.db
    ids = sponsor_ids(db)
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2023, 3, 1)))
    for name, on, kw in ((rules.TALK, date(2023, 3, 20), {}), (rules.MAKE_ACTIVIST, date(2023, 5, 10),
                                                                {"contacts": "王建国"}),
                         (rules.MAKE_CANDIDATE, date(2024, 6, 1), {}), (rules.VETTING, date(2024, 7, 1), {}),
                         (rules.TRAINING, date(2024, 7, 10), {}), (rules.NOTICE, date(2024, 8, 1), {})):
        development.advance(db, a.row.id, step(name, on, **kw))
    page.refresh()
    wait_ops()
    page.panel.select_id(a.row.id)
    wait_ops()
    chosen = visit_choices(db, ids)

    def refused(dlg):  # the 支部大会 without 入党介绍人 (nor 预审): every missing step named
        dlg.step.setCurrentIndex(dlg.step.findData(rules.ADMIT))
        dlg.on.set_value(date(2024, 9, 1))
        for box, n in zip(dlg.votes, (8, 1, 0, 10)):
            box.setValue(n)
        dlg.accept()
        qtbot.waitUntil(lambda: bool(dlg.message.text()))
        assert "确定入党介绍人、上级党委预审" in dlg.message.text()
        dlg.reject()
        return dlg.result()

    monkeypatch.setattr(StepDialog, "exec", refused)
    page.advance()
    wait_ops()

    def sponsors(dlg):
        assert dlg.form.labelForField(dlg.people).text() == "入党介绍人" and not dlg.body.isVisible()
        assert dlg.people.isVisible() and not dlg.review.isVisible()
        dlg.on.set_value(date(2024, 8, 2))
        dlg.people.set_members(chosen)
        qtbot.wait(20)  # the checklist's boxes are shown by the event loop
        shot(dlg, "development_sponsors_dialog.png")

    def pre_review(dlg):
        assert dlg.review.isVisible() and not dlg.people.isVisible() and dlg.body.text() == "街道党工委"
        dlg.on.set_value(date(2024, 8, 5))

    for kind, fill in ((rules.SPONSORS, sponsors), (rules.PRE_REVIEW, pre_review)):
        def saved(dlg, kind=kind, fill=fill):
            dlg.show()  # so that the rows shown and hidden are as the secretary sees them
            dlg.step.setCurrentIndex(dlg.step.findData(kind))
            fill(dlg)
            dlg.accept()
            # a save may wait out SQLite's 15 s busy timeout on a loaded machine
            qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
            return dlg.result()

        monkeypatch.setattr(StepDialog, "exec", saved)
        page.advance()
        wait_ops()
    got = development.get(db, a.row.id)
    assert got.sponsors == "王建国、李秀英" and [s.step for s in got.steps][-2:] == [rules.SPONSORS, rules.PRE_REVIEW]
    development.advance(db, a.row.id, step(rules.ADMIT, date(2024, 9, 1), **VOTE))
    page.refresh()
    wait_ops()
    page.panel.select_id(a.row.id)
    wait_ops()
    html = details_html(page.detail)
    assert "入党介绍人：王建国、李秀英" in html and "<b>确定入党介绍人</b> 王建国、李秀英" in html
    shot(page, "development_sponsors_page.png")


def visit_choices(db, ids):
    from desktop_app.services import visits

    return visits.members_by_id(db, ids)
