"""The computed rules: how an indicator is measured from the year's records.

A rule is one function decorated with `@computed(key, label, …)`. It gets the
year's facts (services.assessment.facts, loaded once for all branches) and the
indicator's parameters, and returns a `Measure` for every branch at once:
achieved out of required, the records behind it, and what would raise it.
The scheme names a rule by its key. Adding a rule is adding one function here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from desktop_app.domain import assessment as rules
from desktop_app.domain import development as dev_rules
from desktop_app.domain import dues as dues_rules
from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.meetings import CellStatus
from desktop_app.services.assessment.facts import VisitFact, YearFacts
from desktop_app.views.assessment import EvidenceLine, RuleInfo
from desktop_app.views.dues import OWED, PAID, PARTIAL


@dataclass(frozen=True)
class Measure:
    achieved: float
    required: float
    evidence: tuple[EvidenceLine, ...] = ()
    hint: str = ""
    full_at: float = 1.0
    counted: tuple[str, str] | None = None  # (what, unit) when a number of things is required, not a share

    def score(self, max_tenths: int) -> int:
        return rules.ratio_score(max_tenths, self.achieved, self.required, self.full_at)

    def text(self) -> str:
        if self.counted:
            return rules.count_text(*self.counted, self.achieved, self.required)
        return rules.share_text(self.achieved, self.required)


RuleFn = Callable[[YearFacts, Mapping], dict[str, Measure]]
R = TypeVar("R")


@dataclass(frozen=True)
class ComputedRule:
    key: str
    label: str
    description: str
    params_hint: str
    fn: RuleFn


RULES: dict[str, ComputedRule] = {}


def computed(key: str, label: str, description: str = "", params_hint: str = "") -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[key] = ComputedRule(key, label, description, params_hint, fn)
        return fn
    return register


def rule_infos() -> list[RuleInfo]:
    return [RuleInfo(rules.MANUAL, "人工评分", "考评人员依据材料打分")] + [
        RuleInfo(r.key, r.label, r.description, r.params_hint) for r in RULES.values()]


def rule_label(key: str) -> str:
    if key == rules.MANUAL:
        return "人工评分"
    r = RULES.get(key)
    return r.label if r else f"未知规则 {key}"


def measure_all(facts: YearFacts, key: str, params: Mapping) -> dict[str, Measure]:
    """Every branch's measure under rule `key`; computed once per rule and parameters in a computation."""
    rule = RULES[key]
    memo_key = (key, tuple(sorted((k, repr(v)) for k, v in params.items())))
    return facts.memo(memo_key, lambda: rule.fn(facts, params))


def _count(n: float) -> str:
    return f"{n:g}"


def _tally(f: YearFacts, *, records_of: Callable[[str], Sequence[R]], target_of: Callable[[str], float],
           line: Callable[[R], EvidenceLine], short: Callable[[str], str],
           counted: tuple[str, str]) -> dict[str, Measure]:
    """Each branch's records counted against its target: one evidence line a record, and how many are still owed."""
    out = {}
    for b in f.branches:
        records, target = records_of(b.id), target_of(b.id)
        hint = short(_count(target - len(records))) if len(records) < target else ""
        out[b.id] = Measure(len(records), target, tuple(line(x) for x in records), hint, counted=counted)
    return out


# ---------------------------------------------------------------- 三会一课


@computed("meetings_on_time", "会议按期召开", "按会议频次要求，已过期间中按期召开的比例（取自三会一课合规表）",
          '{"kinds": ["支委会"]}，不填为全部要求的会议')
def meetings_on_time(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    kinds = tuple(params.get("kinds") or f.compliance.kinds)
    out = {}
    for b in f.branches:
        done = owed = 0
        lines, due_now = [], []
        for kind in kinds:
            for c in f.compliance.cells.get((b.id, kind), ()):
                label = f"{c.period.label} {kind}"
                held = [f.meetings[i] for i in c.meeting_ids if i in f.meetings
                        and f.meetings[i].status == meeting_rules.HELD]
                if c.status == CellStatus.HELD:
                    done += 1
                    lines.append(EvidenceLine(c.period.end, f"{label}：已召开 " + "、".join(
                        f"{m.on:%m-%d} {m.number}" for m in held)))
                elif c.status in (CellStatus.OVERDUE, CellStatus.NO_QUORUM):
                    owed += 1
                    why = "未达法定人数" if c.status == CellStatus.NO_QUORUM else "逾期未召开"
                    who = f"（{'、'.join(c.owing)}）" if c.owing else ""
                    lines.append(EvidenceLine(c.period.end, f"{label}：{why}{who}", ok=False))
                elif c.status == CellStatus.DUE:
                    due_now.append(label)
        missed = owed
        hint = f"{missed} 个期间未按期召开；" if missed else ""
        if due_now:
            hint += f"本期尚未召开：{'、'.join(due_now)}，按时召开可不失分"
        out[b.id] = Measure(done, done + owed, tuple(lines), hint.rstrip("；"))
    return out


@computed("attendance_rate", "组织生活出勤率", "已召开会议应到党员中出席的比例（列席不计）",
          '{"full_at": 0.9} 出席率达到 90% 得满分')
def attendance_rate(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    full_at = rules.number_param(params, "full_at", 0.9) or 1.0
    out = {}
    for b in f.branches:
        held = [m for m in f.held_by_branch.get(b.id, []) if m.expected]
        present = sum(m.present for m in held)
        expected = sum(m.expected for m in held)
        lines = tuple(EvidenceLine(m.on, f"{m.label()}：出席 {m.present}/应到 {m.expected}",
                                   ok=m.present * 1.0 >= m.expected * full_at) for m in held)
        low = sorted(held, key=lambda m: m.present / m.expected)[:3]
        hint = ""
        if expected and present < expected * full_at:
            hint = (f"出席率 {present * 100 / expected:.1f}%，达到 {full_at * 100:.0f}% 得满分；"
                    "出席偏低的会议：" + "、".join(f"{m.on:%m-%d}{m.kind}" for m in low))
        out[b.id] = Measure(present, expected, lines, hint, full_at)
    return out


@computed("theme_day", "主题党日按月开展", "已过月份中本支部（含党小组）开展了主题党日的月数比例")
def theme_day(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    last = min(f.as_of, f.last)
    # the running month is owed only once it is over
    ended = last.month if (last + timedelta(days=1)).month != last.month else last.month - 1
    out = {}
    for b in f.branches:
        days = [m for m in f.held_by_branch.get(b.id, []) if m.kind == meeting_rules.THEME_DAY]
        held_months = {m.on.month for m in days}
        months = list(range(1, ended + 1)) + ([last.month] if last.month > ended and last.month in held_months
                                              else [])
        lines = [EvidenceLine(m.on, f"{m.label()}") for m in days]
        missing = [mo for mo in months if mo not in held_months]
        lines += [EvidenceLine(None, f"{f.year}年{mo}月：未开展主题党日", ok=False) for mo in missing]
        hint = f"{'、'.join(f'{mo}月' for mo in missing)}未开展；今后每月按时开展" if missing else ""
        out[b.id] = Measure(len(months) - len(missing), len(months), tuple(lines), hint)
    return out


@computed("secretary_lecture", "书记讲党课", "授课人为时任支部书记的党课次数",
          '{"times": 1} 每年应讲次数')
def secretary_lecture(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    times = rules.number_param(params, "times", 1)
    out = {}
    for b in f.branches:
        lectures = [m for m in f.held_by_branch.get(b.id, []) if m.kind == meeting_rules.PARTY_LECTURE]
        lines, by_secretary = [], 0
        for m in lectures:
            secretary = f.secretary_on(b.id, m.on)
            mine = bool(secretary) and m.lecturer.strip() == secretary
            by_secretary += mine
            who = f"授课人 {m.lecturer or '未填写'}" + ("（书记）" if mine else "")
            lines.append(EvidenceLine(m.on, f"{m.label()}：{who}", ok=mine))
        hint = ""
        if by_secretary < times:
            hint = f"书记还需讲党课 {_count(times - by_secretary)} 次（在会议记录中填写授课人）"
            if not f.secretaries.get(b.id):
                hint += "；支委会名单中没有书记，请先登记支委会"
        out[b.id] = Measure(by_secretary, times, tuple(lines), hint, counted=("讲党课", "次"))
    return out


# ---------------------------------------------------------------- members


@computed("evaluation_done", "民主评议完成",
          "在册党员中已评定等次的比例；年初开展的民主评议评的是上一年度，默认计入当年",
          '{"previous_year": 1}，填 0 则按本年度的评议结果计')
def evaluation_done(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    of_year = f.year - 1 if rules.number_param(params, "previous_year", 1) else f.year
    grades_of = f.evaluations(of_year)
    out = {}
    for b in f.branches:
        roster = f.roster.get(b.id, [])
        done = [(mid, name) for mid, name in roster if grades_of.get(mid)]
        missing = [name for mid, name in roster if not grades_of.get(mid)]
        grades: dict[str, int] = {}
        for mid, _ in done:
            grades[grades_of[mid]] = grades.get(grades_of[mid], 0) + 1
        lines = [EvidenceLine(None, f"{of_year}年度已评定：" + "，".join(f"{g} {n} 名" for g, n in grades.items()))
                 ] if done else []
        if missing:
            lines.append(EvidenceLine(None, f"未评议（{len(missing)} 名）：" + "、".join(missing), ok=False))
        hint = f"还有 {len(missing)} 名党员未评定{of_year}年度等次" if missing else ""
        out[b.id] = Measure(len(done), len(roster), tuple(lines), hint)
    return out


@computed("dues_on_time", "党费按时交纳",
          "应交月份中按时足额交纳的比例（取自党费登记）；按时指当月交纳，或在宽限月数内补齐（默认 1，即次月）",
          '{"full_at": 0.95, "grace_months": 1} 达到 95% 得满分；宽限月数填 0 则须当月交纳')
def dues_on_time(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    full_at = rules.number_param(params, "full_at", 0.95) or 1.0
    grace = rules.whole_param(params, "grace_months", 1)  # a district may allow more than the next month
    out = {}
    for b in f.branches:
        months = f.dues_months.get(b.id, [])
        on_time, late = 0, {}
        for name, month, state, paid_on in months:
            if state == PAID and paid_on is not None and dues_rules.months_between(month, paid_on) <= grace:
                on_time += 1
                continue
            word = {OWED: "欠交", PARTIAL: "少交"}.get(state, "补交")
            late.setdefault(name, []).append(f"{month.month}月{word}")
        lines = tuple(EvidenceLine(None, f"{name}：{'、'.join(parts)}", ok=False) for name, parts in late.items())
        if months:
            lines = (EvidenceLine(None, f"应交 {len(months)} 个月次，按时足额 {on_time} 个月次"),) + lines
        hint = f"{len(late)} 名党员有欠交、少交或补交，按月足额交纳可得满分" if late else ""
        out[b.id] = Measure(on_time, len(months), lines, hint, full_at)
    return out


@computed("development_on_time", "发展党员各环节按时",
          "发展党员各环节按时限完成的比例（取自发展党员登记）：申请后一个月内谈话、每季度思想汇报、每半年培养考察、"
          "支部大会后三个月内审批、预备期满后一个月内召开支部大会讨论转正",
          '{"steps": ["思想汇报", "培养考察"]} 只计这些环节，不填为全部时限')
def development_on_time(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    wanted = params.get("steps") or ()
    if isinstance(wanted, str) or not all(isinstance(x, str) for x in wanted):
        raise ValidationError("参数", "steps 应为环节名称的列表")
    unknown = [x for x in wanted if x not in dev_rules.STEPS]
    if unknown:
        raise ValidationError("参数", f"未知的发展党员环节：{'、'.join(unknown)}")
    cutoff = min(f.as_of, f.last)
    out = {}
    for b in f.branches:
        lines, missed = [], {}
        for name, history in f.development.get(b.id, []):
            for c in rules.development_checks(history, f.first, cutoff, wanted):
                lines.append(EvidenceLine(c.on, f"{name}：{c.text}", ok=c.ok))
                if not c.ok:
                    missed.setdefault(c.step, []).append(name)
        lines.sort(key=lambda e: e.on)
        done = sum(e.ok for e in lines)
        hint = ("未按时限完成：" + "；".join(f"{step}（{'、'.join(dict.fromkeys(who))}）" for step, who in missed.items())
                + "。在发展党员页面按提醒及时办理可不失分") if missed else ""
        out[b.id] = Measure(done, len(lines), tuple(lines), hint)
    return out


# ---------------------------------------------------------------- serving residents


@computed("visits_per_member", "党员走访入户", "全年走访次数与在册党员数之比",
          '{"per_member": 2} 人均走访次数达到即得满分')
def visits_per_member(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    per = rules.number_param(params, "per_member", 2)
    return _tally(
        f, records_of=lambda branch: f.visits.get(branch, []),
        target_of=lambda branch: per * len(f.roster.get(branch, [])),
        line=lambda v: EvidenceLine(v.on, f"{v.form} {v.visitee or '（未填对象）'}，走访党员 {'、'.join(v.visitors)}"),
        short=lambda owed: f"还需走访 {owed} 次（人均 {per:g} 次）", counted=("走访", "次"))


def _closed(v: VisitFact) -> bool:
    return v.follow_state in flow.CLOSED_STATES


@computed("visits_resolved", "群众反映问题办结率", "走访中反映的问题已解决或无需处理的比例",
          '{"full_at": 0.9} 办结率达到 90% 得满分')
def visits_resolved(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    full_at = rules.number_param(params, "full_at", 0.9) or 1.0
    out = {}
    for b in f.branches:
        # the open ones first (sorted is stable): they are what costs points
        issues = sorted((v for v in f.visits.get(b.id, []) if v.raised_issue), key=_closed)
        lines = tuple(EvidenceLine(v.on, f"{v.visitee or '走访'}反映的问题：{v.follow_state}", ok=_closed(v))
                      for v in issues)
        done = sum(map(_closed, issues))
        hint = f"{len(issues) - done} 件问题尚未办结，办结后可加分" if done < len(issues) else ""
        out[b.id] = Measure(done, len(issues), lines, hint, full_at)
    return out


@computed("wishes_fulfilled", "微心愿实现", "本支部党员认领并于当年实现的微心愿个数",
          '{"target": 3} 达到个数即得满分')
def wishes_fulfilled(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    target = rules.number_param(params, "target", 3)
    return _tally(
        f, records_of=lambda branch: f.wishes.get(branch, []), target_of=lambda _branch: target,
        line=lambda w: EvidenceLine(w.fulfilled_on, f"{w.wish_no} {w.content}（{w.claimant}）"),
        short=lambda owed: f"还需实现微心愿 {owed} 个", counted=("实现微心愿", "个"))


@computed("partner_activities", "与共建单位联合开展活动", "本支部组织、有共建单位参与的共驻共建活动次数（取自共驻共建登记）",
          '{"per_year": 4} 全年次数达到即得满分')
def partner_activities(f: YearFacts, params: Mapping) -> dict[str, Measure]:
    target = rules.number_param(params, "per_year", 4)
    by_branch = f.memo("activities_of_branch", f.activities_of_branch)
    return _tally(
        f, records_of=lambda branch: by_branch.get(branch, []), target_of=lambda _branch: target,
        line=lambda a: EvidenceLine(a.on, f"{a.kind}“{a.title}”，共建单位：{'、'.join(a.units)}"),
        short=lambda owed: f"还需与共建单位联合开展活动 {owed} 次", counted=("联合开展活动", "次"))
