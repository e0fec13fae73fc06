"""发展党员: the stages, the steps, their documents and the time rules (as data), per the 党章 and
the 中国共产党发展党员工作细则 (2014).

入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员. The rules here:
- 年满十八岁 to apply (党章 art. 1).
- The branch talks with an applicant within one month of the application (细则 art. 7), and
  chooses 积极分子 only from applicants it has talked with (art. 8).
- 积极分子 are educated and examined for at least one year before becoming
  发展对象 (细则 art. 13), hand in 思想汇报 (here: each quarter) and are
  examined every half year (细则 art. 12).
- An 积极分子 gets one or two 正式党员 as 培养联系人 (细则 art. 10); a 发展对象 two
  正式党员 as 入党介绍人 (党章 art. 5, 细则 art. 16), named in the 入党志愿书.
- A 发展对象 is vetted (政审), trained (集中培训), pre-examined by the upper committee
  (预审, passed) and publicly announced (公示, at least five working days) before the
  支部大会 (细则 arts. 14–20).
- The 支部大会 admits with more than half of the 应到会有表决权的正式党员 voting
  for (细则 art. 24); the upper committee approves within three months (art. 27).
- The new 预备党员 takes the 入党宣誓 (细则 art. 28), here reminded within three months.
- Probation lasts one year from the 支部大会 (党章 art. 7); the 支部大会 discusses 转正
  on or after the day it ends and the upper committee approves it later, but 转正
  takes effect on that day (党龄 counts from it); it may be extended once, by six
  months to a year, or the 预备党员资格 cancelled (党章 art. 7, 细则 arts. 31–33).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.domain.errors import ValidationError, known
from desktop_app.domain.members import FULL as FULL_MEMBER
from desktop_app.domain.members import add_years, full_years, normalize_mobile, normalize_phone
from desktop_app.domain.meetings import months_before

# ---------------------------------------------------------------- stages

APPLICANT = "入党申请人"
ACTIVIST = "入党积极分子"
CANDIDATE = "发展对象"
PROBATIONARY = "预备党员"
FULL = "正式党员"
CANCELLED = "取消预备资格"
STOPPED = "停止培养"
STAGES = (APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL, CANCELLED, STOPPED)
OPEN_STAGES = (APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY)

# ---------------------------------------------------------------- steps

APPLY = "递交入党申请书"
TALK = "谈话"
MAKE_ACTIVIST = "确定入党积极分子"
REPORT = "思想汇报"
EXAMINE = "培养考察"
MAKE_CANDIDATE = "确定发展对象"
SPONSORS = "确定入党介绍人"
VETTING = "政治审查"
TRAINING = "集中培训"
PRE_REVIEW = "上级党委预审"
NOTICE = "公示"
ADMIT = "支部大会讨论接收"
APPROVE = "上级党委审批"
OATH = "入党宣誓"
CONFIRM = "转正"
CONFIRM_APPROVE = "转正审批"
EXTEND = "延长预备期"
CANCEL = "取消预备党员资格"
STOP = "停止培养"


@dataclass(frozen=True)
class StepKind:
    name: str
    stages: tuple[str, ...]  # stages in which it may be recorded
    to_stage: str | None = None  # the stage it moves the applicant into
    documents: tuple[str, ...] = ()  # the checklist kept in the file
    body: str = ""  # the usual deciding body
    vote: bool = False
    repeat: bool = False  # may be recorded more than once
    people: str = ""  # names members of the roster in this role (培养联系人, 入党介绍人)


STEP_KINDS: tuple[StepKind, ...] = (
    StepKind(APPLY, (), APPLICANT, ("入党申请书",)),
    StepKind(TALK, (APPLICANT,), None, ("谈话记录",), "党支部"),
    StepKind(MAKE_ACTIVIST, (APPLICANT,), ACTIVIST, ("推荐材料", "支委会会议记录", "入党积极分子登记"), "支委会",
             people="培养联系人"),
    StepKind(REPORT, (ACTIVIST, CANDIDATE, PROBATIONARY), None, ("思想汇报",), repeat=True),
    StepKind(EXAMINE, (ACTIVIST, CANDIDATE, PROBATIONARY), None, ("培养教育考察登记表",), "党支部", repeat=True),
    StepKind(MAKE_CANDIDATE, (ACTIVIST,), CANDIDATE, ("听取意见记录", "支委会会议记录", "上级党委备案"), "支委会"),
    StepKind(SPONSORS, (CANDIDATE,), None, ("支委会会议记录",), "支委会", people="入党介绍人"),
    StepKind(VETTING, (CANDIDATE,), None, ("政审材料", "政审结论"), "党支部"),
    StepKind(TRAINING, (CANDIDATE,), None, ("培训结业证书",), "街道党校"),
    StepKind(PRE_REVIEW, (CANDIDATE,), None, ("预审请示", "预审意见"), "街道党工委"),
    StepKind(NOTICE, (CANDIDATE,), None, ("公示材料", "公示结果"), "党支部"),
    StepKind(ADMIT, (CANDIDATE,), None, ("入党志愿书", "支部大会会议记录"), "支部大会", vote=True),
    StepKind(APPROVE, (CANDIDATE,), PROBATIONARY, ("审批意见", "入党志愿书"), "街道党工委"),
    StepKind(OATH, (PROBATIONARY,), None, ("入党宣誓记录",), "街道党工委"),
    StepKind(CONFIRM, (PROBATIONARY,), FULL, ("转正申请书", "支部大会会议记录"), "支部大会", vote=True),
    StepKind(CONFIRM_APPROVE, (FULL,), None, ("上级党委审批意见",), "街道党工委"),
    StepKind(EXTEND, (PROBATIONARY,), None, ("支部大会会议记录", "上级党委审批意见"), "支部大会", vote=True),
    StepKind(CANCEL, (PROBATIONARY,), CANCELLED, ("支部大会会议记录", "上级党委审批意见"), "支部大会", vote=True),
    StepKind(STOP, (APPLICANT, ACTIVIST, CANDIDATE), STOPPED, ("支委会会议记录",), "支委会"),
)
STEPS = tuple(k.name for k in STEP_KINDS)
_KINDS = {k.name: k for k in STEP_KINDS}


def step_kind(name: str) -> StepKind:
    return known(_KINDS, name, "步骤", f"未知的步骤“{name}”")


def kind_or_other(name: str) -> StepKind:
    """The kind of a recorded step; one this program does not know (recorded by a newer one, come by
    sync) is kept and listed as it stands: it moves no stage, asks for no document and is not the
    kind of step the date order counts (like a repeated one)."""
    return _KINDS.get(name) or StepKind(name, (), repeat=True)


def steps_for(stage: str) -> tuple[str, ...]:
    """Steps that may be recorded for an applicant in `stage`, in the order of the way."""
    return tuple(k.name for k in STEP_KINDS if stage in k.stages)


# ---------------------------------------------------------------- time rules (data)

@dataclass(frozen=True)
class TimeRule:
    """`step` relative to `after`: at least min_months / min_days after it, at most max_months / max_days
    after it, or (every_months) again every so often while the applicant is in `stages`."""

    step: str
    after: str
    text: str
    min_months: int = 0
    min_days: int = 0
    max_months: int = 0
    max_days: int = 0
    every_months: int = 0
    stages: tuple[str, ...] = ()


TIME_RULES: tuple[TimeRule, ...] = (
    TimeRule(TALK, APPLY, "党组织应在收到入党申请书后一个月内派人谈话", max_months=1),
    TimeRule(MAKE_CANDIDATE, MAKE_ACTIVIST, "入党积极分子经过一年以上培养教育和考察方可列为发展对象", min_months=12),
    TimeRule(REPORT, MAKE_ACTIVIST, "入党积极分子、发展对象、预备党员每季度至少递交一次思想汇报", every_months=3,
             stages=(ACTIVIST, CANDIDATE, PROBATIONARY)),
    TimeRule(EXAMINE, MAKE_ACTIVIST, "党支部每半年对入党积极分子进行一次考察", every_months=6,
             stages=(ACTIVIST, CANDIDATE)),
    TimeRule(ADMIT, NOTICE, "公示期不少于5个工作日，公示结束后方可提交支部大会", min_days=7),
    TimeRule(APPROVE, ADMIT, "上级党委应在支部大会通过后三个月内审批", max_months=3),
    TimeRule(CONFIRM, ADMIT, "预备期为一年，自支部大会通过之日起算，期满方可转正", min_months=12),
)
BEFORE_ADMIT = (SPONSORS, VETTING, TRAINING, PRE_REVIEW, NOTICE)  # all on file before the 支部大会
BEFORE_PRE_REVIEW = (VETTING, TRAINING)  # what the upper committee examines
PRE_REVIEW_RESULTS = ("合格", "不合格")
PEOPLE_COUNT = {MAKE_ACTIVIST: (1, 2), SPONSORS: (2, 2)}  # 培养联系人 one or two, 入党介绍人 two
OATH_MONTHS = 3  # 入党宣誓 reminded within three months of the approval
MIN_AGE = 18
EXTEND_MONTHS = (6, 12)  # 延长预备期 at least half a year, at most one
# the 支部大会 discusses 转正 "及时" after the probation ends (细则 art. 31): within the month after it, as
# 支部考评 counts it; 转正 takes effect on the end whatever day in it the branch met
CONFIRM_MEETING_MONTHS = 1


def add_months(d: date, months: int) -> date:
    """The same day `months` later (clamped to the month's end)."""
    return months_before(d, -months)


# ---------------------------------------------------------------- history

@dataclass(frozen=True)
class Done:
    """A recorded step: what, when, and the extension's months where it is one."""

    step: str
    on: date
    months: int | None = None


def _last(history: Sequence[Done], step: str) -> date | None:
    days = [d.on for d in history if d.step == step]
    return max(days) if days else None


def probation_end(history: Sequence[Done]) -> date | None:
    """The day the probation ends: a year after the 支部大会, plus any extension."""
    admitted = _last(history, ADMIT)
    if admitted is None:
        return None
    end = add_years(admitted, 1)
    for d in history:
        if d.step == EXTEND and d.months:
            end = add_months(end, d.months)
    return end


def contact_phone(raw: str | None) -> str:
    """An applicant's 联系电话, a mobile or a fixed line, checked when typed: unchecked, a number the roster
    refuses stopped 上级党委审批 months later, when the person is put on the roster."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        return normalize_mobile(text)
    except ValueError:
        pass
    try:
        if text.isascii() and text.isdigit() and text.startswith("1"):  # a mobile with a digit missing or too many
            raise ValueError(text)
        return normalize_phone(text)
    except ValueError:
        raise ValidationError("联系电话", f"“{text}”不像电话号码：手机填 11 位（如 13812345678），"
                                       "固定电话带区号（如 021-62345678）") from None


def roster_phones(contact: str) -> tuple[str, str]:
    """The 联系电话 as the roster keeps it: (手机号码, 固定电话), a fixed line in the second."""
    try:
        return normalize_mobile(contact), ""
    except ValueError:
        return "", contact


def check_age(birth: date | None, applied: date, from_number: bool = False) -> None:
    """`from_number`: the birth date was read from the ID number, so the refusal names that field (a form
    without a 出生日期 field could not show which one to correct) and the day it found there."""
    if birth is not None and full_years(birth, applied) < MIN_AGE:
        if from_number:
            raise ValidationError("公民身份号码", f"按号码出生于 {birth.isoformat()}，递交申请书时（{applied.isoformat()}）"
                                              "未满十八岁：申请入党须年满十八岁（党章第一条）")
        raise ValidationError("出生日期", "申请入党须年满十八岁（党章第一条）")


def check_votes(votes_for: int | None, against: int | None, abstain: int | None,
                expected: int | None) -> bool:
    """Validate a vote and tell whether it passed: 赞成 more than half of those entitled to vote."""
    if votes_for is None or expected is None:
        raise ValidationError("表决", "请填写应到会有表决权的正式党员人数和赞成票数")
    counts = [votes_for, against or 0, abstain or 0]
    if any(n < 0 for n in counts) or expected <= 0:
        raise ValidationError("表决", "票数应为不小于 0 的整数，应到人数应大于 0")
    if sum(counts) > expected:
        raise ValidationError("表决", f"赞成、反对、弃权共 {sum(counts)} 票，超过应到会有表决权的 {expected} 人")
    return votes_for * 2 > expected


def check_people(step: str, people: Sequence[tuple[str, str]]) -> str:
    """The roster members a step names (培养联系人, 入党介绍人) as (name, 人员类别): the count the
    rules ask and each a 正式党员 (党章 art. 5); their names joined by 、 as the file keeps them."""
    kind = step_kind(step)
    low, high = PEOPLE_COUNT.get(step, (0, 0))
    if not kind.people:
        return ""
    count = "两名" if low == high == 2 else "一至两名"
    if not low <= len(people) <= high:
        raise ValidationError(kind.people, f"{step}时请从党员名册中选定{count}正式党员作{kind.people}"
                                           f"（现选 {len(people)} 人）")
    not_full = [f"{n}（{c or '人员类别未填'}）" for n, c in people if c != FULL_MEMBER]
    if not_full:
        raise ValidationError(kind.people, f"{kind.people}须是正式党员：{'、'.join(not_full)}不是")
    return "、".join(n for n, _ in people)


def check_step(stage: str, history: Sequence[Done], step: str, on: date, *, votes_for: int | None = None,
               votes_against: int | None = None, votes_abstain: int | None = None,
               voters_expected: int | None = None, months: int | None = None, result: str | None = None) -> str:
    """Refuse a step that may not be recorded now; return the stage the applicant is in after it."""
    kind = step_kind(step)
    if stage not in kind.stages:
        raise ValidationError("步骤", f"“{stage}”阶段不能登记“{step}”")
    if not kind.repeat and step != EXTEND and _last(history, step) is not None:
        raise ValidationError("步骤", f"“{step}”已登记过")
    latest = max((d.on for d in history if not kind_or_other(d.step).repeat), default=None)
    if latest is not None and on < latest and not kind.repeat:
        raise ValidationError("日期", f"日期不能早于上一步（{latest.isoformat()}）")
    if step == ADMIT:  # every missing step named at once, before any one time rule speaks
        missing = [s for s in BEFORE_ADMIT if _last(history, s) is None]
        if missing:
            raise ValidationError("步骤", f"提交支部大会前还需登记：{'、'.join(missing)}")
    if step == PRE_REVIEW:
        missing = [s for s in BEFORE_PRE_REVIEW if _last(history, s) is None]
        if missing:
            raise ValidationError("步骤", f"报上级党委预审前还需登记：{'、'.join(missing)}")
        if result not in PRE_REVIEW_RESULTS:
            raise ValidationError("预审结果", "请选择上级党委预审的结果（合格或不合格）")
        if result != PRE_REVIEW_RESULTS[0]:
            raise ValidationError("预审结果", "预审不合格的，不能提交支部大会讨论，也不在此登记；"
                                             "可继续培养考察，条件成熟后重新报上级党委预审")
    if step == MAKE_ACTIVIST and _last(history, TALK) is None:
        applied = _last(history, APPLY)
        since = f"（入党申请书 {applied.isoformat()} 递交）" if applied else ""
        raise ValidationError("步骤", f"尚未登记“{TALK}”{since}：党组织派人同入党申请人谈话后，"
                                      "方可从入党申请人中确定入党积极分子")
    for rule in TIME_RULES:
        if rule.step != step or rule.every_months:
            continue
        start = _last(history, rule.after)
        if start is None:
            if rule.min_months or rule.min_days:
                raise ValidationError("步骤", f"尚未登记“{rule.after}”：{rule.text}")
            continue
        earliest = add_months(start, rule.min_months) + timedelta(days=rule.min_days)
        if (rule.min_months or rule.min_days) and on < earliest and step != CONFIRM:
            raise ValidationError("日期", f"{rule.text}（最早 {earliest.isoformat()}）")
    if step == APPROVE and _last(history, ADMIT) is None:
        raise ValidationError("步骤", "尚未登记支部大会讨论接收")
    if step in (CONFIRM, EXTEND, CANCEL):
        end = probation_end(history)
        if end is None:
            raise ValidationError("步骤", "尚未登记支部大会讨论接收，无法确定预备期")
        if step == CONFIRM and on < end:
            raise ValidationError("日期", f"预备期 {end.isoformat()} 期满，支部大会讨论转正不能早于该日"
                                          "（转正自期满之日起算）")
        if step == EXTEND:
            if _last(history, EXTEND) is not None:
                raise ValidationError("步骤", "预备期只能延长一次")
            if months is None or not EXTEND_MONTHS[0] <= months <= EXTEND_MONTHS[1]:
                raise ValidationError("延长月数", "延长预备期最少半年，最长不超过一年（6 至 12 个月）")
    if kind.vote:
        passed = check_votes(votes_for, votes_against, votes_abstain, voters_expected)
        if not passed:
            raise ValidationError("表决", "赞成票未超过应到会有表决权的正式党员的半数，不能通过")
    return kind.to_stage or stage


# ---------------------------------------------------------------- reminders

@dataclass(frozen=True)
class Reminder:
    text: str
    due: date
    overdue: bool


def reminders(stage: str, history: Sequence[Done], today: date) -> list[Reminder]:
    """What is owed next for an applicant, from the time rules, soonest first."""
    out: list[Reminder] = []
    if stage not in OPEN_STAGES:
        return out
    for rule in TIME_RULES:
        start = _last(history, rule.after)
        if start is None:
            continue
        if rule.every_months:
            if stage not in rule.stages:
                continue
            last = _last(history, rule.step) or start
            due = add_months(max(last, start), rule.every_months)
            out.append(Reminder(f"{rule.step}：{rule.text}", due, due < today))
            continue
        if _last(history, rule.step) is not None or rule.step not in steps_for(stage):
            continue
        if rule.max_months or rule.max_days:
            due = add_months(start, rule.max_months) + timedelta(days=rule.max_days)
            out.append(Reminder(f"{rule.step}：{rule.text}", due, due < today))
        elif rule.step == CONFIRM:
            end = probation_end(history) or add_months(start, rule.min_months)
            out.append(Reminder(f"转正：预备期 {end.isoformat()} 期满，应及时讨论转正、延长预备期或取消资格",
                                end, end < today))
        elif rule.min_months or rule.min_days:
            due = add_months(start, rule.min_months) + timedelta(days=rule.min_days)
            out.append(Reminder(f"{rule.step}：{rule.text}（{due.isoformat()} 起可办理）", due, False))
    approved = _last(history, APPROVE)
    if stage == PROBATIONARY and approved is not None and _last(history, OATH) is None:
        due = add_months(approved, OATH_MONTHS)
        out.append(Reminder(f"{OATH}：上级党委批准后应及时组织预备党员面向党旗进行入党宣誓", due, due < today))
    return sorted(out, key=lambda r: r.due)
