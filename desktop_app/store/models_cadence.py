"""Per-branch settings of the 三会一课 cadence: since when it is tracked, and whether it has a committee.

Which meetings a branch owes depends on the branch (a branch of fewer than seven
正式党员 has no 支委会; one without 党小组 holds no 党小组会), and overdue counts
start when the center began keeping records for it, not on 1 January.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, SyncMixin


class BranchCadence(SyncMixin, Base):
    """One branch's cadence settings; a branch without a row follows the defaults."""

    __tablename__ = "branch_cadence"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    tracking_since: Mapped[date | None] = mapped_column(Date, default=None)
    # None: decided by the 党章 (七名以上正式党员 or a registered committee); True/False: set by hand
    has_committee: Mapped[bool | None] = mapped_column(Boolean, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
