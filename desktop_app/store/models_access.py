"""Tables of users and the audit trail (both synced), and the local access policy.

The audit trail travels with sync like any other table, so the street office
sees who changed what in each community. ID numbers and phones in it are
stored masked (store/audit.py masks them before writing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, SyncMixin, utcnow


class User(SyncMixin, Base):
    """A local account. The password is kept only as a scrypt hash with its salt and parameters."""

    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    login: Mapped[str] = mapped_column(String(40), index=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))  # domain.access.Role
    grid_ids: Mapped[str] = mapped_column(Text, default="")  # comma-separated organisation ids (网格员)
    # The organisation whose subtree alone this account sees and changes ("": the whole database).
    org_id: Mapped[str] = mapped_column(String(36), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(128))  # base64 of the derived key
    password_salt: Mapped[str] = mapped_column(String(64))  # base64
    kdf_params: Mapped[str] = mapped_column(String(80))  # e.g. scrypt:n=32768,r=8,p=1,len=32
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class AuditEntry(SyncMixin, Base):
    """One event: who, when, where, which record, and its fields before and after (JSON)."""

    __tablename__ = "audit_entry"

    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)  # UTC
    user_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    user_name: Mapped[str] = mapped_column(String(40), default="")  # kept: the account may go
    site_id: Mapped[str] = mapped_column(String(36), default="")
    table_name: Mapped[str] = mapped_column(String(40), index=True)
    row_id: Mapped[str] = mapped_column(String(36), default="")
    label: Mapped[str] = mapped_column(String(120), default="")  # what the record was called
    action: Mapped[str] = mapped_column(String(20), index=True)
    before_json: Mapped[str] = mapped_column(Text, default="")
    after_json: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # The chain per site: the hash of this site's entry before, and of this one (store.audit).
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")


# A record's history: every entry of one row, oldest first.
Index("ix_audit_entry_row", AuditEntry.table_name, AuditEntry.row_id, AuditEntry.at)


class AccessSetting(Base):
    """This PC's access policy (auto-lock minutes …): local, never synced."""

    __tablename__ = "access_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), default="")
