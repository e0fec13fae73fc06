"""Demo data, the use case: fill an empty database with one made-up community and a past year of work.

The generators live in desktop_app/demo (plan in memory from one seed, write
through the session they are handed); this module checks the permission, opens
one unit of work per part, sets up the site (in the same transaction as the
community: a failure leaves the database as empty as it was) and the ledger's
accounts and dues table, and records the fill in the audit trail.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from desktop_app.demo import community
from desktop_app.demo import ledger as ledger_demo
from desktop_app.demo import meetings as meetings_demo
from desktop_app.demo import service as service_demo
from desktop_app.demo.community import MAX_MEMBERS, Progress, planned_counts
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.records import copied, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.db import Database
from desktop_app.views.demo import DemoSummary

__all__ = ["MAX_MEMBERS", "DemoSummary", "Progress", "planned_counts", "generate",
           "add_meetings", "add_service_work", "add_ledger", "add_assessment", "add_cobuilding", "add_development", "add_member_life",
           "add_photos"]

PHOTOS_UP_TO = 300  # members: the demo's own size gets photos, not the thousands the benchmarks fill


def generate(
    db: Database,
    members: int = 300,
    seed: int = 1,
    progress: Progress | None = None,
    with_modules: bool = True,
) -> DemoSummary:
    """Fill an empty database with one made-up community; same seed, same community.

    with_modules adds a past year of meetings, resident service work, funds and
    dues (and, up to PHOTOS_UP_TO members, a few photos); without it only the
    organisation, members and residents are made.
    """
    auth.require(db, "members.import")  # a bulk fill of every table, like an import
    if not 1 <= members <= MAX_MEMBERS:
        raise ValidationError("党员人数", f"应在 1 到 {MAX_MEMBERS} 之间")
    with db.session() as s:
        community.ensure_empty(s)
    plan, steps = community.plan_community(seed, members, date.today(), progress)
    with UnitOfWork(db) as uow:
        site = site_service.create_in(uow, plan.org_code, plan.org_name, "community", street_name=plan.street_name)
        community.write(uow.session, plan, site.id, steps.advance)
        # Core inserts pass no ORM listener: one trail entry for the whole fill.
        audit.record(uow.session, "demo", "", "", f"生成演示数据（党员 {len(plan.members)} 名）")
        uow.commit()
    db.site_id = site.id
    if with_modules:
        # A realistic past year for every module, on top of the community just written.
        add_member_life(db, seed)  # first: the meetings follow the 党小组 members sit in
        add_meetings(db, seed)
        add_service_work(db, seed)
        add_ledger(db, seed)
        add_assessment(db, seed)
        add_cobuilding(db, seed)
        add_development(db, seed)
        if members <= PHOTOS_UP_TO:
            add_photos(db, seed)
    steps.finish()
    return DemoSummary(
        org_code=plan.org_code,
        org_name=plan.org_name,
        street_name=plan.street_name,
        branches=len(plan.branches),
        groups=len(plan.groups),
        members=len(plan.members),
        households=len(plan.households),
        residents=len(plan.residents),
    )


def _fill(uow: UnitOfWork, fill, seed: int, today: date | None) -> dict[str, int]:
    """Run one demo generator in the caller's unit of work; the counts of what it added."""
    return fill(uow.session, uow.site_id, seed, today or date.today())


@writes("members.import")
def add_meetings(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """A year of 三会一课 for the demo community; counts of what was added."""
    return _fill(uow, meetings_demo.fill, seed, today)


@writes("members.import")
def add_service_work(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """A year of visits, wishes, 微实事 projects and mediation for the demo community; counts."""
    return _fill(uow, service_demo.fill, seed, today)


@writes("members.import")
def add_ledger(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """The funds' books and members' dues for the demo community, last year and this; counts."""
    from desktop_app.services import dues as dues_service
    from desktop_app.services import ledger as ledger_service
    from desktop_app.services.ledger import month_balances

    s = uow.session
    book = ledger_service.book_org_id(s)
    ledger_demo.check_empty(s)
    ledger_service.ensure_accounts_in(s, book)
    dues_service.seed_rate_rules_in(s)
    table = dues_service.rate_rules_in(s)
    counts = ledger_demo.fill(
        s, uow.site_id, seed, today or date.today(), book=book,
        dues_account_id=ledger_service.dues_account_id(s, book), rate_table=table,
        due_of=dues_service.DuesCalculator(table),
    )
    # The closed months' balances, as close_month keeps them: the demo's yearly figures read these rows.
    month_balances.build_closed_in(s, book, ledger_service.closed_set_in(s, book))
    return counts


@writes("members.import")
def add_assessment(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """五好党支部 schemes for last year and this, with manual scores and titles; counts."""
    from desktop_app.demo import assessment as assessment_demo

    return _fill(uow, assessment_demo.fill, seed, today)


@writes("members.import")
def add_development(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """发展党员: applicants at every stage with their steps, and a few 应到 exemptions; counts."""
    from desktop_app.demo import development as development_demo

    return _fill(uow, development_demo.fill, seed, today)


@writes("members.import")
def add_cobuilding(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """共驻共建: partner units filled in, a year of activities and the 双报到 register; counts."""
    from desktop_app.demo import cobuilding as cobuilding_demo

    return _fill(uow, cobuilding_demo.fill, seed, today)


@writes("members.import")
def add_member_life(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """Members in 党小组, dated status history, transfers both ways, exits, discipline, 流动, 失联; counts."""
    from desktop_app.demo import memberlife as memberlife_demo

    return _fill(uow, memberlife_demo.fill, seed, today)


@writes("members.import")
def add_photos(uow: UnitOfWork, seed: int, today: date | None = None) -> dict[str, int]:
    """Two or three drawn pictures each for a few of the year's 共建活动 and one fulfilled 微心愿, kept as the
    program keeps every photo (copied into the data folder, hashed); counts. A failure keeps no file."""
    from desktop_app.demo import photos as photos_demo
    from desktop_app.store.models_cobuilding import ActivityPhoto
    from desktop_app.store.models_service import WishPhoto

    planned = photos_demo.plan(uow.session, seed, today or date.today())
    counts = {"activities": sum(p.kind == "activity" for p in planned), "wishes": sum(p.kind == "wish" for p in planned),
              "photos": sum(len(p.files) for p in planned)}
    if not planned:
        return counts
    with tempfile.TemporaryDirectory(prefix="dangqun-demo-") as tmp, ExitStack() as kept:
        for n, p in enumerate(planned):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            sources = []
            for name, data in p.files:
                sources.append(folder / name)
                sources[-1].write_bytes(data)
            for file in kept.enter_context(copied(sources, p.folder)):  # every copy goes if anything fails
                uow.session.add(ActivityPhoto(activity_id=p.owner_id, **file) if p.kind == "activity"
                                else WishPhoto(wish_id=p.owner_id, **file))
        audit.record(uow.session, "demo", "", "", f"生成演示照片（共建活动 {counts['activities']} 次、"
                                                  f"微心愿 {counts['wishes']} 个，共 {counts['photos']} 张）")
        uow.commit()  # inside the copies' block: a failed commit takes them away
    return counts
