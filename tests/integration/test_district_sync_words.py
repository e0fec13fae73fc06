"""Sync at a district speaks of the district: 区密钥, 报送区, 区下发 — at the district itself and at a
community enrolled with it (the enrolment reply names the 区委; later its own tree holds it).
A street and its communities still say 街道.

Real database files with migrations (or the PostgreSQL cluster under DANGQUN_TEST_PG_URL), the
command line as `main` runs it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from desktop_app.cli import main
from desktop_app.domain.errors import DomainError
from desktop_app.domain.site import upper_name
from desktop_app.services import site, sync
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncPeer
from tests.integration.test_district_enrolment import community, district  # noqa: F401 - fixtures


def _target(db) -> str:
    return str(db.path) if db.path else db.url


def test_one_place_names_the_upper_level():
    assert upper_name("district") == "区"
    assert upper_name("street") == upper_name("community") == upper_name("") == "街道"


def test_the_district_calls_its_key_the_district_s(empty_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(sync.PASSPHRASE_ENV, "district-passphrase")
    db = empty_db
    t = _target(db)
    assert main(["init", "--db", t, "--org-code", "320102", "--org-name", "玄武区委", "--level", "district"]) == 0
    capsys.readouterr()
    assert main(["sync", "key", "new", "--db", t, "--out", str(tmp_path / "d.dqkey")]) == 0
    out = capsys.readouterr().out
    assert "已生成区密钥" in out and "街道" not in out
    assert sync.upper(db) == "区"
    assert (sync.key_info(db).upper, sync.sync_state(db).upper) == ("区", "区")
    with db.session() as s:
        note = s.scalar(select(AuditEntry.note).where(AuditEntry.table_name == "sync_identity"))
    assert "生成区同步密钥" in note
    with pytest.raises(DomainError, match="本库已有区密钥"):
        sync.new_key(db, tmp_path / "again.dqkey")


def test_a_street_still_says_street(empty_db, tmp_path, monkeypatch):
    monkeypatch.setenv(sync.PASSPHRASE_ENV, "street-passphrase")
    site.init_site(empty_db, "320102100", "梅园街道党工委", "street")
    assert sync.upper(empty_db) == "街道"
    assert sync.new_key(empty_db, tmp_path / "s.dqkey").upper == "街道"


def test_a_community_enrolled_at_the_district_says_district(district, community, tmp_path, capsys):
    db = district[0]
    c, request = community
    assert sync.upper(c) == "街道"  # before its enrolment it cannot know
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102200")
    assert main(["sync", "enrol", "finish", str(tmp_path / "c.dqreply"), "--db", _target(c)]) == 0
    out = capsys.readouterr().out
    assert "区密钥指纹" in out and "街道密钥" not in out
    assert (sync.upper(c), sync.sync_state(c).upper, sync.key_info(c).upper) == ("区", "区", "区")
    # its first package up and the district's package down: the 区委 is in its tree from now on
    up = sync.export_package(c, tmp_path / "up.dqsync")
    sync.import_package(db, up.path)
    down = sync.send_package(db, tmp_path / "down.dqsync", site.get_site(c).id)
    report = sync.import_package(c, down.path)
    assert "玄武区委已确认收到本社区的 1 个数据包" in report.lines()
    assert sync.upper(c) == "区"


def test_a_community_enrolled_before_it_knew_learns_from_its_first_package_down(district, community, tmp_path):
    """Enrolled with a district by an older program: its enrolment kept no level, so it says 街道
    until the district's 下发包 puts the 区委 in its tree."""
    db = district[0]
    c, request = community
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102200")
    sync.enrol_finish(c, tmp_path / "c.dqreply")
    with c.session() as s:
        s.execute(update(SyncPeer).values(level="street"))  # as the older program left it
        s.commit()
    assert sync.upper(c) == "街道"
    up = sync.export_package(c, tmp_path / "up.dqsync")
    sync.import_package(db, up.path)
    down = sync.send_package(db, tmp_path / "down.dqsync", site.get_site(c).id)
    sync.import_package(c, down.path)
    assert sync.upper(c) == "区"


def test_a_district_s_refusals_name_the_district(empty_db, tmp_path):
    site.init_site(empty_db, "320102", "玄武区委", "district")
    with pytest.raises(DomainError, match="“生成区密钥”"):  # as its page names the button
        sync.load_keys(empty_db)  # what every package made or taken asks first


def test_the_district_s_enrolment_reply_says_district(district, community, tmp_path):
    import json

    db = district[0]
    c, request = community
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102200")
    note = json.loads((tmp_path / "c.dqreply").read_text(encoding="utf-8"))["note"]
    assert note.startswith("区同步登记回执")
    assert "交给街道或区" in json.loads(request.read_text(encoding="utf-8"))["note"]  # written before it knows


def test_a_district_s_package_refusals_name_the_district(district, community, tmp_path):
    """The adapters' refusals (ownership) take the word from where the package was opened: 区, not 街道."""
    from desktop_app.services.uow import UnitOfWork
    from desktop_app.store.models import Organization
    from desktop_app.store.models_ledger import DuesRateRule
    from tests.integration.test_community_place import _enrolled_in_xinjiekou

    db, a, b = district
    c, request = community
    root = _enrolled_in_xinjiekou(db, c, request, tmp_path)
    with UnitOfWork(c) as uow:  # a hand-edited database: the 社区党委 straight under the 区委
        uow.session.get(Organization, root.id).parent_id = a.parent_id
        uow.commit()
    with pytest.raises(DomainError) as moved:
        sync.import_package(db, sync.export_package(c, tmp_path / "moved.dqsync").path)
    assert "由区确定" in str(moved.value) and "由街道确定" not in str(moved.value)
    with UnitOfWork(c) as uow:  # put back under its street: now only the rate line is refused
        uow.session.get(Organization, root.id).parent_id = b.id
        uow.session.scalars(select(DuesRateRule).limit(1)).first().note = "社区自改"  # not the community's to set
        uow.commit()
    with pytest.raises(DomainError) as rates:
        sync.import_package(db, sync.export_package(c, tmp_path / "rates.dqsync").path)
    text = str(rates.value)
    assert "党费比例由区统一设置" in text and "属于区" in text and "街道" not in text


@pytest.mark.parametrize("upper", ["区", "街道"])
def test_a_community_s_refusal_of_a_package_names_its_upper_level(upper):
    """A community says whom it imports from by the level it enrolled with (Verified.upper, read once)."""
    from datetime import datetime

    from desktop_app.domain.sync_rules import DOWNSTREAM, UPSTREAM, Manifest, PackageRefused, SiteRef
    from desktop_app.sync.decode import check_parties

    when = datetime(2026, 12, 1)
    sender = SiteRef("s-2", "320102002", "双塘社区党委", "community")
    up = Manifest(UPSTREAM, "p-1", 1, when, "1", sender, "320102", "ab", True, None, when, ())
    with pytest.raises(PackageRefused) as wrong_kind:
        check_parties(up, "s-1", "community", "top", upper)
    text = str(wrong_kind.value)
    assert text == f"社区只能导入{upper}下发的数据包；社区数据包请拿到{upper}导入"
    down = Manifest(DOWNSTREAM, "p-2", 1, when, "1", SiteRef("elsewhere", "320103", "秦淮区委", "district"),
                    "320103", "ab", True, None, when, (), to_site=SiteRef("s-1", "320102001", "梅园社区党委"))
    with pytest.raises(PackageRefused, match=f"不是本社区登记的{upper}数据库生成的"):
        check_parties(down, "s-1", "community", "top", upper)
