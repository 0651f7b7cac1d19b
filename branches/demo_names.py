"""The demo province's shape and names: regions, the committees with their general branches
and category mix, department names branches are named after, and the surnames and given names
demo people get (`branches.demo` builds the tree from them)."""

from dataclasses import dataclass, field

from .models import BranchCategory, UnitType

C = BranchCategory


def _words(text: str) -> list[str]:
    return text.split()


REGIONS = [("east", "东部片区"), ("central", "中部片区"), ("west", "西部片区")]

#: Department names that branch names are made from, per category.
DEPARTMENTS = {
    C.PRODUCTION: _words(
        "网络运维 传输维护 线路维护 无线网络优化 动力环境保障 核心网维护 数据中心运维 工程建设"
    ),
    C.AUXILIARY: _words("后勤服务 物资供应 车辆保障 培训中心 档案管理 安全保卫"),
    C.MANAGEMENT: _words("机关 财务部 人力资源部 党建工作部 综合办公室 纪检审计 法律事务"),
    C.MARKET: _words("政企客户 家庭客户 渠道管理 城区营业 客户服务 电子渠道 农村市场 集团客户"),
    C.NON_PUBLIC: _words("实业公司 通信服务公司 规划设计院 物业管理公司 信息服务公司"),
}

CITY_MIX = {C.PRODUCTION: 34, C.AUXILIARY: 12, C.MANAGEMENT: 17, C.MARKET: 28, C.NON_PUBLIC: 9}


@dataclass(frozen=True)
class CommitteeSpec:
    code: str
    name: str
    prefix: str  # how the names of its branches begin
    unit_type: str
    region: str
    weight: int  # its share of the province's branches
    mix: dict = field(default_factory=lambda: CITY_MIX)  # category → weight
    general_branches: tuple = ()  # (department, category whose branches it gathers)


NETWORK, MARKET = ("网络部", C.PRODUCTION), ("市场部", C.MARKET)


def _city(code, city, region, weight, *general_branches):
    return CommitteeSpec(
        code,
        f"{city}市分公司党委",
        f"{city}市分公司",
        UnitType.CITY,
        region,
        weight,
        general_branches=general_branches,
    )


def _direct(code, prefix, weight, mix, *general_branches):
    """A directly-affiliated committee (省公司直属党委), seated in the provincial capital."""
    return CommitteeSpec(
        code,
        f"{prefix}直属党委",
        prefix,
        UnitType.DIRECT,
        "central",
        weight,
        mix=mix,
        general_branches=general_branches,
    )


COMMITTEES = [
    _city("HZ", "杭州", "central", 18, NETWORK, MARKET),
    _city("NB", "宁波", "east", 14, NETWORK, MARKET),
    _city("WZ", "温州", "east", 12, NETWORK),
    _city("JX", "嘉兴", "central", 8),
    _city("HU", "湖州", "central", 6),
    _city("SX", "绍兴", "central", 9),
    _city("JH", "金华", "west", 10, MARKET),
    _city("QZ", "衢州", "west", 5),
    _city("ZS", "舟山", "east", 4),
    _city("TZ", "台州", "east", 9),
    _city("LS", "丽水", "west", 5),
    _direct("JG", "省公司机关", 4, {C.MANAGEMENT: 70, C.AUXILIARY: 30}, ("综合部", C.MANAGEMENT)),
    _direct("IT", "信息技术中心", 3, {C.PRODUCTION: 60, C.MANAGEMENT: 25, C.AUXILIARY: 15}),
    _direct("KF", "客户服务中心", 3, {C.MARKET: 65, C.AUXILIARY: 20, C.MANAGEMENT: 15}),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝"
)
GIVEN_NAMES = _words(
    "建国 丽华 志强 秀英 海涛 晓明 静 伟 芳 军 洋 勇 艳 杰 娟 明 超 "
    "秀兰 霞 平 刚 桂英 文 辉 鑫 玉兰 磊 红梅 波 斌 宇 浩 凯 健 俊 "
    "帆 旭 宁 林 欢 阳 建华 亮 成 建军 丹 梅 琳 晨 颖 琴 云 莉 雪 "
    "立新 国强 春燕 卫东 海燕 志刚 新民 佳怡 子涵 思远 雨萱 文博 嘉欣 "
    "振华 慧敏"
)

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """一 … 九十九 as names use them; larger numbers stay in digits (第120党支部)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)
