"""发展党员: people on their way into the party and every dated step of the way.

An applicant (入党申请人) becomes an 积极分子, a 发展对象, a 预备党员 and, a year
later, a 正式党员. Each step is a dated record with the body that decided it, its
document number, its vote counts where a vote is taken and the documents
checked; the applicant's stage is kept on the row for lists. Once admitted
(上级党委审批) the person is on the roster too (member_id).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, SyncMixin


class Applicant(SyncMixin, Base):
    __tablename__ = "applicant"

    name: Mapped[str] = mapped_column(String(40), index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    id_number: Mapped[str] = mapped_column(String(18), default="")
    education: Mapped[str] = mapped_column(String(20), default="")
    job: Mapped[str] = mapped_column(String(60), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)  # the branch
    stage: Mapped[str] = mapped_column(String(12), default="入党申请人", index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    contacts: Mapped[str] = mapped_column(String(60), default="")  # 培养联系人, joined by 、
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class DevelopmentStep(SyncMixin, Base):
    __tablename__ = "development_step"

    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    done_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(60), default="")  # deciding body: 支委会, 支部大会, 街道党工委 …
    document_no: Mapped[str] = mapped_column(String(40), default="")
    votes_for: Mapped[int | None] = mapped_column(Integer, default=None)
    votes_against: Mapped[int | None] = mapped_column(Integer, default=None)
    votes_abstain: Mapped[int | None] = mapped_column(Integer, default=None)
    voters_expected: Mapped[int | None] = mapped_column(Integer, default=None)  # 应到会有表决权的正式党员
    months: Mapped[int | None] = mapped_column(Integer, default=None)  # 延长预备期: how many months
    documents: Mapped[str] = mapped_column(Text, default="")  # the checklist's documents on file, joined by 、
    note: Mapped[str] = mapped_column(Text, default="")
