"""The sign-in sheet's QR codes, made quickly: qrcode lays out the matrix, the data is computed here.

Every page of every sheet carries a code of its own, and qrcode's pure-Python
bit buffer (a call per bit), Reed-Solomon polynomial division (new objects
per term) and data placement (a mask function call per module) were the
largest part of drawing a page. Here the version and the codewords are
computed with whole integers and qrcode's own tables; qrcode draws a
version's finder, timing, format and version patterns once, the walk its
data placement takes is recorded then, and each code's masked bits are
gathered into place in one call. The matrix is the same one
(tests/unit/test_signin_qr.py compares them over many texts).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from operator import itemgetter
from typing import NamedTuple

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


class _Probe(qrcode.QRCode):
    """qrcode's QRCode that stops where the data would be placed: the function patterns, format and version."""

    def map_data(self, data, mask_pattern):
        self.blank = [row[:] for row in self.modules]


class _Layout(NamedTuple):
    size: int  # modules per side
    data_modules: int
    mask: int  # the mask's bits in placement order, as one integer
    fixed: str  # "0"/"1" of the other modules, in reading order
    gather: Callable[[str], tuple[str, ...]]  # placement-order bits + fixed -> every module in reading order


_LAYOUTS: dict[int, _Layout] = {}


def _layout(version: int) -> _Layout:
    """Where qrcode puts the data of a version (its map_data walk) and what it draws around it; once per version."""
    found = _LAYOUTS.get(version)
    if found is not None:
        return found
    probe = _Probe(version=version, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK)
    probe.data_cache = []
    probe.makeImpl(False, MASK)
    blank = probe.blank
    n = len(blank)
    mask = util.mask_func(MASK)
    order: list[tuple[int, int]] = []
    row, inc = n - 1, -1
    for col in range(n - 1, 0, -2):  # qrcode's map_data walk: two columns at a time, zigzag up and down
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if blank[row][c] is None:
                    order.append((row, c))
            row += inc
            if row < 0 or n <= row:
                row -= inc
                inc = -inc
                break
    place = {rc: k for k, rc in enumerate(order)}
    fixed: list[str] = []
    sources: list[int] = []
    for r in range(n):
        for c in range(n):
            k = place.get((r, c))
            if k is None:
                sources.append(len(order) + len(fixed))
                fixed.append("1" if blank[r][c] else "0")
            else:
                sources.append(k)
    mask_bits = int("".join("1" if mask(r, c) else "0" for r, c in order), 2)
    found = _LAYOUTS[version] = _Layout(n, len(order), mask_bits, "".join(fixed), itemgetter(*sources))
    return found


def qr_rows(value: str) -> list[str]:
    """The QR code of `value` (error correction M, mask 2) as rows of "1" (dark) and "0", no quiet zone."""
    chunks = list(util.optimal_data_chunks(value, minimum=20))  # as QRCode.add_data does
    version = version_for(ERROR_CORRECT_M, chunks)
    words = codewords(version, ERROR_CORRECT_M, chunks)
    lay = _layout(version)
    total = len(words) * 8  # the modules left after the codewords stay light, before the mask
    bits = (int.from_bytes(bytes(words), "big") << (lay.data_modules - total)) ^ lay.mask
    modules = "".join(lay.gather(format(bits, f"0{lay.data_modules}b") + lay.fixed))
    n = lay.size
    return [modules[i:i + n] for i in range(0, n * n, n)]


def qr_matrix(value: str) -> list[list[bool]]:
    """qr_rows as rows of booleans (dark modules True), the form qrcode's get_matrix gives."""
    return [[m == "1" for m in row] for row in qr_rows(value)]
