"""The back-office transfers page (/backoffice/transfers) over HTTP: a dealer's request shows with the other
dealer named (staff see everyone), the channel manager approves and switches a dealer's approval rule, the order
desk's buttons are the steps it may take, a filter narrows the list, and the dealers' sharing choices are listed."""

from __future__ import annotations

from core.inventory import DealerStock, ThresholdScope, TransferStatus
from core.services.transfers import CreateTransfer, SetSharing, create_transfer, set_sharing
from core.users import Actor, ActorKind, Role
from tests.e2e.conftest import BASE_URL, NOW, Web, add_dealer, add_product, add_warehouse
from tests.e2e.test_backoffice_admin import MemoryFileStore, login_as, office  # noqa: F401  (fixture)

SAME_ORIGIN = {"Origin": BASE_URL}


async def test_channel_manager_approves_in_the_back_office_and_switches_the_rule(
        office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    a = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    b = await add_dealer(web, "D0002", "宁波宏达商贸有限公司", city="宁波")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_warehouse(web, "WH-SH", {"AP300": 50})
    async with web.uow() as uow:
        await uow.dealer_stock.add(DealerStock(dealer_id=a, sku="AP300", qty=12, reported_at=NOW))
        await uow.commit()
    owner_a = Actor(kind=ActorKind.DEALER, name="a", role=Role.DEALER_OWNER, dealer_id=a)
    owner_b = Actor(kind=ActorKind.DEALER, name="b", role=Role.DEALER_OWNER, dealer_id=b)
    await set_sharing(web.uow(), owner_a, SetSharing(a, True, True, False, False), web.clock)
    transfer = await create_transfer(web.uow(), owner_b, CreateTransfer(
        ThresholdScope.DEALER, a, ThresholdScope.DEALER, b, [("AP300", 4)]), web.clock)

    await login_as(web, "liu.channel", Role.CHANNEL_MANAGER)
    page = await web.client.get("/backoffice/transfers")
    assert page.status_code == 200 and transfer.number in page.text
    assert "D0001 杭州华信电器有限公司" in page.text and "D0002 宁波宏达商贸有限公司" in page.text
    assert f"/backoffice/transfers/{transfer.number}/approve" in page.text
    assert f"/backoffice/transfers/{transfer.number}/ship" not in page.text     # A ships, not the maker's manager
    filtered = await web.client.get("/backoffice/transfers?status=received")
    assert transfer.number not in filtered.text.split("</form>", 1)[1]

    approved = await web.client.post(f"/backoffice/transfers/{transfer.number}/approve", headers=SAME_ORIGIN)
    assert approved.status_code == 303
    switched = await web.client.post("/backoffice/transfers/approval", headers=SAME_ORIGIN,
                                     data={"dealer": "D0001", "needed": "0"})
    assert switched.status_code == 303
    async with web.uow() as uow:
        stored = await uow.transfers.get_by(number=transfer.number)
        sharing = await uow.stock_sharing.get_by(dealer_id=a)
        audit = [e.action for e in await uow.audit.list(order_by="id")]
    assert stored is not None and stored.status == TransferStatus.APPROVED
    assert sharing is not None and not sharing.transfer_approval
    assert "transfer.approve" in audit and "stock_sharing.transfer_approval" in audit

    await login_as(web, "li.desk", Role.ORDER_DESK)
    page = await web.client.get("/backoffice/transfers")
    assert f"/backoffice/transfers/{transfer.number}/ship" in page.text      # the stock staff may ship for A
    assert "/backoffice/transfers/approval" not in page.text                   # only the channel manager switches
    refused = await web.client.post("/backoffice/transfers/approval", headers=SAME_ORIGIN,
                                    data={"dealer": "D0001", "needed": "1"})
    assert refused.status_code == 403
