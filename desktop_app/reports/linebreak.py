"""Chinese line breaking (标点禁则) for reportlab's CJK-wrapped paragraphs.

reportlab keeps a character that may not start a line ("；", "）") on the line it
overflows, so it hangs a few points past a table cell's border. Here such a
character takes the one before it down to the next line instead, and an opening
mark ("（", "《") never ends a line; a line only overflows when it holds a single
character. `install()` puts these rules into reportlab's two CJK splitters (one for
one-font paragraphs, one for mixed-font ones), so every report gets them.
"""

from __future__ import annotations

from collections.abc import Sequence
from unicodedata import category

from reportlab.lib import textsplit as _rl_textsplit
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.rl_config import _FUZZ

# reportlab's Japanese lists plus the Chinese full-width marks; sets, so an empty glyph is in neither.
NO_LINE_START = frozenset(_rl_textsplit.ALL_CANNOT_START + "，；：！？）》」』〉】”’．…%")
NO_LINE_END = frozenset(_rl_textsplit.ALL_CANNOT_END + "（《「『〈【“‘")


def _is_latin(ch: str) -> bool:
    return bool(ch) and ord(ch) < 0x3000 and category(ch) != "Zs"


def _allowed(chars: Sequence[str], k: int, in_words: bool) -> bool:
    """May a line end before chars[k]: never before closing or after opening punctuation,
    and (`in_words`) not inside a Latin word or number."""
    if chars[k] in NO_LINE_START or chars[k - 1] in NO_LINE_END:
        return False
    return not (in_words and _is_latin(chars[k]) and _is_latin(chars[k - 1]))


def _line_end(chars: Sequence[str], start: int, end: int) -> int:
    """Where the line from `start` ends when `chars[end]` is the first character that does not fit.

    The nearest break that keeps Latin words whole, if one is in the line's second
    half; else the nearest the punctuation rules allow; else where the line is full.
    """
    for k in range(end, (start + end) // 2, -1):
        if _allowed(chars, k, in_words=True):
            return k
    for k in range(end, start, -1):
        if _allowed(chars, k, in_words=False):
            return k
    return end


def break_lines(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
                hard_breaks: Sequence[bool] | None = None) -> list[tuple[int, int, float, float, bool]]:
    """Lines as (start, end, used width, line width, ends in a hard break) over `chars`."""
    lines: list[tuple[int, int, float, float, bool]] = []
    start = i = 0
    used = 0.0
    n = len(chars)
    max_width = max_widths[0]
    while i < n:
        used += widths[i]
        i += 1
        hard = bool(hard_breaks and hard_breaks[i - 1])
        if not hard and not (used > max_width + _FUZZ and i - 1 > start):
            continue
        end = i if hard else _line_end(chars, start, i - 1)
        used = sum(widths[start:end])
        lines.append((start, end, used, max_width, hard))
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        start = i = end
        used = 0.0
    if start < n:
        lines.append((start, n, sum(widths[start:n]), max_width, False))
    return lines


def _dumb_split(word: str, widths: Sequence[float], max_widths: float | Sequence[float]) -> list[list]:
    """textsplit.dumbSplit with the rules above: [[extra space, text], ...]."""
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    out = []
    for start, end, used, width, last in break_lines(word, widths, max_widths):
        text = word[start:end]
        out.append([width - used, text if end == len(word) or last else text.strip()])
    return out


def _cjk_frag_split(frags, max_widths, calc_bounds, encoding="utf8"):
    """paragraph.cjkFragSplit with the rules above (a paragraph whose text changes font)."""
    glyphs = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(_rl_paragraph.cjkU(t, f, encoding) for t in text)
        else:
            glyphs.append(_rl_paragraph.cjkU(text, f, encoding))
    widths = []
    for u in glyphs:
        w = u.width
        if hasattr(w, "normalizedValue"):  # a width given relative to the line (an image)
            w._normalizer = max_widths[0]
            w = w.normalizedValue(max_widths[0])
        widths.append(w)
    hard = [hasattr(u.frag, "lineBreak") for u in glyphs]
    lines = [
        _rl_paragraph.makeCJKParaLine(glyphs[start:end], width, used, width - used, is_hard, calc_bounds)
        for start, end, used, width, is_hard in break_lines(glyphs, widths, max_widths, hard)
    ]
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


def install() -> None:
    """Use these rules in every reportlab paragraph with wordWrap="CJK" (idempotent)."""
    _rl_textsplit.dumbSplit = _dumb_split
    _rl_paragraph.cjkFragSplit = _cjk_frag_split
