import pytest
from sqlalchemy import text

from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.services import orgs, site
from desktop_app.services.overview import overview


def community(db):
    return next(n for n in orgs.list_tree(db) if n.kind == "community")


def test_site_init_creates_the_root_of_the_tree(db):
    info = site.get_site(db)
    assert info.org_name == "幸福里社区党委" and info.level == "community"
    tree = orgs.list_tree(db)
    assert [n.kind for n in tree] == ["street", "community"]
    assert tree[1].parent_id == tree[0].id


def test_site_can_be_set_once_only(db):
    with pytest.raises(Conflict):
        site.init_site(db, "999", "别的社区", "community")
    assert site.get_site(db).org_code == "320102001"


def test_create_nested_orgs_in_order(db):
    c = community(db)
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    g = orgs.create(db, "第一党小组", "G01", "group", b1.id)
    tree = orgs.list_tree(db)
    assert [n.name for n in tree][2:] == ["第一网格党支部", "第一党小组", "第二网格党支部"]
    assert g.parent_id == b1.id and b2.sort_order == 2


def test_create_validates_and_names_the_field(db):
    c = community(db)
    orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    with pytest.raises(ValidationError) as err:
        orgs.create(db, "重复代码支部", "B01", "branch", c.id)
    assert err.value.field == "组织代码"
    with pytest.raises(ValidationError) as err:
        orgs.create(db, "党小组直接挂社区", "G9", "group", c.id)
    assert err.value.field == "类型"
    with pytest.raises(ValidationError) as err:
        orgs.create(db, "", "B9", "branch", c.id)
    assert err.value.field == "名称"
    assert len(orgs.list_tree(db)) == 3  # nothing half-written


def test_rename_and_change_code(db):
    b = orgs.create(db, "第一支部", "B01", "branch", community(db).id)
    renamed = orgs.rename(db, b.id, "第一网格党支部", "B001")
    assert (renamed.name, renamed.code) == ("第一网格党支部", "B001")


def test_move_checks_kinds_and_cycles(db):
    c = community(db)
    b1 = orgs.create(db, "一支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "二支部", "B02", "branch", c.id)
    g = orgs.create(db, "党小组", "G01", "group", b1.id)
    moved = orgs.move(db, g.id, b2.id)
    assert moved.parent_id == b2.id
    with pytest.raises(ValidationError):
        orgs.move(db, b1.id, g.id)  # a branch cannot sit under a group
    with pytest.raises(ValidationError, match="自己"):
        orgs.move(db, c.id, b1.id)  # nor the community under its own branch
    # reorder siblings: put 二支部 first
    orgs.move(db, b2.id, c.id, position=0)
    names = [n.name for n in orgs.list_tree(db) if n.parent_id == c.id]
    assert names == ["二支部", "一支部"]


def test_delete_only_when_empty_leaves_a_tombstone(db, tmp_path):
    c = community(db)
    b = orgs.create(db, "一支部", "B01", "branch", c.id)
    g = orgs.create(db, "党小组", "G01", "group", b.id)
    with pytest.raises(Conflict, match="下级组织"):
        orgs.delete(db, b.id)
    orgs.delete(db, g.id)
    orgs.delete(db, b.id)
    assert [n.kind for n in orgs.list_tree(db)] == ["street", "community"]
    with db.engine.connect() as con:  # as stored, past the services (file or server)
        raw = con.execute(text("SELECT deleted FROM organization WHERE id = :id"), {"id": b.id}).scalar()
    assert raw == 1  # 1 in SQLite, true in PostgreSQL
    with pytest.raises(NotFound):
        orgs.rename(db, b.id, "复活")
    # the code of a deleted org is free again
    orgs.create(db, "新一支部", "B01", "branch", c.id)


def test_sync_columns_are_kept_on_every_write(db):
    b = orgs.create(db, "一支部", "B01", "branch", community(db).id)
    def stored(columns: str):  # as stored, past the services (file or server)
        with db.engine.connect() as con:
            return con.execute(text(f"SELECT {columns} FROM organization WHERE id = :id"), {"id": b.id}).one()

    row = stored("version, updated_by_site, created_at, updated_at")
    assert row[0] == 1 and row[1] == site.get_site(db).id
    orgs.rename(db, b.id, "一支部（改）")
    row2 = stored("version, created_at, updated_at")
    assert row2[0] == 2 and row2[1] == row[2] and row2[2] >= row[3]


def test_overview_counts_live_rows(db):
    c = community(db)
    b = orgs.create(db, "一支部", "B01", "branch", c.id)
    orgs.create(db, "党小组", "G01", "group", b.id)
    ov = overview(db)
    assert ov.orgs_by_kind == {"street": 1, "community": 1, "branch": 1, "group": 1}
    assert ov.members == 0


@pytest.mark.sqlite_only  # the SQLite file's own pragmas
def test_sqlite_is_opened_with_wal_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
