"""A record form opened before someone else saved the same record: the save is refused inside the
dialog, with what to do, and what was typed stays in the fields (offscreen, on a real SQLite file)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QDialog

from desktop_app.domain.members import MemberInput
from desktop_app.gui.roster.member_dialog import MemberDialog
from desktop_app.gui.roster.page import RosterPage
from desktop_app.services import orgs, roster


@pytest.fixture
def zhang(app_ctx):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    return roster.create(db, MemberInput(
        name="张三", org_id=branch.id, id_number="11010519491231002X", joined_date=date(1975, 7, 1),
        confirmed_date=date(1976, 7, 1), mobile="13812345678", address="幸福里1号"))


def test_a_member_form_opened_before_anothers_save_refuses_inside_and_keeps_the_input(
        qtbot, app_ctx, zhang, monkeypatch, wait_ops):
    page = RosterPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    seen = {}

    def exec_(dlg: MemberDialog):
        # meanwhile, at another PC: the mobile changes
        other = roster.get(app_ctx.db, zhang.id)
        roster.update(app_ctx.db, zhang.id, replace(other.to_input(), mobile="13911112222"))
        dlg.set_value("address", "B改的地址")
        dlg.accept()
        wait_ops()
        seen.update(message=dlg.message.text(), shown=not dlg.message.isHidden(), result=dlg.result(),
                    address=dlg.w["address"].text(), saved=dlg.saved)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(MemberDialog, "exec", exec_)
    page.edit_member(zhang.id)
    wait_ops()

    assert seen["shown"] and "党员 张三" in seen["message"] and "你的修改没有保存" in seen["message"]
    assert seen["result"] != QDialog.DialogCode.Accepted and seen["saved"] is None
    assert seen["address"] == "B改的地址"  # what was typed is still there
    now = roster.get(app_ctx.db, zhang.id)
    assert (now.mobile, now.address) == ("13911112222", "幸福里1号")


def _refused_inside(qtbot, dlg, meanwhile, field, typed: str, wait_ops) -> None:
    """Open `dlg`, let `meanwhile` save the record elsewhere, type into `field`, press 保存: refused inside."""
    qtbot.addWidget(dlg)
    dlg.show()
    meanwhile()
    field.setText(typed)
    dlg.accept()
    wait_ops()
    assert not dlg.message.isHidden() and "你的修改没有保存" in dlg.message.text(), dlg.message.text()
    assert dlg.isVisible() and dlg.saved is None and field.text() == typed


def test_household_and_resident_forms_refuse_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    from desktop_app.gui.residents.dialogs import HouseholdDialog, ResidentDialog
    from desktop_app.services import residents
    from desktop_app.views.residents import HouseholdInput, ResidentInput

    db = app_ctx.db
    h = residents.create_household(db, HouseholdInput(building="梅园新村3栋", unit="2单元", room="302室"))
    r = residents.create_resident(db, ResidentInput(name="王秀英", household_id=h.id))
    grids = residents.grids(db)
    dlg = HouseholdDialog(None, db, grids, residents.get_household(db, h.id))
    _refused_inside(qtbot, dlg, lambda: residents.update_household(
        db, h.id, replace(residents.get_household(db, h.id).to_input(), phone="13911112222")),
        dlg.head, "王秀英", wait_ops)
    assert "住户 梅园新村3栋2单元302室" in dlg.message.text()
    dlg = ResidentDialog(None, db, grids, (), residents.get_resident(db, r.id))
    _refused_inside(qtbot, dlg, lambda: residents.update_resident(
        db, r.id, replace(residents.get_resident(db, r.id).to_input(), phone="13911113333")),
        dlg.phone, "13800000001", wait_ops)
    assert "居民 王秀英" in dlg.message.text()


def test_a_project_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    from desktop_app.domain.service_flow import ProjectInput
    from desktop_app.gui.projects.dialogs import ProjectDialog
    from desktop_app.services import projects, residents

    db, today = app_ctx.db, date(2026, 6, 15)
    p = projects.create_project(db, ProjectInput(name="楼道灯改造", category="其他", owner_name="王书记",
                                                 deadline=date(2026, 9, 1)), today)
    dlg = ProjectDialog(None, db, residents.grids(db), ("其他",), projects.get_project(db, p.id), today=today)
    _refused_inside(qtbot, dlg, lambda: projects.update_project(
        db, p.id, replace(projects.get_project(db, p.id).to_input(), notes="换LED"), today),
        dlg.owner, "李书记", wait_ops)
    assert "项目 楼道灯改造" in dlg.message.text()


def test_a_mediation_case_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    from desktop_app.domain.service_flow import CaseInput, PartyInput
    from desktop_app.gui.mediation.dialogs import CaseDialog
    from desktop_app.services import mediation, residents

    db, today = app_ctx.db, date(2026, 6, 15)
    c = mediation.create_case(db, CaseInput(kind="邻里纠纷", summary="噪音", received_on=date(2026, 6, 1),
                                            mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                       PartyInput("赵德明", "被申请人"))), today)
    dlg = CaseDialog(None, db, residents.grids(db), ("邻里纠纷",), mediation.get_case(db, c.id), today=today)
    _refused_inside(qtbot, dlg, lambda: mediation.update_case(
        db, c.id, replace(mediation.get_case(db, c.id).to_input(), summary="夜间噪音"), today),
        dlg.mediator, "李调解", wait_ops)
    assert f"调解案件 {c.case_no}" in dlg.message.text()


def test_milestone_and_mediation_session_forms_refuse_inside_when_read_before_anothers_save(
        qtbot, app_ctx, wait_ops):
    from desktop_app.domain.service_flow import CaseInput, MilestoneInput, PartyInput, ProjectInput, SessionInput
    from desktop_app.gui.mediation.dialogs import SessionDialog
    from desktop_app.gui.projects.dialogs import MilestoneDialog
    from desktop_app.services import mediation, projects

    db, today = app_ctx.db, date(2026, 6, 15)
    p = projects.create_project(db, ProjectInput(name="楼道灯改造", category="其他", owner_name="王书记",
                                                 deadline=date(2026, 9, 1)), today)
    row = projects.add_milestone(db, p.id, MilestoneInput("采购灯具", date(2026, 7, 1)), today).milestones[0]
    dlg = MilestoneDialog(None, db, p.id, row, today=today)
    _refused_inside(qtbot, dlg, lambda: projects.update_milestone(
        db, row.id, MilestoneInput("采购灯具", date(2026, 7, 1), None, "已询价"), today), dlg.note, "等报价", wait_ops)
    assert "项目节点 采购灯具" in dlg.message.text()
    c = mediation.create_case(db, CaseInput(kind="邻里纠纷", summary="噪音", received_on=date(2026, 6, 1),
                                            mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                       PartyInput("赵德明", "被申请人"))), today)
    case = mediation.add_session(db, c.id, SessionInput(date(2026, 6, 5), "调解室", "张建国", "双方陈述"), today)
    dlg = SessionDialog(None, db, case, case.sessions[0], today=today)
    _refused_inside(qtbot, dlg, lambda: mediation.update_session(
        db, case.sessions[0].id, SessionInput(date(2026, 6, 5), "调解室", "张建国", "达成初步共识"), today),
        dlg.place, "社区会议室", wait_ops)
    assert "调解记录 2026-06-05" in dlg.message.text()


def test_visit_and_wish_forms_refuse_inside_when_read_before_anothers_save(qtbot, app_ctx, zhang, wait_ops):
    from desktop_app.domain.service_flow import VisitInput, WishInput
    from desktop_app.gui.visits.dialogs import VisitDialog
    from desktop_app.gui.wishes.dialogs import WishDialog
    from desktop_app.services import residents, visits, wishes

    db, today = app_ctx.db, date(2026, 6, 15)
    grids = residents.grids(db)
    v = visits.log_visit(db, VisitInput(visit_date=date(2026, 6, 3), member_ids=(zhang.id,), visitee_name="王奶奶",
                                        raised_issue=False), today=today)
    dlg = VisitDialog(None, db, grids, (), detail=visits.get_visit(db, v.id), today=today)
    _refused_inside(qtbot, dlg, lambda: visits.update_visit(
        db, v.id, replace(visits.get_visit(db, v.id).to_input(), notes="下月再访"), today),
        dlg.others, "楼栋长老李", wait_ops)
    assert "走访 王奶奶 2026-06-03" in dlg.message.text()
    w = wishes.post_wish(db, WishInput(wisher_name="王秀英", content="一台收音机", posted_on=date(2026, 6, 1)), today)
    dlg = WishDialog(None, db, grids, wishes.get_wish(db, w.id), today=today)
    _refused_inside(qtbot, dlg, lambda: wishes.update_wish(
        db, w.id, replace(wishes.get_wish(db, w.id).to_input(), notes="独居"), today),
        dlg.background, "腿脚不便", wait_ops)
    assert f"心愿 {w.wish_no}" in dlg.message.text()


def test_a_case_form_refuses_inside_when_a_party_was_changed_meanwhile(qtbot, app_ctx, wait_ops):
    from desktop_app.domain.service_flow import CaseInput, PartyInput
    from desktop_app.gui.mediation.dialogs import CaseDialog
    from desktop_app.services import mediation, residents

    db, today = app_ctx.db, date(2026, 6, 15)
    c = mediation.create_case(db, CaseInput(kind="邻里纠纷", summary="噪音", received_on=date(2026, 6, 1),
                                            mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                       PartyInput("赵德明", "被申请人"))), today)

    def meanwhile():  # only a party's address changes; the case's own fields stay
        now = mediation.get_case(db, c.id)
        parties = (replace(now.parties[0], address="梅园新村3栋302室"), now.parties[1])
        mediation.update_case(db, c.id, replace(now.to_input(), parties=parties), today)

    dlg = CaseDialog(None, db, residents.grids(db), ("邻里纠纷",), mediation.get_case(db, c.id), today=today)
    _refused_inside(qtbot, dlg, meanwhile, dlg.mediator, "李调解", wait_ops)
    assert f"调解案件 {c.case_no}" in dlg.message.text()
    assert mediation.get_case(db, c.id).parties[0].address == "梅园新村3栋302室"


def test_an_applicant_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, zhang, wait_ops):
    from desktop_app.gui.development.dialogs import ApplicantDialog
    from desktop_app.services import development
    from desktop_app.views.development import ApplicantInput

    db, today = app_ctx.db, date(2026, 6, 15)
    inp = ApplicantInput("赵敏", zhang.org_id, date(2026, 3, 1), job="社区网格员")
    aid = development.add_applicant(db, inp, today).row.id
    dlg = ApplicantDialog(None, db, [(zhang.org_id, "第一网格党支部")], today=today,
                          applicant=development.get(db, aid, today))
    _refused_inside(qtbot, dlg, lambda: development.update_applicant(db, aid, replace(inp, mobile="13911112222"),
                                                                     today), dlg.job, "幸福里社区居委会", wait_ops)
    assert "入党申请人 赵敏" in dlg.message.text()
    assert development.get(db, aid, today).job == "社区网格员"


def test_a_care_form_refuses_inside_when_its_recipients_were_changed_meanwhile(qtbot, app_ctx, wait_ops):
    from desktop_app.gui.cobuilding.care import CareDialog
    from desktop_app.services import cobuilding as cb
    from desktop_app.services.cobuilding import CareInput, RecipientInput

    db, today = app_ctx.db, date(2026, 6, 15)
    inp = CareInput(date(2026, 1, 20), "春节", "2026年春节走访慰问", recipients=[RecipientInput("张建国", "老党员")])
    care = cb.record_care(db, inp, today)
    dlg = CareDialog(None, db, [], [], cb.get_care(db, care.id), today=today)
    more = replace(inp, recipients=[*inp.recipients, RecipientInput("王秀英", "独居老人")])
    _refused_inside(qtbot, dlg, lambda: cb.update_care(db, care.id, more, today), dlg.title_edit, "春节慰问", wait_ops)
    assert "慰问 2026年春节走访慰问" in dlg.message.text()
    assert cb.get_care(db, care.id).row.people == 2


def test_a_unit_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    from desktop_app.gui.cobuilding.units import UnitDialog
    from desktop_app.services import cobuilding as cb
    from desktop_app.services.cobuilding import UnitInput

    db, today = app_ctx.db, date(2026, 6, 15)
    inp = UnitInput(name="区人民医院", kind="医院", contact_person="刘主任")
    uid = cb.save_unit(db, None, inp, today).id
    dlg = UnitDialog(None, db, next(u for u in cb.list_units(db) if u.id == uid), today=today)
    _refused_inside(qtbot, dlg, lambda: cb.save_unit(db, uid, replace(inp, phone="025-84569999"), today),
                    dlg.contact, "王主任", wait_ops)
    assert "共建单位 区人民医院" in dlg.message.text()


def test_an_inquiry_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    from desktop_app.gui.cobuilding.inquiries import InquiryDialog
    from desktop_app.services import cobuilding as cb
    from desktop_app.services.cobuilding import InquiryInput

    db, today = app_ctx.db, date(2026, 6, 15)
    inp = InquiryInput(date(2026, 6, 1), "上门走访", "居民", asked_name="王秀英", topic="家里的灯坏了")
    iid = cb.save_inquiry(db, None, inp, today).id
    dlg = InquiryDialog(None, db, [], [], next(r for r in cb.list_inquiries(db) if r.id == iid), today=today)
    _refused_inside(qtbot, dlg, lambda: cb.save_inquiry(db, iid, replace(inp, answer="请人上门修"), today),
                    dlg.asked_by, "李书记", wait_ops)
    assert "问需 王秀英" in dlg.message.text()


def test_the_wishes_unit_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    from desktop_app.gui.wishes.dialogs import PartnerUnitDialog
    from desktop_app.services import wishes

    db = app_ctx.db
    uid = wishes.save_unit(db, None, "区人民医院", "刘主任").id
    dlg = PartnerUnitDialog(None, db, next(u for u in wishes.list_units(db) if u.id == uid))
    _refused_inside(qtbot, dlg, lambda: wishes.save_unit(db, uid, "区人民医院", "刘主任", "025-84569999"),
                    dlg.contact, "王主任", wait_ops)
    assert "共建单位 区人民医院" in dlg.message.text()


def test_a_post_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    from desktop_app.gui.cobuilding.reporting_dialogs import PostDialog
    from desktop_app.services import cobuilding as cb

    db = app_ctx.db
    pid = cb.save_post(db, None, "健康服务岗", "每月一次健康咨询", 2)
    dlg = PostDialog(None, db, [], next(p for p in cb.list_posts(db) if p.id == pid))
    _refused_inside(qtbot, dlg, lambda: cb.save_post(db, pid, "健康服务岗", "每月一次健康咨询", 3),
                    dlg.name, "健康咨询岗", wait_ops)
    assert "岗位 健康服务岗" in dlg.message.text()
