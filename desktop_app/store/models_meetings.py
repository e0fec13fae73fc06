"""Tables of the module: 三会一课 and organisation life.

Kinds, statuses and grades are stored as the Chinese words of domain.meetings
(支部党员大会, 出席, 优秀 …) so a synced CSV reads plainly; meeting status is
planned / held / cancelled.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time, event, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, BigInt, SyncMixin


class MeetingKindSetting(SyncMixin, Base):
    """A center's own cadence for one kind of meeting (defaults live in domain.meetings).

    `org_id` is the community (社区党委) whose rule it is, so a street database
    holding many communities keeps each one's rules apart; None = every community.
    """

    __tablename__ = "meeting_kind_setting"

    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(10))  # month / quarter / half / year / none
    times: Mapped[int] = mapped_column(Integer, default=1)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class CommitteeMember(SyncMixin, Base):
    """支部委员会成员: who sits on a branch committee, in which role, from when to when."""

    __tablename__ = "committee_member"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="委员")
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)  # None = still serving
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Meeting(SyncMixin, Base):
    """One meeting of 三会一课 or organisation life, planned, held or cancelled."""

    __tablename__ = "meeting"

    number: Mapped[str] = mapped_column(String(40), index=True)  # printed on the sheet and its QR code
    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(100), default="")
    meeting_date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time | None] = mapped_column(Time, default=None)
    end_time: Mapped[time | None] = mapped_column(Time, default=None)
    place: Mapped[str] = mapped_column(String(60), default="")
    host: Mapped[str] = mapped_column(String(40), default="")  # 主持人
    recorder: Mapped[str] = mapped_column(String(40), default="")  # 记录人
    lecturer: Mapped[str] = mapped_column(String(40), default="")  # 授课人 (党课)
    minutes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="planned", index=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Attendance(SyncMixin, Base):
    """One expected attendee or guest of a meeting and how they attended.

    A member has member_id; a guest from outside the roster has only guest_name.
    status is "" until recorded, then 出席 / 请假 / 缺席 / 列席.
    """

    __tablename__ = "attendance"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    guest_name: Mapped[str] = mapped_column(String(40), default="")
    guest_unit: Mapped[str] = mapped_column(String(60), default="")  # 列席 guest's unit or post
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)  # 列席: not counted in 应到
    status: Mapped[str] = mapped_column(String(4), default="")
    reason: Mapped[str] = mapped_column(String(100), default="")  # 请假 reason
    excused_reason: Mapped[str] = mapped_column(String(40), default="")  # 免于应到: 长期外出, 病重 …
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class MeetingAttachment(SyncMixin, Base):
    """A file kept with a meeting (the signed sheet's scan, photos), copied into the data folder."""

    __tablename__ = "meeting_attachment"

    # The file columns are declared here, not taken from StoredFileMixin: a mixin's columns
    # come after these in the package, and the columns' order on the wire is fixed per format.
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))  # as the user named it
    stored_name: Mapped[str] = mapped_column(String(200))  # under data_dir()/attachments
    size: Mapped[int] = mapped_column(BigInt, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class Evaluation(SyncMixin, Base):
    """民主评议党员: one member's grade for one year."""

    __tablename__ = "evaluation"
    # One live grade per member, year and writing site (db/versions/0039); see _live_on_postgresql.
    __table_args__ = (Index("uq_evaluation_live_member_year", "member_id", "year", "updated_by_site",
                            unique=True, sqlite_where=text("deleted = 0")),)

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    year: Mapped[int] = mapped_column(Integer, index=True)
    grade: Mapped[str] = mapped_column(String(6))
    notes: Mapped[str] = mapped_column(Text, default="")


class EvaluationBallot(SyncMixin, Base):
    """民主测评 of a branch for a year: ballots issued (发出) and returned (收回), and the day it was held.

    One live row per branch, year and writing site (db/versions/0039; services.evaluation_votes keeps to
    it); should two sites both have entered one, the latest edit wins as for grades."""

    __tablename__ = "evaluation_ballot"
    __table_args__ = (Index("uq_evaluation_ballot_live_org_year", "org_id", "year", "updated_by_site",
                            unique=True, sqlite_where=text("deleted = 0")),)

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    held_on: Mapped[date | None] = mapped_column(Date, default=None)


class EvaluationVote(SyncMixin, Base):
    """One member's 民主测评 tally for a year: the ballots that ticked each grade.

    `org_id` is the member's organisation (branch or group), as an evaluation's is."""

    __tablename__ = "evaluation_vote"
    __table_args__ = (Index("uq_evaluation_vote_live_member_year", "member_id", "year", "updated_by_site",
                            unique=True, sqlite_where=text("deleted = 0")),)

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    excellent: Mapped[int] = mapped_column(Integer, default=0)  # 优秀
    qualified: Mapped[int] = mapped_column(Integer, default=0)  # 合格
    basic: Mapped[int] = mapped_column(Integer, default=0)  # 基本合格
    unqualified: Mapped[int] = mapped_column(Integer, default=0)  # 不合格


@event.listens_for(Evaluation.__table__, "before_create")
@event.listens_for(EvaluationBallot.__table__, "before_create")
@event.listens_for(EvaluationVote.__table__, "before_create")
def _live_on_postgresql(table, conn, **_kw) -> None:
    """Created on PostgreSQL (Base.metadata.create_all), the index is partial there too, as migration 0039
    makes it (a postgresql_where in __table_args__ would load that dialect on every start on SQLite)."""
    if conn.dialect.name == "postgresql":
        index = next(ix for ix in table.indexes if ix.name.startswith("uq_"))
        index.dialect_options["postgresql"]["where"] = text("NOT deleted")
