"""发展党员: a step recorded by mistake is withdrawn (撤销最后一步), the stage and the roster put back as
they were, the trail keeping both the step and its withdrawal; what cannot be put back is refused by name."""

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import development as d
from desktop_app.domain import idcard
from desktop_app.domain.errors import ConcurrentEditError, ValidationError
from desktop_app.services import development, orgs, roster
from desktop_app.store.models import Member
from desktop_app.store.models_access import AuditEntry

TODAY = date(2026, 6, 1)
VOTE = {"votes_for": 8, "votes_against": 1, "votes_abstain": 0, "voters_expected": 10}


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id


def step(name, on, **kw):
    return development.StepInput(step=name, done_on=on, documents=d.step_kind(name).documents, **kw)


def sponsors(db) -> tuple[str, str]:
    """Two 正式党员 of a neighbouring branch (the applicant's own branch keeps no roster, so its
    支部大会's vote is not checked against one) as 入党介绍人."""
    from tests.party_people import branch as new_branch
    from tests.party_people import members

    return tuple(members(db, new_branch(db, "第二网格党支部", "B02"), ["王建国", "李秀英"]))


def walk(db, branch, upto):
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2023, 3, 1),
        id_number=idcard.make("320102", date(1998, 4, 2), 7, idcard.FEMALE)), today=TODAY)
    way = [(d.TALK, date(2023, 3, 20), {}), (d.MAKE_ACTIVIST, date(2023, 5, 10), {"contacts": "王建国"}),
           (d.MAKE_CANDIDATE, date(2024, 6, 1), {}), (d.SPONSORS, date(2024, 6, 5), {"people": sponsors(db)}),
           (d.VETTING, date(2024, 7, 1), {}), (d.TRAINING, date(2024, 7, 10), {}),
           (d.PRE_REVIEW, date(2024, 7, 20), {"result": "合格"}), (d.NOTICE, date(2024, 8, 1), {}),
           (d.ADMIT, date(2024, 9, 1), VOTE), (d.APPROVE, date(2024, 10, 8), {}), (d.OATH, date(2024, 11, 1), {}),
           (d.CONFIRM, date(2025, 9, 1), VOTE), (d.CONFIRM_APPROVE, date(2025, 10, 20), {})]
    for name, on, kw in way:
        got = development.advance(db, a.row.id, step(name, on, **kw), today=TODAY)
        if name == upto:
            return got


def trail(db, table):
    with db.session() as s:
        return [a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.table_name == table))]


def test_a_mistaken_stage_step_is_withdrawn_and_the_trail_keeps_it(db, branch):
    got = walk(db, branch, d.MAKE_CANDIDATE)
    assert got.row.stage == d.CANDIDATE
    back = development.withdraw_step(db, got.row.id, got.steps[-1].id, today=TODAY)
    assert back.row.stage == d.ACTIVIST and back.steps[-1].step == d.MAKE_ACTIVIST
    assert back.row.contacts == "王建国" and d.MAKE_CANDIDATE in back.next_steps
    assert "delete" in trail(db, "development_step")  # the step recorded and its withdrawal both kept
    # the activist's step withdrawn too: back to 入党申请人, the 培养联系人 with it
    again = development.withdraw_step(db, got.row.id, today=TODAY)
    assert again.row.stage == d.APPLICANT and again.row.contacts == ""
    development.withdraw_step(db, got.row.id, today=TODAY)  # the talk
    with pytest.raises(ValidationError) as e:  # the application itself is no step to withdraw
        development.withdraw_step(db, got.row.id, today=TODAY)
    assert "递交入党申请书" in str(e.value)


def test_a_form_read_before_another_step_was_recorded_withdraws_nothing(db, branch):
    got = walk(db, branch, d.MAKE_CANDIDATE)
    development.advance(db, got.row.id, step(d.VETTING, date(2024, 7, 1)), today=TODAY)
    with pytest.raises(ConcurrentEditError) as e:  # the page still showed 确定发展对象 as the last step
        development.withdraw_step(db, got.row.id, got.steps[-1].id, today=TODAY)
    assert "政治审查" in str(e.value)
    assert development.get(db, got.row.id, TODAY).steps[-1].step == d.VETTING


def test_a_confirmation_withdrawn_puts_the_member_back_on_probation(db, branch):
    done = walk(db, branch, d.CONFIRM)
    assert roster.get(db, done.member_id).category == "正式党员"
    back = development.withdraw_step(db, done.row.id, today=TODAY)
    assert back.row.stage == d.PROBATIONARY and back.probation_end == date(2025, 9, 1)
    m = roster.get(db, done.member_id)
    assert (m.category, m.confirmed_date) == ("预备党员", None)


def test_an_approval_that_put_the_person_on_the_roster_is_not_withdrawn_here(db, branch):
    got = walk(db, branch, d.APPROVE)
    with pytest.raises(ValidationError) as e:
        development.withdraw_step(db, got.row.id, today=TODAY)
    assert "党员名册" in str(e.value)
    assert development.get(db, got.row.id, TODAY).row.stage == d.PROBATIONARY
    assert roster.get(db, got.member_id).category == "预备党员"


def test_a_cancellation_withdrawn_puts_the_member_back_on_the_roster(db, branch):
    got = walk(db, branch, d.APPROVE)
    development.advance(db, got.row.id, step(d.CANCEL, date(2025, 9, 1), **VOTE), today=TODAY)
    with db.session() as s:
        assert s.get(Member, got.member_id).deleted  # off the roster, kept in the file
    back = development.withdraw_step(db, got.row.id, today=TODAY)
    assert back.row.stage == d.PROBATIONARY
    m = roster.get(db, got.member_id)
    assert m.category == "预备党员" and "取消预备党员资格" not in (m.notes or "")
