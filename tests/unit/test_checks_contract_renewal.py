"""The contract expiry check PROPOSES the renewal N days before the end; it drafts nothing by itself. The
channel manager is told once per contract (several contracts: one list with a "起草续签" button each); the
draft is made when the manager presses the button (``renew_contract`` with the manager as the actor: next
term, targets moved on a year, same tiers and duties, audited); pressing again drafts nothing new. A
contract already renewed (signed successor) is not proposed."""

from __future__ import annotations

from datetime import date

from core.contracts import ContractStatus
from notifications.checks import Checks, CheckSettings
from tests.chat import buttons, texts
from tests.factories import make_contract
from tests.fakes import FakeOutboxStore
from tests.unit.test_checks import MANAGER, scene


async def test_renewal_is_proposed_once_and_drafted_only_when_the_manager_asks() -> None:
    s = await scene()
    ending = await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.ACTIVE,
                                                       ends_on=date(2026, 12, 31)))
    await s.w.uow.commit()
    s.checks = Checks(lambda: s.w.uow, FakeOutboxStore(s.w.uow), s.clock, CheckSettings(contract_renewal_days=20))

    s.clock.to(date(2026, 12, 10))                                       # 21 days left: not yet
    await s.checks.run("contract_expiry")
    assert s.who("contract.renewal_due") == []

    s.clock.to(date(2026, 12, 11))                                       # 20 days left
    await s.checks.run("contract_expiry")
    await s.checks.run("contract_expiry")
    s.clock.to(date(2026, 12, 12))
    await s.checks.run("contract_expiry")                                # the next day: not told again
    [(who, params)] = s.rows("contract.renewal_due")
    assert who == MANAGER and (params["number"], params["id"], params["days"]) == (ending.number, ending.id, 20)
    assert len(s.w.uow.contracts.rows) == 1                              # nothing drafted by the check
    assert not [a for a in s.w.uow.audit.rows if a.action == "contract.renew"]

    [offer] = [r for r in await s.w.pushed(MANAGER) if "起草续签" in texts([r])]
    assert f"合同 {ending.number} 将于 2026-12-31 到期" in offer.text
    press = buttons([offer])["📝 起草续签草稿"]
    assert press == f"1|ctr.renew|{ending.id}"
    reply = texts(await s.w.press(MANAGER, press))

    drafts = [c for c in s.w.uow.contracts.rows if c.id != ending.id]
    assert len(drafts) == 1
    (draft,) = drafts
    assert (draft.status, draft.dealer_id, draft.starts_on, draft.ends_on) == (
        ContractStatus.DRAFT, s.dealer_id, date(2027, 1, 1), date(2027, 12, 31))
    assert [t.period for t in draft.targets] == ["2027"] and draft.rebate_tiers == ending.rebate_tiers
    assert draft.marketing_duties == ending.marketing_duties and draft.number != ending.number
    assert f"起草续签草稿 {draft.number}（2027-01-01 至 2027-12-31" in reply
    assert f"/backoffice/contracts/{draft.id}" in reply
    renewals = [a for a in s.w.uow.audit.rows if a.action == "contract.renew"]
    assert len(renewals) == 1 and renewals[0].actor != "system"         # the person who asked

    again = texts(await s.w.press(MANAGER, press))                       # pressed twice: the same draft
    assert f"已有续签 {draft.number}" in again
    assert len(s.w.uow.contracts.rows) == 2
    await s.checks.run("contract_expiry")                                # a draft with targets stands for it
    assert len(s.rows("contract.renewal_due")) == 1


async def test_a_dealer_cannot_press_the_renewal_button() -> None:
    s = await scene()
    ending = await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.ACTIVE,
                                                       ends_on=date(2026, 12, 20)))
    await s.w.uow.commit()
    from tests.unit.test_checks import DEALER
    said = texts(await s.w.press(DEALER, f"1|ctr.renew|{ending.id}"))
    assert "权限" in said and len(s.w.uow.contracts.rows) == 1


async def test_several_renewals_are_one_list_with_a_button_per_contract() -> None:
    s = await scene()
    numbers = []
    for n in range(7):
        dealer = await s.w.dealer(name=f"续签经销商{n}", region="华东")
        assert dealer.id is not None
        c = await s.w.uow.contracts.add(make_contract(dealer.id, status=ContractStatus.ACTIVE, ends_on=date(2026, 12, 20)))
        numbers.append(c.number)
    await s.w.uow.commit()
    await s.twice("contract_expiry")
    [offer] = [r for r in await s.w.pushed(MANAGER) if "可以起草续签" in r.text]
    assert offer.text.startswith("📝 7 份合同可以起草续签")
    assert "……还有 2 条" in offer.text and "生成续签草稿" in offer.text
    renew_buttons = [b for row in offer.buttons for b in row if b.payload.startswith("1|ctr.renew|")]
    assert [b.label for b in renew_buttons] == [f"📝 起草续签 {n}" for n in numbers[:5]]
    assert len(s.w.uow.contracts.rows) == 7                               # still nothing drafted


async def test_no_proposal_when_a_signed_successor_exists() -> None:
    s = await scene()
    ending = await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.ACTIVE,
                                                       ends_on=date(2026, 12, 20)))
    await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.SIGNED, starts_on=date(2026, 12, 21),
                                              ends_on=date(2027, 12, 20), previous_id=ending.id))
    await s.w.uow.commit()

    assert await s.twice("contract_expiry") == 0
    assert len(s.w.uow.contracts.rows) == 2 and s.who("contract.renewal_due") == []
