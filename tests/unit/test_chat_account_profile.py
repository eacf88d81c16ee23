"""One money account by name ("返利还有多少") and the dealer's own profile ("我归哪个区", "我的上级是谁"), typed
the way dealers type them, through the offline parser (``contract_query`` with ``account`` / topic ``profile``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts import AccountKind, EntryKind
from core.errors import NotFound
from core.services.dealers import dealer_profile
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, payment


async def _world() -> tuple[ChatWorld, int, int]:
    w = ChatWorld()
    await w.catalogue()
    parent = await w.dealer(name="华北总代理有限公司", code="D0001", tier="A", region="华北")
    assert parent.id is not None
    dealer = await w.dealer(name="北京金鼎家电有限公司", code="D0007", tier="B", region="华北", province="北京",
                            city="北京", parent_id=parent.id, credit_limit=Decimal("100000.00"))
    assert dealer.id is not None
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("101", Role.DEALER_CLERK, dealer)
    await w.user("200", Role.DEALER_OWNER, parent)
    await w.user("900", Role.FINANCE, username="qian")
    await w.uow.ledger.add(payment(dealer.id, "50000.00"))
    await w.uow.ledger.add(payment(dealer.id, "3000.00", account=AccountKind.REBATE, kind=EntryKind.REBATE_ACCRUAL))
    await w.uow.ledger.add(payment(dealer.id, "8000.00", account=AccountKind.DEPOSIT))
    await w.uow.ledger.add(payment(dealer.id, "-20000.00", account=AccountKind.CREDIT, kind=EntryKind.ADJUSTMENT))
    await w.uow.commit()
    return w, dealer.id, parent.id


@pytest.mark.parametrize(("said", "shown", "hidden"), [
    # the rebate account with what accrues and when it settles (issue 14): no contract here
    ("返利还有多少", "💴 返利余额：¥3,000.00\n计提中/待结算：¥0.00\n已结算累计：¥0.00\n暂无已签署的合同，没有计提中的返利。",
     "预存款"),
    ("预存款还有多少", "💰 预存款余额：¥50,000.00", "返利"),
    ("保证金多少", "🔒 保证金：¥8,000.00", "预存款"),
    ("信用额度还剩多少", "💳 信用额度：可用 ¥80,000.00（额度 ¥100,000.00，已用 ¥20,000.00）", "返利"),
])
async def test_each_account_by_name(said: str, shown: str, hidden: str) -> None:
    w, _, _ = await _world()
    replies = await w.say("101", said)
    text = replies[0].text
    assert text == shown and hidden not in text and "▓" not in text        # not the targets any more
    assert buttons(replies)["💰 全部账户余额"] == payload("acct.balance")
    assert buttons(replies)["📄 合同与账户"] == payload("acct.menu")
    full = texts(await w.press("101", payload("acct.balance")))
    assert "预存款：¥50,000.00" in full and "返利：¥3,000.00" in full and "保证金：¥8,000.00" in full


async def test_a_balance_question_without_an_account_still_shows_them_all() -> None:
    w, _, _ = await _world()
    text = texts(await w.say("100", "我的余额还有多少"))
    assert "预存款：¥50,000.00" in text and "信用额度：¥100,000.00（已用 ¥20,000.00，可用 ¥80,000.00）" in text


async def test_profile_with_tier_region_and_parent() -> None:
    w, _, _ = await _world()
    for said in ("我归哪个区", "我的上级是谁"):
        replies = await w.say("100", said)
        text = texts(replies)
        assert "编号：D0007" in text and "名称：北京金鼎家电有限公司" in text and "等级：B 级" in text
        assert "区域：华北（北京 北京）" in text and "上级经销商：D0001 华北总代理有限公司" in text
        assert "信用额度：¥100,000.00" in text and "状态：合作中" in text
        assert buttons(replies)["🏢 我的资料"] == payload("acct.profile")
    top = texts(await w.press("200", payload("acct.profile")))
    # a parent's profile names its sub-dealers (issue 16: it reads their orders, stock and sell-out) ...
    assert "上级经销商：无（直接向厂家进货）" in top and "下级经销商：D0007 北京金鼎家电有限公司" in top
    assert "¥100,000.00" not in top       # ... never their money: the sub-dealer's credit limit is not shown
    subs = texts(await w.press("200", buttons(await w.press("200", payload("acct.profile")))[
        "👥 下级经销商的订单、库存、动销"]))
    assert "D0007 北京金鼎家电有限公司" in subs and "📦 D0007 订单" in subs


async def test_english_account_and_profile() -> None:
    w, _, _ = await _world()
    assert (await w.say("100", "what is my rebate balance"))[0].text.startswith("💴 Rebate balance: ¥3,000.00\n")
    assert "💳 Credit: ¥80,000.00 available (limit ¥100,000.00, used ¥20,000.00)" in texts(
        await w.say("100", "my credit limit"))
    text = texts(await w.say("100", "what tier am I"))
    assert "Level: tier B" in text and "Parent dealer: D0001 华北总代理有限公司" in text and "Status: active" in text


async def test_staff_and_other_dealers() -> None:
    w, dealer_id, parent_id = await _world()
    refused = texts(await w.say("900", "返利还有多少"))
    # staff are told what their own job can do (QA s25 #14; was: "此功能仅供经销商用户使用")
    assert "没能把这句话对应到您能办理的事" in refused and "/today" in refused and "仅供经销商" not in refused
    with pytest.raises(NotFound):
        await dealer_profile(w.uow, dealer_user(parent_id), dealer_id)     # a parent does not read its sub-dealer
    assert (await dealer_profile(w.uow, dealer_user(dealer_id), dealer_id)).parent_code == "D0001"
