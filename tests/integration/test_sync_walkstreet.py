"""The street worker's month with the packages: who brought nothing this time, what came from whom and when,
and a package of a community that enrolled again since it was made."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from desktop_app.cli import main
from desktop_app.domain.clock import local_text
from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from tests.conftest import PG_URL
from tests.integration.sync_world import World, build_templates, enrol

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the street's SQLite file is read and set directly")


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """A street with three communities enrolled: c1 and c2 (files here), c3 that never sends."""
    return build_templates(tmp_path_factory.mktemp("walkstreet"), members=20, seeds=(11, 12, 13))


@pytest.fixture
def world(templates, tmp_path):
    w = World.copy_from(templates, tmp_path, server=False)
    yield w
    w.close()


def _names(db) -> dict[str, str]:
    return {c.org_code: c.org_name for c in sync.communities(db)}


def test_a_batch_names_the_communities_it_brought_nothing_of_and_since_when(world, tmp_path, capsys):
    world.up(world.c1)
    world.up(world.c2)
    c2 = site.get_site(world.c2)
    # c2's last package was made on 3 November (a stick of last month)
    world.street.dispose()
    con = sqlite3.connect(world.street.path)
    with con:
        con.execute("UPDATE sync_peer SET last_package_at = ? WHERE site_id = ?", ("2026-11-03 02:00:00.000000", c2.id))
    con.close()

    pkg = sync.export_package(world.c1, world.package("c1-again.dqsync")).path
    junk = tmp_path / "拔出时写坏.dqsync"
    junk.write_bytes(pkg.read_bytes()[:1000])
    code = main(["sync", "import", str(pkg), str(junk), "--db", str(world.street.path)])
    out, err = capsys.readouterr()
    out = out.splitlines()
    assert code == 2
    # each package named as it starts (a pile of full packages takes minutes), the report itself on stdout
    assert err.splitlines() == [f"[1/2] 正在导入 {pkg.name}…", f"[2/2] 正在导入 {junk.name}…"]
    names = _names(world.street)
    c3 = next(name for code_, name in names.items() if name not in (c2.org_name, site.get_site(world.c1).org_name))
    since = local_text(datetime(2026, 11, 3, 2, 0), "%Y-%m-%d")
    # the one never heard from first, then the longest silent; c1, whose package went in, not at all
    assert out[-1] == f"这次没有导入数据包的社区（2 个）：{c3}（从未报送）、{c2.org_name}（上次数据包生成于 {since}）"

    # every one brought: nothing more is said
    again = sync.import_packages(world.street, [sync.export_package(world.c2, world.package("c2.dqsync")).path,
                                                sync.export_package(world.c1, world.package("c1.dqsync")).path])
    assert [a.org_name for a in again.absent] == [c3]
    assert again.lines()[-1] == f"这次没有导入数据包的社区（1 个）：{c3}（从未报送）"


def test_the_street_lists_what_it_received_from_each_community(world, capsys):
    first, _ = world.up(world.c1)
    second, _ = world.up(world.c1)
    world.up(world.c2)
    c1 = site.get_site(world.c1)
    path = str(world.street.path)
    assert main(["sync", "received", "--db", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3  # every community enrolled, the one that never sent too
    line = next(x for x in out if x.startswith(f"{c1.org_name}（{c1.org_code}）"))
    assert "共导入 2 个数据包" in line and "最近一个生成于" in line
    assert any(x.endswith("已登记，等待首次报送") for x in out)

    # "did you get our package of the 3rd?": one community's packages, each with when it was made and taken
    assert main(["sync", "received", "--community", c1.org_code, "--db", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{c1.org_name}（{c1.org_code}）：共导入 2 个数据包"
    assert [x.split()[-1] for x in out[1:]] == [second.path.name, first.path.name]  # newest first
    assert out[1].startswith("生成于 ") and "导入于" in out[1] and " 行 " in out[1]
    assert main(["sync", "received", "--community", c1.org_name, "--db", path]) == 0  # by name as well
    assert capsys.readouterr().out.splitlines()[0] == f"{c1.org_name}（{c1.org_code}）：共导入 2 个数据包"
    assert main(["sync", "received", "--community", "没有这个社区", "--db", path]) == 2
    assert "没有登记过的社区“没有这个社区”" in capsys.readouterr().err


def test_a_package_made_before_the_community_enrolled_again_says_whose_it_is_and_what_to_ask(world, tmp_path):
    old = sync.export_package(world.c1, world.package("重装前.dqsync")).path
    enrol(world.street, world.c1, tmp_path, "again")  # the program reinstalled: a new key, accepted by the street
    c1 = site.get_site(world.c1)
    with pytest.raises(PackageRefused) as refused:
        sync.import_package(world.street, old)
    said = str(refused.value)
    assert f"数据包自称来自“{c1.org_name}”（{c1.org_code}），但不是用它现在登记的密钥签名的" in said
    assert "重新导出后再交来" in said and "\n详细信息：数据包密钥指纹 " in said
    # the batch's check says the same
    (check,) = sync.check_packages(world.street, [old])
    assert check.refused.startswith(f"数据包自称来自“{c1.org_name}”")
