"""Demo data: a believable home-appliance maker (空气净化器 / 除湿机 / 净水器 / 滤网耗材) and its dealers.

``seed_demo_data(uow_factory, session_factory, clock, scale=1, seed=42)`` fills an EMPTY database
and does nothing (``DemoSummary.skipped``) when there is any dealer or product already.

What it makes, relative to ``clock.today()`` so the data always looks recent:

- 12 products in 4 categories with aliases (AP300 / 净化器300), tier price lists A/B/C, promotions;
- 30 dealers x ``scale`` across 7 regions (华东 华北 华南 西南 华中 东北 西北) with valid USCCs, contacts
  (phones encrypted by storage), addresses, a few sub-dealers, one under review, one prospect, one
  suspended; qualifications (three authorizations expiring within 30 days, one expired);
- staff users for every role (``zhang.orderdesk`` ...), an owner and a clerk for a few dealers;
- contracts with yearly targets and tiered rebates; 3 warehouses with stock and thresholds;
- 12 months of orders (SO-YYYYMMDD-NNNN, mostly closed, recent ones in every state) with ledger
  entries (payments, order charges and refunds, credit repayments, quarterly rebate accruals);
- sell-out with seasonality (dehumidifiers peak in the rainy season 5-7月, purifiers in winter);
- after-sales tickets, quality feedback, a running campaign with participants, marketing materials.

Deterministic for a seed: every dealer draws from its own ``random.Random`` seeded from (seed, code),
so the same seed gives the same rows whatever the chunking. Orders and sell-out go through
``storage.bulk`` (Core executemany), ledger entries through the ORM, 50 dealers per chunk;
``--scale 120`` makes about a million sell-out lines.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.aftersales import Priority, Ticket, TicketComment, TicketStatus
from core.audit import AuditEntry
from core.campaigns import (
    Campaign,
    CampaignParticipation,
    CampaignStatus,
    MarketingMaterial,
    MaterialRequest,
    ParticipationStatus,
    RequestStatus,
)
from core.clock import Clock
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.dealers import Address, Contact, Dealer, DealerStatus, DocumentType, Qualification, ReviewStatus
from core.inventory import (
    DealerStock,
    StockLevel,
    StockThreshold,
    ThresholdScope,
    Transfer,
    TransferLine,
    TransferStatus,
    Warehouse,
)
from core.ledger import Balances, available_funds, plan_payment
from core.orders import Order, OrderEvent, OrderLine, OrderStatus
from core.ports import AbstractUnitOfWork
from core.products import (
    DealerAllowedSku,
    DealerPrice,
    Product,
    Promotion,
    PromotionKind,
    PromotionTier,
    TierPrice,
)
from core.quality import CorrectiveStatus, QualityFeedback
from core.sellout import CustomerType
from core.ticket_flow import sla_due_at
from core.uscc import make_uscc
from core.users import Role, User

UowFactory = Callable[[], AbstractUnitOfWork]
W = TypeVar("W")
CENT = Decimal("0.01")
CHUNK_DEALERS = 50          # dealers per bulk chunk of orders / ledger / sell-out


def _m(value: Decimal | int | str) -> Decimal:
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


def _rng(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(str(p) for p in (seed, *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"


def _at(clock: Clock, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.tz)


def _month_starts(today: date, months: int = 12) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for back in range(months - 1, -1, -1):
        y, m = first.year, first.month - back
        while m <= 0:
            m += 12
            y -= 1
        starts.append(date(y, m, 1))
    return starts


def _month_end(start: date) -> date:
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _weighted(rng: random.Random, items: Sequence[W], weights: Sequence[float]) -> W:
    return rng.choices(items, weights=weights, k=1)[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth; means here are small
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# --- entry point -----------------------------------------------------------------------------------


class FilePut(Protocol):
    async def put(self, data: bytes, name: str = "") -> str: ...


_PHOTO_COLOURS = {"ticket": (176, 196, 222), "campaign": (238, 214, 175), "licence": (205, 230, 205),
                  "permit": (230, 205, 230)}
_photos: dict[str, tuple[str, bytes]] = {}


def demo_photo(kind: str) -> tuple[str, bytes]:
    """(file key, JPEG bytes) of the demo data's stand-in photo of ``kind`` (ticket, campaign, licence, permit):
    a small coloured picture, so that the records' photos open in the back office instead of being dead links."""
    if kind not in _photos:
        import io

        from PIL import Image, ImageDraw

        from bot.files import file_key

        picture = Image.new("RGB", (320, 240), _PHOTO_COLOURS[kind])
        draw = ImageDraw.Draw(picture)
        draw.rectangle((40, 40, 280, 200), outline=(60, 60, 60), width=4)
        draw.text((60, 110), f"DMS demo {kind}", fill=(30, 30, 30))
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=80)
        data = out.getvalue()
        _photos[kind] = (file_key(data, f"{kind}.jpg"), data)
    return _photos[kind]


async def seed_demo_data(uow_factory: UowFactory, session_factory: Any, clock: Clock, *, scale: int = 1,
                         seed: int = 42, progress: Callable[[str], None] | None = None,
                         months: int = 12, files: FilePut | None = None) -> DemoSummary:
    """Fill an empty database with demo data; do nothing when it holds any dealer or product.

    ``months`` of trading history (orders, ledger, sell-out) end this month; forecasting and its
    backtest want more than a year (``bench/reports.py`` seeds 36).
    """
    started = time.perf_counter()
    async with uow_factory() as uow:
        if await uow.dealers.count() or await uow.products.count():
            return DemoSummary(skipped=True)
    seeder = _Seeder(uow_factory, session_factory, clock, max(1, scale), seed, progress or (lambda _: None))
    seeder.months = max(1, months)
    await seeder.run()
    if files is not None:       # the photos the records name (``demo_photo``), stored once each
        for kind in _PHOTO_COLOURS:
            await files.put(demo_photo(kind)[1], f"{kind}.jpg")
    return DemoSummary(counts=seeder.counts, seconds=time.perf_counter() - started)


class _Seeder:
    def __init__(self, uow_factory: UowFactory, session_factory: Any, clock: Clock, scale: int, seed: int,
                 progress: Callable[[str], None]) -> None:
        self.uow_factory = uow_factory
        self.session_factory = session_factory
        self.clock = clock
        self.scale = scale
        self.seed = seed
        self.progress = progress
        self.today = clock.today()
        self.now = clock.now()
        self.counts: dict[str, int] = {}
        self.months = 12                                    # of trading history
        self.products = {p.sku: p for p in CATALOGUE}
        self.dealers: list[DemoDealer] = []
        self.warehouse_ids: dict[str, int] = {}
        self.reserved: dict[tuple[str, str], int] = {}       # (warehouse code, sku) -> reserved units
        self.order_numbers: dict[date, int] = {}            # SO numbers used per day
        self.needs_approval: set[datetime] = set()          # showcase order placed beyond the dealer's funds
        self.recent_orders: list[tuple[str, int, str]] = []  # (number, dealer id, sku) for tickets

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    async def run(self) -> None:
        await self.reference_data()
        self.progress(f"dealers: {len(self.dealers)}")
        await self.trading_history()
        await self.operations()
        await self.knowledge_base()

    async def knowledge_base(self) -> None:
        """The FAQ knowledge base (nlu/data/faq_demo.md): payment, invoices, delivery, warranty, returns ..."""
        from nlu.kb_import import seed_demo_knowledge_base

        summary = await seed_demo_knowledge_base(self.uow_factory(), self.clock)
        self.count("faq_entries", len(summary.created))

    # --- phase 1: reference data in one unit of work ---------------------------------------------

    async def reference_data(self) -> None:
        rng = _rng(self.seed, "reference")
        async with self.uow_factory() as uow:
            await self._catalogue(uow)
            await self._warehouses(uow, rng)
            await self._staff(uow)
            await self._dealers(uow)
            await self._dealer_users(uow)
            await self._documents_and_contracts(uow)
            await self._special_terms(uow)
            await self._campaigns(uow, rng)
            uow_audit = AuditEntry(actor="system", action="demo.seed", entity="database", entity_id="demo",
                                   at=self.now, after={"scale": self.scale, "seed": self.seed})
            await uow.audit.add(uow_audit)
            await uow.commit()

    async def _catalogue(self, uow: AbstractUnitOfWork) -> None:
        for p in CATALOGUE:
            await uow.products.add(Product(sku=p.sku, name=p.name, category=p.category, unit=p.unit,
                                           list_price=_m(p.list_price), aliases=list(p.aliases),
                                           pack_size=p.pack_size, moq=p.moq))
            for tier, share in TIER_DISCOUNT.items():
                await uow.tier_prices.add(TierPrice(tier=tier, sku=p.sku, price=_m(Decimal(p.list_price) * share)))
        self.count("products", len(CATALOGUE))
        self.count("tier_prices", len(CATALOGUE) * len(TIER_DISCOUNT))
        season_start = self.today - timedelta(days=15)
        if 3 <= self.today.month <= 8:
            seasonal = Promotion(code="P-DH-RAIN", name="梅雨季除湿机特惠 95 折", kind=PromotionKind.PERCENT_OFF,
                                 starts_on=season_start, ends_on=self.today + timedelta(days=45),
                                 skus=["DH12", "DH20", "DH50"], percent=Decimal("5"), budget=Decimal("80000.00"),
                                 spent=Decimal("12650.00"))
        else:
            seasonal = Promotion(code="P-AP-WINTER", name="冬季净化器换新 95 折", kind=PromotionKind.PERCENT_OFF,
                                 starts_on=season_start, ends_on=self.today + timedelta(days=45),
                                 skus=["AP300", "AP500", "AP800"], percent=Decimal("5"),
                                 budget=Decimal("80000.00"), spent=Decimal("15820.00"))
        year_start, year_end = date(self.today.year, 1, 1), date(self.today.year, 12, 31)
        promotions = [
            seasonal,
            Promotion(code="P-FL-10+1", name="滤网耗材 买十送一", kind=PromotionKind.BUY_X_GET_Y,
                      starts_on=year_start, ends_on=year_end, skus=["FL-AP300", "FL-AP500", "FL-WP400"],
                      buy_qty=10, free_qty=1),
            Promotion(code="P-BIG-ORDER", name="大单满额折扣（A/B 级）", kind=PromotionKind.TIERED,
                      starts_on=year_start, ends_on=year_end, dealer_tiers=["A", "B"],
                      tiers=[PromotionTier(Decimal("50000"), Decimal("2")),
                             PromotionTier(Decimal("100000"), Decimal("3"))],
                      budget=Decimal("200000.00"), spent=Decimal("41200.00")),
        ]
        for promo in promotions:
            await uow.promotions.add(promo)
        self.count("promotions", len(promotions))

    async def _warehouses(self, uow: AbstractUnitOfWork, rng: random.Random) -> None:
        for code, name, region, province, city in WAREHOUSES:
            wh = await uow.warehouses.add(Warehouse(code=code, name=name, region=region, province=province,
                                                    city=city))
            assert wh.id is not None
            self.warehouse_ids[code] = wh.id
        self.count("warehouses", len(WAREHOUSES))

    async def _staff(self, uow: AbstractUnitOfWork) -> None:
        rng = _rng(self.seed, "staff")
        for username, display, role in STAFF:
            await uow.users.add(User(username=username, display_name=display, role=role, phone=_mobile(rng),
                                     created_at=self.now - timedelta(days=400)))
        self.count("users", len(STAFF))

    def _dealer_name(self, rng: random.Random, city: City, used: set[str]) -> str:
        for attempt in range(50):
            district = rng.choice(city.districts) if attempt >= 10 else ""
            name = f"{city.city}{district}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司"
            if name not in used:
                used.add(name)
                return name
        name = f"{city.city}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司{len(used)}"
        used.add(name)
        return name

    async def _dealers(self, uow: AbstractUnitOfWork) -> None:
        used_names: set[str] = set()
        total = len(BLOCK) * self.scale
        created_days = {i: 330 + (i * 7) % 400 for i in range(total)}
        for block in range(self.scale):
            ids_in_block: dict[int, int] = {}
            # parents first: a sub-dealer needs its parent's id
            order = sorted(range(len(BLOCK)), key=lambda i: BLOCK[i].parent is not None)
            for bi in order:
                tpl = BLOCK[bi]
                index = block * len(BLOCK) + bi
                code = f"D{index + 1:04d}"
                rng = _rng(self.seed, "dealer", code)
                city = CITIES[tpl.city]
                owner, buyer = _person(rng), _person(rng)
                contacts = [Contact(name=owner, phone=_mobile(rng), role="老板"),
                            Contact(name=buyer, phone=_mobile(rng), role=rng.choice(("采购", "采购经理", "店长")))]
                if tpl.tier == "A":
                    contacts.append(Contact(name=_person(rng), phone=_mobile(rng), role="财务"))
                district = rng.choice(city.districts)
                addresses = [
                    Address(kind="office", province=city.province, city=city.city, district=district,
                            detail=f"{rng.choice(STREETS)}{rng.randint(1, 899)}号"),
                    Address(kind="warehouse", province=city.province, city=city.city,
                            district=rng.choice(city.districts),
                            detail=f"{rng.choice(STREETS)}{rng.randint(1, 899)}号{rng.randint(1, 12)}号库"),
                ]
                created = self.now - timedelta(days=created_days[index])
                if tpl.status in (DealerStatus.UNDER_REVIEW, DealerStatus.PROSPECT):
                    created = self.now - timedelta(days=5 + bi % 7)
                credit = CREDIT_LIMIT[tpl.tier] if tpl.status != DealerStatus.PROSPECT else Decimal("0.00")
                dealer = Dealer(
                    code=code, name=self._dealer_name(rng, city, used_names),
                    uscc=make_uscc(f"{self.seed % 100:02d}{index + 1:06d}", city.division),
                    province=city.province, city=city.city, region=city.region, tier=tpl.tier,
                    business_scope="家用电器、环境电器、净水设备的销售、安装及售后服务",
                    parent_id=ids_in_block.get(tpl.parent) if tpl.parent is not None else None,
                    status=tpl.status, credit_limit=credit, contacts=contacts, addresses=addresses,
                    created_at=created,
                )
                if tpl.status == DealerStatus.SUSPENDED:
                    dealer.status_reason = "回款逾期超过 60 天，暂停发货"
                    dealer.status_changed_at = self.now - timedelta(days=40)
                await uow.dealers.add(dealer)
                assert dealer.id is not None
                ids_in_block[bi] = dealer.id
                blocked = None
                if tpl.status == DealerStatus.SUSPENDED:
                    blocked = self.today - timedelta(days=40)
                elif bi in EXPIRED:
                    blocked = self.today + timedelta(days=EXPIRED[bi])
                elif tpl.status != DealerStatus.ACTIVE:
                    blocked = self.today - timedelta(days=3650)
                self.dealers.append(DemoDealer(
                    index=index, block_index=bi, id=dealer.id, code=code, name=dealer.name, tier=tpl.tier,
                    city=city, status=tpl.status, owner_label=f"dealer:{dealer.id}:{code.lower()}.owner",
                    blocked_from=blocked, allowed=RESTRICTED_SKUS.get(bi), credit_limit=credit))
        self.dealers.sort(key=lambda d: d.index)
        self.count("dealers", len(self.dealers))
        self.count("contacts", sum(3 if BLOCK[d.block_index].tier == "A" else 2 for d in self.dealers))

    async def _dealer_users(self, uow: AbstractUnitOfWork) -> None:
        n = 0
        for d in self.dealers:
            if d.block_index not in DEALERS_WITH_USERS or d.index >= len(BLOCK) * min(self.scale, 3):
                continue
            dealer = await uow.dealers.get(d.id)
            assert dealer is not None
            owner, buyer = dealer.contacts[0], dealer.contacts[1]
            await uow.users.add(User(username=f"{d.code.lower()}.owner", display_name=owner.name,
                                     role=Role.DEALER_OWNER, dealer_id=d.id, phone=owner.phone,
                                     created_at=dealer.created_at))
            await uow.users.add(User(username=f"{d.code.lower()}.clerk", display_name=buyer.name,
                                     role=Role.DEALER_CLERK, dealer_id=d.id, phone=buyer.phone,
                                     created_at=dealer.created_at))
            n += 2
        self.count("users", n)

    async def _documents_and_contracts(self, uow: AbstractUnitOfWork) -> None:
        year = self.today.year
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        docs = contracts = 0
        for d in self.dealers:
            if d.status == DealerStatus.PROSPECT:
                continue
            rng = _rng(self.seed, "docs", d.code)
            pending = d.status == DealerStatus.UNDER_REVIEW
            review = ReviewStatus.PENDING if pending else ReviewStatus.APPROVED
            reviewed_by = None if pending else "staff:wang.channel"
            licence_issued = self.today - timedelta(days=rng.randint(800, 4000))
            created = self.now - timedelta(days=3 if pending else 300)
            await uow.qualifications.add(Qualification(
                dealer_id=d.id, doc_type=DocumentType.BUSINESS_LICENSE, number=make_uscc(
                    f"{self.seed % 100:02d}{d.index + 1:06d}", d.city.division),
                issued_on=licence_issued, expires_on=None, file_ref=demo_photo("licence")[0],
                status=review, reviewed_by=reviewed_by, reviewed_at=None if pending else created + timedelta(days=1),
                created_at=created))
            if d.block_index in EXPIRING_SOON:
                expires = self.today + timedelta(days=EXPIRING_SOON[d.block_index])
            elif d.block_index in EXPIRED:
                expires = self.today + timedelta(days=EXPIRED[d.block_index])
            else:
                expires = self.today + timedelta(days=rng.randint(60, 330))
            await uow.qualifications.add(Qualification(
                dealer_id=d.id, doc_type=DocumentType.AUTHORIZATION, number=f"SQ-{year}-{d.code}",
                issued_on=expires - timedelta(days=365), expires_on=expires,
                file_ref=f"demo/{d.code}/authorization.pdf", status=review, reviewed_by=reviewed_by,
                reviewed_at=None if pending else created + timedelta(days=1), created_at=created))
            docs += 2
            if d.tier != "C" and not pending:
                await uow.qualifications.add(Qualification(
                    dealer_id=d.id, doc_type=DocumentType.OPERATING_PERMIT, number=f"JY{rng.randint(10**9, 10**10)}",
                    issued_on=licence_issued + timedelta(days=30),
                    expires_on=licence_issued + timedelta(days=30 + 365 * 5),
                    file_ref=demo_photo("permit")[0], status=ReviewStatus.APPROVED,
                    reviewed_by="staff:wang.channel", reviewed_at=created + timedelta(days=1), created_at=created))
                docs += 1
            contracts += await self._contract(uow, d, year_start, year_end)
        self.count("qualifications", docs)
        self.count("contracts", contracts)

    async def _contract(self, uow: AbstractUnitOfWork, d: DemoDealer, start: date, end: date) -> int:
        target = YEAR_TARGET[d.tier]
        category_target = {"A": 1200, "B": 500, "C": 160}[d.tier]
        status = ContractStatus.ACTIVE if d.status in (DealerStatus.ACTIVE, DealerStatus.SUSPENDED) \
            else ContractStatus.SENT
        rebates = [RebateTier(Decimal("0.8"), Decimal("0.01")), RebateTier(Decimal("1.0"), Decimal("0.02")),
                   RebateTier(Decimal("1.2"), Decimal("0.03"))]
        duties = ["门店陈列不少于 2 台样机", "每季度参加 1 次品牌推广活动", "每月 5 日前上报上月动销与库存"]
        text = (f"经销协议 {start.year}\n甲方：本公司\n乙方：{d.name}（{d.code}）\n期限：{start} 至 {end}\n"
                f"年度目标：¥{target:,.2f}；除湿机 {category_target} 台\n"
                "返利：完成 80% 返 1%，100% 返 2%，120% 返 3%\n" + "\n".join(duties))
        signed = status == ContractStatus.ACTIVE
        signed_at = _at(self.clock, start + timedelta(days=6), 10) if signed else None
        await uow.contracts.add(Contract(
            number=f"HT-{start.year}-{d.index + 1:04d}", dealer_id=d.id, starts_on=start, ends_on=end,
            targets=[SalesTarget(str(start.year), TargetMetric.AMOUNT, target),
                     SalesTarget(str(start.year), TargetMetric.QUANTITY, Decimal(category_target), DEHUMIDIFIER)],
            rebate_tiers=rebates, marketing_duties=duties, status=status,
            signed_text=text if signed else None,
            signed_sha256=hashlib.sha256(text.encode()).hexdigest() if signed else None,
            signed_at=min(signed_at, self.now) if signed_at else None,
            signed_by=d.owner_label if signed else None,
            created_at=_at(self.clock, start, 9) - timedelta(days=20)))
        return 1

    async def _special_terms(self, uow: AbstractUnitOfWork) -> None:
        n_prices = n_allowed = 0
        for d in self.dealers:
            if d.tier == "A" and d.status == DealerStatus.ACTIVE:
                await uow.dealer_prices.add(DealerPrice(dealer_id=d.id, sku="AP800",
                                                        price=_m(Decimal("4599.00") * Decimal("0.68"))))
                n_prices += 1
            for sku in d.allowed or ():
                await uow.allowed_skus.add(DealerAllowedSku(dealer_id=d.id, sku=sku))
                n_allowed += 1
        self.count("dealer_prices", n_prices)
        self.count("allowed_skus", n_allowed)

    async def _campaigns(self, uow: AbstractUnitOfWork, rng: random.Random) -> None:
        year = self.today.year
        rainy = 3 <= self.today.month <= 8
        running = Campaign(
            code=f"CP-{year}-{'DH' if rainy else 'AP'}",
            name=f"{year} 梅雨季除湿机推广" if rainy else f"{year} 冬季净化器换新季",
            starts_on=self.today - timedelta(days=20), ends_on=self.today + timedelta(days=40),
            description="门店堆头陈列 + 社区地推，活动期间每售出一台登记一次动销" if rainy
            else "以旧换新：旧净化器抵 200 元，商场中岛陈列 + 社群团购",
            support="每店补贴易拉宝 2 个、样机 2 台；按活动期间动销额返 3%",
            budget=Decimal("200000.00"), spent=Decimal("36800.00"),
            target_regions=["华东", "华中", "华南"] if rainy else ["华北", "东北", "西北", "华东"],
            target_tiers=["A", "B"], skus=["DH12", "DH20", "DH50"] if rainy else ["AP300", "AP500", "AP800"],
            status=CampaignStatus.LAUNCHED, created_at=self.now - timedelta(days=30))
        finished = Campaign(
            code=f"CP-{year - 1}-WP", name=f"{year - 1} 净水器健康饮水月",
            starts_on=self.today - timedelta(days=200), ends_on=self.today - timedelta(days=170),
            description="社区义检水质 + 安装满减", support="水质检测笔 50 支/店，安装费补贴 100 元/台",
            budget=Decimal("120000.00"), spent=Decimal("98600.00"), target_tiers=["A", "B", "C"],
            skus=["WP400", "WP600", "WP-MINI"], status=CampaignStatus.FINISHED,
            created_at=self.now - timedelta(days=220))
        planned = Campaign(
            code=f"CP-{year}-FL", name="滤网耗材会员复购季", starts_on=self.today + timedelta(days=30),
            ends_on=self.today + timedelta(days=75), description="老客户滤网到期提醒 + 复购券",
            support="复购券 50 元/张，由厂家承担", budget=Decimal("60000.00"),
            skus=["FL-AP300", "FL-AP500", "FL-WP400"], status=CampaignStatus.PLANNED,
            created_at=self.now - timedelta(days=2))
        for campaign in (running, finished, planned):
            await uow.campaigns.add(campaign)
        self.count("campaigns", 3)

        eligible = [d for d in self.dealers if d.status == DealerStatus.ACTIVE and d.tier in running.target_tiers
                    and d.city.region in running.target_regions][:12]
        statuses = [ParticipationStatus.APPROVED, ParticipationStatus.APPROVED, ParticipationStatus.REPORTED,
                    ParticipationStatus.REPORTED, ParticipationStatus.REPORTED]
        n = 0
        for i, d in enumerate(eligible[:8]):
            status = statuses[i] if i < len(statuses) else ParticipationStatus.JOINED
            reported = status != ParticipationStatus.JOINED
            assert running.id is not None
            await uow.participations.add(CampaignParticipation(
                campaign_id=running.id, dealer_id=d.id, status=status,
                report_text=f"{d.city.city}门店完成堆头陈列，周末地推两场，登记意向客户 {12 + i * 3} 位" if reported else "",
                report_photos=[demo_photo("campaign")[0]] if reported else [],
                new_customers=12 + i * 3 if reported else 0,
                review_note="陈列到位，照片清晰" if status == ParticipationStatus.APPROVED else "",
                reviewed_by="staff:sun.marketing" if status == ParticipationStatus.APPROVED else None,
                reviewed_at=self.now - timedelta(days=2) if status == ParticipationStatus.APPROVED else None,
                joined_at=self.now - timedelta(days=18 - i), reported_at=self.now - timedelta(days=4) if reported
                else None))
            n += 1
        for d in [x for x in self.dealers if x.status == DealerStatus.ACTIVE][:4]:
            assert finished.id is not None
            await uow.participations.add(CampaignParticipation(
                campaign_id=finished.id, dealer_id=d.id, status=ParticipationStatus.APPROVED,
                report_text="完成社区义检 3 场", new_customers=20, review_note="达标",
                reviewed_by="staff:sun.marketing", reviewed_at=self.now - timedelta(days=165),
                joined_at=self.now - timedelta(days=198), reported_at=self.now - timedelta(days=168)))
            n += 1
        self.count("participations", n)

        materials = [
            MarketingMaterial(code="MM-POSTER", name="品牌海报（套）", stock=500),
            MarketingMaterial(code="MM-STAND", name="易拉宝展架", stock=120),
            MarketingMaterial(code="MM-FLYER", name="宣传单页（100张/包）", stock=1000),
            MarketingMaterial(code="MM-DEMO-AP300", name="AP300 样机", stock=30, min_tier="B"),
            MarketingMaterial(code="MM-LIGHTBOX", name="门头灯箱", stock=10, min_tier="A"),
        ]
        for material in materials:
            await uow.materials.add(material)
        self.count("materials", len(materials))
        active = [d for d in self.dealers if d.status == DealerStatus.ACTIVE]
        requests = [
            (0, 1, 4, "门店新开，需要展架", RequestStatus.PENDING),
            (1, 0, 2, "换季更换海报", RequestStatus.PENDING),
            (2, 3, 1, "商场中岛需要样机", RequestStatus.PENDING),
            (3, 2, 5, "社区地推", RequestStatus.PENDING),
            (4, 1, 2, "活动陈列", RequestStatus.APPROVED),
            (5, 0, 3, "新店开业", RequestStatus.APPROVED),
            (6, 4, 1, "门头翻新", RequestStatus.REJECTED),
        ]
        for dealer_i, material_i, qty, reason, req_status in requests:
            if dealer_i >= len(active):
                continue
            material = materials[material_i]
            assert material.id is not None
            decided = req_status != RequestStatus.PENDING
            await uow.material_requests.add(MaterialRequest(
                dealer_id=active[dealer_i].id, material_id=material.id, qty=qty, reason=reason, status=req_status,
                reject_reason="灯箱仅限 A 级经销商" if req_status == RequestStatus.REJECTED else None,
                requested_by=active[dealer_i].owner_label,
                decided_by="staff:sun.marketing" if decided else None,
                decided_at=self.now - timedelta(days=1) if decided else None,
                created_at=self.now - timedelta(days=3 + dealer_i)))
        self.count("material_requests", len(requests))

    # --- phase 2: orders, ledger, sell-out in bulk -----------------------------------------------

    async def trading_history(self) -> None:
        months = _month_starts(self.today, self.months)
        plans = self._plan_orders(months)
        sink = _BulkSink(self.session_factory)
        for start in range(0, len(self.dealers), CHUNK_DEALERS):
            chunk = self.dealers[start:start + CHUNK_DEALERS]
            orders: list[Order] = []
            ledger: list[LedgerEntry] = []
            sellout: list[dict[str, Any]] = []
            for d in chunk:
                dealer_orders = self._orders_for(d, plans[d.index])
                ledger.extend(self._ledger_for(d, dealer_orders, months))
                orders.extend(dealer_orders)
                sellout.extend(self._sellout_for(d, months))
            await sink.orders(orders)
            await sink.ledger(ledger)
            await sink.sellout(sellout)
            self.count("orders", len(orders))
            self.count("order_lines", sum(len(o.lines) for o in orders))
            self.count("ledger_entries", len(ledger))
            self.count("sellout", len(sellout))
            self.progress(f"orders {self.counts['orders']}, sell-out {self.counts['sellout']}")
        await sink.sequences({f"SO-{day:%Y%m%d}": n for day, n in self.order_numbers.items()})

    def _showcase_plan(self) -> dict[int, list[tuple[int, int, OrderStatus]]]:
        """Recent orders in every state (age in days, status), spread over dealers that may order."""
        wanted = [
            (0, OrderStatus.SUBMITTED), (0, OrderStatus.SUBMITTED), (1, OrderStatus.APPROVED),
            (1, OrderStatus.ALLOCATED), (2, OrderStatus.IN_PRODUCTION), (2, OrderStatus.SHIPPED),
            (3, OrderStatus.RECEIVED), (4, OrderStatus.REJECTED), (5, OrderStatus.CANCELLED),
            (6, OrderStatus.SUBMITTED), (7, OrderStatus.ALLOCATED), (8, OrderStatus.SHIPPED),
        ]
        ordering = [d for d in self.dealers if d.blocked_from is None and d.tier != "C"][:9]
        plan: dict[int, list[tuple[int, int, OrderStatus]]] = {}
        for i, (age, status) in enumerate(wanted):
            if ordering:
                plan.setdefault(ordering[i % len(ordering)].index, []).append((i, age, status))
        return plan

    def _next_number(self, day: date) -> str:
        n = self.order_numbers.get(day, 0) + 1
        self.order_numbers[day] = n
        return f"SO-{day:%Y%m%d}-{n:04d}"

    def _skus_for(self, d: DemoDealer) -> list[DemoProduct]:
        return [p for p in CATALOGUE if d.allowed is None or p.sku in d.allowed]

    def _order_plan(self, d: DemoDealer, months: list[date], showcase: list[tuple[int, int, OrderStatus]]
                    ) -> list[tuple[datetime, OrderStatus | None]]:
        """When this dealer ordered (and, for the showcase orders, in which state the order is now)."""
        if d.status in (DealerStatus.PROSPECT, DealerStatus.UNDER_REVIEW):
            return []
        rng = _rng(self.seed, "order-plan", d.code)
        planned: list[tuple[datetime, OrderStatus | None]] = []
        for start in months:
            end = min(_month_end(start), self.today)
            season = sum(SEASONALITY[c][start.month - 1] for c in SEASONALITY) / len(SEASONALITY)
            for _ in range(_poisson(rng, MONTHLY_ORDERS[d.tier] * season)):
                day = start + timedelta(days=rng.randint(0, (end - start).days))
                if d.blocked_from is not None and day >= d.blocked_from:
                    continue
                planned.append((_at(self.clock, day, rng.randint(8, 19), rng.randint(0, 59)), None))
        for i, age, status in showcase:
            if age == 0:   # earlier today, whatever the time of day the seeding runs
                at = (self.now - timedelta(minutes=15 + 11 * i)).replace(second=0, microsecond=0)
            else:
                at = _at(self.clock, self.today - timedelta(days=age), 9 + (age + i) % 8, (10 + 7 * i) % 60)
            planned.append((at, status))
            if i == 0:
                self.needs_approval.add(at)
        return sorted(((at, st) for at, st in planned if at <= self.now), key=lambda x: x[0])

    def _plan_orders(self, months: list[date]) -> dict[int, list[tuple[datetime, OrderStatus | None, str]]]:
        """Every dealer's order plan, numbered SO-YYYYMMDD-NNNN in time order across all dealers."""
        showcase = self._showcase_plan()
        plans = {d.index: self._order_plan(d, months, showcase.get(d.index, [])) for d in self.dealers}
        stamps = sorted((at, index, k) for index, plan in plans.items() for k, (at, _) in enumerate(plan))
        numbers: dict[tuple[int, int], str] = {}
        for at, index, k in stamps:
            numbers[(index, k)] = self._next_number(at.astimezone(self.clock.tz).date())
        return {index: [(at, st, numbers[(index, k)]) for k, (at, st) in enumerate(plan)]
                for index, plan in plans.items()}

    def _orders_for(self, d: DemoDealer, plan: list[tuple[datetime, OrderStatus | None, str]]) -> list[Order]:
        rng = _rng(self.seed, "orders", d.code)
        return [self._order(d, rng, at, status, number) for at, status, number in plan]

    def _status_for_age(self, rng: random.Random, age: int) -> OrderStatus:
        S = OrderStatus
        if age > 20:
            return _weighted(rng, [S.CLOSED, S.CANCELLED, S.REJECTED], [92, 4, 4])
        if age > 7:
            return _weighted(rng, [S.CLOSED, S.RECEIVED, S.SHIPPED], [55, 30, 15])
        if age > 2:
            return _weighted(rng, [S.SHIPPED, S.ALLOCATED, S.IN_PRODUCTION, S.RECEIVED], [40, 25, 10, 25])
        return _weighted(rng, [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.CANCELLED, S.REJECTED], [45, 30, 15, 5, 5])

    def _order(self, d: DemoDealer, rng: random.Random, at: datetime, status: OrderStatus | None,
               number: str) -> Order:
        day = at.date()
        age = (self.today - day).days
        status = status or self._status_for_age(rng, age)
        products = self._skus_for(d)
        weights = [p.popularity * SEASONALITY[p.category][day.month - 1] for p in products]
        lines: list[OrderLine] = []
        for _ in range(min(len(products), _weighted(rng, [1, 2, 3, 4], [30, 35, 25, 10]))):
            p = _weighted(rng, products, weights)
            if any(line.sku == p.sku for line in lines):
                continue
            low, high = ORDER_QTY[d.tier]
            qty = rng.randint(low, high) if p.unit == "台" else max(p.moq, rng.randint(low // 3 + 1, high // 3 + 2))
            price = _m(Decimal(p.list_price) * TIER_DISCOUNT[d.tier])
            free = qty // 10 if p.category == FILTER and qty >= 10 else 0
            lines.append(OrderLine(sku=p.sku, name=p.name, qty=qty, unit_price=price, free_qty=free,
                                   promotion_code="P-FL-10+1" if free else None))
        total = _m(sum((line.amount for line in lines), Decimal("0")))
        on_behalf = rng.random() < 0.12
        placed_by = ORDER_DESK if on_behalf else d.owner_label
        order = Order(number=number, dealer_id=d.id, lines=lines, status=status, total=total,
                      requested_delivery=day + timedelta(days=rng.randint(3, 10)),
                      warehouse_id=self.warehouse_ids[REGION_WAREHOUSE[d.city.region]],
                      placed_by=placed_by, on_behalf=on_behalf, created_at=at)
        order.events = self._timeline(order, rng, at)
        order.updated_at = order.events[-1].at
        order.version = len(order.events)
        if status in (OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED):
            order.carrier = rng.choice(CARRIERS)
            order.tracking_no = f"{rng.choice(('SF', 'DB', 'JD', 'AN', 'ZT'))}{rng.randint(10**11, 10**12 - 1)}"
        if status == OrderStatus.REJECTED:
            order.reject_reason = rng.choice(REJECT_REASONS)
        if status == OrderStatus.ALLOCATED:
            wh = REGION_WAREHOUSE[d.city.region]
            for line in lines:
                key = (wh, line.sku)
                self.reserved[key] = self.reserved.get(key, 0) + line.qty + line.free_qty
        if status == OrderStatus.IN_PRODUCTION:
            order.warehouse_id = None
        if age <= 14 and lines:
            self.recent_orders.append((order.number, d.id, lines[0].sku))
        return order

    def _timeline(self, order: Order, rng: random.Random, at: datetime) -> list[OrderEvent]:
        S = OrderStatus
        paths = {
            S.SUBMITTED: [S.SUBMITTED],
            S.APPROVED: [S.SUBMITTED, S.APPROVED],
            S.REJECTED: [S.SUBMITTED, S.REJECTED],
            S.ALLOCATED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED],
            S.IN_PRODUCTION: [S.SUBMITTED, S.APPROVED, S.IN_PRODUCTION],
            S.SHIPPED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.SHIPPED],
            S.RECEIVED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.SHIPPED, S.RECEIVED],
            S.CLOSED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.SHIPPED, S.RECEIVED, S.CLOSED],
            S.CANCELLED: [S.SUBMITTED, S.APPROVED, S.CANCELLED] if rng.random() < 0.5 else [S.SUBMITTED, S.CANCELLED],
        }
        gaps = {S.APPROVED: (1, 6), S.REJECTED: (1, 8), S.ALLOCATED: (4, 30), S.IN_PRODUCTION: (4, 30),
                S.SHIPPED: (12, 48), S.RECEIVED: (30, 96), S.CLOSED: (24, 120), S.CANCELLED: (1, 20)}
        notes = {S.SUBMITTED: "代客下单" if order.on_behalf else "", S.ALLOCATED: "仓库配货",
                 S.IN_PRODUCTION: "库存不足，转生产 / short in stock", S.SHIPPED: "已出库",
                 S.RECEIVED: "经销商确认收货", S.CLOSED: "", S.APPROVED: "", S.REJECTED: "",
                 S.CANCELLED: rng.choice(CANCEL_REASONS)}
        events: list[OrderEvent] = []
        when = at
        for status in paths[order.status]:
            if status != S.SUBMITTED:
                low, high = gaps[status]
                when = when + timedelta(hours=rng.randint(low, high))
            # the demo clock never runs ahead of now: squeeze late steps into the time left
            when = min(when, self.now - timedelta(minutes=5 * (len(paths[order.status]) - len(events))))
            when = max(when, at)
            actor = order.placed_by if status in (S.SUBMITTED, S.RECEIVED) else ORDER_DESK
            if status == S.CANCELLED and rng.random() < 0.5:
                actor = order.placed_by
            note = notes[status] if status != S.REJECTED else (order.reject_reason or "")
            events.append(OrderEvent(status=status, actor=actor, at=when, note=note))
        return events

    def _ledger_for(self, d: DemoDealer, orders: list[Order], months: list[date]) -> list[LedgerEntry]:
        """Payments ahead of each month, a charge per order (plan_payment: rebate, prepayment, credit),
        refunds for rejected/cancelled orders, credit repayments, quarterly rebate accruals."""
        if d.status in (DealerStatus.PROSPECT, DealerStatus.UNDER_REVIEW):
            return []
        rng = _rng(self.seed, "ledger", d.code)
        entries: list[LedgerEntry] = []
        sums = {kind: Decimal("0.00") for kind in AccountKind}

        def post(account: AccountKind, amount: Decimal, kind: EntryKind, at: datetime, ref: str = "",
                 note: str = "", by: str = FINANCE) -> None:
            amount = _m(amount)
            if amount == 0:
                return
            sums[account] += amount
            entries.append(LedgerEntry(dealer_id=d.id, account=account, amount=amount, kind=kind, ref=ref,
                                       note=note, created_by=by, created_at=at))

        first = _at(self.clock, months[0], 9) - timedelta(days=3)
        post(AccountKind.DEPOSIT, DEPOSIT[d.tier], EntryKind.PAYMENT, first, note="年度保证金")
        by_month: dict[date, list[Order]] = {}
        for o in orders:
            assert o.created_at is not None
            by_month.setdefault(o.created_at.date().replace(day=1), []).append(o)
        quarter_purchases = Decimal("0.00")
        for start in months:
            month_orders = by_month.get(start, [])
            expected = sum((o.total for o in month_orders), Decimal("0.00"))
            pay_at = _at(self.clock, start, 10) + timedelta(hours=rng.randint(0, 30))
            if pay_at <= self.now and (expected > 0 or start.month % 3 == 1):
                payment = _m((expected * Decimal(str(rng.uniform(0.85, 1.1))) / 1000).to_integral_value() * 1000)
                if sums[AccountKind.CREDIT] < 0 and payment > 0:
                    repay = min(-sums[AccountKind.CREDIT], payment)
                    post(AccountKind.CREDIT, repay, EntryKind.CREDIT_REPAYMENT, pay_at, note="信用额度还款")
                    payment -= repay
                post(AccountKind.PREPAYMENT, payment, EntryKind.PAYMENT, pay_at,
                     ref=f"BANK-{start:%Y%m}-{d.code}", note="银行转账")
            for o in month_orders:
                assert o.created_at is not None
                balances = Balances(prepayment=sums[AccountKind.PREPAYMENT], deposit=sums[AccountKind.DEPOSIT],
                                    rebate=sums[AccountKind.REBATE], credit=sums[AccountKind.CREDIT])
                if o.created_at in self.needs_approval and o.status == OrderStatus.SUBMITTED:
                    self._beyond_funds(o, available_funds(o.total, balances, d.credit_limit))
                plan = plan_payment(o.total, balances, d.credit_limit)
                if not plan.covered and o.status != OrderStatus.SUBMITTED:
                    # the dealer topped up before the order went through
                    top_up = _m((plan.shortfall / 10000).to_integral_value(rounding=ROUND_CEILING) * 10000)
                    post(AccountKind.PREPAYMENT, top_up, EntryKind.PAYMENT, o.created_at - timedelta(hours=2),
                         ref=f"BANK-{o.number}", note="补款")
                    balances = Balances(prepayment=sums[AccountKind.PREPAYMENT], deposit=sums[AccountKind.DEPOSIT],
                                        rebate=sums[AccountKind.REBATE], credit=sums[AccountKind.CREDIT])
                    plan = plan_payment(o.total, balances, d.credit_limit)
                if not plan.covered:
                    o.approval_reasons = ["credit_shortfall"]
                o.paid_from_rebate, o.paid_from_prepayment = plan.from_rebate, plan.from_prepayment
                o.paid_from_credit = plan.from_credit
                for account, part in ((AccountKind.REBATE, plan.from_rebate),
                                      (AccountKind.PREPAYMENT, plan.from_prepayment),
                                      (AccountKind.CREDIT, plan.from_credit)):
                    post(account, -part, EntryKind.ORDER_CHARGE, o.created_at, ref=o.number, by="system")
                if o.status in (OrderStatus.REJECTED, OrderStatus.CANCELLED):
                    back = o.events[-1].at
                    for account, part in ((AccountKind.REBATE, plan.from_rebate),
                                          (AccountKind.PREPAYMENT, plan.from_prepayment),
                                          (AccountKind.CREDIT, plan.from_credit)):
                        post(account, part, EntryKind.ORDER_REFUND, back, ref=o.number, by="system",
                             note="订单驳回退款" if o.status == OrderStatus.REJECTED else "订单取消退款")
                else:
                    quarter_purchases += o.total
            if start.month % 3 == 0:
                accrue_at = _at(self.clock, _month_end(start) + timedelta(days=10), 16)
                if accrue_at <= self.now and quarter_purchases > 0:
                    quarter = (start.month - 1) // 3 + 1
                    post(AccountKind.REBATE, quarter_purchases * REBATE_RATE, EntryKind.REBATE_ACCRUAL, accrue_at,
                         ref=f"{start.year}-Q{quarter}", note=f"{start.year} 年第 {quarter} 季度返利计提", by="system")
                quarter_purchases = Decimal("0.00")
        return entries

    @staticmethod
    def _beyond_funds(order: Order, available: Decimal) -> None:
        """Raise the first line's quantity so the order exceeds what the dealer can pay: it waits for
        approval (the showcase of the credit-shortfall rule)."""
        line = order.lines[0]
        rest = order.total - line.amount
        line.qty = int((available * Decimal("1.2") - rest) / line.unit_price) + 1
        order.total = _m(rest + line.amount)

    def _sellout_for(self, d: DemoDealer, months: list[date]) -> list[dict[str, Any]]:
        """Sell-out lines as ``storage.bulk`` rows (the SellOutLine fields); up to a million of them."""
        if d.status not in (DealerStatus.ACTIVE, DealerStatus.SUSPENDED):
            return []
        rng = _rng(self.seed, "sellout", d.code)
        products = self._skus_for(d)
        lines: list[dict[str, Any]] = []
        customer_types = [CustomerType.RETAIL, CustomerType.ONLINE, CustomerType.PROJECT, CustomerType.SUBDEALER]
        type_weights = [62, 22, 8, 8] if d.tier != "C" else [75, 20, 5, 0]
        for start in months:
            end = min(_month_end(start), self.today - timedelta(days=1))
            if end < start:
                continue
            if d.status == DealerStatus.SUSPENDED and start > self.today - timedelta(days=40):
                continue
            weights = [p.popularity * SEASONALITY[p.category][start.month - 1] for p in products]
            season = sum(weights) / sum(p.popularity for p in products)
            n = max(1, round(MONTHLY_SELLOUT_LINES[d.tier] * season * rng.uniform(0.8, 1.2)))
            for _ in range(n):
                p = _weighted(rng, products, weights)
                ctype = _weighted(rng, customer_types, type_weights)
                qty = {CustomerType.RETAIL: rng.randint(1, 2), CustomerType.ONLINE: rng.randint(1, 3),
                       CustomerType.PROJECT: rng.randint(5, 40), CustomerType.SUBDEALER: rng.randint(4, 20)}[ctype]
                discount = Decimal(str(round(rng.uniform(0.88, 1.0), 2)))
                sold_on = start + timedelta(days=rng.randint(0, (end - start).days))
                lines.append({
                    "dealer_id": d.id, "sold_on": sold_on, "sku": p.sku, "qty": qty,
                    "amount": _m(Decimal(p.list_price) * qty * discount), "province": d.city.province,
                    "city": d.city.city, "customer_type": ctype,
                    "reported_at": min(_at(self.clock, sold_on + timedelta(days=rng.randint(0, 6)), 20), self.now)})
        return lines

    # --- phase 3: stock, after-sales, quality, transfers -----------------------------------------

    async def operations(self) -> None:
        rng = _rng(self.seed, "operations")
        async with self.uow_factory() as uow:
            await self._stock(uow, rng)
            await self._dealer_stock(uow)
            await self._tickets(uow, rng)
            await self._quality(uow)
            await self._transfer(uow)
            await uow.commit()

    async def _stock(self, uow: AbstractUnitOfWork, rng: random.Random) -> None:
        low_alerts = {("WH-TJ", "DH50"), ("WH-GZ", "FL-WP400"), ("WH-SH", "AP800")}
        levels = thresholds = 0
        for code, _name, *_ in WAREHOUSES:
            wh_id = self.warehouse_ids[code]
            for p in CATALOGUE:
                reserved = self.reserved.get((code, p.sku), 0) + (
                    TRANSFER_LINES.get(p.sku, 0) if code == TRANSFER_FROM else 0)    # on the road, still counted
                low = 40 if p.unit == "台" else 20
                if (code, p.sku) in low_alerts:
                    on_hand = reserved + rng.randint(2, low // 2)
                else:
                    on_hand = reserved + rng.randint(low * 2, low * 12) * self.scale
                await uow.stock.add(StockLevel(warehouse_id=wh_id, sku=p.sku, on_hand=on_hand, reserved=reserved,
                                               updated_at=self.now - timedelta(hours=rng.randint(1, 48))))
                await uow.thresholds.add(StockThreshold(scope=ThresholdScope.WAREHOUSE, scope_id=wh_id, sku=p.sku,
                                                        low=low * self.scale, high=low * 20 * self.scale))
                levels += 1
                thresholds += 1
        self.count("stock_levels", levels)
        self.count("thresholds", thresholds)

    async def _dealer_stock(self, uow: AbstractUnitOfWork) -> None:
        n = 0
        for d in self.dealers:
            if d.status != DealerStatus.ACTIVE or d.index >= 300:
                continue
            rng = _rng(self.seed, "dealer_stock", d.code)
            for p in self._skus_for(d):
                if rng.random() < 0.35:
                    continue
                await uow.dealer_stock.add(DealerStock(
                    dealer_id=d.id, sku=p.sku, qty=rng.randint(0, {"A": 60, "B": 30, "C": 12}[d.tier]),
                    reported_at=self.now - timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 10))))
                n += 1
            if d.block_index in (0, 13):
                await uow.thresholds.add(StockThreshold(scope=ThresholdScope.DEALER, scope_id=d.id, sku="AP300",
                                                        low=10, high=80))
                self.count("thresholds")
        self.count("dealer_stock", n)

    async def _tickets(self, uow: AbstractUnitOfWork, rng: random.Random) -> None:
        problems = [
            ("DH20", "除湿机 DH20 水箱满灯常亮但水箱是空的，无法工作", Priority.HIGH),
            ("AP300", "净化器 AP300 高档运行时有明显异响，像风扇刮到东西", Priority.NORMAL),
            ("WP400", "净水器 WP400 安装一周后接头处渗水", Priority.URGENT),
            ("FL-AP300", "客户买的 AP300 滤网尺寸偏大，装不进去", Priority.LOW),
            ("DH12", "DH12 除湿效果差，24 小时只除了不到 3 升水", Priority.NORMAL),
            ("AP500", "AP500 屏幕显示 E3 故障码，重启无效", Priority.HIGH),
            ("WP-MINI", "Mini 净水器出水有异味", Priority.NORMAL),
            ("AP800", "AP800 甲醛数值一直显示 0.00，怀疑传感器坏了", Priority.NORMAL),
            ("DH50", "商用 DH50 压缩机不启动，客户仓库急用", Priority.URGENT),
            ("WP600", "WP600 废水比异常，一直在排水", Priority.NORMAL),
        ]
        statuses = [TicketStatus.OPEN, TicketStatus.OPEN, TicketStatus.OPEN, TicketStatus.ACCEPTED,
                    TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED,
                    TicketStatus.CLOSED, TicketStatus.CLOSED]
        flow = [TicketStatus.OPEN, TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED,
                TicketStatus.CLOSED]
        active = [d for d in self.dealers if d.status == DealerStatus.ACTIVE]
        for i, ((sku, text, priority), status) in enumerate(zip(problems, statuses, strict=True)):
            d = active[(i * 3) % len(active)]
            created = self.now - timedelta(days=[0, 1, 2, 2, 3, 4, 6, 8, 12, 15][i], hours=i)
            day = created.date()
            number = await uow.next_number("AS", day)
            comments: list[TicketComment] = []
            when = created
            for step in flow[1:flow.index(status) + 1]:
                when = min(when + timedelta(hours=rng.randint(2, 20)), self.now)
                note = {TicketStatus.ACCEPTED: "已受理，安排售后工程师联系客户",
                        TicketStatus.IN_PROGRESS: "工程师已上门检测",
                        TicketStatus.RESOLVED: "已更换配件，客户确认正常",
                        TicketStatus.CLOSED: "回访完成，客户满意"}[step]
                comments.append(TicketComment(author="staff:li.aftersales", text=note, at=when, status=step))
            order_ref = next((num for num, dealer_id, s in self.recent_orders if dealer_id == d.id), None)
            resolved = status in (TicketStatus.RESOLVED, TicketStatus.CLOSED)
            await uow.tickets.add(Ticket(
                number=number, dealer_id=d.id, description=text, customer_name=_person(rng),
                customer_phone=_mobile(rng), sku=sku, serial_no=f"{sku.replace('-', '')}{day:%y%m}{rng.randint(10000, 99999)}",
                order_number=order_ref, photos=[demo_photo("ticket")[0]] if i % 2 == 0 else [],
                priority=priority, sla_due_at=sla_due_at(priority, created), status=status,
                assignee="staff:li.aftersales" if status != TicketStatus.OPEN else None,
                resolution="更换配件" if resolved else None, resolved_at=comments[-1].at if resolved else None,
                satisfaction=5 if status == TicketStatus.CLOSED else None, created_by=d.owner_label,
                comments=comments, created_at=created, updated_at=comments[-1].at if comments else created))
        self.count("tickets", len(problems))

    async def _quality(self, uow: AbstractUnitOfWork) -> None:
        items = [
            ("DH20", "功能", 12, "水位传感器误报水满，集中在 3 月批次", CorrectiveStatus.INVESTIGATING),
            ("AP300", "噪音", 6, "高档位风机异响", CorrectiveStatus.ACTION_PLANNED),
            ("WP400", "漏水", 4, "快接头密封圈偏小", CorrectiveStatus.NEW),
            ("FL-AP300", "包装", 20, "外箱运输破损，滤网变形", CorrectiveStatus.DONE),
            ("AP500", "外观", 3, "前面板划痕", CorrectiveStatus.NO_ACTION),
        ]
        active = [d for d in self.dealers if d.status == DealerStatus.ACTIVE]
        for i, (sku, category, count, text, status) in enumerate(items):
            d = active[(i * 5 + 1) % len(active)]
            created = self.now - timedelta(days=2 + i * 6)
            number = await uow.next_number("QF", created.date())
            handled = status != CorrectiveStatus.NEW
            await uow.quality.add(QualityFeedback(
                number=number, dealer_id=d.id, sku=sku, defect_category=category, count=count, description=text,
                batch=f"B{created:%y%m}-{i + 1:02d}", corrective_status=status,
                corrective_note={CorrectiveStatus.INVESTIGATING: "已抽检 20 台，定位到传感器批次",
                                 CorrectiveStatus.ACTION_PLANNED: "风机供应商整改，下批次更换",
                                 CorrectiveStatus.DONE: "外箱加厚至五层瓦楞",
                                 CorrectiveStatus.NO_ACTION: "个例，运输所致"}.get(status, ""),
                handled_by="staff:zhao.quality" if handled else None, created_by=d.owner_label,
                created_at=created, updated_at=created + timedelta(days=1) if handled else created))
        self.count("quality_feedback", len(items))

    async def _transfer(self, uow: AbstractUnitOfWork) -> None:
        day = self.today - timedelta(days=2)
        await uow.transfers.add(Transfer(
            number=await uow.next_number("DB", day), from_scope=ThresholdScope.WAREHOUSE,
            from_id=self.warehouse_ids[TRANSFER_FROM], to_scope=ThresholdScope.WAREHOUSE,
            to_id=self.warehouse_ids["WH-GZ"], lines=[TransferLine(sku, qty) for sku, qty in TRANSFER_LINES.items()],
            status=TransferStatus.SHIPPED, created_by="staff:zhang.orderdesk", created_at=_at(self.clock, day, 15),
            approved_by="staff:zhang.orderdesk", approved_at=_at(self.clock, day, 15),
            shipped_at=_at(self.clock, day, 17), updated_at=_at(self.clock, day, 17)))
        self.count("transfers")


class _BulkSink:
    """Where the high-volume rows go: orders and sell-out through ``storage.bulk`` (Core executemany),
    ledger entries through the ORM a chunk per commit.

    The sequences of the document numbers used (``SO-YYYYMMDD``) are raised so that orders placed after
    seeding continue the numbering instead of colliding.
    """

    def __init__(self, session_factory: Any) -> None:
        self.session_factory = session_factory

    async def orders(self, orders: list[Order]) -> None:
        from storage.bulk import insert_orders_bulk

        rows = []
        for o in orders:
            row = {f.name: getattr(o, f.name) for f in dataclasses.fields(Order)
                   if f.name not in ("id", "lines", "events")}
            row["lines"] = [{"sku": x.sku, "name": x.name, "qty": x.qty, "unit_price": x.unit_price,
                             "discount": x.discount, "free_qty": x.free_qty, "promotion_code": x.promotion_code}
                            for x in o.lines]
            row["events"] = [{"status": e.status, "actor": e.actor, "at": e.at, "note": e.note} for e in o.events]
            rows.append(row)
        await insert_orders_bulk(self.session_factory, rows)

    async def ledger(self, entries: list[LedgerEntry]) -> None:
        if not entries:
            return
        async with self.session_factory() as session:
            session.add_all(entries)
            await session.commit()

    async def sellout(self, rows: list[dict[str, Any]]) -> None:
        from storage.bulk import insert_sellout_lines

        await insert_sellout_lines(self.session_factory, rows)

    async def sequences(self, values: dict[str, int]) -> None:
        from sqlalchemy import select

        from storage.orm import sequences

        async with self.session_factory() as session:
            existing: dict[str, int] = {key: value for key, value in await session.execute(
                select(sequences.c.key, sequences.c.value))}
            for key, value in values.items():
                if key in existing:
                    if existing[key] < value:
                        await session.execute(sequences.update().where(sequences.c.key == key).values(value=value))
                else:
                    await session.execute(sequences.insert().values(key=key, value=value))
            await session.commit()
