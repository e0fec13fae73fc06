"""An attachment that came in a community's package: the street is told where the file is, not that it was lost."""

from datetime import date

import pytest

from desktop_app.domain import meetings as r
from desktop_app.domain.errors import NotFound
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, site, sync
from desktop_app.store.migrate import open_database
from tests.integration.sync_world import enrol


def test_the_street_opening_a_community_scan_is_told_the_file_stayed_there(tmp_path, monkeypatch):
    monkeypatch.setenv("DANGQUN_DATA_DIR", str(tmp_path / "street-pc"))
    street, _ = open_database(tmp_path / "street.db")
    site.init_site(street, "320102", "梅园街道党工委", "street")
    sync.new_key(street, tmp_path / "street.dqkey")
    monkeypatch.setenv("DANGQUN_DATA_DIR", str(tmp_path / "community-pc"))
    community, _ = open_database(tmp_path / "community.db")
    site.init_site(community, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
    enrol(street, community, tmp_path, "c1")
    c = next(n for n in orgs.list_tree(community) if n.kind == "community")
    branch = orgs.create(community, "第一网格党支部", "B01", "branch", c.id)
    m = ms.plan(community, ms.MeetingInput(org_id=branch.id, kind=r.THEME_DAY, title="主题党日",
                                           meeting_date=date(2026, 3, 2)))
    scan = tmp_path / "签到表.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 scan")
    att = ms.add_attachment(community, m.id, scan)
    assert ms.attachment_path(community, att.id).is_file()  # at home the file opens
    (tmp_path / "usb").mkdir()
    package = sync.export_package(community, tmp_path / "usb" / "up.dqsync", full=True)

    monkeypatch.setenv("DANGQUN_DATA_DIR", str(tmp_path / "street-pc"))  # the street's own computer
    sync.import_package(street, package.path)
    with pytest.raises(NotFound) as refused:
        ms.attachment_path(street, att.id)
    said = str(refused.value)
    assert "幸福里社区党委" in said and "数据包" in said and "不在数据文件夹" not in said
    for db in (street, community):
        db.dispose()
