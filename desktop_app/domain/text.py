"""Text hygiene shared by every entry point: control characters are refused, and escaped when printed.

A control character in a name breaks the XLSX writer (XML cannot hold it) and a
terminal escape code in a cell rewrites the operator's screen when the command
line prints it. Whitespace controls (tab, newline) are left to each field's own
whitespace rule.
"""

from __future__ import annotations

import unicodedata

from desktop_app.domain.errors import ValidationError

_WHITESPACE = "\t\n\r"
# Bidi overrides and isolates reorder what the eye reads (Cf, but dangerous).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def bad_char(text: str) -> str | None:
    """The first control character (other than tab/newline/CR) or bidi control in `text`, or None."""
    for ch in text:
        if ch in _WHITESPACE:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs") or ch in _BIDI:
            return ch
    return None


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def check_text(value: object, field: str) -> str:
    """`value` as str; a ValidationError naming the field when it holds a control character."""
    text = "" if value is None else str(value)
    ch = bad_char(text)
    if ch is not None:
        raise ValidationError(field, f"含有不可见的控制字符（{describe(ch)}），请删除后重新填写")
    return text


def printable(text: object, keep: str = "\n\t") -> str:
    """`text` safe for a terminal: control and bidi characters (but those in `keep`) shown as \\xNN / \\uNNNN."""
    s = "" if text is None else str(text)
    if s.isprintable() or not any(_unsafe(ch) and ch not in keep for ch in s):
        return s  # the usual case, quickly
    out = []
    for ch in s:
        if ch in keep or not _unsafe(ch):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in _BIDI


class TerminalSafeWriter:
    """A text stream that writes what it is given through printable(): escape codes in data never reach the terminal."""

    def __init__(self, stream):
        self._stream = stream

    @classmethod
    def wrap(cls, stream):
        """`stream` wrapped once; None (a windowed program has no console) stays None."""
        return stream if stream is None or isinstance(stream, cls) else cls(stream)

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def required_text(value: str | None, field: str, limit: int, missing: str = "不能为空",
                  too_long: str = "不能超过 {limit} 个字") -> str:
    """A field that must be filled: trimmed, at most `limit` characters; the refusals name the field."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(field, missing)
    if len(text) > limit:
        raise ValidationError(field, too_long.format(limit=limit))
    return text
