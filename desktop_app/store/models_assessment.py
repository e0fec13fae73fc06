"""Tables of 五好党支部 assessment: the scheme as data, a branch's manual scores, its titles.

The scheme (assessment_scheme + assessment_indicator) is a reference list the
street sends down with sync (sync.outgoing.REFERENCE_TABLES names both tables):
the street owns the schemes it writes (org_id = the street or None), a
community owns its own adaptations (org_id = the community). Scores, evidence
files and titles belong to the community whose branch they rate and travel up.
Scores are kept in tenths of a point (integers), as money is kept in fen.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, StoredFileMixin, SyncMixin


class AssessmentScheme(SyncMixin, Base):
    """One year's scheme: its name, thresholds of the result, and whether it is the shipped sample."""

    __tablename__ = "assessment_scheme"

    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(60))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    excellent_tenths: Mapped[int] = mapped_column(Integer, default=900)  # 五好党支部 from this total
    pass_tenths: Mapped[int] = mapped_column(Integer, default=750)  # 达标 from this total
    notes: Mapped[str] = mapped_column(Text, default="")


class AssessmentIndicator(SyncMixin, Base):
    """A node of the scheme's tree: a category (一级), an item (二级) or an indicator (三级).

    Only indicators carry a maximum score and a rule ("manual" or the key of a
    computed rule with its parameters as JSON text).
    """

    __tablename__ = "assessment_indicator"

    scheme_id: Mapped[str] = mapped_column(ForeignKey("assessment_scheme.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("assessment_indicator.id"), index=True, default=None)
    level: Mapped[str] = mapped_column(String(10))  # category / item / indicator
    code: Mapped[str] = mapped_column(String(20), default="")  # 1 / 1.2 / 1.2.3
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    max_tenths: Mapped[int] = mapped_column(Integer, default=0)
    rule: Mapped[str] = mapped_column(String(40), default="manual")
    params: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class AssessmentScore(SyncMixin, Base):
    """A manual score a branch gets on one indicator in one year, with its note and evidence text."""

    __tablename__ = "assessment_score"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    indicator_id: Mapped[str] = mapped_column(ForeignKey("assessment_indicator.id"), index=True)
    score_tenths: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")  # one piece of evidence a line
    scored_by: Mapped[str] = mapped_column(String(40), default="")
    scored_on: Mapped[date | None] = mapped_column(Date, default=None)


class AssessmentEvidence(StoredFileMixin, SyncMixin, Base):
    """A file attached to a manual score (a scan, a photo), copied into the data folder."""

    __tablename__ = "assessment_evidence"

    score_id: Mapped[str] = mapped_column(ForeignKey("assessment_score.id"), index=True)


class AssessmentTitle(SyncMixin, Base):
    """An honour a branch received (红旗党支部, 示范点): when and from whom."""

    __tablename__ = "assessment_title"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(40))
    granted_on: Mapped[date | None] = mapped_column(Date, default=None)
    issued_by: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
