"""A package whose row clashes with a row the street already holds under a unique rule is refused naming
the record and what to do, on SQLite and on PostgreSQL, where such a clash used to read as another import
running at the same moment (and was retried three times). The street keeps what it had.

The street is the fixture's database (PostgreSQL when DANGQUN_TEST_PG_URL is set); the community is a file
on a program before 0039 (schema 0038), which let a member's grade of a year be entered twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import evaluations, orgs, site, sync
from desktop_app.store import migrate
from desktop_app.store.base import sync_values, utcnow
from desktop_app.store.models import Member
from desktop_app.store.models_meetings import Evaluation
from desktop_app.sync import merge
from desktop_app.views.evaluations import EvaluationEntry
from tests.integration.test_sync_tamper import _community


@pytest.fixture
def pair(empty_db, tmp_path):
    street = empty_db
    site.init_site(street, "320102", "梅园街道党工委", "street")
    sync.new_key(street, tmp_path / "street.dqkey")
    community = _community(tmp_path / "c1.db", "320102001", street, tmp_path)
    branch = next(n.id for n in orgs.list_tree(community) if n.kind == "branch")
    with community.session() as s:
        m = s.scalars(select(Member).where(Member.name == "党员0")).one()
        member = (m.id, m.id_number, m.updated_by_site)
    yield street, community, branch, member
    community.dispose()


def _send_up(street, community, path):
    return sync.import_package(street, sync.export_package(community, path, plain=True).path)


def _confirmed(street, community, path) -> None:
    sync.import_package(community, sync.send_package(street, path, site.get_site(community).id).path)


def _grades(db, member_id):
    with db.session() as s:
        return sorted(s.scalars(select(Evaluation.grade).where(Evaluation.member_id == member_id,
                                                               Evaluation.deleted.is_(False))))


def test_a_grade_sent_again_in_a_later_package_is_refused_naming_member_and_year(pair, tmp_path):
    street, community, branch, (m, number, community_site) = pair
    cfg = migrate.alembic_config(community.url)
    with community.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0038")  # the older program: no unique index on grades
    evaluations.save(community, branch, 2025, [EvaluationEntry(m, "合格")])
    with community.session() as s:  # entered an hour ago: the next package, after the first, leaves it out
        s.execute(Evaluation.__table__.update().values(updated_at=utcnow() - timedelta(hours=1)))
        s.commit()
    _send_up(street, community, tmp_path / "up1.zip")
    _confirmed(street, community, tmp_path / "down1.zip")
    with community.session() as s:  # a second window of the older program enters the grade again
        s.execute(Evaluation.__table__.insert(), [sync_values(community_site, utcnow()) | {
            "member_id": m, "org_id": branch, "year": 2025, "grade": "优秀", "notes": ""}])
        s.commit()
    with pytest.raises(PackageRefused) as err:
        _send_up(street, community, tmp_path / "up2.zip")
    said = str(err.value)
    assert not isinstance(err.value, merge.Contended), said  # not "another import": retrying cannot help
    assert f"党员“党员0”（公民身份号码 {idcard.mask(number)}）2025 年度的民主评议结果与本库已有的一条" in said, said
    assert "本库仍保留已有的一条" in said and "请社区升级到本版程序" in said and "重新导出，再导入" in said
    assert number not in said and "唯一性不符" not in said
    assert _grades(street, m) == ["合格"]  # nothing of the second package written


def test_a_member_whose_id_number_is_here_already_is_named_masked(pair, tmp_path):
    """The street holds a live member of this community with the ID number the package brings for another
    (a community restored from an old backup, or a program before 0019): the refusal names the member."""
    street, community, _branch, (m, number, community_site) = pair
    _send_up(street, community, tmp_path / "up1.zip")
    with street.session() as s:  # the member here under another record, as an earlier package left it
        twin = s.get(Member, m)
        s.execute(Member.__table__.update().where(Member.id == m).values(id="0" * 32))
        s.commit()
        assert twin is not None
    with community.session() as s:
        s.execute(Member.__table__.update().where(Member.id == m).values(notes="改过", version=Member.version + 1))
        s.commit()
    with pytest.raises(PackageRefused) as err:
        _send_up(street, community, tmp_path / "up2.zip")
    said = str(err.value)
    assert not isinstance(err.value, merge.Contended), said
    assert f"党员“党员0”（公民身份号码 {idcard.mask(number)}）与本库已有的一条" in said, said
    assert number not in said
