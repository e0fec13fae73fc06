"""公民身份号码 (GB 11643-1999): check digit, birth date, gender, masking."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")

MALE = "男"
FEMALE = "女"


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    gender: str


def normalize(raw: str) -> str:
    """Strip spaces and make a lowercase x upper case; leaves anything else for parse()."""
    return re.sub(r"\s+", "", str(raw or "")).upper()


def parse(raw: str) -> IdInfo:
    """Validate an 18-character ID number; raise ValueError with a plain Chinese reason."""
    number = normalize(raw)
    if not number:
        raise ValueError("不能为空")
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", number):
        raise ValueError(f"“{raw}”是被 Excel 改成科学计数法的号码，请把该列设为文本后重新录入")
    if len(number) != 18:
        hint = "（可能被 Excel 去掉了前导 0 或末位）" if number.isdigit() and 15 <= len(number) < 18 else ""
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
