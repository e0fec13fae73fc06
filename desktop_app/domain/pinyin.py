"""Pinyin keys for search-as-you-type: 张三 -> ("zhangsan", "zs")."""

from __future__ import annotations

from functools import lru_cache

# Surnames whose reading differs from the common one (单 shan, 曾 zeng ...).
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "覃": "qin", "尉": "yu", "乐": "yue", "缪": "miao", "冼": "xian",
    "翟": "zhai", "盖": "ge", "过": "guo", "员": "yun", "种": "chong", "繁": "po",
}


@lru_cache(maxsize=65536)
def keys(name: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        return "", ""
    from pypinyin import Style, lazy_pinyin  # imported on first use: ~0.4 s of start-up

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s.lower()))
    if name[0] in _SURNAME_READINGS and syllables:
        syllables[0] = _SURNAME_READINGS[name[0]]
    syllables = [s.lower() for s in syllables if s.strip()]
    return "".join(syllables), "".join(s[0] for s in syllables)
