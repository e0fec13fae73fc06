"""Dated facts about membership that figures of the past must read: 应到 exemptions.

A member excused from 应到 (长期外出, 病重 …) is excused for a period, not for
ever: a meeting reads the exemptions in force on its own date, so a sheet
printed or counted later still shows who was excused then and why.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, SyncMixin


class AttendanceExemption(SyncMixin, Base):
    """A member excused from 应到 from start_date to end_date (open-ended when None), with the reason."""

    __tablename__ = "attendance_exemption"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[str] = mapped_column(String(40))  # 长期外出 / 病重 / 年老体弱 …
    note: Mapped[str] = mapped_column(Text, default="")
