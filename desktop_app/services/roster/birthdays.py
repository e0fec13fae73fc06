"""政治生日: members on the roster whose 入党 anniversary falls in a month, for the branches' monthly greetings.

The roster's filter (MemberFilter.birthday_month) uses the same conditions, so the 工作台's
本月政治生日 N 名 opens the roster on exactly those N.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import members as rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.store.models import Member, Organization
from desktop_app.views.roster import BirthdayRow


def month_of(text: str) -> tuple[int, int]:
    """(year, month) of "2026-06"; ValueError for anything else."""
    year, month = (int(p) for p in text.split("-"))
    date(year, month, 1)
    return year, month


def birthday_conditions(year: int, month: int) -> list[ColumnElement]:
    """Live members (not 转出, 去世 or out of the party) who joined in `month` of a year before `year`:
    a 29 February joiner is marked on 28 February in a common year, so February keeps them."""
    return [
        Member.deleted.is_(False),
        Member.status.not_in(rules.GONE_STATUSES),
        Member.joined_date.is_not(None),
        Member.joined_date < date(year, 1, 1),
        extract("month", Member.joined_date) == month,
    ]


def political_birthdays(db: Database, year: int, month: int) -> list[BirthdayRow]:
    """Whose 政治生日 falls in `month` of `year`, by the day, then branch and name; each with 入党 N 周年 that year."""
    # member life's rules (and the workflows' they import): not loaded for the roster's filter above
    from desktop_app.domain.memberlife import political_birthday, years_joined

    auth.require(db, "members.read")
    date(year, month, 1)  # a month that exists
    with db.session() as s:
        orgs = {o.id: o for o in s.scalars(select(Organization).where(Organization.deleted.is_(False)))}
        found = s.execute(select(Member.id, Member.name, Member.org_id, Member.joined_date)
                          .where(*birthday_conditions(year, month))).all()

        def branch_name(org_id: str | None) -> str:
            o = orgs.get(org_id)
            while o is not None and o.kind == OrgKind.GROUP:  # a 党小组's members are greeted by its branch
                o = orgs.get(o.parent_id)
            return o.name if o is not None else ""

        rows = [BirthdayRow(mid, name, branch_name(org_id), org_id, joined, political_birthday(joined, year),
                            years_joined(joined, year)) for mid, name, org_id, joined in found]
    return sorted(rows, key=lambda r: (r.day, r.branch_name, r.name))
