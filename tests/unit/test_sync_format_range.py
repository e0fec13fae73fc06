"""A manifest's sync format is read when it is in the reader's range (oldest to newest), refused otherwise."""

from __future__ import annotations

import pytest

from desktop_app.domain import sync_rules as r
from desktop_app.domain.sync_rules import PackageRefused
from tests.unit.test_sync_rules import _manifest as _any_manifest


def _manifest(version: str) -> dict:
    return _any_manifest(schema_version=version)


@pytest.mark.parametrize("version", ["0027", "0029", "0031"])
def test_a_format_in_the_range_is_read_under_its_own_name(version):
    assert r.validate_manifest(_manifest(version), "0031", "0027").schema_version == version


@pytest.mark.parametrize("version, words", [
    ("0026", "较旧的程序（数据版本 0026，本程序 0031），请对方升级程序"),
    ("0032", "更新的程序（数据版本 0032，本程序 0031），请先升级本程序"),
    ("00275", "更新的程序"),  # sorts between 0027 and 0031, but is no format of ours
    ("００２９", "更新的程序"),  # full-width digits
    ("", "更新的程序"),
])
def test_a_format_out_of_the_range_is_refused_saying_who_upgrades(version, words):
    with pytest.raises(PackageRefused) as exc:
        r.validate_manifest(_manifest(version), "0031", "0027")
    assert words in str(exc.value)


def test_without_a_range_only_the_readers_own_format_is_read():
    assert r.validate_manifest(_manifest("0031"), "0031").schema_version == "0031"
    with pytest.raises(PackageRefused, match="较旧"):
        r.validate_manifest(_manifest("0030"), "0031")


def test_a_range_reaching_past_the_readers_format_reads_up_to_it():
    # an oldest above the newest (a caller's own format older than the program's range) reads that format
    assert r.validate_manifest(_manifest("0007"), "0007", "0027").schema_version == "0007"
