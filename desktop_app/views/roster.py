"""Read models of the 党员名册: what the roster page, the member form, the import dialog and the printed roster show.

Services build them (services.roster), the member-file parser reports its row
errors in them (exchange.members), the roster report renders them
(reports.roster) and the pages show them, so each needs them without
importing the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path

from desktop_app.domain import members as rules
from desktop_app.domain.members import MemberInput
from desktop_app.views.imports import RowError
from desktop_app.views.records import input_part


@dataclass(frozen=True)
class MemberRow:
    """One line of the roster table: masked, computed, ready to show."""

    id: str
    seq: int
    name: str
    org_id: str | None
    org_name: str
    gender: str
    age: int | None
    birth_date: date | None
    category: str
    joined_date: date | None
    party_age: int | None
    id_masked: str
    mobile_masked: str
    status: str
    party_status: str
    is_floating: bool
    is_reporting: bool
    is_hardship: bool
    education: str


@dataclass
class MemberFilter:
    text: str = ""  # name, pinyin, initials, ID-number or mobile fragment; words are ANDed
    org_id: str | None = None  # this organisation and everything under it; several joined by "," (several_orgs)
    category: str | None = None
    status: str | None = None
    reporting: bool | None = None
    floating: bool | None = None
    age_band: str | None = None
    party_age_band: str | None = None
    include_deleted: bool = False
    active_only: bool = False  # leave out 转出 and 去世 (members no longer on the roster)
    birthday_month: str | None = None  # "2026-06": whose 政治生日 falls that month (roster.political_birthdays)

    def in_words(self, org_name: str = "") -> str:
        """The filter in a few words (“在册党员 · 第一网格党支部 · 含“张””): the export dialog and its audit entry."""
        parts = ["在册党员" if self.active_only else (self.status or "全部状态")]
        if self.org_id and org_name:
            parts.append(org_name)
        parts += [v for v in (self.category, self.age_band, self.party_age_band) if v]
        if self.floating is not None:
            parts.append("流动党员" if self.floating else "非流动党员")
        if self.reporting is not None:
            parts.append("在职党员报到" if self.reporting else "未报到")
        if self.birthday_month:
            year, month = self.birthday_month.split("-")
            parts.append(f"{year}年{int(month)}月政治生日")
        if self.text:
            parts.append(f"含“{self.text}”")
        return " · ".join(parts)


def several_orgs(ids) -> str:
    """MemberFilter.org_id for several organisations and everything under each (a 网格员's grids: the 概览
    counts their members, the roster shows the same members); one id is that organisation itself."""
    return ",".join(sorted(ids))


@dataclass(frozen=True)
class BirthdayRow:
    """A live member whose 政治生日 (入党 anniversary) falls in the month asked for."""

    member_id: str
    name: str
    branch_name: str
    org_id: str | None
    joined_date: date
    day: date  # the anniversary in that year (29 February joiners: 28 February in a common year)
    years: int  # 入党 N 周年


@dataclass(frozen=True)
class StatusChangeRow:
    id: str
    status: str
    changed_on: date
    destination: str
    note: str


@dataclass(frozen=True)
class TransferRow:
    id: str
    direction: str
    transfer_date: date
    from_org: str
    to_org: str
    note: str


@dataclass(frozen=True)
class OpenOuting:
    """The member's open 流出 (流动与失联): what the member form shows of 流动, the register being its one truth."""

    id: str
    start_date: date
    place: str
    card_no: str = ""
    other_org: str = ""


@dataclass(frozen=True)
class MemberDetail(MemberInput):
    """Every field, unmasked, plus where the member stands; to_input() gives the editable part."""

    id: str = ""
    status: str = rules.NORMAL
    age: int | None = None
    party_age: int | None = None
    deleted: bool = False
    version: int = 0
    updated_at: datetime | None = None
    history: tuple[StatusChangeRow, ...] = ()  # newest first
    transfers: tuple[TransferRow, ...] = ()  # newest first
    warnings: tuple[str, ...] = ()
    outing: OpenOuting | None = None  # the open 流出, if any

    def to_input(self) -> MemberInput:
        return input_part(self, MemberInput)


@dataclass(frozen=True)
class RosterStats:
    total: int
    by_category: dict[str, int]
    by_gender: dict[str, int]
    by_age_band: dict[str, int]  # AGE_BANDS in order, then 未填
    by_education: dict[str, int]
    by_party_age_band: dict[str, int]  # 正式党员 only: PARTY_AGE_BANDS in order, then 未填
    by_branch: dict[str, int]
    by_status: dict[str, int]


# ---------------------------------------------------------------- import

@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_existing: int = 0  # on file and in the roster, but update_existing was off
    skipped_invalid: int = 0  # rows left out because they had errors (skip_invalid)
    branches_created: tuple[str, ...] = ()
    outings: int = 0  # 流出 registered for the rows marked 是否为流动党员 = 是


@dataclass(frozen=True)
class PlannedOuting:
    """A 流出 the import registers (流动与失联) for a row marked 流动: a member it adds (member_id None, found
    again by ID number) or one it updates into 流动 without an open 流出."""

    row_number: int
    name: str
    id_number: str
    member_id: str | None
    start_date: date  # the file's 外出日期, else the import's day
    place: str  # 外出流向
    card_no: str = ""  # 活动证编号, where the file (another system's 流动党员 register) has it
    contact: str = ""  # 外出联系方式
    other_org: str = ""  # 流入地党组织: the organisation attended there


@dataclass(frozen=True)
class PlannedUpdate:
    """What the preview found stored for a member the file changes; apply checks `version` is still current."""

    member_id: str
    version: int
    status: str  # the stored status
    stored: dict  # stored MEMBER_FIELDS, for the fields the file does not carry
    changed: tuple[str, ...]  # MemberInput fields to write


_INPUT_FIELDS = tuple(f.name for f in fields(MemberInput))


class MemberBatch(Sequence[MemberInput]):
    """Members to add, held as columns (one list per MemberInput field): an import of 100,000 rows keeps
    27 lists, not 100,000 objects. Indexing and iterating give MemberInput values, made when asked for."""

    __slots__ = ("columns", "_n")

    def __init__(self, columns: dict[str, list], n: int):
        self.columns = columns  # MemberInput field -> values; a field left out is its default
        self._n = n

    @classmethod
    def of(cls, inputs: Sequence[MemberInput]) -> MemberBatch:
        return cls({f: [getattr(m, f) for m in inputs] for f in _INPUT_FIELDS}, len(inputs))

    def column(self, name: str) -> list:
        got = self.columns.get(name)
        return got if got is not None else [getattr(MemberInput, name)] * self._n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return MemberInput(**{f: c[i] for f, c in self.columns.items()})

    def __iter__(self) -> Iterator[MemberInput]:
        return (self[i] for i in range(self._n))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, MemberBatch)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MemberBatch({self._n} members)"


@dataclass
class ImportPreview:
    path: Path
    columns: list[str]  # template columns found in the file
    ignored_columns: list[str]  # headers we do not know (left alone)
    to_add: Sequence[MemberInput]  # a MemberBatch from a file
    to_update: list[tuple[str, MemberInput, list[str]]]  # member id, row, changed columns
    unchanged: int
    errors: list[RowError]
    warnings: list[RowError]
    new_branches: list[str]  # 所在党支部 names not in the org tree
    parent_org_id: str | None  # where new branches (and rows with no branch) go
    total_rows: int  # non-blank data rows
    invalid_rows: int  # rows with at least one error
    fields: tuple[str, ...] = ()  # MemberInput fields the file carries
    # member id -> what apply writes for it; apply re-checks, it does not diff again
    planned: dict[str, PlannedUpdate] = field(default_factory=dict, repr=False)
    org_ids: frozenset[str] = frozenset()  # the organisations the rows were resolved to
    outings: tuple[PlannedOuting, ...] = ()  # 流出 registered with the members marked 流动
    # rows of a file with no 人员类别 read as 预备党员 by their dates: row numbers, (sheet, row) under 全部工作表
    read_as_probationary: tuple[int | tuple[str, int], ...] = ()
    # row number (全部工作表: RowError.row_label) -> 姓名 as read, rows with errors
    error_names: dict[int | str, str] = field(default_factory=dict)
    # data rows the sheet hides (by hand, or its filter), imported as the rest: numbered as read_as_probationary
    hidden_rows: tuple[int | tuple[str, int], ...] = ()
    # hidden columns the import reads: 工作表“党员信息”第 D 列“联系电话”（导入为“手机号码”）在表格中被隐藏，也会导入
    hidden_columns: tuple[str, ...] = ()

    def hidden_text(self) -> str:
        """第 3、5 行 and 第 D 列 imported although the worker may not see them (a filtered roster, a column she hid);
        "" for none."""
        rows = self.hidden_rows
        said = [f"其中 {len(rows)} 行在表格中是隐藏的（隐藏行或筛选掉的行），照常导入：{_row_places(rows)}"] if rows else []
        return "；".join(said + list(self.hidden_columns))

    @property
    def file_name(self) -> str:
        return self.path.name

    def error_lines(self, limit: int | None = None) -> list[str]:
        lines = [e.message(self.file_name) for e in self.errors[:limit]]
        if limit is not None and len(self.errors) > limit:
            lines.append(f"…… 另有 {len(self.errors) - limit} 处错误")
        return lines

    def summary(self) -> str:
        parts = [
            f"{self.file_name}：共 {self.total_rows} 行",
            f"新增 {len(self.to_add)} 人",
            f"信息有变化 {len(self.to_update)} 人",
            f"无变化 {self.unchanged} 人",
        ]
        if self.invalid_rows:
            parts.append(f"有错误 {self.invalid_rows} 行")
        if self.new_branches:
            parts.append(f"将新建党支部 {len(self.new_branches)} 个：" + "、".join(self.new_branches))
        if self.outings:
            parts.append(f"将登记流出 {len(self.outings)} 人（流动与失联）")
        if rows := self.read_as_probationary:
            parts.append(f"未填人员类别，按入党日期读作预备党员 {len(rows)} 人（{_row_places(rows)}）")
        if hidden := self.hidden_text():
            parts.append(hidden)
        return "，".join(parts)


def _row_places(rows: Sequence[int | tuple[str, int]], shown: int = 10) -> str:
    """第 2、5 行; rows of several sheets named by sheet as errors are (工作表“第三支部”第 2、3 行), the first `shown`."""
    by_sheet: dict[str, list[str]] = {}
    for r in rows[:shown]:
        sheet, row = r if isinstance(r, tuple) else ("", r)
        by_sheet.setdefault(sheet, []).append(str(row))
    said = "，".join((f"工作表“{sheet}”" if sheet else "") + f"第 {'、'.join(numbers)} 行"
                    for sheet, numbers in by_sheet.items())
    return said + ("……" if len(rows) > shown else "")


# ---------------------------------------------------------------- the printed roster

FULL_MEMBER = "正式党员"
PROBATIONARY = "预备党员"


@dataclass(frozen=True)
class RosterLine:
    """One member as the roster prints them; id_number and mobile unmasked (the renderer masks)."""

    name: str
    gender: str = ""
    ethnicity: str = ""
    birth_date: date | None = None
    education: str = ""
    category: str = FULL_MEMBER  # 人员类别: 正式党员 / 预备党员
    joined_date: date | None = None  # 入党日期
    confirmed_date: date | None = None  # 转正日期
    id_number: str = ""
    mobile: str = ""
    party_status: str = "正常"  # 党籍状态
    job: str = ""  # 工作岗位
    notes: str = ""
    status: str = "正常"  # on the roster or gone (转出, 去世, 出党): a print of everyone says which


@dataclass(frozen=True)
class RosterPrint:
    """The 党员花名册: the center's name and [(section name, members in 序号 order)] in org-tree order."""

    center_name: str
    groups: list[tuple[str, list[RosterLine]]]

    @property
    def member_count(self) -> int:
        return sum(len(lines) for _, lines in self.groups)

    @property
    def gone_count(self) -> int:
        """Of those printed, how many are no longer on the roster (转出, 去世, 出党)."""
        return sum(1 for _, lines in self.groups for line in lines if line.status in rules.GONE_STATUSES)
