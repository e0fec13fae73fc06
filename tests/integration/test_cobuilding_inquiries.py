"""问需服务 and 单位报到 on a real SQLite file: asking, answering, following up into the 需求清单; a unit's 报到,
认领, services and 评价, and its year on one page."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.services import auth, orgs
from desktop_app.services import cobuilding as cb
from desktop_app.services import residents as res
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.cobuilding import (
    ActivityInput, InquiryInput, ListInput, ReportItemInput, UnitInput, UnitReportInput,
)

TODAY = date(2026, 6, 28)


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    h = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h.id), TODAY).id
    unit = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院"), TODAY).id
    return {"community": community.id, "g1": g1, "wang": wang, "unit": unit}


# ---------------------------------------------------------------- 问需服务


def test_an_inquiry_of_a_resident_follows_up_into_the_needs_list(db, town):
    row = cb.save_inquiry(db, None, InquiryInput(date(2026, 6, 1), "上门走访", "居民", resident_id=town["wang"],
                                                 asked_name="王秀英", asked_by="李书记", topic="居家养老",
                                                 answer="楼道需要加装扶手"), TODAY)
    assert (row.state, row.grid_id) == ("待办理", town["g1"])  # the resident's grid
    row = cb.inquiry_to_need(db, row.id, TODAY)
    assert row.state == "已转需求" and row.need_title == "楼道需要加装扶手（待对接）"
    need = next(n for n in cb.list_items(db, "需求") if n.id == row.need_id)
    # 问需服务 is where it came from, not a 类别 of the list: 其他, like a visit category the list has no word for
    assert (need.category, need.grid_id) == ("其他", town["g1"]) and "王秀英" in need.detail
    with pytest.raises(ValidationError, match="已转需求"):
        cb.inquiry_to_need(db, row.id, TODAY)
    # the need's progress shows on the inquiry
    project = cb.save_item(db, None, ListInput("项目", "加装扶手", raised_on=date(2026, 6, 2), need_id=need.id), TODAY)
    assert cb.list_inquiries(db, 2026)[0].need_title == "楼道需要加装扶手（已立项）"
    cb.claim_project(db, project.id, town["unit"], date(2026, 6, 3), TODAY)
    row = cb.close_inquiry(db, row.id, "已办结", "医院志愿者上门安装", date(2026, 6, 20), TODAY)
    assert (row.state, row.follow_up, row.done_on) == ("已办结", "医院志愿者上门安装", date(2026, 6, 20))


def test_an_inquiry_of_a_unit_and_what_is_refused(db, town):
    unit_q = InquiryInput(date(2026, 5, 10), "座谈会", "单位", unit_id=town["unit"], asked_name="区人民医院",
                          topic="共建需求", answer="希望社区提供义诊场地")
    row = cb.save_inquiry(db, None, unit_q, TODAY)
    assert [r.id for r in cb.list_inquiries(db, unit_id=town["unit"])] == [row.id]
    with pytest.raises(ValidationError) as e:
        cb.save_inquiry(db, None, InquiryInput(date(2026, 5, 10), "座谈会", "单位", asked_name="某单位", topic="x"), TODAY)
    assert e.value.field == "共建单位"
    with pytest.raises(ValidationError) as e:
        cb.save_inquiry(db, None, InquiryInput(date(2026, 7, 10), "电话", "居民", asked_name="张三", topic="x"), TODAY)
    assert e.value.field == "问需日期"
    with pytest.raises(ValidationError) as e:
        cb.close_inquiry(db, row.id, "已办结", "  ", date(2026, 5, 11), TODAY)
    assert e.value.field == "办理情况"
    with pytest.raises(ValidationError) as e:
        cb.close_inquiry(db, row.id, "无需求", "暂无", date(2026, 5, 1), TODAY)
    assert e.value.field == "办结日期"  # before the inquiry
    closed = cb.close_inquiry(db, row.id, "无需求", "场地已有安排", date(2026, 5, 11), TODAY)
    assert cb.list_inquiries(db, 2026, state="无需求") == [closed]
    assert cb.list_inquiries(db, 2025) == []
    cb.delete_inquiry(db, row.id)
    assert cb.list_inquiries(db) == []
    with pytest.raises(NotFound):
        cb.delete_inquiry(db, row.id)


# ---------------------------------------------------------------- 单位报到


def test_a_units_report_with_claims_services_and_a_yearly_rating(db, town):
    rep = cb.save_unit_report(db, None, UnitReportInput(town["unit"], date(2026, 3, 5), town["community"],
                                                        "刘主任", "025-84561234", "每季度义诊一次"), TODAY)
    assert (rep.unit_name, rep.reported_on, rep.phone_masked) == ("区人民医院", date(2026, 3, 5), "025****1234")
    with pytest.raises(Conflict, match="已经报到"):
        cb.save_unit_report(db, None, UnitReportInput(town["unit"], date(2026, 4, 1)), TODAY)
    post = cb.save_post(db, None, "健康宣传员", "每月一次健康讲座", 2)
    project = cb.save_item(db, None, ListInput("项目", "老年人体检", raised_on=date(2026, 3, 1)), TODAY)
    claim = cb.add_report_item(db, rep.id, ReportItemInput("认领", date(2026, 3, 6), post_id=post), TODAY)
    assert claim.title == "健康宣传员"  # named after the post
    cb.add_report_item(db, rep.id, ReportItemInput("认领", date(2026, 3, 7), "老年人体检", list_item_id=project.id), TODAY)
    with pytest.raises(ValidationError, match="已有 2026-03-06 的记录"):  # the first item bounds the 报到 date
        cb.save_unit_report(db, rep.id, UnitReportInput(town["unit"], date(2026, 3, 8), town["community"]), TODAY)
    cb.add_report_item(db, rep.id, ReportItemInput("服务", date(2026, 4, 12), "义诊", people=6, hours_tenths=240), TODAY)
    cb.add_report_item(db, rep.id, ReportItemInput("服务", date(2026, 5, 12), "健康讲座", people=2, hours_tenths=35),
                       TODAY)
    cb.add_report_item(db, rep.id, ReportItemInput("评价", date(2026, 6, 20), "良好", year=2026), TODAY)
    cb.add_report_item(db, rep.id, ReportItemInput("评价", date(2026, 6, 25), "优秀", year=2026), TODAY)  # replaces
    cb.end_report_item(db, claim.id, date(2026, 6, 1), TODAY)
    cb.record_activity(db, ActivityInput(date(2026, 5, 20), "义诊", "夏季义诊", unit_ids=[town["unit"]]), TODAY)
    row = cb.list_unit_reports(db, 2026)[0]
    assert (row.claims, row.services, row.hours_tenths, row.activities, row.grade) == (1, 2, 275, 1, "优秀")
    page = cb.get_unit_report(db, rep.id, 2026)
    assert sorted(i.kind for i in page.items) == ["服务", "服务", "认领", "认领", "评价"]
    assert [a.title for a in page.activities] == ["夏季义诊"]
    assert cb.figures(db, 2026).units_reported == 1
    with pytest.raises(ValidationError) as e:
        cb.add_report_item(db, rep.id, ReportItemInput("服务", date(2026, 3, 1), "早于报到", people=1, hours_tenths=10),
                           TODAY)
    assert e.value.field == "日期"
    with pytest.raises(ValidationError) as e:
        cb.add_report_item(db, rep.id, ReportItemInput("评价", date(2026, 6, 25), "满分"), TODAY)
    assert e.value.field == "评价等次"
    cb.end_unit_report(db, rep.id, date(2026, 6, 27), TODAY)
    assert cb.list_unit_reports(db, 2026, serving_only=True) == []
    assert cb.list_unit_reports(db, 2027) == []
    again = cb.save_unit_report(db, None, UnitReportInput(town["unit"], date(2026, 6, 28)), TODAY)  # may report anew
    assert again.id != rep.id


def test_a_viewer_reads_but_cannot_record(db, town):
    auth.create_user(db, "look", "只读", "viewer", "pw-123456-Ab")
    auth.login(db, "look", "pw-123456-Ab")
    assert cb.list_inquiries(db) == [] and cb.list_unit_reports(db, 2026) == []
    with pytest.raises(PermissionDenied):
        cb.save_inquiry(db, None, InquiryInput(date(2026, 5, 10), "电话", "居民", asked_name="张三", topic="x"), TODAY)
    with pytest.raises(PermissionDenied):
        cb.save_unit_report(db, None, UnitReportInput(town["unit"], date(2026, 3, 5)), TODAY)


def test_the_units_page_and_printouts_carry_its_report_and_inquiries(db, town, tmp_path, monkeypatch):
    from io import BytesIO

    from pypdf import PdfReader

    from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
    from desktop_app.services import ledger

    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    rep = cb.save_unit_report(db, None, UnitReportInput(town["unit"], date(2026, 3, 5), promise="每季度义诊一次"), TODAY)
    cb.add_report_item(db, rep.id, ReportItemInput("服务", date(2026, 4, 12), "义诊", people=6, hours_tenths=240), TODAY)
    cb.add_report_item(db, rep.id, ReportItemInput("评价", date(2026, 6, 20), "优秀", year=2026), TODAY)
    cb.save_inquiry(db, None, InquiryInput(date(2026, 5, 10), "座谈会", "单位", unit_id=town["unit"],
                                           asked_name="区人民医院", topic="共建需求", answer="义诊场地"), TODAY)
    act = cb.record_activity(db, ActivityInput(date(2026, 5, 20), "义诊", "夏季义诊", org_ids=[town["g1"]],
                                               unit_ids=[town["unit"]]), TODAY)
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    cb.record_cost(db, cb.CostInput(date(2026, 5, 21), account, 12_345), activity_id=act.id, today=TODAY)
    page = cb.unit_year(db, town["unit"], 2026)
    assert page.reported == ("2026-03-05 报到；承诺：每季度义诊一次", "2026-04-12 服务：义诊，6 人，24 小时",
                             "2026年评价：优秀")
    assert page.inquiries == ("2026-05-10 共建需求：义诊场地（待办理）",)

    def text(path) -> str:
        return "".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)

    cb.print_unit_page(db, town["unit"], 2026, tmp_path / "unit.pdf", today=TODAY)
    assert "2026年评价：优秀" in text(tmp_path / "unit.pdf") and "问需服务" in text(tmp_path / "unit.pdf")
    cb.print_summary(db, 2026, tmp_path / "summary.pdf", today=TODAY)
    summary = text(tmp_path / "summary.pdf")
    assert "123.45 元" in summary and "单位报到" in summary
