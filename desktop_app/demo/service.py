"""Demo data for serving residents: a past year of visits, mediation cases, wishes and projects.

Runs after the demo community (demo/community.py) is written (grids, members,
households, residents). Everything is planned in memory from one seeded
Random over the community as read back in a stable order (not by UUID), then
bulk-inserted through the session the caller hands in (services.demo commits
it). The shape follows what centers report: the elderly living alone are visited most, most problems are closed within a week
or two, a few are overdue, some become 微实事 projects, most wishes come true.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.demo import pools
from desktop_app.demo.bulk import PlannedRows
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.orgs import OrgKind
from desktop_app.store.base import new_id
from desktop_app.store.models import Household, Member, Organization, Resident
from desktop_app.store.models_service import (
    MediationCase, MediationParty, MediationSession, PartnerUnit, Project, ProjectMilestone, ProjectResident,
    Visit, VisitFollowUp, VisitMember, Wish, WishClaim,
)

# What residents raise, per category: (problem, how it was solved).
ISSUES: dict[str, tuple[tuple[str, str], ...]] = {
    "供水": (("厨房水龙头漏水，老人自己修不了", "联系物业维修工上门更换水龙头"),
             ("楼上水管渗漏，家里墙面返潮", "协调楼上住户和物业查明漏点并修复"),
             ("水压太低，高层用水困难", "联系自来水公司调整加压泵运行时间"),
             ("二次供水水箱好久没清洗", "督促物业清洗水箱并公示水质检测报告")),
    "电路": (("楼道电线老化裸露，存在安全隐患", "联系供电所和物业更换楼道线路"),
             ("家里跳闸频繁，不敢用电器", "请志愿电工上门检查，更换了老化的空气开关"),
             ("电动车在楼道充电，私拉电线", "上门宣传消防安全，引导到充电棚充电")),
    "路灯": (("小区门口路灯不亮，晚上出行不便", "报市政路灯所维修，已恢复照明"),
             ("单元门口感应灯坏了", "物业更换了感应灯"),
             ("健身广场的灯晚上九点就关", "与物业协商延长开灯时间至十点")),
    "绿化": (("楼下树枝挡住窗户，影响采光", "协调园林部门修剪树枝"),
             ("绿地被人占用种菜", "上门劝导，恢复为公共绿地"),
             ("草坪被踩出小路，尘土大", "补种草皮并设置提示牌")),
    "环境卫生": (("垃圾桶满了没人及时清运", "联系环卫所增加清运频次"),
                 ("楼道堆放杂物，影响通行", "组织志愿者清理楼道杂物"),
                 ("小区内有流浪狗，担心伤人", "联系相关部门处置，加强宣传文明养犬")),
    "物业": (("物业费收支不透明", "督促物业在公告栏公示收支情况"),
             ("电梯经常故障停运", "约谈物业，督促维保单位检修电梯"),
             ("单元门禁坏了很久没修", "物业更换了门禁")),
    "邻里纠纷": (("楼上装修噪音大，影响休息", "上门协调，约定施工时间"),
                 ("邻居在公共区域堆放物品", "调解后邻居清理了堆放物"),
                 ("邻居家空调外机滴水到阳台", "协调加装了冷凝水管")),
    "政策咨询": (("咨询高龄津贴怎么申请", "讲解申请条件和流程，协助准备材料"),
                 ("咨询医保缴费和报销", "讲解医保政策，协助在手机上缴费"),
                 ("咨询残疾人证办理", "告知办理流程并预约评残")),
    "停车": (("小区停车位紧张，车辆乱停", "协调物业规划临时停车位"),
             ("消防通道被车辆占用", "联合物业张贴告知书，车辆已挪走")),
    "房屋维修": (("老房子屋顶漏雨", "协调物业和维修基金维修屋面防水"),
                 ("单元门口台阶破损", "物业修补了台阶")),
    "养老服务": (("希望有人定期上门打扫卫生", "对接居家养老服务中心，每周上门一次"),
                 ("独居老人吃饭不方便", "推荐社区助餐点，办理了助餐卡")),
    "其他": (("希望社区多组织文体活动", "纳入社区活动计划，组织了广场舞比赛"),
             ("反映小区快递柜不够用", "联系快递公司增设快递柜")),
}
ISSUE_WEIGHTS = pools.Weighted([
    ("供水", 12), ("电路", 8), ("路灯", 9), ("绿化", 7), ("环境卫生", 12), ("物业", 10), ("邻里纠纷", 7),
    ("政策咨询", 14), ("停车", 6), ("房屋维修", 6), ("养老服务", 6), ("其他", 3),
])
FORMS = pools.Weighted([("走访", 62), ("民情恳谈", 8), ("来访", 20), ("电话", 10)])
GREETINGS = ("走访慰问，老人身体尚可，未反映问题", "节日慰问，送去米油", "了解家庭近况，无困难",
             "宣传反诈知识和垃圾分类", "电话问候，老人一切正常")

PROJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "供水改造": (("{b}二次供水管网改造", "更换老化供水管道，解决水压低和漏水问题"),),
    "绿植恢复": (("{b}周边绿地补种", "补种草皮和灌木，恢复被占用、踩踏的绿地"),),
    "路灯修复": (("{b}门口路灯修复", "修复、增设路灯，解决夜间出行照明问题"),),
    "路面平整": (("{b}小区道路坑洼修补", "修补破损路面，消除老人出行安全隐患"),),
    "垃圾清理": (("{b}楼道及周边杂物清理", "组织清理楼道堆积杂物和卫生死角"),),
    "设施维修": (("{b}单元门禁及信报箱维修", "更换损坏的门禁和信报箱"),),
    "适老化改造": (("{b}楼道加装扶手", "为高龄老人集中的楼栋加装楼道扶手"),),
}
ISSUE_TO_PROJECT = {"供水": "供水改造", "绿化": "绿植恢复", "路灯": "路灯修复", "环境卫生": "垃圾清理",
                    "房屋维修": "设施维修", "电路": "设施维修", "养老服务": "适老化改造"}
MILESTONES = ("现场查看、制定方案", "采购材料 / 确定施工单位", "施工", "验收并公示")

WISHES = (("一台收音机，想听戏", 12000), ("一副老花镜", 8000), ("上门理发", 3000), ("一床冬被", 15000),
          ("孩子的课外辅导书", 10000), ("一个助行器", 25000), ("一台电饭煲", 20000), ("书包和文具", 8000),
          ("一辆儿童自行车", 30000), ("陪老人去医院复查", 0), ("一个血压计", 18000), ("一箱牛奶和鸡蛋", 10000),
          ("给孙子的篮球", 12000), ("一把轮椅", 50000), ("电水壶一个", 6000), ("帮忙修好坏了的门锁", 5000))
# (kind, what happened, what was agreed when mediation succeeded)
DISPUTES = (("房屋漏水", "楼上卫生间渗水到楼下，吊顶损坏，双方对赔偿有争议",
             "楼上住户两周内修复防水层，并赔偿楼下吊顶维修费{n}元"),
            ("噪音扰民", "楼上夜间活动噪音大，楼下老人无法休息，多次争吵",
             "双方达成谅解，楼上住户晚十点后不再产生噪音，铺设地垫"),
            ("邻里纠纷", "因公共楼道堆放杂物发生口角",
             "当事人三日内清理堆放物，今后共同维护公共区域"),
            ("停车纠纷", "因车位被占用发生争执",
             "双方按物业划定的车位停放，占用方赔礼道歉"),
            ("物业纠纷", "业主对物业服务不满拒交物业费",
             "物业一周内修复单元门禁，业主补交物业费{n}元"),
            ("家庭婚姻纠纷", "老人赡养问题，子女之间意见不一",
             "子女按月轮流照顾老人，每人每月承担赡养费{n}元"))


def _weekday(d: date) -> date:
    return d - timedelta(days=max(0, d.weekday() - 4))  # rounds weekends back to Friday


class _World:
    """The community as the demo found it, in a stable order."""

    def __init__(self, s):
        grids = s.execute(
            select(Organization.id, Organization.name).where(
                Organization.deleted.is_(False), Organization.kind == OrgKind.BRANCH.value)
            .order_by(Organization.code)
        ).all()
        self.grids = [g for g in grids if "网格" in g[1]] or list(grids)
        grid_ids = {g[0] for g in self.grids}
        self.members: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.all_members: list[tuple[str, str]] = []
        for mid, name, org in s.execute(
            select(Member.id, Member.name, Member.org_id).where(
                Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES)).order_by(Member.seq)
        ):
            self.all_members.append((mid, name))
            if org in grid_ids:
                self.members[org].append((mid, name))
        self.households = {
            h.id: h for h in s.scalars(select(Household).where(Household.deleted.is_(False)))
        }
        rows = s.execute(
            select(Resident.id, Resident.name, Resident.household_id, Resident.grid_id, Resident.tags,
                   Resident.phone).where(Resident.deleted.is_(False))
        ).all()

        def key(r):
            h = self.households.get(r[2])
            return (h.building, h.unit, h.room) if h else ("", "", ""), r[1]

        self.residents = sorted(rows, key=key)
        self.by_grid: dict[str, list] = defaultdict(list)
        for r in self.residents:
            if r[3] in grid_ids:
                self.by_grid[r[3]].append(r)

    def address(self, household_id: str | None) -> str:
        h = self.households.get(household_id or "")
        # As services.residents labels a household: its parts, else its postal address.
        return (f"{h.building or ''}{h.unit or ''}{h.room or ''}" or (h.address or "")) if h else ""

    def building(self, household_id: str | None) -> str:
        h = self.households.get(household_id or "")
        return h.building if h else "小区"


def _visits(rng: random.Random, w: _World, plan: PlannedRows, today: date) -> list[dict]:
    start = today - timedelta(days=365)
    visits: list[dict] = []
    workers = {gid: f"网格员{pools.person_name(rng, rng.choice(('男', '女')), 1990)}" for gid, _ in w.grids}
    for gid, _name in w.grids:
        people = w.by_grid.get(gid, [])
        members = w.members.get(gid) or w.all_members
        if not people or not members:
            continue
        focus = [r for r in people if any(t in (r[4] or "") for t in ("独居老人", "空巢老人", "高龄老人", "困难群众",
                                                                        "低保户", "残疾人"))]
        per_week = max(2, min(8, len(people) // 25))
        day = start
        while day <= today:
            for _ in range(rng.randint(per_week - 1, per_week + 1)):
                visit_day = _weekday(pools.day_between(rng, day, min(day + timedelta(days=6), today)))
                if visit_day < start:
                    continue
                who = rng.choice(focus) if focus and rng.random() < 0.45 else rng.choice(people)
                visits.append(_visit(rng, w, plan, gid, who, members, workers[gid], visit_day, today))
            day += timedelta(days=7)
    return visits


def _visit(rng, w: _World, plan: PlannedRows, gid, who, members, worker, visit_day: date, today: date) -> dict:
    rid, name, hid, _grid, _tags, _phone = who
    form = FORMS.pick(rng)
    team = rng.sample(members, min(len(members), rng.choice((1, 1, 2))))
    other = worker if form in ("走访", "民情恳谈") and rng.random() < 0.6 else ""
    if form in ("来访", "电话"):
        other = "社区值班人员" if not team or rng.random() < 0.5 else other
    raised = rng.random() < (0.7 if form in ("来访", "电话", "民情恳谈") else 0.5)
    visit_id = new_id()
    visitors = "、".join([n for _, n in team] + ([other] if other else []))
    row = dict(id=visit_id, visit_date=visit_day, form=form, grid_id=gid, household_id=hid, resident_id=rid,
               visitee_name=name, place="", other_visitors=other, category="", content="", raised_issue=raised,
               follow_state=flow.PENDING, handler="", due_date=None, resolved_by="", resolved_on=None,
               resolution="", project_id=None, recorder=other or (team[0][1] if team else ""), notes="")
    for mid, _ in team:
        plan.add(VisitMember, visit_id=visit_id, member_id=mid)
    plan.add(VisitFollowUp, visit_id=visit_id, from_state="", to_state=flow.PENDING, on_date=visit_day,
             by=row["recorder"], note="登记")
    if not raised:
        row.update(content=rng.choice(GREETINGS), follow_state=flow.NO_ACTION, resolved_by=visitors,
                   resolved_on=visit_day, resolution=flow.NOTHING_RAISED)
        plan.add(VisitFollowUp, visit_id=visit_id, from_state=flow.PENDING, to_state=flow.NO_ACTION,
                 on_date=visit_day, by=visitors, note=flow.NOTHING_RAISED)
        return row
    category = ISSUE_WEIGHTS.pick(rng)
    problem, answer = rng.choice(ISSUES[category])
    handler = team[0][1] if team else other
    due = visit_day + timedelta(days=rng.choice((3, 7, 7, 7, 14)))
    row.update(category=category, content=problem, handler=handler, due_date=due)
    age = (today - visit_day).days
    roll = rng.random()
    if category == "政策咨询" and roll < 0.6:  # answered on the spot
        plan.add(VisitFollowUp, visit_id=visit_id, from_state=flow.PENDING, to_state=flow.SOLVED, on_date=visit_day,
                 by=handler, note=answer)
        row.update(follow_state=flow.SOLVED, resolved_by=handler, resolved_on=visit_day, resolution=answer)
        return row
    # Older problems are mostly closed; this week's mostly wait.
    closed_share = 0.97 if age > 60 else (0.85 if age > 21 else (0.5 if age > 7 else 0.15))
    if roll < closed_share:
        taken = visit_day + timedelta(days=min(age, rng.choice((0, 1, 1, 2))))
        done = min(today, visit_day + timedelta(days=int(rng.triangular(1, 30, 5))))
        if done > taken:
            plan.add(VisitFollowUp, visit_id=visit_id, from_state=flow.PENDING, to_state=flow.IN_PROGRESS,
                     on_date=taken, by=handler, note="已联系相关单位")
            before = flow.IN_PROGRESS
        else:
            before = flow.PENDING
        if rng.random() < 0.07:
            state, how = flow.NO_ACTION, "经核实已由相关单位处理，无需社区跟进"
        else:
            state, how = flow.SOLVED, answer
        by = rng.choice((handler, "物业公司", handler, "社区书记"))
        plan.add(VisitFollowUp, visit_id=visit_id, from_state=before, to_state=state, on_date=done, by=by, note=how)
        row.update(follow_state=state, resolved_by=by, resolved_on=done, resolution=how)
    elif roll < closed_share + (1 - closed_share) * 0.5 and age > 0:
        taken = visit_day + timedelta(days=rng.randint(0, min(age, 3)))
        plan.add(VisitFollowUp, visit_id=visit_id, from_state=flow.PENDING, to_state=flow.IN_PROGRESS,
                 on_date=taken, by=handler, note="已上报，等待相关单位处理")
        row.update(follow_state=flow.IN_PROGRESS)
    return row


def _projects(rng, w: _World, plan: PlannedRows, visits: list[dict], today: date) -> int:
    """Projects grown out of the year's visits, plus a few community-wide ones."""
    numbers: dict[int, int] = defaultdict(int)
    made = 0
    candidates = [v for v in visits if v["raised_issue"] and v["category"] in ISSUE_TO_PROJECT]
    rng.shuffle(candidates)
    wanted = min(len(candidates), rng.randint(10, 16))
    chosen = sorted(candidates[:wanted], key=lambda v: v["visit_date"])
    for v in chosen + [None] * rng.randint(2, 4):
        if v is None:
            category = rng.choice(list(PROJECTS))
            gid, building, start = None, "全社区", pools.day_between(rng, today - timedelta(days=300), today - timedelta(days=20))
            owner = "社区书记"
        else:
            category = ISSUE_TO_PROJECT[v["category"]]
            gid, building = v["grid_id"], w.building(v["household_id"])
            start = min(today, v["visit_date"] + timedelta(days=rng.randint(3, 15)))
            owner = v["handler"] or "网格支部书记"
        name, text = rng.choice(PROJECTS[category])
        deadline = start + timedelta(days=rng.choice((30, 45, 60, 90)))
        budget = rng.choice((800, 1500, 3000, 5000, 8000, 12000, 20000, 35000)) * 100
        age = (today - start).days
        if age > 120 or (deadline < today and rng.random() < 0.8):
            status = flow.PROJECT_DONE
            completed = min(today, start + timedelta(days=int(rng.triangular(10, (deadline - start).days + 20,
                                                                              (deadline - start).days - 5))))
            cost = budget * rng.randint(80, 105) // 100
        elif age < 25 and rng.random() < 0.4:  # agreed, not started yet
            status, completed, cost = flow.PROJECT_PLANNED, None, 0
            start += timedelta(days=rng.randint(7, 21))
        else:
            status, completed, cost = flow.PROJECT_ACTIVE, None, 0
        if status != flow.PROJECT_DONE and rng.random() < 0.05:
            status = flow.PROJECT_STOPPED
        numbers[start.year] += 1
        pid = plan.add(Project, project_no=f"XM{start.year}-{numbers[start.year]:03d}", name=name.format(b=building)[:60],
                       category=category, grid_id=gid, owner_name=owner, owner_member_id=None, description=text,
                       budget_fen=budget, actual_cost_fen=cost, start_date=start, deadline=deadline,
                       completed_on=completed,
                       status=status, status_note="已完工并验收" if status == flow.PROJECT_DONE else
                       ("居民意见不一，暂缓实施" if status == flow.PROJECT_STOPPED else ""), notes="")["id"]
        made += 1
        span = max(1, (deadline - start).days)
        done = start  # the step before the first: steps are done one after another, never a later one first
        for i, title in enumerate(MILESTONES, start=1):
            due = start + timedelta(days=span * i // len(MILESTONES))
            before, done = done, None
            if status == flow.PROJECT_DONE:
                done = min(completed, due)
            elif status == flow.PROJECT_ACTIVE and due < today and rng.random() < 0.7 and before is not None:
                done = due
            plan.add(ProjectMilestone, project_id=pid, title=title, due_date=due, done_on=done, note="",
                     sort_order=i)
        if v is not None:
            v["project_id"] = pid
            plan.add(ProjectResident, project_id=pid, resident_id=v["resident_id"], household_id=v["household_id"],
                     name=v["visitee_name"], note=f"{v['visit_date'].isoformat()} 反映：{v['content']}")
            _link_visit(plan, v, pid, name.format(b=building), owner, status, min(start, today), completed)
            neighbours = [r for r in w.by_grid.get(gid, []) if w.building(r[2]) == building and r[0] != v["resident_id"]]
            for r in rng.sample(neighbours, min(len(neighbours), rng.randint(0, 3))):
                plan.add(ProjectResident, project_id=pid, resident_id=r[0], household_id=r[2], name=r[1],
                         note="同楼栋受益居民")
    return made


def _link_visit(plan: PlannedRows, v: dict, pid: str, name: str, owner: str, status: str, start: date,
                completed: date | None) -> None:
    """A visit that became a project: 处理中 from the project's start, solved when it is completed."""
    follow = plan.by_model[VisitFollowUp]
    plan.by_model[VisitFollowUp] = [f for f in follow if f["visit_id"] != v["id"] or f["to_state"] == flow.PENDING]
    on = max(start, v["visit_date"])
    plan.add(VisitFollowUp, visit_id=v["id"], from_state=flow.PENDING, to_state=flow.IN_PROGRESS, on_date=on,
             by=owner, note=f"转为微实事项目“{name}”")
    v.update(follow_state=flow.IN_PROGRESS, resolved_by="", resolved_on=None, resolution="")
    if status == flow.PROJECT_DONE and completed:
        how = f"微实事项目“{name}”已完成"
        done = max(completed, v["visit_date"])
        plan.add(VisitFollowUp, visit_id=v["id"], from_state=flow.IN_PROGRESS, to_state=flow.SOLVED, on_date=done,
                 by=owner, note=how)
        v.update(follow_state=flow.SOLVED, resolved_by=owner, resolved_on=done, resolution=how)


def _units(rng, plan: PlannedRows) -> list[tuple[str, str]]:
    units = []
    for employer, _posts in rng.sample(pools.EMPLOYERS, 8):
        contact = pools.person_name(rng, rng.choice(("男", "女")), 1978)
        uid = plan.add(PartnerUnit, name=employer, contact_person=contact, phone=pools.mobile(rng), notes="共建单位")["id"]
        units.append((uid, employer))
    return units


def _wishes(rng, w: _World, plan: PlannedRows, units, today: date) -> int:
    wishers = [r for r in w.residents if any(t in (r[4] or "") for t in ("独居老人", "困难群众", "低保户", "残疾人",
                                                                         "空巢老人", "高龄老人"))] or w.residents
    numbers: dict[int, int] = defaultdict(int)
    count = rng.randint(45, 70)
    days = sorted(pools.day_between(rng, today - timedelta(days=360), today) for _ in range(count))
    for posted in days:
        rid, name, hid, gid, tags, _phone = rng.choice(wishers)
        content, value = rng.choice(WISHES)
        numbers[posted.year] += 1
        wish = dict(wish_no=f"XY{posted.year}-{numbers[posted.year]:03d}", resident_id=rid, household_id=hid,
                    wisher_name=name, grid_id=gid, content=content, background="、".join(flow.split_tags(tags)),
                    estimated_fen=value, posted_on=posted, state=flow.WISH_POSTED, claimant_kind="",
                    claimant_member_id=None, claimant_unit_id=None, claimant_name="", claimed_on=None,
                    fulfilled_on=None, fulfil_note="", notes="")
        wid = plan.add(Wish, **wish)["id"]
        age = (today - posted).days
        if age < 3 or rng.random() < 0.1:
            continue  # still on the board
        claimed = min(today, posted + timedelta(days=rng.randint(1, 12)))
        if rng.random() < 0.06 and (today - claimed).days > 10:  # a claim withdrawn, then taken by someone else
            mid, mname = rng.choice(w.all_members)
            ended = claimed + timedelta(days=rng.randint(2, 8))
            plan.add(WishClaim, wish_id=wid, claimant_kind=flow.CLAIMANT_MEMBER, member_id=mid, unit_id=None,
                     claimant_name=mname, claimed_on=claimed, status=flow.CLAIM_WITHDRAWN, ended_on=ended,
                     note="撤回原因：临时外出，无法按时送达")
            claimed = min(today, ended + timedelta(days=rng.randint(0, 5)))
        if rng.random() < 0.3:
            uid, uname = rng.choice(units)
            kind, member_id, unit_id, who = flow.CLAIMANT_UNIT, None, uid, uname
        else:
            member_id, who = rng.choice(w.all_members)
            kind, unit_id = flow.CLAIMANT_MEMBER, None
        fulfilled = None
        if (today - claimed).days > 3 and rng.random() < 0.85:
            fulfilled = min(today, claimed + timedelta(days=int(rng.triangular(1, 30, 6))))
        status = flow.CLAIM_FULFILLED if fulfilled else flow.CLAIM_ACTIVE
        plan.add(WishClaim, wish_id=wid, claimant_kind=kind, member_id=member_id, unit_id=unit_id, claimant_name=who,
                 claimed_on=claimed, status=status, ended_on=fulfilled, note="")
        wish_row = plan.by_model[Wish][-1]
        wish_row.update(state=flow.WISH_FULFILLED if fulfilled else flow.WISH_CLAIMED, claimant_kind=kind,
                        claimant_member_id=member_id, claimant_unit_id=unit_id, claimant_name=who, claimed_on=claimed,
                        fulfilled_on=fulfilled, fulfil_note=f"{who}送去{content}，居民很满意" if fulfilled else "")
    return count


def _cases(rng, w: _World, plan: PlannedRows, today: date) -> int:
    numbers: dict[int, int] = defaultdict(int)
    count = rng.randint(10, 18)
    days = sorted(pools.day_between(rng, today - timedelta(days=350), today - timedelta(days=1)) for _ in range(count))
    for received in days:
        gid, _ = rng.choice(w.grids)
        people = w.by_grid.get(gid) or []
        if len(people) < 2:  # a small demo grid may hold a single resident
            people = w.residents
        a, b = rng.sample(people, 2)
        kind, summary, agreed = rng.choice(DISPUTES)
        mediator = rng.choice(w.members.get(gid) or w.all_members)[1]
        numbers[received.year] += 1
        age = (today - received).days
        sessions = rng.randint(1, 3) if age > 3 else rng.randint(0, 1)
        when = received
        last = None
        cid = new_id()
        for i in range(sessions):
            when = min(today, when + timedelta(days=rng.randint(1, 7)))
            last = when
            plan.add(MediationSession, case_id=cid, session_date=when, place="社区调解室",
                     mediators=f"{mediator}、人民调解员", notes=("双方陈述事实和诉求，调解员释法说理" if i == 0 else
                                                                 "再次组织双方协商，逐条确认方案"))
        state, closed, agreement, to = flow.MEDIATING, None, "", ""
        if last is not None and age > 10:
            roll = rng.random()
            closed = min(today, last + timedelta(days=rng.randint(0, 3)))
            if roll < 0.72:
                state = flow.MEDIATION_SUCCESS
                agreement = agreed.format(n=rng.choice((300, 500, 800, 1200)))
            elif roll < 0.86:
                state = flow.MEDIATION_FAILED
            else:
                state, to = flow.MEDIATION_TRANSFERRED, rng.choice(("街道司法所", "辖区派出所", "人民法院诉前调解"))
        plan.add(MediationCase, id=cid, case_no=f"TJ{received.year}-{numbers[received.year]:03d}", kind=kind,
                 summary=summary, received_on=received, source=rng.choice(flow.CASE_SOURCES[:4]), mediator=mediator,
                 grid_id=gid, state=state, closed_on=closed, agreement=agreement, transferred_to=to, notes="")
        for order, (r, role) in enumerate(((a, "申请人"), (b, "被申请人")), start=1):
            plan.add(MediationParty, case_id=cid, name=r[1], role=role, resident_id=r[0], phone=r[5] or "",
                     address=w.address(r[2]), sort_order=order)
    return count


def fill(s: Session, site_id: str, seed: int, today: date) -> dict[str, int]:
    """A year of service work for the community in `s`; same seed and day, same year. Returns counts."""
    rng = random.Random(seed * 7919 + 5)
    if s.scalar(select(Visit.id).limit(1)) or s.scalar(select(Wish.id).limit(1)):
        raise Conflict("数据库中已有走访或心愿记录，不能再填入演示数据")
    w = _World(s)
    if not w.grids or not w.residents:
        raise Conflict("请先生成演示社区（网格、党员和居民），再填入服务演示数据")
    plan = PlannedRows()
    visits = _visits(rng, w, plan, today)
    projects = _projects(rng, w, plan, visits, today)
    for v in visits:
        plan.add(Visit, **v)
    units = _units(rng, plan)
    wishes = _wishes(rng, w, plan, units, today)
    cases = _cases(rng, w, plan, today)
    order = (PartnerUnit, Project, ProjectMilestone, ProjectResident, Visit, VisitMember, VisitFollowUp,
             MediationCase, MediationParty, MediationSession, Wish, WishClaim)
    plan.insert(s, site_id, order)
    return {
        "visits": len(visits), "problems": sum(1 for v in visits if v["raised_issue"]),
        "projects": projects, "wishes": wishes, "partner_units": len(units), "mediation_cases": cases,
    }
