"""Tables. Every synced table carries SyncMixin's columns; Site is local identity."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, BigInt, SyncMixin, new_id, utcnow


class Site(Base):
    """This database's identity: which community or street office it belongs to."""

    __tablename__ = "site"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_code: Mapped[str] = mapped_column(String(32))
    org_name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(16))  # community | street
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Organization(SyncMixin, Base):
    __tablename__ = "organization"

    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id"), index=True, default=None
    )
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Member(SyncMixin, Base):
    """党员: the columns of the 党员基本信息采集表, plus reporting and status."""

    __tablename__ = "member"
    # A live member's ID number is unique per writing site (db/versions/0019); a removed one may return.
    # Its PostgreSQL condition is added by _live_id_number_on_postgresql: a postgresql_where here loads
    # SQLAlchemy's PostgreSQL dialect (and its drivers' modules) on every start on SQLite, ~35 ms of CPU.
    __table_args__ = (Index("uq_member_live_id_number", "id_number", "updated_by_site", unique=True,
                            sqlite_where=text("deleted = 0")),)

    seq: Mapped[int] = mapped_column(BigInt, default=0)  # 序号 as kept by the center
    # No index on the name, its pinyin or initials (db/versions/0031, 0032): keys spread over their whole range
    # cost every import into a big roster a write of each leaf; searches and name lookups read ix_member_roster.
    name: Mapped[str] = mapped_column(String(40))
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    name_initials: Mapped[str] = mapped_column(String(40), default="")
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    id_number: Mapped[str] = mapped_column(String(18))  # uq_member_live_id_number leads with it
    gender: Mapped[str] = mapped_column(String(2), default="")
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    education: Mapped[str] = mapped_column(String(20), default="")
    category: Mapped[str] = mapped_column(String(10), default="正式党员")  # 正式党员 / 预备党员
    joined_date: Mapped[date | None] = mapped_column(Date, default=None)
    confirmed_date: Mapped[date | None] = mapped_column(Date, default=None)
    job: Mapped[str] = mapped_column(String(60), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(120), default="")
    party_status: Mapped[str] = mapped_column(String(10), default="正常")  # 正常 / 停止党籍
    is_lost: Mapped[bool] = mapped_column(Boolean, default=False)
    lost_date: Mapped[date | None] = mapped_column(Date, default=None)
    is_floating: Mapped[bool] = mapped_column(Boolean, default=False)
    floating_to: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Where the member is now: 正常 / 流动 / 停止党籍 / 失联 / 转出 / 去世
    status: Mapped[str] = mapped_column(String(10), default="正常")
    # 在职党员报到 (双报到)
    reporting_employer: Mapped[str] = mapped_column(String(120), default="")
    reporting_post: Mapped[str] = mapped_column(String(60), default="")
    reporting_date: Mapped[date | None] = mapped_column(Date, default=None)
    reporting_services: Mapped[str] = mapped_column(Text, default="")
    is_hardship: Mapped[bool] = mapped_column(Boolean, default=False)  # 困难党员


@event.listens_for(Member.__table__, "before_create")
def _live_id_number_on_postgresql(table, conn, **_kw) -> None:
    """Created on PostgreSQL (Base.metadata.create_all), the index is partial there too, as migration 0019 makes it."""
    if conn.dialect.name == "postgresql":
        index = next(ix for ix in table.indexes if ix.name == "uq_member_live_id_number")
        index.dialect_options["postgresql"]["where"] = text("NOT deleted")


class Household(SyncMixin, Base):
    __tablename__ = "household"

    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    building: Mapped[str] = mapped_column(String(20), default="")  # 楼栋
    unit: Mapped[str] = mapped_column(String(20), default="")  # 单元
    room: Mapped[str] = mapped_column(String(20), default="")  # 室
    address: Mapped[str] = mapped_column(String(120), default="")
    head_name: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Resident(SyncMixin, Base):
    """居民 of interest to the center; tags such as 独居老人 are comma separated."""

    __tablename__ = "resident"

    name: Mapped[str] = mapped_column(String(40), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(200), default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(40), default="", index=True)
    household_id: Mapped[str | None] = mapped_column(
        ForeignKey("household.id"), index=True, default=None
    )
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    id_number: Mapped[str] = mapped_column(String(18), default="", index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    phone: Mapped[str] = mapped_column(String(30), default="")
    tags: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class MemberStatusChange(SyncMixin, Base):
    """One change of a member's status (流动, 失联, 去世 …): the roster keeps the latest."""

    __tablename__ = "member_status_change"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    changed_on: Mapped[date] = mapped_column(Date)
    destination: Mapped[str] = mapped_column(String(120), default="")  # 外出流向 / 转往
    note: Mapped[str] = mapped_column(Text, default="")


class Transfer(SyncMixin, Base):
    """组织关系转接: a move of a member's party relationship in (转入) or out (转出)."""

    __tablename__ = "transfer"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    direction: Mapped[str] = mapped_column(String(4))  # 转入 / 转出
    transfer_date: Mapped[date] = mapped_column(Date)
    from_org: Mapped[str] = mapped_column(Text, default="")
    to_org: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    letter_no: Mapped[str] = mapped_column(String(40), default="")  # 介绍信编号
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)  # 介绍信有效期至
    receipt_on: Mapped[date | None] = mapped_column(Date, default=None)  # 回执 received (转出) or returned (转入)
    dues_paid_to: Mapped[date | None] = mapped_column(Date, default=None)  # 党费交至 (the month's first day)


# Search-as-you-type on the roster reads only these member columns, in roster order
# (deleted, seq, name_pinyin, id): a covering index answers it without touching the
# table or sorting, about three times faster on 100,000 members.
Index(
    "ix_member_roster",
    Member.deleted, Member.seq, Member.name_pinyin, Member.id, Member.name, Member.name_initials,
    Member.id_number, Member.mobile, Member.org_id, Member.status, Member.category,
)
