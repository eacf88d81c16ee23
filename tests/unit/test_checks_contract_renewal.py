"""The contract expiry check drafts the renewal N days before the end through ``renew_contract``: run twice ->
one draft (next term, targets moved on a year, same tiers and duties, audited) and one notice to the channel
manager; nothing before the window; a contract already renewed (signed successor) gets no draft."""

from __future__ import annotations

from datetime import date

from core.contracts import ContractStatus
from notifications.checks import Checks, CheckSettings
from tests.factories import make_contract
from tests.fakes import FakeOutboxStore
from tests.unit.test_checks import MANAGER, scene


async def test_renewal_draft_is_made_once_and_the_channel_manager_told_once() -> None:
    s = await scene()
    ending = await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.ACTIVE,
                                                       ends_on=date(2026, 12, 31)))
    await s.w.uow.commit()
    s.checks = Checks(lambda: s.w.uow, FakeOutboxStore(s.w.uow), s.clock, CheckSettings(contract_renewal_days=20))

    s.clock.to(date(2026, 12, 10))                                       # 21 days left: not yet
    await s.checks.run("contract_expiry")
    assert len(s.w.uow.contracts.rows) == 1 and s.who("contract.renewal_draft") == []

    s.clock.to(date(2026, 12, 11))                                       # 20 days left
    await s.checks.run("contract_expiry")
    await s.checks.run("contract_expiry")
    s.clock.to(date(2026, 12, 12))
    await s.checks.run("contract_expiry")                                # the next day: still the same draft

    drafts = [c for c in s.w.uow.contracts.rows if c.id != ending.id]
    assert len(drafts) == 1
    (draft,) = drafts
    assert (draft.status, draft.dealer_id, draft.starts_on, draft.ends_on) == (
        ContractStatus.DRAFT, s.dealer_id, date(2027, 1, 1), date(2027, 12, 31))
    assert [t.period for t in draft.targets] == ["2027"] and draft.rebate_tiers == ending.rebate_tiers
    assert draft.marketing_duties == ending.marketing_duties and draft.number != ending.number
    [(who, params)] = s.rows("contract.renewal_draft")
    assert who == MANAGER
    assert (params["number"], params["renewal"], params["starts"], params["ends"]) == (
        ending.number, draft.number, "2027-01-01", "2027-12-31")
    renewals = [a for a in s.w.uow.audit.rows if a.action == "contract.renew"]
    assert len(renewals) == 1 and renewals[0].actor == "system"


async def test_no_draft_when_a_signed_successor_exists() -> None:
    s = await scene()
    ending = await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.ACTIVE,
                                                       ends_on=date(2026, 12, 20)))
    await s.w.uow.contracts.add(make_contract(s.dealer_id, status=ContractStatus.SIGNED, starts_on=date(2026, 12, 21),
                                              ends_on=date(2027, 12, 20), previous_id=ending.id))
    await s.w.uow.commit()

    assert await s.twice("contract_expiry") == 0
    assert len(s.w.uow.contracts.rows) == 2 and s.who("contract.renewal_draft") == []
