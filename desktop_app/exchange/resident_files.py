"""居民 sheets (a 网格 roll, a household register): the columns other systems and our template use."""

from __future__ import annotations

import unicodedata

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
    "户主姓名": "户主", "是否户主": "户主", "是否为户主": "户主", "户主标识": "户主", "与户主关系": "户主",
    "人员类别": "标签", "人员类型": "标签", "特殊人群": "标签", "居民类别": "标签",
    "重点人群": "标签",
}
FIELDS: dict[str, tuple[str, str]] = {
    "姓名": ("name", "text"), "公民身份号码": ("id_number", "id"), "性别": ("gender", "text"),
    "出生日期": ("birth_date", "date"), "联系电话": ("phone", "text"), "所属网格": ("grid", "text"),
    "楼栋": ("building", "text"), "单元": ("unit", "text"), "室": ("room", "text"), "地址": ("address", "text"),
    "户主": ("head", "text"), "标签": ("tags", "text"), "备注": ("notes", "text"),
}
# 户主 means the household's head: a register names them (户主 / 户主姓名 = 孙奶奶, the household's head_name),
# other systems mark each resident (是否户主 = 是/否, 与户主关系 = 本人/配偶/子女). Both come to this column;
# a cell is read by what it holds, so a 是 is never taken for a head called 是.
_HEAD_YES = frozenset({"是", "y", "yes", "1", "true", "√", "本人", "户主", "户主本人"})
_HEAD_NO = frozenset({"否", "n", "no", "0", "false", "×", "不是"})
# 与户主关系 of a resident who is not the head (GB/T 4761 家庭关系 as registers write it): whole words only,
# since 孙、岳、公 begin names too
_RELATIONS = frozenset("""配偶 妻 妻子 夫 丈夫 子 儿子 长子 次子 三子 独生子 养子 继子 女 女儿 长女 次女 三女 独生女 养女 继女
    儿媳 女婿 孙子 孙女 外孙 外孙子 外孙女 曾孙 曾孙女 孙媳妇 父 父亲 母 母亲 公公 婆婆 岳父 岳母 祖父 祖母 外祖父 外祖母
    兄 弟 姐 妹 哥哥 弟弟 姐姐 妹妹 兄弟 姐妹 侄子 侄女 外甥 外甥女 亲属 其他 其他亲属 非亲属 保姆 租户 寄住""".split())


def head_of(cell: str, name: str) -> tuple[bool, str]:
    """(whether this resident is their household's head, the head's name as far as this row says; "" when it
    says none) of a 户主 cell: 是/本人 the resident, 否/配偶/子女 not them and no one named, a name that head."""
    text = unicodedata.normalize("NFKC", cell or "").strip()
    if not text or text.lower() in _HEAD_NO:
        return False, ""
    if text.lower() in _HEAD_YES or text == name:
        return True, name
    if text in _RELATIONS:
        return False, ""
    return False, text


SPEC = Spec(
    kind="residents", title="居民信息", columns=COLUMNS, aliases=ALIASES, required=("姓名",),
    dates=("出生日期",), choices={"性别": ("男", "女")},
    codes={"性别": {"1": "男", "2": "女", "男性": "男", "女性": "女", "M": "男", "F": "女"}},
    id_column="公民身份号码", mobile_column="联系电话", date_keywords=(("出生", "出生日期"),),
    template="居民信息导入模板.xlsx",
)
