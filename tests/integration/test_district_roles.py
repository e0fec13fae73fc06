"""Roles at the district: a street's operator sees and changes only that street; the district's administrator all.

One database (a SQLite file, or the PostgreSQL cluster under DANGQUN_TEST_PG_URL)
holds two streets, each with a community, a branch and members. The operator of
street A is an account confined to A's subtree (app_user.org_id); every attempt
on street B - reading, searching, exporting, importing, assessing, writing - must
fail or come back empty, through the services the window and the command line call.
"""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.services import assessment as asm
from desktop_app.services import auth, meetings, orgs, roster, site
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import scope
from desktop_app.store.models import Member
from desktop_app.store.models_cobuilding import PartnerUnit
from desktop_app.views.meetings import MeetingInput
from desktop_app.views.roster import MemberFilter

PASSWORD = "street-pass-1"
YEAR = date.today().year
KIND = "支部党员大会"


def _member(db, name: str, n: int, org_id: str):
    return roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", date(1970, 1, 1), n, idcard.MALE),
        joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1), mobile="13955501234"))


@pytest.fixture
def district(empty_db):
    db = empty_db
    site.init_site(db, "320102", "玄武区委测试", "street")  # the district's own database
    root = orgs.list_tree(db)[0]
    world = {"root": root.id}
    for key, code, name in (("a", "320102100", "梅园街道党工委"), ("b", "320102200", "新街口街道党工委")):
        street = orgs.create(db, name, code, "street", None)
        community = orgs.create(db, name[:3] + "社区党委", code + "001", "community", street.id)
        branch = orgs.create(db, name[:3] + "第一党支部", code + "001001", "branch", community.id)
        world[key] = street.id
        world[key + "_community"] = community.id
        world[key + "_branch"] = branch.id
    world["a_member"] = _member(db, "张梅园", 1, world["a_branch"]).id
    world["b_member"] = _member(db, "李新街", 2, world["b_branch"]).id
    asm.load_sample(db, YEAR)
    auth.create_first_admin(db, "admin", "区管理员", "district-pass-1")
    auth.create_user(db, "meiyuan", "梅园操作员", "secretary", PASSWORD, org_id=world["a"],
                     must_change_password=False)
    return db, world


def _as_street_a(db) -> None:
    auth.login(db, "meiyuan", PASSWORD)


def test_the_street_operator_reads_only_their_street(district):
    db, w = district
    _as_street_a(db)
    assert {n.id for n in orgs.list_tree(db)} == {w["a"], w["a_community"], w["a_branch"]}
    assert roster.search_ids(db, MemberFilter()) == [w["a_member"]]
    assert roster.search_ids(db, MemberFilter(text="李")) == []
    assert [r.id for r in roster.rows(db, [w["a_member"], w["b_member"]])] == [w["a_member"]]
    assert roster.stats(db).total == 1
    assert roster.get(db, w["a_member"]).name == "张梅园"
    with pytest.raises(DomainError):
        roster.get(db, w["b_member"])
    with pytest.raises(DomainError):
        orgs.get(db, w["b_branch"])


def test_a_search_cached_for_the_district_is_not_shown_to_the_street(district):
    db, w = district
    assert len(roster.search_ids(db, MemberFilter())) == 2  # the administrator first: lists cached
    _as_street_a(db)
    assert roster.search_ids(db, MemberFilter()) == [w["a_member"]]


def test_the_street_operator_exports_only_their_street(district, tmp_path):
    db, w = district
    _as_street_a(db)
    out = tmp_path / "roster.xlsx"
    roster.export_members(db, out)
    names = {c.value for row in load_workbook(out).active.iter_rows() for c in row}
    assert "张梅园" in names and "李新街" not in names


def test_the_street_operator_cannot_write_into_another_street(district):
    db, w = district
    _as_street_a(db)
    with pytest.raises(DomainError):
        _member(db, "王越界", 3, w["b_branch"])
    with pytest.raises(DomainError):
        orgs.create(db, "越界支部", "320102200001002", "branch", w["b_community"])
    with pytest.raises(DomainError):  # a member moved out of the street
        roster.update(db, w["a_member"], MemberInput(
            name="张梅园", org_id=w["b_branch"], id_number=idcard.make("320102", date(1970, 1, 1), 1, idcard.MALE),
            joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)))
    with UnitOfWork(db) as uow:  # even a bulk statement written past the services changes nothing there
        uow.session.execute(update(Member).values(name="改名").where(Member.id == w["b_member"]))
        uow.commit()
    auth.logout(db)
    auth.login(db, "admin", "district-pass-1")
    assert roster.get(db, w["b_member"]).name == "李新街"
    assert len(roster.search_ids(db, MemberFilter())) == 2


def test_the_street_operator_cannot_import_into_another_street(district):
    db, w = district
    _as_street_a(db)
    rows = [MemberInput(name="赵导入", org_id=w["b_branch"], id_number=idcard.make("320102", date(1980, 1, 1), 7,
                                                                                   idcard.MALE),
                        joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1))]
    with pytest.raises(DomainError):
        roster.import_members(db, rows, update_existing=False, create_branches=[], parent_org_id=None)
    with pytest.raises(DomainError):  # nor create branches there
        roster.import_members(db, [], update_existing=False, create_branches=["越界支部"],
                              parent_org_id=w["b_community"])
    ok = roster.import_members(db, [MemberInput(name="赵导入", org_id=w["a_branch"], id_number=rows[0].id_number,
                                                joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1))],
                               update_existing=False, create_branches=[], parent_org_id=None)
    assert ok.added == 1
    assert len(roster.search_ids(db, MemberFilter())) == 2


def test_the_street_operator_assesses_only_their_street(district):
    db, w = district
    _as_street_a(db)
    year = asm.assess_year(db, YEAR)
    assert {r.branch_id for r in year.rows} == {w["a_branch"]}
    with pytest.raises(DomainError):
        asm.branch_assessment(db, YEAR, w["b_branch"])
    manual = next(n for n in asm.scheme(db, YEAR).nodes if n.level == "indicator" and n.rule == "manual")
    with pytest.raises(DomainError):
        asm.set_score(db, w["b_branch"], YEAR, manual.id, 0)
    asm.set_score(db, w["a_branch"], YEAR, manual.id, 0)
    names = {c.name for c in asm.compare_communities(db, YEAR).rows}
    assert names == {"梅园街社区党委"}


def test_the_street_operator_sees_only_their_meetings(district):
    db, w = district
    for key in ("a_branch", "b_branch"):
        meetings.plan(db, MeetingInput(org_id=w[key], kind=KIND, title="一季度", meeting_date=date(YEAR, 3, 1)))
    _as_street_a(db)
    listed = meetings.list_meetings(db)
    assert {m.org_id for m in listed} == {w["a_branch"]}


def _brought(db, peer: str, org_id: str, table: str, row_ids: list[str]) -> None:
    """As a merge records it: `peer` (a community whose root is `org_id`) brought these rows here first."""
    from desktop_app.store.models_sync import SyncPeer, SyncRowState

    with UnitOfWork(db) as uow:
        if uow.session.get(SyncPeer, peer) is None:
            uow.session.add(SyncPeer(site_id=peer, org_id=org_id, org_code=peer, org_name=peer))
        for row_id in row_ids:
            uow.session.add(SyncRowState(peer_site=peer, table_name=table, row_id=row_id, version=1, site=peer,
                                         introduced=True))
        uow.commit()


def test_co_building_rows_are_their_bringing_communitys(district):
    """共驻共建 rows with no organisation: the street sees its communities' (as packages brought them);
    rows nobody brought (made in the district's database) only the unconfined administrator sees and makes."""
    from desktop_app.domain.cobuilding import ActivityInput, UnitInput
    from desktop_app.services import cobuilding as cb

    db, w = district
    day = date(YEAR, 1, 5)
    units = {key: cb.save_unit(db, None, UnitInput(name=name, kind="医院"), day).id
             for key, name in (("a", "梅园医院"), ("b", "新街口医院"), ("own", "区直机关工委"))}
    acts = {key: cb.record_activity(db, ActivityInput(
        activity_date=day, kind="义诊", title=f"{key}义诊", org_ids=[w[key + "_branch"]], unit_ids=[units[key]]),
        day).id for key in ("a", "b")}
    _brought(db, "peer-a", w["a_community"], "partner_unit", [units["a"]])
    _brought(db, "peer-a", w["a_community"], "cobuild_activity", [acts["a"]])
    _brought(db, "peer-b", w["b_community"], "partner_unit", [units["b"]])
    _brought(db, "peer-b", w["b_community"], "cobuild_activity", [acts["b"]])
    assert len(cb.list_units(db, year=YEAR)) == 3  # the administrator: all

    _as_street_a(db)
    assert [u.name for u in cb.list_units(db, year=YEAR)] == ["梅园医院"]
    assert [a.title for a in cb.list_activities(db, YEAR)] == ["a义诊"]
    assert cb.unit_year(db, units["a"], YEAR).activities
    for other in (units["b"], units["own"]):
        with pytest.raises(DomainError):
            cb.unit_year(db, other, YEAR)
    cb.save_unit(db, units["a"], UnitInput(name="梅园医院", kind="医院", phone="025-1234"), day)  # its own: yes
    with pytest.raises(DomainError):  # another street's unit
        cb.save_unit(db, units["b"], UnitInput(name="新街口医院", kind="学校"), day)
    with pytest.raises(DomainError):  # a unit of nobody's subtree: the district's to make
        cb.save_unit(db, None, UnitInput(name="越界单位", kind="医院"), day)
    with UnitOfWork(db) as uow:  # a bulk statement past the services reaches only the street's own units
        uow.session.execute(update(PartnerUnit).values(notes="改过"))
        uow.commit()

    auth.logout(db)
    auth.login(db, "admin", "district-pass-1")
    with db.session() as s:
        notes = dict(s.execute(select(PartnerUnit.name, PartnerUnit.notes)).all())
    assert notes == {"梅园医院": "改过", "新街口医院": "", "区直机关工委": ""}


def test_whole_database_work_is_the_districts(district):
    db, w = district
    _as_street_a(db)
    for permission in ("users.manage", "audit.read", "backup.restore", "settings.write", "sync.export"):
        assert not auth.can(db, permission)
    with pytest.raises(auth.PermissionDenied):
        auth.list_users(db)
    with pytest.raises(auth.PermissionDenied):
        auth.create_user(db, "x2", "越权", "admin", PASSWORD)


def test_the_district_administrator_sees_everything(district):
    db, w = district
    assert auth.current_actor(db).org_id == ""
    assert len(orgs.list_tree(db)) == 7
    assert len(roster.search_ids(db, MemberFilter())) == 2
    assert {r.branch_id for r in asm.assess_year(db, YEAR).rows} == {w["a_branch"], w["b_branch"]}
    info = next(u for u in auth.list_users(db) if u.login == "meiyuan")
    assert info.org_id == w["a"] and info.org_name == "梅园街道党工委"


def test_an_account_is_confined_to_a_street_or_community_only(district):
    db, w = district
    with pytest.raises(DomainError):
        auth.create_user(db, "x3", "某人", "secretary", PASSWORD, org_id=w["a_branch"])
    with pytest.raises(DomainError):
        auth.create_user(db, "x4", "某人", "secretary", PASSWORD, org_id="no-such-org")
    admin = next(u for u in auth.list_users(db) if u.login == "admin")
    with pytest.raises(DomainError):  # the last administrator of the whole database stays so
        auth.update_user(db, admin.id, "区管理员", "admin", org_id=w["a"])


def test_confinement_follows_the_ownership_sync_declares():
    from desktop_app.sync.ownership import OWNER_COLUMN, PARENT

    rules = scope.rules()
    for table, column in OWNER_COLUMN.items():
        assert rules[table].parent is None and rules[table].column == column, table
    for table, (column, parent) in PARENT.items():
        assert table in rules, table  # reached through a parent (by sync's choice or another) or its own column


def test_a_database_without_accounts_asks_once_per_while(empty_db):
    from sqlalchemy import event

    db = empty_db
    site.init_site(db, "320102001", "幸福里社区党委", "community")
    reads = []

    def count(conn, clause, *_):
        if "app_user" in str(clause):
            reads.append(1)

    event.listen(db.engine, "before_execute", count)
    for _ in range(20):
        auth.require(db, "members.read")
    assert len(reads) <= 1
    auth.create_first_admin(db, "admin", "管理员", "password-1x")
    auth.logout(db)
    with pytest.raises(auth.PermissionDenied):  # the new account is seen at once, not after the while
        auth.require(db, "members.read")



def test_the_command_line_adds_a_street_operator(district, monkeypatch, capsys):
    from desktop_app.cli import main

    db, w = district
    target = str(db.path) if db.path else db.url  # the file, or the server database under a PostgreSQL run
    monkeypatch.setenv("DANGQUN_NEW_PASSWORD", PASSWORD)
    assert main(["user", "add", "xinjiekou", "--name", "新街口操作员", "--org", "320102200", "--db", target]) == 0
    assert main(["user", "list", "--db", target]) == 0
    assert "新街口操作员  书记/委员  正常  只管：新街口街道党工委" in capsys.readouterr().out
    assert main(["user", "add", "nowhere", "--org", "999", "--db", target]) != 0
    auth.logout(db)
    auth.login(db, "xinjiekou", PASSWORD)
    assert roster.search_ids(db, MemberFilter()) == [w["b_member"]]


@pytest.fixture(scope="module")
def sync_templates(tmp_path_factory):
    from tests.integration.sync_world import build_templates

    return build_templates(tmp_path_factory.mktemp("district-sync"), members=20, seeds=(41, 42))


def test_a_confined_operator_imports_only_packages_of_their_own_subtree(sync_templates, tmp_path):
    from desktop_app.services import sync
    from tests.integration.sync_world import World

    w = World.copy_from(sync_templates, tmp_path)
    try:
        first = sync.import_package(w.street, sync.export_package(w.c1, w.package("c1-a.dqsync"), full=True).path)
        assert first.new_community
        c1_root = next(n.id for n in orgs.list_tree(w.street) if n.kind == "community")
        auth.create_first_admin(w.street, "admin", "管理员", "district-pass-1")
        auth.create_user(w.street, "c1op", "一社区操作员", "secretary", PASSWORD, org_id=c1_root,
                         must_change_password=False)
        auth.logout(w.street)
        auth.login(w.street, "c1op", PASSWORD)
        other = sync.export_package(w.c2, w.package("c2-a.dqsync"), full=True).path
        with pytest.raises(DomainError, match="只管本单位"):
            sync.import_package(w.street, other)
        with w.street.engine.connect() as conn:
            assert {n.id for n in orgs.list_tree(w.street)} <= scope.scope_on(conn, c1_root).ids
        again = sync.import_package(w.street, sync.export_package(w.c1, w.package("c1-b.dqsync")).path)
        assert not again.already_imported
        auth.logout(w.street)
        auth.login(w.street, "admin", "district-pass-1")
        assert sync.import_package(w.street, other).new_community  # the district's administrator may
    finally:
        w.close()
