"""居民 sheets (a 网格 roll, a household register): the columns other systems and our template use."""

from __future__ import annotations

from desktop_app.exchange.sheets import Spec

COLUMNS: tuple[str, ...] = (
    "姓名", "公民身份号码", "性别", "出生日期", "联系电话", "所属网格", "楼栋", "单元", "室", "地址", "户主",
    "标签", "备注",
)
ALIASES: dict[str, str] = {
    "居民姓名": "姓名", "身份证号": "公民身份号码", "身份证号码": "公民身份号码", "证件号码": "公民身份号码",
    "身份证": "公民身份号码", "出生年月日": "出生日期", "手机号码": "联系电话", "手机号": "联系电话", "电话": "联系电话",
    "联系方式": "联系电话", "网格": "所属网格", "网格名称": "所属网格", "所在网格": "所属网格", "网格编码": "所属网格",
    "楼号": "楼栋", "楼栋号": "楼栋", "小区楼栋": "楼栋", "单元号": "单元", "门牌号": "室", "房号": "室", "室号": "室",
    "房间号": "室", "家庭住址": "地址", "居住地址": "地址", "现住址": "地址", "住址": "地址",
    "户主姓名": "户主", "人员类别": "标签", "人员类型": "标签", "特殊人群": "标签", "居民类别": "标签",
    "重点人群": "标签",
}
FIELDS: dict[str, tuple[str, str]] = {
    "姓名": ("name", "text"), "公民身份号码": ("id_number", "id"), "性别": ("gender", "text"),
    "出生日期": ("birth_date", "date"), "联系电话": ("phone", "text"), "所属网格": ("grid", "text"),
    "楼栋": ("building", "text"), "单元": ("unit", "text"), "室": ("room", "text"), "地址": ("address", "text"),
    "户主": ("head", "text"), "标签": ("tags", "text"), "备注": ("notes", "text"),
}
SPEC = Spec(
    kind="residents", title="居民信息", columns=COLUMNS, aliases=ALIASES, required=("姓名",),
    dates=("出生日期",), choices={"性别": ("男", "女")},
    codes={"性别": {"1": "男", "2": "女", "男性": "男", "女性": "女", "M": "男", "F": "女"}},
    id_column="公民身份号码", mobile_column="联系电话", date_keywords=(("出生", "出生日期"),),
    template="居民信息导入模板.xlsx",
)
