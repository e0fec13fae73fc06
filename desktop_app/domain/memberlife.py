"""A member's life in the party after joining: leaving, discipline, moves, 流动 and 失联, as pure rules.

The terms come from the 党章 and the 中国共产党纪律处分条例:
- article 9: a member may leave (退党) — the 支部大会 discusses it and removes the
  member (除名); a member who without good reason for six months in a row takes
  no part in organisation life, *or* pays no dues, *or* does no assigned work is
  held to have left (自行脱党) and the 支部大会 removes them, approved above;
  a member who lacks revolutionary will and does not change after education is
  persuaded to leave (劝退), and removed if they refuse.
- article 40 / 条例 article 8: discipline is 警告, 严重警告, 撤销党内职务,
  留党察看 (one or two years at most) and 开除党籍. During 留党察看 the member
  has no vote, no right to elect or be elected.
- 中组部《关于加强和改进流动党员管理工作的意见》: a member out of contact for six
  months or more, still not found after searching, has the 党籍 suspended;
  still not found two years after that, is removed as 自行脱党.
No SQL, no Qt: the services feed these rules the dated facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.development import contact_phone
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import check_day
from desktop_app.domain.members import (
    DECEASED, EXPELLED, LAPSED, LOST, REMOVED, SUSPENDED, TRANSFERRED_OUT, WITHDRAWN, add_years,
)

TEXT_MAX = 60
DOC_MAX = 40

# ---------------------------------------------------------------- 出党 and leaving the roster

EXIT_KINDS = (REMOVED, WITHDRAWN, EXPELLED, LAPSED, DECEASED, TRANSFERRED_OUT)
# Those decided by a party body (支部大会, 纪委 …) need the body; these also need the decision's number.
DECIDED_KINDS = (REMOVED, WITHDRAWN, EXPELLED, LAPSED)
NUMBERED_KINDS = (REMOVED, EXPELLED, LAPSED)
LAPSE_MONTHS = 6  # 党章 article 9: six months in a row


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (31 Jan → 28 Feb is 0, → 29 Feb/1 Mar is 1 month)."""
    n = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        n -= 1
    return max(n, 0)


def add_months(d: date, months: int) -> date:
    """Same day `months` later, clipped to the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def short_text(field: str, value: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(field, f"不超过 {limit} 个字")
    if any(ord(c) < 32 for c in value):
        raise ValidationError(field, "含有不可见的控制字符")
    return value


def one_of(value: str, choices: Sequence[str], field: str, hint: str = "") -> str:
    """`value` when it is one of `choices` (a kind, a measure, a decision), else refused naming them all."""
    if value not in choices:
        raise ValidationError(field, f"应为 {'、'.join(choices)} 之一{hint}")
    return value


@dataclass(frozen=True)
class Lapse:
    """What article 9 sees on a day: months without organisation life and without dues (None = never)."""

    months_without_life: int | None
    months_without_dues: int | None

    @property
    def grounds(self) -> list[str]:
        out = []
        if self.months_without_life is not None and self.months_without_life >= LAPSE_MONTHS:
            out.append(f"连续 {self.months_without_life} 个月未参加党的组织生活")
        if self.months_without_dues is not None and self.months_without_dues >= LAPSE_MONTHS:
            out.append(f"连续 {self.months_without_dues} 个月未交纳党费")
        return out

    @property
    def lapsed(self) -> bool:
        """Article 9: either six months without organisation life, or six months without dues."""
        return bool(self.grounds)


def lapse_on(day: date, since: date, last_life: date | None, dues_paid_to: date | None,
             life_from: date | None = date.min, dues_from: date | None = date.min,
             away_until: date | None = None) -> Lapse:
    """Article 9 as of `day` for a member on the roster since `since`.

    `last_life` is the last meeting attended; `dues_paid_to` the first day of the
    last month paid. With neither on record the clock runs from `since`, or from
    when the program began keeping meetings (`life_from`) or dues (`dues_from`):
    months nobody recorded are not held against the member. A ground whose
    records are not kept at all (None) is not judged. `away_until` is the last
    day of a 流出 (`day` while still out): the member takes part in organisation
    life where they are, with the 活动证, so that clock runs from their return;
    dues are still owed here.
    """
    def gap(start: date) -> int:
        return months_between(start, day) if start <= day else 0

    life = dues = None
    if life_from is not None:
        life = gap(max(last_life or since, since, life_from, min(away_until or date.min, day)))
    if dues_from is not None:
        # Dues paid for a month cover it: the gap starts the month after.
        paid = add_months(dues_paid_to.replace(day=1), 1) if dues_paid_to is not None else since
        dues = gap(max(paid, since, dues_from))
    return Lapse(life, dues)


@dataclass(frozen=True)
class ExitInput:
    kind: str
    exit_date: date | None
    decided_by: str = ""
    document_no: str = ""
    reason: str = ""
    note: str = ""
    destination: str = ""  # 转出: where to (the transfer register's 转往)


def _check_decision(kind: str, kinds: tuple[str, ...], kind_field: str, kind_hint: str, on: date | None,
                    on_field: str, today: date, joined: date | None) -> None:
    """A decision of a known kind, dated between joining the party and today."""
    one_of(kind, kinds, kind_field, kind_hint)
    on = check_day(on, on_field, today, missing="请填写日期")
    if joined is not None and on < joined:
        raise ValidationError(on_field, "不能早于加入党组织日期")


def check_exit(inp: ExitInput, today: date, joined: date | None, status: str,
               lapse: Lapse | None = None) -> ExitInput:
    """An exit record as the 党章 wants it; `lapse` is article 9's view on the exit date (自行脱党 only)."""
    _check_decision(inp.kind, EXIT_KINDS, "出党方式", "", inp.exit_date, "日期", today, joined)
    if status in (DECEASED, TRANSFERRED_OUT, REMOVED, WITHDRAWN, EXPELLED, LAPSED):
        raise ValidationError("出党方式", f"该党员已是“{status}”，不能再登记")
    body = short_text("决定机关", inp.decided_by)
    number = short_text("文号", inp.document_no, DOC_MAX)
    if inp.kind in DECIDED_KINDS and not body:
        raise ValidationError("决定机关", f"{inp.kind}须写明作出决定的党组织（如支部大会、上级党委、纪委）")
    if inp.kind in NUMBERED_KINDS and not number:
        raise ValidationError("文号", f"{inp.kind}须填写批准或处分决定的文号")
    reason = (inp.reason or "").strip()
    if inp.kind == LAPSED:
        if lapse is None or not lapse.lapsed:
            raise ValidationError(
                "出党方式",
                f"不符合党章第九条：自行脱党须无正当理由连续{LAPSE_MONTHS}个月不参加党的组织生活或不交纳党费")
        reason = reason or "；".join(lapse.grounds)
    if inp.kind == WITHDRAWN and not reason:
        reason = "本人要求退党"
    return ExitInput(inp.kind, inp.exit_date, body, number, reason, (inp.note or "").strip(),
                     short_text("转往", inp.destination, 120))


# ---------------------------------------------------------------- 党纪处分

WARNING = "警告"
SERIOUS_WARNING = "严重警告"
DISMISSAL = "撤销党内职务"
PROBATION = "留党察看"
DISCIPLINE_KINDS = (WARNING, SERIOUS_WARNING, DISMISSAL, PROBATION)
PROBATION_MAX_YEARS = 2  # 条例: 留党察看 one year or two years


@dataclass(frozen=True)
class DisciplineInput:
    kind: str
    decided_on: date | None
    decided_by: str = ""
    document_no: str = ""
    ends_on: date | None = None
    reason: str = ""
    note: str = ""


def _term_end(field: str, end: date | None, start: date, latest: date, missing: str, too_long: str) -> date:
    """The end of a term that runs from a decision: after the decision, not beyond the longest term."""
    if end is None:
        raise ValidationError(field, missing)
    if end <= start:
        raise ValidationError(field, "须晚于决定日期")
    if end > latest:
        raise ValidationError(field, too_long)
    return end


def probation_end(decided_on: date, years: int) -> date:
    return add_years(decided_on, years)


def check_discipline(inp: DisciplineInput, today: date, joined: date | None) -> DisciplineInput:
    _check_decision(inp.kind, DISCIPLINE_KINDS, "处分种类", "（开除党籍请登记出党）", inp.decided_on, "决定日期", today,
                    joined)
    body = short_text("决定机关", inp.decided_by)
    if not body:
        raise ValidationError("决定机关", "请写明作出处分决定的党组织或纪委")
    number = short_text("文号", inp.document_no, DOC_MAX)
    if not number:
        raise ValidationError("文号", "请填写处分决定的文号")
    ends = None
    if inp.kind == PROBATION:
        ends = _term_end("察看期至", inp.ends_on, inp.decided_on, probation_end(inp.decided_on, PROBATION_MAX_YEARS),
                         "留党察看须写明察看期满的日期（一年或二年）", f"留党察看最长不超过{PROBATION_MAX_YEARS}年")
    elif inp.ends_on is not None:
        raise ValidationError("察看期至", "只有留党察看有察看期")
    return DisciplineInput(inp.kind, inp.decided_on, body, number, ends, (inp.reason or "").strip(),
                           (inp.note or "").strip())


@dataclass(frozen=True)
class Sanction:
    kind: str
    decided_on: date
    ends_on: date | None
    lifted_on: date | None = None


def vote_barred(sanctions: Iterable[Sanction], day: date) -> bool:
    """Under 留党察看 on `day`: no vote, no right to elect or be elected (from the decision to its end)."""
    for s in sanctions:
        if s.kind != PROBATION or s.decided_on > day:
            continue
        end = s.lifted_on or s.ends_on
        if end is None or day < end:
            return True
    return False


def check_lift(s: Sanction, on: date | None, today: date) -> date:
    """恢复党员权利 at the end of a 留党察看 (or earlier where the body so decides), never before it began."""
    if s.kind != PROBATION:
        raise ValidationError("处分种类", "只有留党察看需要登记恢复党员权利")
    if on is None:
        raise ValidationError("恢复日期", "请填写日期")
    if on <= s.decided_on:
        raise ValidationError("恢复日期", "须晚于处分决定日期")
    if on > today:
        raise ValidationError("恢复日期", "不能晚于今天")
    return on


# ---------------------------------------------------------------- 不合格党员处置 after 民主评议

RECTIFY = "限期改正"
PERSUADE = "劝退"
DISPOSAL_REMOVE = "除名"
MEASURES = (RECTIFY, PERSUADE, DISPOSAL_REMOVE)
RECTIFY_MAX_MONTHS = 12  # a deadline up to a year, as the 民主评议 rules commonly set


@dataclass(frozen=True)
class DisposalInput:
    year: int
    measure: str
    decided_on: date | None
    decided_by: str = ""
    document_no: str = ""
    deadline: date | None = None
    note: str = ""


def check_disposal(inp: DisposalInput, today: date, earlier: Sequence[str] = ()) -> DisposalInput:
    """A 处置 of a member found 不合格 in the 民主评议 of `year`; `earlier` are its previous measures that year."""
    one_of(inp.measure, MEASURES, "处置方式")
    if not 2000 <= inp.year <= today.year:
        raise ValidationError("评议年度", "请填写评议的年度")
    check_day(inp.decided_on, "决定日期", today, missing="请填写日期")
    if inp.decided_on < date(inp.year, 1, 1):
        raise ValidationError("决定日期", "不能早于评议年度")
    body = short_text("决定机关", inp.decided_by)
    if not body:
        raise ValidationError("决定机关", "请写明作出决定的党组织（支部大会）")
    number = short_text("文号", inp.document_no, DOC_MAX)
    deadline = None
    if inp.measure == RECTIFY:
        deadline = _term_end("改正期限", inp.deadline, inp.decided_on, add_months(inp.decided_on, RECTIFY_MAX_MONTHS),
                             "限期改正须写明期限", f"期限不超过 {RECTIFY_MAX_MONTHS} 个月")
    if inp.measure == DISPOSAL_REMOVE and not number:
        raise ValidationError("文号", "除名须填写上级党组织批准的文号")
    if inp.measure in earlier:
        raise ValidationError("处置方式", f"该年度已登记过“{inp.measure}”")
    return DisposalInput(inp.year, inp.measure, inp.decided_on, body, number, deadline, (inp.note or "").strip())


# ---------------------------------------------------------------- dated moves between branches

@dataclass(frozen=True)
class Move:
    moved_on: date
    from_org_id: str | None
    to_org_id: str


def org_on(current: str | None, moves: Iterable[Move], day: date) -> str | None:
    """The organisation a member belonged to on `day`, from the dated moves and today's row.

    The latest move on or before `day` wins; before the first move the member sat
    where that move took them from; with no moves at all, where they are today.
    """
    ordered = sorted(moves, key=lambda m: m.moved_on)
    if not ordered:
        return current
    found = ordered[0].from_org_id
    for m in ordered:
        if m.moved_on > day:
            break
        found = m.to_org_id
    return found


def check_move(current: str | None, target: str | None, on: date | None, today: date,
               last_move: date | None) -> date:
    if not target:
        raise ValidationError("调入组织", "请选择调入的党支部或党小组")
    if target == current:
        raise ValidationError("调入组织", "该党员已在这个组织")
    on = check_day(on, "调动日期", today, missing="请填写日期")
    if last_move is not None and on < last_move:
        raise ValidationError("调动日期", f"不能早于上一次调动（{last_move.isoformat()}）")
    return on


# ---------------------------------------------------------------- 流动党员

FLOW_OUT = "流出"
FLOW_IN = "流入"
FLOW_DIRECTIONS = (FLOW_OUT, FLOW_IN)


@dataclass(frozen=True)
class FloatingInput:
    direction: str
    org_id: str | None  # 流出: the member's branch; 流入: the branch attended here
    start_date: date | None
    member_id: str | None = None  # 流出 only
    name: str = ""  # 流入 (a 流出 takes the member's name)
    id_number: str = ""
    card_no: str = ""
    place: str = ""
    other_org: str = ""
    contact: str = ""
    end_date: date | None = None
    note: str = ""


def check_floating(inp: FloatingInput, today: date) -> FloatingInput:
    if inp.direction not in FLOW_DIRECTIONS:
        raise ValidationError("流动方向", "应为 流出 或 流入")
    if inp.direction == FLOW_OUT and not inp.member_id:
        raise ValidationError("党员", "流出党员请从名册中选择")
    name = short_text("姓名", inp.name, 40)
    if inp.direction == FLOW_IN and not name:
        raise ValidationError("姓名", "请填写流入党员的姓名")
    out = inp.direction == FLOW_OUT
    # refusals name the fields as the 登记流出 / 登记流入 forms label them, so the cursor is put there
    if not inp.org_id and not out:  # a 流出 is kept under the member's own branch
        raise ValidationError("参加活动的党支部", "请选择参加活动的党支部")
    started = "外出日期" if out else "流入日期"
    check_day(inp.start_date, started, today, missing="请填写外出或流入的日期")
    if inp.end_date is not None and inp.end_date < inp.start_date:
        raise ValidationError("结束日期", f"不能早于{started}")
    where = "外出流向" if out else "来自"
    place = short_text(where, inp.place, 120)
    if not place:
        raise ValidationError(where, "请写明外出去向" if out else "请写明从何处流入")
    return FloatingInput(
        inp.direction, inp.org_id, inp.start_date, inp.member_id if inp.direction == FLOW_OUT else None, name,
        short_text("公民身份号码", inp.id_number, 18), short_text("活动证编号", inp.card_no, DOC_MAX), place,
        short_text("参加活动的党组织" if inp.direction == FLOW_OUT else "组织关系所在党组织", inp.other_org, 120),
        _contact(inp.contact), inp.end_date, (inp.note or "").strip())


def _contact(raw: str) -> str:
    """联系方式 takes what an applicant's 联系电话 does (the one rule in development.contact_phone): a slip such as
    “12345” was kept and found only when someone tried to call. The refusal names the form's own label."""
    try:
        return short_text("联系方式", contact_phone(raw))
    except ValidationError as e:
        raise ValidationError("联系方式", e.message) from None


# ---------------------------------------------------------------- 失联党员

SEARCH_METHODS = ("电话", "短信/微信", "上门", "函询", "亲友打听", "工作单位", "公安协查", "其他")
FOUND = "恢复联系"
KEEP_LOOKING = "继续查找"
SUSPEND = "停止党籍"
REMOVE_AS_LAPSED = "按自行脱党除名"
LOST_DECISIONS = (FOUND, KEEP_LOOKING, SUSPEND, REMOVE_AS_LAPSED)
LOST_SUSPEND_MONTHS = 6  # out of contact six months or more, searched for → 停止党籍
SUSPENDED_REMOVE_YEARS = 2  # 停止党籍 two years, still not found → 按自行脱党除名


def check_search(on: date | None, tried_by: str, method: str, result: str, today: date) -> tuple[date, str, str, str]:
    on = check_day(on, "查找日期", today, missing="请填写日期")
    who = short_text("查找人", tried_by, 40)
    if not who:
        raise ValidationError("查找人", "请写明由谁查找")
    how = short_text("查找方式", method, 20)
    if not how:
        raise ValidationError("查找方式", f"请选择查找方式（{'、'.join(SEARCH_METHODS)}）")
    return on, who, how, (result or "").strip()


def check_lost_decision(decision: str, on: date | None, today: date, status: str, lost_since: date | None,
                        suspended_since: date | None, searches: int) -> date:
    """The decision on a 失联党员, with the waiting times of the 中组部 rules."""
    one_of(decision, LOST_DECISIONS, "处理决定")
    on = check_day(on, "决定日期", today, missing="请填写日期")
    if status not in (LOST, SUSPENDED):
        raise ValidationError("处理决定", "只能对失联党员（或因失联停止党籍的党员）作出决定")
    if decision == SUSPEND:
        if status != LOST:
            raise ValidationError("处理决定", "该党员不是失联状态")
        if lost_since is None or months_between(lost_since, on) < LOST_SUSPEND_MONTHS:
            raise ValidationError("处理决定", f"失去联系满{LOST_SUSPEND_MONTHS}个月后才能停止党籍")
        if searches == 0:
            raise ValidationError("处理决定", "停止党籍前须有查找记录")
    if decision == REMOVE_AS_LAPSED:
        if status != SUSPENDED or suspended_since is None:
            raise ValidationError("处理决定", "须先停止党籍")
        if on < add_years(suspended_since, SUSPENDED_REMOVE_YEARS):
            raise ValidationError("处理决定", f"停止党籍满{SUSPENDED_REMOVE_YEARS}年仍无法取得联系的，才能按自行脱党除名")
    return on


# ---------------------------------------------------------------- 议题

TOPIC_MAX = 120


def check_topic(title: str, votes: tuple[int | None, int | None, int | None], present: int | None) -> str:
    """A meeting's 议题 with its vote: the three counts together, not more votes than people present."""
    title = short_text("议题", title, TOPIC_MAX)
    if not title:
        raise ValidationError("议题", "请填写议题")
    given = [v for v in votes if v is not None]
    if given and len(given) != 3:
        raise ValidationError("表决", "赞成、反对、弃权须一并填写")
    if any(v < 0 for v in given):
        raise ValidationError("表决", "票数不能为负")
    if given and present is not None and sum(given) > present:
        raise ValidationError("表决", f"票数合计 {sum(given)} 超过有表决权的到会人数 {present}")
    return title


def topic_passed(votes_for: int | None, votes_against: int | None, votes_abstain: int | None,
                 voters: int | None) -> bool | None:
    """A vote passes with more than half of those entitled to vote (None where no vote was taken)."""
    if votes_for is None:
        return None
    base = voters if voters else (votes_for + (votes_against or 0) + (votes_abstain or 0))
    return votes_for * 2 > base


def political_birthday(joined: date, year: int) -> date | None:
    """政治生日: the day in `year` a member marks joining the party (入党日期); None before the first anniversary.

    Joined on 29 February: 28 February in a common year, not 1 March. Branches greet and hold the ceremony
    month by month, and the day must stay in the month the member joined: 1 March would move them to
    March's list three years in four (add_years' 1 March is for counting full years, not for a greeting).
    """
    if year <= joined.year:
        return None
    try:
        return joined.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def years_joined(joined: date, year: int) -> int:
    """入党 N 周年 marked in `year` (counted from 入党日期, 预备期 included; 党龄 counts from 转正)."""
    return year - joined.year


# 流动 is set by registering a 流出 on 流动与失联 (with the 活动证 and the 流向), not as a bare status on the
# roster: that left the 流动党员 register without the member. Said by the service that refuses it and the form.
FLOATING_BY_REGISTER = "外出流动请在“流动与失联”页“登记流出”（填写流动党员活动证、外出流向），登记后状态即为流动"
