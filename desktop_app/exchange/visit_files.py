"""走访台账 sheets (a grid worker's visit log): the columns other systems and our template use, for the visits import."""

from __future__ import annotations

from desktop_app.domain import service_flow as flow
from desktop_app.exchange.sheets import Spec

COLUMNS: tuple[str, ...] = (
    "走访日期", "走访对象", "地址", "联系电话", "走访人", "走访形式", "问题类别", "走访情况", "反映问题", "办理结果",
    "办结日期", "备注",
)
ALIASES: dict[str, str] = {
    "日期": "走访日期", "走访时间": "走访日期", "时间": "走访日期", "来访日期": "走访日期", "入户日期": "走访日期",
    "居民姓名": "走访对象", "姓名": "走访对象", "被走访人": "走访对象", "走访对象姓名": "走访对象", "对象": "走访对象",
    "住址": "地址", "家庭住址": "地址", "居住地址": "地址", "现住址": "地址", "网格": "地址", "地址/网格": "地址",
    "电话": "联系电话", "手机号": "联系电话", "手机号码": "联系电话", "联系方式": "联系电话",
    "走访人员": "走访人", "走访党员": "走访人", "走访干部": "走访人", "参与人员": "走访人",
    "方式": "走访形式", "走访方式": "走访形式", "形式": "走访形式",
    "类别": "问题类别", "问题类型": "问题类别", "诉求类别": "问题类别",
    "事由": "走访情况", "情况": "走访情况", "走访内容": "走访情况", "基本情况": "走访情况", "走访事由": "走访情况",
    "诉求": "反映问题", "群众诉求": "反映问题", "反映的问题": "反映问题", "意见建议": "反映问题", "居民诉求": "反映问题",
    "办理情况": "办理结果", "处理结果": "办理结果", "处理情况": "办理结果", "答复情况": "办理结果",
    "办结时间": "办结日期", "处理日期": "办结日期", "办理日期": "办结日期",
}
FIELDS: dict[str, tuple[str, str]] = {
    "走访日期": ("visit_date", "date"), "走访对象": ("name", "text"), "地址": ("address", "text"),
    "联系电话": ("phone", "text"), "走访人": ("visitors", "text"), "走访形式": ("form", "text"),
    "问题类别": ("category", "text"), "走访情况": ("situation", "text"), "反映问题": ("issue", "text"),
    "办理结果": ("result", "text"), "办结日期": ("resolved_on", "date"), "备注": ("notes", "text"),
}
SPEC = Spec(
    kind="visits", title="走访记录", columns=COLUMNS, aliases=ALIASES, required=("走访日期", "走访对象"),
    dates=("走访日期", "办结日期"), choices={"走访形式": flow.VISIT_FORMS},
    # a 台账 says how the visit was made: 入户 and 上门 are our 走访, a call is 电话
    codes={"走访形式": {"入户": "走访", "入户走访": "走访", "上门": "走访", "上门走访": "走访", "电话走访": "电话",
                    "电话回访": "电话", "来电": "电话", "恳谈": "民情恳谈", "座谈": "民情恳谈", "接待来访": "来访"}},
    mobile_column="联系电话", date_keywords=(("走访", "走访日期"), ("办结", "办结日期")),
    template="走访记录导入模板.xlsx",
)
