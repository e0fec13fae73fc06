"""共驻共建 rules: the lists (unit kinds, offers, activity kinds), checks of what is entered, hours and 积分.

Hours are counted in tenths of an hour (2.5 小时 = 25), so totals add up exactly,
the way money adds up in fen. Pure: no Qt, no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import check_day, optional, required

UNIT_KINDS = ("机关", "企事业单位", "两新组织", "学校", "医院", "社区警务站", "物业", "业委会", "社会组织", "其他")
OFFERS = ("阵地", "资金", "专业服务", "志愿者")
ACTIVITY_KINDS = ("理论进社区", "法律进社区", "医疗进社区", "文化进社区", "文艺演出", "政策宣讲", "义诊",
                  "志愿服务", "联席会议", "其他")
FOUR_INTO = ACTIVITY_KINDS[:4]  # 四进
MEMBER, REPORTING, VOLUNTEER = "党员", "报到党员", "志愿者"
PERSON_KINDS = (MEMBER, REPORTING, VOLUNTEER)
MAX_HOURS_TENTHS = 240  # one entry: at most a whole day
# Every unit choice lists the registered 共建单位 only: a unit not among them is registered first, and the
# refusal says where, as a worker whose new unit is missing from the list would not know.
UNIT_HINT = "不在列表中的单位，先在“共建单位”页登记单位"
PICK_UNIT = "请选择共建单位；" + UNIT_HINT
POINTS_PER_HOUR = 1  # 积分: one point for each full hour served, at least one for any service


# ---------------------------------------------------------------- hours


def hours_text(tenths: int) -> str:
    """25 -> "2.5", 30 -> "3"."""
    whole, part = divmod(int(tenths), 10)
    return f"{whole}.{part}" if part else str(whole)


def parse_hours(text: str | float | int | None, field_name: str = "服务时长") -> int:
    """"2.5" (hours) -> 25 tenths; one decimal at most, 0 to 24 hours."""
    s = str(text if text is not None else "").strip()
    if not s:
        return 0
    m = re.fullmatch(r"(\d{1,2})(?:\.(\d))?", s)
    if not m:
        raise ValidationError(field_name, "请填写小时数，最多一位小数，如 2.5")
    tenths = int(m.group(1)) * 10 + int(m.group(2) or 0)
    if tenths > MAX_HOURS_TENTHS:
        raise ValidationError(field_name, "一次不能超过 24 小时")
    return tenths


def default_points(hours_tenths: int) -> int:
    """积分 for a service of this length: a point an hour, at least one."""
    return max(1, hours_tenths // 10 * POINTS_PER_HOUR) if hours_tenths > 0 else 0


def join_offers(items) -> str:
    chosen = [o for o in OFFERS if o in set(items)]
    return "、".join(chosen)


def split_offers(text: str) -> list[str]:
    return [p for p in (text or "").split("、") if p]


def from_list(value: str, choices: tuple[str, ...], field_name: str) -> str:
    """`value` when it is one of the fixed choices the form lists, else refused naming them all."""
    if value not in choices:
        raise ValidationError(field_name, f"请从列表中选择：{'、'.join(choices)}")
    return value


# ---------------------------------------------------------------- 共建单位


@dataclass
class UnitInput:
    name: str = ""
    kind: str = ""
    party_org: str = ""
    contact_person: str = ""
    phone: str = ""
    address: str = ""
    joined_on: date | None = None
    offers: list[str] = field(default_factory=list)
    notes: str = ""


def check_unit(inp: UnitInput, today: date) -> UnitInput:
    name = required(inp.name, "单位名称", limit=60)
    kind = optional(inp.kind, "单位类别", 20)
    if kind:
        from_list(kind, UNIT_KINDS, "单位类别")
    if inp.joined_on is not None and inp.joined_on > today:
        raise ValidationError("加入日期", "不能晚于今天")
    unknown = [o for o in inp.offers if o not in OFFERS]
    if unknown:
        raise ValidationError("可提供资源", f"未知的资源“{unknown[0]}”")
    return UnitInput(
        name=name, kind=kind, party_org=optional(inp.party_org, "单位党组织", 120),
        contact_person=optional(inp.contact_person, "联系人", 40), phone=optional(inp.phone, "联系电话", 30),
        address=optional(inp.address, "地址", 120), joined_on=inp.joined_on, offers=split_offers(join_offers(inp.offers)),
        notes=optional(inp.notes, "备注", 1000),
    )


# ---------------------------------------------------------------- activities


@dataclass(frozen=True)
class PersonInput:
    """One person on an activity, as the form edits it and the activity's detail lists it (frozen: a read model too)."""

    kind: str
    name: str
    hours_tenths: int = 0
    member_id: str | None = None
    reporting_member_id: str | None = None


@dataclass
class ActivityInput:
    activity_date: date | None = None
    kind: str = ""
    title: str = ""
    place: str = ""
    residents_served: int = 0
    cost_fen: int = 0
    content: str = ""
    org_ids: list[str] = field(default_factory=list)
    unit_ids: list[str] = field(default_factory=list)
    people: list[PersonInput] = field(default_factory=list)


def check_activity(inp: ActivityInput, today: date) -> ActivityInput:
    on = check_day(inp.activity_date, "活动日期", today)
    kind = required(inp.kind, "活动类型", limit=20)
    from_list(kind, ACTIVITY_KINDS, "活动类型")
    if inp.residents_served < 0 or inp.residents_served > 100000:
        raise ValidationError("服务居民人次", "请填写 0 到 100000 之间的数")
    if inp.cost_fen < 0:
        raise ValidationError("费用", "不能为负数")
    if not inp.org_ids and not inp.unit_ids:
        raise ValidationError("组织单位", "请至少选择一个组织的支部或共建单位")
    people: list[PersonInput] = []
    seen: set[tuple] = set()
    for p in inp.people:
        if p.kind not in PERSON_KINDS:
            raise ValidationError("参与人员", f"未知的人员类别“{p.kind}”")
        name = required(p.name, "参与人员", "有一行没有姓名", limit=40)
        if not 0 <= p.hours_tenths <= MAX_HOURS_TENTHS:
            raise ValidationError("服务时长", f"{name}：一次不能超过 24 小时")
        key = (p.member_id or p.reporting_member_id or name, p.kind)
        if key in seen:
            raise ValidationError("参与人员", f"{name} 重复了")
        seen.add(key)
        people.append(PersonInput(p.kind, name, p.hours_tenths, p.member_id, p.reporting_member_id))
    return ActivityInput(
        activity_date=on, kind=kind, title=required(inp.title, "活动名称", limit=80),
        place=optional(inp.place, "地点", 120), residents_served=int(inp.residents_served),
        cost_fen=int(inp.cost_fen), content=optional(inp.content, "活动内容", 4000),
        org_ids=list(dict.fromkeys(inp.org_ids)), unit_ids=list(dict.fromkeys(inp.unit_ids)), people=people,
    )


# ---------------------------------------------------------------- 双报到


@dataclass
class ReportingInput:
    name: str = ""
    gender: str = ""
    mobile: str = ""
    employer: str = ""
    employer_org: str = ""
    unit_id: str | None = None
    job: str = ""
    reported_on: date | None = None
    org_id: str | None = None
    skills: str = ""
    notes: str = ""


def check_reporting(inp: ReportingInput, today: date) -> ReportingInput:
    gender = optional(inp.gender, "性别", 2)
    if gender and gender not in ("男", "女"):
        raise ValidationError("性别", "请选择男或女")
    mobile = optional(inp.mobile, "联系电话", 30)
    if mobile and not re.fullmatch(r"[0-9\- ]{7,20}", mobile):
        raise ValidationError("联系电话", "只能填数字和短横线")
    return ReportingInput(
        name=required(inp.name, "姓名", limit=40), gender=gender, mobile=mobile,
        employer=required(inp.employer, "工作单位", limit=120),
        employer_org=optional(inp.employer_org, "单位党组织", 120), unit_id=inp.unit_id or None,
        job=optional(inp.job, "单位职务", 60), reported_on=check_day(inp.reported_on, "报到日期", today),
        org_id=inp.org_id or None, skills=optional(inp.skills, "特长和可提供的服务", 1000),
        notes=optional(inp.notes, "备注", 1000),
    )


@dataclass
class ServiceInput:
    service_date: date | None = None
    content: str = ""
    hours_tenths: int = 0
    points: int | None = None  # None: the default for the hours
    post_id: str | None = None


def check_service(inp: ServiceInput, today: date, reported_on: date | None) -> ServiceInput:
    on = check_day(inp.service_date, "服务日期", today)
    if reported_on is not None and on < reported_on:
        raise ValidationError("服务日期", f"不能早于报到日期 {reported_on.isoformat()}")
    if not 0 < inp.hours_tenths <= MAX_HOURS_TENTHS:
        raise ValidationError("服务时长", "请填写 0.1 到 24 小时")
    points = default_points(inp.hours_tenths) if inp.points is None else int(inp.points)
    if not 0 <= points <= 100:
        raise ValidationError("积分", "请填写 0 到 100")
    return ServiceInput(on, required(inp.content, "服务内容", limit=200), inp.hours_tenths, points,
                        inp.post_id or None)


def check_post(name: str, duties: str, places: int) -> tuple[str, str, int]:
    if not 1 <= int(places) <= 999:
        raise ValidationError("人数", "请填写 1 到 999")
    return required(name, "岗位名称", limit=60), optional(duties, "岗位职责", 1000), int(places)


# ---------------------------------------------------------------- 慰问, 兼职委员, 联系户

CARE_OCCASIONS = ("春节", "七一", "重阳", "中秋", "困难帮扶", "日常看望", "其他")
CARE_CATEGORIES = ("困难党员", "老党员", "生活困难群众", "独居老人", "残疾人", "退役军人", "其他")
COMMITTEE_LEVELS = ("大工委", "大党委")
CONTACT_ROLES = ("楼门书记", "联系户")


@dataclass(frozen=True)
class RecipientInput:
    """One person on a 慰问, as the form edits it, the visit's detail lists it and the candidates offer it (frozen: a read
    model too)."""

    name: str
    category: str = ""
    items: str = ""
    amount_fen: int = 0
    address: str = ""
    member_id: str | None = None
    resident_id: str | None = None


@dataclass
class CareInput:
    care_date: date | None = None
    occasion: str = ""
    title: str = ""
    unit_id: str | None = None
    givers: str = ""
    notes: str = ""
    recipients: list[RecipientInput] = field(default_factory=list)


def check_care(inp: CareInput, today: date, allow_future: bool = True) -> CareInput:
    """A 慰问 may be planned ahead (the 签领 sheet is printed before going), hence allow_future."""
    on = check_day(inp.care_date, "慰问日期", today, allow_future=allow_future)
    occasion = required(inp.occasion, "慰问类别", limit=20)
    from_list(occasion, CARE_OCCASIONS, "慰问类别")
    if not inp.recipients:
        raise ValidationError("慰问对象", "请至少添加一名慰问对象")
    people, seen = [], set()
    for p in inp.recipients:
        name = required(p.name, "慰问对象", "有一行没有姓名", limit=40)
        key = p.member_id or p.resident_id or name
        if key in seen:
            raise ValidationError("慰问对象", f"{name} 重复了")
        seen.add(key)
        if p.amount_fen < 0:
            raise ValidationError("慰问金", f"{name}：不能为负数")
        people.append(RecipientInput(name, optional(p.category, "类别", 20), optional(p.items, "慰问品", 120),
                                     int(p.amount_fen), optional(p.address, "住址", 120), p.member_id or None,
                                     p.resident_id or None))
    return CareInput(on, occasion, required(inp.title, "慰问名称", limit=80), inp.unit_id or None,
                     optional(inp.givers, "慰问人", 120), optional(inp.notes, "备注", 1000), people)


@dataclass
class SeatInput:
    level: str = COMMITTEE_LEVELS[1]
    name: str = ""
    unit_id: str | None = None
    post: str = "兼职委员"
    phone: str = ""
    term_start: date | None = None
    term_end: date | None = None


def check_seat(inp: SeatInput, today: date) -> SeatInput:
    if inp.level not in COMMITTEE_LEVELS:
        raise ValidationError("层级", "请选择大工委或大党委")
    start = check_day(inp.term_start, "任期开始", today)
    if inp.term_end is not None and inp.term_end < start:
        raise ValidationError("任期结束", "不能早于任期开始")
    return SeatInput(inp.level, required(inp.name, "姓名", limit=40), inp.unit_id or None,
                     required(inp.post, "职务", limit=40), optional(inp.phone, "联系电话", 30), start, inp.term_end)


@dataclass
class ContactInput:
    member_id: str | None = None
    role: str = CONTACT_ROLES[0]
    grid_id: str | None = None
    building: str = ""
    household_id: str | None = None
    since: date | None = None


def check_contact(inp: ContactInput, today: date) -> ContactInput:
    if not inp.member_id:
        raise ValidationError("党员", "请选择党员")
    if inp.role not in CONTACT_ROLES:
        raise ValidationError("类别", "请选择楼门书记或联系户")
    building = optional(inp.building, "楼栋", 40)
    if inp.role == CONTACT_ROLES[0] and not building:
        raise ValidationError("楼栋", "楼门书记要写明负责的楼栋（单元）")
    if inp.role == CONTACT_ROLES[1] and not inp.household_id:
        raise ValidationError("住户", "请选择联系的住户")
    since = check_day(inp.since, "开始日期", today) if inp.since else None
    return ContactInput(inp.member_id, inp.role, inp.grid_id or None, building, inp.household_id or None, since)


# ---------------------------------------------------------------- 双进双认

TAKE_POST, ADOPT = "认岗位", "认亲戚"
PAIRING_KINDS = (TAKE_POST, ADOPT)


def check_pairing_item(kind: str, name: str, household_id: str | None, since: date | None, paired_on: date,
                       today: date) -> tuple[str, str, str | None, date]:
    if kind not in PAIRING_KINDS:
        raise ValidationError("类别", "请选择认岗位或认亲戚")
    if kind == ADOPT and not household_id:
        raise ValidationError("住户", "认亲戚要选择结对的住户")
    on = check_day(since, "开始日期", today)
    if on < paired_on:
        raise ValidationError("开始日期", f"不能早于结对日期 {paired_on.isoformat()}")
    label = "岗位名称" if kind == TAKE_POST else "住户"
    return kind, required(name, label, limit=120), household_id if kind == ADOPT else None, on


def check_pairing_visit(on: date | None, visitors: str, content: str, since: date, today: date) -> tuple[date, str, str]:
    day = check_day(on, "走访日期", today)
    if day < since:
        raise ValidationError("走访日期", f"不能早于结对开始 {since.isoformat()}")
    return day, optional(visitors, "走访人", 120), required(content, "走访内容", limit=300)


# ---------------------------------------------------------------- 三单

NEED, RESOURCE, PROJECT = "需求", "资源", "项目"
LIST_KINDS = (NEED, RESOURCE, PROJECT)
NEED_OPEN, NEED_MATCHED, NEED_MET = "待对接", "已立项", "已解决"
RESOURCE_OPEN = "可提供"
PROJECT_OPEN, PROJECT_CLAIMED, PROJECT_DONE = "待认领", "已认领", "已完成"
FIRST_STATE = {NEED: NEED_OPEN, RESOURCE: RESOURCE_OPEN, PROJECT: PROJECT_OPEN}


@dataclass
class ListInput:
    list_kind: str = NEED
    title: str = ""
    detail: str = ""
    category: str = ""
    raised_on: date | None = None
    grid_id: str | None = None
    unit_id: str | None = None
    visit_id: str | None = None
    need_id: str | None = None
    resource_id: str | None = None


def check_list_item(inp: ListInput, today: date) -> ListInput:
    if inp.list_kind not in LIST_KINDS:
        raise ValidationError("清单", "请选择需求、资源或项目清单")
    label = {NEED: "需求", RESOURCE: "资源", PROJECT: "项目名称"}[inp.list_kind]
    if inp.list_kind == RESOURCE and not inp.unit_id:
        raise ValidationError("提供单位", "资源要写明哪个共建单位提供；" + UNIT_HINT)
    return ListInput(inp.list_kind, required(inp.title, label, limit=80), optional(inp.detail, "说明", 2000),
                     optional(inp.category, "类别", 20), check_day(inp.raised_on, "登记日期", today),
                     inp.grid_id or None, inp.unit_id or None, inp.visit_id or None,
                     inp.need_id if inp.list_kind == PROJECT else None,
                     inp.resource_id if inp.list_kind == PROJECT else None)


def check_claim(state: str, on: date | None, raised_on: date, today: date) -> date:
    if state != PROJECT_OPEN:
        raise ValidationError("状态", f"项目{state}，不能再认领")
    day = check_day(on, "认领日期", today)
    if day < raised_on:
        raise ValidationError("认领日期", f"不能早于项目登记日期 {raised_on.isoformat()}")
    return day


def check_done(state: str, on: date | None, claimed_on: date | None, today: date) -> date:
    if state != PROJECT_CLAIMED:
        raise ValidationError("状态", "项目认领后才能完成")
    day = check_day(on, "完成日期", today)
    if claimed_on is not None and day < claimed_on:
        raise ValidationError("完成日期", f"不能早于认领日期 {claimed_on.isoformat()}")
    return day


# ---------------------------------------------------------------- 费用关联


@dataclass
class CostInput:
    """A cost paid for an activity or a 项目清单 item, to be posted as a ledger voucher (支出)."""

    entry_date: date | None = None
    account_id: str = ""
    amount_fen: int = 0
    category: str = ""
    counterparty: str = ""
    handler: str = ""
    memo: str = ""
    voucher_no: str = ""


def check_cost(inp: CostInput, today: date) -> CostInput:
    on = check_day(inp.entry_date, "凭证日期", today)
    if not inp.account_id:
        raise ValidationError("账户", "请选择记账的账户")
    if isinstance(inp.amount_fen, bool) or not isinstance(inp.amount_fen, int) or inp.amount_fen <= 0:
        raise ValidationError("金额", "请填写大于 0 的金额")
    return CostInput(on, inp.account_id, inp.amount_fen, optional(inp.category, "类别", 20),
                     optional(inp.counterparty, "收款方", 60), optional(inp.handler, "经办人", 20),
                     optional(inp.memo, "摘要", 200), optional(inp.voucher_no, "凭证号", 20))


def cost_memo(what: str, title: str, memo: str) -> str:
    """The voucher's 摘要 names what it paid for, so the ledger's own lists show the link."""
    head = f"{what}：{title}"
    return f"{head}；{memo}" if memo else head


def closed_message(month: date) -> str:
    return (f"{month.year}年{month.month}月已结账，该月的凭证不能再记入或改变费用归属；"
            "请把凭证日期改到未结账的月份")


# ---------------------------------------------------------------- 问需服务

INQUIRY_CHANNELS = ("上门走访", "电话", "座谈会", "恳谈会", "问卷", "其他")
ASK_RESIDENT, ASK_UNIT = "居民", "单位"
INQUIRY_OPEN, INQUIRY_TO_NEED, INQUIRY_DONE, INQUIRY_NONE = "待办理", "已转需求", "已办结", "无需求"
INQUIRY_STATES = (INQUIRY_OPEN, INQUIRY_TO_NEED, INQUIRY_DONE, INQUIRY_NONE)


@dataclass
class InquiryInput:
    inquiry_date: date | None = None
    channel: str = INQUIRY_CHANNELS[0]
    party_kind: str = ASK_RESIDENT
    unit_id: str | None = None
    resident_id: str | None = None
    asked_name: str = ""
    asked_by: str = ""
    topic: str = ""
    answer: str = ""
    grid_id: str | None = None


def check_inquiry(inp: InquiryInput, today: date) -> InquiryInput:
    on = check_day(inp.inquiry_date, "问需日期", today)
    from_list(inp.channel, INQUIRY_CHANNELS, "方式")
    if inp.party_kind not in (ASK_RESIDENT, ASK_UNIT):
        raise ValidationError("问需对象", "请选择居民或单位")
    if inp.party_kind == ASK_UNIT and not inp.unit_id:
        raise ValidationError("共建单位", "问需于单位时" + PICK_UNIT)
    name = required(inp.asked_name, "问需对象", limit=60)
    return InquiryInput(on, inp.channel, inp.party_kind, inp.unit_id if inp.party_kind == ASK_UNIT else None,
                        inp.resident_id if inp.party_kind == ASK_RESIDENT else None, name,
                        optional(inp.asked_by, "问需人", 60), required(inp.topic, "问需内容", limit=200),
                        optional(inp.answer, "反映的需求", 2000), inp.grid_id or None)


def check_inquiry_close(state: str, outcome: str, follow_up: str, on: date | None, asked_on: date,
                        today: date) -> tuple[str, str, date]:
    """办结 (something was done) or 无需求 (nothing was needed); either needs a date and words."""
    if state in (INQUIRY_DONE, INQUIRY_NONE):
        raise ValidationError("状态", f"这条问需已{state}")
    if outcome not in (INQUIRY_DONE, INQUIRY_NONE):
        raise ValidationError("结果", "请选择已办结或无需求")
    day = check_day(on, "办结日期", today, asked_on, "问需日期")
    return outcome, required(follow_up, "办理情况", limit=2000), day


# ---------------------------------------------------------------- 单位报到

CLAIM, SERVICE, REVIEW = "认领", "服务", "评价"
REPORT_ITEM_KINDS = (CLAIM, SERVICE, REVIEW)
GRADES = ("优秀", "良好", "一般", "较差")


@dataclass
class UnitReportInput:
    unit_id: str | None = None
    reported_on: date | None = None
    org_id: str | None = None
    liaison: str = ""
    phone: str = ""
    promise: str = ""


def check_unit_report(inp: UnitReportInput, today: date) -> UnitReportInput:
    if not inp.unit_id:
        raise ValidationError("共建单位", PICK_UNIT)
    phone = optional(inp.phone, "联系电话", 30)
    if phone and not re.fullmatch(r"[0-9\- ]{7,20}", phone):
        raise ValidationError("联系电话", "只能填数字和短横线")
    return UnitReportInput(inp.unit_id, check_day(inp.reported_on, "报到日期", today), inp.org_id or None,
                           optional(inp.liaison, "联络人", 40), phone, optional(inp.promise, "服务承诺", 2000))


@dataclass
class ReportItemInput:
    kind: str = CLAIM
    item_date: date | None = None
    title: str = ""
    post_id: str | None = None
    list_item_id: str | None = None
    people: int = 0
    hours_tenths: int = 0
    year: int | None = None
    notes: str = ""


def check_report_item(inp: ReportItemInput, reported_on: date, today: date) -> ReportItemInput:
    """认领 a post or project, log a service (people and total hours), or rate a year (评价)."""
    if inp.kind not in REPORT_ITEM_KINDS:
        raise ValidationError("类别", "请选择认领、服务或评价")
    on = check_day(inp.item_date, "日期", today, reported_on, "报到日期")
    notes = optional(inp.notes, "备注", 1000)
    if inp.kind == REVIEW:
        from_list(inp.title, GRADES, "评价等次")
        year = inp.year or on.year
        if not reported_on.year <= year <= on.year:
            raise ValidationError("评价年度", f"只能评价 {reported_on.year} 年到 {on.year} 年")
        return ReportItemInput(REVIEW, on, inp.title, year=year, notes=notes)
    if inp.kind == SERVICE:
        if not 1 <= int(inp.people) <= 10000:
            raise ValidationError("参加人数", "请填写 1 到 10000")
        if not 0 < inp.hours_tenths <= MAX_HOURS_TENTHS * 1000:
            raise ValidationError("服务时长", "请填写参加人员合计的服务小时数")
        return ReportItemInput(SERVICE, on, required(inp.title, "服务内容", limit=200), people=int(inp.people),
                               hours_tenths=int(inp.hours_tenths), notes=notes)
    title = optional(inp.title, "认领内容", 200)
    if not (title or inp.post_id or inp.list_item_id):  # a post or project named lends its name
        raise ValidationError("认领内容", "请选择岗位、项目或填写认领内容")
    return ReportItemInput(CLAIM, on, title, inp.post_id or None, inp.list_item_id or None, notes=notes)


def parse_total_hours(text: str | None, field_name: str = "服务时长") -> int:
    """Total person-hours of a unit's service ("120.5" -> 1205 tenths); up to 24,000 hours."""
    s = str(text if text is not None else "").strip()
    m = re.fullmatch(r"(\d{1,5})(?:\.(\d))?", s)
    if not m:
        raise ValidationError(field_name, "请填写小时数，最多一位小数，如 12.5")
    return int(m.group(1)) * 10 + int(m.group(2) or 0)
