"""One count of 党费: the 党费 page, 概览's 党费收缴 and the year-end folder's 党费收缴 count the same members.

A member moved into the 双报到 register pays dues at the employer; records kept from before the move were
counted by 概览 and the folder (demo: 286 交纳人数 for 253 members) but not by the 党费 page.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from desktop_app.domain.dues import EMPLOYED
from desktop_app.services import cobuilding, dues, overview, roster
from desktop_app.store.models import Member
from desktop_app.views.dues import PAID, PARTIAL
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts

YEAR = TODAY.year


def page_counts(db, year: int) -> tuple[set[str], int]:
    """Who paid and how much, month by month of `year`, as the 党费 page's grids show it."""
    cells = [(r.member_id, c) for g in dues.registry_grids(db, year, today=TODAY) for r in g.rows
             for c in r.cells if c.state in (PAID, PARTIAL)]
    return {m for m, _ in cells}, sum(c.paid_fen for _, c in cells)


def folder_counts(db, year: int):
    (section,) = [s for s in overview.annual_folder(db, year, today=TODAY, photos=False).sections
                  if s.title == "党费收缴"]
    people = sum(int(r[1]) for r in section.rows)
    paid = sum(round(float(r[3].replace(",", "")) * 100) for r in section.rows)
    return section, people, paid


def test_a_member_moved_to_the_reporting_register_is_counted_nowhere(db, town):  # noqa: F811
    for who in ("zhang", "li", "wu"):
        dues.set_base(db, town[who], date(YEAR, 1, 1), EMPLOYED, 450_000)  # 1% → 45.00 a month
        dues.record_payment(db, town[who], [date(YEAR, 1, 1), date(YEAR, 2, 1)], date(YEAR, 2, 10), "赵书记")
    roster.delete(db, town["wu"], today=TODAY)  # a deleted member's records stay, off the 党费 page
    # Found to be a 在职党员 whose 组织关系 stays with the employer: the payments stay on record.
    with db.session() as s:
        s.execute(update(Member).where(Member.id == town["li"]).values(reporting_employer="区人民医院"))
        s.commit()
    before = overview.dashboard(db, YEAR, today=TODAY).values()["dues_paid_fen"]
    assert before == 18_000
    cobuilding.move_from_roster(db, town["li"], today=TODAY)

    people, paid = page_counts(db, YEAR)
    assert people == {town["zhang"]} and paid == 9_000
    assert overview.dashboard(db, YEAR, today=TODAY).values()["dues_paid_fen"] == 9_000
    section, n, folder_paid = folder_counts(db, YEAR)
    assert (n, folder_paid) == (1, 9_000)
    assert [r[0] for r in section.rows] == ["第一网格党支部"]  # li's 第二网格党支部 paid nothing now
    assert "90.00 元" in section.summary and "180.00" not in section.summary


def test_the_three_agree_on_the_demo(empty_db):
    from sqlalchemy import func, select

    from desktop_app.services import demo
    from desktop_app.store.models_cobuilding import registered_member_ids
    from desktop_app.store.models_ledger import DuesRecord

    db = empty_db
    demo.generate(db, members=120, seed=1)
    year = date.today().year  # the demo is dated relative to today
    with db.session() as s:
        moved = s.scalar(select(func.count()).select_from(registered_member_ids().subquery()))
        kept_dues = s.scalar(select(func.count()).select_from(DuesRecord).where(
            DuesRecord.member_id.in_(registered_member_ids())))
    assert moved  # the demo moves members into the register
    assert kept_dues == 0  # their dues are paid at their employer: the demo keeps none
    people, paid = page_counts(db, year)
    section, n, folder_paid = folder_counts(db, year)
    assert (n, folder_paid) == (len(people), paid) and paid > 0
    # 概览 counts by the day paid, as the folder's note says; both leave the register's members out.
    shown = overview.dashboard(db, year).values()["dues_paid_fen"]
    with db.session() as s:
        by_day = s.scalar(select(func.coalesce(func.sum(DuesRecord.paid_fen), 0)).where(
            DuesRecord.deleted.is_(False), DuesRecord.paid_on.between(date(year, 1, 1), date.today()),
            dues.counted(DuesRecord.member_id)))
    assert shown == by_day
    if shown != paid:
        assert f"{shown / 100:,.2f} 元" in section.summary
