"""党费收据 rules: the total in 大写 and the receipt's number derived from its payment."""

from __future__ import annotations

import pytest

from desktop_app.domain.dues import receipt_amount_words, receipt_number


@pytest.mark.parametrize(("fen", "words"), [
    (0, "人民币零元整"),
    (5, "人民币伍分"),  # 0.05
    (50, "人民币伍角整"),  # 0.50
    (1000, "人民币壹拾元整"),  # 10.00
    (10110, "人民币壹佰零壹元壹角整"),  # 101.10
    (10101, "人民币壹佰零壹元零壹分"),  # 101.01
    (12000, "人民币壹佰贰拾元整"),  # 120.00, a member's 1% of 12,000 元 for a year's first quarter and more
    (100503, "人民币壹仟零伍元零叁分"),  # 1005.03
    (100000000, "人民币壹佰万元整"),  # 1,000,000.00
    (100000100, "人民币壹佰万零壹元整"),  # 1,000,001.00
])
def test_the_total_in_capitals(fen, words):
    assert receipt_amount_words(fen) == words


def test_a_receipt_is_never_for_a_negative_amount():
    with pytest.raises(ValueError):
        receipt_amount_words(-1)
    with pytest.raises(TypeError):
        receipt_amount_words(1.5)  # type: ignore[arg-type]


def test_the_number_is_the_voucher_with_the_branch_code():
    assert receipt_number("2026-0007", "ZB01") == "2026-ZB01-0007"
    assert receipt_number("2026-7", "ZB01") == "2026-ZB01-0007"
    assert receipt_number("2026-0007", "") == "2026-0007"
    # Several members on one 党费收缴 entry: one number each.
    assert [receipt_number("2026-0012", "ZB02", n, 3) for n in (1, 2, 3)] == [
        "2026-ZB02-0012/1", "2026-ZB02-0012/2", "2026-ZB02-0012/3"]
    # A hand-typed voucher that is not of the year's sequence is kept as typed; no voucher says so.
    assert receipt_number("老账12", "ZB01") == "老账12-ZB01"
    assert receipt_number("", "") == "无凭证"
