"""Membership as of a date: the dated facts every figure about the past reads, and 应到 exemptions.

Counting, quorum and 应到 ask `standings(s, rows, day)` what each member was on
the day concerned (domain/membership.py holds the rules); this module fetches
the status history, arrivals (转入) and exemptions those rules need, in chunks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import members as member_rules
from desktop_app.domain import membership as rules
from desktop_app.domain.memberlife import Move, Sanction
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth, orgtree
from desktop_app.services.database import Database
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, MemberStatusChange, Organization, Transfer
from desktop_app.store.models_cobuilding import registered_member_ids
from desktop_app.store.models_memberlife import Discipline, OrgMove
from desktop_app.store.models_membership import AttendanceExemption
from desktop_app.views.membership import ExemptionRow, MembershipCounts
from desktop_app.services.records import live, writes

__all__ = [
    "ExemptionRow", "MembershipCounts", "add_exemption", "counts_on", "delete_exemption", "exemptions",
]

_CHUNK = 500


def _chunks(ids: Sequence[str]):
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def history(s: Session, member_ids: Sequence[str]) -> dict[str, list[tuple[date, str]]]:
    """(changed_on, status) of each member's recorded status changes."""
    out: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for chunk in _chunks(list(member_ids)):
        for mid, on, st in s.execute(
            select(MemberStatusChange.member_id, MemberStatusChange.changed_on, MemberStatusChange.status)
            .where(MemberStatusChange.member_id.in_(chunk), MemberStatusChange.deleted.is_(False))
        ):
            out[mid].append((on, st))
    return out


def arrivals(s: Session, member_ids: Sequence[str]) -> dict[str, date]:
    """The first 转入 of each member transferred in: they were not here before it."""
    out: dict[str, date] = {}
    for chunk in _chunks(list(member_ids)):
        for mid, on in s.execute(
            select(Transfer.member_id, Transfer.transfer_date)
            .where(Transfer.member_id.in_(chunk), Transfer.deleted.is_(False),
                   Transfer.direction == member_rules.TRANSFER_IN)
        ):
            if mid not in out or on < out[mid]:
                out[mid] = on
    return out


def sanctions_of(s: Session, member_ids: Sequence[str]) -> dict[str, list[Sanction]]:
    """The 党纪处分 of each member (only 留党察看 changes a standing: no vote while it runs)."""
    out: dict[str, list[Sanction]] = defaultdict(list)
    for chunk in _chunks(list(member_ids)):
        for mid, kind, on, ends, lifted in s.execute(
            select(Discipline.member_id, Discipline.kind, Discipline.decided_on, Discipline.ends_on,
                   Discipline.lifted_on)
            .where(Discipline.member_id.in_(chunk), Discipline.deleted.is_(False))
        ):
            out[mid].append(Sanction(kind, on, ends, lifted))
    return out


def moves_of(s: Session, member_ids: Sequence[str]) -> dict[str, list[Move]]:
    """The dated moves of each member between branches and 党小组."""
    out: dict[str, list[Move]] = defaultdict(list)
    for chunk in _chunks(list(member_ids)):
        for mid, on, src, dst in s.execute(
            select(OrgMove.member_id, OrgMove.moved_on, OrgMove.from_org_id, OrgMove.to_org_id)
            .where(OrgMove.member_id.in_(chunk), OrgMove.deleted.is_(False))
        ):
            out[mid].append(Move(on, src, dst))
    return out


def moved_through(s: Session, org_ids: Sequence[str]) -> set[str]:
    """Members who ever moved into or out of these organisations (they may have sat there on a past day)."""
    out: set[str] = set()
    for chunk in _chunks(list(org_ids)):
        out.update(s.scalars(select(OrgMove.member_id).where(
            OrgMove.deleted.is_(False), OrgMove.from_org_id.in_(chunk) | OrgMove.to_org_id.in_(chunk))))
    return out


def exemptions_of(s: Session, member_ids: Sequence[str]) -> dict[str, list[rules.Exemption]]:
    out: dict[str, list[rules.Exemption]] = defaultdict(list)
    for chunk in _chunks(list(member_ids)):
        for mid, start, end, reason in s.execute(
            select(AttendanceExemption.member_id, AttendanceExemption.start_date, AttendanceExemption.end_date,
                   AttendanceExemption.reason)
            .where(AttendanceExemption.member_id.in_(chunk), AttendanceExemption.deleted.is_(False))
        ):
            out[mid].append(rules.Exemption(start, end, reason))
    return out


def standings(s: Session, rows: Sequence[tuple], day: date) -> dict[str, rules.Standing]:
    """Each member's standing on `day`; rows are (id, category, joined_date, confirmed_date, status[, org_id])."""
    ids = [r[0] for r in rows]
    hist, came, bars, moved = history(s, ids), arrivals(s, ids), sanctions_of(s, ids), moves_of(s, ids)
    return {
        r[0]: rules.standing_on(r[1] or member_rules.FULL, r[2], r[3], r[4] or member_rules.NORMAL,
                                hist.get(r[0], ()), day, came.get(r[0]), bars.get(r[0], ()),
                                r[5] if len(r) > 5 else None, moved.get(r[0], ()))
        for r in rows
    }


def members_on(s: Session, day: date, org_ids: set[str] | None = None, *,
               include_gone: bool = False) -> dict[str, rules.Standing]:
    """Who was a member on `day`, with their standing then, in roster order (序号, then pinyin).

    The one reading of a past roster that 概览, 支部考评 and `counts_on` count: someone
    who joined later or had left by `day` is out, one who left since is in, and each sits
    in the branch they sat in that day. `org_ids` narrows to members in those organisations
    today (a community's scope). 双报到 members are kept apart from the roster.
    `include_gone` keeps those who had joined but left (转出, 去世) by `day`, with that status.
    """
    q = (select(Member.id, Member.category, Member.joined_date, Member.confirmed_date, Member.status,
                Member.org_id)
         .where(Member.deleted.is_(False), Member.id.not_in(registered_member_ids()))
         .order_by(Member.seq, Member.name_pinyin))
    if org_ids is not None:
        q = q.where(Member.org_id.in_(org_ids))
    return {mid: one for mid, one in standings(s, s.execute(q).all(), day).items()
            if one.member or (include_gone and one.category is not None)}


class StandingBook:
    """Members' standings on any day, from one read of their dated facts (for figures over many days)."""

    def __init__(self, s: Session, member_ids: Sequence[str]):
        ids = sorted(set(member_ids))
        self._rows = {r[0]: r for r in standing_rows(s, ids)}
        self._hist, self._came = history(s, ids), arrivals(s, ids)
        self._bars, self._moves = sanctions_of(s, ids), moves_of(s, ids)

    def on(self, member_id: str, day: date) -> rules.Standing | None:
        r = self._rows.get(member_id)
        if r is None:
            return None
        return rules.standing_on(r[1] or member_rules.FULL, r[2], r[3], r[4] or member_rules.NORMAL,
                                 self._hist.get(member_id, ()), day, self._came.get(member_id),
                                 self._bars.get(member_id, ()), r[5], self._moves.get(member_id, ()))


def branch_voters(s: Session, org_ids: Sequence[str], day: date) -> int:
    """Members with a vote on `day` (正式, 党籍 normal, not under 留党察看) who sat in these organisations then."""
    from desktop_app.domain.meetings import has_vote

    wanted = set(org_ids)
    ids: set[str] = set(moved_through(s, org_ids))
    for chunk in _chunks(list(org_ids)):
        ids.update(s.scalars(select(Member.id).where(Member.org_id.in_(chunk), Member.deleted.is_(False),
                                                     Member.id.not_in(registered_member_ids()))))
    book = StandingBook(s, sorted(ids))
    return sum(1 for mid in ids if (t := book.on(mid, day)) is not None and t.member and t.org_id in wanted
               and has_vote(t.category or "", t.party_status))


def standing_rows(s: Session, member_ids: Sequence[str]) -> list[tuple]:
    """(id, category, joined_date, confirmed_date, status, org_id) of these members, for `standings`."""
    out: list[tuple] = []
    for chunk in _chunks(list(member_ids)):
        out += s.execute(select(Member.id, Member.category, Member.joined_date, Member.confirmed_date,
                                Member.status, Member.org_id).where(Member.id.in_(chunk))).all()
    return out


# ---------------------------------------------------------------- counts of a day

def counts_on(db: Database, day: date, include_gone: bool = False) -> MembershipCounts:
    """Members on the roster on `day`, by category, status and branch, as they were on that day.

    Reads the dated history, so a 转正, a death or a 转出 after `day` leaves the
    figures of `day` unchanged. 双报到 members (kept apart from the roster) are not counted.
    """
    auth.require(db, "members.read")
    with db.session() as s:
        st = members_on(s, day, include_gone=True)  # the gone are counted apart
        orgs = {o.id: o for o in s.scalars(select(Organization).where(Organization.deleted.is_(False)))}
        names = orgtree.shown_names(s)  # a street's communities each have a 第一网格党支部
    by_cat: Counter = Counter()
    by_status: Counter = Counter()
    by_branch: Counter = Counter()
    gone = 0
    for one in st.values():
        if not rules.on_roster(one.status):
            gone += 1
            if not include_gone:
                continue
        by_cat[one.category] += 1
        by_status[one.status] += 1
        by_branch[_branch_name(orgs, names, one.org_id)] += 1
    return MembershipCounts(
        day=day, total=sum(by_cat.values()), full=by_cat.get(member_rules.FULL, 0),
        probationary=by_cat.get(member_rules.PROBATIONARY, 0),
        by_status={k: by_status[k] for k in member_rules.ALL_STATUSES if by_status.get(k)},
        by_branch=dict(sorted(by_branch.items(), key=lambda kv: (-kv[1], kv[0]))),
        gone=gone,
    )


def _branch_name(orgs: dict, names: dict[str, str], org_id: str | None) -> str:
    o = orgs.get(org_id)
    while o is not None and o.kind == OrgKind.GROUP:
        o = orgs.get(o.parent_id)
    return names.get(o.id, o.name) if o is not None else "未填"


# ---------------------------------------------------------------- 应到 exemptions

def _row(e: AttendanceExemption, name: str) -> ExemptionRow:
    return ExemptionRow(e.id, e.member_id, name, e.start_date, e.end_date, e.reason, e.note)


def exemptions(db: Database, member_id: str | None = None) -> list[ExemptionRow]:
    """Exemptions from 应到, newest first; one member's when member_id is given."""
    auth.require(db, "members.read")
    with db.session() as s:
        q = (select(AttendanceExemption, Member.name)
             .join(Member, Member.id == AttendanceExemption.member_id)
             .where(AttendanceExemption.deleted.is_(False))
             .order_by(AttendanceExemption.start_date.desc()))
        if member_id is not None:
            q = q.where(AttendanceExemption.member_id == member_id)
        return [_row(e, name) for e, name in s.execute(q)]


@writes("members.write")
def add_exemption(uow: UnitOfWork, member_id: str, start: date | None, end: date | None, reason: str,
                  note: str = "") -> ExemptionRow:
    """Excuse a member from 应到 for a period with a stated reason; meetings of those days list the reason."""
    clean = rules.check_exemption(start, end, reason)
    s = uow.session
    m = live(s, Member, member_id, "党员")
    e = AttendanceExemption(member_id=m.id, start_date=clean.start, end_date=clean.end, reason=clean.reason,
                            note=(note or "").strip())
    s.add(e)
    s.flush()
    return _row(e, m.name)


@writes("members.write")
def delete_exemption(uow: UnitOfWork, exemption_id: str) -> None:
    """Withdraw an exemption entered by mistake (meetings already planned keep their sheets)."""
    live(uow.session, AttendanceExemption, exemption_id, "免于应到记录").deleted = True
