"""Pinyin keys for search-as-you-type: 张三 -> ("zhangsan", "zs").

A name is read character by character from a table (pypinyin's reading list,
first reading, tone marks dropped), each character looked up once per process.
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

_readings: dict[str, str] = {}  # character -> toneless reading, filled as characters are met


def _reading(char: str) -> str:
    got = _readings.get(char)
    if got is None:
        from pypinyin.contrib.tone_convert import to_normal  # imported on first use: ~0.4 s of start-up
        from pypinyin.pinyin_dict import pinyin_dict

        listed = pinyin_dict.get(ord(char))
        # Not a Chinese character: itself, lower-cased (Latin letters and digits in a name are searched as typed).
        got = to_normal(listed.split(",", 1)[0]).lower() if listed else char.lower()
        _readings[char] = got
    return got


@lru_cache(maxsize=65536)
def keys(name: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        return "", ""
    syllables = [_reading(c) for c in name if c.strip()]
    if name[0] in _SURNAME_READINGS:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return "".join(syllables), "".join(s[0] for s in syllables)
