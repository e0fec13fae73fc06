"""Tables of 共驻共建: partner units, activities with the units and people in them, and the 双报到 register.

The community's own roster stays in `member`; a 在职党员 who reports here keeps
their 组织关系 with the employer, so they live in `reporting_member`, apart from
the roster. Names are copied onto the rows that print them (unit_name, name):
a printed register stays true when a unit is renamed or a person leaves.
Hours are kept in tenths of an hour (integers, like money in fen).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, BigInt, StoredFileMixin, SyncMixin


class PartnerUnit(SyncMixin, Base):
    """共建单位: a unit that co-builds with the community, takes part in activities and may claim wishes."""

    __tablename__ = "partner_unit"

    name: Mapped[str] = mapped_column(String(60), index=True)
    contact_person: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="")  # 机关, 企事业单位, 两新组织 …
    party_org: Mapped[str] = mapped_column(String(120), default="")  # the unit's own party organisation
    address: Mapped[str] = mapped_column(String(120), default="")
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)
    offers: Mapped[str] = mapped_column(String(120), default="")  # 阵地、资金、专业服务、志愿者, joined by 、


class Activity(SyncMixin, Base):
    """A 共建 activity: 四进, 文艺演出, 政策宣讲, 义诊, 志愿服务 …"""

    __tablename__ = "cobuild_activity"

    activity_date: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(80))
    place: Mapped[str] = mapped_column(String(120), default="")
    residents_served: Mapped[int] = mapped_column(Integer, default=0)
    cost_fen: Mapped[int] = mapped_column(BigInt, default=0)
    content: Mapped[str] = mapped_column(Text, default="")


class ActivityOrg(SyncMixin, Base):
    """A branch (or the community committee) that organised an activity."""

    __tablename__ = "cobuild_activity_org"

    activity_id: Mapped[str] = mapped_column(ForeignKey("cobuild_activity.id"), index=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)


class ActivityUnit(SyncMixin, Base):
    """A partner unit that organised or took part in an activity."""

    __tablename__ = "cobuild_activity_unit"

    activity_id: Mapped[str] = mapped_column(ForeignKey("cobuild_activity.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(60), default="")


class ActivityPerson(SyncMixin, Base):
    """Someone who served at an activity, with the hours they gave."""

    __tablename__ = "cobuild_activity_person"

    activity_id: Mapped[str] = mapped_column(ForeignKey("cobuild_activity.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # 党员 / 报到党员 / 志愿者
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    reporting_member_id: Mapped[str | None] = mapped_column(
        ForeignKey("reporting_member.id"), index=True, default=None)
    name: Mapped[str] = mapped_column(String(40))
    hours_tenths: Mapped[int] = mapped_column(Integer, default=0)


class ActivityPhoto(StoredFileMixin, SyncMixin, Base):
    """A photo of an activity, copied into the data folder."""

    __tablename__ = "cobuild_activity_photo"

    activity_id: Mapped[str] = mapped_column(ForeignKey("cobuild_activity.id"), index=True)


class ReportingMember(SyncMixin, Base):
    """双报到: a 在职党员 reporting to the community; the 组织关系 stays with the employer.

    `member_id` links a person who was on the community's roster before the
    register existed; such a member no longer counts in the roster, 应到, quorum or 党费.
    """

    __tablename__ = "reporting_member"

    name: Mapped[str] = mapped_column(String(40), index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    mobile: Mapped[str] = mapped_column(String(30), default="")
    employer: Mapped[str] = mapped_column(String(120), default="")
    employer_org: Mapped[str] = mapped_column(String(120), default="")  # the employer's party organisation
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    job: Mapped[str] = mapped_column(String(60), default="")  # post at the employer (the old 报到岗位)
    reported_on: Mapped[date | None] = mapped_column(Date, default=None)
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    skills: Mapped[str] = mapped_column(Text, default="")  # what they offer (the old 服务内容)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class ReportingPost(SyncMixin, Base):
    """认领岗位: a post the community offers to reporting members."""

    __tablename__ = "reporting_post"

    name: Mapped[str] = mapped_column(String(60))
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    duties: Mapped[str] = mapped_column(Text, default="")
    places: Mapped[int] = mapped_column(Integer, default=1)


class PostClaim(SyncMixin, Base):
    """A reporting member took a post (认领), and maybe gave it up."""

    __tablename__ = "reporting_post_claim"

    post_id: Mapped[str] = mapped_column(ForeignKey("reporting_post.id"), index=True)
    reporting_member_id: Mapped[str] = mapped_column(ForeignKey("reporting_member.id"), index=True)
    claimed_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)


class ServiceLog(SyncMixin, Base):
    """A dated service a reporting member gave, with hours and 积分."""

    __tablename__ = "reporting_service"

    reporting_member_id: Mapped[str] = mapped_column(ForeignKey("reporting_member.id"), index=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    post_id: Mapped[str | None] = mapped_column(ForeignKey("reporting_post.id"), default=None)
    content: Mapped[str] = mapped_column(String(200))
    hours_tenths: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)


def registered_member_ids():
    """Roster members moved into the 双报到 register: they count in neither roster, 应到, quorum nor 党费."""
    return select(ReportingMember.member_id).where(
        ReportingMember.member_id.is_not(None), ReportingMember.deleted.is_(False))


class CommitteeSeat(SyncMixin, Base):
    """兼职委员: a resident unit's party leader sitting on the street 大工委 or the community 大党委."""

    __tablename__ = "cobuild_committee"

    level: Mapped[str] = mapped_column(String(10), index=True)  # 大工委 / 大党委
    name: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    unit_name: Mapped[str] = mapped_column(String(60), default="")
    post: Mapped[str] = mapped_column(String(40), default="兼职委员")
    phone: Mapped[str] = mapped_column(String(30), default="")
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date, default=None)


class CareVisit(SyncMixin, Base):
    """慰问: who went, when, on what occasion; the people visited are CareRecipient rows."""

    __tablename__ = "cobuild_care"

    care_date: Mapped[date] = mapped_column(Date, index=True)
    occasion: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(80))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    givers: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class CareRecipient(SyncMixin, Base):
    """One person visited, with what they were given (signed for on the 签领 sheet)."""

    __tablename__ = "cobuild_care_recipient"

    care_id: Mapped[str] = mapped_column(ForeignKey("cobuild_care.id"), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), index=True, default=None)
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    name: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(20), default="")  # 困难党员, 老党员, 困难群众 …
    address: Mapped[str] = mapped_column(String(120), default="")
    items: Mapped[str] = mapped_column(String(120), default="")
    amount_fen: Mapped[int] = mapped_column(BigInt, default=0)


class Contact(SyncMixin, Base):
    """楼门书记 / 党员联系户: which member keeps in touch with which building or household."""

    __tablename__ = "cobuild_contact"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    member_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(10))  # 楼门书记 / 联系户
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    building: Mapped[str] = mapped_column(String(40), default="")
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True, default=None)
    household_label: Mapped[str] = mapped_column(String(120), default="")
    since: Mapped[date | None] = mapped_column(Date, default=None)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)


class Pairing(SyncMixin, Base):
    """双进双认: an office's party organisation paired with this community."""

    __tablename__ = "cobuild_pairing"

    unit_id: Mapped[str] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(60))
    party_org: Mapped[str] = mapped_column(String(120), default="")
    paired_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class PairingItem(SyncMixin, Base):
    """What a pairing took on: a post (认岗位) or a household adopted (认亲戚)."""

    __tablename__ = "cobuild_pairing_item"

    pairing_id: Mapped[str] = mapped_column(ForeignKey("cobuild_pairing.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # 认岗位 / 认亲戚
    name: Mapped[str] = mapped_column(String(120))  # the post, or the household as printed
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True, default=None)
    since: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class PairingVisit(SyncMixin, Base):
    """A visit to an adopted household (or work done on a post), dated."""

    __tablename__ = "cobuild_pairing_visit"

    item_id: Mapped[str] = mapped_column(ForeignKey("cobuild_pairing_item.id"), index=True)
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    visitors: Mapped[str] = mapped_column(String(120), default="")
    content: Mapped[str] = mapped_column(String(300))


class ListItem(SyncMixin, Base):
    """三单: a line of the 需求清单 (what residents need), 资源清单 (what a unit offers) or
    项目清单 (a project matching them, claimed by a unit, tracked to done, maybe run as a 微实事)."""

    __tablename__ = "cobuild_list_item"

    list_kind: Mapped[str] = mapped_column(String(4), index=True)  # 需求 / 资源 / 项目
    title: Mapped[str] = mapped_column(String(80))
    detail: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default="")
    raised_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(10), default="", index=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"), default=None)  # a need raised on a visit
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    need_id: Mapped[str | None] = mapped_column(ForeignKey("cobuild_list_item.id"), default=None)
    resource_id: Mapped[str | None] = mapped_column(ForeignKey("cobuild_list_item.id"), default=None)
    project_id: Mapped[str | None] = mapped_column(ForeignKey("project.id"), default=None)  # 微实事
    claimed_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)


class JointTopic(SyncMixin, Base):
    """联席会议 / 议事会议: a unit that attended (no topic) or a 议题 and the unit that took it on.

    The meeting itself is an ordinary `meeting` row of kind 联席会议 (the meetings module
    plans and records it); this table adds what only co-building needs.
    """

    __tablename__ = "cobuild_joint_topic"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    unit_name: Mapped[str] = mapped_column(String(60), default="")
    topic: Mapped[str] = mapped_column(String(200), default="")  # empty: the unit attended
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    result: Mapped[str] = mapped_column(String(300), default="")


class CostLink(SyncMixin, Base):
    """A ledger voucher that pays for an activity or a 项目清单 item (费用关联).

    The entry is posted through the ledger's own posting function and never
    changes afterwards (a mistake is a 红字冲销), so its number, date and amount
    are copied here for the lists; unlinking tombstones this row, not the entry.
    """

    __tablename__ = "cobuild_cost"

    entry_id: Mapped[str] = mapped_column(ForeignKey("ledger_entry.id"), index=True)
    activity_id: Mapped[str | None] = mapped_column(ForeignKey("cobuild_activity.id"), index=True, default=None)
    item_id: Mapped[str | None] = mapped_column(ForeignKey("cobuild_list_item.id"), index=True, default=None)
    voucher_no: Mapped[str] = mapped_column(String(20), default="")
    entry_date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInt, default=0)


class Inquiry(SyncMixin, Base):
    """问需服务: a resident or a unit asked what they need, what they said, and what was done about it."""

    __tablename__ = "cobuild_inquiry"

    grid_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    inquiry_date: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(10), default="")  # 上门走访, 电话, 座谈会 …
    party_kind: Mapped[str] = mapped_column(String(4), default="")  # 居民 / 单位
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("partner_unit.id"), index=True, default=None)
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    asked_name: Mapped[str] = mapped_column(String(60))  # who was asked, as printed
    asked_by: Mapped[str] = mapped_column(String(60), default="")  # who asked
    topic: Mapped[str] = mapped_column(String(200))  # what they were asked about
    answer: Mapped[str] = mapped_column(Text, default="")  # what they need, in their words
    state: Mapped[str] = mapped_column(String(10), default="", index=True)
    need_id: Mapped[str | None] = mapped_column(ForeignKey("cobuild_list_item.id"), default=None)
    follow_up: Mapped[str] = mapped_column(Text, default="")  # what was done
    done_on: Mapped[date | None] = mapped_column(Date, default=None)


class UnitReport(SyncMixin, Base):
    """单位报到: a partner unit reported to the community (its date, liaison and promise)."""

    __tablename__ = "cobuild_unit_report"

    org_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    unit_id: Mapped[str] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(60))
    reported_on: Mapped[date] = mapped_column(Date)
    liaison: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    promise: Mapped[str] = mapped_column(Text, default="")  # 服务承诺
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)


class UnitReportItem(SyncMixin, Base):
    """What a reporting unit did: a 认领 (post or project taken on), a dated service, or a year's 评价.

    One table with a kind, as the three are small and always read together on the unit's page.
    """

    __tablename__ = "cobuild_unit_report_item"

    report_id: Mapped[str] = mapped_column(ForeignKey("cobuild_unit_report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4), index=True)  # 认领 / 服务 / 评价
    item_date: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))  # the item claimed, the service given, or the grade
    post_id: Mapped[str | None] = mapped_column(ForeignKey("reporting_post.id"), default=None)
    list_item_id: Mapped[str | None] = mapped_column(ForeignKey("cobuild_list_item.id"), default=None)
    people: Mapped[int] = mapped_column(Integer, default=0)
    hours_tenths: Mapped[int] = mapped_column(Integer, default=0)
    year: Mapped[int | None] = mapped_column(Integer, default=None)  # the year a 评价 is for
    notes: Mapped[str] = mapped_column(Text, default="")
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)  # a 认领 given up or done
