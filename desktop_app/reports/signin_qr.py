"""The sign-in sheet's QR codes, made quickly: qrcode lays out the matrix, its codewords are computed here.

Every page of every sheet carries a code of its own, and qrcode's pure-Python
bit buffer (a call per bit) and Reed-Solomon polynomial division (new
objects per term) were the largest part of drawing a page. This module hands
qrcode the finished codewords (its `data_cache`), computed the same way with
whole integers and its own log tables; the matrix qrcode then lays out is the
same one (tests/unit/test_signin_qr.py compares them over many texts).
"""

from __future__ import annotations

import qrcode
from qrcode import LUT, base, util
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

MASK = 2  # fixed: choosing the mask by trying all eight costs ~6x the encoding; any mask reads on clean print

_EXP, _LOG = base.EXP_TABLE, base.LOG_TABLE
_GENERATORS: dict[int, list[int]] = {}  # EC codeword count -> logs of the generator's coefficients (after the 1)


class _Bits:
    """qrcode's BitBuffer interface (`put`) over one Python integer."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = (self.value << length) | num
        self.length += length

    def __len__(self) -> int:
        return self.length


def _generator(ec_count: int) -> list[int]:
    logs = _GENERATORS.get(ec_count)
    if logs is None:
        if ec_count in LUT.rsPoly_LUT:
            coefficients = list(LUT.rsPoly_LUT[ec_count])
        else:
            poly = base.Polynomial([1], 0)
            for i in range(ec_count):
                poly = poly * base.Polynomial([1, base.gexp(i)], 0)
            coefficients = [poly[i] for i in range(len(poly))]
        logs = _GENERATORS[ec_count] = [_LOG[c] for c in coefficients[1:]]
    return logs


def _error_codewords(data: list[int], ec_count: int) -> list[int]:
    """The remainder of data·x^ec_count divided by the generator (a shift register over GF(256))."""
    gen = _generator(ec_count)
    rem = [0] * ec_count
    for byte in data:
        factor = byte ^ rem[0]
        rem = rem[1:] + [0]
        if factor:
            lf = _LOG[factor]
            for i, g in enumerate(gen):
                rem[i] ^= _EXP[(lf + g) % 255]
    return rem


def codewords(version: int, error_correction: int, data_list) -> list[int]:
    """What qrcode.util.create_data returns: data and error codewords, interleaved by block."""
    bits = _Bits()
    for data in data_list:
        bits.put(data.mode, 4)
        bits.put(len(data), util.length_in_bits(data.mode, version))
        data.write(bits)
    blocks = base.rs_blocks(version, error_correction)
    limit = sum(b.data_count * 8 for b in blocks)
    if bits.length > limit:
        raise DataOverflowError(f"Code length overflow. Data size ({bits.length}) > size available ({limit})")
    bits.put(0, min(limit - bits.length, 4))  # terminator
    if bits.length % 8:
        bits.put(0, 8 - bits.length % 8)
    for i in range((limit - bits.length) // 8):
        bits.put(util.PAD0 if i % 2 == 0 else util.PAD1, 8)
    stream = bits.value.to_bytes(bits.length // 8, "big")
    dc: list[list[int]] = []
    ec: list[list[int]] = []
    offset = 0
    for b in blocks:
        block = list(stream[offset:offset + b.data_count])
        offset += b.data_count
        dc.append(block)
        ec.append(_error_codewords(block, b.total_count - b.data_count))
    out = []
    for group in (dc, ec):
        for i in range(max(len(x) for x in group)):
            out.extend(x[i] for x in group if i < len(x))
    return out


def qr_matrix(value: str) -> list[list[bool]]:
    """The QR code of `value` (error correction M, mask 2) as rows of dark modules, no quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK)
    code.add_data(value)
    code.best_fit()
    code.data_cache = codewords(code.version, code.error_correction, code.data_list)
    code.make(fit=False)
    return code.get_matrix()
