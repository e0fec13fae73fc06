"""Read model of the 组织关系转接 register (转入 and 转出 with their letters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.views.records import MemberRecord


@dataclass(frozen=True)
class TransferLetterRow(MemberRecord):
    direction: str  # 转入 / 转出
    transfer_date: date
    from_org: str
    to_org: str
    letter_no: str
    valid_until: date | None
    receipt_on: date | None
    dues_paid_to: date | None
    overdue: bool  # the letter lapsed without a 回执
    note: str = ""


@dataclass(frozen=True)
class TransferLetterSheet:
    """What a printed 党员组织关系介绍信 (存根, 介绍信, 回执) says about one 转出."""

    center_name: str
    member_name: str
    gender: str
    age: int | None
    ethnicity: str
    id_number: str  # masked for a reader without members.reveal
    category: str  # 正式党员 / 预备党员
    from_org: str
    to_org: str
    transfer_date: date
    letter_no: str
    valid_until: date | None
    dues_paid_to: date | None
