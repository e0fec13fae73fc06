"""The audit trail as people read it: entries with labelled fields, a page of them, the filter and its choices.

Built by services.audit_log from the trail store/audit.py writes; the audit
page shows them without a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from desktop_app.domain.members import FIELD_LABELS as MEMBER_FIELD_LABELS
from desktop_app.domain.sync_rules import TABLE_LABELS as SYNC_TABLE_LABELS

ACTION_LABELS: dict[str, str] = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "restore": "恢复",
    "reveal": "查看完整信息",
    "export": "导出个人信息",
    "import": "导入",
    "login": "登录",
    "login_failed": "登录失败",
    "lockout": "账户锁定",
    "logout": "退出登录",
    "lock": "自动锁屏",
    "unlock": "解除锁定",
    "password_reset": "重置密码",
    "setting": "修改设置",
    "sync_import": "导入同步包",
    "sync_export": "导出同步包",
    "demo": "生成演示数据",
    "bulk": "批量修改",
    "backup": "备份数据库", "encrypt": "加密数据库", "decrypt": "解密数据库",
    "import_update": "导入更新", "sync_insert": "同步新增", "sync_update": "同步更新", "sync_delete": "同步删除",
    "audit_revert": "撤销更改",
}

# The trail names a table as the sync screens do (domain.sync_rules), but for the
# words these screens have always used for the tables people edit by hand.
TABLE_LABELS: dict[str, str] = {
    **SYNC_TABLE_LABELS,
    "meeting": "三会一课",
    "meeting_kind_setting": "会议要求",
    "wish_claim": "微心愿认领",
    "project_resident": "项目涉及居民",
    "service_list_item": "选项列表",
    "ledger_entry": "经费凭证",
    "closed_month": "月结",
    "dues_rate_rule": "党费标准",
    "dues_record": "党费缴纳",
    "access_setting": "安全设置",
}

# Column -> Chinese, for the before/after view; unknown columns show their own name.
FIELD_LABELS: dict[str, str] = {
    "name": "名称", "code": "代码", "kind": "类型", "parent_id": "上级", "sort_order": "排序",
    "status": "状态", "grid_id": "网格", "household_id": "住户", "resident_id": "居民",
    "member_id": "党员", "building": "楼栋", "unit": "单元", "room": "室", "head_name": "户主",
    "phone": "电话", "tags": "标签", "note": "备注", "notes": "备注", "title": "标题",
    "meeting_date": "日期", "place": "地点", "host": "主持人", "recorder": "记录人", "minutes": "会议记录",
    "content": "内容", "category": "类别", "amount_fen": "金额（分）", "entry_date": "日期",
    "voucher_no": "凭证号", "memo": "摘要", "direction": "收支", "account_id": "账户", "month": "月份",
    "paid_fen": "实缴（分）", "due_fen": "应缴（分）", "base_fen": "基数（分）", "paid_on": "缴纳日期",
    "login": "登录名", "display_name": "姓名", "role": "角色", "grid_ids": "负责网格",
    "password_hash": "密码", "password_salt": "密码盐", "kdf_params": "密码参数", "active": "启用",
    "must_change_password": "须改密码", "file": "文件", "rows": "条数", "idle_lock_minutes": "自动锁定（分钟）",
    "visit_date": "走访日期", "follow_state": "跟进状态", "state": "状态", "deadline": "截止日期",
    "owner_name": "负责人", "budget_fen": "预算（分）", "actual_cost_fen": "实际花费（分）",
    "year": "年度", "grade": "等次", "org_id": "所属组织",
}

_PERSON = {"name": "姓名", "id_number": "公民身份号码", "phone": "联系电话", "gender": "性别",
           "birth_date": "出生日期"}
TABLE_FIELD_LABELS: dict[str, dict[str, str]] = {
    "member": MEMBER_FIELD_LABELS,
    "resident": _PERSON,
    "mediation_party": _PERSON,
    "household": {"phone": "联系电话", "address": "地址"},
}

PAGE_SIZE = 200


def field_label(table: str, column: str) -> str:
    return TABLE_FIELD_LABELS.get(table, {}).get(column) or FIELD_LABELS.get(column, column)


@dataclass
class AuditFilter:
    user_id: str | None = None
    table: str | None = None
    action: str | None = None
    date_from: date | None = None  # local dates, inclusive
    date_to: date | None = None
    row_id: str | None = None
    text: str = ""  # in the record's name or the note


@dataclass(frozen=True)
class FieldChange:
    """One field of an audited record, before and after."""

    field: str
    label: str
    before: object
    after: object


# Who did what nobody was logged in for: the command line, start-up and background tasks.
SYSTEM_ACTOR = "命令行/系统"


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: datetime  # local time
    user_id: str
    user_name: str
    site_id: str
    table: str
    row_id: str
    label: str
    action: str
    note: str
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def table_label(self) -> str:
        return TABLE_LABELS.get(self.table, self.table)

    @property
    def who(self) -> str:
        return self.user_name or SYSTEM_ACTOR

    def changes(self) -> list[FieldChange]:
        """Each field with its value before and after, in a stable order (before's, then after's)."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [FieldChange(k, field_label(self.table, k), self.before.get(k), self.after.get(k)) for k in keys]

    @property
    def summary(self) -> str:
        if self.note:
            return self.note
        if self.action == "insert":
            return f"新建，{len(self.after)} 项内容" if self.after else "新建"
        if self.action == "delete":
            return "删除（修改前的内容见下方）"

        def short(value) -> str:
            text = "（空）" if value in (None, "") else str(value)
            return text if len(text) <= 16 else text[:15] + "…"

        parts = [f"{c.label}：{short(c.before)} → {short(c.after)}" for c in self.changes()
                 if c.before != c.after]
        return "；".join(parts[:3]) + ("等" if len(parts) > 3 else "")


@dataclass(frozen=True)
class TrailPage:
    rows: list[AuditRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class FilterChoices:
    users: list[tuple[str, str]]  # (user_id, name) as the trail has them
    tables: list[tuple[str, str]]  # (table, label)
    actions: list[tuple[str, str]]  # (action, label)
