"""Scheduled checks with fakes: each fires once and only once for its condition (every check runs twice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.aftersales import Priority
from core.campaigns import Campaign, CampaignStatus
from core.clock import SHANGHAI, Clock
from core.contracts import ContractStatus
from core.dealers import DocumentType, ReviewStatus
from core.inventory import DealerStock, StockThreshold, ThresholdScope
from core.outbox import Category
from core.sellout import SellOutLine
from core.services.aftersales import CreateTicket, create_ticket
from core.services.orders import SubmitOrder, submit_order
from core.users import Role
from notifications.checks import Checks
from notifications.templates import render
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, make_contract, make_document
from tests.fakes import FakeOutboxStore

DEALER, CLERK, DESK, MANAGER, SERVICE, BOSS = "100", "101", "201", "202", "301", "401"


class MovableClock(Clock):
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
        super().__init__(SHANGHAI, lambda: self.moment)

    def to(self, day: date, hour: int = 10) -> None:
        self.moment = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@dataclass
class Scene:
    w: ChatWorld
    clock: MovableClock
    checks: Checks
    dealer_id: int
    users: dict[str, int]

    async def twice(self, name: str) -> int:
        """Run the check twice: the second run must queue nothing."""
        first = await self.checks.run(name)
        assert await self.checks.run(name) == 0, f"{name} queued again on its second run"
        return first

    def rows(self, kind: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
        by_id = {v: k for k, v in self.users.items()}
        return sorted((by_id.get(r.user_id or 0, "?"), r.params) for r in self.w.uow.outbox.rows if r.kind == kind)

    def who(self, kind: str) -> list[str]:
        return [chat for chat, _ in self.rows(kind)]


async def scene() -> Scene:
    clock = MovableClock()
    w = ChatWorld(clock=clock)
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司", region="华东")
    assert dealer.id is not None
    users = {}
    for chat, role, d in ((DEALER, Role.DEALER_OWNER, dealer), (CLERK, Role.DEALER_CLERK, dealer),
                          (DESK, Role.ORDER_DESK, None), (MANAGER, Role.CHANNEL_MANAGER, None),
                          (SERVICE, Role.AFTER_SALES, None), (BOSS, Role.MANAGEMENT, None)):
        user = await w.user(chat, role, d)
        assert user.id is not None
        users[chat] = user.id
    checks = Checks(lambda: w.uow, FakeOutboxStore(w.uow), clock)
    return Scene(w, clock, checks, dealer.id, users)


async def test_document_expiry_reminds_at_30_7_1_days_then_blocks_ordering() -> None:
    s = await scene()
    auth = next(q for q in s.w.uow.qualifications.rows if q.doc_type == DocumentType.AUTHORIZATION)
    auth.expires_on = date(2026, 12, 20)                                  # 24 days left
    await s.w.uow.commit()
    assert await s.twice("qualification_expiry") == 2                    # owner and clerk; staff not yet
    assert s.who("qual.expiring") == [DEALER, CLERK]
    s.clock.to(date(2026, 12, 1))                                         # 19 days: still the 30-day stage
    assert await s.checks.run("qualification_expiry") == 0
    s.clock.to(date(2026, 12, 14))                                        # 6 days: the 7-day stage
    assert await s.twice("qualification_expiry") == 3                    # dealer users and the manager
    assert s.who("qual.expiring_staff") == [MANAGER]
    s.clock.to(date(2026, 12, 19))
    assert await s.twice("qualification_expiry") == 3
    s.clock.to(date(2026, 12, 21))                                        # expired yesterday
    assert await s.twice("qualification_expiry") == 3
    assert s.who("qual.expired") == [DEALER, CLERK] and s.who("qual.expired_staff") == [MANAGER]
    told = await s.w.pushed(DEALER)
    assert "已于 2026-12-20 到期，下单已暂停" in told[-1].text
    # and ordering is refused with the reason, until a renewal is approved
    refused = await s.w.say(DEALER, "AP300 来两台")
    assert "授权书：已过期" in texts(refused) and "确认下单" not in buttons(refused)
    assert len({r.dedup_key for r in s.w.uow.outbox.rows}) == len(s.w.uow.outbox.rows)


async def test_a_document_superseded_by_a_newer_one_is_not_reminded() -> None:
    s = await scene()
    await s.w.uow.qualifications.add(make_document(s.dealer_id, DocumentType.OPERATING_PERMIT,
                                                   expires_on=date(2026, 12, 1)))
    await s.w.uow.qualifications.add(make_document(s.dealer_id, DocumentType.OPERATING_PERMIT,
                                                   expires_on=date(2029, 12, 1)))
    await s.w.uow.commit()
    assert await s.twice("qualification_expiry") == 0
    pending = make_document(s.dealer_id, DocumentType.TAX_REGISTRATION, expires_on=date(2026, 12, 1),
                            status=ReviewStatus.PENDING)
    await s.w.uow.qualifications.add(pending)
    await s.w.uow.commit()
    assert await s.twice("qualification_expiry") == 0                    # not approved: nothing to expire


async def test_contract_expiry_reminds_unless_a_successor_exists() -> None:
    s = await scene()
    ending = await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.ACTIVE,
                                                       ends_on=date(2026, 12, 20)))
    await s.w.uow.commit()
    assert await s.twice("contract_expiry") == 3                          # dealer users + the renewal proposal
    assert s.who("contract.expiring") == [DEALER, CLERK]
    assert s.who("contract.renewal_due") == [MANAGER]   # tests/unit/test_checks_contract_renewal.py
    assert s.who("contract.expiring_staff") == []        # the proposal already says it ends: not told twice
    assert s.rows("contract.expiring")[0][1]["days"] == 24
    assert len(s.w.uow.contracts.rows) == 1                               # proposed, not drafted
    s.clock.to(date(2026, 12, 14))
    await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.SIGNED, starts_on=date(2027, 1, 1),
                                              ends_on=date(2027, 12, 31), previous_id=ending.id))
    await s.w.uow.commit()
    assert await s.twice("contract_expiry") == 0                          # renewed: no 7-day reminder


async def test_execution_behind_the_time_elapsed_alerts_once_a_month() -> None:
    s = await scene()
    await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.ACTIVE))   # 1,000,000 for 2026
    await s.w.uow.commit()
    await s.w.order(await s.w.uow.dealers.get(s.dealer_id), [("AP300", 100)], to="approved")  # type: ignore[arg-type]
    assert await s.twice("contract_deviation") == 3
    [(_, params)] = [r for r in s.rows("contract.behind") if r[0] == DEALER]
    assert (params["achieved"], params["elapsed"], params["actual"]) == ("20%", "90%", "¥199,900.00")
    s.clock.to(date(2026, 12, 2))
    assert await s.twice("contract_deviation") == 3                      # a new month, still behind


async def test_low_and_high_stock_alert_once_a_day_with_a_suggested_order() -> None:
    s = await scene()
    warehouse = (await s.w.uow.warehouses.list())[0]
    assert warehouse.id is not None
    await s.w.uow.thresholds.add(StockThreshold(ThresholdScope.WAREHOUSE, warehouse.id, "AP300", low=600))
    await s.w.uow.thresholds.add(StockThreshold(ThresholdScope.DEALER, s.dealer_id, "F300", low=5, high=20))
    await s.w.uow.thresholds.add(StockThreshold(ThresholdScope.DEALER, s.dealer_id, "DH20", low=1, high=10))
    await s.w.uow.dealer_stock.add(DealerStock(s.dealer_id, "F300", 2))
    await s.w.uow.dealer_stock.add(DealerStock(s.dealer_id, "DH20", 30))
    await s.w.uow.commit()
    assert await s.twice("stock_levels") == 5
    assert s.who("stock.low_warehouse") == [DESK]                         # STOCK_WRITE: the order desk
    [(_, params)] = s.rows("stock.low_warehouse")
    assert params["suggest"] == 1200 - params["qty"]                      # refill to twice the minimum
    assert f"建议补货 {params['suggest']} 台" in render("stock.low_warehouse", params, "zh").text
    assert f"Suggested reorder: {params['suggest']} 台" in render("stock.low_warehouse", params, "en").text
    assert s.who("stock.low_dealer") == [DEALER, CLERK] and s.who("stock.high_dealer") == [DEALER, CLERK]
    low = [r for r in await s.w.pushed(DEALER) if "补货提醒" in r.text][0]
    assert "库存 2，已到下限 5。建议补货 18 箱" in low.text
    assert buttons([low]) == {"🛒 一键补货": "1|order.prefill|F300|18"}
    s.clock.to(date(2026, 11, 27))
    assert await s.twice("stock_levels") == 5                             # still low the next day: once more


async def test_sla_breaches_go_to_handlers_and_escalate_to_management_later() -> None:
    s = await scene()
    owner = dealer_user(s.dealer_id)
    early = Clock.fixed(datetime(2026, 11, 26, 5, 0, tzinfo=SHANGHAI))
    await create_ticket(s.w.uow, owner, CreateTicket(s.dealer_id, "除湿机不出水", priority=Priority.URGENT), early)
    await create_ticket(s.w.uow, owner, CreateTicket(s.dealer_id, "滤网异响"), s.clock)     # due later
    assert await s.twice("sla_breaches") == 1
    [(chat, params)] = s.rows("ticket.sla_breach")
    assert chat == SERVICE and params["due"] == "2026-11-26 09:00"
    assert all(r.urgent for r in s.w.uow.outbox.rows if r.category == Category.TICKET)
    s.clock.moment += timedelta(hours=24)
    assert await s.twice("sla_breaches") == 1       # 25 hours late: escalated; the breach is not told again
    assert s.who("ticket.sla_escalation") == [BOSS] and s.who("ticket.sla_breach") == [SERVICE]


async def test_a_campaign_is_announced_on_its_first_day_to_its_targets_only() -> None:
    s = await scene()
    await s.w.uow.campaigns.add(Campaign(code="C-1", name="冬季换新", starts_on=date(2026, 11, 27),
                                         ends_on=date(2026, 12, 31), status=CampaignStatus.LAUNCHED,
                                         target_regions=["华北"]))
    await s.w.uow.campaigns.add(Campaign(code="C-2", name="滤网节", starts_on=date(2026, 11, 27),
                                         ends_on=date(2026, 12, 31), status=CampaignStatus.LAUNCHED))
    await s.w.uow.commit()
    assert await s.twice("campaign_launches") == 0                        # not started yet
    s.clock.to(date(2026, 11, 27))
    assert await s.twice("campaign_launches") == 2                        # C-2 only: C-1 targets another region
    assert {p["code"] for _, p in s.rows("campaign.launched")} == {"C-2"}


async def test_the_daily_digest_lists_what_waits_for_each_staff_member() -> None:
    s = await scene()
    await submit_order(s.w.uow, dealer_user(s.dealer_id), SubmitOrder(s.dealer_id, [("AP300", 2)]), s.clock)
    await create_ticket(s.w.uow, dealer_user(s.dealer_id), CreateTicket(s.dealer_id, "不出水"), s.clock)
    assert await s.twice("daily_digest") == 4
    digests = dict(s.rows("digest.daily"))
    assert sorted(digests) == [DESK, MANAGER, SERVICE, BOSS]             # dealers get none
    assert digests[DESK]["items"] == [["approve", 1]] and digests[SERVICE]["items"] == [["tickets", 1]]
    s.clock.to(date(2026, 11, 27))
    assert await s.twice("daily_digest") == 4


async def test_the_weekly_summary_counts_last_weeks_orders_and_sales() -> None:
    s = await scene()
    dealer = await s.w.uow.dealers.get(s.dealer_id)
    assert dealer is not None
    await s.w.prepay(dealer)
    last_week = Clock.fixed(datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI))
    await submit_order(s.w.uow, dealer_user(s.dealer_id), SubmitOrder(s.dealer_id, [("AP300", 2)]), last_week)
    await submit_order(s.w.uow, dealer_user(s.dealer_id), SubmitOrder(s.dealer_id, [("F300", 1)]), s.clock)  # this week
    await s.w.uow.sellout.add(SellOutLine(dealer_id=s.dealer_id, sold_on=date(2026, 11, 20), sku="AP300", qty=3,
                                          amount=Decimal("6597.00"), province="上海", city="上海"))
    await s.w.uow.commit()
    assert await s.twice("weekly_performance") == 2
    [(_, params)] = [r for r in s.rows("performance.weekly") if r[0] == DEALER]
    assert (params["start"], params["end"], params["orders"], params["ordered"], params["sold_qty"]) == (
        "2026-11-16", "2026-11-22", 1, "¥3,998.00", 3)
    s.clock.to(date(2026, 11, 30))
    assert await s.twice("weekly_performance") == 2                        # a new week
