"""Credit terms (账期): what a dealer owes on credit and how much of it is past the terms, oldest use first
(core.ledger.credit_debt); who may read it (core.services.accounts); in chat: finance's "哪些经销商欠款逾期了", the
dealer's own balances and the ledger's head line."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.errors import NotFound, PermissionDenied
from core.ledger import credit_debt
from core.services.accounts import dealer_credit_debt, overdue_credit
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import at, dealer_user, fixed_clock, staff

TODAY = at("2026-12-07 10:00")
TZ = TODAY.tzinfo


def _entry(amount: str, days_ago: int, kind: EntryKind = EntryKind.ORDER_CHARGE, ref: str = "",
           dealer_id: int = 1) -> LedgerEntry:
    return LedgerEntry(dealer_id=dealer_id, account=AccountKind.CREDIT, amount=Decimal(amount), kind=kind, ref=ref,
                       created_at=TODAY - timedelta(days=days_ago))


def test_repayments_pay_the_oldest_use_first() -> None:
    entries = [_entry("-1000.00", 70, ref="SO-A"), _entry("-500.00", 40, ref="SO-B"), _entry("-300.00", 5, ref="SO-C"),
               _entry("1200.00", 2, EntryKind.CREDIT_REPAYMENT)]
    debt = credit_debt(entries, TODAY.date(), TZ, days=30)                            # type: ignore[arg-type]
    assert debt.outstanding == Decimal("600.00")          # 300 of SO-B and all of SO-C
    assert debt.overdue == Decimal("300.00")              # SO-B: 40 days, 10 past the terms; SO-C not yet due
    assert (debt.oldest_ref, debt.oldest_late_days) == ("SO-B", 10)
    assert debt.buckets == (Decimal("300.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def test_an_order_given_back_clears_its_own_use_not_the_oldest() -> None:
    entries = [_entry("-1000.00", 70, ref="SO-A"), _entry("-500.00", 40, ref="SO-B"),
               _entry("500.00", 3, EntryKind.ORDER_REFUND, ref="SO-B")]
    debt = credit_debt(entries, TODAY.date(), TZ, days=30)                            # type: ignore[arg-type]
    assert (debt.outstanding, debt.overdue, debt.oldest_ref, debt.oldest_late_days) == (
        Decimal("1000.00"), Decimal("1000.00"), "SO-A", 40)
    assert debt.buckets == (Decimal("0.00"), Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_the_terms_decide_what_is_overdue_and_nothing_owed_is_nothing_overdue() -> None:
    entries = [_entry("-800.00", 45, ref="SO-A")]
    assert credit_debt(entries, TODAY.date(), TZ, days=60).overdue == Decimal("0.00")  # type: ignore[arg-type]
    assert credit_debt(entries, TODAY.date(), TZ, days=30).overdue == Decimal("800.00")  # type: ignore[arg-type]
    paid = [*entries, _entry("800.00", 1, EntryKind.CREDIT_REPAYMENT)]
    assert credit_debt(paid, TODAY.date(), TZ).outstanding == Decimal("0.00")          # type: ignore[arg-type]
    long_ago = [_entry("-100.00", 200, ref="SO-Z")]
    assert credit_debt(long_ago, TODAY.date(), TZ).buckets[3] == Decimal("100.00")     # type: ignore[arg-type]


async def _world() -> tuple[ChatWorld, int, int]:
    w = ChatWorld(clock=fixed_clock("2026-12-07 10:00"))
    await w.catalogue()
    late = await w.dealer(name="沈阳佳家家电有限公司")
    fine = await w.dealer(name="南京宏达商贸有限公司")
    assert late.id is not None and fine.id is not None
    for entry in (_entry("-14272.53", 48, ref="SO-20261020-0001", dealer_id=late.id),
                  _entry("-2000.00", 10, ref="SO-20261127-0003", dealer_id=late.id),
                  _entry("-5000.00", 12, ref="SO-20261125-0001", dealer_id=fine.id)):
        await w.uow.ledger.add(entry)
    await w.uow.commit()
    await w.user("100", Role.DEALER_OWNER, late)
    await w.user("200", Role.DEALER_OWNER, fine)
    await w.user("900", Role.FINANCE, username="wu")
    await w.user("901", Role.AFTER_SALES, username="li")
    return w, late.id, fine.id


async def test_only_account_readers_list_the_overdue_and_a_dealer_reads_only_its_own() -> None:
    w, late, fine = await _world()
    rows = await overdue_credit(w.uow, staff(Role.FINANCE), w.clock)
    assert [(r.dealer_id, r.debt.overdue) for r in rows] == [(late, Decimal("14272.53"))]
    with pytest.raises(PermissionDenied):
        await overdue_credit(w.uow, dealer_user(late), w.clock)
    own = await dealer_credit_debt(w.uow, dealer_user(late), late, w.clock)
    assert own.outstanding == Decimal("16272.53") and own.oldest_late_days == 18
    with pytest.raises(NotFound):                                 # another dealer's: as if there were none
        await dealer_credit_debt(w.uow, dealer_user(fine), late, w.clock)


async def test_finance_asks_who_is_overdue_in_chat() -> None:
    w, late, _ = await _world()
    for said in ("哪些经销商欠款逾期了", "账龄", "逾期欠款", "谁的货款逾期了", "哪些经销商欠款逾期了 风险大的有哪些"):
        shown = await w.say("900", said)
        text = texts(shown)
        assert "账期 30 天，1 家" in text and "合计逾期 ¥14,272.53" in text, said
        assert "逾期 ¥14,272.53 / 欠款 ¥16,272.53（最早 10-20 SO-20261020-0001，超期 18 天）" in text
        assert "南京宏达" not in text                               # owes, but within the terms
        assert f"pay.ledger|{late}|0" in "".join(buttons(shown).values())
    ledger = texts(await w.press("900", payload("pay.ledger", late, 0)))
    assert "⚠️ 信用欠款 ¥16,272.53，其中逾期 ¥14,272.53" in ledger
    english = texts(await w.say("900", "who is overdue?"))
    assert "most overdue first" in english and "18 days late" in english
    assert "合计逾期" not in texts(await w.say("901", "哪些经销商欠款逾期了"))   # after-sales reads no accounts


async def test_the_dealer_sees_what_is_overdue_with_its_balances_and_the_other_dealer_nothing() -> None:
    w, _, _ = await _world()
    own = texts(await w.say("100", "我的信用额度还剩多少"))
    assert "其中逾期 ¥14,272.53（账期 30 天，最早 10-20 SO-20261020-0001，超期 18 天）" in own
    other = texts(await w.say("200", "我的信用额度还剩多少"))
    assert "逾期" not in other and "已用 ¥5,000.00" in other


async def test_management_asks_how_collections_go_and_what_is_overdue() -> None:
    """(was: "此功能仅供经销商用户使用"): payments received in the period said and the credit overdue, each late
    dealer to its ledger; a dealer asking the same words still gets its own payments, staff who read no
    accounts are refused."""
    w, late, fine = await _world()
    async with w.uow as u:
        for dealer_id, amount, days_ago in ((fine, "30000.00", 3), (late, "1000.00", 40)):
            await u.ledger.add(LedgerEntry(dealer_id=dealer_id, account=AccountKind.PREPAYMENT,
                                           amount=Decimal(amount), kind=EntryKind.PAYMENT,
                                           created_at=TODAY - timedelta(days=days_ago)))
        await u.commit()
    await w.user("950", Role.MANAGEMENT, username="zhou")
    shown = await w.say("950", "回款情况怎么样 逾期多少")
    said = texts(shown)
    assert "💰 本月（2026-12-01 至 2026-12-07）回款 ¥30,000.00，共 1 笔。" in said, said
    assert "· D" in said and "南京宏达商贸有限公司：¥30,000.00" in said
    assert "⚠️ 信用欠款逾期 ¥14,272.53（1 家，账期 30 天；今天为止）" in said
    assert "沈阳佳家家电有限公司：逾期 ¥14,272.53，超期 18 天" in said
    assert f"pay.ledger|{late}|0" in "".join(buttons(shown).values())
    assert "仅供经销商" not in said
    october = texts(await w.say("950", "10月回款情况怎么样"))
    assert "💰 2026年10月（2026-10-01 至 2026-10-31）回款 ¥1,000.00，共 1 笔。" in october, october
    assert "此功能仅限可查看经销商账户的同事使用" in texts(await w.say("901", "回款情况怎么样"))
    own = texts(await w.say("200", "回款情况怎么样"))                # a dealer: its own payments, not everyone's
    assert "近 60 天的到账记录" in own and "逾期" not in own and "沈阳" not in own
