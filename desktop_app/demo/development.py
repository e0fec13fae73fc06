"""Demo 发展党员: in every branch applicants and activists at every stage with their dated steps,
the roster's 预备党员 and recent 转正 with the file that brought them in, and a few 应到 exemptions.

Runs after the community demo. A roster 预备党员 gets the steps that end in the
支部大会 on their 入党日期 and the approval after it; a member confirmed lately gets
the whole way to 转正. Others are made up from one seed and stop where their
stage does, every step on or before today. Written with bulk inserts.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.demo import pools
from desktop_app.demo.bulk import insert_rows
from desktop_app.domain import development as d
from desktop_app.domain import idcard
from desktop_app.domain.development import add_months
from desktop_app.domain.members import FULL, GONE_STATUSES, PROBATIONARY
from desktop_app.domain.orgs import OrgKind
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_development import Applicant, DevelopmentStep
from desktop_app.store.models_membership import AttendanceExemption

MADE_UP = ((d.APPLICANT, 2), (d.ACTIVIST, 3), (d.CANDIDATE, 1))  # per branch
VOTERS = 20


class _Book:
    def __init__(self, today: date):
        self.today = today
        self.applicants: list[dict] = []
        self.steps: list[dict] = []

    def person(self, **row) -> str:
        aid = new_id()
        self.applicants.append({"id": aid, "gender": "", "birth_date": None, "id_number": "", "education": "",
                                "job": "", "mobile": "", "contacts": "", "member_id": None, "notes": "", **row})
        return aid

    def step(self, aid: str, step: str, on: date, **extra) -> None:
        if on > self.today:
            return
        kind = d.step_kind(step)
        vote = {"votes_for": VOTERS - 2, "votes_against": 0, "votes_abstain": 1, "voters_expected": VOTERS} \
            if kind.vote else {"votes_for": None, "votes_against": None, "votes_abstain": None,
                               "voters_expected": None}
        self.steps.append({"applicant_id": aid, "step": step, "done_on": on, "body": kind.body, "document_no": "",
                           "months": None, "documents": "、".join(kind.documents), "note": "", **vote, **extra})

    def recurring(self, aid: str, start: date, end: date) -> None:
        """思想汇报 each quarter and 考察 each half year from `start` until `end` (or today)."""
        for step, months in ((d.REPORT, 3), (d.EXAMINE, 6)):
            on = add_months(start, months)
            while on <= min(end, self.today):
                self.step(aid, step, on - timedelta(days=3))
                on = add_months(on, months)


def _way(book: _Book, aid: str, rng: random.Random, applied: date, stop: str, admitted: date | None = None,
         confirmed: date | None = None, sponsors: str = "") -> str:
    """The steps from application up to `stop`; returns the stage reached. The steps added since
    (入党介绍人, 预审, 宣誓) fall on fixed days, so the seeded draws (and the rest of the demo) stay as they were."""
    book.step(aid, d.APPLY, applied)
    book.step(aid, d.TALK, applied + timedelta(days=rng.randint(8, 25)))
    if stop == d.APPLICANT:
        return d.APPLICANT
    activist = applied + timedelta(days=rng.randint(60, 120))
    candidate = add_months(activist, 12) + timedelta(days=rng.randint(5, 60))
    if admitted is not None:  # work back from the 支部大会 on the roster's 入党日期
        candidate = admitted - timedelta(days=rng.randint(70, 100))
        activist = min(activist, add_months(candidate, -13))
    book.step(aid, d.MAKE_ACTIVIST, activist)
    if stop == d.ACTIVIST:
        book.recurring(aid, activist, book.today)
        return d.ACTIVIST
    book.recurring(aid, activist, candidate)
    book.step(aid, d.MAKE_CANDIDATE, candidate)
    if sponsors:  # the 培养联系人 usually go on as 入党介绍人
        book.step(aid, d.SPONSORS, candidate + timedelta(days=7), body=sponsors)
    book.step(aid, d.VETTING, candidate + timedelta(days=25))
    book.step(aid, d.TRAINING, candidate + timedelta(days=35))
    if stop == d.CANDIDATE:
        return d.CANDIDATE
    admit = admitted or candidate + timedelta(days=80)
    book.step(aid, d.PRE_REVIEW, admit - timedelta(days=28))
    book.step(aid, d.NOTICE, admit - timedelta(days=rng.randint(10, 20)))
    book.step(aid, d.ADMIT, admit)
    approved = admit + timedelta(days=rng.randint(20, 60))
    book.step(aid, d.APPROVE, approved, document_no=f"{admit.year}〔{rng.randint(1, 40)}〕号")
    book.step(aid, d.OATH, approved + timedelta(days=21))
    book.recurring(aid, admit, confirmed or book.today)
    if confirmed is None:
        return d.PROBATIONARY
    book.step(aid, d.CONFIRM, confirmed)
    return d.FULL


def fill(s: Session, site_id: str, seed: int, today: date) -> dict[str, int]:
    """Applicants, steps and exemptions for the demo community; counts of what was added."""
    if s.scalar(select(func.count()).select_from(Applicant)):
        return {"applicants": 0, "steps": 0, "exemptions": 0}
    rng = random.Random(seed * 9173 + 15)
    book = _Book(today)
    branches = s.execute(select(Organization.id, Organization.name).where(
        Organization.deleted.is_(False), Organization.kind == OrgKind.BRANCH).order_by(Organization.code)).all()
    members = s.execute(select(Member.id, Member.name, Member.org_id, Member.category, Member.joined_date,
                               Member.confirmed_date, Member.id_number, Member.gender, Member.birth_date,
                               Member.status)
                        .where(Member.deleted.is_(False))).all()
    groups = dict(s.execute(select(Organization.id, Organization.parent_id).where(
        Organization.kind == OrgKind.GROUP)).all())

    def branch_of(org_id: str) -> str:
        return groups.get(org_id, org_id)

    seq = 900
    for branch_id, _name in branches:
        mine = [m for m in members if branch_of(m[2]) == branch_id and m[9] not in GONE_STATUSES]
        full = [m[1] for m in mine if m[3] == FULL]
        contacts = "、".join(rng.sample(full, 2)) if len(full) >= 2 else "、".join(full)
        pair = contacts if len(full) >= 2 else ""  # 入党介绍人 are two
        # the roster's 预备党员 and those confirmed within two years: the file that brought them in
        for m in mine:
            recent = m[3] == FULL and m[5] is not None and (today - m[5]).days < 730
            if m[4] is None or not (m[3] == PROBATIONARY or recent):
                continue
            admitted = m[4]
            aid = book.person(name=m[1], gender=m[7], birth_date=m[8], id_number=m[6], org_id=branch_id,
                              applied_on=admitted - timedelta(days=rng.randint(560, 700)), contacts=contacts,
                              member_id=m[0], stage=PROBATIONARY)
            stage = _way(book, aid, rng, book.applicants[-1]["applied_on"], d.FULL if recent else d.PROBATIONARY,
                         admitted=admitted, confirmed=m[5] if recent else None, sponsors=pair)
            book.applicants[-1]["stage"] = stage
        for stage, n in MADE_UP:
            for _ in range(n):
                seq += 1
                gender = rng.choice(("男", "女"))
                born = date(rng.randint(1988, 2004), rng.randint(1, 12), rng.randint(1, 28))
                back = {d.APPLICANT: (15, 70), d.ACTIVIST: (150, 560), d.CANDIDATE: (520, 600)}[stage]
                applied = today - timedelta(days=rng.randint(*back))
                if (applied - born).days < 18 * 366:
                    born = date(applied.year - 20, born.month, born.day)
                aid = book.person(name=pools.person_name(rng, gender, born.year), gender=gender, birth_date=born,
                                  id_number=idcard.make("320102", born, seq, gender),
                                  education=pools.education(rng, born.year), mobile=pools.mobile(rng),
                                  org_id=branch_id, applied_on=applied,
                                  contacts=contacts if stage != d.APPLICANT else "", stage=stage)
                book.applicants[-1]["stage"] = _way(book, aid, rng, applied, stage, sponsors=pair)
    # a few members excused from 应到 for a while, with the reason the sheet prints
    exemptions = []
    for m in rng.sample([m for m in members if m[9] not in GONE_STATUSES], min(4, len(members))):
        start = today - timedelta(days=rng.randint(30, 200))
        exemptions.append({"member_id": m[0], "start_date": start, "reason": rng.choice(("长期外出", "病重", "年老体弱")),
                           "end_date": start + timedelta(days=365) if rng.random() < 0.5 else None,
                           "note": "经支委会同意"})
    now = utcnow()
    insert_rows(s, Applicant, book.applicants, site_id, now)
    insert_rows(s, DevelopmentStep, book.steps, site_id, now)
    insert_rows(s, AttendanceExemption, exemptions, site_id, now)
    return {"applicants": len(book.applicants), "steps": len(book.steps), "exemptions": len(exemptions)}
