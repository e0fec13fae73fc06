"""Demo 三会一课: last year's and this year's meetings for the demo community (demo/community.py).

Mostly compliant, as a well-run community is: every branch holds its meetings
on time, with the odd gap (an overdue month), a 支部党员大会 that missed its
quorum, a meeting held but not yet entered, and the running month still owed
by some. Attendance follows each member: most come, the floating ask for
leave, the lost never come, and a few chronic absentees fill the follow-up
list. Branch committees are registered and last year's 民主评议 is entered.
Held 支部党员大会, 支委会, 组织生活会 and 民主评议 carry their 议题 with the
decision taken, and a vote where a branch's members decide by vote.

Planned in memory from one seeded Random, written with bulk inserts through
the session the caller hands in (services.demo commits it).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.demo.bulk import insert_rows
from desktop_app.domain import meetings as rules
from desktop_app.domain import members as member_rules
from desktop_app.domain.errors import Conflict
from desktop_app.domain.meetings import PeriodUnit
from desktop_app.domain.orgs import OrgKind
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.models import Member, Organization, Site
from desktop_app.store.models_meetings import (
    Attendance, CommitteeMember, Evaluation, EvaluationBallot, EvaluationVote, Meeting,
)
from desktop_app.store.models_memberlife import Discipline, MeetingTopic

GAP_SHARE = 0.02  # past periods a branch let slip
LAGGING_GAP_SHARE = 0.12  # one branch that struggles
UNENTERED_SHARE = 0.015  # held on paper, not yet entered
NO_QUORUM_SHARE = 0.06  # 支部党员大会 that fell short
CURRENT_HELD_SHARE = 0.55  # of meetings due this period whose day has passed
LEAVE_SHARE = 0.7  # of those not present, how many asked for leave

LEAVE_REASONS = ("外出就医", "身体不适", "照顾家人", "单位加班", "出差", "探亲", "外出务工", "住院治疗",
                 "接送孩子", "参加单位活动")
PLACES = ("党群服务中心二楼会议室", "社区党员活动室", "党群服务中心一楼多功能厅", "社区新时代文明实践站",
          "小区议事亭", "网格党建工作站")
STREET_GUESTS = (("周建华", "街道党工委"), ("孙立新", "街道组织办"), ("吴晓梅", "区委党校"),
                 ("郑国强", "街道纪工委"), ("冯丽", "区委组织部"))
PARTNERS = (("辖区派出所", "陈警官"), ("物业服务中心", "林经理"), ("社区卫生服务站", "何医生"),
            ("辖区小学", "马校长"), ("供电所", "高师傅"), ("业主委员会", "罗主任"))

TITLES: dict[str, tuple[str, ...]] = {
    rules.BRANCH_CONGRESS: ("通报{q}季度支部工作，部署下阶段任务", "学习传达上级会议精神", "讨论接收预备党员",
                            "党费收缴情况通报与党员教育管理", "{q}季度党员大会"),
    rules.COMMITTEE: ("研究{m}月支部工作安排", "讨论发展党员工作", "研究党员教育培训计划", "研究困难党员帮扶",
                      "研究网格重点事项", "{m}月支委会"),
    rules.GROUP_MEETING: ("学习{m}月理论学习资料", "交流学习心得", "{m}月党小组学习", "讨论网格民情问题"),
    rules.PARTY_LECTURE: ("学习贯彻党的二十届三中全会精神", "廉洁自律专题党课", "铸牢中华民族共同体意识",
                          "践行全过程人民民主", "传承红色基因 担当时代使命", "基层治理中的党员先锋作用"),
    rules.THEME_DAY: ("重温入党誓词", "清洁家园志愿服务", "走访慰问困难党员和老党员", "垃圾分类宣传进楼栋",
                      "社区消防安全排查", "红色观影与交流", "为民服务集中办实事", "参观廉政教育基地"),
    rules.ORG_LIFE: ("{y}年度组织生活会",),
    rules.EVALUATION: ("{y}年度民主评议党员",),
    rules.JOINT: ("社区大党委联席会议：共商辖区治理", "共建单位联席会议：项目清单认领", "{q}季度联席会议"),
}
MINUTES: dict[str, str] = {
    rules.BRANCH_CONGRESS: "一、支部书记通报本季度支部工作情况。\n二、传达学习上级有关文件精神。\n"
                           "三、讨论下阶段重点工作，与会党员发言{n}人。\n四、会议形成决定，由支委会负责落实。",
    rules.COMMITTEE: "一、研究本月支部重点工作。\n二、讨论网格内需要帮扶的困难群众名单。\n三、明确分工，书记牵头落实。",
    rules.GROUP_MEETING: "组长带领学习本月学习资料，党员交流学习体会，{n}人发言。",
    rules.PARTY_LECTURE: "授课人围绕主题讲授党课，党员认真听讲并做笔记，会后交流学习体会。",
    rules.THEME_DAY: "开展主题党日活动，党员积极参加，活动结束后进行了简短交流。",
    rules.ORG_LIFE: "一、通报年度对照检查情况。\n二、支委班子和党员逐一开展批评和自我批评。\n三、明确整改事项和时限。",
    rules.EVALUATION: "按照个人自评、党员互评、民主测评、组织评定的程序开展民主评议，评议结果经支部党员大会通过。",
    rules.JOINT: "通报社区重点工作，共建单位认领项目清单，商定下季度共建活动。",
}
# 议题 of held meetings: (title, decision, decided by a vote). A kind not listed records none.
TOPICS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    rules.BRANCH_CONGRESS: (
        ("通报{q}季度支部工作情况", "与会党员对通报内容无异议", False),
        ("审议支部{y}年度工作计划", "通过支部年度工作计划，由支委会分工落实", True),
        ("讨论党费收缴和使用情况", "同意党费收缴使用情况的报告，按规定上缴", True),
        ("讨论确定入党积极分子人选", "同意确定入党积极分子，报社区党委备案", True),
        ("讨论困难党员帮扶名单", "同意帮扶名单，由支委分工联系", True),
        ("讨论组建楼栋党员志愿服务队", "同意组建方案，党员按楼栋就近编队", True),
        ("推选“优秀共产党员”候选人", "同意推荐人选，报社区党委审定", True),
    ),
    rules.COMMITTEE: (
        ("研究{m}月主题党日活动安排", "确定活动内容和时间，由宣传委员组织", False),
        ("研究发展党员工作", "安排培养联系人谈话，下次支委会听取情况", False),
        ("研究走访慰问困难党员", "书记带队走访，组织委员提出名单", False),
        ("研究党员教育培训安排", "按季度集中学习，组织委员负责落实", False),
        ("研究网格矛盾纠纷排查情况", "分片包干化解，纪检委员跟踪督办", False),
        ("研究党费收缴情况", "组织委员提醒未交党员按时交纳", False),
    ),
    rules.ORG_LIFE: (("通报{y}年度对照检查情况", "查摆问题，明确整改事项和时限", False),),
    rules.EVALUATION: (("审议{y}年度民主评议党员结果", "通过评议结果，报社区党委审定", True),),
}
TOPIC_COUNTS = {rules.BRANCH_CONGRESS: (1, 3), rules.COMMITTEE: (1, 3)}
# When in its period a kind is usually held: (first day, last day) within the month.
_DAY_WINDOW = {rules.COMMITTEE: (3, 12), rules.THEME_DAY: (10, 26), rules.GROUP_MEETING: (5, 25)}
_START_TIMES = (time(9, 0), time(9, 30), time(14, 30), time(15, 0), time(19, 0), time(19, 30))


def fill(s: Session, site_id: str, seed: int, today: date) -> dict[str, int]:
    """A year of meetings for the community in `s`; same seed and day, same year. Counts of what was added."""
    if s.scalar(select(func.count()).select_from(Meeting)):
        raise Conflict("数据库中已有会议记录，演示会议只能加到新生成的演示数据中")
    site_code = s.scalar(select(Site.org_code).limit(1)) or "HY"
    orgs = s.execute(
        select(Organization.id, Organization.name, Organization.kind, Organization.parent_id, Organization.sort_order)
        .where(Organization.deleted.is_(False)).order_by(Organization.code)
    ).all()
    members = s.execute(
        select(Member.id, Member.name, Member.org_id, Member.category, Member.status, Member.joined_date,
               Member.birth_date, Member.reporting_employer, Member.seq)
        .where(Member.deleted.is_(False), Member.status.not_in(member_rules.GONE_STATUSES))
        .order_by(Member.seq, Member.id)
    ).all()
    plan = _Planner(random.Random(seed * 7919 + 4), today, site_code, orgs, members).plan()
    # A Random of their own: the meetings and attendance stay what this seed gave before 议题 came.
    _topics(plan, random.Random(seed * 7919 + 12), _voters_by(s))
    ballots, votes = _ballots(plan.evaluations, {o[0]: o for o in orgs}, random.Random(seed * 7919 + 38))
    now = utcnow()
    for model, rows in ((CommitteeMember, plan.committee), (Meeting, plan.meetings),
                        (Attendance, plan.attendance), (Evaluation, plan.evaluations), (MeetingTopic, plan.topics),
                        (EvaluationBallot, ballots), (EvaluationVote, votes)):
        insert_rows(s, model, rows, site_id, now)
    return {
        "meetings": len(plan.meetings),
        "held": sum(1 for m in plan.meetings if m["status"] == rules.HELD),
        "planned": sum(1 for m in plan.meetings if m["status"] == rules.PLANNED),
        "cancelled": sum(1 for m in plan.meetings if m["status"] == rules.CANCELLED),
        "attendance": len(plan.attendance),
        "committee": len(plan.committee),
        "evaluations": len(plan.evaluations),
        "topics": len(plan.topics),
        "ballots": len(ballots),
    }


# How the ballots lean for a member of each grade: the share of votes for 优秀, 合格, 基本合格, 不合格.
_LEAN = {rules.EXCELLENT: (0.7, 0.28, 0.02, 0), rules.QUALIFIED: (0.12, 0.82, 0.05, 0.01),
         rules.BASICALLY_QUALIFIED: (0.02, 0.38, 0.55, 0.05), rules.UNQUALIFIED: (0, 0.1, 0.25, 0.65)}


def _ballots(evaluations: list[dict], orgs: dict, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """A 民主测评 for each branch the demo graded: ballots issued to most members, nearly all returned, and
    votes leaning to the grade the meeting gave (now and then the other way, so a note shows)."""
    by_branch: dict[str, list[dict]] = defaultdict(list)
    for e in evaluations:
        org = orgs.get(e["org_id"])
        branch = e["org_id"] if org is None or org[2] == OrgKind.BRANCH else org[3]
        by_branch[branch].append(e)
    ballots: list[dict] = []
    votes: list[dict] = []
    for branch, graded in sorted(by_branch.items()):
        year, n = graded[0]["year"], len(graded)
        issued = max(1, n - rng.randint(0, max(1, n // 8)))  # those away or ill are not handed one
        returned = max(1, issued - rng.choice((0, 0, 0, 1)))
        ballots.append({"org_id": branch, "year": year, "issued": issued, "returned": returned,
                        "held_on": date(year, 12, rng.randint(10, 28))})
        weighed = len(ballots) % 2 == 0  # every other branch: one 优秀 the meeting weighed beyond the ballots
        for e in graded:
            lean = _LEAN[e["grade"]]
            if e["grade"] == rules.EXCELLENT and (weighed or rng.random() < 0.1):
                lean, weighed = _LEAN[rules.QUALIFIED], False  # the note then says 测评多数为合格
            counts = [0, 0, 0, 0]
            for _ in range(max(1, returned - rng.choice((0, 0, 1)))):  # a ballot or so left blank for the member
                counts[rng.choices(range(4), lean)[0]] += 1
            votes.append({"member_id": e["member_id"], "org_id": e["org_id"], "year": year, "excellent": counts[0],
                          "qualified": counts[1], "basic": counts[2], "unqualified": counts[3]})
    return ballots, votes


def _voters_by(s: Session) -> dict[str, date]:
    """Member id -> the first day the member may vote (正式党员, 党籍 normal).

    Anyone with a 党纪处分 is left out altogether, so a vote never counts more
    voters than services.memberlife.topics does on the meeting's day."""
    disciplined = set(s.scalars(select(Discipline.member_id).where(Discipline.deleted.is_(False))))
    out: dict[str, date] = {}
    for mid, category, party_status, joined, confirmed in s.execute(
        select(Member.id, Member.category, Member.party_status, Member.joined_date, Member.confirmed_date)
        .where(Member.deleted.is_(False))
    ):
        if category != member_rules.FULL or party_status != member_rules.NORMAL or mid in disciplined:
            continue
        out[mid] = confirmed or (date(joined.year + 1, joined.month, 28) if joined else date.min)
    return out


def _topics(plan: _Plan, rng: random.Random, voters: dict[str, date]) -> None:
    """议题 of the held meetings, in plan order (which the seed fixes), with their decisions and votes."""
    present: dict[str, list[str]] = defaultdict(list)
    expected: dict[str, int] = defaultdict(int)
    for a in plan.attendance:
        if a["member_id"] is not None:
            expected[a["meeting_id"]] += 1
            if a["status"] == rules.PRESENT:
                present[a["meeting_id"]].append(a["member_id"])
    for m in plan.in_plan_order:
        pool = TOPICS.get(m["kind"])
        if not pool or m["status"] != rules.HELD:
            continue
        day, came = m["meeting_date"], present[m["id"]]
        lo, hi = TOPIC_COUNTS.get(m["kind"], (1, 1))
        q, y = "一二三四"[(day.month - 1) // 3], day.year - 1 if m["kind"] in (rules.ORG_LIFE, rules.EVALUATION) else day.year
        can_vote = [mid for mid in came if voters.get(mid, date.max) <= day]
        # A meeting without a quorum discusses but does not vote.
        quorate = len(came) * 2 > expected[m["id"]]
        for seq, (title, decision, voted) in enumerate(rng.sample(pool, min(len(pool), rng.randint(lo, hi))), 1):
            votes: tuple[int | None, int | None, int | None] = (None, None, None)
            if voted and quorate and can_vote:
                against = 1 if len(can_vote) > 8 and rng.random() < 0.1 else 0
                abstain = rng.choice((0, 0, 0, 1, 2)) if len(can_vote) > 5 else 0
                votes = (len(can_vote) - against - abstain, against, abstain)
            plan.topics.append({"meeting_id": m["id"], "seq": seq, "title": title.format(q=q, m=day.month, y=y),
                                "decision": decision if quorate or not voted else "到会人数不足，未作表决，下次会议再议",
                                "votes_for": votes[0], "votes_against": votes[1], "votes_abstain": votes[2],
                                "note": ""})


class _Plan:
    def __init__(self) -> None:
        self.committee: list[dict] = []
        self.meetings: list[dict] = []
        self.attendance: list[dict] = []
        self.evaluations: list[dict] = []
        self.topics: list[dict] = []
        self.in_plan_order: list[dict] = []


class _Planner:
    def __init__(self, rng: random.Random, today: date, site_code: str, orgs, members):
        self.rng, self.today, self.site_code = rng, today, site_code
        self.orgs = {o[0]: o for o in orgs}
        self.org_rank = {o[0]: i for i, o in enumerate(orgs)}  # tree order (by code), which the seed fixes
        self.branches = [o for o in orgs if o[2] == OrgKind.BRANCH]
        self.community = next((o for o in orgs if o[2] == OrgKind.COMMUNITY), None)
        self.groups: dict[str, list[tuple]] = defaultdict(list)
        for o in orgs:
            if o[2] == OrgKind.GROUP:
                self.groups[o[3]].append(o)
        self.by_branch: dict[str, list[tuple]] = defaultdict(list)
        for m in members:
            org = self.orgs.get(m[2])
            if org is None:
                continue
            branch = org[0] if org[2] == OrgKind.BRANCH else (org[3] if org[2] == OrgKind.GROUP else None)
            if branch:
                self.by_branch[branch].append(m)
        self.group_of: dict[str, str] = {}  # member -> group id, spread over the branch's groups
        self.propensity = {m[0]: self._propensity(m) for m in members}
        self.plan_ = _Plan()
        self.serial: dict[int, int] = defaultdict(int)
        # Last year whole and this year so far: the 工作台's 上年 comparisons need a full year to compare with.
        self.window_start = date(today.year - 1, 1, 1)
        self.short_of_quorum = False

    # --- people

    def _propensity(self, m) -> tuple[float, str]:
        """(chance to come, what keeps them away) for one member."""
        _mid, _name, _org, _cat, status, _joined, born, employer, _seq = m
        rng = self.rng
        if status == member_rules.LOST:
            return 0.0, ""
        if status == member_rules.FLOATING:
            return 0.08, "外出务工"
        if rng.random() < 0.025:
            return 0.12, ""  # the chronic absentee the follow-up list is for
        age = (self.today - born).days // 365 if born else 50
        if age >= 85:
            return 0.45, "身体不适"
        if employer:
            return 0.72, "单位加班"
        return rng.uniform(0.82, 0.97), ""

    def _committee(self, branch) -> list[tuple[str, str]]:
        people = [m for m in self.by_branch[branch[0]]
                  if m[3] == member_rules.FULL and m[4] == member_rules.NORMAL]
        if not people:
            return []
        # Committees lean to members of working or newly retired age.
        people.sort(key=lambda m: abs(((self.today - m[6]).days // 365 if m[6] else 50) - 55) + self.rng.random() * 15)
        size = 5 if len(self.by_branch[branch[0]]) >= 50 else 3
        roles = ("书记", "组织委员", "宣传委员", "纪检委员", "委员")
        seats = [(m[0], roles[i]) for i, m in enumerate(people[:size])]
        start = date(self.today.year - 2, 3, 1)
        for order, (mid, role) in enumerate(seats, start=1):
            # Committee members are the ones who come: a 支委会 rarely misses its quorum.
            chance, why = self.propensity[mid]
            self.propensity[mid] = (max(chance, 0.95), why)
            self.plan_.committee.append({"org_id": branch[0], "member_id": mid, "role": role,
                                         "start_date": start, "end_date": None, "sort_order": order})
        return seats

    # --- meetings

    def plan(self) -> _Plan:
        names = {m[0]: m[1] for ms_ in self.by_branch.values() for m in ms_}
        lagging = self.rng.choice(self.branches)[0] if len(self.branches) > 2 else None
        for branch in self.branches:
            seats = self._committee(branch)
            secretary = names.get(seats[0][0], "") if seats else ""
            recorder = names.get(seats[1][0], "") if len(seats) > 1 else secretary
            groups = self.groups.get(branch[0], [])
            members = self.by_branch[branch[0]]
            placed = {m[0]: m[2] for m in members if (own := self.orgs.get(m[2])) is not None and own[2] == OrgKind.GROUP}
            for i, m in enumerate(members):
                if placed:
                    if m[0] in placed:
                        self.group_of[m[0]] = placed[m[0]]  # the group the member sits in
                elif groups:  # nobody placed in a group yet: spread the branch over its groups
                    self.group_of[m[0]] = groups[i % len(groups)][0]
            gap = LAGGING_GAP_SHARE if branch[0] == lagging else GAP_SHARE
            self.short_of_quorum = branch[0] == lagging  # its first 支部党员大会 falls short
            for rule in rules.DEFAULT_KINDS:
                if not rule.tracked:
                    continue
                if rule.holder == rules.Holder.GROUP and groups:
                    for g in groups:
                        people = [m for m in members if self.group_of.get(m[0]) == g[0]]
                        self._kind(g[0], rule, people, secretary, recorder, gap)
                elif rule.attendees == "committee":
                    people = [m for m in members if m[0] in {s[0] for s in seats}]
                    self._kind(branch[0], rule, people, secretary, recorder, gap)
                else:
                    self._kind(branch[0], rule, members, secretary, recorder, gap)
            self._evaluations(branch, members)
        self._joint()
        self.plan_.in_plan_order = list(self.plan_.meetings)  # numbering sorts by ids, which no seed fixes
        self._number()
        return self.plan_

    def _kind(self, org_id: str, rule: rules.KindRule, people, host: str, recorder: str, gap: float) -> None:
        rng, today = self.rng, self.today
        periods = rules.periods_between(self.window_start, today, rule.unit)
        for p in periods:
            day = self._day(rule, p)
            running = p.contains(today)
            if day < self.window_start:
                continue
            if running:
                if today - timedelta(days=14) <= day < today and rng.random() > CURRENT_HELD_SHARE:
                    continue  # held lately on paper or not at all: still owed this period
                status = rules.HELD if day < today else (rules.PLANNED if rng.random() < 0.75 else None)
                if status is None:
                    continue
            else:
                if rng.random() < gap:
                    continue  # the branch let this one slip: overdue
                status = rules.PLANNED if rng.random() < UNENTERED_SHARE else rules.HELD
            force_low = (status == rules.HELD and rule.kind == rules.BRANCH_CONGRESS and self.short_of_quorum
                         and day.year == self.today.year)
            if force_low:
                self.short_of_quorum = False
            self._meeting(org_id, rule.kind, day, status, people, host, recorder, force_low=force_low)

    def _day(self, rule: rules.KindRule, p: rules.Period) -> date:
        rng = self.rng
        if rule.kind == rules.EVALUATION or rule.kind == rules.ORG_LIFE:
            # 组织生活会 and 民主评议 are held in the first months of the year, about the year before.
            return date(p.year, rng.choice((1, 2, 3)), rng.randint(5, 25))
        first, last = p.start, p.end
        if rule.unit == PeriodUnit.MONTH:
            lo, hi = _DAY_WINDOW.get(rule.kind, (3, 26))
            return date(p.year, p.index, rng.randint(lo, min(hi, last.day)))
        # Quarterly: some time in the quarter, more often its middle month.
        month = first.month + rng.choice((0, 1, 1, 2))
        return date(p.year, month, rng.randint(3, 27))

    def _signin_place(self, m) -> tuple:
        """The member's place on a sign-in sheet (the order services give a freshly planned meeting)."""
        org = self.orgs.get(m[2])
        return rules.signin_place((org[4] or 0) if org is not None and org[2] == OrgKind.GROUP else None, m[8], m[1])

    def _meeting(self, org_id: str, kind: str, day: date, status: str, people, host: str, recorder: str,
                 guests: tuple[tuple[str, str], ...] = (), force_low: bool = False) -> None:
        rng = self.rng
        mid = new_id()
        q, m, y = (day.month - 1) // 3 + 1, day.month, day.year
        title = rng.choice(TITLES[kind]).format(q="一二三四"[q - 1], m=m, y=y - 1 if kind in (
            rules.ORG_LIFE, rules.EVALUATION) else y)
        lecturer = ""
        if kind == rules.PARTY_LECTURE:
            if rng.random() < 0.35:
                name, unit = rng.choice(STREET_GUESTS)
                lecturer = name
                guests = ((name, unit),)
            else:
                lecturer = host
        start = rng.choice(_START_TIMES)
        end = (datetime.combine(day, start) + timedelta(minutes=rng.choice((60, 90, 120)))).time()
        expected = [p for p in people if p[5] is None or p[5] <= day]
        low_turnout = kind == rules.BRANCH_CONGRESS and (rng.random() < NO_QUORUM_SHARE or force_low)
        present = 0
        rows = []
        for p in expected:  # drawn in roster order, so the seed's draws stay what they were
            st, reason = "", ""
            if status == rules.HELD:
                chance, why = self.propensity[p[0]]
                if low_turnout:
                    chance *= 0.4
                if rng.random() < chance:
                    st = rules.PRESENT
                    present += 1
                elif why == "外出务工" or (rng.random() < LEAVE_SHARE and chance > 0.2):
                    st, reason = rules.LEAVE, why or rng.choice(LEAVE_REASONS)
                else:
                    st = rules.ABSENT
            rows.append({"meeting_id": mid, "member_id": p[0], "guest_name": "", "guest_unit": "",
                         "is_guest": False, "status": st, "reason": reason})
        # Listed as a planned meeting lists them, so the sign-in sheet shows the order the service would give.
        rows = [r for _p, r in sorted(zip(expected, rows), key=lambda pr: self._signin_place(pr[0]))]
        for order, r in enumerate(rows, start=1):
            r["sort_order"] = order
        for k, (name, unit) in enumerate(guests, start=len(rows) + 1):
            rows.append({"meeting_id": mid, "member_id": None, "guest_name": name, "guest_unit": unit,
                         "is_guest": True, "status": rules.GUEST,
                         "reason": "", "sort_order": k})
        minutes = ""
        if status == rules.HELD:
            minutes = MINUTES[kind].format(n=max(1, min(present, rng.randint(2, 6))))
        self.plan_.attendance.extend(rows)
        self.plan_.meetings.append({
            "id": mid, "number": "", "org_id": org_id, "kind": kind, "title": title, "meeting_date": day,
            "start_time": start, "end_time": end, "place": rng.choice(PLACES), "host": host,
            "recorder": recorder, "lecturer": lecturer, "minutes": minutes, "status": status,
            "cancel_reason": "", "notes": "",
        })

    def _joint(self) -> None:
        """社区大党委联席会议, quarterly by habit though the street sets no cadence; one was called off."""
        if self.community is None:
            return
        rng = self.rng
        for p in rules.periods_between(self.window_start, self.today, PeriodUnit.QUARTER):
            day = date(p.year, p.start.month + 1, rng.randint(5, 25))
            if day < self.window_start or day >= self.today:
                continue
            guests = tuple((person, unit) for unit, person in rng.sample(PARTNERS, 4))
            self._meeting(self.community[0], rules.JOINT, day, rules.HELD, [], "社区党委书记", "社区党委委员",
                          guests)
        if self.plan_.meetings and self.plan_.meetings[-1]["kind"] == rules.JOINT:
            # The latest one was called off, so the list shows what a cancellation looks like.
            last = self.plan_.meetings[-1]
            last["status"], last["cancel_reason"], last["minutes"] = rules.CANCELLED, "与防汛值班冲突，改期召开", ""
            for a in self.plan_.attendance:
                if a["meeting_id"] == last["id"]:
                    a["status"] = ""

    def _evaluations(self, branch, members) -> None:
        rng = self.rng
        year = self.today.year - 1
        for m in members:
            if m[5] is not None and m[5] > date(year, 12, 31):
                continue  # joined after the year under review
            roll = rng.random()
            if m[4] == member_rules.LOST:
                grade, notes = rules.UNQUALIFIED, "长期失去联系，未参加组织生活"
            elif roll < 0.15:
                grade, notes = rules.EXCELLENT, rng.choice(("带头参与志愿服务", "网格工作表现突出", "关心帮助困难群众", ""))
            elif roll < 0.975:
                grade, notes = rules.QUALIFIED, ""
            else:
                grade, notes = rules.BASICALLY_QUALIFIED, "参加组织生活不够经常"
            self.plan_.evaluations.append({"member_id": m[0], "org_id": m[2], "year": year, "grade": grade,
                                           "notes": notes})

    def _number(self) -> None:
        """Numbers in date order per year, as they would have been given; meetings at the same hour in the
        organisations' order, so a seed gives the same numbers each time (ids are new each run)."""
        self.plan_.meetings.sort(key=lambda m: (m["meeting_date"], m["start_time"], self.org_rank[m["org_id"]],
                                                m["kind"]))
        for m in self.plan_.meetings:
            y = m["meeting_date"].year
            self.serial[y] += 1
            m["number"] = f"{self.site_code}-{y}-{self.serial[y]:04d}"
