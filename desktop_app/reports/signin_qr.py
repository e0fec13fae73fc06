"""The sign-in sheet's QR codes, made quickly: qrcode lays out the matrix, the data is computed here.

Every page of every sheet carries a code of its own, and qrcode's pure-Python
bit buffer (a call per bit), Reed-Solomon polynomial division (new objects
per term) and data placement (a mask function call per module) were the
largest part of drawing a page. Here the version and the codewords are
computed with whole integers and qrcode's own tables, and the data bits go
to the module positions qrcode would visit, found once per version; qrcode
still draws the finder, timing, format and version patterns. The matrix is
the same one (tests/unit/test_signin_qr.py compares them over many texts).
"""

from __future__ import annotations

from bisect import bisect_left

import qrcode
from qrcode import LUT, base, util
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

MASK = 2  # fixed: choosing the mask by trying all eight costs ~6x the encoding; any mask reads on clean print

_EXP, _LOG = base.EXP_TABLE, base.LOG_TABLE
# EC codeword count -> for each byte value f, f times the generator's coefficients (after the leading 1)
_PRODUCTS: dict[int, list[list[int]]] = {}


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


def _products(ec_count: int) -> list[list[int]]:
    table = _PRODUCTS.get(ec_count)
    if table is None:
        if ec_count in LUT.rsPoly_LUT:
            coefficients = list(LUT.rsPoly_LUT[ec_count])
        else:
            poly = base.Polynomial([1], 0)
            for i in range(ec_count):
                poly = poly * base.Polynomial([1, base.gexp(i)], 0)
            coefficients = [poly[i] for i in range(len(poly))]
        logs = [_LOG[c] for c in coefficients[1:]]
        table = _PRODUCTS[ec_count] = [[0] * ec_count] + [
            [_EXP[(_LOG[f] + g) % 255] for g in logs] for f in range(1, 256)]
    return table


def _error_codewords(data: list[int], ec_count: int) -> list[int]:
    """The remainder of data·x^ec_count divided by the generator (a shift register over GF(256))."""
    products = _products(ec_count)
    rem = [0] * ec_count
    for byte in data:
        rem = [a ^ b for a, b in zip(rem[1:] + [0], products[byte ^ rem[0]])]
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


def version_for(error_correction: int, data_list) -> int:
    """The smallest version that holds the data (qrcode's best_fit, on whole integers)."""
    start = 1
    while True:
        sizes = util.mode_sizes_for_version(start)
        bits = _Bits()
        for data in data_list:
            bits.put(data.mode, 4)
            bits.put(len(data), sizes[data.mode])
            data.write(bits)
        version = bisect_left(util.BIT_LIMIT_TABLE[error_correction], bits.length, start)
        if version == 41:
            raise DataOverflowError()
        if sizes is util.mode_sizes_for_version(version):
            return version
        start = version


# (version, mask) -> the data modules in qrcode's placement order, each with whether the mask flips it
_PLACES: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}


def _places(modules: list[list], version: int, mask_pattern: int) -> list[tuple[int, int, bool]]:
    n = len(modules)
    mask = util.mask_func(mask_pattern)
    order: list[tuple[int, int, bool]] = []
    row, inc = n - 1, -1
    for col in range(n - 1, 0, -2):  # qrcode's map_data walk: two columns at a time, zigzag up and down
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if modules[row][c] is None:
                    order.append((row, c, bool(mask(row, c))))
            row += inc
            if row < 0 or n <= row:
                row -= inc
                inc = -inc
                break
    return order


class _Code(qrcode.QRCode):
    """qrcode's QRCode with the data placed from a cached walk of its free modules."""

    def map_data(self, data, mask_pattern):
        key = (self.version, mask_pattern)
        order = _PLACES.get(key)
        if order is None:
            order = _PLACES[key] = _places(self.modules, self.version, mask_pattern)
        total = len(data) * 8
        bits = bin(int.from_bytes(bytes(data), "big") | (1 << total))[3:].ljust(len(order), "0")
        modules = self.modules
        for (r, c, flip), bit in zip(order, bits):
            modules[r][c] = (bit == "1") != flip


def qr_matrix(value: str) -> list[list[bool]]:
    """The QR code of `value` (error correction M, mask 2) as rows of dark modules, no quiet zone."""
    code = _Code(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK)
    code.add_data(value)
    code.version = version_for(code.error_correction, code.data_list)
    code.data_cache = codewords(code.version, code.error_correction, code.data_list)
    code.makeImpl(False, MASK)
    return code.modules
