"""Attendance from a CSV file: 会议编号, 姓名 or 公民身份号码, 出勤情况, 请假原因.

Entering a signed sheet back: one row per person. A row names its meeting by
the number printed on the sheet (the whole number, or without the site code:
2025-0007), the person by ID number or by name (a name must be unambiguous:
first among the meeting's own list, then the branch, then the roster), and
the status 出席 / 请假 / 缺席 / 列席. Someone not on the roster may only be 列席.

check_file() writes nothing and lists every problem by row and column;
import_file() writes all rows in one transaction, or nothing when any row is
wrong unless told to skip the invalid rows.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop_app.domain import idcard
from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.services import meetings as ms
from desktop_app.store.db import Database

COLUMNS: tuple[str, ...] = ("会议编号", "姓名", "公民身份号码", "出勤情况", "请假原因", "单位")
_ALIASES: dict[str, str] = {c: c for c in COLUMNS} | {
    "编号": "会议编号", "会议号": "会议编号", "会议": "会议编号",
    "党员姓名": "姓名", "名字": "姓名",
    "身份证号": "公民身份号码", "身份证号码": "公民身份号码", "公民身份证号": "公民身份号码",
    "身份证": "公民身份号码", "公民身份证号码": "公民身份号码",
    "状态": "出勤情况", "出勤": "出勤情况", "出勤状态": "出勤情况", "签到": "出勤情况", "签到情况": "出勤情况",
    "到会情况": "出勤情况",
    "原因": "请假原因", "请假": "请假原因", "备注": "请假原因", "事由": "请假原因",
    "工作单位": "单位", "单位职务": "单位", "列席单位": "单位",
}
TEMPLATE_NAME = "出勤导入模板.csv"


class AttendanceImportError(DomainError):
    """The file has problems; nothing was written. `errors` lists them all."""

    def __init__(self, file_name: str, errors: list["RowError"]):
        self.file_name = file_name
        self.errors = errors
        shown = "\n".join(e.message(file_name) for e in errors[:10])
        more = f"\n…… 另有 {len(errors) - 10} 处错误" if len(errors) > 10 else ""
        super().__init__(f"{file_name}：有 {len(errors)} 处错误，未导入任何记录\n{shown}{more}")


@dataclass(frozen=True)
class RowError:
    row_number: int  # as a spreadsheet shows it: the header is row 1
    field: str
    value: str
    reason: str

    def message(self, file_name: str = "") -> str:
        where = f"{file_name}：" if file_name else ""
        value = f"“{self.value}”" if self.value else ""
        return f"{where}第 {self.row_number} 行，{self.field}{value}：{self.reason}"

    def __str__(self) -> str:
        return self.message()


@dataclass
class AttendanceCheck:
    """What a file would write; nothing written yet."""

    path: Path
    batches: list[ms.BulkAttendance]
    meetings: dict[str, str]  # meeting id -> number, for the summary
    rows: int  # data rows read (blank ones left out)
    valid_rows: int
    errors: list[RowError] = field(default_factory=list)

    @property
    def invalid_rows(self) -> int:
        return len({e.row_number for e in self.errors})

    def summary(self) -> str:
        text = f"{self.path.name}：共 {self.rows} 行，{len(self.meetings)} 次会议，可导入 {self.valid_rows} 行"
        return text + (f"，有错误 {self.invalid_rows} 行" if self.errors else "")


@dataclass(frozen=True)
class AttendanceImportResult:
    meetings: int
    rows: int
    skipped_invalid: int
    errors: tuple[RowError, ...] = ()  # the rows skipped, when skip_invalid
    dry_run: bool = False


# ---------------------------------------------------------------- reading

def _key(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\(.*?\)|\[.*?\]", "", s)
    return re.sub(r"[\s*:：]", "", s)


def _decode(name: str, raw: bytes) -> str:
    # Excel and WPS save CSV as UTF-8 with BOM or in the system code page (GBK, within GB18030).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(f"{name}：无法识别文件编码，请在 Excel 或 WPS 中另存为“CSV UTF-8”后再导入")


def read_rows(path: str | Path) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Column -> index for the columns we know, and (row number, cells) of the data rows."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"{path.name}：文件不存在")
    if path.suffix.lower() not in (".csv", ".txt"):
        raise DomainError(f"{path.name}：出勤导入只接受 CSV 文件（在 Excel/WPS 中另存为 CSV）")
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise DomainError(f"{path.name}：文件被占用或没有读取权限，请关闭 Excel/WPS 后重试") from None
    text = _decode(path.name, raw)
    if "\x00" in text:
        raise DomainError(f"{path.name}：不是文本格式的 CSV 文件")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise DomainError(f"{path.name}：CSV 格式有误（{exc}）") from None
    for i, rec in enumerate(records[:5]):  # a title line above the header is common
        found = {_ALIASES.get(_key(c)): j for j, c in reversed(list(enumerate(rec))) if _ALIASES.get(_key(c))}
        if "会议编号" in found and "出勤情况" in found and ("姓名" in found or "公民身份号码" in found):
            rows = [(i + 2 + k, r) for k, r in enumerate(records[i + 1:]) if any(c.strip() for c in r)]
            return found, rows
    if not any(any(c.strip() for c in r) for r in records):
        raise DomainError(f"{path.name}：文件是空的")
    raise DomainError(
        f"{path.name}：找不到表头。需要“会议编号”“出勤情况”两列和“姓名”或“公民身份号码”列，"
        f"可用列：{'、'.join(COLUMNS)}"
    )


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    j = columns.get(name)
    if j is None or j >= len(cells):
        return ""
    text = unicodedata.normalize("NFKC", cells[j]).strip()
    if m := re.fullmatch(r'="(.*)"', text):  # ="3201..." keeps a number as text in Excel
        text = m[1].strip()
    return text.lstrip("'").strip()


# ---------------------------------------------------------------- checking

class _People:
    """The roster by ID number and by name, read once per file."""

    def __init__(self, db: Database):
        self.by_id: dict[str, ms.PersonRef] = {}
        self.by_name: dict[str, list[ms.PersonRef]] = defaultdict(list)
        for p in ms.people_index(db):
            self.by_id[p.id_number] = p
            self.by_name[p.name].append(p)


def check_file(db: Database, path: str | Path, today: date | None = None) -> AttendanceCheck:
    """Read and check a file against the database; writes nothing."""
    today = today or date.today()
    path = Path(path)
    columns, rows = read_rows(path)
    people = _People(db)
    meetings: dict[str, ms.MeetingDetail | None] = {}  # number as written -> meeting
    errors: list[RowError] = []
    entries: dict[str, list[ms.AttendanceEntry]] = defaultdict(list)
    numbers: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    bad: dict[str, str] = {}  # number as written -> why it cannot be used
    valid = 0

    for row_no, cells in rows:
        def fail(column: str, value: str, reason: str) -> None:
            errors.append(RowError(row_no, column, value, reason))

        before = len(errors)
        number = _cell(cells, columns, "会议编号")
        name = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", _cell(cells, columns, "姓名"))
        id_raw = _cell(cells, columns, "公民身份号码").upper().replace(" ", "")
        status_raw = _cell(cells, columns, "出勤情况")
        reason = _cell(cells, columns, "请假原因")
        unit = _cell(cells, columns, "单位")

        meeting = None
        if not number:
            fail("会议编号", "", "不能为空（见签到表右上角的编号）")
        else:
            if number not in meetings:
                meetings[number], bad[number] = _meeting(db, number, today)
            if meetings[number] is None:
                fail("会议编号", number, bad[number])
            meeting = meetings[number]

        status = ""
        try:
            status = rules.check_attendance_status(status_raw)
        except ValidationError as exc:
            fail("出勤情况", status_raw, exc.message if status_raw else "不能为空，应为 出席、请假、缺席 或 列席")
        if len(reason) > 100:
            fail("请假原因", reason[:20] + "…", "不能超过 100 个字")

        person: ms.PersonRef | None = None
        guest_name = ""
        if id_raw:
            try:
                number_ok = idcard.parse(id_raw).number
            except ValueError as exc:
                fail("公民身份号码", id_raw, str(exc))
            else:
                person = people.by_id.get(number_ok)
                if person is None:
                    fail("公民身份号码", id_raw, "名册中没有这个号码的党员")
                elif name and name != person.name:
                    fail("姓名", name, f"与公民身份号码不符（名册中该号码是{person.name}）")
        elif name:
            person, problem = _by_name(people, name, meeting)
            if problem:
                fail("姓名", name, problem)
            elif person is None:
                if status == rules.GUEST:
                    guest_name = name
                elif status:
                    fail("姓名", name, "名册中没有此人；不在名册中的人只能登记为列席")
        else:
            fail("姓名", "", "姓名和公民身份号码至少填一项")

        if len(errors) > before or meeting is None:
            continue
        who = person.member_id if person else f"guest:{guest_name}"
        if (meeting.id, who) in seen:
            fail("姓名", name or id_raw, f"与第 {seen[(meeting.id, who)]} 行重复（同一会议同一人）")
            continue
        seen[(meeting.id, who)] = row_no
        numbers[meeting.id] = meeting.number
        entries[meeting.id].append(ms.AttendanceEntry(
            status=status, reason=reason if status == rules.LEAVE else "",
            member_id=person.member_id if person else None,
            guest_name=guest_name, guest_unit=unit if guest_name else "",
        ))
        valid += 1

    batches = [ms.BulkAttendance(mid, tuple(e)) for mid, e in entries.items()]
    return AttendanceCheck(path, batches, numbers, len(rows), valid, errors)


def _meeting(db: Database, number: str, today: date) -> tuple[ms.MeetingDetail | None, str]:
    try:
        m = ms.get(db, ms.resolve(db, number))
    except DomainError as exc:
        return None, getattr(exc, "message", str(exc))
    if m.status == rules.CANCELLED:
        return None, "该会议已取消，不能登记出勤"
    if m.meeting_date > today:
        return None, f"会议日期 {m.meeting_date:%Y-%m-%d} 还没到，不能登记出勤"
    return m, ""


def _by_name(people: _People, name: str, meeting: ms.MeetingDetail | None) -> tuple[ms.PersonRef | None, str]:
    """The one member a name means: on the meeting's list, else in its branch, else on the roster."""
    if meeting is not None:
        listed = [a for a in meeting.attendees if a.name == name and a.member_id]
        if len(listed) == 1:
            return next((p for p in people.by_name.get(name, []) if p.member_id == listed[0].member_id),
                        ms.PersonRef(listed[0].member_id, name, "", None)), ""
        if len(listed) > 1:
            return None, f"本次会议名单中有 {len(listed)} 名同名党员，请填写公民身份号码"
    everyone = people.by_name.get(name, [])
    if meeting is not None and meeting.branch_id:
        same_branch = [p for p in everyone if p.branch_id == meeting.branch_id]
        if len(same_branch) == 1:
            return same_branch[0], ""
        if len(same_branch) > 1:
            return None, f"{meeting.branch_name}有 {len(same_branch)} 名同名党员，请填写公民身份号码"
    if len(everyone) == 1:
        return everyone[0], ""
    if len(everyone) > 1:
        return None, f"名册中有 {len(everyone)} 名同名党员，请填写公民身份号码"
    return None, ""


def import_file(db: Database, path: str | Path, skip_invalid: bool = False, dry_run: bool = False,
                today: date | None = None) -> AttendanceImportResult:
    """Check, then record every row in one transaction (each meeting becomes held).

    Any error and nothing is written, unless skip_invalid: then the good rows go
    in and the result lists the rows left out.
    """
    checked = check_file(db, path, today)
    if checked.errors and not skip_invalid:
        raise AttendanceImportError(checked.path.name, checked.errors)
    if not dry_run and checked.batches:
        ms.record_many(db, checked.batches, today=today)
    return AttendanceImportResult(
        meetings=len(checked.batches), rows=checked.valid_rows,
        skipped_invalid=checked.invalid_rows if skip_invalid else 0,
        errors=tuple(checked.errors) if skip_invalid else (), dry_run=dry_run,
    )


def write_template(path: str | Path, meeting: ms.MeetingDetail | None = None) -> Path:
    """A CSV to fill in (UTF-8 with BOM, so Excel and WPS open it right); with `meeting`, its list."""
    path = Path(path)
    lines = [["会议编号", "姓名", "公民身份号码", "出勤情况", "请假原因", "单位"]]
    if meeting is not None:
        for a in meeting.attendees:
            lines.append([meeting.number, a.name, "", a.status or ("列席" if a.is_guest else ""), a.reason,
                          a.guest_unit])
    else:
        lines.append(["320102001-2025-0001", "张三", "", "出席", "", ""])
        lines.append(["320102001-2025-0001", "李四", "", "请假", "外出就医", ""])
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
