"""Chinese line breaking (标点禁则) for reportlab's CJK-wrapped paragraphs.

reportlab keeps a character that may not start a line ("；", "）") on the line it
overflows, so it hangs a few points past a table cell's border. Here such a
character takes the one before it down to the next line instead, and an opening
mark ("（", "《") never ends a line; a line only overflows when it holds a single
character. A date ("2026年12月6日") and a short bracketed unit ("(时)") are not split
unless nothing else in the line allows a break. `install()` puts these rules into reportlab's two CJK splitters (one for
one-font paragraphs, one for mixed-font ones), so every report gets them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from unicodedata import category

from reportlab.lib import textsplit as _rl_textsplit
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.rl_config import _FUZZ

# reportlab's Japanese lists plus the Chinese full-width marks; sets, so an empty glyph is in neither.
NO_LINE_START = frozenset(_rl_textsplit.ALL_CANNOT_START + "，；：！？）》」』〉】”’．…%")
NO_LINE_END = frozenset(_rl_textsplit.ALL_CANNOT_END + "（《「『〈【“‘")


# Runs a line should not split: a date ("2026年12月6日", "12月6日", "2026年12月", "2026-12-06")
# and a short bracketed word such as a unit in a column header ("服务时长(时)", "金额（元）").
_KEEP_WHOLE = re.compile(
    r"\d{2,4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|[(（][^()（）\s]{1,4}[)）]"
)
_MAYBE_KEPT = re.compile(r"[月(（]|\d[-/.]\d")
_NONE: frozenset[int] = frozenset()


def _kept_whole(chars: Sequence[str]) -> frozenset[int]:
    """Positions k where a break before chars[k] would split a date or a bracketed word."""
    text = "".join(chars)
    if len(text) != len(chars) or not _MAYBE_KEPT.search(text):  # most text has neither (a cheap look first)
        return _NONE
    return frozenset(k for m in _KEEP_WHOLE.finditer(text) for k in range(m.start() + 1, m.end()))


def _is_latin(ch: str) -> bool:
    return bool(ch) and ord(ch) < 0x3000 and category(ch) != "Zs"


def _allowed(chars: Sequence[str], k: int, in_words: bool) -> bool:
    """May a line end before chars[k]: never before closing or after opening punctuation,
    and (`in_words`) not inside a Latin word or number."""
    if chars[k] in NO_LINE_START or chars[k - 1] in NO_LINE_END:
        return False
    return not (in_words and _is_latin(chars[k]) and _is_latin(chars[k - 1]))


def _line_end(chars: Sequence[str], start: int, end: int, whole: frozenset[int] = _NONE) -> int:
    """Where the line from `start` ends when `chars[end]` is the first character that does not fit.

    The nearest break that keeps Latin words, dates and bracketed words whole, if one
    is in the line's second half; else the nearest the punctuation rules allow outside
    dates and brackets; else the nearest they allow; else where the line is full.
    """
    for k in range(end, (start + end) // 2, -1):
        if k not in whole and _allowed(chars, k, in_words=True):
            return k
    for k in range(end, start, -1):
        if k not in whole and _allowed(chars, k, in_words=False):
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
    whole: frozenset[int] | None = None  # found on the first overflow: most cells fit on one line
    while i < n:
        used += widths[i]
        i += 1
        hard = bool(hard_breaks and hard_breaks[i - 1])
        if not hard and not (used > max_width + _FUZZ and i - 1 > start):
            continue
        if hard:
            end = i
        else:
            if whole is None:
                whole = _kept_whole(chars)
            end = _line_end(chars, start, i - 1, whole)
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


def fit_parts(parts: Sequence[str], fits: Callable[[str], bool]) -> str:
    """`parts` joined into lines ("\\n" between them) that break only between parts, each line as full as `fits`
    allows; a line's leading spaces are dropped. A part too long for a line alone wraps as any text does."""
    lines = [""]
    for part in parts:
        if lines[-1] and not fits(lines[-1] + part):
            lines.append(part.lstrip("　 "))
        else:
            lines[-1] += part
    return "\n".join(lines)
