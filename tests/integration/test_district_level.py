"""A district's database says 区 of itself: `dangqun init --level district`, its 区委 at the head of the tree,
its streets under it, its own books named 区本级, and it takes a community's package as a street does.

Real database files with migrations (or the PostgreSQL cluster under DANGQUN_TEST_PG_URL), the command
line as `main` runs it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.domain import idcard
from desktop_app.domain.site import is_top, sync_role
from desktop_app.services import orgs, overview, roster, site, sync
from desktop_app.services.database import open_database
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncPeer

TODAY = date(2026, 12, 6)
DISTRICT = ("320102", "玄武区委")


def _target(db) -> str:
    return str(db.path) if db.path else db.url


def _district(db) -> None:
    site.init_site(db, *DISTRICT, "district")


def _tree(db) -> dict[str, tuple[str, str | None]]:
    """code -> (kind, parent's code)."""
    nodes = orgs.list_tree(db)
    by_id = {n.id: n.code for n in nodes}
    return {n.code: (n.kind, by_id.get(n.parent_id)) for n in nodes}


def test_the_level_predicate_puts_a_district_with_the_streets():
    assert is_top("street") and is_top("district") and not is_top("community")
    assert sync_role("district") == "street" == sync_role("street")  # the package format knows two roles
    assert sync_role("community") == "community"


def test_init_level_district_makes_a_district_committee_that_holds_the_streets(empty_db, capsys):
    t = _target(empty_db)
    assert main(["init", "--db", t, "--org-code", "320102", "--org-name", "玄武区委", "--level", "district"]) == 0
    assert "（320102，区）" in capsys.readouterr().out
    info = site.get_site(empty_db)
    assert (info.level, info.level_label, info.is_top) == ("district", "区", True)
    assert _tree(empty_db) == {"320102": ("district", None)}
    # 新增街道党工委 without a parent: under the 区委, as the page's button and the README's script make it
    assert main(["orgs", "add", "--db", t, "--name", "梅园街道党工委", "--code", "320102100", "--kind", "街道党工委"]) == 0
    assert "上级：玄武区委（320102）" in capsys.readouterr().out
    assert _tree(empty_db)["320102100"] == ("street", "320102")
    assert main(["orgs", "--db", t]) == 0  # the tree as `dangqun orgs` has always printed it
    assert capsys.readouterr().out.splitlines() == ["玄武区委  [区委 320102]  党员 0",
                                                    "  梅园街道党工委  [街道党工委 320102100]  党员 0"]


def test_a_street_database_keeps_its_streets_at_the_top(empty_db):
    site.init_site(empty_db, "320102", "梅园街道党工委", "street")
    orgs.create(empty_db, "新街口街道党工委", "320102200", "street", None)
    assert _tree(empty_db)["320102200"] == ("street", None)


def test_a_district_s_own_books_say_qu_not_street(empty_db, capsys):
    _district(empty_db)
    labels = [f.label for f in overview.dashboard(empty_db, 2026, today=TODAY).figures
              if f.key in ("spending_fen", "budget_fen", "income_fen")]
    assert labels == ["区本级经费支出（不含党费）", "区本级年度预算", "区本级经费收入（不含党费）"]
    sections = {s.title: s for s in overview.annual_folder(empty_db, 2026, today=TODAY).sections}
    assert sections["经费收支汇总"].summary.startswith("区本级账目（各社区经费在各社区的台账中）；")
    assert main(["stats", "--db", _target(empty_db)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "：收入" in line]
    assert lines and all(line.startswith(("经费（区本级） ", "党费（区本级，不计入经费）：")) for line in lines)
    assert not any("街道本级" in line for line in lines)


def test_orgs_move_to_the_top_and_back_under_the_district(empty_db, capsys):
    _district(empty_db)
    t = _target(empty_db)
    root = next(n for n in orgs.list_tree(empty_db) if n.kind == "district")
    mei = orgs.create(empty_db, "梅园街道党工委", "320102100", "street", None)
    xin = orgs.create(empty_db, "新街口街道党工委", "320102200", "street", None)
    c = orgs.create(empty_db, "梅园社区党委", "320102001", "community", xin.id)  # under the wrong street
    assert main(["orgs", "move", "320102001", "--to", "320102100", "--db", t]) == 0
    assert main(["orgs", "move", "320102200", "--top", "--db", t]) == 0
    assert "移到 组织树最上层" in capsys.readouterr().out
    assert _tree(empty_db)["320102200"] == ("street", None)
    assert main(["orgs", "move", "320102200", "--to", "玄武区委", "--db", t]) == 0
    assert _tree(empty_db)["320102200"] == ("street", "320102")
    before = _tree(empty_db)
    # the district's own 区委 stays the head of its tree; a street cannot go under its own community
    assert main(["orgs", "move", "320102", "--to", "320102100", "--db", t]) == 2
    assert "“玄武区委”是本库的最上级组织" in capsys.readouterr().err
    with pytest.raises(ValidationError, match="自己的下级组织"):
        orgs.move(empty_db, mei.id, c.id)
    assert _tree(empty_db) == before
    orgs.move(empty_db, root.id, None)  # already at the top: nothing to refuse
    with empty_db.session() as s:
        moves = list(s.scalars(select(AuditEntry).where(AuditEntry.row_id == xin.id, AuditEntry.action == "update")
                               .order_by(AuditEntry.at, AuditEntry.id)))
    assert [json.loads(e.before_json)["parent_id"] for e in moves] == [root.id, None]
    assert [json.loads(e.after_json)["parent_id"] for e in moves] == [None, root.id]


def _community(path, code: str, name: str):
    db, _ = open_database(path)
    site.init_site(db, code, name, "community", street_name="梅园街道党工委")
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", code + "01", "branch", c.id)
    roster.create(db, MemberInput(name="张三", org_id=b.id, joined_date=date(2000, 7, 1),
                                  confirmed_date=date(2001, 7, 1),
                                  id_number=idcard.make("320102", date(1970, 1, 2), 1, idcard.MALE)))
    return db


def test_a_district_takes_a_community_s_package_as_a_street_does(empty_db, tmp_path):
    _district(empty_db)
    sync.new_key(empty_db, tmp_path / "district.dqkey")
    orgs.create(empty_db, "梅园街道党工委", "320102100", "street", None)
    c = _community(tmp_path / "c.db", "320102001", "梅园社区党委")
    try:
        req = sync.enrol_request(c, tmp_path / "c.dqreq", key_out=tmp_path / "c.dqkey")
        sync.enrol_accept(empty_db, req.path, tmp_path / "c.dqreply", street="320102100")  # a district names it
        sync.enrol_finish(c, tmp_path / "c.dqreply")
        up = sync.export_package(c, tmp_path / "up.dqsync")
        report = sync.import_package(empty_db, up.path)
        assert report.new_community and not report.already_imported
        assert roster.stats(empty_db).total == 1  # the community's member is on the district's roster
        with empty_db.session() as s:
            assert s.scalar(select(SyncPeer.level).where(SyncPeer.org_code == "320102001")) == "community"
        # the district sends the community its package back; the package names it a street (format unchanged)
        down = sync.send_package(empty_db, tmp_path / "down.dqsync", site.get_site(c).id)
        back = sync.import_package(c, down.path)
        assert back.from_site.level == "street" and back.from_site.org_code == "320102"
        with pytest.raises(Conflict, match="^区数据库不导出社区数据包"):  # it sends down; it takes the packages
            sync.export_package(empty_db, tmp_path / "none.dqsync")
    finally:
        c.dispose()


def test_a_district_edits_its_communities_assessment_schemes_as_a_street_does(empty_db):
    from types import SimpleNamespace

    from desktop_app.services.assessment.scheme import editable_here

    _district(empty_db)
    street = orgs.create(empty_db, "梅园街道党工委", "320102100", "street", None)
    c = orgs.create(empty_db, "梅园社区党委", "320102001", "community", street.id)
    with empty_db.session() as s:
        assert editable_here(s, SimpleNamespace(org_id=c.id))  # a community's scheme, corrected from above
