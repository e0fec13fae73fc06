"""Demo data on real SQLite files: valid people, a sound org tree, reproducible by seed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain import idcard, pinyin
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import demo
from desktop_app.services.site import get_site
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Household, Member, Organization, Resident, Site


@pytest.fixture
def open_db(tmp_path):
    """Factory for more migrated, empty databases in this test's folder."""
    opened = []

    def _open(name: str):
        db, _ = open_database(tmp_path / name)
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.dispose()


@pytest.fixture
def demo_db(empty_db):
    summary = demo.generate(empty_db, members=300, seed=1)
    return empty_db, summary


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _people(db) -> list[tuple[str, str]]:
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(Member.name, Member.id_number).order_by(Member.seq))]


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February -> 1 March, as the roster counts it
        return date(d.year + years, 3, 1)


def test_counts_match_the_request(demo_db):
    db, summary = demo_db
    households, residents = demo.planned_counts(300)
    assert (summary.members, summary.households, summary.residents) == (300, households, residents)
    assert (households, residents) == (240, 450)
    assert _count(db, Member) == 300
    assert _count(db, Household) == households
    assert _count(db, Resident) == residents
    with db.session() as s:
        kinds = dict(s.execute(select(Organization.kind, func.count()).group_by(Organization.kind)).all())
        seqs = list(s.scalars(select(Member.seq).order_by(Member.seq)))
    assert kinds == {"street": 1, "community": 1, "branch": summary.branches, "group": summary.groups}
    assert 5 <= summary.branches <= 9  # 4-8 grid branches plus the retired members' branch
    assert 2 * summary.branches <= summary.groups <= 3 * summary.branches
    assert seqs == list(range(1, 301))
    site = get_site(db)
    assert site is not None
    assert (site.org_code, site.org_name, site.level) == (summary.org_code, summary.org_name, "community")


def test_member_ids_are_valid_and_agree_with_the_other_fields(demo_db):
    db, _ = demo_db
    with db.session() as s:
        members = list(s.scalars(select(Member)))
        residents = list(s.scalars(select(Resident).where(Resident.id_number != "")))
    numbers = [m.id_number for m in members] + [r.id_number for r in residents]
    assert len(set(numbers)) == len(numbers), "ID numbers must be unique"
    site = get_site(db)
    for m in members:
        info = idcard.parse(m.id_number)
        assert (info.birth_date, info.gender) == (m.birth_date, m.gender), m.name
        assert m.id_number[:6] == site.org_code[:6]  # born in the demo district
        assert date(1935, 1, 1) <= m.birth_date <= date(2004, 12, 31)
        assert (m.name_pinyin, m.name_initials) == pinyin.keys(m.name)
    assert len(residents) > 0.4 * _count(db, Resident)
    for r in residents:
        info = idcard.parse(r.id_number)
        assert (info.birth_date, info.gender) == (r.birth_date, r.gender), r.name


def test_party_dates_and_statuses_are_plausible(demo_db):
    db, _ = demo_db
    today = date.today()
    with db.session() as s:
        members = list(s.scalars(select(Member)))
    probationary = [m for m in members if m.category == "预备党员"]
    assert 5 <= len(probationary) <= 30
    for m in members:
        assert m.joined_date >= _add_years(m.birth_date, 18), m.name
        assert m.joined_date <= today
        assert len(m.mobile) in (0, 11) and (not m.mobile or m.mobile[:2] in ("13", "15", "17", "18", "19"))
        if m.category == "正式党员":
            assert m.confirmed_date == _add_years(m.joined_date, 1)
            assert m.confirmed_date <= today
        else:
            assert m.category == "预备党员"
            assert m.confirmed_date is None
            assert today - timedelta(days=366) <= m.joined_date
        assert m.is_floating == (m.status == "流动")
        assert m.is_lost == (m.status == "失联")
        assert bool(m.floating_to) == m.is_floating
        assert (m.lost_date is not None) == m.is_lost
        if m.reporting_employer:
            assert m.reporting_post and m.reporting_date and m.reporting_date <= today
    statuses = {m.status for m in members}
    assert "正常" in statuses and statuses <= {"正常", "流动", "失联", "去世", "转出", "除名"}
    assert sum(m.status == "正常" for m in members) > 0.85 * len(members)
    reporting = sum(bool(m.reporting_employer) for m in members)
    assert 0.10 * len(members) <= reporting <= 0.20 * len(members)


def test_sync_columns_are_filled(demo_db):
    db, _ = demo_db
    site_id = get_site(db).id
    with db.session() as s:
        for model in (Organization, Member, Household, Resident):
            rows = s.execute(select(model.id, model.version, model.deleted, model.updated_by_site, model.created_at)).all()
            assert len({r.id for r in rows}) == len(rows)
            assert all(len(r.id) == 36 and r.version == 1 and r.deleted is False for r in rows), model
            assert all(r.updated_by_site == site_id and r.created_at is not None for r in rows), model


def test_orgs_form_a_tree_and_people_sit_in_branches(demo_db):
    db, summary = demo_db
    with db.session() as s:
        orgs = {o.id: o for o in s.scalars(select(Organization))}
        members = list(s.scalars(select(Member)))
        households = {h.id: h for h in s.scalars(select(Household))}
        residents = list(s.scalars(select(Resident)))
    by_kind: dict[str, list[Organization]] = {}
    for o in orgs.values():
        by_kind.setdefault(o.kind, []).append(o)
    (street,) = by_kind["street"]
    (community,) = by_kind["community"]
    assert street.parent_id is None and community.parent_id == street.id
    assert community.code == summary.org_code and community.name == summary.org_name
    assert street.name == summary.street_name
    branches = by_kind["branch"]
    assert all(b.parent_id == community.id for b in branches)
    assert all(b.code.startswith(community.code) and len(b.code) == len(community.code) + 2 for b in branches)
    assert all(orgs[g.parent_id].kind == "branch" for g in by_kind["group"])
    assert all(g.code.startswith(orgs[g.parent_id].code) for g in by_kind["group"])
    assert len({o.code for o in orgs.values()}) == len(orgs)
    grids = {b.id for b in branches if "网格" in b.name}
    assert 4 <= len(grids) <= 8
    assert any(b.name == "退休党员党支部" for b in branches)

    branch_ids = {b.id for b in branches}
    group_ids = {g.id for g in by_kind["group"]}
    assert {m.org_id for m in members} <= branch_ids | group_ids
    assert {m.org_id for m in members} & grids
    assert {m.org_id for m in members} >= group_ids  # every 党小组 has members
    assert all(h.grid_id in grids for h in households.values())
    flats = {(h.building, h.unit, h.room) for h in households.values()}
    assert len(flats) == len(households)
    for r in residents:
        assert r.household_id in households
        assert r.grid_id == households[r.household_id].grid_id
        assert all(t in ("独居老人", "空巢老人", "高龄老人", "困难群众", "低保户", "残疾人", "退役军人")
                   for t in filter(None, r.tags.split(",")))
    assert sum(r.tags.count(",") == 0 for r in residents) > 0.9 * len(residents)  # mostly 0-1 tags
    assert any(r.tags for r in residents)


def test_same_seed_gives_the_same_community(open_db):
    a, b = open_db("a.db"), open_db("b.db")
    sa = demo.generate(a, members=120, seed=7)
    sb = demo.generate(b, members=120, seed=7)
    assert sa == sb
    assert _people(a) == _people(b)
    with a.session() as s1, b.session() as s2:
        for q in (
            select(Organization.code, Organization.name, Organization.kind).order_by(Organization.code),
            select(Resident.name, Resident.id_number, Resident.tags).order_by(Resident.name, Resident.id_number),
            select(Household.building, Household.unit, Household.room).order_by(Household.address),
        ):
            assert s1.execute(q).all() == s2.execute(q).all()


def test_different_seeds_give_different_communities(open_db):
    a, b = open_db("a.db"), open_db("b.db")
    sa = demo.generate(a, members=120, seed=1)
    sb = demo.generate(b, members=120, seed=2)
    assert sa.org_name != sb.org_name
    assert sa.org_code != sb.org_code
    people_a, people_b = _people(a), _people(b)
    assert people_a != people_b
    assert len(set(people_a) & set(people_b)) < 5


def test_refuses_a_database_that_has_a_site(db):
    before = {m: _count(db, m) for m in (Site, Organization, Member, Household, Resident)}
    with pytest.raises(Conflict, match="已有数据"):
        demo.generate(db, members=50, seed=3)
    assert {m: _count(db, m) for m in before} == before


def test_second_run_on_the_same_database_is_refused(demo_db):
    db, _ = demo_db
    before = [_count(db, m) for m in (Organization, Member, Household, Resident)]
    with pytest.raises(Conflict):
        demo.generate(db, members=300, seed=2)
    assert [_count(db, m) for m in (Organization, Member, Household, Resident)] == before


@pytest.mark.parametrize("members", [0, -5, demo.MAX_MEMBERS + 1])
def test_rejects_an_unreasonable_member_count(empty_db, members):
    with pytest.raises(ValidationError):
        demo.generate(empty_db, members=members)
    assert _count(empty_db, Site) == 0


def test_progress_runs_from_zero_to_total(empty_db):
    calls: list[tuple[int, int]] = []
    demo.generate(empty_db, members=400, seed=4, progress=lambda done, total: calls.append((done, total)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] > 0
    assert len({total for _, total in calls}) == 1
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) > 3


@pytest.mark.slow
def test_three_thousand_members(empty_db):
    summary = demo.generate(empty_db, members=3000, seed=11)
    assert summary.members == _count(empty_db, Member) == 3000
    assert summary.residents == _count(empty_db, Resident) == 4500
    assert summary.households == _count(empty_db, Household) == 2400
    with empty_db.session() as s:
        numbers = list(s.scalars(select(Member.id_number)))
    assert len(set(numbers)) == 3000
    assert all(idcard.is_valid(n) for n in numbers)


def test_a_failure_midway_leaves_the_database_empty(empty_db, monkeypatch):
    from desktop_app.demo import bulk
    from desktop_app.services import demo as demo_module
    from desktop_app.services import site as site_service

    real_insert = bulk.insert

    def failing_insert(table):
        if table.name == "resident":
            raise OSError("disk full")
        return real_insert(table)

    monkeypatch.setattr(bulk, "insert", failing_insert)
    with pytest.raises(OSError):
        demo_module.generate(empty_db, members=50, seed=3)
    assert site_service.get_site(empty_db) is None
    # not monkeypatch.undo(): that would also drop the test's own data folder, and the photos go there
    monkeypatch.setattr(bulk, "insert", real_insert)
    summary = demo_module.generate(empty_db, members=50, seed=3)  # and it can be retried
    assert summary.members == 50
