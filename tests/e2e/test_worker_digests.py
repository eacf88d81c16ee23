"""Digests from the scheduled checks delivered over real HTTP to the Telegram Bot API stand-in: the channel
manager reads ONE renewal list with a "起草续签" button per contract listed, a dealer ONE restock list with an
order button per product; a push for someone bound only on the web chat is dead with its reason, not retried."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.contracts import ContractStatus
from core.inventory import DealerStock, StockThreshold, ThresholdScope
from core.outbox import OutboxStatus
from core.users import ChatIdentity, Role, User
from tests.e2e.telegram_standin import TelegramStandIn
from tests.e2e.test_worker_telegram import app, standin, worker  # noqa: F401  (fixtures)
from tests.factories import make_contract, make_dealer

MANAGER_CHAT, OWNER_CHAT = 4101, 4102


async def test_digests_reach_telegram_as_one_message_each_with_buttons(app: Any, standin: TelegramStandIn) -> None:  # noqa: F811
    from bot.notify_senders import build_checks

    today = app.clock.today()
    async with app.uow_factory() as uow:
        dealers = [await uow.dealers.add(make_dealer()) for _ in range(6)]
        contracts = [await uow.contracts.add(make_contract(d.id, status=ContractStatus.ACTIVE,
                                                           starts_on=today - timedelta(days=340),
                                                           ends_on=today + timedelta(days=20))) for d in dealers]
        manager = await uow.users.add(User(username="liu.cm", display_name="刘渠道", role=Role.CHANNEL_MANAGER))
        owner = await uow.users.add(User(username="d1.owner", display_name="店主", role=Role.DEALER_OWNER,
                                         dealer_id=dealers[0].id))
        web_only = await uow.users.add(User(username="wang.cm", display_name="王渠道", role=Role.CHANNEL_MANAGER))
        for user, chat, channel in ((manager, str(MANAGER_CHAT), "telegram"), (owner, str(OWNER_CHAT), "telegram"),
                                    (web_only, "web:wang.cm", "web")):
            await uow.identities.add(ChatIdentity(channel=channel, external_id=chat, user_id=user.id))
        for n, sku in enumerate(("AP300", "F300", "DH20")):
            await uow.thresholds.add(StockThreshold(ThresholdScope.DEALER, dealers[0].id, sku, low=5, high=20))  # type: ignore[arg-type]
            await uow.dealer_stock.add(DealerStock(dealers[0].id, sku, n))  # type: ignore[arg-type]
        await uow.commit()

    checks = build_checks(app)
    assert await checks.run("contract_expiry") >= 3          # one renewal list per manager, the owner's reminder
    assert await checks.run("stock_levels") == 1              # the owner: one restock list of three products
    async with worker(app):
        await standin.wait_for(lambda: standin.count(MANAGER_CHAT) >= 1 and standin.count(OWNER_CHAT) >= 2, 15,
                               "the digests")

    offers = [m for m in standin.messages[MANAGER_CHAT] if "可以起草续签" in m.text]
    assert len(offers) == 1 and standin.count(MANAGER_CHAT) == 1
    offer = offers[0]
    assert offer.text.startswith("📝 6 份合同可以起草续签") and "……还有 1 条" in offer.text
    renew = [(label, data) for label, data in offer.buttons if data.startswith("1|ctr.renew|")]
    assert renew == [(f"📝 起草续签 {c.number}", f"1|ctr.renew|{c.id}") for c in contracts[:5]]

    [restock] = [m for m in standin.messages[OWNER_CHAT] if "补货提醒" in m.text]
    assert restock.text.startswith("📦 补货提醒：3 个商品已到下限")
    assert [data for _, data in restock.buttons] == ["1|order.restock", "1|order.prefill|AP300|20", "1|order.prefill|F300|19",
                                                     "1|order.prefill|DH20|18"]

    async with app.uow_factory() as uow:
        rows = await uow.outbox.list(user_id=web_only.id)
    told = [r for r in rows if r.status != OutboxStatus.FOLDED]
    assert [(r.kind, r.status) for r in told] == [("digest.list", OutboxStatus.DEAD)]
    assert told[0].attempts == 1 and "undeliverable" in (told[0].last_error or "") and "web" in told[0].last_error
