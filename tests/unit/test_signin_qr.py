"""The sign-in sheet's fast QR codes are the very codes qrcode makes by itself."""

from __future__ import annotations

import random

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from desktop_app.reports import signin_qr


def library_matrix(value: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=signin_qr.MASK)
    code.add_data(value)
    code.make(fit=True)
    return code.get_matrix()


def test_the_fast_codes_equal_the_library_codes_over_many_texts():
    rng = random.Random(19)
    alphabets = ("0123456789", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ -$%*+./:", "abcxyz|-0123456789",
                 "党支部签到表王李张")
    texts = ["DQS1|320102001-2025-0001|1/3|1|25|N|d91ffe|180.0", "1", "A", "0" * 30, "3201020012025000112345"]
    for _ in range(300):  # numeric, alphanumeric and byte runs of every length, up to large versions
        texts.append("".join(rng.choice(rng.choice(alphabets)) for _ in range(rng.randint(1, 400))))
    for text in texts:
        assert signin_qr.qr_matrix(text) == library_matrix(text), text
