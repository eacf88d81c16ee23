"""Phase 1: reference data in one unit of work (catalogue, warehouses, staff, dealers, documents, contracts, campaigns)."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal

from bot.demo.base import SeederBase
from bot.demo.photos import demo_photo
from bot.demo.world import (
    BLOCK,
    BRANDS,
    CATALOGUE,
    CITIES,
    CREDIT_LIMIT,
    DEALERS_WITH_USERS,
    DEHUMIDIFIER,
    EXPIRED,
    EXPIRING_SOON,
    RESTRICTED_SKUS,
    STAFF,
    STREETS,
    TIER_DISCOUNT,
    TRADES,
    WAREHOUSES,
    YEAR_TARGET,
    City,
    DemoDealer,
    demo_at,
    demo_mobile,
    demo_person,
    demo_rng,
    money,
)
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
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.dealers import Address, Contact, Dealer, DealerStatus, DocumentType, Qualification, ReviewStatus
from core.inventory import (
    Warehouse,
)
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
from core.uscc import make_uscc
from core.users import Role, User


class ReferenceData(SeederBase):
    async def reference_data(self) -> None:
        rng = demo_rng(self.seed, "reference")
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
                                           list_price=money(p.list_price), aliases=list(p.aliases),
                                           pack_size=p.pack_size, moq=p.moq))
            for tier, share in TIER_DISCOUNT.items():
                await uow.tier_prices.add(TierPrice(tier=tier, sku=p.sku, price=money(Decimal(p.list_price) * share)))
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
        rng = demo_rng(self.seed, "staff")
        for username, display, role in STAFF:
            await uow.users.add(User(username=username, display_name=display, role=role, phone=demo_mobile(rng),
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
                rng = demo_rng(self.seed, "dealer", code)
                city = CITIES[tpl.city]
                owner, buyer = demo_person(rng), demo_person(rng)
                contacts = [Contact(name=owner, phone=demo_mobile(rng), role="老板"),
                            Contact(name=buyer, phone=demo_mobile(rng), role=rng.choice(("采购", "采购经理", "店长")))]
                if tpl.tier == "A":
                    contacts.append(Contact(name=demo_person(rng), phone=demo_mobile(rng), role="财务"))
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
            rng = demo_rng(self.seed, "docs", d.code)
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
        signed_at = demo_at(self.clock, start + timedelta(days=6), 10) if signed else None
        await uow.contracts.add(Contract(
            number=f"HT-{start.year}-{d.index + 1:04d}", dealer_id=d.id, starts_on=start, ends_on=end,
            targets=[SalesTarget(str(start.year), TargetMetric.AMOUNT, target),
                     SalesTarget(str(start.year), TargetMetric.QUANTITY, Decimal(category_target), DEHUMIDIFIER)],
            rebate_tiers=rebates, marketing_duties=duties, status=status,
            signed_text=text if signed else None,
            signed_sha256=hashlib.sha256(text.encode()).hexdigest() if signed else None,
            signed_at=min(signed_at, self.now) if signed_at else None,
            signed_by=d.owner_label if signed else None,
            created_at=demo_at(self.clock, start, 9) - timedelta(days=20)))
        return 1

    async def _special_terms(self, uow: AbstractUnitOfWork) -> None:
        n_prices = n_allowed = 0
        for d in self.dealers:
            if d.tier == "A" and d.status == DealerStatus.ACTIVE:
                await uow.dealer_prices.add(DealerPrice(dealer_id=d.id, sku="AP800",
                                                        price=money(Decimal("4599.00") * Decimal("0.68"))))
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
