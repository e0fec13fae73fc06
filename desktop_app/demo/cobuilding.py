"""Demo 共驻共建: partner units filled in, a year of activities, the 双报到 register with posts and services,
单位报到, 问需服务, and the ledger's activity and project expenses linked as their costs.

Runs after the community and service demos: it gives their partner units a kind,
party organisation and offers, adds the units every community has (物业, 业委会,
警务站 …), moves the roster's reporting members into the register as the
migration does (bar those a planned meeting's quorum needs), and plans a year
from one seed, written with bulk inserts.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from desktop_app.demo import pools
from desktop_app.demo.bulk import insert_rows
from desktop_app.domain import cobuilding as rules
from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain.errors import Conflict
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.service_flow import need_category
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.models import Household, Member, Organization, Resident
from desktop_app.store.models_meetings import Attendance, CommitteeMember, Meeting
from desktop_app.store.models_service import Project, Visit
from desktop_app.store.models_cobuilding import (
    Activity, ActivityOrg, ActivityPerson, ActivityUnit, CareRecipient, CareVisit, CommitteeSeat, Contact, CostLink,
    Inquiry, JointTopic, ListItem, Pairing, PairingItem, PairingVisit, PartnerUnit, PostClaim, ReportingMember,
    ReportingPost, ServiceLog, UnitReport, UnitReportItem,
)
from desktop_app.store.models_ledger import LedgerEntry

LOCAL_UNITS = (  # name, kind, party organisation, offers
    ("幸福里物业服务中心", "物业", "幸福里物业党支部", ("阵地", "志愿者")),
    ("幸福里小区业主委员会", "业委会", "", ("志愿者",)),
    ("城东派出所幸福里警务站", "社区警务站", "城东派出所党支部", ("专业服务",)),
    ("新华书店城东店", "企事业单位", "新华书店城东店党支部", ("阵地", "资金")),
    ("爱心助老服务社", "两新组织", "爱心助老服务社党支部", ("专业服务", "志愿者")),
)
POSTS = (
    ("政策宣传岗", "宣传惠民政策，解答居民咨询", 3),
    ("文明劝导岗", "楼道堆物、垃圾分类劝导", 4),
    ("关爱帮扶岗", "结对看望独居、高龄老人", 4),
    ("健康服务岗", "义诊、健康咨询", 2),
    ("法律服务岗", "法律咨询、矛盾调解协助", 2),
    ("课业辅导岗", "周末和假期辅导学生功课", 3),
)
ACTIVITY_TITLES = {
    "理论进社区": ("党的创新理论宣讲", "“学思想”微党课"),
    "法律进社区": ("民法典进社区", "防范电信诈骗讲座"),
    "医疗进社区": ("健康体检进社区", "慢病防治讲座"),
    "文化进社区": ("书香社区读书会", "非遗剪纸体验"),
    "文艺演出": ("迎新春文艺汇演", "七一红歌会", "重阳敬老演出"),
    "政策宣讲": ("医保政策宣讲", "养老服务政策宣讲"),
    "义诊": ("夏季义诊", "中医义诊"),
    "志愿服务": ("环境整治志愿行动", "垃圾分类宣传", "助老理发"),
}
PLACES = ("社区党群服务中心", "社区广场", "社区活动室", "小区中心花园", "社区文化长廊")


def _kind_of(name: str) -> str:
    for marker, kind in (("医院", "医院"), ("小学", "学校"), ("中学", "学校"), ("局", "机关"), ("委员会", "机关"),
                         ("法院", "机关"), ("公司", "企事业单位")):
        if marker in name:
            return kind
    return "其他"


def fill(s: Session, site_id: str, seed: int, today: date) -> dict[str, int]:
    """A year of 共驻共建 for the community in `s`; same seed and day, same year. Returns counts."""
    rng = random.Random(seed * 104729 + 16)
    if s.scalar(select(Activity.id).limit(1)) or s.scalar(select(ReportingMember.id).limit(1)):
        raise Conflict("数据库中已有共建活动或报到记录，不能再填入演示数据")
    branches = [o for o in s.scalars(select(Organization).where(
        Organization.deleted.is_(False), Organization.kind.in_((OrgKind.BRANCH, OrgKind.COMMUNITY))))]
    if not branches:
        raise Conflict("请先生成演示社区，再填入共驻共建演示数据")
    start = today - timedelta(days=364)
    now = utcnow()
    rows: dict[type, list[dict]] = {m: [] for m in (PartnerUnit, ReportingMember, ReportingPost, PostClaim,
                                                      ServiceLog, Activity, ActivityOrg, ActivityUnit,
                                                      ActivityPerson, CommitteeSeat, CareVisit, CareRecipient,
                                                      Contact, Pairing, PairingItem, PairingVisit, ListItem,
                                                      JointTopic, UnitReport, UnitReportItem, Inquiry, CostLink)}

    # Units: the service demo's claimants get their details; the local ones join.
    units: list[tuple[str, str]] = []
    for u in s.scalars(select(PartnerUnit).where(PartnerUnit.deleted.is_(False)).order_by(PartnerUnit.name)):
        kind = _kind_of(u.name)
        s.execute(update(PartnerUnit).where(PartnerUnit.id == u.id).values(
            kind=kind, party_org=f"{u.name}{'党委' if kind in ('医院', '机关') else '党支部'}",
            address=f"城东区{rng.choice(('中山路', '解放路', '建设路', '人民路'))}{rng.randint(1, 300)}号",
            joined_on=pools.day_between(rng, today - timedelta(days=1500), start),
            offers=rules.join_offers(rng.sample(rules.OFFERS, rng.randint(1, 3))), notes=""))
        units.append((u.id, u.name))
    for name, kind, party_org, offers in LOCAL_UNITS:
        uid = new_id()
        rows[PartnerUnit].append(dict(
            id=uid, name=name, kind=kind, party_org=party_org, offers=rules.join_offers(offers),
            contact_person=pools.person_name(rng, rng.choice(("男", "女")), 1975), phone=pools.mobile(rng),
            address="幸福里小区内", joined_on=pools.day_between(rng, today - timedelta(days=1500), start), notes=""))
        units.append((uid, name))
    by_name = {name: uid for uid, name in units}

    # 双报到: the roster's reporting members move into the register, as the migration moves real ones.
    movers = s.execute(
        select(Member.id, Member.name, Member.gender, Member.mobile, Member.org_id, Member.reporting_employer,
               Member.reporting_post, Member.reporting_date, Member.reporting_services)
        .where(*_MOVING).order_by(Member.seq)).all()
    kept = _kept_on_roster(s, {m[0] for m in movers}, today)
    reporting: list[tuple[str, str, date]] = []
    for mid, name, gender, mobile, org_id, employer, post, on, services in movers:
        rid = new_id()
        unit = by_name.get(employer)
        rows[ReportingMember].append(dict(
            id=rid, name=name, gender=gender or "", mobile=mobile or "", employer=employer,
            employer_org=f"{employer}{'党委' if '医院' in employer or '局' in employer else '党支部'}",
            unit_id=unit, job=post or "", reported_on=on or start, org_id=org_id, member_id=mid,
            skills=services or "", left_on=None, notes=""))
        reporting.append((rid, name, on or start))
    posts = []
    for name, duties, places in POSTS:
        pid = new_id()
        rows[ReportingPost].append(dict(id=pid, name=name, org_id=None, duties=duties, places=places))
        posts.append((pid, name, places))
    taken = {pid: 0 for pid, _n, _p in posts}
    for rid, _name, on in reporting:
        pid, _pname, places = rng.choice(posts)
        if taken[pid] < places:
            taken[pid] += 1
            rows[PostClaim].append(dict(post_id=pid, reporting_member_id=rid, claimed_on=max(on, start),
                                        ended_on=None))
        for _ in range(rng.randint(2, 10)):
            day = pools.day_between(rng, max(on, start), today)
            tenths = rng.choice((10, 15, 20, 20, 25, 30, 40))
            rows[ServiceLog].append(dict(
                reporting_member_id=rid, service_date=day, post_id=pid if rng.random() < 0.6 else None,
                content=rng.choice(pools.REPORTING_SERVICES), hours_tenths=tenths,
                points=rules.default_points(tenths)))

    # Activities: about three a month, each with a branch or two and a unit or two.
    members = list(s.execute(select(Member.id, Member.name).where(
        Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES), Member.reporting_employer == "")))
    count = rng.randint(30, 42)
    for day in sorted(pools.day_between(rng, start, today) for _ in range(count)):
        kind = rng.choice(list(ACTIVITY_TITLES))
        aid = new_id()
        people = []
        for mid, name in rng.sample(members, min(len(members), rng.randint(2, 8))):
            people.append(dict(kind=rules.MEMBER, member_id=mid, reporting_member_id=None, name=name))
        for rid, name, on in rng.sample(reporting, min(len(reporting), rng.randint(0, 4))):
            if on <= day:
                people.append(dict(kind=rules.REPORTING, member_id=None, reporting_member_id=rid, name=name))
        for _ in range(rng.randint(0, 5)):
            people.append(dict(kind=rules.VOLUNTEER, member_id=None, reporting_member_id=None,
                               name=pools.person_name(rng, rng.choice(("男", "女")), 1990)))
        seen = set()
        for p in people:
            key = (p["kind"], p["member_id"] or p["reporting_member_id"] or p["name"])
            if key in seen:
                continue
            seen.add(key)
            rows[ActivityPerson].append(dict(activity_id=aid, hours_tenths=rng.choice((10, 15, 20, 30)), **p))
        for org in rng.sample(branches, min(len(branches), rng.randint(1, 2))):
            rows[ActivityOrg].append(dict(activity_id=aid, org_id=org.id))
        for uid, uname in rng.sample(units, min(len(units), rng.randint(1, 2))):
            rows[ActivityUnit].append(dict(activity_id=aid, unit_id=uid, unit_name=uname))
        rows[Activity].append(dict(
            id=aid, activity_date=day, kind=kind, title=rng.choice(ACTIVITY_TITLES[kind]), place=rng.choice(PLACES),
            residents_served=rng.choice((15, 20, 30, 40, 60, 80, 120, 200)),
            cost_fen=rng.choice((0, 0, 0, 20000, 50000, 120000)), content=""))
    _seats_care_contacts(rng, s, rows, units, branches, members, today)
    _pairings(rng, s, rows, today)
    _three_lists(rng, s, rows, units, today)
    _joint_meetings(rng, s, rows, units, today)
    community = next((o.id for o in branches if o.kind == OrgKind.COMMUNITY), None)
    _unit_reports(rng, rows, units, posts, today, community)
    _inquiries(rng, s, rows, units, today)
    _costs(s, rows)
    _stay_on_roster(s, rows, kept)  # once the year is drawn: the seed draws what it drew before
    for model, batch in rows.items():
        insert_rows(s, model, batch, site_id, now)
    _off_planned_lists(s, [r["member_id"] for r in rows[ReportingMember]], site_id, today, now)
    return {"partner_units": len(units), "reporting_members": len(rows[ReportingMember]),
            "services": len(rows[ServiceLog]), "activities": len(rows[Activity]),
            "care_visits": len(rows[CareVisit]), "contacts": len(rows[Contact]), "pairings": len(rows[Pairing]),
            "unit_reports": len(rows[UnitReport]), "inquiries": len(rows[Inquiry]), "cost_links": len(rows[CostLink])}


# Roster members with a reporting employer, still here: fill() moves them into the 双报到 register.
_MOVING = (Member.deleted.is_(False), Member.reporting_employer != "", Member.status.not_in(GONE_STATUSES))


def moved_to_register(s: Session, today: date) -> set[str]:
    """The members fill() will move into the register, for the demo ledger drawn before it: their 组织关系
    and so their 党费 stay with the employer, so the community keeps no dues of theirs."""
    movers = set(s.scalars(select(Member.id).where(*_MOVING)))
    return movers - _kept_on_roster(s, movers, today)


def _kept_on_roster(s: Session, movers: set[str], today: date) -> set[str]:
    """The reporting members who stay on the roster: every branch's committee members (their 组织关系 is
    the branch's, and a 支委会 without them cannot reach its quorum), and, in sign-in order, as many
    voters as an upcoming planned 支部党员大会 needs to have a quorum it can reach."""
    kept = set(s.scalars(select(CommitteeMember.member_id).where(
        CommitteeMember.deleted.is_(False), CommitteeMember.member_id.in_(movers),
        or_(CommitteeMember.end_date.is_(None), CommitteeMember.end_date >= today))))
    congresses = select(Meeting.id).where(
        Meeting.deleted.is_(False), Meeting.status == meeting_rules.PLANNED, Meeting.meeting_date >= today,
        Meeting.kind == meeting_rules.BRANCH_CONGRESS)
    lists: dict[str, list[tuple]] = {}
    for meeting, mid, category, party_status, excused in s.execute(
            select(Attendance.meeting_id, Attendance.member_id, Member.category, Member.party_status,
                   Attendance.excused_reason)
            .join(Member, Member.id == Attendance.member_id)
            .where(Attendance.meeting_id.in_(congresses), Attendance.deleted.is_(False),
                   Attendance.is_guest.is_(False))
            .order_by(Attendance.meeting_id, Attendance.sort_order)):
        lists.setdefault(meeting, []).append((mid, category, party_status, excused))

    def reachable(people: list[tuple]) -> bool:  # everyone still on the list came
        staying = [meeting_rules.QuorumAttendee(meeting_rules.PRESENT, c, p, excused=bool(e))
                   for m, c, p, e in people if m not in movers or m in kept]
        return bool(meeting_rules.quorum_for(meeting_rules.BRANCH_CONGRESS, staying).met)

    for people in lists.values():
        for mid, category, party_status, _e in people:
            if reachable(people):
                break
            if mid in movers and meeting_rules.has_vote(category, party_status):
                kept.add(mid)
    return kept


def _stay_on_roster(s: Session, rows: dict, kept: set[str]) -> None:
    """Members kept on the roster leave the planned register, and their roster entry no longer names a
    reporting employer; their activities count as a member's. The rest of the seed's year stays as drawn."""
    if not kept:
        return
    gone = {r["id"]: r["member_id"] for r in rows[ReportingMember] if r["member_id"] in kept}
    rows[ReportingMember] = [r for r in rows[ReportingMember] if r["id"] not in gone]
    for model in (PostClaim, ServiceLog):
        rows[model] = [r for r in rows[model] if r["reporting_member_id"] not in gone]
    for p in rows[ActivityPerson]:
        if p["reporting_member_id"] in gone:
            p.update(kind=rules.MEMBER, member_id=gone[p["reporting_member_id"]], reporting_member_id=None)
    # Still the demo's first writing of the roster (version 1), not a change a peer must take.
    s.execute(update(Member).where(Member.id.in_(kept)).values(
        reporting_employer="", reporting_post="", reporting_date=None, reporting_services=""))


def _off_planned_lists(s: Session, member_ids: list[str], site_id: str, today: date, now: datetime) -> None:
    """Members moved into the register leave the 应到 of the meetings still planned from today on.

    services.meetings.planned does the same when one member is moved by hand; held
    meetings, and planned ones already past, keep them.
    """
    planned = select(Meeting.id).where(Meeting.deleted.is_(False), Meeting.status == meeting_rules.PLANNED,
                                       Meeting.meeting_date >= today)
    for start in range(0, len(member_ids), 500):
        s.execute(update(Attendance).where(
            Attendance.member_id.in_(member_ids[start:start + 500]), Attendance.is_guest.is_(False),
            Attendance.deleted.is_(False), Attendance.meeting_id.in_(planned),
        ).values(deleted=True, version=Attendance.version + 1, updated_at=now, updated_by_site=site_id))


def _pairings(rng: random.Random, s: Session, rows: dict, today: date) -> None:
    """双进双认: the 机关 among the units pair with the community, take a post and adopt two or three households."""
    offices = [u for u in s.scalars(select(PartnerUnit).where(PartnerUnit.deleted.is_(False), PartnerUnit.kind == "机关")
                                    .order_by(PartnerUnit.name))]
    homes = list(s.execute(select(Household.id, Household.head_name, Household.building, Household.unit,
                                  Household.room).where(Household.deleted.is_(False))))
    rng.shuffle(homes)
    posts = ("政策宣传岗", "助老服务岗", "环境整治岗", "矛盾调解岗", "文明创建岗")
    for u in offices:
        pid = new_id()
        paired = date(today.year - 1, rng.randint(1, 6), rng.randint(1, 28))
        rows[Pairing].append(dict(id=pid, unit_id=u.id, unit_name=u.name, party_org=u.party_org, paired_on=paired,
                                  ended_on=None, notes="签订双进双认结对协议"))
        rows[PairingItem].append(dict(pairing_id=pid, kind=rules.TAKE_POST, name=rng.choice(posts), household_id=None,
                                      since=paired, ended_on=None, notes=""))
        for _ in range(rng.randint(2, 3)):
            if not homes:
                return
            hid, head, b, un, r = homes.pop()
            iid = new_id()
            rows[PairingItem].append(dict(id=iid, pairing_id=pid, kind=rules.ADOPT, household_id=hid,
                                          name=f"{head or ''} {b or ''}{un or ''}{r or ''}".strip(), since=paired,
                                          ended_on=None, notes=""))
            for _ in range(rng.randint(1, 4)):
                rows[PairingVisit].append(dict(item_id=iid, visit_date=pools.day_between(rng, today - timedelta(days=330), today),
                                               visitors=f"{u.name}党员", content=rng.choice(
                                                   ("节前看望，送米送油", "了解身体和生活情况", "帮助办理医保报销", "陪同就医"))))


def _seats_care_contacts(rng: random.Random, s: Session, rows: dict, units, branches, members, today: date) -> None:
    """兼职委员 from the units, a 春节 and a 重阳 慰问, and 楼门书记 / 联系户 in every grid."""
    for uid, uname in units[: max(3, len(units) // 2)]:
        rows[CommitteeSeat].append(dict(
            level=rng.choice(rules.COMMITTEE_LEVELS), name=pools.person_name(rng, rng.choice(("男", "女")), 1970),
            unit_id=uid, unit_name=uname, post="兼职委员", phone=pools.mobile(rng),
            term_start=date(today.year - 1, 1, 1), term_end=date(today.year + 3, 12, 31)))
    hardship = list(s.execute(select(Member.id, Member.name, Member.address).where(
        Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES), Member.is_hardship.is_(True))))
    needy = [r for r in s.execute(
        select(Resident.id, Resident.name, Resident.tags, Household.building, Household.unit, Household.room)
        .outerjoin(Household, Household.id == Resident.household_id).where(Resident.deleted.is_(False)))
        if any(t in (r[2] or "") for t in ("独居老人", "低保户", "困难群众", "残疾人"))]
    for occasion, on in (("春节", date(today.year, 1, 25)), ("重阳", date(today.year, 10, 11))):
        if on > today:
            on = on.replace(year=today.year - 1)
        cid = new_id()
        uid, uname = rng.choice(units)
        rows[CareVisit].append(dict(id=cid, care_date=on, occasion=occasion, unit_id=uid,
                                    title=f"{on.year}年{occasion}走访慰问", givers=f"社区党委书记、{uname}负责人", notes=""))
        for mid, name, address in rng.sample(hardship, min(len(hardship), 8)):
            rows[CareRecipient].append(dict(care_id=cid, member_id=mid, resident_id=None, name=name, category="困难党员",
                                            address=address or "", items="米、油", amount_fen=50000))
        for rid, name, tags, b, u, r in rng.sample(needy, min(len(needy), 12)):
            rows[CareRecipient].append(dict(
                care_id=cid, member_id=None, resident_id=rid, name=name,
                category="独居老人" if "独居老人" in (tags or "") else "生活困难群众",
                address=f"{b or ''}{u or ''}{r or ''}", items="米、油、慰问信", amount_fen=30000))
    households = list(s.execute(select(Household.id, Household.grid_id, Household.building, Household.unit,
                                       Household.room).where(Household.deleted.is_(False))))
    by_grid: dict[str, list] = {}
    for h in households:
        by_grid.setdefault(h[1], []).append(h)
    keepers = list(members)
    rng.shuffle(keepers)
    for grid in branches:
        homes = by_grid.get(grid.id, [])
        buildings = sorted({h[2] for h in homes if h[2]})
        for building in buildings[:4]:
            if not keepers:
                return
            mid, name = keepers.pop()
            rows[Contact].append(dict(member_id=mid, member_name=name, role="楼门书记", grid_id=grid.id,
                                      building=building, household_id=None, household_label="",
                                      since=date(today.year - 1, 3, 1), ended_on=None))
            for hid, _g, b, u, r in rng.sample([h for h in homes if h[2] == building],
                                                min(3, sum(1 for h in homes if h[2] == building))):
                rows[Contact].append(dict(member_id=mid, member_name=name, role="联系户", grid_id=grid.id,
                                          building="", household_id=hid, household_label=f"{b or ''}{u or ''}{r or ''}",
                                          since=date(today.year - 1, 3, 1), ended_on=None))


def _three_lists(rng: random.Random, s: Session, rows: dict, units, today: date) -> None:
    """三单: needs from the year's visits that raised a problem, a resource from each unit, and projects
    matching some of them, claimed by a unit; the first few done, some run as the demo's 微实事."""
    raised = list(s.execute(select(Visit.id, Visit.visit_date, Visit.content, Visit.category, Visit.grid_id).where(
        Visit.deleted.is_(False), Visit.raised_issue.is_(True)).order_by(Visit.visit_date)))
    needs = []
    for vid, on, content, category, grid in rng.sample(raised, min(len(raised), 12)):
        nid = new_id()
        rows[ListItem].append(dict(id=nid, list_kind=rules.NEED, title=(content or category or "居民需求")[:80],
                                   detail=content or "", category=need_category(category), raised_on=on, state=rules.NEED_OPEN,
                                   grid_id=grid, visit_id=vid, unit_id=None, need_id=None, resource_id=None,
                                   project_id=None, claimed_on=None, done_on=None))
        needs.append(rows[ListItem][-1])
    resources = []
    offers = {"阵地": "活动场地", "资金": "共建资金", "专业服务": "专业志愿服务", "志愿者": "党员志愿者队伍"}
    for uid, uname in units:
        kind = rng.choice(rules.OFFERS)
        rows[ListItem].append(dict(list_kind=rules.RESOURCE, title=f"{uname}{offers[kind]}", detail="", category=kind,
                                   raised_on=today - timedelta(days=rng.randint(200, 360)), state=rules.RESOURCE_OPEN,
                                   grid_id=None, visit_id=None, unit_id=uid, need_id=None, resource_id=None,
                                   project_id=None, claimed_on=None, done_on=None, id=new_id()))
        resources.append(rows[ListItem][-1])
    projects = list(s.scalars(select(Project.id).where(Project.deleted.is_(False))))
    for i, need in enumerate(needs[:6]):
        res = rng.choice(resources)
        raised_on = need["raised_on"] + timedelta(days=rng.randint(3, 15))
        if raised_on > today:
            continue
        state, claimed, done = rules.PROJECT_OPEN, None, None
        if i < 5:
            claimed = min(today, raised_on + timedelta(days=rng.randint(2, 10)))
            state = rules.PROJECT_CLAIMED
            if i < 3 and claimed + timedelta(days=20) <= today:
                done, state = claimed + timedelta(days=rng.randint(5, 20)), rules.PROJECT_DONE
        need["state"] = rules.NEED_MET if done else rules.NEED_MATCHED
        need["done_on"] = done
        rows[ListItem].append(dict(
            list_kind=rules.PROJECT, title=f"解决：{need['title'][:70]}", detail="", category=need["category"],
            raised_on=raised_on, state=state, grid_id=need["grid_id"], visit_id=None,
            unit_id=res["unit_id"] if claimed else None, need_id=need["id"], resource_id=res["id"],
            project_id=projects[i] if i < 2 and i < len(projects) else None, claimed_on=claimed, done_on=done,
            id=new_id()))


TOPICS = ("小区停车难", "老旧小区加装电梯", "垃圾分类督导", "背街小巷照明", "独居老人助餐", "青少年暑期托管",
          "楼道堆物清理", "社区健身场地")


def _joint_meetings(rng: random.Random, s: Session, rows: dict, units, today: date) -> None:
    """The demo's held 联席会议: most units come, each meeting has two or three 议题 taken on by a unit."""
    from desktop_app.domain import meetings as meeting_rules

    for mid, on in s.execute(select(Meeting.id, Meeting.meeting_date).where(
            Meeting.deleted.is_(False), Meeting.kind == meeting_rules.JOINT, Meeting.status == meeting_rules.HELD)):
        came = rng.sample(units, max(1, len(units) * 2 // 3))
        for uid, uname in came:
            rows[JointTopic].append(dict(meeting_id=mid, unit_id=uid, unit_name=uname, topic="", done_on=None,
                                         result=""))
        for topic in rng.sample(TOPICS, rng.randint(2, 3)):
            uid, uname = rng.choice(came)
            done = on + timedelta(days=rng.randint(10, 60))
            rows[JointTopic].append(dict(meeting_id=mid, unit_id=uid, unit_name=uname, topic=topic,
                                         done_on=done if done <= today else None,
                                         result="已协调解决" if done <= today else ""))


UNIT_SERVICES = ("义诊进社区", "环境整治", "政策咨询", "助老服务", "青少年课业辅导", "文艺演出")


def _unit_reports(rng: random.Random, rows: dict, units, posts, today: date, community: str | None) -> None:
    """单位报到: about two units in three report (to the community), take a post or a project, serve a few
    times, and are rated."""
    projects = [p for p in rows[ListItem] if p["list_kind"] == rules.PROJECT]
    for uid, uname in units:
        if rng.random() > 0.67:
            continue
        rid, on = new_id(), today - timedelta(days=rng.randint(200, 700))
        rows[UnitReport].append(dict(id=rid, org_id=community, unit_id=uid, unit_name=uname, reported_on=on,
                                     liaison=pools.person_name(rng, rng.choice(("男", "女")), 1975),
                                     phone=pools.mobile(rng), promise=f"每季度开展一次{rng.choice(UNIT_SERVICES)}",
                                     ended_on=None))
        item = dict(report_id=rid, people=0, hours_tenths=0, year=None, notes="", ended_on=None, post_id=None,
                    list_item_id=None)
        pid, pname, _places = rng.choice(posts)
        rows[UnitReportItem].append({**item, "kind": rules.CLAIM, "item_date": on, "title": pname, "post_id": pid})
        mine = [p for p in projects if p["unit_id"] == uid]
        if mine:
            rows[UnitReportItem].append({**item, "kind": rules.CLAIM, "item_date": max(on, mine[0]["raised_on"]),
                                         "title": mine[0]["title"], "list_item_id": mine[0]["id"],
                                         "ended_on": mine[0]["done_on"]})
        for _ in range(rng.randint(2, 6)):
            people = rng.randint(2, 12)
            rows[UnitReportItem].append({**item, "kind": rules.SERVICE, "item_date": pools.day_between(rng, on, today),
                                         "title": rng.choice(UNIT_SERVICES), "people": people,
                                         "hours_tenths": people * rng.choice((10, 20, 30))})
        if on.year < today.year:
            rows[UnitReportItem].append({**item, "kind": rules.REVIEW, "item_date": date(today.year - 1, 12, 20),
                                         "title": rng.choice(rules.GRADES[:3]), "year": today.year - 1})


ASKED = (("居家养老", "希望有老年助餐点"), ("停车难", "晚上车位不够，希望规划临时停车位"),
         ("文化活动", "希望周末有亲子活动"), ("环境卫生", "楼道堆物多，希望集中清理"),
         ("就业", "希望介绍家门口的工作"), ("共建需求", "希望社区提供活动场地"), ("安全", "路灯坏了，夜里不安全"))


def _inquiries(rng: random.Random, s: Session, rows: dict, units, today: date) -> None:
    """问需服务: residents and units asked through the year; some answers go onto the 需求清单, some are settled."""
    people = list(s.execute(select(Resident.id, Resident.name, Resident.grid_id).where(
        Resident.deleted.is_(False)).order_by(Resident.id).limit(400)))
    for i in range(rng.randint(14, 22)):
        on = pools.day_between(rng, today - timedelta(days=360), today)
        topic, answer = rng.choice(ASKED)
        base = dict(id=new_id(), inquiry_date=on, channel=rng.choice(rules.INQUIRY_CHANNELS[:5]), topic=topic,
                    answer=answer, asked_by=pools.person_name(rng, rng.choice(("男", "女")), 1980), need_id=None,
                    follow_up="", done_on=None, state=rules.INQUIRY_OPEN, unit_id=None, resident_id=None, grid_id=None)
        if units and (i % 3 == 0 or not people):
            uid, uname = rng.choice(units)
            base.update(party_kind=rules.ASK_UNIT, unit_id=uid, asked_name=uname)
        elif people:
            rid, name, grid = rng.choice(people)
            base.update(party_kind=rules.ASK_RESIDENT, resident_id=rid, asked_name=name, grid_id=grid)
        else:
            continue
        fate = rng.random()
        if fate < 0.35:
            nid = new_id()
            rows[ListItem].append(dict(
                id=nid, list_kind=rules.NEED, title=answer[:80], detail=f"{on.isoformat()} {base['channel']}问需 "
                f"{base['asked_name']}：{answer}", category="问需服务", raised_on=on, state=rules.NEED_OPEN,
                grid_id=base["grid_id"], visit_id=None, unit_id=None, need_id=None, resource_id=None, project_id=None,
                claimed_on=None, done_on=None))
            base.update(state=rules.INQUIRY_TO_NEED, need_id=nid)
        elif fate < 0.7 and on + timedelta(days=7) <= today:
            base.update(state=rules.INQUIRY_DONE, follow_up="已联系相关部门解决并回访", done_on=on + timedelta(days=7))
        elif fate < 0.8:
            base.update(state=rules.INQUIRY_NONE, follow_up="暂无需求", done_on=on)
        rows[Inquiry].append(base)


def _costs(s: Session, rows: dict) -> None:
    """The ledger demo's 活动 and 设施改造 expenses become the costs of the nearest activity or project."""
    reversed_ids = set(s.scalars(select(LedgerEntry.reversal_of).where(LedgerEntry.reversal_of.is_not(None))))
    acts = sorted((a["activity_date"], a["id"]) for a in rows[Activity])
    projects = [p for p in rows[ListItem] if p["list_kind"] == rules.PROJECT and p["claimed_on"]]
    linked: dict[str, int] = {}  # activity id -> its vouchers' sum
    for e in s.scalars(select(LedgerEntry).where(
            LedgerEntry.deleted.is_(False), LedgerEntry.direction == "支出", LedgerEntry.reversal_of.is_(None),
            LedgerEntry.project_id.is_(None),  # a 微实事 project's voucher pays for that project only
            LedgerEntry.category.in_(("活动", "设施改造"))).order_by(LedgerEntry.entry_date)):
        if e.id in reversed_ids:
            continue
        link = dict(entry_id=e.id, activity_id=None, item_id=None, voucher_no=e.voucher_no, entry_date=e.entry_date,
                    amount_fen=e.amount_fen)
        started = [p for p in projects if p["claimed_on"] <= e.entry_date]
        if e.category == "设施改造":
            if not started:
                continue
            link["item_id"] = started[0]["id"]
            projects.remove(started[0])
        else:
            near = [aid for day, aid in acts if abs((day - e.entry_date).days) <= 10]
            if not near:
                continue
            link["activity_id"] = near[0]
            linked[near[0]] = linked.get(near[0], 0) + e.amount_fen
        rows[CostLink].append(link)
    # An activity's 费用 is at least what its vouchers paid: 费用 200 元 beside 已记账 439 元 read as a mistake
    for a in rows[Activity]:
        a["cost_fen"] = max(a["cost_fen"], linked.get(a["id"], 0))
