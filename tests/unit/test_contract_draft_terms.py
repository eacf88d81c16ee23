"""Targets and the rebate ladder typed into a draft (rows of the back-office form), a product-scoped target
counted in execution, staff discarding a draft, and the renewal never blocked by an empty draft."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from core.contract_rules import TargetRow, TierRow, render_contract_text, terms_from_rows
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.errors import BusinessRuleViolation, ValidationFailed
from core.orders import Order, OrderLine, OrderStatus
from core.services import contract_docs as docs
from core.services import contracts as svc
from core.users import Role
from tests.factories import at, dealer_user, fixed_clock, make_contract, make_dealer, make_product, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
MANAGER = staff(Role.CHANNEL_MANAGER, "wang")
START, END = date(2027, 1, 1), date(2027, 12, 31)


def test_rows_become_targets_and_tiers() -> None:
    terms = terms_from_rows(START, END, (
        TargetRow("Y", "amount", "30万"),
        TargetRow("2027-q2", "quantity", "120", "category", " 空调 "),
        TargetRow("M03", "amount", "50,000", "sku", "AP300"),
        TargetRow("", "amount", "", "all", ""),                      # the blank row left for adding: skipped
    ), (TierRow("100", "3"), TierRow("80%", "1.5"), TierRow("", "")), ())
    assert terms.targets == (
        SalesTarget("2027", TargetMetric.AMOUNT, D("300000.00")),
        SalesTarget("2027-Q2", TargetMetric.QUANTITY, D("120"), "空调"),
        SalesTarget("2027-03", TargetMetric.AMOUNT, D("50000.00"), "sku:AP300"),
    )
    assert terms.rebate_tiers == (RebateTier(D("0.8000"), D("0.0150")), RebateTier(D("1.0000"), D("0.0300")))


@pytest.mark.parametrize(("rows", "zh", "en"), [
    ((TargetRow("2027", "amount", "1"), TargetRow("2027-13", "amount", "5")), "第 2 行目标：期间“2027-13”",
     "Target row 2: the period '2027-13'"),
    ((TargetRow("2027", "amount", "abc"),), "第 1 行目标：目标值“abc”不是数字", "is not a number"),
    ((TargetRow("2027", "quantity", "10.5"),), "数量目标必须是整数", "whole number"),
    ((TargetRow("2027", "amount", "-5"),), "目标值必须大于 0", "greater than zero"),
    ((TargetRow("2027", "amount", "5", "category", ""),), "请填写品类名称", "give the category"),
    ((TargetRow("2027", "amount", "5", "sku", " "),), "请填写产品编码", "give the product code"),
    ((TargetRow("2028", "amount", "5"),), "期间 2028 不在合同期限", "outside the contract term"),
    ((TargetRow("2027", "amount", "5"), TargetRow("Y", "amount", "6")), "第 2 行目标：与前面一行", "repeats"),
])
def test_a_bad_row_is_named_in_both_languages(rows: tuple[TargetRow, ...], zh: str, en: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        terms_from_rows(START, END, rows, (), ())
    assert zh in err.value.message("zh") and en in err.value.message("en")


@pytest.mark.parametrize(("tiers", "zh"), [
    ((TierRow("80", "abc"),), "第 1 行返利档位：返利比例须为百分数"),
    ((TierRow("80", "1"), TierRow("80", "2")), "第 2 行返利档位：与前面一档的达成率相同"),
    ((TierRow("80", "120"),), "返利比例须在 0 到 100% 之间"),
])
def test_a_bad_tier_is_named(tiers: tuple[TierRow, ...], zh: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        terms_from_rows(START, END, (TargetRow("2027", "amount", "1"),), tiers, ())
    assert zh in err.value.message("zh")


async def _draft(uow: FakeUnitOfWork, dealer_id: int, **overrides: object) -> Contract:
    values: dict[str, object] = dict(starts_on=START, ends_on=END, targets=[], rebate_tiers=[], created_at=CLOCK.now())
    values.update(overrides)
    contract = await uow.contracts.add(make_contract(dealer_id, **values))
    await uow.commit()
    return contract


async def test_set_draft_terms_checks_the_catalogue_and_audits() -> None:
    uow = FakeUnitOfWork()
    dealer = await uow.dealers.add(make_dealer())
    await uow.products.add(make_product("AP300", category="净化器"))
    draft = await _draft(uow, dealer.id or 0)

    for row, zh in ((TargetRow("2027", "amount", "9", "category", "冰箱"), "没有品类“冰箱”的产品"),
                    (TargetRow("2027", "amount", "9", "sku", "ZZ9"), "没有产品 ZZ9")):
        with pytest.raises(ValidationFailed) as err:
            await docs.set_draft_terms(uow, MANAGER, docs.SetDraftTerms(draft.id or 0, (row,)), CLOCK)
        assert zh in err.value.message("zh")
    assert (await uow.contracts.get(draft.id or 0)).targets == []  # type: ignore[union-attr]

    saved = await docs.set_draft_terms(uow, MANAGER, docs.SetDraftTerms(draft.id or 0, (
        TargetRow("2027", "amount", "600000"), TargetRow("2027-Q1", "quantity", "50", "sku", "AP300")),
        (TierRow("90", "2"),)), CLOCK)
    assert [t.product_group for t in saved.targets] == [None, "sku:AP300"]
    assert saved.rebate_tiers == [RebateTier(D("0.9000"), D("0.0200"))]
    (entry,) = [a for a in uow.audit.rows if a.action == "contract.terms"]
    assert entry.actor == "staff:wang" and entry.before == {"targets": [], "rebate_tiers": []}
    assert entry.after["targets"][1] == {"period": "2027-Q1", "metric": "quantity", "value": "50",
                                         "product_group": "sku:AP300"}
    text = render_contract_text(saved, dealer)
    assert "2027年第1季度，产品“AP300”进货数量不低于50件" in text

    # the ladder is kept when only targets are sent; a sent contract is not edited here
    kept = await docs.set_draft_terms(uow, MANAGER, docs.SetDraftTerms(draft.id or 0, (
        TargetRow("2027", "amount", "700000"),)), CLOCK)
    assert kept.rebate_tiers == [RebateTier(D("0.9000"), D("0.0200"))] and len(kept.targets) == 1
    await svc.send_contract(uow, MANAGER, svc.SendContract(draft.id or 0), CLOCK)
    with pytest.raises(Exception, match="edit"):
        await docs.set_draft_terms(uow, MANAGER, docs.SetDraftTerms(draft.id or 0, ()), CLOCK)


async def test_sending_a_draft_without_targets_says_where_to_enter_them() -> None:
    uow = FakeUnitOfWork()
    dealer = await uow.dealers.add(make_dealer())
    draft = await _draft(uow, dealer.id or 0)
    with pytest.raises(BusinessRuleViolation) as err:
        await svc.send_contract(uow, MANAGER, svc.SendContract(draft.id or 0), CLOCK)
    assert "至少需要一个销售目标" in err.value.message("zh") and draft.number in err.value.message("zh")
    assert "enter the targets" in err.value.message("en")


async def test_a_product_target_counts_only_that_product() -> None:
    uow = FakeUnitOfWork()
    dealer = await uow.dealers.add(make_dealer())
    await uow.products.add(make_product("AP300", category="净化器"))
    await uow.products.add(make_product("AP500", category="净化器"))
    did = dealer.id or 0
    lines = [OrderLine(sku="AP300", name="AP300", qty=4, unit_price=D("1000.00")),
             OrderLine(sku="AP500", name="AP500", qty=6, unit_price=D("2000.00"))]
    await uow.orders.add(Order(number="SO-1", dealer_id=did, lines=lines, status=OrderStatus.APPROVED,
                               total=D("16000.00"), created_at=at("2026-03-01 10:00")))
    contract = await uow.contracts.add(make_contract(did, status=ContractStatus.ACTIVE, targets=[
        SalesTarget("2026", TargetMetric.QUANTITY, D("10"), "sku:AP300"),
        SalesTarget("2026", TargetMetric.QUANTITY, D("10"), "净化器")]))
    await uow.commit()
    sku, category = (await svc.contract_execution(uow, dealer_user(did), contract.id or 0, CLOCK)).targets
    assert (sku.actual_quantity, sku.actual_amount) == (4, D("4000.00"))
    assert (category.actual_quantity, category.actual_amount) == (10, D("16000.00"))


async def _ending_and_empty_draft() -> tuple[FakeUnitOfWork, Contract, Contract]:
    uow = FakeUnitOfWork()
    dealer = await uow.dealers.add(make_dealer())
    ending = await uow.contracts.add(make_contract(dealer.id or 0, status=ContractStatus.ACTIVE))
    await uow.commit()
    empty = await _draft(uow, dealer.id or 0)         # from a template, nobody entered targets
    return uow, ending, empty


async def test_an_empty_draft_does_not_block_the_renewal() -> None:
    uow, ending, empty = await _ending_and_empty_draft()
    renewal = await docs.renew_contract(uow, MANAGER, docs.RenewContract(ending.id or 0), CLOCK)
    assert renewal.id != empty.id
    assert (renewal.starts_on, [t.period for t in renewal.targets]) == (date(2027, 1, 1), ["2027"])
    again = await docs.renew_contract(uow, MANAGER, docs.RenewContract(ending.id or 0), CLOCK)
    assert again.id == renewal.id                       # a renewal with targets is found, not made twice
    await svc.send_contract(uow, MANAGER, svc.SendContract(renewal.id or 0), CLOCK)
    assert (await uow.contracts.get(renewal.id or 0)).status == ContractStatus.SENT  # type: ignore[union-attr]


async def test_a_draft_with_targets_still_stands_for_the_renewal() -> None:
    uow, ending, empty = await _ending_and_empty_draft()
    await docs.set_draft_terms(uow, MANAGER, docs.SetDraftTerms(empty.id or 0, (
        TargetRow("2027", "amount", "800000"),)), CLOCK)
    renewal = await docs.renew_contract(uow, MANAGER, docs.RenewContract(ending.id or 0), CLOCK)
    assert renewal.id == empty.id and len(uow.contracts.rows) == 2


async def test_staff_discard_a_draft_with_a_reason_audited() -> None:
    uow, ending, empty = await _ending_and_empty_draft()
    with pytest.raises(ValidationFailed):
        await docs.discard_draft(uow, MANAGER, docs.DiscardDraft(empty.id or 0, "  "), CLOCK)
    with pytest.raises(Exception, match="permission|allowed"):
        await docs.discard_draft(uow, staff(Role.MARKETING), docs.DiscardDraft(empty.id or 0, "x"), CLOCK)
    done = await docs.discard_draft(uow, MANAGER, docs.DiscardDraft(empty.id or 0, "填错模板"), CLOCK)
    assert done.status == ContractStatus.TERMINATED and "填错模板" in (done.status_reason or "")
    (entry,) = [a for a in uow.audit.rows if a.action == "contract.discard"]
    assert entry.before["status"] == "draft" and entry.after["status"] == "terminated"
    with pytest.raises(BusinessRuleViolation) as err:
        await docs.discard_draft(uow, MANAGER, docs.DiscardDraft(ending.id or 0, "x"), CLOCK)
    assert "只有草稿可以作废" in err.value.message("zh")
    drafts = await svc.list_contracts(uow, MANAGER, status=ContractStatus.DRAFT)
    assert empty.id not in [c.id for c in drafts]


def test_scope_names_in_text() -> None:
    from core.contracts import scope_name
    from core.services.rebates import target_label
    assert (scope_name(None), scope_name("空调"), scope_name("sku:AP300"), scope_name("sku:AP300", "en")) == (
        None, "空调", "产品 AP300", "product AP300")
    assert target_label("2027-Q1", "sku:AP300", TargetMetric.AMOUNT) == "2027-Q1（产品 AP300）"
    assert target_label("2027", "空调", TargetMetric.QUANTITY, "en") == "2027 (空调, by units)"
