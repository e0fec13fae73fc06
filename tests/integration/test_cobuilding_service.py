"""共驻共建 services on real SQLite files: units, activities with hours, the 双报到 register and its printouts."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs, roster, wishes
from desktop_app.services.cobuilding import ActivityInput, PersonInput, ReportingInput, ServiceInput, UnitInput

TODAY = date(2026, 6, 28)


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    zhang = roster.create(db, MemberInput(
        name="张建国", org_id=g1, id_number=idcard.make("320102", date(1960, 1, 2), 1, "男"), gender="男",
        birth_date=date(1960, 1, 2), joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)), TODAY).id
    hospital = cb.save_unit(db, None, UnitInput(
        name="区人民医院", kind="医院", party_org="区人民医院党委", contact_person="刘主任", phone="025-84561234",
        address="中山路8号", joined_on=date(2024, 3, 1), offers=["专业服务", "志愿者"]), TODAY)
    school = cb.save_unit(db, None, UnitInput(name="实验小学", kind="学校", offers=["阵地"]), TODAY)
    return {"community": community.id, "g1": g1, "zhang": zhang, "hospital": hospital.id, "school": school.id}


def _text(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)


# ---------------------------------------------------------------- units


def test_register_a_unit_with_its_kind_party_org_and_offers(db, town):
    units = {u.name: u for u in cb.list_units(db, year=2026)}
    h = units["区人民医院"]
    assert (h.kind, h.party_org, h.joined_on, h.offers) == ("医院", "区人民医院党委", date(2024, 3, 1), "专业服务、志愿者")
    assert [u.name for u in cb.list_units(db, kind="学校")] == ["实验小学"]
    # the same rows are the claimants 微心愿 offers
    assert {u.name for u in wishes.list_units(db)} == {"区人民医院", "实验小学"}
    with pytest.raises(ValidationError) as e:
        cb.save_unit(db, None, UnitInput(name="区人民医院"), TODAY)
    assert e.value.field == "单位名称"
    with pytest.raises(ValidationError):
        cb.save_unit(db, None, UnitInput(name="某单位", kind="外星机构"), TODAY)
    edited = cb.save_unit(db, town["school"], UnitInput(name="实验小学", kind="学校", address="学府路1号"), TODAY)
    assert edited.address == "学府路1号"


def _activity(town, **kw) -> ActivityInput:
    values = dict(activity_date=date(2026, 5, 20), kind="义诊", title="夏季义诊", place="社区广场",
                  residents_served=20, org_ids=[town["g1"]], unit_ids=[town["hospital"], town["school"]],
                  people=[PersonInput("党员", "张建国", 25, member_id=town["zhang"]), PersonInput("志愿者", "小王", 30)])
    values.update(kw)
    return ActivityInput(**values)


def test_an_activity_with_two_units_adds_up_hours_per_person(db, town):
    a = cb.record_activity(db, _activity(town), TODAY)
    assert a.row.organisers == "第一网格党支部、区人民医院、实验小学"
    assert (a.row.people, a.row.hours_tenths, a.row.residents_served) == (2, 55, 20)
    cb.record_activity(db, _activity(town, activity_date=date(2026, 6, 1), kind="法律进社区", title="法律讲座",
                                     unit_ids=[town["school"]], people=[PersonInput("党员", "张建国", 15,
                                                                                    member_id=town["zhang"])]), TODAY)
    hours = {v.name: (v.activities, v.hours_tenths) for v in cb.volunteer_hours(db, 2026)}
    assert hours == {"张建国": (2, 40), "小王": (1, 30)}
    page = cb.unit_year(db, town["hospital"], 2026)
    assert [x.title for x in page.activities] == ["夏季义诊"]
    assert cb.unit_year(db, town["school"], 2026).unit.activities == 2
    assert cb.unit_year(db, town["school"], 2025).activities == ()
    figs = cb.figures(db, 2026)
    assert (figs.activities, figs.four_into, figs.residents_served, figs.units_active) == (2, 1, 40, 2)
    cb.record_activity(db, _activity(town, kind="文化进社区", title="读书会", residents_served=5,
                                     people=[]), TODAY)
    assert cb.figures(db, 2026).four_into == 2  # a count, not a yes/no
    # editing drops a unit and a person; the register follows
    cb.update_activity(db, a.id, _activity(town, unit_ids=[town["hospital"]], people=[PersonInput("志愿者", "小王", 40)]),
                       TODAY)
    assert cb.get_activity(db, a.id).units == ((town["hospital"], "区人民医院"),)
    assert {v.name: v.hours_tenths for v in cb.volunteer_hours(db, 2026)} == {"小王": 40, "张建国": 15}
    cb.delete_activity(db, a.id)
    assert len(cb.list_activities(db, 2026)) == 2


def test_an_activity_needs_an_organiser_and_sane_hours(db, town):
    with pytest.raises(ValidationError) as e:
        cb.record_activity(db, _activity(town, org_ids=[], unit_ids=[]), TODAY)
    assert e.value.field == "组织单位"
    with pytest.raises(ValidationError):
        cb.record_activity(db, _activity(town, people=[PersonInput("志愿者", "小王", 300)]), TODAY)
    with pytest.raises(ValidationError):
        cb.record_activity(db, _activity(town, activity_date=date(2026, 7, 1)), TODAY)
    assert cb.list_activities(db, 2026) == []


def test_photos_are_kept_with_the_activity(db, town, tmp_path):
    a = cb.record_activity(db, _activity(town), TODAY)
    src = tmp_path / "义诊现场.jpg"
    src.write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    photo = cb.add_photo(db, a.id, src)
    assert cb.photo_path(db, photo.id).read_bytes() == src.read_bytes()
    assert cb.get_activity(db, a.id).row.photos == 1
    cb.remove_photo(db, photo.id)
    assert cb.get_activity(db, a.id).photos == ()


# ---------------------------------------------------------------- 双报到


def _reporter(db, town, name="陈医生", **kw):
    values = dict(name=name, gender="女", mobile="13812345678", employer="区人民医院", employer_org="区人民医院党委",
                  unit_id=town["hospital"], job="主治医师", reported_on=date(2026, 3, 5), org_id=town["g1"],
                  skills="健康咨询")
    values.update(kw)
    return cb.register_reporting(db, ReportingInput(**values), TODAY)


def test_reporting_member_logs_services_with_hours_and_points(db, town):
    r = _reporter(db, town)
    assert r.row.mobile_masked != "13812345678" and r.row.from_roster is False
    pid = cb.save_post(db, None, "健康服务岗", "每月一次健康咨询", 2, town["g1"])
    cb.claim_post(db, pid, r.id, date(2026, 3, 10), TODAY)
    with pytest.raises(Conflict):
        cb.claim_post(db, pid, r.id, date(2026, 3, 11), TODAY)
    cb.log_service(db, r.id, ServiceInput(date(2026, 4, 2), "社区义诊", 25, post_id=pid), TODAY)
    cb.log_service(db, r.id, ServiceInput(date(2026, 5, 2), "健康讲座", 30, points=5), TODAY)
    with pytest.raises(ValidationError) as e:
        cb.log_service(db, r.id, ServiceInput(date(2026, 3, 1), "报到前", 10), TODAY)
    assert e.value.field == "服务日期"
    d = cb.get_reporting(db, r.id, 2026)
    assert (d.row.services, d.row.hours_tenths, d.row.points, d.row.posts) == (2, 55, 7, "健康服务岗")
    assert [s.post_name for s in d.services] == ["", "健康服务岗"]
    assert cb.list_posts(db)[0].holders == ("陈医生",)
    page = cb.unit_year(db, town["hospital"], 2026)
    assert (page.service_count, page.service_hours_tenths, [p.name for p in page.reporting]) == (2, 55, ["陈医生"])
    with pytest.raises(Conflict):
        cb.delete_unit(db, town["hospital"])
    cb.end_reporting(db, r.id, date(2026, 6, 1), "调往外区", TODAY)
    assert cb.list_posts(db)[0].holders == ()
    forms = cb.feedback_forms(db, 2026)
    assert [(f.employer, f.employer_org, [p.name for p in f.people]) for f in forms] == [
        ("区人民医院", "区人民医院党委", ["陈医生"])]
    assert forms[0].people[0].hours_tenths == 55


def test_printouts_carry_the_year(db, town, tmp_path):
    r = _reporter(db, town)
    cb.log_service(db, r.id, ServiceInput(date(2026, 4, 2), "社区义诊", 25), TODAY)
    cb.record_activity(db, _activity(town), TODAY)
    out = tmp_path / "units.pdf"
    assert cb.print_unit_register(db, 2026, out, today=TODAY) == 2
    assert "区人民医院党委" in _text(out)
    out = tmp_path / "acts.pdf"
    assert cb.print_activity_register(db, 2026, out, today=TODAY) == 1
    text = _text(out)
    assert "夏季义诊" in text and "小王" in text
    out = tmp_path / "feedback.pdf"
    assert cb.print_feedback_forms(db, 2026, out, today=TODAY) == 1
    text = _text(out)
    assert "陈医生" in text and "社区义诊" in text
    out = tmp_path / "reg.pdf"
    assert cb.print_reporting_register(db, 2026, out, today=TODAY) == 1
    assert "13812345678" not in _text(out)
    out = tmp_path / "summary.pdf"
    assert cb.print_summary(db, 2026, out, today=TODAY).activities == 1
    assert "区人民医院" in _text(out)
    out = tmp_path / "unit.pdf"
    assert cb.print_unit_page(db, town["hospital"], 2026, out, today=TODAY) == "区人民医院"


def test_a_post_claim_ends_once_between_its_start_and_today(db, town):
    from desktop_app.domain.errors import NotFound

    r = _reporter(db, town)
    pid = cb.save_post(db, None, "文明劝导岗", "", 2, town["g1"])
    cb.claim_post(db, pid, r.id, date(2026, 3, 10), TODAY)
    claim = cb.get_reporting(db, r.id, 2026).claims[0]
    for on in (date(2026, 3, 9), date(2026, 7, 1), None):  # before the claim, after today, none
        with pytest.raises(ValidationError) as e:
            cb.end_claim(db, claim.id, on, TODAY)
        assert e.value.field == "结束日期"
    cb.end_claim(db, claim.id, date(2026, 6, 1), TODAY)
    assert cb.get_reporting(db, r.id, 2026).claims[0].ended_on == date(2026, 6, 1)
    with pytest.raises(NotFound):
        cb.end_claim(db, claim.id, date(2026, 6, 2), TODAY)
    assert cb.list_posts(db)[0].holders == ()
