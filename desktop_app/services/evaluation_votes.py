"""民主测评 before 民主评议党员: a branch's ballots (发出 / 收回) and each member's votes, read with the grid,
saved with the grades in one unit of work, and printed as the 测评票 and the 结果统计表.

The tallies inform the 支部党员大会; the grade stays what it decides (domain.evaluation_votes.note only
says where they differ). Reading needs evaluations.read, saving evaluations.write, as the grades do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desktop_app.domain import evaluation_votes as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth, orgtree
from desktop_app.services import evaluations as grades
from desktop_app.services.site import center_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_meetings import EvaluationBallot, EvaluationVote
from desktop_app.views.evaluations import (
    BallotInfo,
    BranchTally,
    EvaluationEntry,
    TallyRow,
    TallySaveResult,
    VoteEntry,
)

_FIELDS = tuple(f for f, _g, _l in rules.VOTE_FIELDS)


def _ballot(s, branch_id: str, year: int, removed: bool = False) -> EvaluationBallot | None:
    # the latest edit wins should two sites both have entered one; removed=True: the latest removed one
    return s.scalars(select(EvaluationBallot).where(
        EvaluationBallot.org_id == branch_id, EvaluationBallot.year == year, EvaluationBallot.deleted.is_(removed),
    ).order_by(EvaluationBallot.updated_at.desc())).first()


def _votes(s, ids: Sequence[str], year: int) -> dict[str, EvaluationVote]:
    return grades.latest_by_member(s, EvaluationVote, ids, year)


def _tally(v: EvaluationVote | None) -> rules.Tally:
    return rules.Tally(*(getattr(v, f) for f in _FIELDS)) if v is not None else rules.Tally()


def _read(s, branch_id: str, year: int) -> BranchTally:
    rows = grades.grid_rows(s, branch_id, year)
    found = _votes(s, [r.member_id for r in rows], year)
    b = _ballot(s, branch_id, year)
    ballot = BallotInfo(b.issued, b.returned, b.held_on) if b is not None else None
    name = orgtree.shown_names(s).get(branch_id) or s.get(Organization, branch_id).name
    return BranchTally(center_name(s), name, year, ballot,
                       tuple(TallyRow(i, r, _tally(found.get(r.member_id))) for i, r in enumerate(rows, start=1)))


def tallies(db: Database, branch_id: str, year: int) -> BranchTally:
    """The branch's grid for `year` with each member's votes and the ballot counts (None: not entered)."""
    auth.require(db, "evaluations.read")
    year = grades.check_year(year)
    with db.session() as s:
        return _read(s, branch_id, year)


def save(db: Database, branch_id: str, year: int, entries: Sequence[EvaluationEntry],
         ballot: BallotInfo | None, votes: Sequence[VoteEntry]) -> TallySaveResult:
    """Grades, ballot counts and votes of a branch in one unit of work: all written or nothing.

    A member's four counts together may not exceed the ballots returned (the message names the member
    and the field); all four 0 removes a stored tally; a blank ballot removes a stored one."""
    auth.require(db, "evaluations.write")
    year = grades.check_year(year)
    cleaned = grades.clean_entries(entries)
    ballot = ballot or BallotInfo()
    issued, returned = rules.check_ballot(ballot.issued, ballot.returned)
    if ballot.held_on is not None and not date(year, 1, 1) <= ballot.held_on <= date(year + 1, 12, 31):
        raise ValidationError("测评日期", f"{ballot.held_on:%Y-%m-%d}不在 {year} 年度评议的时间内")
    added: list[str] = []  # members given a new grade or tally row, to name one should the index refuse it
    try:
        with UnitOfWork(db) as uow:
            s = uow.session
            res = grades.write_grades(s, branch_id, year, cleaned, added)
            branch, members = grades.branch_members(s, branch_id, [v.member_id for v in votes])
            checked = [(members[v.member_id], rules.check_tally(members[v.member_id].name, v.tally(), returned))
                       for v in votes]
            ballot_changed = _write_ballot(s, branch, year, BallotInfo(issued, returned, ballot.held_on))
            ids = [m.id for m, _t in checked]
            stored = _votes(s, ids, year)
            # a tally cleared and entered again is the same row back (see evaluations.latest_by_member)
            removed = grades.latest_by_member(
                s, EvaluationVote, [m.id for m, t in checked if not t.is_blank() and m.id not in stored], year,
                removed=True)
            changed = 0
            for m, tally in checked:
                v = stored.get(m.id)
                if tally.is_blank():
                    if v is not None:
                        v.deleted = True
                        v.audit_label = grades.trail_label(m.name, year)
                        changed += 1
                    continue
                if v is None:
                    v = removed.get(m.id)
                    if v is None:
                        v = EvaluationVote(member_id=m.id, org_id=m.org_id, year=year)
                        s.add(v)
                    v.deleted, v.org_id = False, m.org_id
                    added.append(m.id)
                elif _tally(v) == tally:  # only a changed tally is written (and audited)
                    continue
                for f, c in zip(_FIELDS, tally.counts()):
                    setattr(v, f, c)
                v.audit_label = grades.trail_label(m.name, year)
                changed += 1
            uow.commit()
    except IntegrityError as exc:
        raise grades.second_row_refused(db, exc, added, year, branch_id) from None
    return TallySaveResult(res, changed, ballot_changed)


def _write_ballot(s, branch: Organization, year: int, ballot: BallotInfo) -> bool:
    b = _ballot(s, branch.id, year)

    # The name as lists show it (a street's 第一网格党支部 are several), read only on a write and before the
    # row changes: the query would flush the change before its label is set.
    def label() -> str:
        return grades.trail_label(orgtree.shown_names(s).get(branch.id) or branch.name, year)

    if ballot.is_blank():
        if b is None:
            return False
        b.audit_label = label()
        b.deleted = True
        return True
    if b is None:
        named = label()  # before the row is added: its query would flush the row unlabelled
        # counts cleared and entered again are the same row back (see evaluations.latest_by_member)
        b = _ballot(s, branch.id, year, removed=True)
        if b is None:
            b = EvaluationBallot(org_id=branch.id, year=year)
            s.add(b)
        b.audit_label = named
        b.deleted, b.issued, b.returned, b.held_on = False, ballot.issued, ballot.returned, ballot.held_on
        return True
    if (b.issued, b.returned, b.held_on) == (ballot.issued, ballot.returned, ballot.held_on):
        return False
    b.audit_label = label()
    b.issued, b.returned, b.held_on = ballot.issued, ballot.returned, ballot.held_on
    return True


def print_evaluation_ballot(db: Database, branch_id: str, year: int, out: Path | None = None, *,
                            copies: int | None = None, font_path: str | None = None) -> bytes:
    """民主测评票 of a branch for `year`: `copies` ballots (default: the 发出 entered, else one per member to be
    graded, as the page prints them) in one PDF."""
    from desktop_app.reports.evaluation_ballot import render_ballots

    data = tallies(db, branch_id, year)
    if not data.rows:  # copies of a ballot listing no one; and the default count was “None”
        raise ValidationError("党支部", f"{data.branch_name} {data.year} 年度没有需要评议的党员，不用打印测评票")
    n = data.ballot_copies() if copies is None else copies
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 1000:
        raise ValidationError("份数", f"“{copies}”应为 1 到 1000 之间的整数")
    return render_ballots(data, n, out, font_path=font_path)


def print_evaluation_tally(db: Database, branch_id: str, year: int, out: Path | None = None, *,
                           printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """民主测评结果统计表 of a branch for `year` as PDF bytes; also written to `out`."""
    from desktop_app.reports.evaluation_ballot import render_tally

    data = tallies(db, branch_id, year)
    if data.ballot is None and all(r.tally.is_blank() for r in data.rows):
        # a sheet of 0 and — for every member would pass for a result
        raise ValidationError("测评票数", f"{data.branch_name} {data.year} 年度还没有登记民主测评票数："
                                        "请先在“民主评议”页填写发出、收回的张数和每人的票数")
    return render_tally(data, out, printed_on=printed_on, font_path=font_path)
