"""Word pools for demo data: names, places, jobs, tags. Pure data and helpers, no I/O.

Every helper takes the caller's `random.Random`, so a seed reproduces the same
community; nothing here touches the global random state.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Generic, Sequence, TypeVar

T = TypeVar("T")


def day_between(rng: random.Random, first: date, last: date) -> date:
    """A day from `first` to `last`, both included (`first` when `last` is earlier)."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


class Weighted(Generic[T]):
    """Values with relative weights; cumulative weights are computed once."""

    def __init__(self, pairs: Sequence[tuple[T, float]]):
        self.values: tuple[T, ...] = tuple(v for v, _ in pairs)
        self._cum = list(accumulate(w for _, w in pairs))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self._cum)[0]


# --- people -----------------------------------------------------------------

# Roughly the shares of the 2020 census (per mille); the long tail is trimmed.
SURNAMES: Weighted[str] = Weighted([
    ("王", 71), ("李", 70), ("张", 67), ("刘", 51), ("陈", 46), ("杨", 32), ("黄", 24),
    ("赵", 22), ("吴", 20), ("周", 19), ("徐", 14), ("孙", 14), ("马", 13), ("朱", 13),
    ("胡", 12), ("郭", 11), ("何", 11), ("林", 10), ("高", 10), ("罗", 9), ("郑", 8),
    ("梁", 8), ("谢", 6), ("宋", 6), ("唐", 6), ("许", 6), ("韩", 6), ("冯", 5),
    ("邓", 5), ("曹", 5), ("彭", 5), ("曾", 5), ("肖", 5), ("田", 5), ("董", 5),
    ("袁", 4), ("潘", 4), ("于", 4), ("蒋", 4), ("蔡", 4), ("余", 4), ("杜", 4),
    ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 3), ("丁", 3), ("任", 3),
    ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 2), ("贾", 2),
    ("夏", 2), ("韦", 2), ("付", 2), ("方", 2), ("白", 2), ("邹", 2), ("孟", 2),
    ("熊", 2), ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2),
    ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2),
    ("贺", 2), ("顾", 1), ("毛", 1), ("郝", 1), ("龚", 1), ("邵", 1), ("万", 1),
    ("钱", 1), ("严", 1), ("覃", 1), ("武", 1), ("戴", 1), ("莫", 1), ("孔", 1),
    ("向", 1), ("汤", 1), ("常", 1), ("单", 0.5), ("欧阳", 0.3), ("上官", 0.1),
])

# Given names by gender and era of birth: a 1940s 建国 and a 1990s 子豪 read
# true; mixing them up is what makes fake rosters look fake.
_GIVEN: dict[tuple[str, str], tuple[str, ...]] = {
    ("男", "old"): (
        "建国", "建华", "国强", "国庆", "卫国", "志强", "建军", "振华", "德明", "国华",
        "永生", "福生", "长林", "宝山", "学军", "援朝", "跃进", "庆丰", "德福", "树森",
        "春生", "金华", "秀峰", "文明", "明", "华", "军", "平", "强", "刚", "林", "忠",
    ),
    ("男", "mid"): (
        "伟", "勇", "军", "磊", "涛", "斌", "强", "杰", "鹏", "波", "海涛", "志刚",
        "建平", "晓东", "立新", "宏伟", "文斌", "云峰", "建峰", "海波", "俊杰", "永刚",
        "东升", "小军", "红兵", "卫东", "亮", "辉", "峰", "健", "新华", "志勇",
    ),
    ("男", "young"): (
        "浩", "宇", "鑫", "俊", "博", "帅", "子豪", "浩然", "宇轩", "一鸣", "俊熙",
        "泽宇", "晨阳", "浩宇", "天佑", "家豪", "思远", "明轩", "宇航", "嘉诚", "博文",
        "哲", "睿", "凯", "晨", "子轩", "皓轩", "文博", "昊天", "逸飞",
    ),
    ("女", "old"): (
        "秀英", "桂英", "秀兰", "玉兰", "桂兰", "凤英", "淑珍", "秀珍", "玉珍", "桂芳",
        "淑英", "秀云", "玉梅", "素芬", "翠英", "兰英", "美英", "凤兰", "淑华", "红英",
        "芳", "英", "兰", "华", "珍", "桂珍", "秀芳", "玉英", "金凤", "佩珍",
    ),
    ("女", "mid"): (
        "丽", "静", "敏", "燕", "艳", "娟", "霞", "红", "丽华", "海燕", "晓红", "丽娟",
        "秀梅", "春燕", "雪梅", "玉红", "小红", "晓燕", "慧", "婷", "丽萍", "红梅",
        "建英", "慧敏", "晓丽", "美玲", "丽君", "文静", "琴", "萍",
    ),
    ("女", "young"): (
        "婷婷", "欣怡", "雨涵", "梦瑶", "佳琪", "思琪", "诗涵", "雅婷", "子涵", "一诺",
        "梓涵", "晓雯", "雪", "琳", "倩", "颖", "萌", "悦", "佳怡", "心怡", "若曦",
        "思雨", "梦琪", "雨桐", "可馨", "欣然", "紫萱", "嘉欣", "诗琪", "静怡",
    ),
}


def era(birth_year: int) -> str:
    if birth_year < 1960:
        return "old"
    if birth_year < 1985:
        return "mid"
    return "young"


def given_name(rng: random.Random, gender: str, birth_year: int) -> str:
    return rng.choice(_GIVEN[(gender, era(birth_year))])


def person_name(rng: random.Random, gender: str, birth_year: int, surname: str | None = None) -> str:
    return (surname or SURNAMES.pick(rng)) + given_name(rng, gender, birth_year)


ETHNICITIES: Weighted[str] = Weighted([
    ("汉族", 940), ("回族", 20), ("满族", 15), ("壮族", 6), ("蒙古族", 5), ("土家族", 4),
    ("苗族", 3), ("朝鲜族", 3), ("彝族", 2), ("藏族", 1), ("维吾尔族", 1),
])

# Education by era of birth: older members mostly left school early.
_EDUCATION: dict[str, Weighted[str]] = {
    "old": Weighted([("小学", 12), ("初中", 33), ("高中", 27), ("中专", 13), ("大专", 9), ("本科", 6)]),
    "mid": Weighted([
        ("初中", 8), ("高中", 18), ("中专", 14), ("大专", 25), ("本科", 30),
        ("硕士研究生", 4), ("博士研究生", 1),
    ]),
    "young": Weighted([("大专", 18), ("本科", 60), ("硕士研究生", 19), ("博士研究生", 3)]),
}
EDUCATION_LEVELS: tuple[str, ...] = (
    "小学", "初中", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生",
)


def education(rng: random.Random, birth_year: int) -> str:
    return _EDUCATION[era(birth_year)].pick(rng)


RETIRED = "退休"
STUDENT = "学生"
UNEMPLOYED = "无业"
# Jobs of members of working age (退休, 学生 are decided by age).
JOBS: Weighted[str] = Weighted([
    ("企业职工", 28), ("事业单位职工", 9), ("教师", 8), ("个体经营", 8), ("社区工作者", 6),
    ("企业管理人员", 6), ("公务员", 5), ("工程技术人员", 5), ("医生", 4), ("护士", 3),
    ("自由职业", 4), (UNEMPLOYED, 4),
])
NOT_EMPLOYED: frozenset[str] = frozenset({RETIRED, STUDENT, UNEMPLOYED})

# 在职党员报到: employers near a community and the posts they have.
EMPLOYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("区人民医院", ("医生", "护士", "行政人员")),
    ("市中医院", ("医生", "护士", "药剂师")),
    ("区实验小学", ("教师", "教务主任")),
    ("市第一中学", ("教师", "年级组长")),
    ("区教育局", ("科员", "科长")),
    ("区税务局", ("科员", "税务专管员")),
    ("区市场监督管理局", ("科员", "执法人员")),
    ("区城市管理局", ("科员", "执法队员")),
    ("区人民法院", ("法官助理", "书记员")),
    ("区财政局", ("科员", "会计")),
    ("区卫生健康委员会", ("科员", "科长")),
    ("区住房和城乡建设局", ("科员", "工程师")),
    ("国网供电公司城区分公司", ("工程师", "客户经理")),
    ("市自来水公司", ("技术员", "客户服务")),
    ("中国银行城区支行", ("客户经理", "柜员")),
    ("中国移动城区分公司", ("客户经理", "工程师")),
    ("市地铁运营公司", ("调度员", "工程师")),
    ("市公交集团", ("驾驶员", "调度员")),
    ("市图书馆", ("馆员",)),
    ("区文化馆", ("文化专干",)),
)

REPORTING_SERVICES: tuple[str, ...] = (
    "志愿服务", "结对帮扶", "微心愿认领", "政策宣讲", "义诊", "环境整治",
    "助老服务", "法律咨询", "文明创建", "垃圾分类督导", "疫情防控", "课业辅导",
)

# 外出流向 of floating members.
FLOATING_DESTINATIONS: tuple[str, ...] = (
    "江苏省苏州市工业园区", "广东省深圳市南山区", "上海市浦东新区", "浙江省杭州市滨江区",
    "北京市海淀区", "四川省成都市高新区", "湖北省武汉市洪山区", "海南省三亚市吉阳区",
    "广东省广州市番禺区", "浙江省宁波市鄞州区", "山东省青岛市黄岛区", "福建省厦门市湖里区",
)

MOBILE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "177", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "199",
)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random, area_code: str) -> str:
    return f"{area_code}-{rng.randint(5, 8)}{rng.randrange(10**7):07d}"


# 居民 tags a center keeps an eye on.
RESIDENT_TAGS: tuple[str, ...] = (
    "独居老人", "空巢老人", "高龄老人", "困难群众", "低保户", "残疾人", "退役军人",
)

RESIDENT_NOTES: dict[str, tuple[str, ...]] = {
    "独居老人": ("子女在外地，需定期走访", "每周电话问候一次", "腿脚不便，需上门服务"),
    "空巢老人": ("子女在外地工作", "老两口互相照应，定期走访"),
    "高龄老人": ("已申领高龄补贴", "行动不便"),
    "困难群众": ("因病致困，已申请临时救助", "家庭收入不稳定"),
    "低保户": ("每季度核查低保资格", "已纳入最低生活保障"),
    "残疾人": ("持残疾人证", "需无障碍设施改造"),
    "退役军人": ("已建立退役军人服务档案", "光荣之家"),
}


# --- places -----------------------------------------------------------------

@dataclass(frozen=True)
class District:
    region: str  # 6-digit administrative code, the first six digits of an ID number
    city: str
    name: str
    area_code: str  # landline prefix


DISTRICTS: tuple[District, ...] = (
    District("110105", "北京市", "朝阳区", "010"),
    District("110108", "北京市", "海淀区", "010"),
    District("120101", "天津市", "和平区", "022"),
    District("310104", "上海市", "徐汇区", "021"),
    District("310105", "上海市", "长宁区", "021"),
    District("320102", "南京市", "玄武区", "025"),
    District("320106", "南京市", "鼓楼区", "025"),
    District("330106", "杭州市", "西湖区", "0571"),
    District("330102", "杭州市", "上城区", "0571"),
    District("350203", "厦门市", "思明区", "0592"),
    District("370102", "济南市", "历下区", "0531"),
    District("370202", "青岛市", "市南区", "0532"),
    District("420106", "武汉市", "武昌区", "027"),
    District("430102", "长沙市", "芙蓉区", "0731"),
    District("440104", "广州市", "越秀区", "020"),
    District("440106", "广州市", "天河区", "020"),
    District("440305", "深圳市", "南山区", "0755"),
    District("500103", "重庆市", "渝中区", "023"),
    District("510107", "成都市", "武侯区", "028"),
    District("610113", "西安市", "雁塔区", "029"),
    District("210102", "沈阳市", "和平区", "024"),
    District("230102", "哈尔滨市", "道里区", "0451"),
)

STREET_OFFICES: tuple[str, ...] = (
    "丹凤街道", "梅园街道", "新街口街道", "和平街道", "建设路街道", "人民路街道",
    "朝阳街道", "新华街道", "东风街道", "解放街道", "文化路街道", "中山街道",
    "胜利街道", "光明街道", "长江路街道", "湖滨街道", "北门街道", "南湖街道",
    "西园街道", "青年路街道",
)

COMMUNITIES: tuple[str, ...] = (
    "幸福里", "梅园", "桂花苑", "丹凤", "锦绣", "翠竹", "春晖", "和平里", "枫林",
    "碧水湾", "阳光", "紫荆", "银杏", "兰苑", "芳草", "百花", "康乐", "怡景",
    "金桥", "玉泉", "清河", "柳荫", "明珠", "书香", "龙池", "望江", "月牙湖",
    "杏林", "松柏", "星光",
)

# Residential estates (小区) inside a community: a stem plus a suffix.
ESTATE_STEMS: tuple[str, ...] = (
    "梅园", "桂花", "丹凤", "锦绣", "翠竹", "春晖", "枫林", "紫荆", "银杏", "兰亭",
    "芳草", "百花", "康乐", "怡景", "金桥", "玉泉", "明珠", "书香", "望江", "杏林",
    "松柏", "香樟", "海棠", "青竹", "文苑", "工农", "电力", "铁路",
)
ESTATE_SUFFIXES: tuple[str, ...] = ("小区", "花园", "新村", "家园", "苑", "公寓")

ROADS: tuple[str, ...] = (
    "中山路", "解放路", "人民路", "建设路", "和平路", "长江路", "黄河路", "北京路",
    "新华路", "青年路", "文化路", "学府路", "工农路", "胜利路", "光明街", "兴华街",
    "东风路", "幸福路", "朝阳路", "育才路", "健康路", "花园路", "梅园路", "丹凤街",
    "桂花巷", "石榴巷", "槐树巷", "柳营路", "广场路", "公园路",
)

CHINESE_ORDINALS: tuple[str, ...] = (
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
)


def ordinal(n: int) -> str:
    """1 -> 一 ... 20 -> 二十, for 第一网格党支部 and 第二党小组."""
    return CHINESE_ORDINALS[n - 1] if 1 <= n <= len(CHINESE_ORDINALS) else str(n)
