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
from desktop_app.services.cobuilding import UnitInput

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
        dlg.offers.boxes["阵地"].setChecked(True)
        dlg.offers.boxes["志愿者"].setChecked(True)
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


def test_record_an_activity_with_two_units_and_twenty_residents(qtbot, app_ctx, wait_ops, town, monkeypatch,
                                                                 qtmodeltester, tmp_path):
    from PySide6.QtCore import Qt

    from desktop_app.gui.cobuilding import activities
    from desktop_app.gui.cobuilding.activity_dialog import ActivityDialog
    from desktop_app.gui.widgets.items import set_checked
    from desktop_app.services.visits import member_choices

    db = app_ctx.db
    school = cb.save_unit(db, None, UnitInput(name="实验小学", kind="学校"), TODAY).id
    page = show(qtbot, wait_ops, activities.ActivitiesPage(app_ctx))
    zhang = next(m for m in member_choices(db, "张建国") if m.id == town["zhang"])

    def fill(dlg: ActivityDialog):
        dlg.title_edit.setText("健康进社区义诊")
        forms.select(dlg.kind, "义诊")
        dlg.place.setText("社区广场")
        set_checked(dlg.orgs, town["g1"])
        set_checked(dlg.units, town["hospital"])
        set_checked(dlg.units, school)
        dlg.served.setValue(20)
        dlg.people.default_hours.setText("2.5")
        dlg.people._member_picked(zhang)
        dlg.people.volunteer.setText("小王")
        dlg.people._volunteer_added()
        model = dlg.people.model
        assert model.setData(model.index(1, 2), "3")
        assert not model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsEditable  # the kind is never typed
        model.setData(model.index(0, 1), "别人")  # a picked member keeps the name on record
        assert model.index(0, 1).data() == "张建国"
        qtmodeltester.check(model)
        shot(dlg, "activity_dialog")

    monkeypatch.setattr(ActivityDialog, "exec", exec_with(wait_ops, fill))
    page.add_activity()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.title, row.residents_served, row.people, row.hours_tenths) == ("健康进社区义诊", 20, 2, 55)
    assert row.organisers == "第一网格党支部、区人民医院、实验小学"
    qtmodeltester.check(page.panel.model)
    # a photo, shown in the details pane
    src = tmp_path / "现场.png"
    page.grab().save(str(src))
    monkeypatch.setattr(activities, "ask_photos", lambda parent: [src])
    page.add_photos()
    wait_ops()
    assert page.panel.model.rows[0].photos == 1
    wait_ops()
    assert "<img" in page.panel.details.text()
    shot(page, "activities_page")
    # the hours per person
    page.tabs.setCurrentIndex(1)
    qtmodeltester.check(page.panel.model)
    assert {(r.name, r.hours_tenths) for r in page.panel.model.rows} == {("张建国", 25), ("小王", 30)}
    out = tmp_path / "acts.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    page.print_register()
    wait_ops()
    assert out.stat().st_size > 1000
    assert Qt  # imported for the checks above


def test_log_a_reporting_members_service_hours(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester, tmp_path):
    from desktop_app.gui.cobuilding import reporting
    from desktop_app.gui.cobuilding.reporting_dialogs import ClaimDialog, ReportingDialog, ServiceDialog

    db = app_ctx.db
    cb.save_post(db, None, "健康服务岗", "每月一次健康咨询", 2, town["g1"])
    page = show(qtbot, wait_ops, reporting.ReportingPage(app_ctx))

    def register(dlg: ReportingDialog):
        dlg.name.setText("陈医生")
        forms.select(dlg.unit, town["hospital"])  # fills the employer and its party organisation
        dlg.job.setText("主治医师")
        dlg.reported.set_value(date(TODAY.year, 1, 1))
        forms.select(dlg.org, town["g1"])
        shot(dlg, "reporting_dialog")

    monkeypatch.setattr(ReportingDialog, "exec", exec_with(wait_ops, register))
    page.add_person()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.employer, row.employer_org, row.org_name) == ("区人民医院", "区人民医院党委", "第一网格党支部")
    assert page.detail is not None and page.detail.row.name == "陈医生"
    monkeypatch.setattr(ClaimDialog, "exec", exec_with(wait_ops, lambda dlg: None))
    page.claim_post()
    wait_ops()

    def service(dlg: ServiceDialog):
        dlg.content.setText("社区义诊")
        dlg.hours.setText("2.5")
        assert dlg.points.value() == 2  # a point a full hour
        assert dlg.post.currentText() == "健康服务岗"  # the post they hold comes first
        shot(dlg, "service_dialog")

    monkeypatch.setattr(ServiceDialog, "exec", exec_with(wait_ops, service))
    page.log_service()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.services, row.hours_tenths, row.points, row.posts) == (1, 25, 2, "健康服务岗")
    wait_ops()
    assert "社区义诊" in page.panel.details.text()
    qtmodeltester.check(page.panel.model)
    shot(page, "reporting_page")
    page.tabs.setCurrentIndex(1)
    wait_ops()
    qtmodeltester.check(page.panel.model)
    assert page.panel.model.rows[0].holders == ("陈医生",)
    page.tabs.setCurrentIndex(0)
    page.panel.select_id(row.id)
    wait_ops()
    out = tmp_path / "feedback.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    monkeypatch.setattr(reporting.common, "ask", lambda *a: True)
    page.print_feedback()
    wait_ops()
    assert out.stat().st_size > 1000


@pytest.mark.parametrize("name", ["units.UnitsPage", "activities.ActivitiesPage", "reporting.ReportingPage",
                                  "pairing.PairingPage", "care.CarePage", "contacts.ContactsPage",
                                  "lists.ListsPage", "joint.JointPage", "unit_reports.UnitReportsPage",
                                  "inquiries.InquiriesPage"])
def test_every_cobuilding_page_opens_on_demo_data(qtbot, empty_db, qapp, wait_ops, qtmodeltester, name):
    import importlib

    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import auth, demo, site

    make_app()
    auth.cli_actor(empty_db, None, None)
    demo.generate(empty_db, members=120, seed=4)
    module, cls = name.split(".")
    page = getattr(importlib.import_module(f"desktop_app.gui.cobuilding.{module}"), cls)(
        AppContext(db=empty_db, site=site.get_site(empty_db)))
    show(qtbot, wait_ops, page)
    for i, panel in enumerate(page.panels):
        if page.tabs is not None:
            page.tabs.setCurrentIndex(i)
        assert panel.model.rowCount() > 0
        qtmodeltester.check(panel.model)
        panel.select_id(panel.model.rows[0].id if hasattr(panel.model.rows[0], "id") else None)
        wait_ops()
        shot(page, f"demo_{module}_{i}")


def test_record_a_care_visit_and_print_its_signing_sheet(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester,
                                                          tmp_path):
    from desktop_app.gui.cobuilding.care import CareDialog, CarePage

    db = app_ctx.db
    roster.create(db, MemberInput(
        name="李老党员", org_id=town["g1"], id_number=idcard.make("320102", date(1938, 3, 4), 3, "男"), gender="男",
        birth_date=date(1938, 3, 4), joined_date=date(1960, 7, 1), confirmed_date=date(1961, 7, 1)))
    page = show(qtbot, wait_ops, CarePage(app_ctx))

    def fill(dlg: CareDialog):
        dlg.title_edit.setText("春节走访慰问老党员")
        dlg.people.items.setText("米、油")
        dlg.people.amount.setText("300")
        dlg.people.add_all()
        qtmodeltester.check(dlg.people.model)
        shot(dlg, "care_dialog")

    monkeypatch.setattr(CareDialog, "exec", exec_with(wait_ops, fill))
    page.add_care()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.people, row.amount_fen) == (1, 30000)
    qtmodeltester.check(page.panel.model)
    out = tmp_path / "sign.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: out)
    page.print_sheet()
    wait_ops()
    assert out.stat().st_size > 1000
    shot(page, "care_page")


def test_contacts_and_part_time_members_pages(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester):
    from desktop_app.gui.cobuilding.contacts import ContactDialog, ContactsPage, SeatDialog
    from desktop_app.services.visits import member_choices

    page = show(qtbot, wait_ops, ContactsPage(app_ctx))
    zhang = next(m for m in member_choices(app_ctx.db, "张建国") if m.id == town["zhang"])

    def contact(dlg: ContactDialog):
        dlg.member.set_chosen(zhang, zhang.name)
        forms.select(dlg.grid, town["g1"])
        dlg.building.setText("梅园新村3栋")

    monkeypatch.setattr(ContactDialog, "exec", exec_with(wait_ops, contact))
    page.add_contact()
    wait_ops()
    assert [(r.member_name, r.building) for r in page.panel.model.rows] == [("张建国", "梅园新村3栋")]
    qtmodeltester.check(page.panel.model)

    def seat(dlg: SeatDialog):
        dlg.name.setText("刘院长")
        forms.select(dlg.unit, town["hospital"])

    monkeypatch.setattr(SeatDialog, "exec", exec_with(wait_ops, seat))
    page.add_seat()
    wait_ops()
    page.tabs.setCurrentIndex(1)
    assert [(s.name, s.unit_name, s.level) for s in page.panel.model.rows] == [("刘院长", "区人民医院", "大党委")]
    qtmodeltester.check(page.panel.model)
    shot(page, "contacts_page")


def test_pair_a_unit_adopt_a_household_and_visit(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester):
    from desktop_app.gui.cobuilding.pairing import PairDialog, PairingPage, PairingVisitDialog, TakeOnDialog
    from desktop_app.services import residents as res

    db = app_ctx.db
    h = res.create_household(db, res.HouseholdInput(grid_id=town["g1"], building="梅园新村3栋", unit="2单元",
                                                    room="302室"))
    res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h.id))
    page = show(qtbot, wait_ops, PairingPage(app_ctx))
    monkeypatch.setattr(PairDialog, "exec", exec_with(wait_ops, lambda dlg: forms.select(dlg.unit, town["hospital"])))
    page.pair()
    wait_ops()
    assert page.detail is not None and page.detail.row.unit_name == "区人民医院"
    pick = next(p for p in res.pick_residents(db, "王秀英"))

    def adopt(dlg: TakeOnDialog):
        dlg.household.set_chosen(pick, pick.name)

    monkeypatch.setattr(TakeOnDialog, "exec", exec_with(wait_ops, adopt))
    page.adopt()
    wait_ops()

    def visit(dlg: PairingVisitDialog):
        dlg.visitors.setText("刘主任")
        dlg.content.setPlainText("上门量血压")

    monkeypatch.setattr(PairingVisitDialog, "exec", exec_with(wait_ops, visit))
    page.visit()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.households, row.visits) == (1, 1)
    wait_ops()
    assert "上门量血压" in page.panel.details.text()
    qtmodeltester.check(page.panel.model)
    shot(page, "pairing_page")


def test_three_lists_need_resource_project_claimed(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester):
    from desktop_app.domain import cobuilding as rules
    from desktop_app.gui.cobuilding.lists import ClaimProjectDialog, ListItemDialog, ListsPage

    page = show(qtbot, wait_ops, ListsPage(app_ctx))
    monkeypatch.setattr(ListItemDialog, "exec", exec_with(wait_ops, lambda dlg: dlg.title_edit.setText("楼道加装扶手")))
    page.add_item()  # on the 需求 tab
    wait_ops()
    need = page.panels[0].model.rows[0]
    assert (need.title, need.state) == ("楼道加装扶手", rules.NEED_OPEN)
    page.tabs.setCurrentIndex(1)
    monkeypatch.setattr(ListItemDialog, "exec", exec_with(wait_ops, lambda dlg: (
        dlg.title_edit.setText("医护志愿者"), forms.select(dlg.unit, town["hospital"]))))
    page.add_item()  # on the 资源 tab: the hospital offers it
    wait_ops()
    resource = page.panels[1].model.rows[0]
    page.tabs.setCurrentIndex(2)

    def project(dlg: ListItemDialog):
        dlg.title_edit.setText("老旧楼道加装扶手")
        forms.select(dlg.need, need.id)
        forms.select(dlg.resource, resource.id)

    monkeypatch.setattr(ListItemDialog, "exec", exec_with(wait_ops, project))
    page.add_item()
    wait_ops()
    assert page.detail is not None and page.detail.need_title == "楼道加装扶手"
    offered = []  # the unit whose 资源 the project uses is offered as the one that claims it
    monkeypatch.setattr(ClaimProjectDialog, "exec",
                        exec_with(wait_ops, lambda dlg: offered.append(dlg.unit.currentData())))
    page.claim()
    wait_ops()
    assert offered == [town["hospital"]]
    assert page.panels[2].model.rows[0].state == rules.PROJECT_CLAIMED
    assert page.panels[0].model.rows[0].state == rules.NEED_MATCHED
    from desktop_app.gui.widgets.dialog import DateNoteDialog

    asked = []

    def done(dlg: DateNoteDialog):
        asked.append(dlg.note)  # a project keeps no note on completion: a 说明 typed here was thrown away

    monkeypatch.setattr(DateNoteDialog, "exec", exec_with(wait_ops, done))
    page.complete()
    wait_ops()
    assert asked == [None]
    assert page.panels[2].model.rows[0].state == rules.PROJECT_DONE
    assert page.panels[0].model.rows[0].state == rules.NEED_MET
    for panel in page.panels:
        qtmodeltester.check(panel.model)
    shot(page, "lists_page")


def test_units_and_topics_of_a_joint_meeting(qtbot, app_ctx, wait_ops, town, monkeypatch, qtmodeltester):
    from desktop_app.gui.widgets.items import set_checked
    from desktop_app.gui.cobuilding.joint import JointPage, TopicDialog, UnitsAttendingDialog
    from desktop_app.services import meetings
    from desktop_app.views.meetings import MeetingInput

    meetings.plan(app_ctx.db, MeetingInput(org_id=town["community"], kind="联席会议", title="大党委联席会议",
                                           meeting_date=TODAY))
    page = show(qtbot, wait_ops, JointPage(app_ctx))
    page.panel.select_id(page.panel.model.rows[0].id)
    wait_ops()
    monkeypatch.setattr(UnitsAttendingDialog, "exec",
                        exec_with(wait_ops, lambda dlg: set_checked(dlg.units, town["hospital"])))
    page.set_units()
    wait_ops()

    def topic(dlg: TopicDialog):
        dlg.topic.setText("社区义诊常态化")
        forms.select(dlg.unit, town["hospital"])

    monkeypatch.setattr(TopicDialog, "exec", exec_with(wait_ops, topic))
    page.add_topic()
    wait_ops()
    [row] = page.panel.model.rows
    assert (row.units, row.topics) == ("区人民医院", 1)
    qtmodeltester.check(page.panel.model)
    shot(page, "joint_page")


def test_the_care_form_shows_its_amount_hint_whole(qtbot, app_ctx):
    """At 110 pixels the box showed 「默认慰问金（…」: what to type there was cut off."""
    from desktop_app.gui.cobuilding.care import CareDialog

    dlg = CareDialog(None, app_ctx.db, [], [])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    box = dlg.people.amount
    assert box.width() >= box.fontMetrics().horizontalAdvance(box.placeholderText()) + 12  # text and margins
