"""A package's table files checked for control and bidi characters in their bytes (sync.package.check_text)."""

from __future__ import annotations

import sys

import pytest

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.sync import package
from desktop_app.sync.package import check_text, csv_bytes


class _NotToDecode(bytes):
    """A file that must pass on its bytes alone."""

    def decode(self, *args, **kwargs):  # noqa: ARG002
        raise AssertionError("a clean file was decoded")


def _file(*names: str) -> bytes:
    return csv_bytes(["id", "name"], [[f"m{k}", n] for k, n in enumerate(names)])


def test_every_refused_character_starts_with_a_byte_looked_for():
    # Pins the shortcut: a character the regex refuses must be seen in the bytes, or a file holding
    # it would pass undecoded.
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    refused = package._BAD_TEXT.findall(chars)
    assert len(refused) > 60
    for ch in refused:
        raw = ch.encode()
        if raw not in package._C0_BYTES:
            assert raw[:1] in package._BAD_LEAD_BYTES and package._BAD_SEQUENCE.fullmatch(raw), f"U+{ord(ch):04X}"
    for c in range(0x80, sys.maxunicode + 1):  # and the bytes looked for are those characters' only
        if not 0xD800 <= c <= 0xDFFF and package._BAD_SEQUENCE.fullmatch(chr(c).encode()):
            assert package._BAD_TEXT.fullmatch(chr(c)), f"U+{c:04X}"


def test_a_clean_file_passes_without_being_decoded():
    data = _file("张三", "阿卜杜·热合曼", "李四（退休）", "Wang Wu")
    assert data.startswith(b"\xef\xbb\xbf")  # as every table file: never ASCII
    check_text("member", _NotToDecode(data))


@pytest.mark.parametrize("ch", ["\u202e", "\u2066", "\u200f", "\u061c", "\x85", "\x9b", "\x1b", "\x00", "\x7f"])
def test_a_control_or_bidi_character_is_refused_with_its_line_and_column(ch):
    data = _file("张三", f"李{ch}四", "王五")
    with pytest.raises(PackageRefused) as err:
        check_text("member", data)
    assert f"U+{ord(ch):04X}" in str(err.value) and "第 3 行 name" in str(err.value)


def test_punctuation_sharing_a_lead_byte_is_taken():
    # “” … – ‰ are E2 80 xx, the middle dot C2 B7: looked at closely, and taken
    check_text("member", _file("“张三”", "李四…", "1–2", "5‰", "阿卜杜·热合曼"))


def test_past_a_thousand_quotation_marks_the_file_is_searched_whole():
    names = ["“张三”"] * 600 + ["李\u202e四"]
    with pytest.raises(PackageRefused, match="U\\+202E"):
        check_text("member", _file(*names))
    check_text("member", _file(*names[:-1]))
