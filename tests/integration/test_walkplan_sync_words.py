"""At the street, a community of ANOTHER street's package is refused in words a worker reads: whose it is
(as the package states it), that it belongs to another 街道, what to do; the key fingerprints on a 详细信息
line. An old package or key file says which version to update to, not "按 README"."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.sync_rules import KEYS_VERSION, PackageRefused
from desktop_app.services import sync
from desktop_app.sync import package
from tests.integration.test_sync_refusal_names import _enrolled_package, _refusal, world  # noqa: F401


def test_a_plain_package_of_another_streets_community_says_whose_and_what_to_do(world):  # noqa: F811
    tmp_path, street, other, dbs = world
    c, _ = _enrolled_package(tmp_path, other, "320199007", "桃源社区党委", dbs)
    usb = tmp_path / "usb-plain"
    usb.mkdir()
    pkg = sync.export_package(c, usb, plain=True).path
    said = _refusal(street, pkg)
    sentence, details = said.split("\n详细信息：")
    assert "这是“桃源社区党委”（320199007）的数据包" in sentence
    assert "登记在另一个街道（组织代码 320199）" in sentence and "交还该社区" in sentence
    assert "如果该社区已划归本街道" in sentence and "“向街道登记”" in sentence and "“接受社区登记”" in sentence
    assert "指纹" not in sentence and "本街道密钥指纹" in details


def test_an_old_package_says_which_version_to_update_to(world):  # noqa: F811
    tmp_path, street, other, dbs = world
    _, pkg = _enrolled_package(tmp_path, street, "320102007", "芳草社区党委", dbs)
    old = tmp_path / "old.dqsync"
    old.write_bytes(package.OLD_MAGIC + pkg.read_bytes()[len(package.MAGIC):])
    with pytest.raises(PackageRefused) as got:
        sync.import_package(street, old)
    said = str(got.value)
    assert f"升级到 {KEYS_VERSION} 或更新的版本" in said and "README" not in said and "“向街道登记”" in said
    key = tmp_path / "old.dqkey"
    key.write_text('{"format": "dangqun-street-key", "version": 1}', encoding="utf-8")
    with pytest.raises(ValidationError) as got:
        sync.read_request(street, key)
    assert "README" not in str(got.value)
