"""Tables of the module: Funding ledger (经费台账) and party dues (党费).

Amounts are integer fen (BigInteger, so PostgreSQL sums never overflow int4).
Posted ledger entries are never updated or tombstoned: a mistake gets a
reversing entry pointing to it (`reversal_of`). The books belong to an
organisation (`org_id`: the community that keeps them), so a street office
that merges many communities keeps their voucher numbers apart.
Links to projects, meetings and activities are plain nullable string ids:
those tables belong to other modules.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, SyncMixin, new_id, utcnow


class Account(SyncMixin, Base):
    """A fund (经费账户): 服务群众专项经费, 党费 … ; `kind` "dues" marks where paid dues post."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_account_org_name"),)

    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Budget(SyncMixin, Base):
    """A year's budget of an account, as a whole (category "") or for one spending category."""

    __tablename__ = "budget"
    __table_args__ = (UniqueConstraint("account_id", "year", "category", name="uq_budget_account_year_category"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(20), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class LedgerEntry(SyncMixin, Base):
    """One posted entry (记账凭证). Never edited: corrected by a reversal (红字冲销)."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        UniqueConstraint("org_id", "voucher_no", name="uq_ledger_entry_org_voucher"),
        # Balances and statements read only this index (a covering index: no table lookups).
        Index("ix_ledger_entry_account_date", "account_id", "entry_date", "direction", "amount_fen", "deleted"),
    )

    # Lookups by org go through uq_ledger_entry_org_voucher (org_id first); fewer indexes, faster inserts.
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), default=None)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    entry_date: Mapped[date] = mapped_column(Date, index=True)
    direction: Mapped[str] = mapped_column(String(4))  # 收入 / 支出
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # negative only on a reversal
    category: Mapped[str] = mapped_column(String(20), default="")
    voucher_no: Mapped[str] = mapped_column(String(20))
    counterparty: Mapped[str] = mapped_column(String(60), default="")  # 收/付款方
    handler: Mapped[str] = mapped_column(String(20), default="")  # 经办人
    entered_by: Mapped[str] = mapped_column(String(20), default="")  # 录入人
    memo: Mapped[str] = mapped_column(Text, default="")  # 摘要
    reversal_of: Mapped[str | None] = mapped_column(
        ForeignKey("ledger_entry.id"), unique=True, default=None
    )
    project_id: Mapped[str | None] = mapped_column(String(36), index=True, default=None)  # a project's cost
    meeting_id: Mapped[str | None] = mapped_column(String(36), default=None)
    activity_id: Mapped[str | None] = mapped_column(String(36), default=None)


class LedgerAttachment(SyncMixin, Base):
    """A scanned receipt, copied into the data folder's attachments/ (path relative to it)."""

    __tablename__ = "ledger_attachment"

    entry_id: Mapped[str] = mapped_column(ForeignKey("ledger_entry.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))  # as the user chose it
    stored_path: Mapped[str] = mapped_column(String(300))  # relative to data_dir()/attachments
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class ClosedMonth(SyncMixin, Base):
    """结账: the month (its first day) of an organisation's books, closed for good."""

    __tablename__ = "closed_month"
    __table_args__ = (UniqueConstraint("org_id", "month", name="uq_closed_month_org_month"),)

    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    month: Mapped[date] = mapped_column(Date)
    closed_by: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class LedgerMonthBalance(Base):
    """A closed month's totals of one account by direction and category, kept when the month closes.

    A local cache, never synced (no SyncMixin): each site derives it from its
    own entries. A row counts only while the ClosedMonth row it was built from
    (`closed_month_id` at `closed_version`) is still live and unchanged, so a
    month reopened (its row tombstoned or changed) drops out of every read
    until it is closed and built again. Every account of the books gets a row
    per built month (zero when idle), so a built month is known by its rows.
    """

    __tablename__ = "ledger_month_balance"
    __table_args__ = (
        Index("ix_ledger_month_balance_org_month", "org_id", "month"),
        Index("ix_ledger_month_balance_account_month", "account_id", "month"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str | None] = mapped_column(String(36), default=None)  # whose books (None: no site yet)
    month: Mapped[date] = mapped_column(Date)  # first day
    account_id: Mapped[str] = mapped_column(String(36))
    direction: Mapped[str] = mapped_column(String(4))
    category: Mapped[str] = mapped_column(String(20), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    reversals: Mapped[int] = mapped_column(Integer, default=0)
    closed_month_id: Mapped[str] = mapped_column(String(36))
    closed_version: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DuesRateRule(SyncMixin, Base):
    """A line of the 党费 rate table (see domain.dues.RateRule): brackets with an effective date."""

    __tablename__ = "dues_rate_rule"

    category: Mapped[str] = mapped_column(String(10), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    over_fen: Mapped[int | None] = mapped_column(BigInteger, default=None)  # exclusive
    upto_fen: Mapped[int | None] = mapped_column(BigInteger, default=None)  # inclusive
    rate_bp: Mapped[int | None] = mapped_column(Integer, default=None)  # 万分之
    fixed_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    min_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    max_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class DuesBase(SyncMixin, Base):
    """A member's dues base from a month on: category, monthly income after tax, agreed amount."""

    __tablename__ = "dues_base"
    # The unique constraint's index (member_id first) also serves lookups by member.
    __table_args__ = (UniqueConstraint("member_id", "effective_from", name="uq_dues_base_member_month"),)

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"))
    effective_from: Mapped[date] = mapped_column(Date)  # first day of a month
    category: Mapped[str] = mapped_column(String(10))  # 在职 / 离退休 / 农民 / 学生 / 下岗失业 / 低保
    income_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    # A farmer's chosen amount, or an approved reduction/exemption (少交/免交); None = by the table.
    fixed_due_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    quarterly_consent: Mapped[bool] = mapped_column(Boolean, default=False)  # 经支部同意按季度交纳
    note: Mapped[str] = mapped_column(Text, default="")


class DuesRecord(SyncMixin, Base):
    """One member's dues for one month: what was due, what was paid, when and to whom."""

    __tablename__ = "dues_record"
    # The unique constraint's index (member_id first) also serves lookups by member.
    __table_args__ = (UniqueConstraint("member_id", "month", name="uq_dues_record_member_month"),)

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"))
    month: Mapped[date] = mapped_column(Date, index=True)  # first day of the month paid for
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    category: Mapped[str] = mapped_column(String(10), default="")
    base_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    rate_bp: Mapped[int | None] = mapped_column(Integer, default=None)
    due_fen: Mapped[int] = mapped_column(Integer, default=0)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)
    collected_by: Mapped[str] = mapped_column(String(20), default="")
    quarterly_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    ledger_entry_id: Mapped[str | None] = mapped_column(ForeignKey("ledger_entry.id"), index=True, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
