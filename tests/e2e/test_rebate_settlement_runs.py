"""Proposing rebate settlements where finance runs it, on a real database (issue 14): the admin's contract
list action shows what it proposed per target or why nothing (no silent redirect), and
``dms contract settle-rebates`` prints the same; the second target of a period is settled too.

October 2026 contract, two targets of 2026-10: every product CNY 50,000 and 除湿机 CNY 10,000, tiers 1 % from
80 %, 2 % from 100 %. One order of 2026-10-15: AP300 x20 at 1,999.00 (39,980.00) + DH20 x8 at 1,599.00
(12,792.00) = 52,772.00 -> 105.544 % -> 2 % = 1,055.44; DH20 127.92 % -> 2 % = 255.84; 1,311.28 in all.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from typer.testing import CliRunner

from bot.bootstrap import App
from core.accounts import AccountKind, EntryKind
from core.clock import SHANGHAI
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.orders import Order, OrderLine, OrderStatus
from core.ports import AbstractUnitOfWork
from core.users import Role
from tests.e2e.conftest import BASE_URL, Web, add_dealer, add_staff
from tests.e2e.test_admin_web import login
from tests.factories import make_dealer, make_product
from tests.integration.test_cli import backend, database, invoke, migrated, runner, with_app  # noqa: F401

TIERS = [RebateTier(Decimal("0.8"), Decimal("0.01")), RebateTier(Decimal("1.0"), Decimal("0.02"))]


async def _seed(uow: AbstractUnitOfWork, dealer_id: int) -> tuple[int, int, str]:
    """The October contract with its order, and a running contract for the whole of 2026 (ids, number)."""
    await uow.products.add(make_product("AP300", name="空气净化器AP300", category="净化器"))
    await uow.products.add(make_product("DH20", name="除湿机DH20", category="除湿机"))
    october = await uow.contracts.add(Contract(
        number="HT-20261001-0001", dealer_id=dealer_id, starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31),
        status=ContractStatus.EXPIRED, rebate_tiers=TIERS,
        targets=[SalesTarget("2026-10", TargetMetric.AMOUNT, Decimal("50000.00")),
                 SalesTarget("2026-10", TargetMetric.AMOUNT, Decimal("10000.00"), product_group="除湿机")]))
    running = await uow.contracts.add(Contract(
        number="HT-20261001-0002", dealer_id=dealer_id, starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31),
        status=ContractStatus.ACTIVE, rebate_tiers=TIERS,
        targets=[SalesTarget("2027", TargetMetric.AMOUNT, Decimal("1000000.00"))]))
    await uow.orders.add(Order(
        number="SO-20261015-0001", dealer_id=dealer_id, status=OrderStatus.RECEIVED, total=Decimal("52772.00"),
        created_at=datetime(2026, 10, 15, 10, 0, tzinfo=SHANGHAI),
        lines=[OrderLine("AP300", "空气净化器AP300", 20, Decimal("1999.00")),
               OrderLine("DH20", "除湿机DH20", 8, Decimal("1599.00"))]))
    await uow.flush()
    await uow.commit()
    assert october.id is not None and running.id is not None
    return october.id, running.id, october.number


async def test_the_admin_action_shows_what_was_proposed_and_why_not(web_any: Web) -> None:
    await add_staff(web_any, "zhou.cm", Role.CHANNEL_MANAGER)     # the contract list's actions: CONTRACT_WRITE
    await add_staff(web_any, "wu.finance", Role.FINANCE)
    dealer_id = await add_dealer(web_any, "D0031", "杭州绿源电器有限公司")
    async with web_any.uow() as uow:
        october, running, number = await _seed(uow, dealer_id)
    await login(web_any, "zhou.cm")
    referer = {"referer": f"{BASE_URL}/admin/contract/list"}
    page = await web_any.client.get(f"/admin/contract/action/propose-rebate?pks={october},{running}",
                                    headers=referer)
    assert page.status_code == 200, page.text
    assert f"合同 {number}：已生成 2 笔返利结算，共 ¥1,311.28" in page.text
    assert "2026-10（除湿机）：应计 ¥255.84 − 已结算 ¥0.00 = 本次结算 ¥255.84，待财务审批" in page.text
    assert "2027（全部产品）：期间未结束（至 2027-12-31），2028-01-01 起可结算" in page.text
    assert f"Contract {number}: 2 settlement(s) proposed, ¥1,311.28" in page.text
    assert page.text.index("已生成") < page.text.index("proposed,")          # Chinese first

    await login(web_any, "wu.finance")      # finance runs it for every contract from the settlement list
    again = await web_any.client.get("/admin/rebate-settlement/action/propose-due",
                                     headers={"referer": f"{BASE_URL}/admin/rebate-settlement/list"})
    assert again.status_code == 200, again.text
    assert "已有待审批的结算 ¥1,055.44" in again.text and "已生成" not in again.text
    assert "2027（全部产品）：期间未结束" in again.text
    forged = await web_any.client.get("/admin/rebate-settlement/action/propose-due",
                                      headers={"referer": "https://evil.example/"})
    assert forged.status_code == 403
    async with web_any.uow() as uow:
        proposals = await uow.rebate_settlements.list(order_by="id")
    assert sorted(p.amount for p in proposals) == [Decimal("255.84"), Decimal("1055.44")]

    approved = await web_any.client.get(
        f"/admin/rebate-settlement/action/approve?pks={','.join(str(p.id) for p in proposals)}",
        headers={"referer": f"{BASE_URL}/admin/rebate-settlement/list"})
    assert approved.status_code == 302, approved.text
    async with web_any.uow() as uow:
        credited = await uow.ledger.list(dealer_id=dealer_id, kind=EntryKind.REBATE_SETTLEMENT)
        audit = [a.action for a in await uow.audit.list()]
    assert {e.account for e in credited} == {AccountKind.REBATE}
    assert sum(e.amount for e in credited) == Decimal("1311.28")
    assert audit.count("rebate.propose") == 2 and audit.count("rebate.approve") == 2
    await login(web_any, "zhou.cm")
    done = await web_any.client.get(f"/admin/contract/action/propose-rebate?pks={october}", headers=referer)
    assert "已结算 ¥1,055.44（应计 ¥1,055.44），无需再结算" in done.text


def test_the_cli_proposes_and_explains(runner: CliRunner) -> None:  # noqa: F811
    migrated(runner)
    assert "没有已签署、执行中或已到期的合同" in invoke(runner, "contract", "settle-rebates", "--all").output
    assert invoke(runner, "contract", "settle-rebates", code=2).exit_code == 2       # neither numbers nor --all

    async def seed(application: App) -> str:
        async with application.uow_factory() as uow:
            dealer = await uow.dealers.add(make_dealer(name="宁波海信达电器有限公司"))
            await uow.flush()
            assert dealer.id is not None
            return (await _seed(uow, dealer.id))[2]

    number = with_app(seed)
    first = invoke(runner, "contract", "settle-rebates", number)
    assert f"合同 {number}：已生成 2 笔返利结算，共 ¥1,311.28" in first.output
    second = invoke(runner, "contract", "settle-rebates", "--all", "--lang", "en")
    assert "2026-10 (all products): a settlement of ¥1,055.44 is awaiting approval" in second.output
    assert "2027 (all products): the period runs until 2027-12-31" in second.output
    missing = invoke(runner, "contract", "settle-rebates", "HT-19990101-0001", code=1)
    assert "HT-19990101-0001" in missing.output

    async def proposals(application: App) -> list[Any]:
        async with application.uow_factory() as uow:
            return await uow.rebate_settlements.list()

    assert len(with_app(proposals)) == 2
