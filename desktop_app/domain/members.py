"""党员 rules: what a member record must satisfy, ages and bands, dates as people write them.

Pure: no SQL, no Qt. Every problem is a ValidationError naming the Chinese
column of the 党员基本信息采集表, so a form and an import report can point at it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from desktop_app.domain import idcard
from desktop_app.domain import text as text_rules
from desktop_app.domain.errors import ValidationError

FULL = "正式党员"
PROBATIONARY = "预备党员"
CATEGORIES = (FULL, PROBATIONARY)
NO_CONFIRMED_DATE = "正式党员未填写转为正式党员日期"  # a row warning; an import that asks more in its place drops it

NORMAL = "正常"
SUSPENDED = "停止党籍"
PARTY_STATUSES = (NORMAL, SUSPENDED)

FLOATING = "流动"
LOST = "失联"
TRANSFERRED_OUT = "转出"
DECEASED = "去世"
# 出党: the member is no longer in the party (党章 articles 9 and 40); set by an exit record only.
REMOVED = "除名"
WITHDRAWN = "退党"
EXPELLED = "开除党籍"
LAPSED = "自行脱党"
EXIT_STATUSES = (REMOVED, WITHDRAWN, EXPELLED, LAPSED)
# Where a member is now. 转出, 去世 and 出党 leave the current roster but keep their record.
STATUSES = (NORMAL, FLOATING, SUSPENDED, LOST, TRANSFERRED_OUT, DECEASED)
ALL_STATUSES = STATUSES + EXIT_STATUSES
GONE_STATUSES = (TRANSFERRED_OUT, DECEASED) + EXIT_STATUSES

TRANSFER_IN = "转入"
TRANSFER_OUT = "转出"
DIRECTIONS = (TRANSFER_IN, TRANSFER_OUT)

GENDERS = (idcard.MALE, idcard.FEMALE)
YES, NO = "是", "否"

# The import/export columns of the 党员基本信息采集表, in order (DESIGN.md).
TEMPLATE_COLUMNS: tuple[str, ...] = (
    "序号", "姓名", "所在党支部", "公民身份号码", "性别", "民族", "出生日期", "学历", "人员类别",
    "加入党组织日期", "转为正式党员日期", "工作岗位", "手机号码", "固定电话", "家庭住址",
    "党籍状态", "是否为失联党员", "失去联系日期", "是否为流动党员", "外出流向", "备注",
)

# Template column -> MemberInput field ("所在党支部" is resolved to an org by the importer).
COLUMN_FIELDS: dict[str, str] = {
    "序号": "seq", "姓名": "name", "所在党支部": "org_id", "公民身份号码": "id_number",
    "性别": "gender", "民族": "ethnicity", "出生日期": "birth_date", "学历": "education",
    "人员类别": "category", "加入党组织日期": "joined_date", "转为正式党员日期": "confirmed_date",
    "工作岗位": "job", "手机号码": "mobile", "固定电话": "phone", "家庭住址": "address",
    "党籍状态": "party_status", "是否为失联党员": "is_lost", "失去联系日期": "lost_date",
    "是否为流动党员": "is_floating", "外出流向": "floating_to", "备注": "notes",
}
FIELD_LABELS: dict[str, str] = {v: k for k, v in COLUMN_FIELDS.items()} | {
    "reporting_employer": "报到单位", "reporting_post": "报到岗位",
    "reporting_date": "报到日期", "reporting_services": "服务内容", "is_hardship": "困难党员",
    "org_name": "所在党支部",  # the branch as written in a file, before it is resolved to an org
}

# Column widths of the model (PostgreSQL enforces them; SQLite would not).
_MAX_LEN = {
    "name": 40, "ethnicity": 20, "education": 20, "job": 60, "address": 120,
    "floating_to": 120, "reporting_employer": 120, "reporting_post": 60, "phone": 30,
}


@dataclass(frozen=True)
class MemberInput:
    """Everything a user edits about a member (status is changed by its own action).

    `org_name` is only used by imports: a member of a branch that the same import
    creates has no org_id yet.
    """

    name: str = ""
    org_id: str | None = None
    id_number: str = ""
    gender: str = ""
    ethnicity: str = "汉族"
    birth_date: date | None = None
    education: str = ""
    category: str = FULL
    joined_date: date | None = None
    confirmed_date: date | None = None
    job: str = ""
    mobile: str = ""
    phone: str = ""
    address: str = ""
    party_status: str = NORMAL
    is_lost: bool = False
    lost_date: date | None = None
    is_floating: bool = False
    floating_to: str = ""
    notes: str = ""
    reporting_employer: str = ""
    reporting_post: str = ""
    reporting_date: date | None = None
    reporting_services: str = ""
    is_hardship: bool = False
    seq: int = 0
    org_name: str = ""


# Fields stored on Member (org_name is not a column).
MEMBER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MemberInput) if f.name != "org_name")


# ---------------------------------------------------------------- dates and ages

def add_years(d: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 3, 1)


def full_years(start: date | None, today: date) -> int | None:
    """Whole years from `start` to `today` (an age, a party age); None when unknown."""
    if start is None:
        return None
    n = today.year - start.year
    if add_years(start, n) > today:
        n -= 1
    return max(n, 0)


def latest_start_for(today: date, years: int) -> date:
    """The latest start date that has `years` full years by `today`.

    full_years(s, today) >= years  <=>  s <= latest_start_for(today, years);
    this turns an age condition into a plain date comparison SQL can index.
    """
    try:
        bound = today.replace(year=today.year - years)
    except ValueError:  # today is 29 February, that year has none
        bound = date(today.year - years, 2, 28)
    # Someone born on 29 February has a birthday on 1 March in common years.
    while add_years(bound + timedelta(days=1), years) <= today:
        bound += timedelta(days=1)
    while add_years(bound, years) > today:
        bound -= timedelta(days=1)
    return bound


def age(birth: date | None, today: date) -> int | None:
    return full_years(birth, today)


def party_age_start(category: str, joined: date | None, confirmed: date | None) -> date | None:
    """党龄 counts from the day a member became 正式党员.

    A 预备党员 has no party age yet. For a 正式党员 with no confirmation date
    on record, one year after joining (the probation period) stands in.
    """
    if category == PROBATIONARY:
        return None
    if confirmed is not None:
        return confirmed
    return add_years(joined, 1) if joined is not None else None


def party_age(category: str, joined: date | None, confirmed: date | None, today: date) -> int | None:
    return full_years(party_age_start(category, joined, confirmed), today)


def counted_to(status: str, since: date | None, today: date) -> date:
    """The day 年龄 and 党龄 are counted to: for a member who died or left the party (出党), the day of it."""
    if since is not None and since <= today and (status == DECEASED or status in EXIT_STATUSES):
        return since
    return today


def probation_due(joined: date, today: date) -> int:
    """Days until a 预备党员 is due for confirmation (one year after joining); negative = overdue."""
    return (add_years(joined, 1) - today).days


def category_not_given(joined: date | None, confirmed: date | None, today: date) -> tuple[str, str]:
    """The 人员类别 of a row whose file gives none, and why ("" when there is nothing to check).

    Joined less than a year (the 预备期, 党章 article 7) before `today` with no 转正 date: a 预备党员,
    since a 正式党员 must have been confirmed. Joined longer ago with no 转正 date: most likely a 正式党员 whose
    date was never written down, but a 预备期 may have been extended, so the row asks. A 转正 date: 正式党员.
    """
    if confirmed is not None or joined is None or joined > today:
        return FULL, ""
    if add_years(joined, 1) > today:
        return PROBATIONARY, (f"未填人员类别：{joined:%Y-%m-%d} 入党，不满一年（预备期）且未填转为正式党员日期，"
                              "按预备党员导入")
    return FULL, "未填人员类别和转为正式党员日期：入党已满一年，按正式党员导入，请核对是否已转正 / 延长预备期"


# Bands: label -> (lowest, highest) whole years, both inclusive; None = open.
_AGE_LIMITS: dict[str, tuple[int | None, int | None]] = {
    "35岁及以下": (None, 35),
    "36-45岁": (36, 45),
    "46-55岁": (46, 55),
    "56-60岁": (56, 60),
    "61-70岁": (61, 70),
    "71-80岁": (71, 80),
    "80岁以上": (81, None),
}
# Party-age bands read "from lo up to, not including, hi": 5-10年 is 5 to 9 full years.
_PARTY_AGE_LIMITS: dict[str, tuple[int | None, int | None]] = {
    "5年以下": (None, 4),
    "5-10年": (5, 9),
    "10-20年": (10, 19),
    "20-30年": (20, 29),
    "30-50年": (30, 49),
    "50年以上": (50, None),
}
AGE_BANDS: tuple[str, ...] = tuple(_AGE_LIMITS)
PARTY_AGE_BANDS: tuple[str, ...] = tuple(_PARTY_AGE_LIMITS)


def _band(value: int | None, limits: dict[str, tuple[int | None, int | None]]) -> str | None:
    if value is None:
        return None
    for label, (lo, hi) in limits.items():
        if (lo is None or value >= lo) and (hi is None or value <= hi):
            return label
    return None


def age_band(years: int | None) -> str | None:
    return _band(years, _AGE_LIMITS)


def party_age_band(years: int | None) -> str | None:
    return _band(years, _PARTY_AGE_LIMITS)


def band_limits(label: str) -> tuple[int | None, int | None]:
    """(lowest, highest) whole years of an age or party-age band, inclusive."""
    if label in _AGE_LIMITS:
        return _AGE_LIMITS[label]
    if label in _PARTY_AGE_LIMITS:
        return _PARTY_AGE_LIMITS[label]
    raise ValidationError("年龄段", f"未知的分段“{label}”")


def start_range(label: str, today: date) -> tuple[date | None, date | None]:
    """Start dates (birth, party-age start) that fall in a band on `today`: (after, on_or_before).

    A band [lo, hi] holds start dates s with  latest_start_for(today, hi + 1) < s <= latest_start_for(today, lo).
    """
    lo, hi = band_limits(label)
    upper = latest_start_for(today, lo) if lo is not None else None
    lower = latest_start_for(today, hi + 1) if hi is not None else None
    return lower, upper


# ---------------------------------------------------------------- parsing dates

_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts 1900-02-29, which never was)
_YMD = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_YM = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*)(\d{1,2})\s*月?$")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _checked(y: int, m: int, d: int, shown: str) -> date:
    if not 1900 <= y <= 2100:
        raise ValueError(f"“{shown}”的年份不合理")
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(f"“{shown}”不是有效日期") from None


def _from_serial(n: float, shown: str) -> date:
    whole = int(n)
    if 1 <= whole <= 73050:  # 1900-01-01 .. 2099-12-31
        return _EXCEL_EPOCH + timedelta(days=whole)
    if 19000101 <= whole <= 21001231:  # 19850302 stored as a number
        s = str(whole)
        return _checked(int(s[:4]), int(s[4:6]), int(s[6:]), shown)
    raise ValueError(f"“{shown}”不是日期")


def _year_month(text: str) -> bool:
    """201907: a year and a month as other systems write 入党时间, not a date nor a serial."""
    return len(text) == 6 and text.isascii() and text.isdigit() and 1900 <= int(text[:4]) <= 2100 and 1 <= int(text[4:]) <= 12


def parse_date(value: Any) -> date | None:
    """A date as people and spreadsheets write it; None for a blank cell.

    Accepts 1985-03-02, 1985/3/2, 1985.3.2, 1985年3月2日, 19850302, an Excel
    serial number and date/datetime objects. Raises ValueError with a plain
    Chinese reason otherwise.
    """
    if type(value) is str and len(value) == 10 and value[4] == "-" == value[7] and value.isascii():
        y, m, d = value[:4], value[5:7], value[8:]
        if y.isdigit() and m.isdigit() and d.isdigit():  # 1985-03-02, as most files write it
            return _checked(int(y), int(m), int(d), value)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是日期")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("不是日期")
        if value == int(value) and _year_month(str(int(value))):
            raise ValueError(f"“{int(value)}”只有年月，缺少日，请写成 1985-03-02 这样的完整日期")
        return _from_serial(value, str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    shown = text
    text = _TIME_SUFFIX.sub("", text).strip()
    if m := _YMD.match(text) or _CN.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]), shown)
    if re.fullmatch(r"\d{8}", text):
        return _checked(int(text[:4]), int(text[4:6]), int(text[6:]), shown)
    if _YM.match(text) or _year_month(text):  # before serials: 1985.03 is a month, not day 1985
        raise ValueError(f"“{shown}”只有年月，缺少日，请写成 1985-03-02 这样的完整日期")
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text):  # an Excel serial saved as text
        return _from_serial(float(text), shown)
    raise ValueError(f"无法识别的日期“{shown}”，请写成 1985-03-02 这样的格式")


def format_date(d: date | None) -> str:
    return d.isoformat() if d else ""


# ---------------------------------------------------------------- phones and small values

_PHONE_PUNCT = re.compile(r"[\s\-()]")
_MOBILE = re.compile(r"1\d{10}")


def normalize_mobile(raw: str) -> str:
    """13812345678 from '+86 138-1234-5678' and the like; raises ValueError otherwise."""
    text = str(raw or "")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = _PHONE_PUNCT.sub("", text)
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    if not _MOBILE.fullmatch(text):
        raise ValueError(f"“{raw}”不是 11 位手机号码（应以 1 开头）")
    return text


def normalize_phone(raw: str) -> str:
    """A fixed line, loosely: digits with - ( ) + spaces or 转 for an extension, 7-20 digits."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    if not text:
        return ""
    text = re.sub(r"\s+", " ", text)
    digits = re.sub(r"\D", "", text)
    if not re.fullmatch(r"[\d\-()+ 转]+", text) or not 7 <= len(digits) <= 20:
        raise ValueError(f"“{raw}”不像电话号码")
    return text


def normalize_gender(raw: str) -> str:
    text = str(raw or "").strip()
    aliases = {"男性": idcard.MALE, "女性": idcard.FEMALE, "M": idcard.MALE, "F": idcard.FEMALE}
    return aliases.get(text.upper() if text.isascii() else text, text)


def parse_yes_no(value: Any) -> bool:
    """是/否 cells; blank is 否."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text in ("", "否", "n", "no", "0", "false", "不是", "无"):
        return False
    if text in ("是", "y", "yes", "1", "true"):
        return True
    raise ValueError(f"“{value}”应为 是 或 否")


def derived_status(inp: MemberInput) -> str:
    """The roster status the flags of a record imply (转出/去世 are set by their own actions)."""
    if inp.party_status == SUSPENDED:
        return SUSPENDED
    if inp.is_lost:
        return LOST
    if inp.is_floating:
        return FLOATING
    return NORMAL


# ---------------------------------------------------------------- validation

_INPUT_FIELDS = tuple(f.name for f in fields(MemberInput))
_TEXT_FIELDS = ("name", "ethnicity", "education", "job", "address", "floating_to", "notes",
                "reporting_employer", "reporting_post", "reporting_services", "org_name")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_SPACES = re.compile(r"\s+")


def _check(inp: MemberInput, today: date) -> tuple[MemberInput, list[ValidationError], list[str]]:
    errors: list[ValidationError] = []
    warnings: list[str] = []
    changes: dict[str, Any] = {}

    def fail(column: str, message: str) -> None:
        errors.append(ValidationError(column, message))

    for f in _TEXT_FIELDS:
        value = getattr(inp, f)
        value = value.strip() if isinstance(value, str) else str(value or "").strip()
        if (ch := text_rules.bad_char(value)) is not None:
            # An XLSX cannot hold it and a terminal would obey it: refused, with the field.
            fail(FIELD_LABELS[f], f"含有不可见的控制字符（{text_rules.describe(ch)}），请删除后重新填写")
        changes[f] = value
        limit = _MAX_LEN.get(f)
        if limit and len(value) > limit:
            fail(FIELD_LABELS[f], f"不能超过 {limit} 个字")

    # Rosters pad two-character names for alignment ("张　三"): drop spaces between
    # Chinese characters, keep one between Latin words.
    name = _SPACES.sub(" ", _CJK_GAP.sub("", changes["name"]))
    if not name:
        fail("姓名", "不能为空")
    changes["name"] = name

    info: idcard.IdInfo | None = None
    try:
        info = idcard.parse(inp.id_number)
        changes["id_number"] = info.number
        warnings.extend(idcard.warnings(info.number))
    except ValueError as exc:
        fail("公民身份号码", str(exc))

    birth = inp.birth_date
    if info is not None:
        if birth is None:
            birth = info.birth_date
        elif birth != info.birth_date:
            fail("出生日期", f"{birth:%Y-%m-%d} 与公民身份号码中的 {info.birth_date:%Y-%m-%d} 不一致")
    if birth is not None and birth > today:
        fail("出生日期", "不能晚于今天")
    changes["birth_date"] = birth

    gender = normalize_gender(inp.gender)
    if gender and gender not in GENDERS:
        fail("性别", f"“{inp.gender}”应为 男 或 女")
    elif info is not None:
        if not gender:
            gender = info.gender
        elif gender != info.gender:
            fail("性别", f"“{gender}”与公民身份号码（第 17 位表示{info.gender}）不一致")
    changes["gender"] = gender

    category = str(inp.category or "").strip()
    if category not in CATEGORIES:
        fail("人员类别", f"“{category}”应为 正式党员 或 预备党员" if category else "不能为空，应为 正式党员 或 预备党员")
    changes["category"] = category

    party_status = str(inp.party_status or "").strip() or NORMAL
    if party_status not in PARTY_STATUSES:
        fail("党籍状态", f"“{party_status}”应为 正常 或 停止党籍")
    changes["party_status"] = party_status

    joined, confirmed = inp.joined_date, inp.confirmed_date
    if joined is None:
        fail("加入党组织日期", "不能为空")
    else:
        if joined > today:
            fail("加入党组织日期", "不能晚于今天")
        if birth is not None and joined < add_years(birth, 18):
            fail("加入党组织日期", f"{joined:%Y-%m-%d} 时未满 18 周岁（出生于 {birth:%Y-%m-%d}）")
    if confirmed is not None:
        if category == PROBATIONARY:
            fail("转为正式党员日期",
                 "预备党员不应有转为正式党员日期：已转正的请把人员类别改为“正式党员”，尚未转正的请删去此日期")
        if joined is not None and confirmed <= joined:
            fail("转为正式党员日期", f"{confirmed:%Y-%m-%d} 应晚于加入党组织日期 {joined:%Y-%m-%d}")
        elif joined is not None and confirmed < add_years(joined, 1):
            warnings.append("转为正式党员日期距加入党组织不满一年（预备期为一年）")
        if confirmed > today:
            fail("转为正式党员日期", "不能晚于今天")
    if joined is not None and joined <= today:
        if category == FULL and confirmed is None:
            if add_years(joined, 1) <= today:
                warnings.append(NO_CONFIRMED_DATE)
            else:
                warnings.append("入党不满一年，应为预备党员")
        if category == PROBATIONARY and add_years(joined, 2) < today:
            warnings.append("预备期已超过两年，请核实是否已转正或取消预备党员资格")

    try:
        changes["mobile"] = normalize_mobile(inp.mobile)
    except ValueError as exc:
        fail("手机号码", str(exc))
    try:
        changes["phone"] = normalize_phone(inp.phone)
        if len(changes["phone"]) > _MAX_LEN["phone"]:
            fail("固定电话", f"不能超过 {_MAX_LEN['phone']} 个字")
    except ValueError as exc:
        fail("固定电话", str(exc))

    if inp.lost_date is not None:
        if not inp.is_lost:
            fail("失去联系日期", "只有失联党员才填写失去联系日期")
        elif inp.lost_date > today:
            fail("失去联系日期", "不能晚于今天")
    if changes["floating_to"] and not inp.is_floating:
        fail("外出流向", "只有流动党员才填写外出流向")
    if inp.reporting_date is not None and inp.reporting_date > today:
        fail("报到日期", "不能晚于今天")

    seq = inp.seq
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        fail("序号", f"“{seq}”应为不小于 0 的整数")
        seq = 0
    changes["seq"] = seq
    return MemberInput(**{**{f: getattr(inp, f) for f in _INPUT_FIELDS}, **changes}), errors, warnings


def validate(inp: MemberInput, today: date) -> MemberInput:
    """A normalized copy of `inp`; raises the first ValidationError found."""
    out, errors, _ = _check(inp, today)
    if errors:
        raise errors[0]
    return out


def validate_all(inp: MemberInput, today: date) -> list[ValidationError]:
    """Every problem of a record at once (the inline form and the import report)."""
    return _check(inp, today)[1]


def check(inp: MemberInput, today: date) -> tuple[MemberInput, list[ValidationError], list[str]]:
    """Normalized copy, every error and the warnings (things to look at, not to refuse)."""
    return _check(inp, today)


def warnings(inp: MemberInput, today: date) -> list[str]:
    return _check(inp, today)[2]
