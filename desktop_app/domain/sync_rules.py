"""Sync rules: how an incoming row meets the local one, and what a package's manifest must say.

A row's state is its stamp: (version, updated_by_site). A site's versions of a
row only ever grow, so a stamp names one state of the row everywhere. Each side
remembers, per peer and row, the last stamp it took from that peer ("base
here"); a package row also carries the sender's own memory of what it last took
from the receiver ("base there"). With those two, an incoming row is new,
a fast-forward, nothing new, or a change made at both ends since they last
agreed: a conflict, kept for a person to decide. Nothing is overwritten blindly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from desktop_app.domain.errors import DomainError
from desktop_app.domain.labels import LabelledEnum, labels

FORMAT = "dangqun-sync"
FORMAT_VERSION = 2  # 2: each site signs with its own key, sealed to one reader
UPSTREAM = "upstream"  # community -> street: its data
DOWNSTREAM = "downstream"  # street -> one community: org tree, reference lists, corrections, confirmations
KINDS = (UPSTREAM, DOWNSTREAM)
STREET = "street"  # a database's role in sync (and a site's level): it holds the key and merges
COMMUNITY = "community"  # it takes the street's key and sends its data up
SILENT_DAYS = 30  # a community that sent nothing for longer is flagged at the street

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TABLE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class PackageRefused(DomainError):
    """A package that is not taken at all: the message says why, in words a worker can act on."""


class Stamp(NamedTuple):
    """A row's state: its version and the site that wrote it (a tuple: millions are compared in a merge)."""

    version: int
    site: str

    def label(self) -> str:
        return f"第 {self.version} 版"


class Decision(LabelledEnum):
    INSERT = "insert", "新增"
    UPDATE = "update", "更新"
    UNCHANGED = "unchanged", "未变"
    OLDER = "older", "较旧（保留本地）"
    CONFLICT = "conflict", "冲突"


DECISION_LABELS: dict[Decision, str] = labels(Decision)


KEYS_VERSION = "0.2.0"  # the first program version where each community enrols keys of its own: what to update to

def decide(
    incoming: Stamp,
    local: Stamp | None,
    base_here: Stamp | None = None,
    base_there: Stamp | None = None,
    base_local: Stamp | None = None,
) -> Decision:
    """What to do with one incoming row.

    incoming   the row's stamp in the package (the sender's current state)
    local      this database's stamp of the row, None if it has no such row
    base_here  the sender's stamp this database last took (None: never took one)
    base_there the stamp of ours the sender last took (carried in the package)
    base_local this database's own stamp when it took base_here, where the two
               differ (the same content reached both ends under two stamps);
               None means it was base_here itself
    """
    if local is None:
        return Decision.INSERT
    if incoming == local:
        return Decision.UNCHANGED
    if base_local is not None and incoming == base_here and local == base_local:
        # The twin pair we agreed on (same content, two stamps), sent again: nothing is older, nothing moves.
        return Decision.UNCHANGED
    if base_there is not None and incoming == base_there:
        # The sender still holds exactly what it got from us; we moved on since.
        return Decision.OLDER
    if base_here is not None and incoming.version <= base_here.version:
        # base_here is one of the sender's own states; its versions only grow,
        # so this is the state we already took, or an earlier one (an old package).
        return Decision.OLDER
    if base_here is not None and local == (base_local or base_here):
        return Decision.UPDATE  # we have not touched it since we took the sender's state
    if base_there is not None and local == base_there:
        return Decision.UPDATE  # the sender built on exactly our current state
    return Decision.CONFLICT


def resolved_version(local: Stamp, incoming: Stamp) -> int:
    """A person's decision is a new edit that follows both sides."""
    return max(local.version, incoming.version) + 1


# --- the manifest -------------------------------------------------------------

@dataclass(frozen=True)
class TableEntry:
    name: str
    file: str
    rows: int
    sha256: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class SiteRef:
    id: str
    org_code: str
    org_name: str
    level: str = ""
    org_id: str | None = None  # the root organisation of that site (社区党委 / 街道党工委)


@dataclass(frozen=True)
class Confirmation:
    """The street saying: I have merged this package of yours."""

    package_id: str
    seq: int
    until: datetime


@dataclass(frozen=True)
class Manifest:
    kind: str
    package_id: str
    seq: int
    created_at: datetime
    schema_version: str  # the sender's sync format (store.migrate.SYNC_FORMAT); the name older programs read
    site: SiteRef
    street_org_code: str
    key_fingerprint: str
    full: bool
    since: datetime | None
    until: datetime
    tables: tuple[TableEntry, ...]
    to_site: SiteRef | None = None
    confirm: tuple[Confirmation, ...] = ()
    app_version: str = ""
    format_version: int = FORMAT_VERSION
    # The newest format the sender's program reads (its SYNC_FORMAT), which may be past schema_version when
    # it wrote for us in our older format: our reply goes in it once we read it too, so two sites that once
    # spoke an older format do not keep to it after both upgraded. "" from programs before 0037.
    reads: str = ""

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def table(self, name: str) -> TableEntry | None:
        return next((t for t in self.tables if t.name == name), None)


def table_file(name: str) -> str:
    return f"tables/{name}.csv"


def _iso(d: datetime | None) -> str | None:
    return d.isoformat(timespec="microseconds") if d is not None else None


def _site_dict(s: SiteRef | None) -> dict | None:
    if s is None:
        return None
    return {"id": s.id, "org_code": s.org_code, "org_name": s.org_name, "level": s.level, "org_id": s.org_id}


def manifest_to_dict(m: Manifest) -> dict:
    return {
        "format": FORMAT,
        "format_version": m.format_version,
        "schema_version": m.schema_version,
        "app_version": m.app_version,
        "reads": m.reads,
        "kind": m.kind,
        "package_id": m.package_id,
        "seq": m.seq,
        "created_at": _iso(m.created_at),
        "site": _site_dict(m.site),
        "to_site": _site_dict(m.to_site),
        "street": {"org_code": m.street_org_code, "key_fingerprint": m.key_fingerprint},
        "full": m.full,
        "range": {"since": _iso(m.since), "until": _iso(m.until)},
        "tables": [
            {"name": t.name, "file": t.file, "rows": t.rows, "sha256": t.sha256, "columns": list(t.columns)}
            for t in m.tables
        ],
        "confirm": [{"package_id": c.package_id, "seq": c.seq, "until": _iso(c.until)} for c in m.confirm],
    }


def _bad(what: str) -> PackageRefused:
    return PackageRefused(f"数据包清单无效：{what}")


def _get(obj: dict, key: str, kind: type | tuple[type, ...], what: str, optional: bool = False):
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None and optional:
        return None
    if isinstance(value, bool) and kind is int:
        raise _bad(f"{what}应为整数")
    if not isinstance(value, kind):
        raise _bad(f"缺少或错误的{what}")
    return value


def _datetime(text, what: str, optional: bool = False) -> datetime | None:
    if text is None and optional:
        return None
    if not isinstance(text, str):
        raise _bad(f"缺少{what}")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _bad(f"{what}“{text}”不是有效的时间") from None


def _site(obj, what: str, optional: bool = False) -> SiteRef | None:
    if obj is None and optional:
        return None
    if not isinstance(obj, dict):
        raise _bad(f"缺少{what}")
    return SiteRef(
        id=_get(obj, "id", str, f"{what}编号"),
        org_code=_get(obj, "org_code", str, f"{what}组织代码"),
        org_name=_get(obj, "org_name", str, f"{what}名称"),
        level=_get(obj, "level", str, f"{what}级别", optional=True) or "",
        org_id=_get(obj, "org_id", str, f"{what}组织编号", optional=True),
    )


def validate_manifest(obj: object, sync_format: str, oldest: str | None = None) -> Manifest:
    """Check a manifest read from a package (after its signature was checked) and type it.

    `schema_version` carries the sender's sync format (store.migrate.SYNC_FORMAT),
    not its database head: migrations that leave what travels alone do not part sites.
    A package is read when its format is from `oldest` (store.migrate.SYNC_FORMAT_OLDEST;
    None: `sync_format` alone) to `sync_format`: those formats carry the same tables,
    columns and text forms, under older names.
    """
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise PackageRefused("这不是本程序的同步数据包（清单格式不符）")
    fv = _get(obj, "format_version", int, "格式版本")
    if fv != FORMAT_VERSION:
        if fv > FORMAT_VERSION:
            raise PackageRefused(f"数据包格式（第 {fv} 版）比本程序新，请先升级程序")
        raise PackageRefused(f"数据包格式（第 {fv} 版）过旧：请对方把程序升级到 {KEYS_VERSION} 或更新的版本，"
                             "在“数据同步”页重新登记后再导出")
    sv = _get(obj, "schema_version", str, "数据版本")
    if len(sv) != len(sync_format) or not (sv.isascii() and sv.isdigit()) or sv > sync_format:
        # a name not of our kind ("00275" would sort inside the range) is a format we do not know
        raise PackageRefused(f"数据包来自更新的程序（数据版本 {sv}，本程序 {sync_format}），请先升级本程序")
    if sv < (sync_format if oldest is None else min(oldest, sync_format)):
        raise PackageRefused(
            f"数据包来自较旧的程序（数据版本 {sv}，本程序 {sync_format}），请对方升级程序后重新导出"
        )
    kind = _get(obj, "kind", str, "数据包类型")
    if kind not in KINDS:
        raise _bad(f"未知的数据包类型“{kind}”")
    seq = _get(obj, "seq", int, "序号")
    if seq < 1:
        raise _bad("序号应为正整数")
    street = _get(obj, "street", dict, "街道信息")
    rng = _get(obj, "range", dict, "数据范围")
    since = _datetime(rng.get("since"), "起始时间", optional=True)
    until = _datetime(rng.get("until"), "截止时间")
    if since is not None and since > until:
        raise _bad("起始时间晚于截止时间")
    tables_raw = _get(obj, "tables", list, "表清单")
    tables: list[TableEntry] = []
    seen: set[str] = set()
    for i, t in enumerate(tables_raw, start=1):
        if not isinstance(t, dict):
            raise _bad(f"表清单第 {i} 项格式错误")
        name = _get(t, "name", str, "表名")
        if not _TABLE.match(name) or name in seen:
            raise _bad(f"表名“{name}”无效或重复")
        seen.add(name)
        file = _get(t, "file", str, f"表 {name} 的文件名")
        if file != table_file(name):
            raise _bad(f"表 {name} 的文件名应为 {table_file(name)}，清单写的是 {file}")
        rows = _get(t, "rows", int, f"表 {name} 的行数")
        if rows < 0:
            raise _bad(f"表 {name} 的行数不能为负")
        digest = _get(t, "sha256", str, f"表 {name} 的校验值")
        if not _HEX64.match(digest):
            raise _bad(f"表 {name} 的校验值格式错误")
        cols = _get(t, "columns", list, f"表 {name} 的列清单")
        if not cols or not all(isinstance(c, str) and _COLUMN.match(c) for c in cols) or len(set(cols)) != len(cols):
            raise _bad(f"表 {name} 的列清单无效")
        tables.append(TableEntry(name, file, rows, digest, tuple(cols)))
    confirm: list[Confirmation] = []
    for c in _get(obj, "confirm", list, "确认清单", optional=True) or []:
        if not isinstance(c, dict):
            raise _bad("确认清单格式错误")
        confirm.append(Confirmation(
            package_id=_get(c, "package_id", str, "确认的数据包编号"),
            seq=_get(c, "seq", int, "确认的数据包序号"),
            until=_datetime(c.get("until"), "确认的截止时间"),
        ))
    site = _site(obj.get("site"), "发送单位")
    to_site = _site(obj.get("to_site"), "接收单位", optional=True)
    if kind == DOWNSTREAM and to_site is None:
        raise _bad("下发包缺少接收社区")
    return Manifest(
        kind=kind,
        package_id=_get(obj, "package_id", str, "数据包编号"),
        seq=seq,
        created_at=_datetime(obj.get("created_at"), "生成时间"),
        schema_version=sv,
        site=site,
        street_org_code=_get(street, "org_code", str, "街道组织代码"),
        key_fingerprint=_get(street, "key_fingerprint", str, "密钥指纹"),
        full=_get(obj, "full", bool, "是否全量"),
        since=since,
        until=until,
        tables=tuple(tables),
        to_site=to_site,
        confirm=tuple(confirm),
        app_version=_get(obj, "app_version", str, "程序版本", optional=True) or "",
        format_version=fv,
        reads=_reads(obj, sv),
    )


def _reads(obj: dict, schema_version: str) -> str:
    """The manifest's `reads`, when it is a format name not before the one it was written in; else ""."""
    r = obj.get("reads")
    if isinstance(r, str) and len(r) == len(schema_version) and r.isascii() and r.isdigit() and r >= schema_version:
        return r
    return ""


# --- merge summary --------------------------------------------------------------

@dataclass
class TableCounts:
    """What a merge did (or, in a dry run, would do) to one table."""

    table: str
    counts: dict[Decision, int] = field(default_factory=lambda: {d: 0 for d in Decision})

    def add(self, decision: Decision, n: int = 1) -> None:
        self.counts[decision] += n

    @property
    def changed(self) -> int:
        return self.counts[Decision.INSERT] + self.counts[Decision.UPDATE]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- silence at the street ------------------------------------------------------

def silent_days(last_package_at: datetime | date | None, today: date) -> int | None:
    """Days since a community's last package was made; None if it never sent one."""
    if last_package_at is None:
        return None
    last = last_package_at.date() if isinstance(last_package_at, datetime) else last_package_at
    return (today - last).days


def is_silent(last_package_at: datetime | date | None, today: date, days: int = SILENT_DAYS,
              since: datetime | date | None = None) -> bool:
    """Silent for over `days`: since its last package, or, never having sent one, since `since` (its enrolment).

    A community enrolled this morning is awaited, not late; without `since`, never sending counts as silent.
    """
    n = silent_days(last_package_at, today)
    if n is None and since is not None:
        n = silent_days(since, today)
    return n is None or n > days


def watermark_since(confirmed_until: datetime | None, now: datetime,
                    margin: timedelta = timedelta(minutes=10)) -> datetime | None:
    """Where the next delta export starts: a little before what the street confirmed.

    None means "send everything": nothing confirmed yet, or this PC's clock now
    reads earlier than a confirmed export (it was wrong then or is wrong now),
    so a time window could miss rows. The margin re-sends rows written while
    the last export was being read; importing them again changes nothing.
    """
    if confirmed_until is None or now < confirmed_until:
        return None
    return confirmed_until - margin


# --- names people read ----------------------------------------------------------------

TABLE_LABELS: dict[str, str] = {
    "organization": "党组织",
    "member": "党员",
    "member_status_change": "党员状态变动",
    "transfer": "组织关系转接",
    "household": "住户",
    "resident": "居民",
    "meeting_kind_setting": "会议频次设置",
    "committee_member": "支委会成员",
    "meeting": "会议",
    "attendance": "签到",
    "meeting_attachment": "会议附件",
    "evaluation": "民主评议",
    "evaluation_ballot": "民主测评",
    "evaluation_vote": "民主测评票数",
    "service_list_item": "分类清单",
    "partner_unit": "共建单位",
    "visit": "走访",
    "visit_member": "走访党员",
    "visit_follow_up": "走访跟进",
    "mediation_case": "矛盾纠纷",
    "mediation_party": "纠纷当事人",
    "mediation_session": "调解记录",
    "wish": "微心愿",
    "wish_claim": "心愿认领",
    "wish_photo": "心愿照片",
    "project": "微实事项目",
    "project_milestone": "项目节点",
    "project_resident": "项目相关居民",
    "account": "经费账户",
    "budget": "预算",
    "ledger_entry": "记账凭证",
    "ledger_attachment": "凭证附件",
    "closed_month": "结账月份",
    "dues_rate_rule": "党费比例",
    "dues_base": "党费基数",
    "dues_record": "党费记录",
    "attendance_exemption": "免计应到",
    "branch_cadence": "支部会议频次",
    "applicant": "入党申请人",
    "development_step": "发展党员步骤",
    "party_exit": "出党记录",
    "discipline": "党纪处分",
    "member_disposal": "不合格党员处置",
    "member_org_move": "党员组织调动",
    "floating_record": "流动党员登记",
    "lost_search": "失联党员查找",
    "meeting_topic": "会议议题",
    "reporting_member": "报到党员",
    "reporting_post": "认领岗位",
    "reporting_post_claim": "岗位认领",
    "reporting_service": "报到服务记录",
    "cobuild_activity": "共建活动",
    "cobuild_activity_org": "共建活动组织方",
    "cobuild_activity_unit": "共建活动参与单位",
    "cobuild_activity_person": "共建活动参加人员",
    "cobuild_activity_photo": "共建活动照片",
    "cobuild_committee": "兼职委员",
    "cobuild_care": "慰问活动",
    "cobuild_care_recipient": "慰问对象",
    "cobuild_contact": "楼门联系",
    "cobuild_pairing": "双进双认结对",
    "cobuild_pairing_item": "认岗认亲",
    "cobuild_pairing_visit": "结对走访",
    "cobuild_joint_topic": "联席会议议题",
    "cobuild_list_item": "三单清单",
    "cobuild_cost": "共建费用凭证", "cobuild_inquiry": "问需服务", "cobuild_unit_report": "单位报到", "cobuild_unit_report_item": "单位报到记录",
    "assessment_scheme": "考评方案",
    "assessment_indicator": "考评指标",
    "assessment_score": "考评评分",
    "assessment_evidence": "考评佐证材料",
    "assessment_title": "支部荣誉称号",
    "app_user": "用户",
    "audit_entry": "操作记录",
}


def table_label(name: str) -> str:
    return TABLE_LABELS.get(name, name)
