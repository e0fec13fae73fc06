"""民主测评 through the service: tallies read with the grid, saved with the grades in one unit of work,
refused whole, audited, only changes written, read-only without the write right, and both PDFs."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import auth, orgs, roster
from desktop_app.services import evaluation_votes as ev
from desktop_app.services.evaluations import EvaluationEntry
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_meetings import Evaluation, EvaluationBallot, EvaluationVote
from desktop_app.views.evaluations import BallotInfo, VoteEntry

TODAY = date(2026, 3, 10)
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静"]
PASSWORD = "password-1x"


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    g = orgs.create(db, "第一党小组", "G01", "group", b.id)
    ids = []
    for i, name in enumerate(NAMES):
        born = date(1960 + i, 1 + i, 1 + i)
        ids.append(roster.create(db, MemberInput(
            name=name, org_id=g.id if i % 2 else b.id,
            id_number=idcard.make("320102", born, i, idcard.MALE if i % 2 else idcard.FEMALE),
            joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)), today=TODAY).id)
    return db, b.id, ids


def rows(db, model, *where) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False), *where))


def audits(db, table: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name == table))


def test_tallies_saved_with_the_grades_are_read_back_with_the_grid(branch):
    db, b, ids = branch
    assert ev.tallies(db, b, 2025).ballot is None
    res = ev.save(db, b, 2025, [EvaluationEntry(ids[0], "优秀"), EvaluationEntry(ids[1], "合格")],
                  BallotInfo(5, 5, date(2026, 1, 15)),
                  [VoteEntry(ids[0], 4, 1, 0, 0), VoteEntry(ids[1], 4, 1, 0, 0), VoteEntry(ids[2])])
    assert (res.grades.added, res.votes_changed, res.ballot_changed) == (2, 2, True)
    t = ev.tallies(db, b, 2025)
    assert t.ballot == BallotInfo(5, 5, date(2026, 1, 15)) and t.branch_name == "第一网格党支部"
    by_name = {r.row.name: r for r in t.rows}
    assert by_name["张伟"].tally.counts() == (4, 1, 0, 0) and by_name["张伟"].note() == ""
    assert by_name["王芳"].row.grade == "合格" and by_name["王芳"].note() == "测评多数为优秀"
    assert by_name["李娜"].tally.is_blank()
    assert ev.tallies(db, b, 2024).ballot is None  # per year


def test_only_changed_rows_are_written_and_audited(branch):
    db, b, ids = branch
    votes = [VoteEntry(ids[0], 3, 2, 0, 0), VoteEntry(ids[1], 1, 4, 0, 0)]
    ev.save(db, b, 2025, [], BallotInfo(5, 5), votes)
    before = audits(db, "evaluation_vote"), audits(db, "evaluation_ballot")
    assert before[0] == 2 and before[1] == 1
    res = ev.save(db, b, 2025, [], BallotInfo(5, 5), [votes[0], VoteEntry(ids[1], 1, 3, 1, 0)])
    assert (res.votes_changed, res.ballot_changed) == (1, False)
    assert (audits(db, "evaluation_vote"), audits(db, "evaluation_ballot")) == (before[0] + 1, before[1])
    with db.session() as s:
        assert s.scalar(select(EvaluationVote.version).where(EvaluationVote.member_id == ids[0])) == 1
    res = ev.save(db, b, 2025, [], BallotInfo(5, 5), [VoteEntry(ids[1])])  # all four 0: the tally goes
    assert res.votes_changed == 1 and rows(db, EvaluationVote) == 1
    ev.save(db, b, 2025, [], None, [VoteEntry(ids[0])])
    assert rows(db, EvaluationBallot) == 0 and rows(db, EvaluationVote) == 0


def test_the_trail_says_whose_tally_ballot_and_grade_a_change_was(branch):
    """操作记录 showed 民主测评票数 修改 优秀票：3 → 2 with no name: not whose votes, nor which branch or year."""
    from desktop_app.services import audit_log
    from desktop_app.views.audit import AuditFilter

    db, b, ids = branch
    ev.save(db, b, 2025, [EvaluationEntry(ids[0], "合格")], BallotInfo(5, 5), [VoteEntry(ids[0], 3, 2, 0, 0)])
    ev.save(db, b, 2025, [EvaluationEntry(ids[0], "优秀")], BallotInfo(5, 4), [VoteEntry(ids[0], 2, 2, 0, 0)])
    ev.save(db, b, 2025, [], None, [VoteEntry(ids[0])])  # a tally and the ballot removed say whose, too
    trail = [(r.table_label, r.action_label, r.label) for r in audit_log.search(db, AuditFilter()).rows
             if r.table.startswith("evaluation")]
    assert ("民主测评票数", "修改", "张伟 2025年度") in trail
    assert ("民主测评", "修改", "第一网格党支部 2025年度") in trail
    assert ("民主评议", "修改", "张伟 2025年度") in trail
    assert all(label for _t, _a, label in trail), trail


def test_a_tally_sheet_of_a_year_with_nothing_counted_is_refused(branch, tmp_path):
    """Printed, it was a sheet of 0 and — for every member: a 统计表 of nothing, taken for a result."""
    db, b, ids = branch
    out = tmp_path / "tally.pdf"
    with pytest.raises(ValidationError, match="第一网格党支部 2019 年度还没有登记民主测评票数"):
        ev.print_evaluation_tally(db, b, 2019, out)
    assert not out.exists()
    ev.save(db, b, 2019, [], BallotInfo(5, 0), [])  # entered, if none came back: printed
    ev.print_evaluation_tally(db, b, 2019, out)
    assert out.exists()


def test_ballots_of_a_branch_with_no_one_to_grade_are_refused_in_words(db, tmp_path):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    empty = orgs.create(db, "新建党支部", "B09", "branch", c.id).id
    with pytest.raises(ValidationError, match="新建党支部 2025 年度没有需要评议的党员") as exc:
        ev.print_evaluation_ballot(db, empty, 2025, tmp_path / "b.pdf")
    assert "None" not in str(exc.value)  # it said 份数：“None”应为 1 到 1000 之间的整数
    assert not (tmp_path / "b.pdf").exists()


def test_a_sum_over_the_returned_is_refused_whole_naming_member_and_field(branch):
    db, b, ids = branch
    with pytest.raises(ValidationError) as e:
        ev.save(db, b, 2025, [EvaluationEntry(ids[0], "优秀")], BallotInfo(6, 5),
                [VoteEntry(ids[0], 4, 1, 0, 0), VoteEntry(ids[1], 3, 1, 1, 1)])
    assert e.value.field == "不合格票" and e.value.message == "王芳的四项票数合计 6 张，多于收回的 5 张"
    with pytest.raises(ValidationError) as e:
        ev.save(db, b, 2025, [EvaluationEntry(ids[0], "优秀")], BallotInfo(4, 5), [])
    assert e.value.field == "收回票数"
    with pytest.raises(ValidationError) as e:
        ev.save(db, b, 2025, [], BallotInfo(5, 5, date(2030, 1, 1)), [])
    assert e.value.field == "测评日期"
    assert (rows(db, Evaluation), rows(db, EvaluationVote), rows(db, EvaluationBallot)) == (0, 0, 0)


def test_an_account_without_the_write_right_reads_only(branch):
    db, b, ids = branch
    ev.save(db, b, 2025, [], BallotInfo(5, 4), [VoteEntry(ids[0], 4, 0, 0, 0)])
    auth.create_first_admin(db, "admin", "管理员", PASSWORD)
    auth.create_user(db, "look", "街道小钱", "viewer", PASSWORD)
    auth.logout(db)
    auth.login(db, "look", PASSWORD)
    assert ev.tallies(db, b, 2025).ballot == BallotInfo(5, 4)
    with pytest.raises(auth.PermissionDenied):
        ev.save(db, b, 2025, [], BallotInfo(5, 5), [])
    assert ev.tallies(db, b, 2025).ballot == BallotInfo(5, 4)


def _texts(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(BytesIO(data)).pages]


def test_the_ballots_print_one_set_per_copy_defaulting_to_the_members(branch, tmp_path):
    db, b, _ids = branch
    out = tmp_path / "测评票.pdf"
    pages = _texts(ev.print_evaluation_ballot(db, b, 2025, out))
    assert out.exists() and len(pages) == len(NAMES)
    assert "第一网格党支部 2025年度民主评议党员测评票" in pages[0]
    assert "不记名" in pages[0] and "每名党员只选一项" in pages[0]
    assert all(n in pages[0] for n in NAMES) and "基本合格" in pages[0]
    assert len(_texts(ev.print_evaluation_ballot(db, b, 2025, copies=2))) == 2
    with pytest.raises(ValidationError):
        ev.print_evaluation_ballot(db, b, 2025, copies=0)


def test_a_long_branch_ballot_runs_over_pages_with_the_header_repeated(branch):
    db, b, _ids = branch
    for i in range(60):
        born = date(1940 + i % 30, 1 + i % 12, 1 + i % 28)
        roster.create(db, MemberInput(name=f"党员{i:02d}", org_id=b,
                                      id_number=idcard.make("320102", born, 100 + i, idcard.MALE),
                                      joined_date=date(1990, 7, 1)), today=TODAY)
    pages = _texts(ev.print_evaluation_ballot(db, b, 2025, copies=1))
    assert len(pages) >= 2 and all("优秀" in p and "不合格" in p for p in pages)
    # three copies: each ballot is numbered on its own, so no page tells which copy it was
    per = len(pages)
    three = _texts(ev.print_evaluation_ballot(db, b, 2025, copies=3))
    assert len(three) == 3 * per
    assert [f"第 {n} 页 / 共 {per} 页" in p for p, n in zip(three, [*range(1, per + 1)] * 3)] == [True] * (3 * per)


def test_the_tally_sheet_shows_counts_shares_grade_note_and_signatures(branch, tmp_path):
    db, b, ids = branch
    ev.save(db, b, 2025, [EvaluationEntry(ids[0], "优秀"), EvaluationEntry(ids[1], "优秀")],
            BallotInfo(5, 3, date(2026, 1, 15)), [VoteEntry(ids[0], 2, 1, 0, 0), VoteEntry(ids[1], 0, 2, 0, 1)])
    text = "\n".join(_texts(ev.print_evaluation_tally(db, b, 2025, tmp_path / "统计表.pdf")))
    assert "民主测评结果统计表" in text and "发出测评票 5 张，收回 3 张" in text
    assert "66.7%" in text and "33.3%" in text and "测评多数为合格" in text
    assert "计票人" in text and "监票人" in text
    assert "序号\n" in text and "序\n号" not in text  # the header fits its column (it broke into 序 / 号 over two lines)


def test_the_demo_holds_a_plausible_ballot_where_it_has_grades(empty_db):
    from desktop_app.domain import evaluation_votes as rules
    from desktop_app.services import demo, evaluations

    demo.generate(empty_db, members=120, seed=3)
    year = date.today().year - 1
    branches = [n.id for n in orgs.list_tree(empty_db) if n.kind == "branch"]
    shown = [ev.tallies(empty_db, b, year) for b in branches if any(r.grade for r in evaluations.grid(empty_db, b, year))]
    assert shown
    notes = 0
    for t in shown:
        assert t.ballot is not None and 0 < t.ballot.returned <= t.ballot.issued <= len(t.rows)
        for r in t.rows:
            if r.row.grade:
                assert r.tally.total() <= t.ballot.returned and not r.tally.is_blank()
                rules.check_tally(r.row.name, r.tally, t.ballot.returned)
                notes += bool(r.note())
    assert notes  # now and then the meeting decided otherwise than the ballots leaned
