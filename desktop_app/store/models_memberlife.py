"""A member's life in the party after joining: leaving (出党), discipline, moves, 流动 and 失联.

Each fact is a dated row, so figures about a past day read what was true then:
a 留党察看 bars the vote until its end date, a move between branches leaves last
year's branch counts alone, an exit takes the member off every later count.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, BigInt, SyncMixin


class PartyExit(SyncMixin, Base):
    """出党 or leaving the roster: 除名, 退党, 开除党籍, 自行脱党, 去世, 转出 with the decision behind it."""

    __tablename__ = "party_exit"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    exit_date: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(60), default="")  # 决定机关
    document_no: Mapped[str] = mapped_column(String(40), default="")  # 文号
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    prior_status: Mapped[str] = mapped_column(String(10), default="")  # restored when the record is withdrawn
    status_change_id: Mapped[str] = mapped_column(String(36), default="")  # the history row it wrote


class Discipline(SyncMixin, Base):
    """党纪处分: 警告, 严重警告, 撤销党内职务, 留党察看 (with its end: no vote until then)."""

    __tablename__ = "discipline"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    document_no: Mapped[str] = mapped_column(String(40), default="")
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)  # 留党察看 until
    lifted_on: Mapped[date | None] = mapped_column(Date, default=None)  # 恢复党员权利 (early or on time)
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Disposal(SyncMixin, Base):
    """不合格党员处置 after a 民主评议: 限期改正, 劝退 or 除名."""

    __tablename__ = "member_disposal"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the 民主评议's year
    measure: Mapped[str] = mapped_column(String(8))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    document_no: Mapped[str] = mapped_column(String(40), default="")
    deadline: Mapped[date | None] = mapped_column(Date, default=None)  # 限期改正 until
    outcome: Mapped[str] = mapped_column(String(40), default="")  # 已改正 / 仍无转变 …
    note: Mapped[str] = mapped_column(Text, default="")


class OrgMove(SyncMixin, Base):
    """A member moved from one branch or 党小组 to another on a day (past counts use the branch of their day)."""

    __tablename__ = "member_org_move"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    from_org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), default=None)
    to_org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    moved_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class FloatingRecord(SyncMixin, Base):
    """流动党员: 流出 (ours, gone elsewhere) or 流入 (from elsewhere, attending a branch here), with the 活动证."""

    __tablename__ = "floating_record"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)  # our branch concerned
    direction: Mapped[str] = mapped_column(String(4))  # 流出 / 流入
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)  # 流出
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18), default="")
    card_no: Mapped[str] = mapped_column(String(40), default="")  # 流动党员活动证 number
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)  # returned / left
    place: Mapped[str] = mapped_column(String(120), default="")  # 流向 (流出) / 来自 (流入)
    other_org: Mapped[str] = mapped_column(String(120), default="")  # 流出: attends there; 流入: 组织关系所在
    contact: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class LostSearch(SyncMixin, Base):
    """One attempt to find a 失联党员 (who tried what, when) or the decision taken."""

    __tablename__ = "lost_search"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    tried_on: Mapped[date] = mapped_column(Date)
    tried_by: Mapped[str] = mapped_column(String(40), default="")
    method: Mapped[str] = mapped_column(String(20), default="")  # 电话 / 上门 / 函询 …
    result: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(20), default="")  # "" for a search; else the decision
    note: Mapped[str] = mapped_column(Text, default="")


class MeetingTopic(SyncMixin, Base):
    """议题 of a meeting, with the decision and the vote where one was taken."""

    __tablename__ = "meeting_topic"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInt, default=0)
    title: Mapped[str] = mapped_column(String(120))
    decision: Mapped[str] = mapped_column(Text, default="")
    votes_for: Mapped[int | None] = mapped_column(Integer, default=None)
    votes_against: Mapped[int | None] = mapped_column(Integer, default=None)
    votes_abstain: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
