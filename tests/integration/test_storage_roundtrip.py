"""Every aggregate survives a write and a fresh read with its children, value objects and Python types."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Any

import pytest
from sqlalchemy import inspect

from core.accounts import (
    AccountKind,
    EntryKind,
    FinanceRequest,
    FinanceRequestKind,
    FinanceRequestStatus,
    LedgerEntry,
    Statement,
    StatementStatus,
)
from core.aftersales import Priority, Ticket, TicketComment, TicketStatus
from core.aliases import DealerAlias
from core.audit import AuditEntry
from core.banking import BankRowRecord, BankRowStatus
from core.campaigns import (
    Campaign,
    CampaignParticipation,
    CampaignStatus,
    MarketingMaterial,
    MaterialRequest,
    ParticipationStatus,
    RequestStatus,
)
from core.contract_templates import ContractSignature, ContractTemplate, DutyMark
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.credit import CreditChange, CreditChangeKind, CreditChangeStatus
from core.dealers import Address, Contact, Dealer, DealerStatus, DocumentType, Qualification, ReviewStatus
from core.dialogs import DialogState, InboundReceipt
from core.expenses import ClaimStatus, ExpenseClaim, StaffTask, TaskStatus
from core.faq import FaqEntry, QuestionStatus, StaffQuestion
from core.idempotency import IdempotencyRecord
from core.inventory import (
    DealerStock,
    StockLevel,
    StockThreshold,
    ThresholdScope,
    Transfer,
    TransferLine,
    TransferStatus,
    Warehouse,
)
from core.orders import Order, OrderEvent, OrderLine, OrderStatus
from core.otp import SigningCode
from core.outbox import Category, NotificationPreference, OutboxMessage, OutboxStatus
from core.products import (
    DealerAllowedSku,
    DealerPrice,
    Product,
    Promotion,
    PromotionKind,
    PromotionTier,
    TierPrice,
)
from core.quality import CorrectiveStatus, QualityFeedback
from core.rebates import RebateSettlement, SettlementStatus
from core.sellout import CustomerType, SellOutLine
from core.transfers import StockSharing
from core.users import ApiKey, ChatIdentity, InviteCode, InviteKind, Role, User
from storage.orm import TABLES, start_mappers
from storage.uow import REPOSITORIES, SqlAlchemyUnitOfWork
from tests.factories import at

T0 = at("2026-11-26 10:00")      # Shanghai time; comes back as the same instant in UTC
T1 = at("2026-11-27 15:30")
DAY = date(2026, 11, 26)


@dataclass
class World:
    """Rows the aggregates under test refer to."""

    dealer: int
    warehouse: int
    user: int
    campaign: int
    material: int
    qualification: int
    contract: int
    faq_entry: int
    template: int
    api_key: int


async def seed(uow: SqlAlchemyUnitOfWork) -> World:
    async with uow:
        dealer = await uow.dealers.add(Dealer(code="D0000", name="上海总代", uscc="91310000MA1FL00000",
                                              province="上海", city="上海", region="华东"))
        assert dealer.id is not None
        warehouse = await uow.warehouses.add(Warehouse(code="WH-SH", name="上海仓", region="华东"))
        user = await uow.users.add(User(username="wang", display_name="王", role=Role.DEALER_OWNER,
                                        dealer_id=dealer.id))
        campaign = await uow.campaigns.add(Campaign(code="C0", name="春季", starts_on=DAY, ends_on=DAY))
        material = await uow.materials.add(MarketingMaterial(code="M0", name="海报"))
        qualification = await uow.qualifications.add(Qualification(
            dealer_id=dealer.id, doc_type=DocumentType.BUSINESS_LICENSE, number="OLD", issued_on=None,
            expires_on=None))
        contract = await uow.contracts.add(Contract(number="HT-2026-0001", dealer_id=dealer.id,
                                                    starts_on=DAY, ends_on=DAY))
        faq_entry = await uow.faq_entries.add(FaqEntry(question_zh="发票？", answer_zh="可开专票"))
        template = await uow.contract_templates.add(ContractTemplate(name="标准经销合同", body="{dealer}"))
        key = await uow.api_keys.add(ApiKey(name="erp0", prefix="dms_seed0000", key_hash="0" * 64))
        await uow.commit()
    ids = (dealer.id, warehouse.id, user.id, campaign.id, material.id, qualification.id, contract.id, faq_entry.id,
           template.id, key.id)
    assert all(isinstance(i, int) for i in ids)
    return World(*ids)  # type: ignore[arg-type]


def build(name: str, w: World) -> Any:
    """A fully populated aggregate: every optional field set, nothing at its default where avoidable."""
    builders: dict[str, Any] = {
        "dealers": lambda: Dealer(
            code="D0001", name="上海华信电器有限公司", uscc="91310000MA1FL00001", province="上海", city="上海",
            region="华东", tier="A", business_scope="家用电器批发", parent_id=w.dealer,
            status=DealerStatus.SUSPENDED, status_reason="资质过期", status_changed_at=T1,
            credit_limit=Decimal("50000.50"), temporary_credit=Decimal("20000.00"),
            temporary_credit_until=date(2026, 12, 31), sub_accounts_visible=True, approves_sub_orders=True,
            contacts=[Contact(name="王经理", phone="13800138000", role="老板", id_number="310101199001011234"),
                      Contact(name="李会计", phone="13900139000", role="财务", id_number="310101199202021111")],
            addresses=[Address(kind="warehouse", province="上海", city="上海", district="浦东新区",
                               detail="世纪大道1号")],
            created_at=T0),
        "qualifications": lambda: Qualification(
            dealer_id=w.dealer, doc_type=DocumentType.AUTHORIZATION, number="SQ-2026-001",
            issued_on=date(2026, 1, 1), expires_on=date(2027, 12, 31), file_ref="docs/sq-001.pdf",
            status=ReviewStatus.REJECTED, reject_reason="盖章不清晰", replaces_id=w.qualification,
            reviewed_by="staff:zhang", reviewed_at=T1, created_at=T0),
        "products": lambda: Product(
            sku="KJ-500", name="空气净化器 500 型", category="净化器", unit="台", list_price=Decimal("1999.00"),
            aliases=["500型", "KJ500", "净化器五百"], pack_size=2, moq=5, active=False, max_line_qty=600),
        "tier_prices": lambda: TierPrice(tier="A", sku="KJ-500", price=Decimal("1500.10")),
        "dealer_prices": lambda: DealerPrice(dealer_id=w.dealer, sku="KJ-500", price=Decimal("1450.55")),
        "allowed_skus": lambda: DealerAllowedSku(dealer_id=w.dealer, sku="KJ-500"),
        "promotions": lambda: Promotion(
            code="P-1212", name="双十二", kind=PromotionKind.TIERED, starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 12), skus=["KJ-500", "KJ-700"], dealer_tiers=["A", "B"],
            percent=Decimal("12.5"), buy_qty=10, free_qty=1,
            tiers=[PromotionTier(Decimal("10000.00"), Decimal("3")), PromotionTier(Decimal("50000.00"), Decimal("5.5"))],
            budget=Decimal("20000.00"), spent=Decimal("1234.56"), active=False),
        "ledger": lambda: LedgerEntry(
            dealer_id=w.dealer, account=AccountKind.REBATE, amount=Decimal("-1234.56"),
            kind=EntryKind.ORDER_CHARGE, ref="SO-20261126-0001", note="订单扣款", created_by="system",
            created_at=T0, method="bank_transfer", paid_on=date(2026, 11, 25), attachment="files/r.jpg",
            reverses_id=7, source="api:1:k-1", approved_by="staff:wu"),
        "statements": lambda: Statement(
            dealer_id=w.dealer, period="2026-10", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
            opening_balance=Decimal("100.00"), orders_total=Decimal("-2500.25"), payments_total=Decimal("3000.00"),
            rebates_total=Decimal("12.34"), closing_balance=Decimal("612.09"),
            lines=[{"date": "2026-10-03", "text": "货款", "amount": "3000.00"}],
            status=StatementStatus.DISPUTED, dispute_reason="返利金额不对", decided_by="dealer:1:wang",
            decided_at=T1, created_at=T0,
            accounts=[{"account": "prepayment", "label_zh": "预存款", "label_en": "Prepayment", "opening": "100.00",
                       "closing": "3100.00", "entries": [{"date": "2026-10-03", "kind": "payment", "ref": "B-1",
                                                          "amount": "3000.00", "balance": "3100.00"}]}],
            due_on=date(2026, 11, 13), confirm_days=7, sent_at=T0, reminded_at=T1,
            dispute_lines=["2026-10-03 · prepayment · B-1 · ¥3,000.00"], answer="已核对，返利按季度结算",
            answered_by="staff:wu", answered_at=T1),
        "contracts": lambda: Contract(
            number="HT-2026-0001", dealer_id=w.dealer, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
            targets=[SalesTarget("2026", TargetMetric.AMOUNT, Decimal("1000000.00")),
                     SalesTarget("2026-Q3", TargetMetric.QUANTITY, Decimal("500"), product_group="净化器")],
            rebate_tiers=[RebateTier(Decimal("0.8"), Decimal("0.01")), RebateTier(Decimal("1.0"), Decimal("0.02"))],
            marketing_duties=["门店陈列不少于2个展位", "每季度一次促销活动"], status=ContractStatus.SIGNED, version=2,
            previous_id=w.contract, sent_at=T0, status_reason="续签", signed_text="合同全文……",
            signed_sha256="ab" * 32, signed_at=T1, signed_by="dealer:1:wang", body="甲方：{dealer}",
            template_id=w.template, created_at=T0),
        "orders": lambda: Order(
            number="SO-20261126-0001", dealer_id=w.dealer,
            lines=[OrderLine(sku="KJ-500", name="空气净化器 500 型", qty=3, unit_price=Decimal("1500.00"),
                             discount=Decimal("45.00"), free_qty=1, promotion_code="P-1212"),
                   OrderLine(sku="KJ-700", name="空气净化器 700 型", qty=1, unit_price=Decimal("2999.90"),
                             discount=Decimal("0.10"), free_qty=0, promotion_code="P-1111")],
            status=OrderStatus.APPROVED, total=Decimal("7454.80"), requested_delivery=date(2026, 12, 1),
            warehouse_id=w.warehouse, client_request_key="tg:123:456", placed_by="staff:zhang", on_behalf=True,
            approval_reasons=["超出信用额度", "首单"], paid_from_rebate=Decimal("100.00"),
            paid_from_prepayment=Decimal("7000.00"), paid_from_credit=Decimal("354.80"), carrier="顺丰",
            tracking_no="SF123", reject_reason="无", note="加急",
            events=[OrderEvent(status=OrderStatus.SUBMITTED, actor="staff:zhang", at=T0, note="代客下单"),
                    OrderEvent(status=OrderStatus.APPROVED, actor="staff:li", at=T1, note="同意")],
            created_at=T0, updated_at=T1, version=1, parent_approval="approved", held_reason="拖欠货款"),
        "warehouses": lambda: Warehouse(code="WH-BJ", name="北京仓", region="华北", province="北京", city="北京"),
        "stock": lambda: StockLevel(warehouse_id=w.warehouse, sku="KJ-500", on_hand=120, reserved=7, updated_at=T0),
        "dealer_stock": lambda: DealerStock(dealer_id=w.dealer, sku="KJ-500", qty=12, reported_at=T0),
        "thresholds": lambda: StockThreshold(scope=ThresholdScope.DEALER, scope_id=w.dealer, sku="KJ-500",
                                             low=5, high=50, safety=2, source="dealer"),
        "transfers": lambda: Transfer(
            number="DB-20261126-0001", from_scope=ThresholdScope.WAREHOUSE, from_id=w.warehouse,
            to_scope=ThresholdScope.DEALER, to_id=w.dealer,
            lines=[TransferLine("KJ-500", 3), TransferLine("KJ-700", 1)], status=TransferStatus.SHIPPED,
            created_by="staff:zhang", created_at=T0, requested_by_dealer_id=w.dealer, needs_maker_approval=True,
            note="急用", approved_by="staff:liu", approved_at=T0, shipped_at=T1, received_at=T1,
            closed_by="dealer:1:li", close_reason="-", updated_at=T1),
        "stock_sharing": lambda: StockSharing(
            dealer_id=w.dealer, with_maker=True, with_region=True, with_network=False, show_name=True,
            skus=["KJ-500"], transfer_approval=False, updated_at=T0, updated_by="dealer:1:li"),
        "sellout": lambda: SellOutLine(
            dealer_id=w.dealer, sold_on=DAY, sku="KJ-500", qty=2, amount=Decimal("3998.00"), province="江苏",
            city="南京", customer_type=CustomerType.PROJECT, reported_at=T0),
        "campaigns": lambda: Campaign(
            code="C-2026-01", name="五一促销", starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 7),
            description="门店堆头", support="展架+补贴", budget=Decimal("80000.00"), spent=Decimal("1200.50"),
            target_regions=["华东", "华南"], target_tiers=["A"], target_dealer_ids=[w.dealer, 99],
            skus=["KJ-500"], status=CampaignStatus.LAUNCHED, created_at=T0),
        "participations": lambda: CampaignParticipation(
            campaign_id=w.campaign, dealer_id=w.dealer, status=ParticipationStatus.APPROVED,
            report_text="完成陈列", report_photos=["p/1.jpg", "p/2.jpg"], new_customers=14, review_note="好",
            reviewed_by="staff:ma", reviewed_at=T1, joined_at=T0, reported_at=T1),
        "materials": lambda: MarketingMaterial(code="M-POSTER", name="海报", stock=300, min_tier="B"),
        "material_requests": lambda: MaterialRequest(
            dealer_id=w.dealer, material_id=w.material, qty=20, reason="新店开业", status=RequestStatus.REJECTED,
            reject_reason="库存不足", requested_by="dealer:1:wang", decided_by="staff:ma", decided_at=T1,
            created_at=T0, dispatched_by="staff:ma", dispatched_at=T1),
        "tickets": lambda: Ticket(
            number="AS-20261126-0001", dealer_id=w.dealer, description="开机异响", customer_name="赵先生",
            customer_phone="13700137000", sku="KJ-500", serial_no="SN0001", order_number="SO-20261126-0001",
            photos=["t/1.jpg"], priority=Priority.URGENT, sla_due_at=T1, status=TicketStatus.RESOLVED,
            assignee="staff:after", resolution="更换风扇", satisfaction=5, reject_reason="无",
            resolved_at=T1, created_by="staff:zhang",
            comments=[TicketComment(author="staff:after", text="已受理", at=T0, status=TicketStatus.ACCEPTED),
                      TicketComment(author="dealer:1:wang", text="谢谢", at=T1, status=None)],
            created_at=T0, updated_at=T1),
        "quality": lambda: QualityFeedback(
            number="QF-20261126-0001", dealer_id=w.dealer, sku="KJ-500", defect_category="噪音", count=3,
            description="批量异响", batch="B2026-10", photos=["q/1.jpg"], ticket_numbers=["AS-20261126-0001"],
            corrective_status=CorrectiveStatus.ACTION_PLANNED, corrective_note="更换供应商",
            handled_by="staff:qa", created_by="dealer:1:wang", created_at=T0, updated_at=T1),
        "users": lambda: User(
            username="li", display_name="李四", role=Role.DEALER_CLERK, dealer_id=w.dealer, phone="13600136000",
            password_hash="$argon2id$v=19$xyz", language="en", active=False, created_at=T0),
        "identities": lambda: ChatIdentity(channel="telegram", external_id="123456789", user_id=w.user,
                                           bound_at=T0),
        "invites": lambda: InviteCode(
            code="INV-ABC123", kind=InviteKind.DEALER, expires_at=T1, dealer_id=w.dealer, username="zhao",
            role=Role.DEALER_OWNER, used_at=T0, used_by_user_id=w.user, created_at=T0),
        "api_keys": lambda: ApiKey(
            name="erp", prefix="dms_ab12", key_hash="f" * 64, scopes=["orders:read", "stock:write"],
            dealer_id=w.dealer, created_at=T0, revoked_at=T1, last_used_at=T1),
        "audit": lambda: AuditEntry(
            actor="staff:zhang", action="order.approve", entity="order", entity_id="SO-20261126-0001", at=T0,
            before={"status": "submitted", "total": "7454.80"},
            after={"status": "approved", "reasons": ["超出信用额度"], "nested": {"n": 1, "ok": True}}),
        "dialogs": lambda: DialogState(
            channel="wecom", chat_id="zhangsan", state="order.cart",
            data={"cart": [{"sku": "KJ-500", "qty": 2}], "dealer_id": w.dealer, "note": "加急"},
            language="en", updated_at=T0),
        "receipts": lambda: InboundReceipt(channel="telegram", key="update:123456", received_at=T0),
        "outbox": lambda: OutboxMessage(
            dedup_key="order.approved:SO-20261126-0001:e2:u1", kind="order.approved", category=Category.ORDER,
            params={"number": "SO-20261126-0001", "doc": {"zh": "营业执照", "en": "Business licence"}, "n": [1, 2]},
            user_id=w.user, channel="telegram", chat_id="123456789", urgent=True, status=OutboxStatus.FAILED,
            attempts=2, next_attempt_at=T1, last_error="timeout", created_at=T0, sent_at=T1,
            delivered_to="telegram:123456789",
            claimed_by="host:42", claimed_at=T0),
        "preferences": lambda: NotificationPreference(user_id=w.user, muted=["digest", "stock"], channel="telegram",
                                                      updated_at=T0),
        "dealer_aliases": lambda: DealerAlias(dealer_id=w.dealer, word="空净", sku="KJ-500", created_by="dealer:1:wang",
                                              created_at=T0),
        "faq_entries": lambda: FaqEntry(
            question_zh="多久发货？", answer_zh="付款后 48 小时内发货。", question_en="When do you ship?",
            answer_en="Within 48 hours of payment.", tags=["发货", "物流"], variants=["几天发货"], active=False,
            source="import:faq.md", created_at=T0, updated_at=T1),
        "staff_questions": lambda: StaffQuestion(
            channel="telegram", chat_id="123456789", question="能开专票吗？", request_key="faq:abc",
            asked_by="上海华信电器（D0001）· li", language="en", dealer_id=w.dealer,
            status=QuestionStatus.ANSWERED, answer="可以", answered_by="staff:wang", answered_at=T1,
            faq_entry_id=w.faq_entry, created_at=T0),
        "contract_templates": lambda: ContractTemplate(
            name="年度经销合同", body="甲方：{dealer}\n期限：{period}", term_months=24,
            targets=[SalesTarget("YEAR", TargetMetric.AMOUNT, Decimal("500000.00"))],
            rebate_tiers=[RebateTier(Decimal("0.9"), Decimal("0.015"))], marketing_duties=["门店陈列"],
            active=False, created_at=T0, updated_at=T1),
        "signing_codes": lambda: SigningCode(
            contract_id=w.contract, user_id=w.user, code_hash="c" * 64, salt="s" * 32, text_sha256="ab" * 32,
            expires_at=T1, attempts=2, used_at=T1, revoked=True, created_at=T0),
        "contract_signatures": lambda: ContractSignature(
            contract_id=w.contract, number="HT-2026-0001", version=1, dealer_id=w.dealer, signer="dealer:1:wang",
            signer_user_id=w.user, channel="telegram", origin="123456789", text_sha256="ab" * 32,
            pdf_sha256="cd" * 32, pdf_key="files/ab.pdf", signed_at=T1),
        "duty_marks": lambda: DutyMark(contract_id=w.contract, duty_index=1, done=False, note="照片已核",
                                       marked_by="staff:ma", marked_at=T1),
        "rebate_settlements": lambda: RebateSettlement(
            contract_id=w.contract, contract_number="HT-2026-0001", dealer_id=w.dealer, period="2026",
            period_end=date(2026, 12, 31), achieved_amount=Decimal("950000.00"), achievement=Decimal("0.95"),
            rate=Decimal("0.01"), amount=Decimal("9500.00"), status=SettlementStatus.APPROVED,
            proposed_by="system", decided_by="staff:fin", decided_at=T1, note="同意", created_at=T0,
            target_key="2026|quantity|空调", product_group="空调", metric=TargetMetric.QUANTITY,
            accrued_amount=Decimal("12000.00")),
        "credit_changes": lambda: CreditChange(
            number="CR-20261204-0001", dealer_id=w.dealer, kind=CreditChangeKind.TEMPORARY,
            amount=Decimal("30000.00"), reason="旺季备货", requested_by="staff:zhou", previous_limit=Decimal("50000.00"),
            until=date(2027, 1, 31), status=CreditChangeStatus.APPROVED, decided_by="staff:wu", decided_at=T1,
            decision_note="同意", created_at=T0),
        "finance_requests": lambda: FinanceRequest(
            number="FR-20261204-0001", dealer_id=w.dealer, account=AccountKind.DEPOSIT, amount=Decimal("-12000.50"),
            kind=FinanceRequestKind.REFUND, reason="合作终止退保证金", requested_by="staff:qian", reference="TK-1",
            attachment="files/a.pdf", status=FinanceRequestStatus.APPROVED, decided_by="staff:wu", decided_at=T1,
            decision_note="同意", entry_id=9, created_at=T0),
        "bank_rows": lambda: BankRowRecord(
            key="ab" * 16, file_name="工行流水.csv", file_sha256="cd" * 32, row_number=4, paid_on=date(2026, 12, 1),
            payer="上海德润商贸有限公司", amount=Decimal("50000.10"), reference="D0001 货款", account="6222021001001234",
            status=BankRowStatus.ASSIGNED, dealer_id=w.dealer, entry_id=9, match_reason="", imported_by="staff:wu",
            imported_at=T0, decided_by="staff:qian", decided_at=T1, note="王五代付"),
        "expense_claims": lambda: ExpenseClaim(
            number="FY-20261127-0001", dealer_id=w.dealer, campaign_id=w.campaign, amount=Decimal("1200.50"),
            description="展架制作", evidence=["f/1.jpg"], status=ClaimStatus.APPROVED, credit_account="rebate",
            submitted_by="dealer:1:wang", request_key="n1", decided_by="staff:ma", decided_at=T1,
            decision_note="ok", created_at=T0),
        "staff_tasks": lambda: StaffTask(
            kind="statement.dispute", team="finance", title="对账单异议", detail="金额不符", dealer_id=w.dealer,
            ref="1:2026-10", status=TaskStatus.DONE, resolution="已更正", created_at=T0, closed_by="staff:fin",
            closed_at=T1),
        "idempotency_records": lambda: IdempotencyRecord(
            api_key_id=w.api_key, key="8e03978e-40d5-43e8-bc93-6894a57f9324", endpoint="POST /api/v1/sellout",
            request_hash="ef" * 32, created_at=T0, status_code=207,
            response_body={"accepted": 1, "errors": [{"row": 1, "error": "未知产品：X1", "error_en": "unknown product: X1"}]}),
    }
    return builders[name]()


# --- type checks ----------------------------------------------------------------------------------------


def assert_types(obj: Any, path: str = "") -> None:
    """Every field holds its annotated type: Decimal (money with 2 places), aware datetimes, enums ..."""
    hints = typing.get_type_hints(type(obj))
    for f in dataclasses.fields(obj):
        _check(getattr(obj, f.name), hints[f.name], f"{path}{type(obj).__name__}.{f.name}")


def _check(value: Any, hint: Any, where: str) -> None:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, UnionType):
        if value is None:
            assert type(None) in typing.get_args(hint), where
            return
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
        origin = typing.get_origin(hint)
    if origin is list:
        assert isinstance(value, list), f"{where}: {type(value)}"
        (item,) = typing.get_args(hint)
        for i, v in enumerate(value):
            _check(v, item, f"{where}[{i}]")
        return
    if origin is dict:
        assert isinstance(value, dict), where
        return
    if hint is Any:
        return
    if dataclasses.is_dataclass(hint):
        assert type(value) is hint, f"{where}: {type(value).__name__} is not {hint.__name__}"
        assert_types(value, f"{where}.")
        return
    if hint is Decimal:
        assert type(value) is Decimal, f"{where}: {type(value).__name__}"
    elif hint is datetime:
        assert isinstance(value, datetime) and value.tzinfo is not None, f"{where}: naive or not a datetime"
    elif hint is date:
        assert type(value) is date, f"{where}: {type(value).__name__}"
    elif isinstance(hint, type) and issubclass(hint, Enum):
        assert type(value) is hint, f"{where}: {value!r} is not a {hint.__name__}"
    elif hint in (int, str, bool):
        assert type(value) is hint, f"{where}: {type(value).__name__} is not {hint.__name__}"


MONEY_PLACES = {"amount", "price", "list_price", "credit_limit", "total", "unit_price", "discount", "budget",
                "spent", "paid_from_rebate", "paid_from_prepayment", "paid_from_credit", "opening_balance",
                "orders_total", "payments_total", "rebates_total", "closing_balance"}


def assert_money_places(obj: Any) -> None:
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name in MONEY_PLACES and isinstance(value, Decimal):
            assert value.as_tuple().exponent == -2, f"{type(obj).__name__}.{f.name} = {value!r}"
        if isinstance(value, list):
            for item in value:
                if dataclasses.is_dataclass(item):
                    assert_money_places(item)


# --- tests ----------------------------------------------------------------------------------------------


def test_every_field_of_every_entity_is_mapped() -> None:
    """A field added to a core dataclass without a column would silently not be stored."""
    start_mappers()
    unmapped = {}
    for cls in TABLES:
        missing = {f.name for f in dataclasses.fields(cls)} - set(inspect(cls).attrs.keys())
        if missing:
            unmapped[cls.__name__] = sorted(missing)
    assert unmapped == {}
    assert set(REPOSITORIES.values()) <= set(TABLES)


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
async def test_round_trip(uow: SqlAlchemyUnitOfWork, name: str) -> None:
    world = await seed(uow)
    original = build(name, world)
    none_fields = [f.name for f in dataclasses.fields(original) if getattr(original, f.name) is None
                   and f.name != "id"]
    assert none_fields == [], "the builder must set every optional field"

    async with uow:
        repo = getattr(uow, name)
        await repo.add(original)
        assert isinstance(original.id, int)       # add() flushes: the id is known at once
        await uow.commit()

    async with uow:
        loaded = await getattr(uow, name).get(original.id)
    assert loaded is not None and loaded is not original
    assert loaded == original
    assert_types(loaded)
    assert_money_places(loaded)


async def test_children_are_owned_by_their_parent(uow: SqlAlchemyUnitOfWork) -> None:
    world = await seed(uow)
    async with uow:
        order = await uow.orders.add(build("orders", world))
        await uow.commit()
    async with uow:
        loaded = await uow.orders.get(order.id)
        assert loaded is not None
        assert [line.order_id for line in loaded.lines] == [order.id, order.id]
        loaded.lines.pop(0)                                          # delete-orphan
        loaded.events.append(OrderEvent(status=OrderStatus.SHIPPED, actor="staff:wms", at=T1, note="发货"))
        await uow.commit()
    async with uow:
        again = await uow.orders.get(order.id)
        assert again is not None
        assert [line.sku for line in again.lines] == ["KJ-700"]
        assert [e.status for e in again.events] == [OrderStatus.SUBMITTED, OrderStatus.APPROVED,
                                                    OrderStatus.SHIPPED]
        count = (await uow.session.execute(
            TABLES[OrderLine].select().where(TABLES[OrderLine].c.order_id == order.id))).all()
        assert len(count) == 1
        await uow.orders.delete(again)
        await uow.commit()
    async with uow:
        assert await uow.orders.get(order.id) is None
        rows = (await uow.session.execute(TABLES[OrderEvent].select())).all()
        assert rows == []


async def test_in_place_changes_to_json_values_are_saved(uow: SqlAlchemyUnitOfWork) -> None:
    world = await seed(uow)
    async with uow:
        contract = await uow.contracts.add(build("contracts", world))
        order = await uow.orders.add(build("orders", world))
        await uow.commit()
    async with uow:
        c = await uow.contracts.get(contract.id)
        o = await uow.orders.get(order.id)
        assert c is not None and o is not None
        c.targets[0].value = Decimal("1200000.00")      # nested value object changed in place
        c.marketing_duties.append("年度经销商大会")
        o.approval_reasons.remove("首单")
        d = await uow.dialogs.add(build("dialogs", world))
        await uow.commit()
    async with uow:
        d1 = await uow.dialogs.get(d.id)
        assert d1 is not None
        d1.data["cart"].append({"sku": "KJ-700", "qty": 1})         # nested dict/list in place
        await uow.commit()
    async with uow:
        c2 = await uow.contracts.get(contract.id)
        o2 = await uow.orders.get(order.id)
        d2 = await uow.dialogs.get(d.id)
    assert d2 is not None and d2.data["cart"] == [{"sku": "KJ-500", "qty": 2}, {"sku": "KJ-700", "qty": 1}]
    assert c2 is not None and o2 is not None
    assert c2.targets[0].value == Decimal("1200000.00")
    assert c2.marketing_duties[-1] == "年度经销商大会"
    assert o2.approval_reasons == ["超出信用额度"]


async def test_money_is_rounded_to_cents_and_sums_exactly(uow: SqlAlchemyUnitOfWork) -> None:
    world = await seed(uow)
    async with uow:
        for amount in ("0.10", "0.20", "0.335"):        # float arithmetic would drift; 0.335 -> 0.34
            await uow.ledger.add(LedgerEntry(dealer_id=world.dealer, account=AccountKind.PREPAYMENT,
                                             amount=Decimal(amount), kind=EntryKind.PAYMENT, created_at=T0))
        await uow.commit()
    async with uow:
        from sqlalchemy import func, select

        from storage.orm import ledger_entries
        total = (await uow.session.execute(select(func.sum(ledger_entries.c.amount)))).scalar_one()
        amounts = [e.amount for e in await uow.ledger.list()]
    assert amounts == [Decimal("0.10"), Decimal("0.20"), Decimal("0.34")]
    assert total == Decimal("0.64") and type(total) is Decimal


async def test_balances_are_summed_by_the_database_one_row_per_account_whatever_the_ledger_holds(
        uow: SqlAlchemyUnitOfWork, engine: Any) -> None:
    """``uow.balances`` equals the sum of the entries (``Balances.from_entries``), exact to the cent, another
    dealer's entries never counted, entries staged in the same unit counted; and it reads one row per account
    however long the ledger is (a quote read every entry the dealer ever had)."""
    from core.ledger import Balances
    from tests.statements import count_statements

    world = await seed(uow)
    async with uow:
        amounts = ["0.10", "0.20", "0.335", "-1234.56", "99999.99", "-0.01"]
        for n in range(60):
            account = list(AccountKind)[n % len(AccountKind)]
            await uow.ledger.add(LedgerEntry(dealer_id=world.dealer, account=account, amount=Decimal(amounts[n % 6]),
                                             kind=EntryKind.PAYMENT, created_at=T0))
        await uow.commit()
    async with uow:
        expected = Balances.from_entries(await uow.ledger.list(dealer_id=world.dealer))
        with count_statements(engine) as seen:
            got = await uow.balances(world.dealer)
        assert got == expected and expected.prepayment != Decimal("0.00")
        assert seen.statements == 1 and "sum(ledger_entries.amount)" in seen.report().lower()   # not every entry
        assert (await uow.balances(world.dealer, AccountKind.REBATE)).rebate == expected.rebate
        assert (await uow.balances(world.dealer, AccountKind.REBATE)).prepayment == Decimal("0.00")
        assert await uow.balances(world.dealer + 1000) == Balances()
        assert await uow.account_totals(AccountKind.REBATE) == {world.dealer: expected.rebate}
        await uow.ledger.add(LedgerEntry(dealer_id=world.dealer, account=AccountKind.DEPOSIT, amount=Decimal("5.00"),
                                         kind=EntryKind.PAYMENT, created_at=T0))
        assert (await uow.balances(world.dealer)).deposit == expected.deposit + Decimal("5.00")   # staged counts
        await uow.rollback()


async def test_floats_and_naive_datetimes_are_refused(uow: SqlAlchemyUnitOfWork) -> None:
    world = await seed(uow)
    async with uow:
        with pytest.raises(Exception, match="float"):
            await uow.ledger.add(LedgerEntry(dealer_id=world.dealer, account=AccountKind.PREPAYMENT,
                                             amount=0.1, kind=EntryKind.PAYMENT))  # type: ignore[arg-type]
    async with uow:
        with pytest.raises(Exception, match="naive"):
            await uow.audit.add(AuditEntry(actor="system", action="x", entity="y", entity_id="1",
                                           at=datetime(2026, 11, 26, 10, 0)))
