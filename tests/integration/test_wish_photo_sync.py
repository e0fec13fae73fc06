"""A 微心愿's photo rows travel as a 共建活动's do (the row, not the file), and sites on an older program
(a format before wish_photo, 0037) still exchange packages with a newer one: theirs, without the
table, is read; one written for them leaves the table out."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import NotFound
from desktop_app.domain.service_flow import WishInput
from desktop_app.services import orgs, sync, wishes
from desktop_app.store import migrate
from desktop_app.store.models_service import Wish, WishPhoto
from tests.integration.test_sync_format import relabelled, street_and_community
from tests.integration.test_wish_photos import photo

OLDER = "0031"  # a program before wish_photo, inside the range this one reads


@pytest.fixture
def pair(tmp_path):
    street, community = street_and_community(tmp_path)
    branch = next(n.id for n in orgs.list_tree(community) if n.kind == "branch")
    w = wishes.post_wish(community, WishInput(wisher_name="王秀英", grid_id=branch, content="想要一台收音机听戏",
                                              posted_on=date(2026, 5, 2)), date(2026, 6, 15))
    row = wishes.add_photo(community, w.id, photo(tmp_path, "送收音机.png"))
    yield street, community, w, row
    street.dispose()
    community.dispose()


def rows(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


def tables_of(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        return {t["name"] for t in json.loads(zf.read("manifest.json"))["tables"]}


def as_older_program(plain: Path, key_file: Path) -> bytes:
    """A plain package as a program at OLDER made it: its format's name, no wish_photo table, signed again."""
    return relabelled(plain, key_file, OLDER, frozenset(migrate.SYNCED_SINCE))


def test_a_wish_photo_row_reaches_the_street_and_its_removal_follows(pair, tmp_path):
    street, community, w, row = pair
    first = sync.export_package(community, tmp_path / "up1.zip", plain=True).path
    assert "wish_photo" in tables_of(first)
    sync.import_package(street, first)
    assert (rows(street, Wish), rows(street, WishPhoto)) == (1, 1)
    detail = wishes.get_wish(street, w.id)
    assert [p.file_name for p in detail.photos] == ["送收音机.png"]
    # the row travels, the file stays at the community (both sites share one data folder in a test)
    wishes.photo_path(community, row.id).unlink()
    with pytest.raises(NotFound) as e:
        wishes.photo_path(street, row.id)
    assert "同步数据包收到" in str(e.value) and "社区001党委" in str(e.value)

    wishes.remove_photo(community, row.id)
    sync.import_package(street, sync.export_package(community, tmp_path / "up2.zip", plain=True).path)
    assert rows(street, WishPhoto) == 0 and wishes.get_wish(street, w.id).photos == ()


def test_an_older_communitys_package_without_the_table_is_read(pair, tmp_path):
    street, community, _w, _row = pair
    plain = sync.export_package(community, tmp_path / "up1.zip", plain=True).path
    older = tmp_path / "older.zip"
    older.write_bytes(as_older_program(plain, tmp_path / "c1.dqkey"))
    assert "wish_photo" not in tables_of(older)
    sync.import_package(street, older)
    assert (rows(street, Wish), rows(street, WishPhoto)) == (1, 0)


def test_a_package_for_a_street_on_an_older_program_leaves_the_table_out(pair, tmp_path):
    street, community, _w, _row = pair
    sync.import_package(street, sync.export_package(community, tmp_path / "up1.zip", plain=True).path)
    down = sync.send_package(street, tmp_path / "down.zip", "320102001", plain=True).path
    older = tmp_path / "down-older.zip"
    older.write_bytes(as_older_program(down, tmp_path / "street.dqkey"))
    sync.import_package(community, older)  # the community now knows its street reads OLDER

    up = sync.export_package(community, tmp_path / "up2.zip", full=True, plain=True).path
    with zipfile.ZipFile(up) as zf:
        assert json.loads(zf.read("manifest.json"))["schema_version"] == OLDER
        assert not any(n.startswith("tables/wish_photo") for n in zf.namelist())
    assert "wish_photo" not in tables_of(up) and "wish" in tables_of(up)


def test_two_sites_back_on_todays_format_once_both_read_it_and_the_rows_left_out_follow(pair, tmp_path, monkeypatch):
    from desktop_app.services.sync import outgoing as sending

    monkeypatch.setattr(sending, "WATERMARK_MARGIN", timedelta(0))  # a delta starts right at the confirmed end
    street, community, w, _row = pair
    sync.import_package(street, sync.export_package(community, tmp_path / "up1.zip", plain=True).path)
    down = sync.send_package(street, tmp_path / "down1.zip", "320102001", plain=True).path
    older = tmp_path / "down1-older.zip"
    older.write_bytes(as_older_program(down, tmp_path / "street.dqkey"))
    sync.import_package(community, older)  # the street's program is older: package 1 confirmed

    wishes.add_photo(community, w.id, photo(tmp_path, "第二张.png"))
    up2 = sync.export_package(community, tmp_path / "up2.zip", plain=True).path
    assert "wish_photo" not in tables_of(up2)
    sync.import_package(street, up2)  # the street upgraded meanwhile: the community's program says it reads 0037
    assert rows(street, WishPhoto) == 1
    down2 = sync.send_package(street, tmp_path / "down2.zip", "320102001", plain=True).path
    assert json.loads(zipfile.ZipFile(down2).read("manifest.json"))["schema_version"] == migrate.SYNC_FORMAT
    sync.import_package(community, down2)  # package 2 confirmed; the street reads today's format again

    up3 = sync.export_package(community, tmp_path / "up3.zip", plain=True).path  # a delta after package 2
    assert json.loads(zipfile.ZipFile(up3).read("manifest.json"))["schema_version"] == migrate.SYNC_FORMAT
    sync.import_package(street, up3)
    assert rows(street, WishPhoto) == 2  # the photo package 2 left out came with package 3


def test_a_street_on_todays_format_gets_the_table(pair, tmp_path):
    street, community, _w, _row = pair
    sync.import_package(street, sync.export_package(community, tmp_path / "up1.zip", plain=True).path)
    down = sync.send_package(street, tmp_path / "down.zip", "320102001", plain=True).path
    sync.import_package(community, down)
    up = sync.export_package(community, tmp_path / "up2.zip", full=True, plain=True).path
    assert "wish_photo" in tables_of(up)


@pytest.mark.parametrize("reads, taken", [
    ("0009", "0009"), ("0007", "0007"),  # a program past the format it wrote in, or at it
    ("0005", ""), ("9", ""), (37, ""), ("00a9", ""), (None, ""),  # nothing we would write in: not taken
])
def test_a_manifest_says_the_newest_format_its_program_reads(reads, taken):
    from desktop_app.domain.sync_rules import validate_manifest
    from tests.unit.test_sync_rules import _manifest

    obj = _manifest(reads=reads)
    assert validate_manifest(obj, "0009", oldest="0007").reads == taken
