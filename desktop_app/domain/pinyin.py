"""Pinyin keys for search-as-you-type: 张三 -> ("zhangsan", "zs").

A name is read character by character from a table (pypinyin's reading list,
first reading, tone marks dropped), shipped as domain/pinyin_table.py: pypinyin
itself, whose phrase dictionary costs half a second and about 55 MB when first
imported, is needed only to regenerate that table (python -m tests.pinyin_table).
Phrase segmentation does not help with names: it reads 于思雨 as yu-sai-yu
(思 in the phrase 于思, "bearded") and costs about 45 µs a name, which is most
of an import of 100,000 members. Surnames with a reading of their own as a
surname (单 shan, 曾 zeng ...) come from the table below.
"""

from __future__ import annotations

from functools import lru_cache

# Surnames whose reading differs from the common one (单 shan, 曾 zeng ...).
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "覃": "qin", "尉": "yu", "乐": "yue", "缪": "miao", "冼": "xian",
    "翟": "zhai", "盖": "ge", "过": "guo", "员": "yun", "种": "chong", "繁": "po",
    "卜": "bu",
}

_readings: dict[str, str] = {}  # character -> toneless reading, filled from the table on the first name


def _table() -> dict[str, str]:
    if not _readings:
        from desktop_app.domain.pinyin_table import BASE, RUNS, SYLLABLES

        for first, text in RUNS:
            for offset, code in enumerate(text):
                if code != " ":
                    _readings[chr(first + offset)] = SYLLABLES[ord(code) - BASE]
    return _readings


def _reading(char: str) -> str:
    # Not a Chinese character: itself, lower-cased (Latin letters and digits in a name are searched as typed).
    return (_readings or _table()).get(char) or char.lower()


@lru_cache(maxsize=65536)
def keys(name: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        return "", ""
    syllables = [_reading(c) for c in name if c.strip()]
    if name[0] in _SURNAME_READINGS:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return "".join(syllables), "".join(s[0] for s in syllables)


def matches(term: str, name: str) -> bool:
    """Whether a search term finds `name` in a list held in memory, as the database searches find it:
    a part of the name, or in Latin letters a part of its pinyin or the start of its initials (zs for 张三)."""
    term = term.strip()
    if not term or term in (name or ""):
        return True
    if not (term.isascii() and term.isalpha()):
        return False
    full, initials = keys(name)
    low = term.lower()
    return low in full or initials.startswith(low)
