"""民主评议 / 民主测评: one live grade, tally and ballot count per member (branch), year and writing site
(db/versions/0039). The database refuses a second; the services refuse it naming the one there; an upgrade
settles the duplicates already stored without losing a row; a grade cleared and entered again still merges
at the street. Runs on SQLite and PostgreSQL (PG_SUITES)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import evaluation_votes as ev
from desktop_app.services import evaluations, orgs, roster
from desktop_app.store import migrate
from desktop_app.store.base import sync_values, utcnow
from desktop_app.store.models_meetings import Evaluation, EvaluationBallot, EvaluationVote
from desktop_app.views.evaluations import BallotInfo, EvaluationEntry, VoteEntry

INDEXES = {"evaluation": "uq_evaluation_live_member_year", "evaluation_vote": "uq_evaluation_vote_live_member_year",
           "evaluation_ballot": "uq_evaluation_ballot_live_org_year"}


@pytest.fixture
def graded(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    members = [roster.create(db, MemberInput(
        name=name, org_id=b.id, id_number=idcard.make("320102", date(1970, 5, 6 + i), i, idcard.MALE),
        joined_date=date(1995, 7, 1))).id for i, name in enumerate(("张伟", "李娜"))]
    return db, b.id, members


def _live(db, model, member_id):
    with db.session() as s:
        return s.scalars(select(model).where(model.member_id == member_id, model.deleted.is_(False))).all()


def test_the_database_refuses_a_second_live_grade_of_a_member_and_year(graded):
    db, b, (m, _other) = graded
    evaluations.save(db, b, 2025, [EvaluationEntry(m, "合格", "")])
    site = _live(db, Evaluation, m)[0].updated_by_site
    row = {"member_id": m, "org_id": b, "year": 2025, "grade": "优秀", "notes": ""}
    with db.session() as s:
        with pytest.raises(IntegrityError):
            s.execute(Evaluation.__table__.insert(), [sync_values(site, utcnow()) | row])
        s.rollback()
        # another year, a removed row, and another site's row (a street holds many communities') are not refused
        s.execute(Evaluation.__table__.insert(), [
            sync_values(site, utcnow()) | row | {"year": 2024},
            sync_values(site, utcnow()) | row | {"deleted": True},
            sync_values("another-site", utcnow()) | row,
        ])
        s.commit()
    with db.session() as s:
        with pytest.raises(IntegrityError):
            s.execute(EvaluationVote.__table__.insert(), [
                sync_values(site, utcnow()) | {"member_id": m, "org_id": b, "year": 2025, "excellent": i,
                                               "qualified": 0, "basic": 0, "unqualified": 0} for i in (1, 2)])
        s.rollback()
        with pytest.raises(IntegrityError):
            s.execute(EvaluationBallot.__table__.insert(), [
                sync_values(site, utcnow()) | {"org_id": b, "year": 2025, "issued": i, "returned": i}
                for i in (5, 6)])


def _stale_once(monkeypatch, model):
    """The save's first read of `model` finds nothing where a row is stored: what a second window saving at
    the same moment saw (on PostgreSQL two transactions can both read before either writes)."""
    real, calls = evaluations.latest_by_member, []

    def stale(s, m, ids, year, **kw):
        if m is model and not calls and not kw.get("removed"):
            calls.append(m)
            return {}
        return real(s, m, ids, year, **kw)

    monkeypatch.setattr(evaluations, "latest_by_member", stale)


def test_a_second_grade_saved_meanwhile_is_refused_naming_the_one_there(graded, monkeypatch):
    db, b, (m, other) = graded
    evaluations.save(db, b, 2025, [EvaluationEntry(m, "合格", "")])
    _stale_once(monkeypatch, Evaluation)
    with pytest.raises(ValidationError) as err:
        evaluations.save(db, b, 2025, [EvaluationEntry(other, "优秀", ""), EvaluationEntry(m, "优秀", "")])
    assert "张伟 2025 年度已有评议结果“合格”" in err.value.message and "没有保存" in err.value.message
    monkeypatch.undo()
    assert [e.grade for e in _live(db, Evaluation, m)] == ["合格"] and _live(db, Evaluation, other) == []


def test_a_second_tally_saved_meanwhile_is_refused_naming_the_one_there(graded, monkeypatch):
    db, b, (m, _other) = graded
    ev.save(db, b, 2025, [], BallotInfo(10, 9), [VoteEntry(m, 6, 3, 0, 0)])
    _stale_once(monkeypatch, EvaluationVote)
    with pytest.raises(ValidationError) as err:
        ev.save(db, b, 2025, [], BallotInfo(10, 9), [VoteEntry(m, 9, 0, 0, 0)])
    assert "张伟 2025 年度已有民主测评票数（优秀 6 · 合格 3" in err.value.message
    monkeypatch.undo()
    assert [(v.excellent, v.qualified) for v in _live(db, EvaluationVote, m)] == [(6, 3)]


def test_a_grade_tally_and_ballot_cleared_and_entered_again_are_the_same_rows_back(graded):
    """A package with a removal and a new row of one member and year would reach the street's index with
    the new row first (inserts are written before updates): the row comes back instead."""
    db, b, (m, _other) = graded
    ev.save(db, b, 2025, [EvaluationEntry(m, "合格", "")], BallotInfo(10, 9), [VoteEntry(m, 6, 3, 0, 0)])
    before = {model: _live(db, model, m)[0].id for model in (Evaluation, EvaluationVote)}
    ev.save(db, b, 2025, [EvaluationEntry(m, "", "")], None, [VoteEntry(m, 0, 0, 0, 0)])
    assert _live(db, Evaluation, m) == [] and _live(db, EvaluationVote, m) == []
    ev.save(db, b, 2025, [EvaluationEntry(m, "优秀", "")], BallotInfo(8, 8), [VoteEntry(m, 8, 0, 0, 0)])
    with db.session() as s:
        for model in (Evaluation, EvaluationVote):
            assert [r.id for r in s.scalars(select(model).where(model.member_id == m))] == [before[model]]
        assert s.scalar(select(EvaluationBallot.returned).where(EvaluationBallot.deleted.is_(False))) == 8
        assert len(s.scalars(select(EvaluationBallot)).all()) == 1
    t = ev.tallies(db, b, 2025)
    assert (t.rows[0].row.grade, t.rows[0].tally.counts()) == ("优秀", (8, 0, 0, 0))


def _add(conn, table, values):
    conn.execute(text(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})"),
                 values)


def test_upgrading_to_0039_keeps_the_newest_of_each_duplicate_and_marks_the_others_removed(graded, caplog):
    db, b, (m, other) = graded
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0038")
    for table in INDEXES:
        assert INDEXES[table] not in {i["name"] for i in inspect(db.engine).get_indexes(table)}
    t0 = datetime(2026, 1, 10, 9, 0)

    def row(n: int, site: str = "site-a", deleted: bool = False) -> dict:
        at = t0 + timedelta(hours=n)
        return {"id": f"00000000-0000-0000-0000-00000000000{n}", "created_at": at, "updated_at": at,
                "updated_by_site": site, "version": 3, "deleted": deleted}

    with db.engine.begin() as conn:
        _add(conn, "evaluation", row(1) | {"member_id": m, "org_id": b, "year": 2025, "grade": "合格",
                                           "notes": "第一次"})
        _add(conn, "evaluation", row(2) | {"member_id": m, "org_id": b, "year": 2025, "grade": "优秀", "notes": ""})
        _add(conn, "evaluation", row(3) | {"member_id": m, "org_id": b, "year": 2025, "grade": "不合格", "notes": "",
                                           "deleted": True})  # a removed row is no duplicate
        _add(conn, "evaluation", row(4, "site-b") | {"member_id": m, "org_id": b, "year": 2025, "grade": "基本合格",
                                                     "notes": ""})  # another site's: kept as it is
        _add(conn, "evaluation", row(5) | {"member_id": other, "org_id": b, "year": 2025, "grade": "合格",
                                           "notes": ""})
        tally = {"member_id": m, "org_id": b, "year": 2025, "qualified": 0, "basic": 0, "unqualified": 0}
        _add(conn, "evaluation_vote", row(6) | tally | {"excellent": 7})
        _add(conn, "evaluation_vote", row(7) | tally | {"excellent": 5})
        _add(conn, "evaluation_ballot", row(8) | {"org_id": b, "year": 2025, "issued": 10, "returned": 9})
        _add(conn, "evaluation_ballot", row(9) | {"org_id": b, "year": 2025, "issued": 12, "returned": 12})
    db.engine.dispose()
    with caplog.at_level("WARNING"):
        migrate.upgrade(db)
    for table, index in INDEXES.items():
        assert index in {i["name"] for i in inspect(db.engine).get_indexes(table)}
    with db.engine.connect() as conn:
        got = {r.id[-1]: r for r in conn.execute(text(
            "SELECT id, deleted, version, grade, notes FROM evaluation"))}
        votes = {r.id[-1]: r for r in conn.execute(text("SELECT id, deleted, version FROM evaluation_vote"))}
        ballots = {r.id[-1]: r for r in conn.execute(text("SELECT id, deleted, version FROM evaluation_ballot"))}
    # every row is still there; of site-a's two live grades of 张伟 the newest (2) stays
    assert {k: (bool(r.deleted), r.version) for k, r in got.items()} == {
        "1": (True, 4), "2": (False, 4), "3": (True, 3), "4": (False, 3), "5": (False, 3)}
    assert "“合格”（备注：第一次）" in got["2"].notes and "已标为删除" in got["2"].notes
    assert {k: (bool(r.deleted), r.version) for k, r in votes.items()} == {"6": (True, 4), "7": (False, 3)}
    assert {k: (bool(r.deleted), r.version) for k, r in ballots.items()} == {"8": (True, 4), "9": (False, 3)}
    assert "张伟 2025年度民主评议结果" in caplog.text and "第一网格党支部 2025年度民主测评发出/收回票数" in caplog.text
    # the grid reads the latest edit of those kept (site-a's, changed by the upgrade)
    assert {r.name: r.grade for r in evaluations.grid(db, b, 2025)}["张伟"] == "优秀"


@pytest.fixture
def pair(tmp_path):
    """A street and its community, whose branch has one member, 张伟."""
    from tests.integration.test_evaluation_vote_sync import street_with_member

    street, community, branch, m = street_with_member(tmp_path)
    yield street, community, branch, m.id
    street.dispose()
    community.dispose()


def _send_up(street, community, path) -> None:
    from desktop_app.services import sync

    sync.import_package(street, sync.export_package(community, path, plain=True).path)


def test_a_grade_cleared_and_entered_again_reaches_the_street(pair, tmp_path):
    street, community, branch, m = pair
    ev.save(community, branch, 2025, [EvaluationEntry(m, "合格")], BallotInfo(10, 9), [VoteEntry(m, 6, 3, 0, 0)])
    _send_up(street, community, tmp_path / "up1.zip")
    ev.save(community, branch, 2025, [EvaluationEntry(m, "")], None, [VoteEntry(m, 0, 0, 0, 0)])
    ev.save(community, branch, 2025, [EvaluationEntry(m, "优秀")], BallotInfo(9, 9), [VoteEntry(m, 9, 0, 0, 0)])
    _send_up(street, community, tmp_path / "up2.zip")
    t = ev.tallies(street, branch, 2025)
    row = next(r for r in t.rows if r.row.member_id == m)
    assert (t.ballot.returned, row.row.grade, row.tally.counts()) == (9, "优秀", (9, 0, 0, 0))


def test_a_package_removing_a_grade_and_adding_another_merges_at_the_street(pair, tmp_path):
    """What a program before 0039 sends for a grade cleared and entered again: the removal and a new row.
    The street writes the removal first, so its unique index does not refuse the new row."""
    from desktop_app.services.uow import UnitOfWork

    street, community, branch, m = pair
    evaluations.save(community, branch, 2025, [EvaluationEntry(m, "合格")])
    _send_up(street, community, tmp_path / "up1.zip")
    with UnitOfWork(community) as uow:
        s = uow.session
        old = s.scalars(select(Evaluation).where(Evaluation.member_id == m)).one()
        old.deleted, old.audit_label = True, "张伟 2025年度"
        s.flush()
        s.add(Evaluation(member_id=m, org_id=branch, year=2025, grade="优秀", notes=""))
        uow.commit()
    _send_up(street, community, tmp_path / "up2.zip")
    assert {r.member_id: r.grade for r in evaluations.grid(street, branch, 2025)}[m] == "优秀"
    with street.session() as s:
        assert sorted(s.scalars(select(Evaluation.deleted).where(Evaluation.member_id == m))) == [False, True]


def test_a_package_holding_two_grades_of_one_member_and_year_is_refused_saying_why(pair, tmp_path):
    """A community on a program before 0039 may hold two live grades of a member and year (two windows):
    the street refuses its package whole, naming the duplicate and the way out (upgrade, send again)."""
    from desktop_app.domain.sync_rules import PackageRefused

    street, community, branch, m = pair
    cfg = migrate.alembic_config(community.url)
    with community.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0038")  # the older program's schema: no unique index
    evaluations.save(community, branch, 2025, [EvaluationEntry(m, "合格")])
    site = _live(community, Evaluation, m)[0].updated_by_site
    with community.session() as s:
        s.execute(Evaluation.__table__.insert(), [sync_values(site, utcnow()) | {
            "member_id": m, "org_id": branch, "year": 2025, "grade": "优秀", "notes": ""}])
        s.commit()
    with pytest.raises(PackageRefused) as err:
        _send_up(street, community, tmp_path / "up1.zip")
    assert "“民主评议”有两条在用的记录是同一党员同一年度" in str(err.value) and "升级" in str(err.value)
    with street.session() as s:  # nothing of the package written
        assert s.scalars(select(Evaluation.id)).all() == []
