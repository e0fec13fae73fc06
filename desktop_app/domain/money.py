"""Money in integer 分 (fen): parsing yuan as people type it, formatting, amounts in capitals.

Floating point never touches an amount: `Money` refuses a float with a
TypeError (as piecash does), and Decimal is used only to read and write yuan
text. Sums of integer fen are exact in Python and in SQL.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import total_ordering
from typing import Any

from desktop_app.domain.errors import ValidationError

FEN_PER_YUAN = 100
# Amounts in capitals are defined up to 9999万亿 yuan; nothing a center keeps comes near.
MAX_FEN = 10**16 * FEN_PER_YUAN - 1

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("仟", "佰", "拾", "")
_SECTIONS = ("", "万", "亿", "万亿")

# "1234", "1234.5", "1,234.56"; a sign is handled before the pattern.
_PLAIN = re.compile(r"^(\d+)(?:\.(\d*))?$")
_GROUPED = re.compile(r"^(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$")


def _require_int(value: Any, what: str = "fen") -> int:
    # bool is an int subclass; True fen is a bug, not an amount.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__} (money is never a float)")
    return value


def parse_yuan(value: Any, field: str = "金额", *, allow_negative: bool = False) -> int:
    """Yuan as people write it → integer fen.

    Accepts "123.45", "123", "¥1,234.5", "￥ 80 元", full-width digits, a Decimal
    or an int (whole yuan). At most two decimals (more is refused, not rounded:
    an auditor must see what was typed). A float raises TypeError.
    Raises ValidationError naming `field` for anything else.
    """
    if isinstance(value, float):
        raise TypeError("money is never a float: pass the text the user typed, a Decimal or an int")
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, int):
        fen = value * FEN_PER_YUAN
    elif isinstance(value, Decimal):
        fen = _decimal_to_fen(value, field, str(value))
    elif isinstance(value, str):
        fen = _text_to_fen(value, field)
    else:
        raise TypeError(f"cannot read an amount from {type(value).__name__}")
    if fen < 0 and not allow_negative:
        raise ValidationError(field, "金额不能为负数")
    if abs(fen) > MAX_FEN:
        raise ValidationError(field, "金额过大")
    return fen


def _text_to_fen(text: str, field: str) -> int:
    shown = text.strip()
    s = unicodedata.normalize("NFKC", text).strip()
    s = s.replace(" ", "").replace("\u3000", "")
    negative = False
    if s.startswith(("-", "−")):
        negative, s = True, s[1:]
    for prefix in ("人民币", "RMB", "CNY", "¥", "￥"):
        if s.upper().startswith(prefix.upper()):
            s = s[len(prefix):]
    if s.startswith(("-", "−")) and not negative:  # "¥-12.00"
        negative, s = True, s[1:]
    if s.endswith("元"):
        s = s[:-1]
    if not s:
        raise ValidationError(field, "请填写金额")
    m = _PLAIN.match(s) or _GROUPED.match(s)
    if m is None:
        if "," in s:
            raise ValidationError(field, f"“{shown}”的千位分隔符位置不对")
        raise ValidationError(field, f"“{shown}”不是金额，请填写如 123.45 的数字")
    whole = m.group(1).replace(",", "")
    frac = m.group(2) or ""
    if len(frac) > 2 and frac[2:].strip("0"):
        raise ValidationError(field, f"“{shown}”超过两位小数，金额只记到分")
    frac = (frac + "00")[:2]
    fen = int(whole) * FEN_PER_YUAN + int(frac)
    return -fen if negative else fen


def _decimal_to_fen(value: Decimal, field: str, shown: str) -> int:
    if not value.is_finite():
        raise ValidationError(field, f"“{shown}”不是金额")
    try:
        scaled = value * FEN_PER_YUAN
        fen = int(scaled)
    except (InvalidOperation, OverflowError):
        raise ValidationError(field, "金额过大") from None
    if scaled != fen:
        raise ValidationError(field, f"“{shown}”超过两位小数，金额只记到分")
    return fen


def fen_to_decimal(fen: int) -> Decimal:
    """Exact yuan as a Decimal with two places (for spreadsheets and text)."""
    _require_int(fen)
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def format_yuan(fen: int, *, grouping: bool = True, symbol: bool = False) -> str:
    """12345 → "123.45"; 123456789 → "1,234,567.89"; symbol adds "¥"."""
    _require_int(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{'¥' if symbol else ''}{whole}.{cents:02d}"


WAN_FEN = 10_000 * FEN_PER_YUAN  # 一万元: where an amount read at a glance turns to 万元


def amount_unit(fen: int) -> str:
    """The unit an amount is read in at a glance: 元 below 10,000 元 ("0.32 万元" hides 3,200 元), 万元 from there on."""
    return "万元" if abs(_require_int(fen)) >= WAN_FEN else "元"


def format_in(fen: int, unit: str) -> str:
    """`fen` in `unit` (元 or 万元), two decimals, grouped, no unit text: 320000 → "3,200.00";
    in 万元 34174999 → "34.17" (half up, in integers: no float touches the amount)."""
    if unit == "元":
        return format_yuan(fen)
    _require_int(fen)
    step = WAN_FEN // 100  # 0.01 万元
    whole, part = divmod((abs(fen) + step // 2) // step, 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{part:02d}"


def format_amount(fen: int) -> str:
    """An amount to read at a glance: "3,200.00 元" below 10,000 元, "34.17 万元" from there on."""
    unit = amount_unit(fen)
    return f"{format_in(fen, unit)} {unit}"


def _section_capitals(n: int) -> str:
    """1..9999 in capitals with 零 for inner zeros: 1005 → 壹仟零伍, 1050 → 壹仟零伍拾."""
    out, pending_zero, started = "", False, False
    for place, digit in zip(_PLACES, (n // 1000, n // 100 % 10, n // 10 % 10, n % 10)):
        if digit == 0:
            pending_zero = pending_zero or started
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += _DIGITS[digit] + place
        started = True
    return out


def _integer_capitals(n: int) -> str:
    """Whole yuan in capitals; "" for zero.

    Sections of four digits carry 万 / 亿. One 零 stands for any run of zeros
    inside the number, including a run that crosses a section boundary
    (100100 → 壹拾万零壹佰); a section that starts with its thousands digit
    after a higher one needs no 零 (107000 → 壹拾万柒仟), as the 支付结算办法
    allows. 10-19 keep their 壹 (壹拾伍), as financial writing requires.
    """
    sections: list[int] = []
    while n:
        n, rest = divmod(n, 10000)
        sections.append(rest)
    out, gap = "", False
    for i in reversed(range(len(sections))):
        sec = sections[i]
        if sec == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or sec < 1000):
            out += "零"
        out += _section_capitals(sec) + _SECTIONS[i]
        gap = False
    return out


def amount_in_capitals(fen: int) -> str:
    """中文大写金额 as vouchers and cheques write it.

    12345 → 壹佰贰拾叁元肆角伍分; 10000 → 壹佰元整; 100503 → 壹仟零伍元零叁分;
    50 → 伍角整; 0 → 零元整; a reversal's negative amount gets 负 in front.
    整 closes an amount without 分, so nothing can be added after it.
    """
    _require_int(fen)
    if abs(fen) > MAX_FEN:
        raise ValueError("amount too large for capitals")
    negative = fen < 0
    yuan, rest = divmod(abs(fen), FEN_PER_YUAN)
    jiao, cents = divmod(rest, 10)
    text = _integer_capitals(yuan)
    if text:
        text += "元"
    if jiao == 0 and cents == 0:
        text = (text or "零元") + "整"
    else:
        if jiao:
            text += _DIGITS[jiao] + "角"
        elif text:
            text += "零"  # 角 is zero but 分 is not: 元零叁分
        text += _DIGITS[cents] + "分" if cents else "整"
    return ("负" if negative else "") + text


@total_ordering
class Money:
    """An amount in integer fen. Refuses float everywhere, so a float can never sneak into a sum."""

    __slots__ = ("_fen",)

    def __init__(self, fen: int = 0):
        object.__setattr__(self, "_fen", _require_int(fen))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Money is immutable")

    @classmethod
    def parse(cls, value: Any, field: str = "金额", *, allow_negative: bool = False) -> "Money":
        return cls(parse_yuan(value, field, allow_negative=allow_negative))

    @property
    def fen(self) -> int:
        return self._fen

    @property
    def yuan(self) -> Decimal:
        return fen_to_decimal(self._fen)

    def format(self, *, grouping: bool = True, symbol: bool = False) -> str:
        return format_yuan(self._fen, grouping=grouping, symbol=symbol)

    def capitals(self) -> str:
        return amount_in_capitals(self._fen)

    # arithmetic: Money with Money; scaling by int only
    def _other(self, other: Any) -> int:
        if isinstance(other, Money):
            return other._fen
        if isinstance(other, float):
            raise TypeError("money is never a float")
        return NotImplemented  # type: ignore[return-value]

    def __add__(self, other: Any) -> "Money":
        o = self._other(other)
        return NotImplemented if o is NotImplemented else Money(self._fen + o)

    def __radd__(self, other: Any) -> "Money":
        if other == 0 and not isinstance(other, float):  # sum() starts from 0
            return self
        return self.__add__(other)

    def __sub__(self, other: Any) -> "Money":
        o = self._other(other)
        return NotImplemented if o is NotImplemented else Money(self._fen - o)

    def __mul__(self, other: Any) -> "Money":
        if isinstance(other, bool) or not isinstance(other, int):
            raise TypeError("Money can only be multiplied by an int")
        return Money(self._fen * other)

    __rmul__ = __mul__

    def __neg__(self) -> "Money":
        return Money(-self._fen)

    def __abs__(self) -> "Money":
        return Money(abs(self._fen))

    def __bool__(self) -> bool:
        return self._fen != 0

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Money):
            return self._fen == other._fen
        if isinstance(other, float):
            raise TypeError("money is never compared with a float")
        return NotImplemented

    def __lt__(self, other: Any) -> bool:
        o = self._other(other)
        if o is NotImplemented:
            return NotImplemented
        return self._fen < o

    def __hash__(self) -> int:
        return hash(("Money", self._fen))

    def __repr__(self) -> str:
        return f"Money({self._fen})"

    def __str__(self) -> str:
        return format_yuan(self._fen, symbol=True)
