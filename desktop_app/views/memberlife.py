"""Read models of a member's life in the party: exits, discipline, disposals, moves, 流动, 失联, 议题."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.views.records import BranchMember, MemberRecord


@dataclass(frozen=True)
class ExitRow(MemberRecord):
    branch_name: str
    kind: str
    exit_date: date
    decided_by: str
    document_no: str
    reason: str
    note: str = ""
    from_roster: bool = False  # a 去世 or 转出 entered on the roster (no exit record to withdraw here)


@dataclass(frozen=True)
class DisciplineRow(MemberRecord):
    kind: str
    decided_on: date
    decided_by: str
    document_no: str
    ends_on: date | None
    lifted_on: date | None
    reason: str
    running: bool  # 留党察看 in force today: no vote
    note: str = ""


@dataclass(frozen=True)
class DisposalRow(MemberRecord):
    year: int
    measure: str
    decided_on: date
    decided_by: str
    document_no: str
    deadline: date | None
    outcome: str
    overdue: bool  # 限期改正 past its deadline with no outcome recorded
    note: str = ""


@dataclass(frozen=True)
class MoveRow(MemberRecord):
    moved_on: date
    from_name: str
    to_name: str
    note: str = ""


@dataclass(frozen=True)
class FloatingRow:
    id: str
    direction: str
    member_id: str | None
    name: str
    id_number: str  # masked unless the reader may see it
    card_no: str
    org_id: str
    branch_name: str  # 流出: the member's branch; 流入: the branch attended here
    start_date: date
    end_date: date | None
    place: str
    other_org: str
    contact: str  # masked like a phone unless the reader may see it
    note: str = ""

    @property
    def active(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True)
class SearchRow(MemberRecord):
    tried_on: date
    tried_by: str
    method: str
    result: str
    decision: str  # "" for a search
    note: str = ""


@dataclass(frozen=True)
class LostRow(BranchMember):
    """A 失联党员 (or one suspended for it) with the searches so far and what the rules allow next."""

    status: str
    lost_since: date | None
    months_lost: int | None
    searches: int
    last_search: date | None
    last_decision: str
    next_step: str  # what the rules allow now, in words


@dataclass(frozen=True)
class LapseRow(BranchMember):
    """A member who meets 党章 article 9's six months (without organisation life, or without dues)."""

    last_life: date | None
    dues_paid_to: date | None
    grounds: tuple[str, ...]


@dataclass(frozen=True)
class TopicRow:
    id: str
    meeting_id: str
    seq: int
    title: str
    decision: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    passed: bool | None  # None: no vote taken
    note: str = ""


@dataclass(frozen=True)
class MemberLife:
    """Everything of one member's life after joining, for the member's page."""

    member_id: str
    name: str
    status: str
    branch_name: str
    vote_barred: bool
    exits: tuple[ExitRow, ...]
    disciplines: tuple[DisciplineRow, ...]
    disposals: tuple[DisposalRow, ...]
    moves: tuple[MoveRow, ...]
    floating: tuple[FloatingRow, ...]
    searches: tuple[SearchRow, ...]
    # The way in, oldest first: the 发展党员 file's steps that move it on, or the roster's 入党 / 转正 dates
    path: tuple[tuple[date, str], ...] = ()
    political_birthday: date | None = None  # the day of joining (the 支部大会), whose anniversary is kept
    # 组织关系转接 in and out of this community, newest first: (date, 转入/转出, from, to)
    transfers: tuple[tuple[date, str, str, str, str], ...] = ()  # date, direction, from, to, letter no.
    # organisation life and dues as of the day read; None where the account may not read them
    meetings_year: int | None = None  # held meetings attended (出席) in the twelve months up to the day
    last_meeting: date | None = None  # the last held meeting attended, ever
    dues_read: bool = False
    dues_paid_to: date | None = None  # the latest month paid for (None with dues_read: nothing paid yet)
