"""组织关系转接 letters: validity not before the transfer, 党费交至 a month, the 回执 dated sensibly."""

from datetime import date

import pytest

from desktop_app.domain import transfers as t
from desktop_app.domain.errors import ValidationError


def test_letter_and_receipt():
    letter = t.check_letter(date(2025, 3, 10), " 梅组转〔2025〕7号 ", date(2025, 6, 10), date(2025, 3, 17))
    assert letter == t.Letter("梅组转〔2025〕7号", date(2025, 6, 10), date(2025, 3, 1))
    with pytest.raises(ValidationError) as e:
        t.check_letter(date(2025, 3, 10), "", date(2025, 3, 9), None)
    assert e.value.field == "有效期至"
    assert t.check_receipt(date(2025, 3, 10), date(2025, 4, 1), date(2025, 5, 1)) == date(2025, 4, 1)
    with pytest.raises(ValidationError):
        t.check_receipt(date(2025, 3, 10), date(2025, 3, 9), date(2025, 5, 1))
    with pytest.raises(ValidationError):
        t.check_receipt(date(2025, 3, 10), None, date(2025, 5, 1))
    assert t.receipt_overdue(date(2025, 6, 10), None, date(2025, 6, 11))
    assert not t.receipt_overdue(date(2025, 6, 10), date(2025, 4, 1), date(2025, 7, 1))
    assert not t.receipt_overdue(None, None, date(2030, 1, 1))
