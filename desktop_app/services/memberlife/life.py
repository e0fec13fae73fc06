"""One member's whole life in the party, in one read, for the member's page: the way in, then after joining."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain import development as dev_rules
from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain import members as member_rules
from desktop_app.domain.members import add_years
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.memberlife.discipline import disciplines, disposals
from desktop_app.services.memberlife.exits import _dues_paid_to, exits
from desktop_app.services.memberlife.floating import floating, searches
from desktop_app.services.memberlife.moves import moves
from desktop_app.services.memberlife._common import Orgs, live_member, today_of
from desktop_app.store.models import Transfer
from desktop_app.store.models_development import Applicant, DevelopmentStep
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.views.memberlife import MemberLife


def member_life(db: Database, member_id: str, today: date | None = None) -> MemberLife:
    """Exits, discipline, disposals, moves, 转接, 流动 and 失联 records of one member, and whether they come to
    meetings and pay dues (discipline, meetings and dues only for an account that may read them)."""
    auth.require(db, "members.read")
    today = today_of(today)
    with db.session() as s:
        m = live_member(s, member_id)
        name, status, branch = m.name, m.status, Orgs(s).branch_name(m.org_id)
        path = _path(s, m, auth.can(db, "development.read"))
        moved = tuple(s.execute(
            select(Transfer.transfer_date, Transfer.direction, Transfer.from_org, Transfer.to_org,
                   Transfer.letter_no)
            .where(Transfer.member_id == m.id, Transfer.deleted.is_(False))
            .order_by(Transfer.transfer_date.desc(), Transfer.created_at.desc())).tuples())
        # the whole life asks for more than the registers: whether the member comes to meetings and pays dues
        meetings = _attended(s, m.id, today) if auth.can(db, "meetings.read") else (None, None)
        dues_read = auth.can(db, "dues.read")
        paid_to = _dues_paid_to(s, [m.id], today).get(m.id) if dues_read else None
    may = auth.can(db, "discipline.read")
    disc = tuple(disciplines(db, member_id, today=today)) if may else ()
    left = tuple(exits(db, member_id=member_id)) if may else ()
    # A 转出 is one event: the exit register (or the roster) writes its 转接 too. It is listed once, under
    # 组织关系转接, where its destination and letter show.
    out_on = {t[0] for t in moved if t[1] == member_rules.TRANSFER_OUT}
    left = tuple(r for r in left if not (r.kind == member_rules.TRANSFERRED_OUT and r.exit_date in out_on))
    return MemberLife(
        member_id=member_id, name=name, status=status, branch_name=branch,
        vote_barred=any(d.running for d in disc),
        exits=left,
        disciplines=disc,
        disposals=tuple(disposals(db, member_id=member_id, today=today)) if may else (),
        moves=tuple(moves(db, member_id)),
        floating=tuple(r for r in floating(db) if r.member_id == member_id),
        searches=tuple(searches(db, member_id)),
        path=path, political_birthday=m.joined_date, transfers=moved,
        meetings_year=meetings[0], last_meeting=meetings[1], dues_read=dues_read, dues_paid_to=paid_to,
    )


def _attended(s: Session, member_id: str, today: date) -> tuple[int, date | None]:
    """Held meetings the member was present at in the year up to `today`, and the last one ever."""
    year_ago = add_years(today, -1)
    count, last = s.execute(
        select(func.sum(case((Meeting.meeting_date > year_ago, 1), else_=0)), func.max(Meeting.meeting_date))
        .select_from(Attendance).join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.member_id == member_id, Attendance.deleted.is_(False), Meeting.deleted.is_(False),
               Meeting.status == meeting_rules.HELD, Attendance.status == meeting_rules.PRESENT,
               Meeting.meeting_date <= today)).one()
    return int(count or 0), last


# The steps of the way itself; 思想汇报 and 培养考察 recur and stay in the 发展党员 file.
_WAY = tuple(k.name for k in dev_rules.STEP_KINDS if not k.repeat)


def _named(step: str, body: str, contacts: str) -> str:
    """A step with the members it chose: 确定入党积极分子 its 培养联系人, 确定入党介绍人 the two it named."""
    who = contacts if step == dev_rules.MAKE_ACTIVIST else body if step == dev_rules.SPONSORS else ""
    return f"{step}（{who}）" if who else step


def _path(s: Session, m, may_read_file: bool) -> tuple[tuple[date, str], ...]:
    """The member's way into the party: from the 发展党员 file when it was kept here, else the roster's dates."""
    steps = []
    if may_read_file:
        steps = s.execute(
            select(DevelopmentStep.done_on, DevelopmentStep.step, DevelopmentStep.body, Applicant.contacts).join(
                Applicant, Applicant.id == DevelopmentStep.applicant_id)
            .where(Applicant.member_id == m.id, Applicant.deleted.is_(False), DevelopmentStep.deleted.is_(False),
                   DevelopmentStep.step.in_(_WAY))
            .order_by(DevelopmentStep.done_on, DevelopmentStep.created_at)).all()
    if steps:
        return tuple((on, _named(step, body, contacts)) for on, step, body, contacts in steps)
    return tuple((on, what) for on, what in ((m.joined_date, "入党"), (m.confirmed_date, "转正")) if on)


def find_member(db: Database, text: str) -> tuple[str, str]:
    """(id, name) of the member named by an ID number or an exact name; several of that name are refused."""
    from sqlalchemy import select

    from desktop_app.domain import idcard
    from desktop_app.domain.errors import NotFound, ValidationError
    from desktop_app.store.models import Member

    auth.require(db, "members.read")
    text = (text or "").strip()
    # Two lookups (as one OR, SQLite walks the whole roster for the ID number too): the ID number by the
    # live-ID-number index; a name has no index of its own (db/versions/0032), so it is read from the
    # covering ix_member_roster without touching the table (about 10 ms per 100,000 members).
    columns = (Member.id, Member.name, Member.id_number, Member.org_id)
    with db.session() as s:
        rows = s.execute(select(*columns).where(Member.deleted.is_(False), Member.id_number == text.upper())).all()
        seen = {r[0] for r in rows}
        rows += [r for r in s.execute(select(*columns).where(Member.deleted.is_(False), Member.name == text))
                 if r[0] not in seen]
        orgs = Orgs(s)
    if not rows:
        raise NotFound(f"名册中没有“{text}”")
    if len(rows) > 1:
        raise ValidationError("党员", f"有 {len(rows)} 名党员叫“{text}”，请用公民身份号码："
                              + "、".join(f"{idcard.mask(r[2])}（{orgs.branch_name(r[3])}）" for r in rows))
    return rows[0][0], rows[0][1]


def find_org(db: Database, text: str) -> str:
    """The id of the organisation named by its code, its path (社区 / 支部 / 小组) or a name only it bears."""
    from desktop_app.domain.errors import ValidationError
    from desktop_app.services.orgtree import org_name_map

    auth.require(db, "orgs.read")
    with db.session() as s:
        lookup = org_name_map(s)
    found = lookup.get(text)
    if found:
        return found
    if lookup.candidates(text):
        raise ValidationError("党组织", f"有几个党组织叫“{text}”，请写路径（社区 / 支部 / 小组）或代码：{lookup.candidates(text)}")
    raise ValidationError("党组织", f"找不到党组织“{text}”")
