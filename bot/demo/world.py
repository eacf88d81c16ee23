"""The demo world: catalogue, cities, dealer templates, staff, volumes per tier, and the random helpers."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from core.clock import Clock
from core.dealers import DealerStatus
from core.ports import AbstractUnitOfWork
from core.users import Role

UowFactory = Callable[[], AbstractUnitOfWork]
W = TypeVar("W")
CENT = Decimal("0.01")
CHUNK_DEALERS = 50          # dealers per bulk chunk of orders / ledger / sell-out


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- catalogue -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    category: str
    unit: str
    list_price: str
    aliases: tuple[str, ...]
    pack_size: int = 1
    moq: int = 1
    popularity: float = 1.0


PURIFIER, DEHUMIDIFIER, WATER, FILTER = "空气净化器", "除湿机", "净水器", "滤网耗材"

CATALOGUE: tuple[DemoProduct, ...] = (
    DemoProduct("AP300", "空气净化器 AP300", PURIFIER, "台", "1999.00", ("净化器300", "AP-300", "300净化器"),
                popularity=1.6),
    DemoProduct("AP500", "空气净化器 AP500 Pro", PURIFIER, "台", "2999.00", ("净化器500", "AP-500", "AP500Pro"),
                popularity=1.0),
    DemoProduct("AP800", "空气净化器 AP800 Max 除甲醛", PURIFIER, "台", "4599.00", ("净化器800", "AP-800", "甲醛机"),
                popularity=0.5),
    DemoProduct("DH12", "除湿机 DH12 家用12升", DEHUMIDIFIER, "台", "1299.00", ("除湿机12", "DH-12", "12升除湿机"),
                popularity=1.4),
    DemoProduct("DH20", "除湿机 DH20 20升", DEHUMIDIFIER, "台", "1899.00", ("除湿机20", "DH-20", "20升除湿机"),
                popularity=1.2),
    DemoProduct("DH50", "商用除湿机 DH50 50升", DEHUMIDIFIER, "台", "4299.00", ("除湿机50", "DH-50", "商用除湿机"),
                popularity=0.4),
    DemoProduct("WP400", "净水器 WP400 RO反渗透", WATER, "台", "2599.00", ("净水器400", "WP-400", "RO净水器"),
                popularity=1.0),
    DemoProduct("WP600", "净水器 WP600 厨下大通量", WATER, "台", "3399.00", ("净水器600", "WP-600"),
                popularity=0.7),
    DemoProduct("WP-MINI", "台式净水器 Mini 免安装", WATER, "台", "1599.00", ("mini净水器", "台式净水器", "WPMINI"),
                popularity=0.8),
    DemoProduct("FL-AP300", "AP300 HEPA 复合滤网（10片/箱）", FILTER, "箱", "1490.00",
                ("300滤网", "AP300滤网", "净化器300滤网"), pack_size=10, moq=2, popularity=1.3),
    DemoProduct("FL-AP500", "AP500 除醛复合滤网（10片/箱）", FILTER, "箱", "1990.00",
                ("500滤网", "AP500滤网", "净化器500滤网"), pack_size=10, moq=2, popularity=0.9),
    DemoProduct("FL-WP400", "WP400 RO膜滤芯（6支/箱）", FILTER, "箱", "1680.00",
                ("400滤芯", "RO滤芯", "WP400滤芯"), pack_size=6, moq=2, popularity=1.0),
)
TIER_DISCOUNT = {"A": Decimal("0.72"), "B": Decimal("0.78"), "C": Decimal("0.85")}

# Month weights (Jan..Dec): dehumidifiers in the rainy season (梅雨季 5-7月), purifiers in winter.
SEASONALITY: dict[str, tuple[float, ...]] = {
    PURIFIER: (1.7, 1.5, 1.1, 0.8, 0.6, 0.5, 0.5, 0.6, 0.8, 1.2, 1.6, 1.9),
    DEHUMIDIFIER: (0.25, 0.3, 0.6, 1.1, 2.0, 2.8, 2.4, 1.2, 0.7, 0.4, 0.25, 0.2),
    WATER: (0.8, 0.7, 0.9, 1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 1.0, 0.9, 0.9),
    FILTER: (1.3, 1.1, 1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.4),
}

# --- geography and dealers -------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    province: str
    city: str
    region: str
    division: str       # administrative division code used in the USCC
    districts: tuple[str, ...]


CITIES: dict[str, City] = {c.city: c for c in (
    City("上海", "上海", "华东", "310115", ("浦东新区", "闵行区", "徐汇区", "普陀区")),
    City("浙江", "杭州", "华东", "330106", ("西湖区", "滨江区", "余杭区", "拱墅区")),
    City("江苏", "南京", "华东", "320102", ("玄武区", "鼓楼区", "江宁区", "建邺区")),
    City("江苏", "苏州", "华东", "320505", ("虎丘区", "吴中区", "工业园区", "姑苏区")),
    City("浙江", "宁波", "华东", "330203", ("海曙区", "鄞州区", "江北区")),
    City("安徽", "合肥", "华东", "340104", ("蜀山区", "包河区", "庐阳区")),
    City("北京", "北京", "华北", "110105", ("朝阳区", "海淀区", "丰台区", "通州区")),
    City("天津", "天津", "华北", "120101", ("和平区", "河西区", "南开区", "滨海新区")),
    City("河北", "石家庄", "华北", "130102", ("长安区", "桥西区", "裕华区")),
    City("山西", "太原", "华北", "140105", ("小店区", "迎泽区", "杏花岭区")),
    City("广东", "广州", "华南", "440106", ("天河区", "越秀区", "海珠区", "番禺区")),
    City("广东", "深圳", "华南", "440305", ("南山区", "福田区", "宝安区", "龙岗区")),
    City("广东", "佛山", "华南", "440604", ("禅城区", "南海区", "顺德区")),
    City("福建", "厦门", "华南", "350203", ("思明区", "湖里区", "集美区")),
    City("广西", "南宁", "华南", "450103", ("青秀区", "兴宁区", "西乡塘区")),
    City("四川", "成都", "西南", "510104", ("锦江区", "武侯区", "高新区", "青羊区")),
    City("重庆", "重庆", "西南", "500103", ("渝中区", "江北区", "渝北区", "南岸区")),
    City("云南", "昆明", "西南", "530102", ("五华区", "盘龙区", "官渡区")),
    City("贵州", "贵阳", "西南", "520102", ("南明区", "云岩区", "观山湖区")),
    City("湖北", "武汉", "华中", "420106", ("武昌区", "江汉区", "洪山区", "汉阳区")),
    City("湖南", "长沙", "华中", "430102", ("芙蓉区", "岳麓区", "雨花区", "开福区")),
    City("河南", "郑州", "华中", "410105", ("金水区", "二七区", "中原区")),
    City("江西", "南昌", "华中", "360102", ("东湖区", "西湖区", "红谷滩区")),
    City("辽宁", "沈阳", "东北", "210102", ("和平区", "沈河区", "皇姑区")),
    City("辽宁", "大连", "东北", "210202", ("中山区", "西岗区", "沙河口区")),
    City("陕西", "西安", "西北", "610113", ("雁塔区", "碑林区", "未央区")),
    City("甘肃", "兰州", "西北", "620102", ("城关区", "七里河区", "安宁区")),
)}


@dataclass(frozen=True)
class DealerTemplate:
    city: str
    tier: str
    parent: int | None = None                 # index of the parent in the block of 30
    status: DealerStatus = DealerStatus.ACTIVE


# One block of 30 dealers; --scale N repeats the block N times (codes and names stay unique).
BLOCK: tuple[DealerTemplate, ...] = (
    DealerTemplate("上海", "A"), DealerTemplate("上海", "B"), DealerTemplate("杭州", "A"),
    DealerTemplate("杭州", "C", parent=2), DealerTemplate("南京", "B"), DealerTemplate("苏州", "C", parent=0),
    DealerTemplate("宁波", "B"), DealerTemplate("合肥", "C"),
    DealerTemplate("北京", "A"), DealerTemplate("北京", "C", parent=8), DealerTemplate("天津", "B"),
    DealerTemplate("石家庄", "C"), DealerTemplate("太原", "C"),
    DealerTemplate("广州", "A"), DealerTemplate("深圳", "B"), DealerTemplate("佛山", "C", parent=13),
    DealerTemplate("厦门", "B"), DealerTemplate("南宁", "C"),
    DealerTemplate("成都", "A"), DealerTemplate("重庆", "B"), DealerTemplate("昆明", "C"),
    DealerTemplate("贵阳", "C", status=DealerStatus.UNDER_REVIEW),
    DealerTemplate("武汉", "B"), DealerTemplate("长沙", "B"), DealerTemplate("郑州", "C"),
    DealerTemplate("南昌", "C", status=DealerStatus.PROSPECT),
    DealerTemplate("沈阳", "B", status=DealerStatus.SUSPENDED), DealerTemplate("大连", "C"),
    DealerTemplate("西安", "B"), DealerTemplate("兰州", "C"),
)
# indexes in the block with special documents: authorization expiring soon (days left) / expired
EXPIRING_SOON = {4: 6, 10: 15, 16: 27}
EXPIRED = {12: -9}
RESTRICTED_SKUS = {27: ("AP300", "DH12", "FL-AP300", "WP-MINI")}   # 大连: may buy only these

BRANDS = ("恒信", "金鼎", "瑞丰", "宏达", "华诚", "佳家", "同创", "安居", "鑫源", "德润", "众联", "和顺",
          "永康", "嘉禾", "新锐", "博远", "万家", "百川", "启明", "优品")
TRADES = ("电器", "家电", "商贸", "环境科技", "净水设备", "暖通工程", "智能家居", "电器销售")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "丹", "鹏", "浩然", "子涵", "雨欣", "俊杰")
STREETS = ("人民路", "解放路", "中山路", "建设路", "长江路", "和平路", "新华路", "文化路", "学府路", "滨江大道")

WAREHOUSES = (
    ("WH-SH", "华东仓", "华东", "上海", "上海"),
    ("WH-TJ", "华北仓", "华北", "天津", "天津"),
    ("WH-GZ", "华南仓", "华南", "广东", "广州"),
)
# the demo transfer (core.services.transfers), shipped and not yet received: reserved at its source until then
TRANSFER_FROM = "WH-SH"
TRANSFER_LINES = {"FL-WP400": 40, "AP800": 10}
REGION_WAREHOUSE = {"华东": "WH-SH", "华中": "WH-SH", "华北": "WH-TJ", "东北": "WH-TJ", "西北": "WH-TJ",
                    "华南": "WH-GZ", "西南": "WH-GZ"}

STAFF: tuple[tuple[str, str, Role], ...] = (
    ("chen.admin", "陈静", Role.ADMIN),
    ("zhang.orderdesk", "张伟", Role.ORDER_DESK),
    ("wang.channel", "王磊", Role.CHANNEL_MANAGER),
    ("liu.channel", "刘洋", Role.CHANNEL_MANAGER),
    ("li.aftersales", "李娜", Role.AFTER_SALES),
    ("zhao.quality", "赵敏", Role.QUALITY),
    ("sun.marketing", "孙悦", Role.MARKETING),
    ("zhou.management", "周强", Role.MANAGEMENT),
    ("wu.finance", "吴芳", Role.FINANCE),
)
ORDER_DESK = "staff:zhang.orderdesk"
FINANCE = "staff:wu.finance"
# dealers (block indexes) that get an owner and a clerk user for the chat
DEALERS_WITH_USERS = (0, 2, 4, 8, 13, 18, 22)

MONTHLY_ORDERS = {"A": 3.2, "B": 2.0, "C": 1.1}
MONTHLY_SELLOUT_LINES = {"A": 42, "B": 26, "C": 15}
ORDER_QTY = {"A": (10, 60), "B": (5, 30), "C": (2, 14)}
YEAR_TARGET = {"A": Decimal("3600000"), "B": Decimal("1500000"), "C": Decimal("500000")}
CREDIT_LIMIT = {"A": Decimal("500000.00"), "B": Decimal("200000.00"), "C": Decimal("50000.00")}
DEPOSIT = {"A": Decimal("50000.00"), "B": Decimal("20000.00"), "C": Decimal("10000.00")}
REBATE_RATE = Decimal("0.015")       # quarterly accrual on the quarter's purchases

CARRIERS = ("顺丰速运", "德邦物流", "京东物流", "安能物流", "中通快运")
REJECT_REASONS = ("型号下错，请重新下单", "超出信用额度且未按期回款", "该型号本月停止供货")
CANCEL_REASONS = ("客户取消，暂不需要", "重复下单", "改为下月统一采购")


@dataclass
class DemoSummary:
    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class DemoDealer:
    """A seeded dealer as the later phases need it (plain values, no ORM state)."""

    index: int                 # position in the whole list (0-based)
    block_index: int           # position in its block of 30
    id: int
    code: str
    name: str
    tier: str
    city: City
    status: DealerStatus
    owner_label: str
    blocked_from: date | None  # no orders from this day (expired authorization, suspension)
    allowed: tuple[str, ...] | None
    credit_limit: Decimal


# --- helpers ---------------------------------------------------------------------------------------


def demo_rng(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(str(p) for p in (seed, *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def demo_person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def demo_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"


def demo_at(clock: Clock, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.tz)


def month_starts(today: date, months: int = 12) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for back in range(months - 1, -1, -1):
        y, m = first.year, first.month - back
        while m <= 0:
            m += 12
            y -= 1
        starts.append(date(y, m, 1))
    return starts


def month_end(start: date) -> date:
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def weighted(rng: random.Random, items: Sequence[W], weights: Sequence[float]) -> W:
    return rng.choices(items, weights=weights, k=1)[0]


def poisson(rng: random.Random, mean: float) -> int:
    # Knuth; means here are small
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
