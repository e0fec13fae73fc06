"""The audit trail as people read it: entries with labelled fields, a page of them, the filter and its choices.

Built by services.audit_log from the trail store/audit.py writes; the audit
page shows them without a session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from desktop_app.domain.access import ROLE_LABELS
from desktop_app.domain.assessment import LEVEL_LABELS as INDICATOR_LEVEL_LABELS
from desktop_app.domain.assessment import points as tenths_text
from desktop_app.domain.clock import local_text
from desktop_app.domain.ledger import DUES_KIND
from desktop_app.domain.meetings import MEETING_STATUS_LABELS
from desktop_app.domain.members import FIELD_LABELS as MEMBER_FIELD_LABELS
from desktop_app.domain.orgs import KIND_LABELS as ORG_KIND_LABELS
from desktop_app.domain.money import format_yuan
from desktop_app.domain.sync_rules import TABLE_LABELS as SYNC_TABLE_LABELS
from desktop_app.domain.site import LEVELS as SITE_LEVELS

ACTION_LABELS: dict[str, str] = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "restore": "恢复",
    "reveal": "查看完整信息",
    "export": "导出",  # a table, personal data, the trail itself: the entry says what
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
    # the program's own bookkeeping, which the trail and the filter name too
    "site": "本单位", "import_mapping": "导入列映射", "ledger_month_balance": "月末余额",
    "sync_export": "同步包导出", "sync_import": "同步包导入", "sync_identity": "同步登记",
    "sync_enrolment": "社区登记", "sync_peer": "同步单位", "sync_conflict": "同步冲突",
    "sync_row_state": "同步状态", "audit_undo": "撤销用的原值",
}

# Column -> Chinese, for the before/after view and the sync conflict view (one word per column in both);
# unknown columns show their own name.
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
    "must_change_password": "须改密码", "file": "文件", "rows": "条数", "list": "列表", "idle_lock_minutes": "自动锁定（分钟）",
    "visit_date": "走访日期", "follow_state": "跟进状态", "state": "状态", "deadline": "截止日期",
    "owner_name": "负责人", "budget_fen": "预算（分）", "actual_cost_fen": "实际花费（分）",
    "year": "年度", "grade": "等次", "org_id": "所属组织",
}

# The columns of the other tables people edit (a test holds every audited column to a Chinese label).
FIELD_LABELS.update({
    "activity_date": "活动日期", "activity_id": "共建活动", "address": "地址", "agreement": "调解协议",
    "answer": "答复", "applicant_id": "入党申请人", "applied_on": "申请日期", "asked_by": "问需人",
    "asked_name": "问需对象", "background": "情况", "birth_date": "出生日期", "body": "内容", "by": "经办人",
    "cancel_reason": "取消原因", "card_no": "活动证编号", "care_date": "慰问日期", "care_id": "慰问",
    "case_id": "纠纷案件", "case_no": "案号", "changed_on": "变更日期", "channel": "方式",
    "claimant_kind": "认领人类别", "claimant_member_id": "认领党员", "claimant_name": "认领人",
    "claimant_unit_id": "认领单位", "claimed_on": "认领日期", "closed_by": "结账人", "closed_on": "结案日期",
    "collected_by": "收缴人", "completed_on": "完成日期", "contact": "联系方式", "contact_person": "联系人",
    "contacts": "培养联系人", "cost_fen": "费用（分）", "counterparty": "收/付款方", "decided_by": "决定机关",
    "decided_on": "决定日期", "decision": "决定", "description": "说明", "destination": "去向",
    "detail": "详情", "document_no": "文号", "documents": "材料", "done_on": "完成日期",
    "due_date": "期限", "dues_paid_to": "党费交至", "duties": "岗位职责", "education": "学历",
    "effective_from": "起始日期", "employer": "工作单位", "employer_org": "单位党组织",
    "end_date": "结束日期", "end_time": "结束时间", "ended_on": "结束日期", "ends_on": "期满日期",
    "entered_by": "录入人", "entry_id": "经费凭证", "estimated_fen": "预计价值（分）", "evidence": "评分依据",
    "excellent_tenths": "优秀分数线（分）", "excused_reason": "免于应到原因", "exit_date": "出党日期",
    "file_name": "文件名", "fixed_due_fen": "固定月交（分）", "fixed_fen": "固定金额（分）",
    "follow_up": "跟进", "form": "走访形式", "from_org": "转出单位", "from_org_id": "原所在组织",
    "from_state": "原状态", "fulfil_note": "实现情况", "fulfilled_on": "实现日期", "gender": "性别",
    "givers": "慰问人", "granted_on": "授予日期", "guest_name": "列席人", "guest_unit": "列席人单位",
    "handler": "经办人", "has_committee": "设支委会", "hours_tenths": "时长（小时）",
    "household_label": "联系户", "id_number": "公民身份号码", "income_fen": "收入基数（分）",
    "indicator_id": "考评指标", "inquiry_date": "问需日期", "is_guest": "列席", "is_sample": "示例方案",
    "issued_by": "授予单位", "item_date": "日期", "item_id": "事项", "items": "慰问品",
    "job": "工作岗位", "joined_on": "加入日期", "lecturer": "讲课人", "ledger_entry_id": "经费凭证",
    "left_on": "离开日期", "letter_no": "介绍信编号", "level": "级别", "liaison": "联络人",
    "lifted_on": "解除日期", "list_item_id": "清单事项", "list_kind": "清单类别", "max_fen": "上限（分）",
    "max_tenths": "满分（分）", "measure": "处置方式", "mediator": "调解员", "mediators": "调解人员",
    "meeting_id": "会议", "member_name": "党员", "method": "查找方式", "min_fen": "下限（分）",
    "mobile": "手机号码", "months": "月数", "moved_on": "调动日期", "need_id": "需求",
    "number": "编号", "occasion": "慰问类别", "offers": "可提供", "on_date": "日期",
    "other_org": "参加活动的党组织", "other_visitors": "其他走访人", "outcome": "处置结果",
    "over_fen": "基数超过（分）", "owner_member_id": "项目经理", "paired_on": "结对日期", "pairing_id": "结对",
    "params": "计分参数", "party_kind": "对象类别", "party_org": "单位党组织",
    "pass_tenths": "达标分数线（分）", "people": "人数", "places": "名额", "points": "积分",
    "post": "职务", "post_id": "岗位", "posted_on": "发布日期", "prior_status": "原状态",
    "project_id": "微实事项目", "project_no": "项目编号", "promise": "服务承诺",
    "quarterly_consent": "按季度交纳", "raised_issue": "反映问题", "raised_on": "登记日期",
    "rate_bp": "比例（万分之）", "reason": "原因", "receipt_on": "回执日期", "received_on": "受理日期",
    "report_id": "单位报到", "reported_on": "报到日期", "reporting_member_id": "报到党员",
    "required": "须召开", "residents_served": "服务居民（人次）", "resolution": "办理结果",
    "resolved_by": "办结人", "resolved_on": "办结日期", "resource_id": "资源", "result": "结果",
    "reversal_of": "冲销的凭证", "rule": "计分规则", "scheme_id": "考评方案", "score_id": "评分",
    "score_tenths": "得分（分）", "scored_by": "评分人", "scored_on": "评分日期", "seq": "序号",
    "service_date": "服务日期", "session_date": "调解日期", "sha256": "文件校验码", "since": "开始日期",
    "size": "大小（字节）", "skills": "特长和服务", "source": "来源", "stage": "阶段",
    "start_date": "开始日期", "start_time": "开始时间", "status_change_id": "状态变更",
    "status_note": "状态说明", "step": "环节", "stored_name": "存储文件名", "stored_path": "存储位置",
    "summary": "简要情况", "term_end": "任期结束", "term_start": "任期开始", "times": "次数",
    "to_org": "转入单位", "to_org_id": "新所在组织", "to_state": "新状态", "topic": "议题",
    "tracking_since": "起算日期", "transfer_date": "转接日期", "transferred_to": "移交单位",
    "tried_by": "查找人", "tried_on": "查找日期", "unit_id": "共建单位", "unit_name": "单位名称",
    "upto_fen": "基数至（分）", "valid_until": "有效期至", "visit_id": "走访", "visitee_name": "走访对象",
    "visitors": "走访人", "voters_expected": "应参加表决人数", "votes_abstain": "弃权票",
    "votes_against": "反对票", "votes_for": "赞成票", "wish_id": "微心愿", "wish_no": "心愿编号",
    "wisher_name": "心愿人",
})

# What an import or an export records about itself (counts, the batch, the file's key) beside the columns.
FIELD_LABELS.update({
    "added": "新增（名）", "updated": "更新（名）", "branches_created": "新建党支部（个）", "batch": "批次",
    "added_at": "导入时间", "applicants": "导入人数", "residents": "居民（人）", "households": "新建住户（户）",
    "entries": "账目（笔）", "months_closed": "结账月数", "meetings": "会议（次）", "fingerprint": "密钥指纹",
    "mapping": "列映射", "signature": "表头特征", "visits": "走访记录（条）",
    "branch_ids": "新建党支部编号", "outings": "登记流出（条）",
})

# Bookkeeping the trail leaves out (store.audit.SKIP_COLUMNS) but a sync conflict shows side by side.
FIELD_LABELS.update({
    "created_at": "创建时间", "updated_at": "修改时间", "updated_by_site": "修改单位", "version": "版本",
    "deleted": "已删除", "name_pinyin": "姓名拼音", "name_initials": "姓名首字母",
})

_PERSON = {"name": "姓名", "id_number": "公民身份号码", "phone": "联系电话", "gender": "性别",
           "birth_date": "出生日期"}
TABLE_FIELD_LABELS: dict[str, dict[str, str]] = {
    "member": MEMBER_FIELD_LABELS,
    "resident": _PERSON,
    "mediation_party": _PERSON,
    "household": {"phone": "联系电话", "address": "地址"},
    # 民主测评 (evaluation_ballot, evaluation_vote)
    "evaluation_ballot": {"issued": "发出票数", "returned": "收回票数", "held_on": "测评日期"},
    "evaluation_vote": {"excellent": "优秀票", "qualified": "合格票", "basic": "基本合格票", "unqualified": "不合格票"},
}

PAGE_SIZE = 200


def field_label(table: str, column: str) -> str:
    return TABLE_FIELD_LABELS.get(table, {}).get(column) or FIELD_LABELS.get(column, column)


# Columns that store a code rather than the word shown (meeting.status "held" is 已召开).
VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("meeting", "status"): MEETING_STATUS_LABELS,
    ("organization", "kind"): {str(k): v for k, v in ORG_KIND_LABELS.items()},
    ("app_user", "role"): {str(k): v for k, v in ROLE_LABELS.items()},
    ("site", "level"): SITE_LEVELS,
    ("account", "kind"): {DUES_KIND: "党费账户"},
    ("assessment_indicator", "level"): INDICATOR_LEVEL_LABELS,
}


def shown_field(table: str, column: str, value: object) -> tuple[str, object]:
    """A field's label and value as people read them: the trail keeps money in fen and scores and hours
    in tenths, as the tables do; the screens show 元 with two decimals and points or hours (2.5), like
    every other figure in the program, a code as its word and an import's instant in local time."""
    label = field_label(table, column)
    words = VALUE_LABELS.get((table, column))
    if words is not None and isinstance(value, str):
        return label, words.get(value, value)
    if column == "added_at" and isinstance(value, str):  # an import's instant, kept in UTC like every stamp
        try:
            return label, local_text(datetime.fromisoformat(value), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return label, value
    number = isinstance(value, int) and not isinstance(value, bool)
    if column.endswith("_tenths"):  # scores and hours are kept in tenths; a score of 2 reads 2, not 20
        return label, tenths_text(value) if number else value
    if not column.endswith("_fen"):
        return label, value
    return label.replace("（分）", "（元）"), format_yuan(value) if number else value


def value_text(value: object) -> str:
    """A field's value as text: nothing for None, 是/否, a list or mapping as JSON with its Chinese."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, table)


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
        return table_label(self.table)

    @property
    def who(self) -> str:
        return self.user_name or SYSTEM_ACTOR

    def changes(self) -> list[FieldChange]:
        """Each field with its value before and after, in a stable order (before's, then after's)."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        out = []
        for k in keys:
            label, before = shown_field(self.table, k, self.before.get(k))
            out.append(FieldChange(k, label, before, shown_field(self.table, k, self.after.get(k))[1]))
        return out

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
