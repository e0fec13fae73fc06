"""组织关系转接: the 介绍信 and its 回执.

A 转出 sends the member with a 介绍信 valid for a stated time (commonly up to three
months); the receiving organisation returns the 回执. Until it comes back the
transfer is open, and once the letter has lapsed without it, overdue. The letter
also says up to which month dues were paid (党费交至).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain.errors import ValidationError

LETTER_MAX = 40
DEFAULT_VALID_MONTHS = 3


@dataclass(frozen=True)
class Letter:
    letter_no: str
    valid_until: date | None
    dues_paid_to: date | None


def check_letter(transfer_date: date, letter_no: str, valid_until: date | None, dues_paid_to: date | None) -> Letter:
    number = (letter_no or "").strip()
    if len(number) > LETTER_MAX:
        raise ValidationError("介绍信编号", f"不超过 {LETTER_MAX} 个字")
    if valid_until is not None and valid_until < transfer_date:
        raise ValidationError("有效期至", "有效期不能早于转接日期")
    month = dues_paid_to.replace(day=1) if dues_paid_to is not None else None
    return Letter(number, valid_until, month)


def check_receipt(transfer_date: date, on: date | None, today: date) -> date:
    if on is None:
        raise ValidationError("回执日期", "请填写收到回执的日期")
    if on < transfer_date:
        raise ValidationError("回执日期", "回执不能早于转接日期")
    if on > today:
        raise ValidationError("回执日期", "不能晚于今天")
    return on


def receipt_overdue(valid_until: date | None, receipt_on: date | None, today: date) -> bool:
    """The letter has lapsed and no 回执 came back."""
    return receipt_on is None and valid_until is not None and valid_until < today
