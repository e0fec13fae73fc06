"""发展党员 from 入党申请书 to 转正 on a real database: each step refused when a rule forbids it,
the roster gaining a 预备党员 on approval and a 正式党员 on the day probation ends; the PDFs."""

from datetime import date

import pytest
from pypdf import PdfReader

from desktop_app.domain import development as d
from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth, development, orgs, roster
from desktop_app.services.auth import PermissionDenied

TODAY = date(2026, 6, 1)


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    orgs.create(db, "第一党小组", "G01", "group", b.id)
    return b.id


def step(name, on, **kw):
    return development.StepInput(step=name, done_on=on, documents=d.step_kind(name).documents, **kw)


VOTE = {"votes_for": 8, "votes_against": 1, "votes_abstain": 0, "voters_expected": 10}


def test_from_application_to_confirmation(db, branch, tmp_path):
    number = idcard.make("320102", date(1998, 4, 2), 7, idcard.FEMALE)
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2023, 3, 1), id_number=number, education="本科",
        job="社区卫生服务中心护士", mobile="13912345678"), today=TODAY)
    assert a.row.stage == d.APPLICANT and a.birth_date == date(1998, 4, 2) and a.row.gender == "女"
    assert [s.step for s in a.steps] == [d.APPLY]
    aid = a.row.id
    development.advance(db, aid, step(d.TALK, date(2023, 3, 20), note="书记谈话"), today=TODAY)
    with pytest.raises(ValidationError) as e:
        development.advance(db, aid, step(d.MAKE_ACTIVIST, date(2023, 5, 10)), today=TODAY)
    assert e.value.field == "培养联系人"
    development.advance(db, aid, step(d.MAKE_ACTIVIST, date(2023, 5, 10), contacts="王建国、李秀英"), today=TODAY)
    development.advance(db, aid, step(d.REPORT, date(2023, 8, 1)), today=TODAY)
    with pytest.raises(ValidationError):  # less than a year as activist
        development.advance(db, aid, step(d.MAKE_CANDIDATE, date(2024, 5, 9)), today=TODAY)
    development.advance(db, aid, step(d.MAKE_CANDIDATE, date(2024, 6, 1)), today=TODAY)
    for name, on in ((d.VETTING, date(2024, 7, 1)), (d.TRAINING, date(2024, 7, 10))):
        development.advance(db, aid, step(name, on), today=TODAY)
    development.advance(db, aid, step(d.PRE_REVIEW, date(2024, 7, 20), result="合格"), today=TODAY)
    development.advance(db, aid, step(d.NOTICE, date(2024, 8, 1)), today=TODAY)
    with pytest.raises(ValidationError) as e:  # no 入党介绍人 on file: named, as the other missing steps are
        development.advance(db, aid, step(d.ADMIT, date(2024, 9, 1), **VOTE), today=TODAY)
    assert "提交支部大会前还需登记：确定入党介绍人" in str(e.value)
    sponsors = sponsor_ids(db)
    with pytest.raises(ValidationError) as e:  # two, not one
        development.advance(db, aid, step(d.SPONSORS, date(2024, 8, 1), people=sponsors[:1]), today=TODAY)
    assert e.value.field == "入党介绍人"
    named = development.advance(db, aid, step(d.SPONSORS, date(2024, 8, 1), people=sponsors), today=TODAY)
    assert named.sponsors == "王建国、李秀英" and named.steps[-1].body == "王建国、李秀英"
    with pytest.raises(ValidationError) as e:
        development.advance(db, aid, step(d.ADMIT, date(2024, 9, 1), votes_for=5, voters_expected=10), today=TODAY)
    assert e.value.field == "表决"
    development.advance(db, aid, step(d.ADMIT, date(2024, 9, 1), **VOTE), today=TODAY)
    got = development.advance(db, aid, step(d.APPROVE, date(2024, 10, 8), document_no="梅党〔2024〕12号"),
                              today=TODAY)
    assert got.row.stage == d.PROBATIONARY and got.member_id and got.probation_end == date(2025, 9, 1)
    m = roster.get(db, got.member_id)
    assert (m.category, m.joined_date, m.name) == ("预备党员", date(2024, 9, 1), "周晓梅")
    assert any(r.text.startswith(d.OATH) for r in got.reminders)
    sworn = development.advance(db, aid, step(d.OATH, date(2024, 11, 1)), today=TODAY)
    assert not any(r.text.startswith(d.OATH) for r in sworn.reminders)
    with pytest.raises(ValidationError):  # before the probation ends
        development.advance(db, aid, step(d.CONFIRM, date(2025, 8, 1), **VOTE), today=TODAY)
    # the 支部大会 meets a fortnight after the probation ended; 转正 counts from its end all the same
    done = development.advance(db, aid, step(d.CONFIRM, date(2025, 9, 15), **VOTE), today=TODAY)
    assert done.row.stage == d.FULL and done.reminders == () and done.next_steps == (d.CONFIRM_APPROVE,)
    m = roster.get(db, got.member_id)
    assert (m.category, m.confirmed_date) == ("正式党员", date(2025, 9, 1))
    approved = development.advance(db, aid, step(d.CONFIRM_APPROVE, date(2025, 10, 20)), today=TODAY)
    assert [s.step for s in approved.steps][-2:] == [d.CONFIRM, d.CONFIRM_APPROVE] and approved.next_steps == ()
    assert development.pipeline(db, branch, today=TODAY) == []  # no longer on the way
    assert [r.name for r in development.pipeline(db, branch, stage=d.FULL, today=TODAY)] == ["周晓梅"]

    reg = development.register(db, 2024, today=TODAY)
    assert [p.row.name for p in reg.people] == ["周晓梅"]
    out = tmp_path / "登记簿.pdf"
    development.print_register(db, 2024, out, today=TODAY)
    assert "发展党员工作登记簿" in "".join(p.extract_text() for p in PdfReader(out).pages)
    development.print_register(db, 2025, out, today=TODAY)  # the 转正 column: from the probation's end
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "2025-09-01" in text and "2025-09-15" not in text
    rec = tmp_path / "纪实表.pdf"
    development.print_record(db, aid, rec, today=TODAY)
    text = "".join(p.extract_text() for p in PdfReader(rec).pages).replace("\n", "")
    assert "周晓梅" in text and "支部大会讨论接收" in text
    assert "入党介绍人：王建国、李秀英" in text and "上级党委预审" in text and "入党宣誓" in text


def sponsor_ids(db):
    """Two 正式党员 of a neighbouring branch, so the applicant's branch's vote is not checked against them."""
    from tests.party_people import branch as new_branch
    from tests.party_people import members

    return tuple(members(db, new_branch(db, "第二网格党支部", "B02"), ["王建国", "李秀英"]))


def test_sponsors_and_contacts_come_from_the_roster_as_full_members(db, branch):
    from tests.party_people import members

    a = development.add_applicant(db, development.ApplicantInput(
        name="钱多多", org_id=branch, applied_on=date(2023, 3, 1)), today=TODAY)
    development.advance(db, a.row.id, step(d.TALK, date(2023, 3, 20)), today=TODAY)
    (contact,) = members(db, branch, ["赵红"])
    got = development.advance(db, a.row.id, step(d.MAKE_ACTIVIST, date(2023, 5, 10), people=(contact,)),
                              today=TODAY)
    assert got.row.contacts == "赵红"  # chosen from the roster: the name as the roster spells it
    development.advance(db, a.row.id, step(d.MAKE_CANDIDATE, date(2024, 6, 1)), today=TODAY)
    new = roster.create(db, development.MemberInput(
        name="孙新", org_id=branch, joined_date=date(2025, 9, 1), category="预备党员",
        id_number=idcard.make("320102", date(1990, 1, 1), 3, idcard.MALE)), today=TODAY).id
    with pytest.raises(ValidationError) as e:  # a 预备党员 introduces no one (党章 art. 5)
        development.advance(db, a.row.id, step(d.SPONSORS, date(2024, 6, 5), people=(contact, new)), today=TODAY)
    assert e.value.field == "入党介绍人" and "孙新（预备党员）" in str(e.value)
    with pytest.raises(ValidationError) as e:  # one member chosen twice is one
        development.advance(db, a.row.id, step(d.SPONSORS, date(2024, 6, 5), people=(contact, contact)),
                            today=TODAY)
    assert "两名" in str(e.value)
    assert development.get(db, a.row.id, TODAY).sponsors == ""  # nothing written by the refusals


def test_extension_and_cancellation_and_reminders(db, branch):
    a = development.add_applicant(db, development.ApplicantInput(
        name="钱多多", org_id=branch, applied_on=date(2026, 4, 1)), today=TODAY)
    rows = development.pipeline(db, today=TODAY)
    assert rows[0].overdue == 1 and rows[0].next_due == date(2026, 5, 1)  # the talk within a month
    with pytest.raises(ValidationError) as e:
        development.add_applicant(db, development.ApplicantInput(
            name="小明", org_id=branch, applied_on=date(2026, 4, 1), birth_date=date(2010, 1, 1)), today=TODAY)
    assert e.value.field == "出生日期"
    assert a.next_steps[0] == d.TALK


def test_the_pipeline_needs_its_rights(db, branch):
    auth.create_first_admin(db, "admin", "王书记", "pw-123456-ok")
    auth.create_user(db, "viewer", "只读小王", "viewer", "pw-123456-ok")
    auth.login(db, "viewer", "pw-123456-ok")
    assert development.pipeline(db) == []
    with pytest.raises(PermissionDenied):
        development.add_applicant(db, development.ApplicantInput(name="甲", org_id=branch,
                                                                 applied_on=date(2026, 1, 1)))


def test_an_applicant_registered_without_an_id_number_is_completed_and_approved(db, branch):
    # The 入党申请书 may come before the ID card; the 上级党委审批 that puts the person on the
    # roster needs it, and says where to add it (修改信息), which then lets the approval through.
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2023, 3, 1)), today=TODAY)
    aid = a.row.id
    for name, on, kw in ((d.TALK, date(2023, 3, 20), {}), (d.MAKE_ACTIVIST, date(2023, 5, 10), {"contacts": "王建国"}),
                         (d.MAKE_CANDIDATE, date(2024, 6, 1), {}), (d.SPONSORS, date(2024, 6, 5),
                                                                     {"people": sponsor_ids(db)}),
                         (d.VETTING, date(2024, 7, 1), {}), (d.TRAINING, date(2024, 7, 10), {}),
                         (d.PRE_REVIEW, date(2024, 7, 20), {"result": "合格"}), (d.NOTICE, date(2024, 8, 1), {}),
                         (d.ADMIT, date(2024, 9, 1), VOTE)):
        development.advance(db, aid, step(name, on, **kw), today=TODAY)
    with pytest.raises(ValidationError) as e:
        development.advance(db, aid, step(d.APPROVE, date(2024, 10, 8)), today=TODAY)
    assert e.value.field == "公民身份号码" and "修改信息" in e.value.message
    with pytest.raises(ValidationError) as e:
        development.update_applicant(db, aid, development.ApplicantInput(
            name="周晓梅", org_id=branch, applied_on=None, id_number="320102199804021234"), today=TODAY)
    assert e.value.field == "公民身份号码"  # a wrong check digit is refused, not stored
    number = idcard.make("320102", date(1998, 4, 2), 7, idcard.FEMALE)
    got = development.update_applicant(db, aid, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=None, id_number=number, mobile="13912345678"), today=TODAY)
    assert (got.id_number, got.birth_date, got.row.gender) == (number, date(1998, 4, 2), "女")
    assert got.row.applied_on == date(2023, 3, 1) and len(got.steps) == 10
    masked = development.update_applicant(db, aid, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=None, id_number=idcard.mask(number),
        mobile=idcard.mask_phone("13912345678"), job="护士"), today=TODAY)
    assert masked.id_number == number and masked.job == "护士"  # a masked number as shown keeps the stored one
    approved = development.advance(db, aid, step(d.APPROVE, date(2024, 10, 8)), today=TODAY)
    assert approved.row.stage == d.PROBATIONARY and roster.get(db, approved.member_id).id_number == number


def test_the_register_lists_branches_in_the_center_s_order_and_counts_stages_in_their_order(db, branch):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    others = [orgs.create(db, f"第{i}网格党支部", f"B1{i}", "branch", c.id).id for i in range(2, 8)]
    branches = [branch, *others]
    for i, org_id in enumerate(branches):
        a = development.add_applicant(db, development.ApplicantInput(
            name=f"申请人{i}", org_id=org_id, applied_on=date(2025, 3, 1)), today=TODAY)
        if i == 0:  # the first branch's applicant has gone on: its stage comes first in the old tally
            development.advance(db, a.row.id, step(d.TALK, date(2025, 3, 20)), today=TODAY)
            development.advance(db, a.row.id, step(d.MAKE_ACTIVIST, date(2025, 5, 10), contacts="王建国、李秀英"),
                                today=TODAY)
    reg = development.register(db, 2025, today=TODAY)
    tree_order = [n.id for n in orgs.list_tree(db) if n.id in branches]
    assert [x.row.org_id for x in reg.people] == tree_order
    assert list(reg.counts) == [s for s in d.STAGES if s in reg.counts] == [d.APPLICANT, d.ACTIVIST]


def test_a_step_of_a_kind_from_a_newer_program_does_not_stop_the_page(db, branch):
    # A newer community's package brings a step this program has no rule for (the merge writes rows as
    # they come): the pipeline, the file and the next step still work, the step listed as it stands.
    from desktop_app.store.models_development import DevelopmentStep

    a = development.add_applicant(db, development.ApplicantInput(
        name="甲", org_id=branch, applied_on=date(2026, 1, 5)), today=TODAY)
    with db.session() as s:
        s.add(DevelopmentStep(applicant_id=a.row.id, step="新步骤", done_on=date(2026, 1, 20), body="党支部"))
        s.commit()
    assert [r.name for r in development.pipeline(db, today=TODAY)] == ["甲"]
    assert [x.step for x in development.get(db, a.row.id, TODAY).steps] == [d.APPLY, "新步骤"]
    got = development.advance(db, a.row.id, step(d.TALK, date(2026, 1, 25)), today=TODAY)
    assert got.row.stage == d.APPLICANT and got.steps[-1].step == d.TALK
    assert development.withdraw_step(db, a.row.id, today=TODAY).steps[-1].step == "新步骤"
