"""Past 三会一课 sheets: the columns other systems and our template use, for the meetings history import."""

from __future__ import annotations

from desktop_app.domain import meetings as rules
from desktop_app.exchange.sheets import Spec

COLUMNS: tuple[str, ...] = (
    "会议类型", "党组织", "会议主题", "计划会议时间", "实际会议时间", "地点", "主持人", "记录人", "授课人",
    "应到人数", "实到人数", "请假人数", "列席人员", "议题", "会议内容", "决议", "出席人员", "请假人员", "缺席人员",
    "备注",
)
ALIASES: dict[str, str] = {
    "类型": "会议类型", "会议类别": "会议类型", "会议形式": "会议类型", "活动类型": "会议类型",
    "所在党支部": "党组织", "党支部": "党组织", "召开单位": "党组织", "党组织名称": "党组织", "所在党组织": "党组织",
    "组织名称": "党组织", "党支部编码": "党组织", "所在党支部编码": "党组织",
    "支部": "党组织", "所在支部": "党组织", "所属支部": "党组织", "所属党支部": "党组织", "支部名称": "党组织",
    "主题": "会议主题", "会议名称": "会议主题", "活动主题": "会议主题", "标题": "会议主题",
    "计划时间": "计划会议时间", "计划日期": "计划会议时间", "计划召开时间": "计划会议时间",
    "实际时间": "实际会议时间", "会议时间": "实际会议时间", "会议日期": "实际会议时间", "召开时间": "实际会议时间",
    "实际召开时间": "实际会议时间", "日期": "实际会议时间", "开会时间": "实际会议时间",
    "会议地点": "地点", "活动地点": "地点", "主持": "主持人", "记录": "记录人", "讲课人": "授课人", "主讲人": "授课人",
    "应到": "应到人数", "应参会人数": "应到人数", "应到会人数": "应到人数",
    "实到": "实到人数", "实际参会人数": "实到人数", "参会人数": "实到人数", "实到会人数": "实到人数",
    "请假": "请假人数", "列席": "列席人员", "列席人": "列席人员",
    "会议议题": "议题", "议程": "议题", "内容": "会议内容", "会议记录": "会议内容", "主要内容": "会议内容",
    "会议决议": "决议", "决定事项": "决议", "会议决定": "决议",
    "参会人员": "出席人员", "出席人": "出席人员", "到会人员": "出席人员", "请假人": "请假人员", "缺席人": "缺席人员",
}
FIELDS: dict[str, tuple[str, str]] = {
    "会议类型": ("kind", "text"), "党组织": ("org", "text"), "会议主题": ("title", "text"),
    "计划会议时间": ("planned", "date"), "实际会议时间": ("held", "date"), "地点": ("place", "text"),
    "主持人": ("host", "text"), "记录人": ("recorder", "text"), "授课人": ("lecturer", "text"),
    "应到人数": ("expected", "count"), "实到人数": ("present", "count"), "请假人数": ("leave", "count"),
    "列席人员": ("guests", "text"), "议题": ("topics", "text"), "会议内容": ("minutes", "text"),
    "决议": ("decisions", "text"), "出席人员": ("present_names", "text"), "请假人员": ("leave_names", "text"),
    "缺席人员": ("absent_names", "text"), "备注": ("notes", "text"),
}
SPEC = Spec(
    kind="meetings", title="三会一课", columns=COLUMNS, aliases=ALIASES,
    required=("会议类型", "党组织"),
    dates=("计划会议时间", "实际会议时间"),
    choices={"会议类型": rules.KINDS},
    codes={"会议类型": {
        "党员大会": rules.BRANCH_CONGRESS, "支部大会": rules.BRANCH_CONGRESS, "支部党员大会": rules.BRANCH_CONGRESS,
        "党支部党员大会": rules.BRANCH_CONGRESS, "支委会会议": rules.COMMITTEE, "支部委员会": rules.COMMITTEE,
        "支部委员会会议": rules.COMMITTEE, "党小组会议": rules.GROUP_MEETING, "小组会": rules.GROUP_MEETING,
        "主题党日活动": rules.THEME_DAY, "党课学习": rules.PARTY_LECTURE, "上党课": rules.PARTY_LECTURE,
    }},
    date_keywords=(("计划", "计划会议时间"), ("实际", "实际会议时间"), ("时间", "实际会议时间"), ("日期", "实际会议时间")),
    template="三会一课导入模板.xlsx",
)
