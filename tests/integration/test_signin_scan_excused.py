"""A member excused from 应到 who did not sign is proposed as 请假 with the reason, never as 缺席."""

import random
from datetime import date
from types import SimpleNamespace

from desktop_app.domain import meetings as r
from desktop_app.services import membership
from desktop_app.services import meetings as ms
from desktop_app.services.meetings.scan_import import _line_state
from desktop_app.views.signin_scan import BLANK, LEAVE_MARK, UNSURE, SheetCode
from tests import scan_samples as samples
from tests.integration.test_signin_scan import DPI, NAMES, TODAY


def _cell(marked, confidence=0.9):
    return SimpleNamespace(marked=marked, confidence=confidence)


def test_the_rule_for_one_row():
    blank = SimpleNamespace(sign=_cell(False), leave=_cell(False))
    assert _line_state(blank, "", False) == (BLANK, r.ABSENT, 0.9)
    assert _line_state(blank, "", False, "长期外出")[:2] == (LEAVE_MARK, r.LEAVE)
    unsure = SimpleNamespace(sign=_cell(False, 0.2), leave=_cell(False))
    assert _line_state(unsure, "", False, "病重")[:2] == (UNSURE, r.LEAVE)
    signed = SimpleNamespace(sign=_cell(True), leave=_cell(False))
    assert _line_state(signed, "", False, "长期外出")[1] == r.PRESENT  # came after all
    assert _line_state(blank, "", True, "长期外出")[1] == r.GUEST


def test_a_scanned_sheet_proposes_the_excused_member_as_leave(db, tmp_path):
    from tests.integration.test_signin_scan import save

    from desktop_app.services import orgs
    from desktop_app.services import roster
    from desktop_app.domain import idcard
    from desktop_app.domain.members import MemberInput

    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    ids = [roster.create(db, MemberInput(
        name=name, org_id=b.id, id_number=idcard.make("320102", date(1960 + i, 1, 1), i, idcard.MALE),
        joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)), today=TODAY).id for i, name in enumerate(NAMES)]
    membership.add_exemption(db, ids[0], date(2025, 1, 1), None, "长期外出")
    a = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.BRANCH_CONGRESS, title="学习党章", meeting_date=date(2025, 6, 6)),
                today=date(2025, 6, 1))
    page = samples.raster(ms.print_signin_sheet(db, a.number), DPI)[0]
    code = SheetCode.parse(samples.read_qr(page))
    img, truth = samples.sign_page(page, code, len(NAMES), DPI, random.Random(5), p_signed=0.0, p_leave=0.0)
    proposal = ms.read_scan(db, save(img, tmp_path / "签到表.jpg"), meeting_ref=a.id)
    lines = {line.name: line for line in proposal.sheets[0].lines}
    excused = lines[NAMES[0]]
    assert (excused.proposed_status, excused.excused) == (r.LEAVE, "长期外出")
    assert lines[NAMES[1]].proposed_status == r.ABSENT
    entries = {e.attendance_id: e for e in ms.confirmed_entries(proposal)}
    assert entries[excused.attendance_id].reason == "长期外出"
