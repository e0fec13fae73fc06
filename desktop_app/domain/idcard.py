"""公民身份号码 (GB 11643-1999): check digit, birth date, gender, masking."""

from __future__ import annotations

import re
import unicodedata
from operator import mul
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.errors import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$", re.ASCII)
# Full-width digits and X (typed with a Chinese input method) mean the same number.
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "X"})
# Python's int() and \d accept every script's digits: ٣١٠… would be another person than 310….
_SCRIPTS = {
    "ARABIC-INDIC": "阿拉伯-印度数字", "EXTENDED ARABIC-INDIC": "扩展阿拉伯-印度数字",
    "DEVANAGARI": "天城文数字", "BENGALI": "孟加拉数字", "THAI": "泰文数字", "TIBETAN": "藏文数字",
    "MONGOLIAN": "蒙古文数字", "MYANMAR": "缅甸文数字", "KHMER": "高棉文数字", "LAO": "老挝文数字",
    "MATHEMATICAL": "数学字母数字", "CIRCLED": "带圈数字", "SUPERSCRIPT": "上标数字", "SUBSCRIPT": "下标数字",
}
EXCEL_ZEROS_WARNING = "末尾是 000：如果这个号码曾在 Excel 中存为数字，后三位已被改成 0，请与身份证核对"

MALE = "男"
FEMALE = "女"


def check_digit(first17: str) -> str:
    total = sum(map(mul, map(int, first17), _WEIGHTS))  # without a generator: an import checks 100,000
    return _CHECK[total % 11]


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    gender: str


def normalize(raw: str) -> str:
    """Strip spaces, fold full-width digits and X, make a lowercase x upper case; leaves anything else for parse()."""
    return re.sub(r"\s+", "", str(raw or "")).translate(_FOLD).upper()


def foreign_digits(number: str) -> str | None:
    """Why `number` cannot be used when it holds digits other than ASCII 0-9 (after folding), else None."""
    for ch in number:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            name = unicodedata.name(ch, "")
            script = next((v for k, v in sorted(_SCRIPTS.items(), key=lambda kv: -len(kv[0]))
                           if name.startswith(k + " ") or k in name.split()), None)
            label = script or (name.title() if name else f"U+{ord(ch):04X}")
            return f"含有非标准数字（{label}），公民身份号码只能用 0-9 和 X"
    return None


def warnings(number: str) -> list[str]:
    """Things to look at in a valid number: a tail of 000 is what Excel leaves of a number stored as one."""
    n = normalize(number)
    return [EXCEL_ZEROS_WARNING] if len(n) == 18 and n.endswith("000") else []


def parse(raw: str) -> IdInfo:
    """Validate an 18-character ID number; raise ValueError with a plain Chinese reason."""
    number = normalize(raw)
    if not number:
        raise ValueError("不能为空")
    if problem := foreign_digits(number):
        raise ValueError(problem)
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", number):
        raise ValueError(f"“{raw}”是被 Excel 改成科学计数法的号码，请把该列设为文本后重新录入")
    if len(number) != 18:
        hint = "（可能被 Excel 去掉了前导 0 或末位）" if number.isascii() and number.isdigit() and 15 <= len(number) < 18 else ""
        raise ValueError(f"应为 18 位，实为 {len(number)} 位{hint}")
    if not _SHAPE.match(number):
        raise ValueError("前 17 位应为数字，末位为数字或 X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError(f"出生日期 {number[6:14]} 不是有效日期") from None
    if born.year < 1900:
        raise ValueError(f"出生日期 {number[6:14]} 不合理")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValueError(f"校验码错误（末位应为 {expected}）")
    gender = MALE if int(number[16]) % 2 == 1 else FEMALE
    return IdInfo(number, born, gender)


def parse_or_refuse(raw: str) -> IdInfo:
    """parse() for a form or service that stops at the first refusal: the reason comes as the
    公民身份号码 field's ValidationError."""
    try:
        return parse(raw)
    except ValueError as exc:
        raise ValidationError("公民身份号码", str(exc)) from None


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except ValueError:
        return False
    return True


def make(region: str, born: date, seq: int, gender: str) -> str:
    """Build a valid number: region 6 digits, seq 0-99, gender sets the 17th digit's parity."""
    last = (seq % 5) * 2 + (1 if gender == MALE else 0)
    first17 = f"{region}{born:%Y%m%d}{seq % 100:02d}{last}"
    return first17 + check_digit(first17)


def mask(number: str | None) -> str:
    """110105********002X: region and the last four remain."""
    if not number:
        return ""
    n = str(number)
    if len(n) <= 10:
        return n[:2] + "*" * max(0, len(n) - 2)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    p = str(phone)
    if len(p) >= 11:
        return p[:3] + "****" + p[-4:]
    if len(p) > 4:
        return "*" * (len(p) - 4) + p[-4:]
    return p
