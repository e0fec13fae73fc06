"""At the street, a community package sealed to a key the street does not hold names the community its file
name carries (同步包_<org code>_…, as every export names it) and says what that community is to do."""

from __future__ import annotations

import pytest

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from desktop_app.store.migrate import open_database

STREET = ("320102", "梅园街道党工委")


def _site(path, code, name, level, key=None):
    db, _ = open_database(path)
    site.init_site(db, code, name, level, **({} if level == "street" else {"street_name": STREET[1]}))
    if key is not None:
        sync.new_key(db, key)
    return db


@pytest.fixture
def world(tmp_path):
    street = _site(tmp_path / "street.db", *STREET, "street", key=tmp_path / "s.dqkey")
    other = _site(tmp_path / "other.db", "320199", "别的街道党工委", "street", key=tmp_path / "o.dqkey")
    dbs = [street, other]
    try:
        yield tmp_path, street, other, dbs
    finally:
        for db in dbs:
            db.dispose()


def _enrolled_package(tmp_path, at, code, name, dbs):
    """A community enrolled at `at`, and the package it wrote to a USB folder under its own default name."""
    db = _site(tmp_path / f"{code}.db", code, name, "community")
    dbs.append(db)
    req = sync.enrol_request(db, tmp_path / f"{code}.dqreq", key_out=tmp_path / f"{code}.dqkey")
    sync.enrol_accept(at, req.path, tmp_path / f"{code}.dqreply")
    sync.enrol_finish(db, tmp_path / f"{code}.dqreply")
    usb = tmp_path / f"usb-{code}"
    usb.mkdir()
    return db, sync.export_package(db, usb).path


def _refusal(db, path) -> str:
    with pytest.raises(PackageRefused) as got:
        sync.import_package(db, path)
    batch = sync.check_packages(db, [path])[0].refused
    assert str(got.value).endswith(batch)  # the batch's confirmation says the same, its file in a column of its own
    return str(got.value)


def test_a_community_of_another_street_is_named_by_its_org_code(world):
    tmp_path, street, other, dbs = world
    _, pkg = _enrolled_package(tmp_path, other, "320199007", "桃源社区党委", dbs)
    assert pkg.name.startswith("同步包_320199007_")
    said = _refusal(street, pkg)
    assert f"数据包“{pkg.name}”未导入" in said
    assert "组织代码 320199007" in said and "交给另一个街道" in said and "本街道没有这个社区的登记" in said
    assert "向街道登记" in said and "接受社区登记" in said  # the steps, as the page names its buttons
    # the sentence first, the keys' fingerprints (for whoever checks keys) on a line of their own, last
    sentence, details = said.split("\n详细信息：")
    assert "指纹" not in sentence and "接收方密钥指纹" in details and "本街道密钥指纹" in details


def _sealed_at_the_other_street(world, folder: str):
    """芳草 enrolled here, then at the other street too, and wrote its package sealed there: (street, package)."""
    tmp_path, street, other, dbs = world
    c, _ = _enrolled_package(tmp_path, street, "320102008", "芳草社区党委", dbs)
    req = sync.enrol_request(c, tmp_path / "again.dqreq", key_out=tmp_path / "again.dqkey")
    sync.enrol_accept(other, req.path, tmp_path / "again.dqreply")
    sync.enrol_finish(c, tmp_path / "again.dqreply")
    return street, sync.export_package(c, tmp_path / folder).path


def test_an_enrolled_community_that_sealed_to_an_old_street_key_is_named(world):
    street, pkg = _sealed_at_the_other_street(world, "usb-320102008")
    said = _refusal(street, pkg)
    assert "“芳草社区党委”（320102008）" in said and "不是加密给本街道现用密钥的" in said
    assert "梅园街道党工委" in said and "重新登记" in said


def test_a_package_without_its_file_name_says_once_that_it_is_sealed_elsewhere(world):
    street, pkg = _sealed_at_the_other_street(world, "usb-renamed")
    renamed = pkg.rename(pkg.with_name("数据.dqpkg"))  # renamed on the way: no community code to go by
    said = _refusal(street, renamed)
    assert "它是加密给另一方的：可能是另一个街道的社区的数据包" in said
    assert said.count("加密给") == 1  # one sentence says it, not two in a row
