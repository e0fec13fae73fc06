"""Read models of sync: what the sync services return and the sync page and command line show.

Keys, packages made and taken, what an import would do or did, the street's
list of communities, and the conflicts kept for a person to decide.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop_app.domain.clock import local_text
from desktop_app.domain.site import upper_name
from desktop_app.domain.sync_rules import DOWNSTREAM, SiteRef, table_label

LOCAL = "local"
INCOMING = "incoming"
SIDE_LABELS = {LOCAL: "采用本地", INCOMING: "采用来件", "superseded": "已由后续数据包解决"}
STATUS_LABELS = {"open": "待处理", "resolved": "已处理", "superseded": "已自动解决"}


# --- keys -----------------------------------------------------------------------

@dataclass(frozen=True)
class KeyInfo:
    role: str  # street | community
    fingerprint: str
    street_site_id: str
    street_org_code: str
    street_org_name: str
    set_at: datetime
    upper_level: str = "street"  # the level of the database holding the key: street | district

    @property
    def upper(self) -> str:
        """街道 or 区: what the texts call the database holding the key."""
        return upper_name(self.upper_level)


@dataclass(frozen=True)
class KeyUseResult:
    info: KeyInfo
    replaced: bool  # a key was there before
    street_changed: bool  # ... of another street: the next export carries everything
    moved_under_street: bool  # the 社区党委 now hangs under the street's own node


@dataclass(frozen=True)
class EnrolRequestResult:
    """A community's enrolment request written: the fingerprint to compare with the street's screen."""

    path: Path
    fingerprint: str
    org_code: str
    org_name: str
    key_path: Path  # where this site's private keys are kept (protected)


@dataclass(frozen=True)
class Enrolment:
    """At the street: one community enrolled with its own keys."""

    site_id: str
    org_code: str
    org_name: str
    fingerprint: str  # of its request, as compared at enrolment
    status: str  # active | revoked
    enrolled_at: datetime
    revoked_at: datetime | None
    street_org_id: str = ""  # at a district: the 街道党工委 it was enrolled into
    street_name: str = ""
    moved: bool = False  # its 社区党委, already here, was just put under that street


# --- packages out -------------------------------------------------------------------

@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_id: str
    kind: str
    seq: int
    full: bool
    plain: bool
    since: datetime | None
    until: datetime
    size: int
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows carried
    to_org_name: str = ""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        """A summary for the command line."""
        scope = "全部数据" if self.full else f"{local_text(self.since)} 之后的变化"
        to = f"给{self.to_org_name}" if self.to_org_name else ""
        out = [f"已生成数据包{to}：{self.path}",
               f"{scope}，{self.rows:,} 条记录，{self.size / 1024:,.0f} KB，{'未加密（明文 CSV）' if self.plain else '已加密'}"]
        out.extend(f"  {table_label(k)} {v:,}" for k, v in self.counts.items() if v)
        return out


class SentAll(list):
    """The send-downs 给全部社区生成下发包 made (a list of ExportResult), and the communities it left out.

    `skipped`: each as 兰园社区党委（密钥已作废）, so the street knows whom to ask to enrol again.
    """

    def __init__(self, results=(), skipped=()):
        super().__init__(results)
        self.skipped: list[str] = list(skipped)

    def skipped_text(self) -> str:
        return f"已跳过：{'、'.join(self.skipped)}" if self.skipped else ""


# --- packages in --------------------------------------------------------------------

@dataclass(frozen=True)
class TableReport:
    table: str
    label: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.older + self.conflicts

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


@dataclass(frozen=True)
class ImportReport:
    path: Path
    package_id: str
    kind: str
    seq: int
    from_site: SiteRef
    created_at: datetime
    full: bool
    size: int
    encrypted: bool
    dry_run: bool
    new_community: bool
    already_imported: bool
    older_package: bool
    tables: tuple[TableReport, ...]
    confirmed: int = 0  # downstream: how many of our packages the street confirmed
    warnings: tuple[str, ...] = ()

    def total(self, what: str) -> int:
        return sum(getattr(t, what) for t in self.tables)

    @property
    def changes_nothing(self) -> bool:
        return all(t.changed == 0 and t.conflicts == 0 for t in self.tables)

    def lines(self) -> list[str]:
        """The report as plain text, for the command line: a head, notes, and a table per table."""
        src = self.from_site
        what = "下发包" if self.kind == DOWNSTREAM else "数据包"
        head = (f"{'预览（未写入）' if self.dry_run else '已导入'}：{src.org_name}（{src.org_code}）的{what}，"
                f"生成于 {local_text(self.created_at)}，{'全部数据' if self.full else '变化部分'}，"
                f"{self.size / 1024:,.0f} KB，{'已加密' if self.encrypted else '未加密'}")
        out = [head]
        if self.new_community:
            out.append("新社区：第一次收到它的数据包，" + ("导入时登记" if self.dry_run else "已登记"))
        if self.already_imported:
            out.append("这个数据包以前导入过，再次导入不改变任何数据")
        out.extend(self.warnings)
        if self.confirmed:
            out.append(f"{src.org_name or '街道'}已确认收到本社区的 {self.confirmed} 个数据包")  # 街道 or 区委 by name
        width = max([_cols(t.label) for t in self.tables] + [4])
        out.append(_pad("表", width) + "  " + " ".join(" " * 5 + h for h in ("新增", "更新", "未变", "较旧", "冲突")))
        for t in self.tables:
            if t.total:
                out.append(_pad(t.label, width) + "  " + " ".join(
                    f"{n:>9,}" for n in (t.inserted, t.updated, t.unchanged, t.older, t.conflicts)))
        out.append(_pad("合计", width) + "  " + " ".join(
            f"{self.total(k):>9,}" for k in ("inserted", "updated", "unchanged", "older", "conflicts")))
        if self.total("conflicts"):
            out.append(f"{self.total('conflicts')} 条记录两边都改过：保留双方版本，请在“数据同步 → 冲突”中逐条处理")
        return out


CANCELLED = "已取消"  # a batch's package in hand (rolled back) and those after it, when the user cancels


@dataclass(frozen=True)
class PackageCheck:
    """A package looked at before a batch import: who sent it and how many rows, or why it is refused.

    Its container, signature, sender and checksums are checked; its rows are
    not decoded yet (the import verifies it whole again).
    """

    path: Path
    org_name: str = ""
    org_code: str = ""
    rows: int = 0
    created_at: datetime | None = None
    refused: str = ""  # the reason, in Chinese; "" when it may be imported
    already: bool = False  # imported before: taking it again changes nothing (as a single import's preview says)
    imported_at: datetime | None = None  # when it was, if so


@dataclass(frozen=True)
class BatchItem:
    """One file of a batch import: its report once merged, else the reason it was not."""

    path: Path
    report: ImportReport | None = None
    refused: str = ""

    @property
    def imported(self) -> bool:
        return self.report is not None

    def line(self) -> str:
        """One line for the command line and the result dialog's notes."""
        if self.report is None:
            return f"{self.path.name}：未导入，{self.refused}"
        r = self.report
        if r.already_imported:
            return f"{self.path.name}：{r.from_site.org_name}，以前导入过，未改变任何数据"
        text = (f"{self.path.name}：已导入{r.from_site.org_name}，新增 {r.total('inserted'):,}，"
                f"更新 {r.total('updated'):,}，冲突 {r.total('conflicts'):,}")
        return "；".join([text, *r.warnings])


@dataclass(frozen=True)
class Absent:
    """A community of this street (or district) that no package of a batch came from: whom to ring up."""

    org_name: str
    org_code: str
    last_package_at: datetime | None  # when its newest package taken here was made; None: never sent one

    @property
    def since(self) -> str:
        return f"上次数据包生成于 {local_text(self.last_package_at, '%Y-%m-%d')}" if self.last_package_at else "从未报送"


ABSENT_NAMED = 20  # at a district hundreds may be missing: the first ones named, the rest counted


@dataclass(frozen=True)
class BatchReport:
    """What importing several packages at once did, file by file, in the order given."""

    items: tuple[BatchItem, ...]
    cancelled: bool = False  # the user stopped it: the packages merged before stay merged
    # the enrolled communities none of whose packages went in: the stick lacks theirs (oldest silence first)
    absent: tuple[Absent, ...] = ()

    def absent_text(self) -> str:
        """Who brought nothing this time and since when, in one sentence ("" when every community did)."""
        if not self.absent:
            return ""
        named = "、".join(f"{a.org_name}（{a.since}）" for a in self.absent[:ABSENT_NAMED])
        more = "等" if len(self.absent) > ABSENT_NAMED else ""
        return f"这次没有导入数据包的社区（{len(self.absent)} 个）：{named}{more}"

    @property
    def imported(self) -> tuple[BatchItem, ...]:
        return tuple(i for i in self.items if i.imported)

    @property
    def refused(self) -> tuple[BatchItem, ...]:
        return tuple(i for i in self.items if not i.imported)

    def total(self, what: str) -> int:
        return sum(i.report.total(what) for i in self.imported)

    def summary(self) -> str:
        """The batch in one sentence: what went in, what had gone in before (nothing changed), what was refused."""
        again = sum(1 for i in self.imported if i.report.already_imported)
        parts = [f"{n} 个{what}" for n, what in ((len(self.imported) - again, "已导入"),
                                                (again, "以前导入过，未改变任何数据"),
                                                (len(self.refused), "未导入")) if n]
        return f"导入 {len(self.items)} 个数据包：" + "，".join(parts or ["0 个已导入"])

    def lines(self) -> list[str]:
        head = self.summary()
        if self.cancelled:
            head += "（已取消：取消前导入的保留）"
        return [head, *(i.line() for i in self.items), *([self.absent_text()] if self.absent else [])]


def _cols(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - _cols(text))


# --- status ------------------------------------------------------------------------

@dataclass(frozen=True)
class PackageInfo:
    package_id: str
    kind: str
    seq: int
    created_at: datetime
    full: bool
    rows: int
    size: int
    file_name: str
    peer_name: str = ""
    confirmed_at: datetime | None = None  # exports only
    imported_at: datetime | None = None  # imports only

    @property
    def kind_label(self) -> str:
        return "上报" if self.kind == "upstream" else "下发"


@dataclass(frozen=True)
class SyncState:
    level: str  # community | street | "" (no site yet)
    has_key: bool
    fingerprint: str
    street_org_name: str
    key_set_at: datetime | None
    last_export: PackageInfo | None
    last_confirmed: PackageInfo | None
    last_import: PackageInfo | None
    open_conflicts: int
    upper_level: str = "street"  # the level of the database holding the key: street | district

    @property
    def upper(self) -> str:
        """街道 or 区: what the page calls the database holding the key."""
        return upper_name(self.upper_level)


@dataclass(frozen=True)
class CommunityStatus:
    site_id: str
    org_code: str
    org_name: str
    org_id: str | None
    first_seen: datetime
    last_package_at: datetime | None
    last_imported_at: datetime | None
    last_size: int
    last_rows: int
    counts: dict[str, int]
    packages: int
    silent_days: int | None
    silent: bool
    open_conflicts: int
    members: int
    enrolled_days: int | None = None  # days since it enrolled (first heard of), for one that never sent
    # at a district: the 街道党工委 its enrolment names ("" none yet: 设置所属街道…); None at a street's database
    street_name: str | None = None

    @property
    def warning(self) -> str:
        if not self.silent:
            return ""
        if self.silent_days is None:
            return f"已登记 {self.enrolled_days} 天，仍未报送" if self.enrolled_days is not None else "从未报送"
        return f"已 {self.silent_days} 天未报送"

    @property
    def note(self) -> str:
        """The 提醒 column: the warning, or for one enrolled lately and not yet heard from, that it is awaited."""
        if self.warning or self.last_package_at is not None:
            return self.warning
        return "已登记，等待首次报送"


@dataclass(frozen=True)
class ConflictRow:
    id: str
    table: str
    table_label: str
    row_id: str
    row_label: str
    peer_site: str
    peer_name: str
    detected_at: datetime
    local_version: int
    incoming_version: int
    status: str
    resolution: str
    resolved_at: datetime | None
    resolved_by: str

    @property
    def status_label(self) -> str:
        if self.status == "resolved":
            return SIDE_LABELS.get(self.resolution, "已处理")
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class FieldDiff:
    column: str
    label: str
    local: str
    incoming: str

    @property
    def differs(self) -> bool:
        return self.local != self.incoming


@dataclass(frozen=True)
class ConflictDetail:
    conflict: ConflictRow
    fields: tuple[FieldDiff, ...]
    local_changed_since: bool  # the local row was edited after the conflict was found
    local_site_name: str
    incoming_site_name: str

    @property
    def differing(self) -> tuple[FieldDiff, ...]:
        return tuple(f for f in self.fields if f.differs)


@dataclass(frozen=True)
class CommunityCounts:
    """One community's figures at the street (for a street overview and its community filter)."""

    org_id: str
    org_name: str
    orgs: int
    members: int
    full_members: int
    probationary: int
    residents: int
    households: int
    street_name: str | None = None  # at a district: its 街道党工委 ("" none set); None at a street's database
