"""A package's file name on the stick: dated, and never the name of a package already there."""

from __future__ import annotations

from datetime import datetime

from desktop_app.sync.outgoing import resolve_out


def test_two_packages_of_one_second_keep_both_files(tmp_path):
    when = datetime(2026, 12, 8, 9, 30, 5)
    first = resolve_out(tmp_path, "320102008", when, plain=False)
    assert first.name.startswith("同步包_320102008_20261208-") and first.suffix == ".dqsync"
    first.write_bytes(b"first")
    second = resolve_out(tmp_path, "320102008", when, plain=False)
    assert second != first and second.name == f"{first.stem}_2.dqsync"
    second.write_bytes(b"second")
    assert resolve_out(tmp_path, "320102008", when, plain=False).name == f"{first.stem}_3.dqsync"
    assert first.read_bytes() == b"first"


def test_a_named_file_is_taken_as_given(tmp_path):
    target = tmp_path / "给街道.dqsync"
    target.write_bytes(b"old")
    assert resolve_out(target, "320102008", datetime(2026, 12, 8), plain=False) == target
