"""Phase 3: stock, after-sales tickets, quality feedback, the demo transfer."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.demo.base import SeederBase
from bot.demo.photos import demo_photo
from bot.demo.world import (
    CATALOGUE,
    TRANSFER_FROM,
    TRANSFER_LINES,
    WAREHOUSES,
    demo_at,
    demo_mobile,
    demo_person,
    demo_rng,
)
from core.aftersales import Priority, Ticket, TicketComment, TicketStatus
from core.dealers import DealerStatus
from core.inventory import (
    DealerStock,
    StockLevel,
    StockThreshold,
    ThresholdScope,
    Transfer,
    TransferLine,
    TransferStatus,
)
from core.ports import AbstractUnitOfWork
from core.quality import CorrectiveStatus, QualityFeedback
from core.ticket_states import sla_due_at


class Operations(SeederBase):
    async def operations(self) -> None:
        rng = demo_rng(self.seed, "operations")
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
            rng = demo_rng(self.seed, "dealer_stock", d.code)
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
                number=number, dealer_id=d.id, description=text, customer_name=demo_person(rng),
                customer_phone=demo_mobile(rng), sku=sku, serial_no=f"{sku.replace('-', '')}{day:%y%m}{rng.randint(10000, 99999)}",
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
            status=TransferStatus.SHIPPED, created_by="staff:zhang.orderdesk", created_at=demo_at(self.clock, day, 15),
            approved_by="staff:zhang.orderdesk", approved_at=demo_at(self.clock, day, 15),
            shipped_at=demo_at(self.clock, day, 17), updated_at=demo_at(self.clock, day, 17)))
        self.count("transfers")
