"""Demo member life: members placed in their 党小组, the dated history of every status the community
demo gave, a 转入 and a 转出 with their letters, deaths and a 除名 in the exit register, a 警告 and a
running 留党察看, a 不合格党员 given time to改正, 流出 and 流入 registrations with 活动证 numbers,
searches for the 失联, and a few moves between branches.

Runs right after the community demo and before its meetings, so the 党小组会 lists
follow the groups members sit in. Deterministic for a seed; bulk inserts.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.demo import pools
from desktop_app.demo.bulk import PlannedRows
from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.store.models import Member, MemberStatusChange, Organization, Transfer
from desktop_app.store.models_memberlife import (
    Discipline, Disposal, FloatingRecord, LostSearch, OrgMove, PartyExit,
)

GROUP_SHARE = 0.8  # of a branch's members sit in one of its 党小组
SEARCHERS = ("支部书记", "组织委员", "网格员", "社区党委委员")


def place_in_groups(s: Session, seed: int) -> int:
    """Most of each branch's members into its 党小组, spread evenly (some stay with the branch itself)."""
    rng = random.Random(seed * 104729 + 15)
    orgs = s.execute(select(Organization.id, Organization.kind, Organization.parent_id)
                     .where(Organization.deleted.is_(False)).order_by(Organization.code)).all()
    groups: dict[str, list[str]] = defaultdict(list)
    for oid, kind, parent in orgs:
        if kind == OrgKind.GROUP:
            groups[parent].append(oid)
    moved: dict[str, list[str]] = defaultdict(list)
    for branch, options in groups.items():
        ids = list(s.scalars(select(Member.id).where(Member.org_id == branch, Member.deleted.is_(False))
                             .order_by(Member.seq, Member.id)))
        for i, mid in enumerate(ids):
            if rng.random() < GROUP_SHARE:
                moved[options[i % len(options)]].append(mid)
    for group, ids in moved.items():
        s.execute(update(Member).where(Member.id.in_(ids)).values(org_id=group))
    return sum(len(v) for v in moved.values())


def fill(s: Session, site_id: str, seed: int, today: date) -> dict[str, int]:
    """The member-life records of the demo community in `s`; counts of what was added."""
    rng = random.Random(seed * 7333 + 9)
    grouped = place_in_groups(s, seed)
    orgs = {o.id: o for o in s.scalars(select(Organization).where(Organization.deleted.is_(False)))}

    def branch_of(org_id):
        o = orgs.get(org_id)
        return orgs.get(o.parent_id) if o is not None and o.kind == OrgKind.GROUP else o

    members = s.scalars(select(Member).where(Member.deleted.is_(False)).order_by(Member.seq, Member.id)).all()
    rows = PlannedRows()
    last_year = date(today.year - 1, 1, 1)

    def status(member: Member, st: str, on: date, destination: str = "", note: str = "") -> dict:
        return rows.add(MemberStatusChange, member_id=member.id, status=st, changed_on=on, destination=destination,
                        note=note)

    # The dated history of the statuses the community demo gave, and the records behind them.
    for mem in members:
        joined = mem.joined_date or last_year
        if mem.status == m.DECEASED:
            on = pools.day_between(rng, max(joined, date(today.year - 2, 1, 1)), today - timedelta(days=20))
            status(mem, m.DECEASED, on, note="病故")
            rows.add(PartyExit, member_id=mem.id, kind=m.DECEASED, exit_date=on, decided_by="", document_no="",
                     reason="病故", note="", prior_status=m.NORMAL, status_change_id="")
        elif mem.status == m.FLOATING:
            on = pools.day_between(rng, max(joined, date(today.year - 3, 1, 1)), today - timedelta(days=60))
            status(mem, m.FLOATING, on, mem.floating_to, "外出务工")
            rows.add(FloatingRecord, org_id=branch_of(mem.org_id).id, direction=rules.FLOW_OUT, member_id=mem.id,
                     name=mem.name, id_number=mem.id_number, card_no=f"LD{on:%Y}{rng.randint(1000, 9999)}",
                     start_date=on, end_date=None, place=mem.floating_to or rng.choice(pools.FLOATING_DESTINATIONS),
                     other_org=f"{(mem.floating_to or '当地')[:6]}流动党员党支部", contact=mem.mobile, note="")
        elif mem.status == m.LOST:
            on = mem.lost_date or pools.day_between(rng, date(today.year - 3, 1, 1), today - timedelta(days=200))
            status(mem, m.LOST, on, note="多次联系不上")
            for k in range(rng.randint(1, 3)):
                tried = pools.day_between(rng, on + timedelta(days=30), today - timedelta(days=10))
                rows.add(LostSearch, member_id=mem.id, tried_on=tried, tried_by=SEARCHERS[k % len(SEARCHERS)],
                         method=rules.SEARCH_METHODS[(k + rng.randint(0, 2)) % 4],
                         result=rng.choice(("电话停机", "原住址已出租，邻居不知去向", "亲属称在外地，未留联系方式")),
                         decision="", note="")

    normal = [x for x in members if x.status == m.NORMAL and x.category == m.FULL]
    rng.shuffle(normal)
    used = set()

    def take() -> Member:
        x = normal.pop()
        used.add(x.id)
        return x

    # A 转入 last year (letter and 回执 back) and a 转出 this year (letter out, 回执 awaited).
    came = take()
    arrived = date(today.year - 2, 11, rng.randint(5, 25))
    rows.add(Transfer, member_id=came.id, direction=m.TRANSFER_IN, transfer_date=arrived,
             from_org="东湖街道翠苑社区党委", to_org=branch_of(came.org_id).name, note="随迁入住本社区",
             letter_no=f"翠组转〔{arrived.year}〕{rng.randint(3, 40)}号", valid_until=arrived + timedelta(days=90),
             receipt_on=arrived + timedelta(days=6), dues_paid_to=arrived.replace(day=1))
    status(came, m.NORMAL, arrived, note="组织关系转入")
    left = take()
    gone_on = today - timedelta(days=rng.randint(20, 40))
    now_status = {left.id: m.TRANSFERRED_OUT}
    rows.add(Transfer, member_id=left.id, direction=m.TRANSFER_OUT, transfer_date=gone_on,
             from_org=branch_of(left.org_id).name, to_org="滨江街道江畔社区党委", note="购房迁居",
             letter_no=f"梅组转〔{gone_on.year}〕{rng.randint(3, 40)}号", valid_until=gone_on + timedelta(days=90),
             receipt_on=None, dues_paid_to=gone_on.replace(day=1))
    status(left, m.TRANSFERRED_OUT, gone_on, "滨江街道江畔社区党委", "组织关系转出")
    rows.add(PartyExit, member_id=left.id, kind=m.TRANSFERRED_OUT, exit_date=gone_on, decided_by="社区党委",
             document_no=rows.by_model[Transfer][-1]["letter_no"], reason="购房迁居", note="",
             prior_status=m.NORMAL, status_change_id="")

    # 党纪处分: a 警告 last year, a 留党察看 of one year still running.
    warned = take()
    rows.add(Discipline, member_id=warned.id, kind=rules.WARNING, decided_on=date(today.year - 1, 6, 18),
             decided_by="街道纪工委", document_no=f"街纪〔{today.year - 1}〕4号", ends_on=None, lifted_on=None,
             reason="违规操办婚丧喜庆事宜", note="")
    watched = take()
    start = today - timedelta(days=rng.randint(60, 150))
    rows.add(Discipline, member_id=watched.id, kind=rules.PROBATION, decided_on=start, decided_by="区纪委",
             document_no=f"区纪〔{start.year}〕17号", ends_on=rules.probation_end(start, 1), lifted_on=None,
             reason="违反廉洁纪律", note="察看期间无表决权、选举权和被选举权")

    # 不合格党员处置 after last year's 民主评议: one given time to改正, one removed (除名).
    slack = take()
    decided = date(today.year, 3, rng.randint(10, 28))
    rows.add(Disposal, member_id=slack.id, year=today.year - 1, measure=rules.RECTIFY, decided_on=decided,
             decided_by="支部大会", document_no="", deadline=rules.add_months(decided, 6),
             outcome="已改正" if rules.add_months(decided, 6) < today else "", note="长期不参加组织生活")
    removed = take()
    on = date(today.year, 4, rng.randint(8, 28))
    if on < today:
        now_status[removed.id] = m.REMOVED
        rows.add(Disposal, member_id=removed.id, year=today.year - 1, measure=rules.DISPOSAL_REMOVE, decided_on=on,
                 decided_by="支部大会", document_no=f"街党〔{on.year}〕12号", deadline=None, outcome="", note="")
        status(removed, m.REMOVED, on, note="不合格党员处置：除名")
        rows.add(PartyExit, member_id=removed.id, kind=m.REMOVED, exit_date=on, decided_by="支部大会（街道党工委批准）",
                 document_no=f"街党〔{on.year}〕12号", reason=f"{today.year - 1}年度民主评议为不合格党员，经教育仍无转变",
                 note="", prior_status=m.NORMAL, status_change_id="")

    # 流入: two members from elsewhere attending a branch here.
    branches = [o for o in orgs.values() if o.kind == OrgKind.BRANCH]
    for k, (name, origin) in enumerate((("韩立军", "安徽省合肥市庐阳区"), ("蒋晓燕", "河南省信阳市浉河区"))):
        on = pools.day_between(rng, date(today.year - 1, 3, 1), today - timedelta(days=30))
        rows.add(FloatingRecord, org_id=branches[k % len(branches)].id, direction=rules.FLOW_IN, member_id=None,
                 name=name, id_number="", card_no=f"LD{on:%Y}{rng.randint(1000, 9999)}", start_date=on,
                 end_date=None, place=origin, other_org=f"{origin[3:6]}某村党支部",
                 contact=f"139{rng.randint(10000000, 99999999)}", note="在本社区务工")

    # Moves between branches this year: last year's figures keep them where they were.
    for _ in range(3):
        who = take()
        here = branch_of(who.org_id)
        elsewhere = [b for b in branches if b.id != here.id]
        if not elsewhere:
            break
        src = rng.choice(elsewhere)
        rows.add(OrgMove, member_id=who.id, from_org_id=src.id, to_org_id=who.org_id,
                 moved_on=today - timedelta(days=rng.randint(5, 25)), note="居住地变动")

    rows.insert(s, site_id)
    for mid, st in now_status.items():
        s.execute(update(Member).where(Member.id == mid).values(status=st))
    return {"grouped": grouped, **{model.__tablename__: len(batch) for model, batch in rows.by_model.items()}}
