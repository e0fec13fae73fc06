"""A hostile package is refused by its sizes before anything is inflated, with a clear message and nothing changed.

The issue's probe: a 1 MB unsigned zip whose manifest inflates to 1 GB took
2.1 GB of memory before its signature was checked. Now the declared sizes
(and their ratio to the compressed ones) are checked first, a member that
lies about its size is read a megabyte at a time and refused by its CRC, and
an oversized file is not even read.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pytest

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import sync
from desktop_app.services.sync.keys import reader_public
from desktop_app.sync import crypto, package
from tests.integration.sync_world import World, build_templates, fingerprint

ZEROS = bytes(1 << 20)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("bomb-templates"), members=20, seeds=(11,))


@pytest.fixture
def w(templates, tmp_path):
    templates = {**templates, "c2": templates["c1"]}
    world = World.copy_from(templates, tmp_path)
    yield world
    world.close()


def _bomb(megabytes: int, member: str = package.MANIFEST) -> bytes:
    """A zip whose one member inflates to `megabytes` MB of zeros (about a thousandth of that compressed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open(member, "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(ZEROS)
        zf.writestr(package.SIGNATURE, b"00")
    return buf.getvalue()


def _refused(w: World, path, words: str, peak_mb: int = 64) -> str:
    before = fingerprint(w.street)
    tracemalloc.start()
    try:
        with pytest.raises(PackageRefused) as exc:
            sync.import_package(w.street, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert words in str(exc.value) and "未导入" in str(exc.value), str(exc.value)
    assert peak < peak_mb << 20, f"{peak / 2**20:.0f} MB taken before refusing"
    assert fingerprint(w.street) == before
    return str(exc.value)


def test_a_manifest_that_inflates_to_a_gigabyte_is_refused_before_inflating(w):
    data = _bomb(1024)
    assert len(data) < 2 << 20  # about 1 MB on the stick
    path = w.package("bomb.zip")
    path.write_bytes(data)
    msg = _refused(w, path, "解压后过大")
    assert "manifest.json" in msg


def test_a_sealed_bomb_is_refused_too(w):
    """Anyone may seal to the street's public key: the sizes are checked right after decrypting."""
    sealed = crypto.seal_to(reader_public(w.c1), _bomb(600, "tables/member.csv"), package.MAGIC)
    path = w.package("bomb.dqsync")
    path.write_bytes(sealed)
    _refused(w, path, "解压后过大")


def _patch_sizes(data: bytes, name: str, size: int) -> bytes:
    """Make a member declare `size` bytes (local header and central directory), CRC left as it was."""
    raw = bytearray(data)
    key = name.encode()
    # (record signature, where its name length is, where its name starts, where its uncompressed size is)
    for sig, n_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        at = raw.find(sig)
        while at >= 0:
            n = struct.unpack_from("<H", raw, at + n_at)[0]
            if raw[at + name_at:at + name_at + n] == key:
                struct.pack_into("<I", raw, at + size_at, size)
            at = raw.find(sig, at + 4)
    return bytes(raw)


def test_a_member_lying_about_its_size_is_read_no_further_than_it_says(w):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(package.MANIFEST, bytes(300 << 20))  # 300 MB of zeros, ~300 KB compressed
        zf.writestr(package.SIGNATURE, b"00")
    path = w.package("liar.zip")
    path.write_bytes(_patch_sizes(buf.getvalue(), package.MANIFEST, 1000))
    _refused(w, path, "损坏")


def test_an_oversized_file_is_not_even_read(w, monkeypatch):
    e = sync.export_package(w.c1, w.package("honest.dqsync"))
    monkeypatch.setattr(package, "MAX_FILE", e.size - 1)
    _refused(w, e.path, "过大")
    monkeypatch.undo()
    report = sync.import_package(w.street, e.path)  # the same package within the limit goes in
    assert report.total("inserted") > 0


def test_honest_packages_pass_the_size_checks(w):
    e = sync.export_package(w.c1, w.package("plain.zip"), plain=True)
    with zipfile.ZipFile(e.path) as zf:
        package.check_sizes(zf.infolist())
        ratios = [i.file_size / max(i.compress_size, 1) for i in zf.infolist()]
    assert max(ratios) < package.MAX_RATIO / 3
