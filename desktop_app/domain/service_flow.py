"""Serving residents: the rules of visits, wishes, projects and mediation, and the editable lists.

Pure: no SQL, no Qt. Each state machine is a table of allowed moves plus a
check that says, naming the Chinese field, what a move still lacks. The
services call these before they write, so a form, the CLI and an import all
meet the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import check_text

# ---------------------------------------------------------------- editable lists

RESIDENT_TAG = "resident_tag"
ISSUE_CATEGORY = "issue_category"
PROJECT_CATEGORY = "project_category"
DISPUTE_KIND = "dispute_kind"

LIST_LABELS: dict[str, str] = {
    RESIDENT_TAG: "居民标签",
    ISSUE_CATEGORY: "问题类别",
    PROJECT_CATEGORY: "项目类别",
    DISPUTE_KIND: "纠纷类型",
}

# What a new center starts with; every list is edited in the program, not here.
DEFAULT_LISTS: dict[str, tuple[str, ...]] = {
    RESIDENT_TAG: (
        "独居老人", "空巢老人", "高龄老人", "困难群众", "低保户", "残疾人", "退役军人",
        "留守儿童", "重点关注",
    ),
    ISSUE_CATEGORY: (
        "供水", "电路", "路灯", "绿化", "环境卫生", "物业", "邻里纠纷", "政策咨询",
        "停车", "房屋维修", "养老服务", "其他",
    ),
    PROJECT_CATEGORY: (
        "供水改造", "绿植恢复", "路灯修复", "路面平整", "垃圾清理", "设施维修", "适老化改造", "其他",
    ),
    DISPUTE_KIND: (
        "邻里纠纷", "家庭婚姻纠纷", "物业纠纷", "房屋漏水", "噪音扰民", "停车纠纷", "劳动争议", "其他",
    ),
}

# 三单's 需求清单 sorts needs by its own short list (the 需求 form's 类别), not by the visits' 问题类别:
# a need carried over from a visit takes the list's word for the visit's category, so the
# list's 类别 reads and filters as one vocabulary. A category either list already has stays;
# one a center added to its own 问题类别 falls to 其他 (the need's 说明 keeps what was raised).
NEED_CATEGORIES: tuple[str, ...] = ("设施", "环境", "助老", "助学", "医疗", "文化", "其他")
_NEED_CATEGORY_OF_ISSUE = {
    "供水": "设施", "电路": "设施", "路灯": "设施", "停车": "设施", "房屋维修": "设施",
    "绿化": "环境", "环境卫生": "环境", "养老服务": "助老",
    "物业": "其他", "邻里纠纷": "其他", "政策咨询": "其他",
}


def need_category(issue_category: str | None) -> str:
    """The 需求清单 category for a visit's 问题类别 ("" when the visit had none)."""
    c = _clean(issue_category)
    if not c or c in NEED_CATEGORIES:
        return c
    return _NEED_CATEGORY_OF_ISSUE.get(c, "其他")


MAX_LIST_ITEM = 20  # characters of one tag or category
TAG_SEPARATOR = ","  # Resident.tags is stored comma separated
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


def _clean(text: str | None) -> str:
    # No NFKC here: it would turn the full-width ，：（） of Chinese text into ASCII.
    return str(text or "").strip()


def _norm(text: str | None) -> str:
    """Short list entries (tags, categories): full-width letters and digits folded, as typed by IMEs."""
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def check_list(kind: str, names: Iterable[str]) -> tuple[str, ...]:
    """A list as the user edited it: trimmed, de-duplicated, in their order."""
    if kind not in DEFAULT_LISTS:
        raise ValidationError("列表", f"未知的列表“{kind}”")
    label = LIST_LABELS[kind]
    out: list[str] = []
    for raw in names:
        name = _norm(raw)
        if not name:
            continue
        if len(name) > MAX_LIST_ITEM:
            raise ValidationError(label, f"“{name}”超过 {MAX_LIST_ITEM} 个字")
        if _TAG_SPLIT.search(name):
            raise ValidationError(label, f"“{name}”不能含逗号、顿号或空格")
        if name not in out:
            out.append(name)
    if not out:
        raise ValidationError(label, "至少要保留一项")
    return tuple(out)


def split_tags(text: str | None) -> list[str]:
    """'独居老人,残疾人' (or with 、，; and spaces, as people type them) -> ['独居老人', '残疾人']."""
    if not text:
        return []
    out: list[str] = []
    for part in _TAG_SPLIT.split(_norm(text)):
        if part and part not in out:
            out.append(part)
    return out


def join_tags(tags: Iterable[str]) -> str:
    text = TAG_SEPARATOR.join(split_tags(TAG_SEPARATOR.join(tags)))
    if len(text) > 200:
        raise ValidationError("标签", "标签合计不能超过 200 个字")
    return text


# ---------------------------------------------------------------- shared checks


def required(value: str | None, field_name: str, message: str = "不能为空", limit: int | None = None) -> str:
    text = _clean(check_text(value or "", field_name))  # no control characters
    if not text:
        raise ValidationError(field_name, message)
    if limit is not None and len(text) > limit:
        raise ValidationError(field_name, f"不能超过 {limit} 个字")
    return text


def optional(value: str | None, field_name: str, limit: int | None = None) -> str:
    text = _clean(check_text(value or "", field_name))  # no control characters
    if limit is not None and len(text) > limit:
        raise ValidationError(field_name, f"不能超过 {limit} 个字")
    return text


_PHONE = re.compile(r"^[0-9+\-() ]{3,30}$")


def phone(value: str | None, field_name: str) -> str:
    """A phone number as written (digits, dashes, brackets, spaces), or "" for none: a name or an
    address typed into the phone's place is refused rather than printed as a number."""
    text = optional(value, field_name, 30)
    if text and not _PHONE.match(text):
        raise ValidationError(field_name, f"“{text}”不像电话号码（只能有数字、短横线和括号）")
    return text


def check_day(d: date | None, field_name: str, today: date, not_before: date | None = None,
              before_label: str = "", allow_future: bool = False, missing: str = "不能为空") -> date:
    """A date that must be given, not after today (unless allowed) and not before `not_before`."""
    if d is None:
        raise ValidationError(field_name, missing)
    if not allow_future and d > today:
        raise ValidationError(field_name, "不能晚于今天")
    if not_before is not None and d < not_before:
        raise ValidationError(field_name, f"不能早于{before_label}（{not_before.isoformat()}）")
    return d


def in_choices(value: str, choices: Sequence[str], field_name: str) -> str:
    value = _clean(value)
    if value not in choices:
        raise ValidationError(field_name, f"应为 {'、'.join(choices)} 之一")
    return value


def allowed_move(current: str, target: str, states: Sequence[str], transitions: dict[str, tuple[str, ...]],
                 field_name: str) -> str:
    """`target` (one of `states`) when a record in state `current` may move to it, else refused."""
    target = in_choices(target, states, field_name)
    if target not in transitions.get(current, ()):
        raise ValidationError(field_name, f"不能从“{current}”改为“{target}”")
    return target


def mask_name(name: str) -> str:
    """For the notice board: 王秀英 -> 王*英, 李娜 -> 李*, 欧阳娜娜 -> 欧**娜."""
    name = _clean(name)
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def next_number(prefix: str, year: int, taken: Iterable[str]) -> str:
    """Paper reference numbers per year: prefix2024-001, then -002 … (gaps are not refilled)."""
    pattern = re.compile(rf"^{re.escape(prefix)}{year}-(\d+)$")
    last = 0
    for number in taken:
        m = pattern.match(number or "")
        if m:
            last = max(last, int(m.group(1)))
    return f"{prefix}{year}-{last + 1:03d}"


# ---------------------------------------------------------------- money (integer fen; parsing in domain.money)

MAX_PROJECT_FEN = 10**11  # 十亿元: beyond any community wish or project; catches a slipped decimal point


def check_fen(value: int, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field_name} must be integer fen")
    if value < 0:
        raise ValidationError(field_name, "不能为负数")
    if value >= MAX_PROJECT_FEN:
        raise ValidationError(field_name, "金额过大，请检查小数点")
    return value


# ---------------------------------------------------------------- visits and their follow-up

VISIT_FORMS = ("走访", "民情恳谈", "来访", "电话")

PENDING = "待处理"
IN_PROGRESS = "处理中"
SOLVED = "已解决"
NO_ACTION = "无需处理"
FOLLOW_STATES = (PENDING, IN_PROGRESS, SOLVED, NO_ACTION)
OPEN_STATES = (PENDING, IN_PROGRESS)
CLOSED_STATES = (SOLVED, NO_ACTION)

# Allowed moves. A closed follow-up may be reopened (the problem came back);
# it then needs a reason, and is closed again with who, when and how.
FOLLOW_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING: (IN_PROGRESS, SOLVED, NO_ACTION),
    IN_PROGRESS: (SOLVED, NO_ACTION),
    SOLVED: (IN_PROGRESS,),
    NO_ACTION: (IN_PROGRESS,),
}

DEFAULT_DUE_DAYS = 7  # a raised problem gets an answer within a week unless set otherwise
NOTHING_RAISED = "走访中未反映需要跟进的问题"


def default_due(visit_date: date, days: int = DEFAULT_DUE_DAYS) -> date:
    return visit_date + timedelta(days=days)


def is_overdue(state: str, due: date | None, today: date) -> bool:
    return state in OPEN_STATES and due is not None and due < today


@dataclass(frozen=True)
class FollowUpStep:
    """One move of a follow-up: to `state`, by whom, on which day, and how."""

    state: str
    by: str
    on: date
    how: str


def check_follow_up(
    current: str, target: str, by: str, on: date | None, how: str, raised_on: date, today: date
) -> FollowUpStep:
    """Validate a move of a visit's follow-up; a closing move needs who, when and how."""
    target = allowed_move(current, target, FOLLOW_STATES, FOLLOW_TRANSITIONS, "办理状态")
    on = check_day(on, "办理日期", today, raised_on, "走访日期")
    by = optional(by, "办理人", 60)
    how = optional(how, "办理情况", 2000)
    if target in CLOSED_STATES:
        if not by:
            raise ValidationError("办理人", "办结时要写明由谁办理")
        if not how:
            raise ValidationError(
                "办理情况", "请写明如何解决" if target == SOLVED else "请写明无需处理的原因"
            )
    elif current in CLOSED_STATES and not how:
        raise ValidationError("办理情况", "重新办理时请写明原因")
    return FollowUpStep(target, by, on, how)


@dataclass(frozen=True)
class VisitInput:
    """What a visit record holds; the follow-up state moves by check_follow_up()."""

    visit_date: date | None = None
    form: str = VISIT_FORMS[0]
    member_ids: tuple[str, ...] = ()  # visiting party members
    other_visitors: str = ""  # 网格员, 楼栋长 … who are not members on the roster
    household_id: str | None = None
    resident_id: str | None = None
    visitee_name: str = ""  # who was visited, or who came / called, when not on record
    grid_id: str | None = None
    place: str = ""  # address or place (楼道, 小区广场) when not a household
    category: str = ""
    content: str = ""  # 反映问题 / 走访情况
    raised_issue: bool = True  # False: nothing to follow up (a greeting visit)
    handler: str = ""  # 责任人 for the follow-up
    due_date: date | None = None
    recorder: str = ""
    notes: str = ""


def check_visit(inp: VisitInput, today: date) -> VisitInput:
    visit_date = check_day(inp.visit_date, "走访日期", today)
    form = in_choices(inp.form, VISIT_FORMS, "走访形式")
    other = optional(inp.other_visitors, "其他走访人", 120)
    if not inp.member_ids and not other:
        # named as the form names its two fields, so the worker knows which to fill
        raise ValidationError("走访党员", "请至少选择一名走访党员，或填写“其他走访人”")
    visitee = optional(inp.visitee_name, "走访对象", 40)
    place = optional(inp.place, "地点", 120)
    if not (inp.household_id or inp.resident_id or visitee or place):
        raise ValidationError("走访对象", "请选择居民或住户，或填写对象姓名或地点")
    content = optional(inp.content, "反映问题", 4000)
    category = optional(inp.category, "问题类别", MAX_LIST_ITEM)
    due = inp.due_date
    if inp.raised_issue:
        if not content:
            raise ValidationError("反映问题", "请写下群众反映的问题")
        if not category:
            raise ValidationError("问题类别", "请选择问题类别")
        due = due or default_due(visit_date)
        if due < visit_date:
            raise ValidationError("办结期限", "不能早于走访日期")
    else:
        due = None
    return replace(
        inp, visit_date=visit_date, form=form, member_ids=tuple(dict.fromkeys(inp.member_ids)),
        other_visitors=other, visitee_name=visitee, place=place, content=content,
        category=category, due_date=due, handler=optional(inp.handler, "责任人", 60),
        recorder=optional(inp.recorder, "记录人", 40), notes=optional(inp.notes, "备注", 2000),
    )


# ---------------------------------------------------------------- 微心愿

WISH_POSTED = "待认领"
WISH_CLAIMED = "已认领"
WISH_FULFILLED = "已实现"
WISH_STATES = (WISH_POSTED, WISH_CLAIMED, WISH_FULFILLED)
WISH_TRANSITIONS: dict[str, tuple[str, ...]] = {
    WISH_POSTED: (WISH_CLAIMED,),
    WISH_CLAIMED: (WISH_POSTED, WISH_FULFILLED),  # back to posted = the claim was withdrawn
    WISH_FULFILLED: (),
}

CLAIMANT_MEMBER = "党员"
CLAIMANT_UNIT = "共建单位"
CLAIMANT_KINDS = (CLAIMANT_MEMBER, CLAIMANT_UNIT)

CLAIM_ACTIVE = "认领中"
CLAIM_WITHDRAWN = "已撤回"
CLAIM_FULFILLED = "已实现"


def check_wish_move(current: str, target: str) -> None:
    if target not in WISH_TRANSITIONS.get(current, ()):
        if current == WISH_FULFILLED:
            raise ValidationError("心愿状态", "心愿已实现，不能再更改")
        if target == WISH_FULFILLED:
            raise ValidationError("心愿状态", "心愿要先有人认领，才能登记实现")
        if target == WISH_POSTED:
            raise ValidationError("心愿状态", "只有已认领的心愿才能撤回认领")
        raise ValidationError("心愿状态", f"“{current}”的心愿不能改为“{target}”")


@dataclass(frozen=True)
class WishInput:
    resident_id: str | None = None
    household_id: str | None = None
    wisher_name: str = ""  # the resident's name (copied from the record when one is chosen)
    grid_id: str | None = None
    content: str = ""  # 心愿内容
    background: str = ""  # 心愿人情况: why this wish matters
    estimated_fen: int = 0
    posted_on: date | None = None
    notes: str = ""


def check_wish(inp: WishInput, today: date) -> WishInput:
    return replace(
        inp,
        wisher_name=required(inp.wisher_name, "心愿人", "请选择居民或填写心愿人姓名", 40),
        content=required(inp.content, "心愿内容", "请写下居民的心愿", 200),
        background=optional(inp.background, "心愿人情况", 200),
        estimated_fen=check_fen(inp.estimated_fen, "预计价值"),
        posted_on=check_day(inp.posted_on, "发布日期", today),
        notes=optional(inp.notes, "备注", 1000),
    )


def check_claim(current: str, claimant_kind: str, claimant_name: str, claimed_on: date | None,
                posted_on: date, today: date) -> date:
    check_wish_move(current, WISH_CLAIMED)
    in_choices(claimant_kind, CLAIMANT_KINDS, "认领方")
    required(claimant_name, "认领人", "请选择认领的党员或共建单位")
    return check_day(claimed_on, "认领日期", today, posted_on, "发布日期")


def check_withdraw(current: str, on: date | None, claimed_on: date, today: date, reason: str) -> tuple[date, str]:
    check_wish_move(current, WISH_POSTED)
    return check_day(on, "撤回日期", today, claimed_on, "认领日期"), optional(reason, "撤回原因", 200)


def check_fulfil(current: str, on: date | None, claimed_on: date, today: date, note: str) -> tuple[date, str]:
    check_wish_move(current, WISH_FULFILLED)
    on = check_day(on, "实现日期", today, claimed_on, "认领日期")
    return on, required(note, "实现情况", "请写明心愿如何实现（送了什么、谁送去的）", 500)


# ---------------------------------------------------------------- 微实事 / 项目清单

PROJECT_PLANNED = "待启动"
PROJECT_ACTIVE = "实施中"
PROJECT_DONE = "已完成"
PROJECT_STOPPED = "已终止"
PROJECT_STATUSES = (PROJECT_PLANNED, PROJECT_ACTIVE, PROJECT_DONE, PROJECT_STOPPED)
PROJECT_OPEN = (PROJECT_PLANNED, PROJECT_ACTIVE)
PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PROJECT_PLANNED: (PROJECT_ACTIVE, PROJECT_STOPPED),
    PROJECT_ACTIVE: (PROJECT_DONE, PROJECT_STOPPED),
    PROJECT_DONE: (PROJECT_ACTIVE,),  # reopened: the repair did not hold
    PROJECT_STOPPED: (PROJECT_PLANNED,),
}


def is_project_overdue(status: str, deadline: date | None, today: date) -> bool:
    return status in PROJECT_OPEN and deadline is not None and deadline < today


@dataclass(frozen=True)
class ProjectInput:
    name: str = ""
    category: str = ""
    grid_id: str | None = None  # None: the whole community
    owner_name: str = ""  # 项目经理
    owner_member_id: str | None = None
    description: str = ""
    budget_fen: int = 0
    actual_cost_fen: int = 0
    start_date: date | None = None
    deadline: date | None = None
    notes: str = ""


def check_project(inp: ProjectInput) -> ProjectInput:
    name = required(inp.name, "项目名称", limit=60)
    category = required(inp.category, "项目类别", "请选择项目类别", MAX_LIST_ITEM)
    owner = required(inp.owner_name, "项目经理", "请填写项目经理（一般为支部书记）", 40)
    if inp.deadline is None:
        raise ValidationError("完成期限", "请填写计划完成日期")
    if inp.start_date is not None and inp.deadline < inp.start_date:
        raise ValidationError("完成期限", "不能早于开始日期")
    return replace(
        inp, name=name, category=category, owner_name=owner,
        description=optional(inp.description, "项目内容", 4000),
        budget_fen=check_fen(inp.budget_fen, "预算"),
        actual_cost_fen=check_fen(inp.actual_cost_fen, "实际支出"),
        notes=optional(inp.notes, "备注", 2000),
    )


@dataclass(frozen=True)
class ProjectStep:
    status: str
    on: date
    note: str


def check_project_move(current: str, target: str, on: date | None, start_date: date | None,
                       today: date, note: str) -> ProjectStep:
    target = allowed_move(current, target, PROJECT_STATUSES, PROJECT_TRANSITIONS, "项目状态")
    label = {PROJECT_ACTIVE: "开始日期", PROJECT_DONE: "完成日期"}.get(target, "日期")
    before = start_date if target != PROJECT_ACTIVE else None
    on = check_day(on, label, today, before, "开始日期")
    note = optional(note, "说明", 1000)
    if target == PROJECT_STOPPED and not note:
        raise ValidationError("说明", "终止项目要写明原因")
    if current in (PROJECT_DONE, PROJECT_STOPPED) and not note:
        raise ValidationError("说明", "重新启动项目要写明原因")
    if target == PROJECT_DONE and not note:
        raise ValidationError("说明", "请写明完成情况")
    return ProjectStep(target, on, note)


@dataclass(frozen=True)
class MilestoneInput:
    title: str = ""
    due_date: date | None = None
    done_on: date | None = None
    note: str = ""


def check_milestone(inp: MilestoneInput, today: date) -> MilestoneInput:
    title = required(inp.title, "节点", "请写明节点内容", 60)
    done = check_day(inp.done_on, "完成日期", today) if inp.done_on else None
    return replace(inp, title=title, done_on=done, note=optional(inp.note, "说明", 500))


# ---------------------------------------------------------------- 矛盾纠纷调处

MEDIATING = "调解中"
MEDIATION_SUCCESS = "调解成功"
MEDIATION_FAILED = "调解未成功"
MEDIATION_TRANSFERRED = "已转交"
OUTCOMES = (MEDIATION_SUCCESS, MEDIATION_FAILED, MEDIATION_TRANSFERRED)
CASE_STATES = (MEDIATING, *OUTCOMES)

PARTY_ROLES = ("申请人", "被申请人", "当事人")
CASE_SOURCES = ("群众来访", "网格员排查", "电话反映", "走访发现", "上级交办", "其他")


@dataclass(frozen=True)
class PartyInput:
    name: str = ""
    role: str = PARTY_ROLES[0]
    resident_id: str | None = None
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class CaseInput:
    kind: str = ""
    summary: str = ""  # 纠纷简要情况
    received_on: date | None = None
    source: str = CASE_SOURCES[0]
    mediator: str = ""  # 调解员
    grid_id: str | None = None
    parties: tuple[PartyInput, ...] = ()
    notes: str = ""


def check_case(inp: CaseInput, today: date) -> CaseInput:
    parties = []
    for p in inp.parties:
        name = optional(p.name, "当事人", 40)
        if not name:
            continue
        parties.append(replace(
            p, name=name, role=in_choices(p.role, PARTY_ROLES, "当事人身份"),
            phone=phone(p.phone, f"{name}的联系电话"), address=optional(p.address, "住址", 120),
        ))
    if len(parties) < 2:
        raise ValidationError("当事人", "纠纷至少有两方当事人")
    return replace(
        inp,
        kind=required(inp.kind, "纠纷类型", "请选择纠纷类型", MAX_LIST_ITEM),
        summary=required(inp.summary, "纠纷简要情况", "请写明纠纷的简要情况", 4000),
        received_on=check_day(inp.received_on, "受理日期", today),
        source=optional(inp.source, "来源", 20),
        mediator=required(inp.mediator, "调解员", "请填写调解员", 60),
        parties=tuple(parties),
        notes=optional(inp.notes, "备注", 2000),
    )


@dataclass(frozen=True)
class SessionInput:
    session_date: date | None = None
    place: str = ""
    mediators: str = ""
    notes: str = ""  # 调解经过


def check_session(inp: SessionInput, received_on: date, today: date) -> SessionInput:
    return replace(
        inp,
        session_date=check_day(inp.session_date, "调解日期", today, received_on, "受理日期"),
        place=optional(inp.place, "地点", 60),
        mediators=required(inp.mediators, "调解人员", limit=120),
        notes=required(inp.notes, "调解经过", "请记录本次调解的经过", 4000),
    )


@dataclass(frozen=True)
class OutcomeStep:
    outcome: str
    closed_on: date
    agreement: str
    transferred_to: str


def check_outcome(
    current: str, outcome: str, closed_on: date | None, received_on: date,
    last_session: date | None, today: date, agreement: str = "", transferred_to: str = "",
) -> OutcomeStep:
    """Close a case: at least one session first; 调解成功 needs the agreement, 转交 the receiver."""
    if current != MEDIATING:
        raise ValidationError("调解结果", f"案件已是“{current}”，如需改变请先重新打开")
    outcome = in_choices(outcome, OUTCOMES, "调解结果")
    if last_session is None:
        raise ValidationError("调解记录", "结案前至少要有一次调解记录")
    closed_on = check_day(closed_on, "结案日期", today, last_session, "最后一次调解日期")
    agreement = optional(agreement, "协议内容", 4000)
    transferred_to = optional(transferred_to, "转交单位", 60)
    if outcome == MEDIATION_SUCCESS and not agreement:
        raise ValidationError("协议内容", "调解成功要写明达成的协议（口头协议也请记下要点）")
    if outcome == MEDIATION_TRANSFERRED and not transferred_to:
        raise ValidationError("转交单位", "请写明转交给哪个单位（如 司法所、派出所、法院）")
    if outcome != MEDIATION_TRANSFERRED:
        transferred_to = ""
    return OutcomeStep(outcome, closed_on, agreement, transferred_to)


# ---------------------------------------------------------------- helpers for periods

def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    if not 1 <= month <= 12:
        raise ValidationError("月份", "应在 1 到 12 之间")
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str = field(default="")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        first, last = month_bounds(year, month)
        return cls(first, last, f"{year}年{month}月")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年")
