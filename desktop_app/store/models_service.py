"""Tables of the module: Serving residents: visits, mediation, wishes, projects.

Link rows (visiting members, claims, parties, milestones …) are synced rows of
their own, so two offline copies merge them like any other record. Names of
people and units are copied onto the rows that print them (visitee_name,
claimant_name …): a printed record stays true when the resident moves away.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, BigInt, StoredFileMixin, SyncMixin
from desktop_app.store.models_cobuilding import PartnerUnit  # noqa: F401  the 共建 feature owns it


class ServiceListItem(SyncMixin, Base):
    """One entry of an editable list (resident tags, issue and project categories, dispute kinds).

    A list with no live rows uses the defaults in domain.service_flow.DEFAULT_LISTS.
    """

    __tablename__ = "service_list_item"

    list_kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Visit(SyncMixin, Base):
    """走访 / 民情恳谈 / 来访 / 电话: what was raised, and its follow-up until closed."""

    __tablename__ = "visit"

    visit_date: Mapped[date] = mapped_column(Date, index=True)
    form: Mapped[str] = mapped_column(String(10))
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True, default=None)
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    visitee_name: Mapped[str] = mapped_column(String(40), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    other_visitors: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(20), default="", index=True)
    content: Mapped[str] = mapped_column(Text, default="")
    raised_issue: Mapped[bool] = mapped_column(Boolean, default=True)
    follow_state: Mapped[str] = mapped_column(String(10), index=True)
    handler: Mapped[str] = mapped_column(String(60), default="")
    due_date: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    resolved_by: Mapped[str] = mapped_column(String(60), default="")
    resolved_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    project_id: Mapped[str | None] = mapped_column(ForeignKey("project.id"), index=True, default=None)
    recorder: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class VisitMember(SyncMixin, Base):
    """A party member who took part in a visit."""

    __tablename__ = "visit_member"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)


class VisitFollowUp(SyncMixin, Base):
    """One move of a visit's follow-up (待处理 → 处理中 → 已解决 …): who, when, how."""

    __tablename__ = "visit_follow_up"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(10), default="")
    to_state: Mapped[str] = mapped_column(String(10))
    on_date: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class MediationCase(SyncMixin, Base):
    """矛盾纠纷调处: one dispute, from receipt to its outcome."""

    __tablename__ = "mediation_case"

    case_no: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(20), default="")
    mediator: Mapped[str] = mapped_column(String(60), default="")
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    state: Mapped[str] = mapped_column(String(10), index=True)  # 调解中 or the outcome
    closed_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    agreement: Mapped[str] = mapped_column(Text, default="")
    transferred_to: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class MediationParty(SyncMixin, Base):
    __tablename__ = "mediation_party"

    case_id: Mapped[str] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(10))
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(120), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class MediationSession(SyncMixin, Base):
    __tablename__ = "mediation_session"

    case_id: Mapped[str] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    session_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(60), default="")
    mediators: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Wish(SyncMixin, Base):
    """微心愿: posted → claimed (withdrawable) → fulfilled; the current claim is copied here."""

    __tablename__ = "wish"

    wish_no: Mapped[str] = mapped_column(String(20), index=True)
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True, default=None)
    wisher_name: Mapped[str] = mapped_column(String(40))
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    content: Mapped[str] = mapped_column(String(200))
    background: Mapped[str] = mapped_column(String(200), default="")
    estimated_fen: Mapped[int] = mapped_column(BigInt, default=0)
    posted_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(10), index=True)
    claimant_kind: Mapped[str] = mapped_column(String(10), default="")
    claimant_member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    claimant_unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    claimant_name: Mapped[str] = mapped_column(String(60), default="")
    claimed_on: Mapped[date | None] = mapped_column(Date, default=None)
    fulfilled_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    fulfil_note: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class WishClaim(SyncMixin, Base):
    """Every claim of a wish, withdrawn ones included: who claimed it and what became of it."""

    __tablename__ = "wish_claim"

    wish_id: Mapped[str] = mapped_column(ForeignKey("wish.id"), index=True)
    claimant_kind: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    claimant_name: Mapped[str] = mapped_column(String(60))
    claimed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # 认领中 / 已撤回 / 已实现
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class WishPhoto(StoredFileMixin, SyncMixin, Base):
    """A photo of a wish (the card, the hand-over), copied into the data folder."""

    __tablename__ = "wish_photo"

    wish_id: Mapped[str] = mapped_column(ForeignKey("wish.id"), index=True)


class Project(SyncMixin, Base):
    """微实事 / 项目清单: a small practical matter with an owner (项目经理), deadline and cost."""

    __tablename__ = "project"

    project_no: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20), index=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    owner_name: Mapped[str] = mapped_column(String(40), default="")
    owner_member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    budget_fen: Mapped[int] = mapped_column(BigInt, default=0)
    actual_cost_fen: Mapped[int] = mapped_column(BigInt, default=0)
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    deadline: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    completed_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    status_note: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ProjectMilestone(SyncMixin, Base):
    __tablename__ = "project_milestone"

    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(60))
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ProjectResident(SyncMixin, Base):
    """A resident or household the project concerns (who asked for it, who benefits)."""

    __tablename__ = "project_resident"

    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True, default=None)
    name: Mapped[str] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(String(200), default="")
