"""发展党员: the pipeline of one branch or all, each person's file, advancing a step, the register.

Every step goes through domain/development.check_step (stage, order, the time
rules, the vote), is kept as a dated record with its documents, and moves the
applicant's stage. 培养联系人 and 入党介绍人 are chosen from the roster (正式党员,
checked by the rules). 上级党委审批 puts the person on the roster as a 预备党员 from
the 支部大会's day (the probation counts from it); 转正, discussed on or after the
day the probation ends, makes them 正式党员 from that day; 取消预备党员资格 takes them
off the roster. The last step,
recorded by mistake, can be withdrawn (withdraw_step).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import development as rules
from desktop_app.domain import idcard
from desktop_app.domain import members as member_rules
from desktop_app.domain.errors import ConcurrentEditError, ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.services import auth, orgtree, privacy
from desktop_app.services.database import Database
from desktop_app.services.membership import branch_voters
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.records import live, unchanged_since, writes
from desktop_app.services.site import center_name
from desktop_app.store.db import take_write_lock
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_development import Applicant, DevelopmentStep
from desktop_app.views.development import (  # noqa: F401  re-exported
    ApplicantDetail, ApplicantInput, ApplicantRow, DevelopmentRegister, ReminderRow, StepInput, StepRow,
)

_TEXT_MAX = {"name": 40, "education": 20, "job": 60, "mobile": 20, "body": 60, "document_no": 40, "contacts": 60}


def _today(today: date | None) -> date:
    return today or date.today()


def _text(field: str, label: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > _TEXT_MAX.get(field, 10_000):
        raise ValidationError(label, f"不超过 {_TEXT_MAX[field]} 个字")
    return value


def _branch(s: Session, org_id: str | None) -> Organization:
    org = s.get(Organization, org_id) if org_id else None
    if org is None or org.deleted:
        raise ValidationError("党支部", "请选择申请人所在的党支部")
    if org.kind == OrgKind.GROUP and org.parent_id:
        org = s.get(Organization, org.parent_id)
    if org is None or org.kind != OrgKind.BRANCH:
        raise ValidationError("党支部", "发展党员由党支部负责，请选择党支部")
    return org


def _live(s: Session, applicant_id: str) -> Applicant:
    return live(s, Applicant, applicant_id, "申请人")


def _steps(s: Session, applicant_ids: list[str]) -> dict[str, list[DevelopmentStep]]:
    out: dict[str, list[DevelopmentStep]] = {i: [] for i in applicant_ids}
    for i in range(0, len(applicant_ids), 500):
        for st in s.scalars(select(DevelopmentStep).where(
                DevelopmentStep.applicant_id.in_(applicant_ids[i:i + 500]), DevelopmentStep.deleted.is_(False))
                .order_by(DevelopmentStep.done_on, DevelopmentStep.created_at)):
            out[st.applicant_id].append(st)
    return out


def _history(steps: list[DevelopmentStep]) -> list[rules.Done]:
    return [rules.Done(st.step, st.done_on, st.months) for st in steps]


def _stage_since(a: Applicant, steps: list[DevelopmentStep]) -> date:
    moved = [st.done_on for st in steps if rules.kind_or_other(st.step).to_stage == a.stage]
    return max(moved) if moved else a.applied_on


def _reminders(stage: str, history: list[rules.Done], today: date) -> list[rules.Reminder]:
    """The domain's reminders, the 转正 one counted as 支部考评 counts it: once the probation has ended the branch
    has CONFIRM_MEETING_MONTHS to hold the 支部大会: due then, and overdue only after it, not the day after the end."""
    out = []
    for r in rules.reminders(stage, history, today):
        if r.text.startswith(f"{rules.CONFIRM}：") and r.due <= today:  # its due is the probation's end
            by = rules.add_months(r.due, rules.CONFIRM_MEETING_MONTHS)
            r = rules.Reminder(f"{rules.CONFIRM}：预备期已满，请在 {by.month}月{by.day}日 前召开支部大会讨论转正", by, by < today)
        out.append(r)
    return sorted(out, key=lambda r: r.due)


def _row(a: Applicant, branch_name: str, steps: list[DevelopmentStep], today: date) -> ApplicantRow:
    due = _reminders(a.stage, _history(steps), today)
    return ApplicantRow(
        a.id, a.name, a.gender, a.org_id, branch_name, a.stage, a.applied_on, _stage_since(a, steps), a.contacts,
        due[0].due if due else None, sum(1 for r in due if r.overdue), a.mobile,
    )


def _step_row(st: DevelopmentStep) -> StepRow:
    docs = tuple(d for d in st.documents.split("、") if d)
    wanted = rules.kind_or_other(st.step).documents
    return StepRow(st.step, st.done_on, st.body, st.document_no, st.votes_for, st.votes_against, st.votes_abstain,
                   st.voters_expected, st.months, docs, st.note,
                   id=st.id, missing=tuple(d for d in wanted if d not in docs))


def _detail(s: Session, a: Applicant, today: date) -> ApplicantDetail:
    steps = _steps(s, [a.id])[a.id]
    org = s.get(Organization, a.org_id)
    history = _history(steps)
    return ApplicantDetail(
        row=_row(a, org.name if org else "", steps, today),
        birth_date=a.birth_date, id_number=a.id_number, education=a.education, job=a.job, notes=a.notes,
        member_id=a.member_id, steps=tuple(_step_row(st) for st in steps),
        reminders=tuple(ReminderRow(r.text, r.due, r.overdue) for r in _reminders(a.stage, history, today)),
        next_steps=tuple(n for n in rules.steps_for(a.stage)  # a step done once is not offered again
                         if rules.step_kind(n).repeat or all(st.step != n for st in steps)),
        probation_end=rules.probation_end(history), version=a.version,
        sponsors=next((st.body for st in reversed(steps) if st.step == rules.SPONSORS), ""),
    )


# ---------------------------------------------------------------- reading

def pipeline(db: Database, branch_id: str | None = None, stage: str | None = None,
             today: date | None = None, include_closed: bool = False) -> list[ApplicantRow]:
    """Everyone on the way into the party (under `branch_id`), by stage then application date."""
    auth.require(db, "development.read")
    today = _today(today)
    with db.session() as s:
        q = select(Applicant).where(Applicant.deleted.is_(False))
        if branch_id:
            q = q.where(Applicant.org_id.in_(orgtree.subtree_select(branch_id)))
        if stage:
            q = q.where(Applicant.stage == stage)
        elif not include_closed:
            q = q.where(Applicant.stage.in_(rules.OPEN_STAGES))
        people = s.scalars(q).all()
        names = dict(s.execute(select(Organization.id, Organization.name)).all())
        steps = _steps(s, [a.id for a in people])
        rows = [_row(a, names.get(a.org_id, ""), steps[a.id], today) for a in people]
    order = {st: i for i, st in enumerate(rules.STAGES)}
    rows.sort(key=lambda r: (order.get(r.stage, 99), r.applied_on, r.name))
    return privacy.mask_unless(db, "members.reveal", rows)


def get(db: Database, applicant_id: str, today: date | None = None) -> ApplicantDetail:
    auth.require(db, "development.read")
    with db.session() as s:
        detail = _detail(s, _live(s, applicant_id), _today(today))
    return detail if auth.can(db, "members.reveal") else _masked(detail)


# ---------------------------------------------------------------- writing

@writes("development.write")
def add_applicant(uow: UnitOfWork, inp: ApplicantInput, today: date | None = None) -> ApplicantDetail:
    """Register an 入党申请书: the person and the first step, dated the day it was handed in."""
    today = _today(today)
    name = _text("name", "姓名", inp.name)
    if not name:
        raise ValidationError("姓名", "请填写姓名")
    if inp.applied_on is None:
        raise ValidationError("递交申请书日期", "请填写递交入党申请书的日期")
    if inp.applied_on > today:
        raise ValidationError("递交申请书日期", "不能晚于今天")
    number = idcard.normalize(inp.id_number or "")
    birth, gender = inp.birth_date, inp.gender
    if number:
        info = idcard.parse_or_refuse(number)
        number, birth, gender = info.number, birth or info.birth_date, gender or info.gender
    rules.check_age(birth, inp.applied_on, from_number=inp.birth_date is None and bool(number))
    s = uow.session
    branch = _branch(s, inp.org_id)
    a = Applicant(name=name, gender=_text("gender", "性别", gender), birth_date=birth, id_number=number,
                  education=_text("education", "学历", inp.education), job=_text("job", "工作单位及职务", inp.job),
                  mobile=_text("mobile", "联系电话", rules.contact_phone(inp.mobile)), org_id=branch.id,
                  stage=rules.APPLICANT, applied_on=inp.applied_on, notes=(inp.notes or "").strip())
    s.add(a)
    s.flush()
    s.add(DevelopmentStep(applicant_id=a.id, step=rules.APPLY, done_on=inp.applied_on,
                          documents="入党申请书"))
    s.flush()
    return _detail(s, a, today)


@writes("development.write")
def advance(uow: UnitOfWork, applicant_id: str, inp: StepInput, today: date | None = None) -> ApplicantDetail:
    """Record one step; refused (nothing written) when the stage, the order, a time rule or the vote forbids it."""
    today = _today(today)
    if inp.done_on is None:
        raise ValidationError("日期", "请填写日期")
    if inp.done_on > today:
        raise ValidationError("日期", "不能晚于今天")
    kind = rules.step_kind(inp.step)
    s = uow.session
    a = _live(s, applicant_id)
    steps = _steps(s, [a.id])[a.id]
    history = _history(steps)
    stage = rules.check_step(a.stage, history, inp.step, inp.done_on, votes_for=inp.votes_for,
                             votes_against=inp.votes_against, votes_abstain=inp.votes_abstain,
                             voters_expected=inp.voters_expected, months=inp.months, result=inp.result or None)
    if kind.vote:
        _check_voters(s, a.org_id, inp)
    named = _people(s, inp) if inp.people or inp.step == rules.SPONSORS else None
    docs = [d.strip() for d in inp.documents if d and d.strip()]
    # 确定入党介绍人 keeps the two names where the other steps keep their deciding body (the 支委会)
    body = named if inp.step == rules.SPONSORS else _text("body", "决定机关", inp.body or kind.body)
    s.add(DevelopmentStep(
        applicant_id=a.id, step=inp.step, done_on=inp.done_on, body=body,
        document_no=_text("document_no", "文号", inp.document_no),
        votes_for=inp.votes_for if kind.vote else None, votes_against=inp.votes_against if kind.vote else None,
        votes_abstain=inp.votes_abstain if kind.vote else None,
        voters_expected=inp.voters_expected if kind.vote else None,
        months=inp.months if inp.step == rules.EXTEND else None,
        documents="、".join(dict.fromkeys(docs)), note=(inp.note or "").strip(),
    ))
    if inp.step == rules.MAKE_ACTIVIST:
        contacts = named if named is not None else _text("contacts", "培养联系人", inp.contacts)
        if not contacts:
            raise ValidationError("培养联系人", "确定入党积极分子时请指定一至两名正式党员作培养联系人")
        a.contacts = contacts
    if inp.step == rules.APPROVE:
        admitted = max(st.done_on for st in steps if st.step == rules.ADMIT)
        a.member_id = _enrol(s, a, admitted, today)
    elif inp.step == rules.CONFIRM and a.member_id:
        m = s.get(Member, a.member_id)
        if m is not None and not m.deleted:  # from the day the probation ended, whenever the branch met
            m.category, m.confirmed_date = member_rules.FULL, rules.probation_end(history)
    elif inp.step == rules.CANCEL and a.member_id:
        m = s.get(Member, a.member_id)
        if m is not None and not m.deleted:
            m.deleted = True  # 取消预备党员资格: no longer a member, kept in the file
            m.notes = (m.notes + "\n" if m.notes else "") + f"{inp.done_on.isoformat()} 取消预备党员资格"
    if stage != a.stage:
        a.stage = stage
    s.flush()
    return _detail(s, a, today)


@writes("development.write")
def withdraw_step(uow: UnitOfWork, applicant_id: str, step_id: str | None = None,
                  today: date | None = None) -> ApplicantDetail:
    """Withdraw the last step of an applicant's file, recorded by mistake (撤销最后一步).

    The step is tombstoned, not erased, so the trail keeps it and its withdrawal; the stage goes
    back to where the remaining steps put it, and a 转正 or 取消预备党员资格 puts the roster back
    too. `step_id`: the step the page showed last; another recorded since is refused, not withdrawn.
    上级党委审批 made a roster entry others may have built on (dues, meetings): not withdrawn here.
    """
    s = uow.session
    a = _live(s, applicant_id)
    take_write_lock(s)
    steps = _steps(s, [a.id])[a.id]
    last = steps[-1] if steps else None
    if last is not None and step_id is not None and last.id != step_id:
        raise ConcurrentEditError(f"{a.name} 的纪实在你打开后又登记了“{last.step}”（{last.done_on.isoformat()}）。"
                                  "没有撤销任何一步；请刷新后再看一遍。")
    if last is None or last.step == rules.APPLY:
        raise ValidationError("步骤", f"{a.name} 只有“{rules.APPLY}”一项，没有可撤销的步骤")
    m = s.get(Member, a.member_id) if a.member_id else None
    if last.step == rules.APPROVE:
        raise ValidationError("步骤", f"“{rules.APPROVE}”已将 {a.name} 列入党员名册（预备党员），不能在此撤销；"
                                      "如属误登，请在党员名册中处理此人")
    if last.step == rules.CONFIRM and m is not None and not m.deleted:
        if m.category != member_rules.FULL or m.confirmed_date not in (
                # the probation's end, or the meeting's day as programs before the 转正审批 step wrote it
                rules.probation_end(_history(steps[:-1])), last.done_on):
            raise ValidationError("步骤", f"党员名册中 {a.name} 的人员类别或转正日期已另行修改，不能撤销转正")
        m.category, m.confirmed_date = member_rules.PROBATIONARY, None
    elif last.step == rules.CANCEL and m is not None and m.deleted:
        m.deleted = False
        line = f"{last.done_on.isoformat()} 取消预备党员资格"
        m.notes = "\n".join(x for x in (m.notes or "").split("\n") if x != line)
    if last.step == rules.MAKE_ACTIVIST:
        a.contacts = ""  # named when the activist was made: no activist, no 培养联系人
    last.deleted = True
    if rules.kind_or_other(last.step).to_stage:
        stage = rules.APPLICANT
        for st in steps[:-1]:
            stage = rules.kind_or_other(st.step).to_stage or stage
        a.stage = stage
    s.flush()
    return _detail(s, a, _today(today))


def _people(s: Session, inp: StepInput) -> str:
    """The roster members a step names (培养联系人, 入党介绍人), checked by the rules; their names."""
    label = rules.step_kind(inp.step).people or "党员"
    ids = list(dict.fromkeys(i for i in inp.people if i))
    found = {m.id: m for m in s.scalars(select(Member).where(Member.id.in_(ids), Member.deleted.is_(False)))}
    gone = [i for i in ids if i not in found]
    if gone:
        raise ValidationError(label, "所选党员已不在党员名册中，请重新选择")
    return _text("contacts", label, rules.check_people(inp.step, [(found[i].name, found[i].category) for i in ids]))


def _check_voters(s: Session, branch_id: str, inp: StepInput) -> None:
    """The 支部大会's vote counts only members with a vote that day (预备党员, 停止党籍 and 留党察看 have none)."""
    eligible = branch_voters(s, orgtree.subtree_ids(s, branch_id), inp.done_on)
    if eligible == 0:
        return  # the branch's members are not on the roster yet: nothing to check against
    cast = sum(v or 0 for v in (inp.votes_for, inp.votes_against, inp.votes_abstain))
    if inp.voters_expected is not None and inp.voters_expected > eligible:
        raise ValidationError("应到人数", f"该日支部有表决权的正式党员共 {eligible} 人（留党察看、停止党籍的党员和预备党员没有表决权）")
    if cast > eligible:
        raise ValidationError("表决", f"票数合计 {cast} 超过该日有表决权的正式党员 {eligible} 人")


def _enrol(s: Session, a: Applicant, admitted: date, today: date) -> str:
    """Put an approved applicant on the roster as 预备党员 from the 支部大会's day."""
    mobile, phone = rules.roster_phones(a.mobile)
    inp = MemberInput(name=a.name, org_id=a.org_id, id_number=a.id_number, gender=a.gender, birth_date=a.birth_date,
                      education=a.education, category=member_rules.PROBATIONARY, joined_date=admitted,
                      job=a.job, mobile=mobile, phone=phone)
    clean, errors, _ = member_rules.check(inp, today)
    if errors:
        e = errors[0]
        # Said where to fix it: the step dialog cannot, 修改信息 on the 发展党员 page can.
        raise ValidationError(e.field, f"{e.message}。列入党员名册前须补全申请人信息：关闭此窗口，"
                                       "在发展党员页选中此人，点“修改信息”")
    taken = s.scalar(select(Member.id).where(Member.id_number == clean.id_number, Member.deleted.is_(False)))
    if taken:
        raise ValidationError("公民身份号码", f"{clean.id_number} 已在党员名册中")
    seq = (s.scalar(select(Member.seq).where(Member.deleted.is_(False)).order_by(Member.seq.desc()).limit(1))
           or 0) + 1
    pinyin, initials = pinyin_keys(clean.name)
    m = Member(**{f: getattr(clean, f) for f in member_rules.MEMBER_FIELDS if f != "seq"}, seq=seq,
               name_pinyin=pinyin, name_initials=initials, status=member_rules.NORMAL)
    s.add(m)
    s.flush()
    return m.id


@writes("development.write")
def update_applicant(uow: UnitOfWork, applicant_id: str, inp: ApplicantInput,
                     today: date | None = None, expected_version: int | None = None) -> ApplicantDetail:
    """Correct or complete an applicant's particulars (the steps, branch and application date stay as recorded).

    An ID number still masked (as a reader without members.reveal is shown it) keeps the stored one.
    `expected_version`: the version the form was read at; an applicant changed since (a step
    recorded, particulars saved by someone else) is refused, not written back.
    """
    s = uow.session
    a = _live(s, applicant_id)
    unchanged_since(s, a, expected_version, f"入党申请人 {a.name}")
    name = _text("name", "姓名", inp.name)
    if not name:
        raise ValidationError("姓名", "请填写姓名")
    raw = inp.id_number or ""
    number, birth, gender = (a.id_number, a.birth_date, a.gender) if "*" in raw else (
        idcard.normalize(raw), inp.birth_date, inp.gender)
    if number and "*" not in raw:
        info = idcard.parse_or_refuse(number)
        number, birth, gender = info.number, birth or info.birth_date, gender or info.gender
    rules.check_age(birth, a.applied_on, from_number=inp.birth_date is None and bool(number))
    a.name, a.id_number, a.birth_date = name, number, birth
    a.gender = _text("gender", "性别", gender)
    a.education = _text("education", "学历", inp.education)
    a.job = _text("job", "工作单位及职务", inp.job)
    if "*" not in (inp.mobile or ""):
        a.mobile = _text("mobile", "联系电话", rules.contact_phone(inp.mobile))
    a.notes = (inp.notes or "").strip()
    s.flush()
    return _detail(s, a, _today(today))


# ---------------------------------------------------------------- register and printing

def register(db: Database, year: int, branch_id: str | None = None, today: date | None = None) -> DevelopmentRegister:
    """发展党员工作登记簿: everyone with a step in `year` (under `branch_id`)."""
    auth.require(db, "development.read")
    today = _today(today)
    with db.session() as s:
        q = (select(Applicant).where(Applicant.deleted.is_(False), Applicant.id.in_(
            select(DevelopmentStep.applicant_id).where(
                DevelopmentStep.deleted.is_(False), DevelopmentStep.done_on >= date(year, 1, 1),
                DevelopmentStep.done_on <= date(year, 12, 31)))))
        if branch_id:
            q = q.where(Applicant.org_id.in_(orgtree.subtree_select(branch_id)))
        found = s.scalars(q).all()
        # Branches in the order the center keeps them (not by their random ids), so the
        # register prints the same way in every database.
        place = {o.id: (o.sort_order, o.code, o.name) for o in s.scalars(
            select(Organization).where(Organization.id.in_({a.org_id for a in found})))}
        people = sorted(found, key=lambda a: (place.get(a.org_id, (0, "", "")), a.applied_on, a.name))
        details = tuple(_detail(s, a, today) for a in people)
        center = center_name(s)
    if not auth.can(db, "members.reveal"):
        details = tuple(_masked(d) for d in details)
    tally = Counter(d.row.stage for d in details)
    counts = {stage: tally[stage] for stage in rules.STAGES if tally[stage]}
    counts.update((stage, n) for stage, n in tally.items() if stage not in counts)
    return DevelopmentRegister(center, year, details, counts)


def _masked(d: ApplicantDetail) -> ApplicantDetail:
    return replace(d, id_number=idcard.mask(d.id_number) if d.id_number else "", row=privacy.mask_record(d.row))


def print_register(db: Database, year: int, out: Path | None = None, branch_id: str | None = None, *,
                   today: date | None = None, printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """发展党员工作登记簿 of `year` as PDF bytes; also written to `out` when given."""
    from desktop_app.reports.development import render_register

    return render_register(register(db, year, branch_id, today), out, printed_on=printed_on, font_path=font_path)


def print_record(db: Database, applicant_id: str, out: Path | None = None, *, today: date | None = None,
                 printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """One person's 发展党员纪实表 as PDF bytes; also written to `out` when given."""
    from desktop_app.reports.development import render_record

    detail = get(db, applicant_id, today)
    with db.session() as s:
        center = center_name(s)
    return render_record(detail, center, out, printed_on=printed_on, font_path=font_path)
