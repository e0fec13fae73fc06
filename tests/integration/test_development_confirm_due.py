"""发展党员's 转正 reminder keeps the 支部大会's month: not overdue the day after the probation ends.

支部考评 accepts a 支部大会 within CONFIRM_MEETING_MONTHS after the end, while the page's 待办 turned red (and
the list counted it 逾期) from the next day, telling the branch it was late when it was not."""

from datetime import date, timedelta

from desktop_app.domain import development as d
from desktop_app.domain import idcard
from desktop_app.services import development
import pytest

from desktop_app.services import orgs
from tests.integration.test_development_service import VOTE, sponsor_ids, step

TODAY = date(2026, 6, 1)


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id


def _probationer(db, branch) -> str:
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2023, 3, 1),
        id_number=idcard.make("320102", date(1998, 4, 2), 7, idcard.FEMALE)), today=TODAY)
    aid = a.row.id
    for name, on, kw in ((d.TALK, date(2023, 3, 20), {}), (d.MAKE_ACTIVIST, date(2023, 5, 10), {"contacts": "王建国"}),
                         (d.REPORT, date(2023, 8, 1), {}), (d.MAKE_CANDIDATE, date(2024, 6, 1), {}),
                         (d.VETTING, date(2024, 7, 1), {}), (d.TRAINING, date(2024, 7, 10), {}),
                         (d.PRE_REVIEW, date(2024, 7, 20), {"result": "合格"}), (d.NOTICE, date(2024, 8, 1), {}),
                         (d.SPONSORS, date(2024, 8, 1), {"people": sponsor_ids(db)}),
                         (d.ADMIT, date(2024, 9, 1), VOTE), (d.APPROVE, date(2024, 10, 8), {"document_no": "12号"}),
                         (d.OATH, date(2024, 11, 1), {})):
        development.advance(db, aid, step(name, on, **kw), today=TODAY)
    return aid


def _confirm(db, aid, today):
    got = development.get(db, aid, today)
    (r,) = [r for r in got.reminders if r.text.startswith(d.CONFIRM)]
    row = next(x for x in development.pipeline(db, today=today) if x.id == aid)
    assert row.overdue == sum(x.overdue for x in got.reminders)  # the list's 逾期 counts what the page shows
    return r


def test_the_confirmation_is_due_a_month_after_the_probation_and_overdue_only_then(db, branch):
    aid = _probationer(db, branch)
    end = date(2025, 9, 1)
    meeting_by = d.add_months(end, d.CONFIRM_MEETING_MONTHS)  # 2025-10-01
    r = _confirm(db, aid, end - timedelta(days=1))
    assert (r.due, r.overdue) == (end, False)  # before the end: the end, as before
    for today in (end + timedelta(days=1), meeting_by):
        r = _confirm(db, aid, today)
        assert r.text == "转正：预备期已满，请在 10月1日 前召开支部大会讨论转正"
        assert (r.due, r.overdue) == (meeting_by, False)
    r = _confirm(db, aid, meeting_by + timedelta(days=1))
    assert (r.due, r.overdue) == (meeting_by, True)
