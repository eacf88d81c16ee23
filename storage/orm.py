"""Tables and imperative mappings of the core dataclasses (cosmicpython ``adapters/orm.py`` style).

The domain classes stay plain dataclasses; :func:`start_mappers` instruments them so repositories
return the domain objects themselves. Child collections (dealer contacts/addresses, order lines/events,
ticket comments) are relationships loaded with ``selectin`` (async sessions cannot lazy-load) and
owned by their parent (``all, delete-orphan``). Lists of value objects are JSON columns
(:class:`storage.types.JSONValue`); in-place changes to them (``order.approval_reasons.append(x)``)
are detected at commit (and at any flush) by comparing with a snapshot taken at load
(see :func:`track_json_changes`).

``metadata`` is what Alembic autogenerates from; keep ``storage/migrations`` in step with it
(``tests/integration/test_migrations.py`` fails when they differ).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Session, registry, relationship
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql import expression

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
from core.idempotency import MAX_KEY_LENGTH, IdempotencyRecord
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
from storage.encryption import blind_index
from storage.types import (
    EncryptedJSON,
    EncryptedString,
    ExactDecimal,
    JSONValue,
    Money,
    StrEnumType,
    UTCDateTime,
    to_json,
)

# Constraint names must be deterministic: SQLite batch migrations drop and recreate constraints by name.
metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# BIGINT keys on PostgreSQL (sell-out lines reach millions); SQLite needs INTEGER for its rowid alias.
ID = BigInteger().with_variant(Integer(), "sqlite")


def _id() -> Column[Any]:
    return Column("id", ID, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, *, nullable: bool = False, ondelete: str | None = None) -> Column[Any]:
    return Column(name, BigInteger, ForeignKey(target, ondelete=ondelete), nullable=nullable)


def _str_list(name: str) -> Column[Any]:
    return Column(name, JSONValue(list[str]), nullable=False)


# --- dealers --------------------------------------------------------------------------------------------

dealers = Table(
    "dealers", metadata,
    _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("uscc", String(32), nullable=False, unique=True),
    Column("province", String(32), nullable=False),
    Column("city", String(64), nullable=False),
    Column("region", String(32), nullable=False),
    Column("tier", String(16), nullable=False),
    Column("business_scope", Text, nullable=False),
    _fk("parent_id", "dealers.id", nullable=True, ondelete="SET NULL"),
    Column("status", StrEnumType(DealerStatus), nullable=False),
    Column("status_reason", Text, nullable=True),
    Column("status_changed_at", UTCDateTime(), nullable=True),
    Column("credit_limit", Money(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    # revision 0013_rebates_credit: temporary credit and its last day
    Column("temporary_credit", Money(), nullable=False, server_default="0"),
    Column("temporary_credit_until", Date, nullable=True),
    # revision 0011_bank_rows: bank accounts that pay for the dealer (matching bank statement rows)
    Column("payer_accounts", Text, nullable=False, server_default=""),
    # revision 0016_hierarchy: a parent dealer's settings over its sub-dealers
    Column("sub_accounts_visible", Boolean, nullable=False, server_default=expression.false()),
    Column("approves_sub_orders", Boolean, nullable=False, server_default=expression.false()),
    Index("ix_dealers_region", "region"),
    Index("ix_dealers_parent_id", "parent_id"),
)

dealer_contacts = Table(
    "dealer_contacts", metadata,
    _id(),
    _fk("dealer_id", "dealers.id", ondelete="CASCADE"),
    Column("name", String(100), nullable=False),
    Column("phone", EncryptedString(), nullable=False),
    # blind index of the phone (HMAC), kept by an ORM event: lets bind_by_phone find a contact
    Column("phone_hash", String(64), nullable=False),
    Column("role", String(50), nullable=False),
    Column("id_number", EncryptedString(), nullable=True),
    Index("ix_dealer_contacts_dealer_id", "dealer_id"),
    Index("ix_dealer_contacts_phone_hash", "phone_hash"),
)

dealer_addresses = Table(
    "dealer_addresses", metadata,
    _id(),
    _fk("dealer_id", "dealers.id", ondelete="CASCADE"),
    Column("kind", String(16), nullable=False),
    Column("province", String(32), nullable=False),
    Column("city", String(64), nullable=False),
    Column("district", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_dealer_addresses_dealer_id", "dealer_id"),
)

qualifications = Table(
    "qualifications", metadata,
    _id(),
    _fk("dealer_id", "dealers.id"),
    Column("doc_type", StrEnumType(DocumentType), nullable=False),
    Column("number", String(64), nullable=False),
    Column("issued_on", Date, nullable=True),
    Column("expires_on", Date, nullable=True),
    Column("file_ref", String(255), nullable=True),
    Column("status", StrEnumType(ReviewStatus), nullable=False),
    Column("reject_reason", Text, nullable=True),
    _fk("replaces_id", "qualifications.id", nullable=True, ondelete="SET NULL"),
    Column("reviewed_by", String(200), nullable=True),
    Column("reviewed_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    Index("ix_qualifications_dealer_id", "dealer_id"),
    Index("ix_qualifications_expires_on", "expires_on"),
)

# --- products and prices --------------------------------------------------------------------------------

products = Table(
    "products", metadata,
    _id(),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("category", String(64), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("list_price", Money(), nullable=False),
    _str_list("aliases"),
    Column("pack_size", Integer, nullable=False),
    Column("moq", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("max_line_qty", Integer, nullable=True),     # None: core.products.line_limit's default
    Index("ix_products_category", "category"),
)

tier_prices = Table(
    "tier_prices", metadata,
    _id(),
    Column("tier", String(16), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("price", Money(), nullable=False),
    UniqueConstraint("tier", "sku"),
)

dealer_prices = Table(
    "dealer_prices", metadata,
    _id(),
    _fk("dealer_id", "dealers.id", ondelete="CASCADE"),
    Column("sku", String(64), nullable=False),
    Column("price", Money(), nullable=False),
    UniqueConstraint("dealer_id", "sku"),
)

dealer_allowed_skus = Table(
    "dealer_allowed_skus", metadata,
    _id(),
    _fk("dealer_id", "dealers.id", ondelete="CASCADE"),
    Column("sku", String(64), nullable=False),
    UniqueConstraint("dealer_id", "sku"),
)

promotions = Table(
    "promotions", metadata,
    _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", StrEnumType(PromotionKind), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    _str_list("skus"),
    _str_list("dealer_tiers"),
    Column("percent", ExactDecimal(precision=9, scale=4), nullable=False),
    Column("buy_qty", Integer, nullable=False),
    Column("free_qty", Integer, nullable=False),
    Column("tiers", JSONValue(list[PromotionTier]), nullable=False),
    Column("budget", Money(), nullable=True),
    Column("spent", Money(), nullable=False),
    Column("active", Boolean, nullable=False),
    Index("ix_promotions_period", "starts_on", "ends_on"),
)

# --- accounts -------------------------------------------------------------------------------------------

ledger_entries = Table(
    "ledger_entries", metadata,
    _id(),
    _fk("dealer_id", "dealers.id"),
    Column("account", StrEnumType(AccountKind), nullable=False),
    Column("amount", Money(), nullable=False),
    Column("kind", StrEnumType(EntryKind), nullable=False),
    Column("ref", String(64), nullable=False),
    Column("note", Text, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("method", String(32), nullable=False, server_default=""),
    Column("paid_on", Date, nullable=True),
    Column("attachment", String(300), nullable=False, server_default=""),
    Column("reverses_id", BigInteger, nullable=True),      # ledger_entries.id (no FK: entries are never deleted)
    Column("source", String(300), nullable=True),
    Column("approved_by", String(200), nullable=True),
    Index("ix_ledger_entries_dealer_account", "dealer_id", "account"),
    Index("ix_ledger_entries_ref", "ref"),
    Index("ix_ledger_entries_source", "source", unique=True),
    Index("ix_ledger_entries_reverses", "reverses_id", unique=True),
)

finance_requests = Table(
    "finance_requests", metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("dealer_id", "dealers.id"),
    Column("account", StrEnumType(AccountKind), nullable=False),
    Column("amount", Money(), nullable=False),
    Column("kind", StrEnumType(FinanceRequestKind, length=16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("attachment", String(300), nullable=False),
    Column("status", StrEnumType(FinanceRequestStatus, length=16), nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("decision_note", Text, nullable=False),
    Column("entry_id", BigInteger, nullable=True),         # ledger_entries.id booked on approval
    Column("created_at", UTCDateTime(), nullable=True),
    Index("ix_finance_requests_status", "status"),
    Index("ix_finance_requests_dealer", "dealer_id"),
)

bank_rows = Table(
    "bank_rows", metadata,
    _id(),
    Column("key", String(64), nullable=False, unique=True),
    Column("file_name", String(300), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("payer", String(200), nullable=False),
    Column("amount", Money(), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("account", String(64), nullable=False),
    Column("status", StrEnumType(BankRowStatus, length=16), nullable=False),
    _fk("dealer_id", "dealers.id", nullable=True),
    Column("entry_id", BigInteger, nullable=True),         # ledger_entries.id booked for the row
    Column("match_reason", String(32), nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("imported_at", UTCDateTime(), nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("note", Text, nullable=False),
    Index("ix_bank_rows_status", "status"),
)

statements = Table(
    "statements", metadata,
    _id(),
    _fk("dealer_id", "dealers.id"),
    Column("period", String(16), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("opening_balance", Money(), nullable=False),
    Column("orders_total", Money(), nullable=False),
    Column("payments_total", Money(), nullable=False),
    Column("rebates_total", Money(), nullable=False),
    Column("closing_balance", Money(), nullable=False),
    Column("lines", JSONValue(list[dict[str, str]]), nullable=False),
    Column("status", StrEnumType(StatementStatus), nullable=False),
    Column("dispute_reason", Text, nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    # revision 0012_statements: per-account sections, the confirmation deadline, finance's answer
    Column("accounts", JSONValue(list[dict[str, Any]]), nullable=False, server_default="[]"),
    Column("due_on", Date, nullable=True),
    Column("confirm_days", Integer, nullable=False, server_default="10"),
    Column("sent_at", UTCDateTime(), nullable=True),
    Column("reminded_at", UTCDateTime(), nullable=True),
    Column("dispute_lines", JSONValue(list[str]), nullable=False, server_default="[]"),
    Column("answer", Text, nullable=True),
    Column("answered_by", String(200), nullable=True),
    Column("answered_at", UTCDateTime(), nullable=True),
    Index("ix_statements_dealer_period", "dealer_id", "period", unique=True),   # one per dealer and month (0012)
    Index("ix_statements_status_due", "status", "due_on"),
)

# --- contracts ------------------------------------------------------------------------------------------

contracts = Table(
    "contracts", metadata,
    _id(),
    # a new version of a contract keeps its number: (number, version) is the unique key
    Column("number", String(32), nullable=False),
    _fk("dealer_id", "dealers.id"),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("targets", JSONValue(list[SalesTarget]), nullable=False),
    Column("rebate_tiers", JSONValue(list[RebateTier]), nullable=False),
    _str_list("marketing_duties"),
    Column("status", StrEnumType(ContractStatus), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=True),
    Column("status_reason", Text, nullable=True),
    Column("version", Integer, nullable=False),
    _fk("previous_id", "contracts.id", nullable=True, ondelete="SET NULL"),
    Column("signed_text", Text, nullable=True),
    Column("signed_sha256", String(64), nullable=True),
    Column("signed_at", UTCDateTime(), nullable=True),
    Column("signed_by", String(200), nullable=True),
    Column("body", Text, nullable=False, server_default=""),
    Column("template_id", BigInteger, nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    UniqueConstraint("number", "version"),
    Index("ix_contracts_dealer_id", "dealer_id"),
)

# --- inventory ------------------------------------------------------------------------------------------

warehouses = Table(
    "warehouses", metadata,
    _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("region", String(32), nullable=False),
    Column("province", String(32), nullable=False),
    Column("city", String(64), nullable=False),
)

stock_levels = Table(
    "stock_levels", metadata,
    _id(),
    _fk("warehouse_id", "warehouses.id"),
    Column("sku", String(64), nullable=False),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=True),
    UniqueConstraint("warehouse_id", "sku"),
    Index("ix_stock_levels_sku", "sku"),
)

dealer_stock = Table(
    "dealer_stock", metadata,
    _id(),
    _fk("dealer_id", "dealers.id"),
    Column("sku", String(64), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("reported_at", UTCDateTime(), nullable=True),
    UniqueConstraint("dealer_id", "sku"),
)

stock_thresholds = Table(
    "stock_thresholds", metadata,
    _id(),
    Column("scope", StrEnumType(ThresholdScope), nullable=False),
    Column("scope_id", BigInteger, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("low", Integer, nullable=False),
    Column("high", Integer, nullable=True),
    Column("safety", Integer, nullable=True),
    Column("source", String(16), nullable=False, server_default="staff"),
    UniqueConstraint("scope", "scope_id", "sku"),
)

transfers = Table(
    "transfers", metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    Column("from_scope", StrEnumType(ThresholdScope), nullable=False),
    Column("from_id", BigInteger, nullable=False),
    Column("to_scope", StrEnumType(ThresholdScope), nullable=False),
    Column("to_id", BigInteger, nullable=False),
    Column("lines", JSONValue(list[TransferLine]), nullable=False),
    Column("status", StrEnumType(TransferStatus), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    # revision 0014_transfers_sharing: the request / approval state machine (core.services.transfers)
    Column("requested_by_dealer_id", BigInteger, nullable=True),
    Column("needs_maker_approval", Boolean, nullable=False, server_default=expression.false()),
    Column("note", Text, nullable=False, server_default=""),
    Column("approved_by", String(200), nullable=True),
    Column("approved_at", UTCDateTime(), nullable=True),
    Column("shipped_at", UTCDateTime(), nullable=True),
    Column("received_at", UTCDateTime(), nullable=True),
    Column("closed_by", String(200), nullable=True),
    Column("close_reason", Text, nullable=False, server_default=""),
    Column("updated_at", UTCDateTime(), nullable=True),
    Index("ix_transfers_from", "from_scope", "from_id", "status"),
    Index("ix_transfers_to", "to_scope", "to_id", "status"),
)

# revision 0014_transfers_sharing: what of its stock a dealer shows, and the maker's transfer-approval rule
stock_sharing = Table(
    "stock_sharing", metadata,
    _id(),
    _fk("dealer_id", "dealers.id"),
    Column("with_maker", Boolean, nullable=False),
    Column("with_region", Boolean, nullable=False),
    Column("with_network", Boolean, nullable=False),
    Column("show_name", Boolean, nullable=False),
    _str_list("skus"),
    Column("transfer_approval", Boolean, nullable=False, server_default=expression.true()),
    Column("updated_at", UTCDateTime(), nullable=True),
    Column("updated_by", String(200), nullable=False, server_default=""),
    UniqueConstraint("dealer_id"),
)

# --- orders ---------------------------------------------------------------------------------------------

orders = Table(
    "orders", metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("dealer_id", "dealers.id"),
    Column("status", StrEnumType(OrderStatus), nullable=False),
    Column("total", Money(), nullable=False),
    Column("requested_delivery", Date, nullable=True),
    _fk("warehouse_id", "warehouses.id", nullable=True),
    Column("client_request_key", String(64), nullable=True),
    Column("placed_by", String(200), nullable=False),
    Column("on_behalf", Boolean, nullable=False),
    _str_list("approval_reasons"),
    Column("paid_from_rebate", Money(), nullable=False),
    Column("paid_from_prepayment", Money(), nullable=False),
    Column("paid_from_credit", Money(), nullable=False),
    Column("carrier", String(64), nullable=True),
    Column("tracking_no", String(64), nullable=True),
    Column("reject_reason", Text, nullable=True),
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=True),
    Column("version", Integer, nullable=False),
    # revision 0016_hierarchy: the parent dealer's approval, and a hold while the dealer is suspended
    Column("parent_approval", String(16), nullable=True),
    Column("held_reason", Text, nullable=True),
    # idempotent submission: NULL keys never collide (NULLs are distinct on both databases)
    UniqueConstraint("dealer_id", "client_request_key"),
    Index("ix_orders_dealer_status_created", "dealer_id", "status", "created_at"),
    Index("ix_orders_status_created", "status", "created_at"),
)

order_lines = Table(
    "order_lines", metadata,
    _id(),
    _fk("order_id", "orders.id", ondelete="CASCADE"),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("unit_price", Money(), nullable=False),
    Column("discount", Money(), nullable=False),
    Column("free_qty", Integer, nullable=False),
    Column("promotion_code", String(32), nullable=True),
    Index("ix_order_lines_order_id", "order_id"),
    Index("ix_order_lines_sku", "sku"),
)

order_events = Table(
    "order_events", metadata,
    _id(),
    _fk("order_id", "orders.id", ondelete="CASCADE"),
    Column("status", StrEnumType(OrderStatus), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("note", Text, nullable=False),
    Index("ix_order_events_order_id", "order_id"),
)

# --- sell-out -------------------------------------------------------------------------------------------

sellout_lines = Table(
    "sellout_lines", metadata,
    _id(),
    _fk("dealer_id", "dealers.id"),
    Column("sold_on", Date, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("amount", Money(), nullable=False),
    Column("province", String(32), nullable=False),
    Column("city", String(64), nullable=False),
    Column("customer_type", StrEnumType(CustomerType), nullable=False),
    Column("reported_at", UTCDateTime(), nullable=True),
    Index("ix_sellout_lines_sold_on", "sold_on"),
    Index("ix_sellout_lines_dealer_sold_on", "dealer_id", "sold_on"),
    Index("ix_sellout_lines_sku_sold_on", "sku", "sold_on"),
    Index("ix_sellout_lines_province_city", "province", "city"),
)

# Reports (migration 0004_reports, queries in storage.reports): covering indexes, so aggregates over a
# period are index-only scans on PostgreSQL (INCLUDE columns; plain indexes on SQLite).
Index("ix_sellout_lines_sold_on_cover", sellout_lines.c.sold_on, sellout_lines.c.dealer_id, sellout_lines.c.sku,
      postgresql_include=["qty", "amount", "province", "city"])
Index("ix_orders_created_at_cover", orders.c.created_at, orders.c.status,
      postgresql_include=["id", "dealer_id", "total"])
Index("ix_order_lines_order_id_cover", order_lines.c.order_id, order_lines.c.sku,
      postgresql_include=["qty", "free_qty", "unit_price", "discount"])

# --- campaigns and materials ----------------------------------------------------------------------------

campaigns = Table(
    "campaigns", metadata,
    _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("description", Text, nullable=False),
    Column("support", Text, nullable=False),
    Column("budget", Money(), nullable=False),
    Column("spent", Money(), nullable=False),
    _str_list("target_regions"),
    _str_list("target_tiers"),
    Column("target_dealer_ids", JSONValue(list[int]), nullable=False),
    _str_list("skus"),
    Column("status", StrEnumType(CampaignStatus), nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
)

campaign_participations = Table(
    "campaign_participations", metadata,
    _id(),
    _fk("campaign_id", "campaigns.id"),
    _fk("dealer_id", "dealers.id"),
    Column("status", StrEnumType(ParticipationStatus), nullable=False),
    Column("report_text", Text, nullable=False),
    _str_list("report_photos"),
    Column("new_customers", Integer, nullable=False),
    Column("review_note", Text, nullable=False),
    Column("reviewed_by", String(200), nullable=True),
    Column("reviewed_at", UTCDateTime(), nullable=True),
    Column("joined_at", UTCDateTime(), nullable=True),
    Column("reported_at", UTCDateTime(), nullable=True),
    UniqueConstraint("campaign_id", "dealer_id"),
    Index("ix_campaign_participations_dealer_id", "dealer_id"),
)

marketing_materials = Table(
    "marketing_materials", metadata,
    _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("stock", Integer, nullable=False),
    Column("min_tier", String(16), nullable=True),
)

material_requests = Table(
    "material_requests", metadata,
    _id(),
    _fk("dealer_id", "dealers.id"),
    _fk("material_id", "marketing_materials.id"),
    Column("qty", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", StrEnumType(RequestStatus), nullable=False),
    Column("reject_reason", Text, nullable=True),
    Column("requested_by", String(200), nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("dispatched_by", String(200), nullable=True),
    Column("dispatched_at", UTCDateTime(), nullable=True),
    Index("ix_material_requests_dealer_id", "dealer_id"),
    Index("ix_material_requests_status", "status"),
)

# --- after-sales and quality ----------------------------------------------------------------------------

tickets = Table(
    "tickets", metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("dealer_id", "dealers.id"),
    Column("description", Text, nullable=False),
    Column("customer_name", EncryptedString(), nullable=False),
    Column("customer_phone", EncryptedString(), nullable=False),
    Column("sku", String(64), nullable=True),
    Column("serial_no", String(64), nullable=True),
    Column("order_number", String(32), nullable=True),
    _str_list("photos"),
    Column("priority", StrEnumType(Priority), nullable=False),
    Column("sla_due_at", UTCDateTime(), nullable=True),
    Column("status", StrEnumType(TicketStatus), nullable=False),
    Column("reject_reason", Text, nullable=True),
    Column("resolved_at", UTCDateTime(), nullable=True),
    Column("created_by", String(200), nullable=False),
    Column("assignee", String(200), nullable=True),
    Column("resolution", Text, nullable=True),
    Column("satisfaction", Integer, nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=True),
    Index("ix_tickets_dealer_status", "dealer_id", "status"),
    Index("ix_tickets_status_sla", "status", "sla_due_at"),
)

ticket_comments = Table(
    "ticket_comments", metadata,
    _id(),
    _fk("ticket_id", "tickets.id", ondelete="CASCADE"),
    Column("author", String(200), nullable=False),
    Column("status", StrEnumType(TicketStatus), nullable=True),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_ticket_comments_ticket_id", "ticket_id"),
)

quality_feedback = Table(
    "quality_feedback", metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("dealer_id", "dealers.id"),
    Column("sku", String(64), nullable=False),
    Column("defect_category", String(64), nullable=False),
    Column("count", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("batch", String(64), nullable=True),
    _str_list("photos"),
    _str_list("ticket_numbers"),
    Column("corrective_status", StrEnumType(CorrectiveStatus), nullable=False),
    Column("corrective_note", Text, nullable=False),
    Column("handled_by", String(200), nullable=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=True),
    Index("ix_quality_feedback_dealer_id", "dealer_id"),
    Index("ix_quality_feedback_sku", "sku"),
)

# --- users and access -----------------------------------------------------------------------------------

users = Table(
    "users", metadata,
    _id(),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("role", StrEnumType(Role), nullable=False),
    _fk("dealer_id", "dealers.id", nullable=True),
    Column("phone", EncryptedString(), nullable=True),
    Column("password_hash", String(255), nullable=True),
    Column("language", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Index("ix_users_dealer_id", "dealer_id"),
)

chat_identities = Table(
    "chat_identities", metadata,
    _id(),
    Column("channel", String(16), nullable=False),
    Column("external_id", String(128), nullable=False),
    _fk("user_id", "users.id", ondelete="CASCADE"),
    Column("bound_at", UTCDateTime(), nullable=True),
    UniqueConstraint("channel", "external_id"),
    Index("ix_chat_identities_user_id", "user_id"),
)

invite_codes = Table(
    "invite_codes", metadata,
    _id(),
    Column("code", String(64), nullable=False, unique=True),
    Column("kind", StrEnumType(InviteKind), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    _fk("dealer_id", "dealers.id", nullable=True),
    Column("username", String(64), nullable=True),
    Column("role", StrEnumType(Role), nullable=True),
    Column("used_at", UTCDateTime(), nullable=True),
    _fk("used_by_user_id", "users.id", nullable=True, ondelete="SET NULL"),
    Column("created_at", UTCDateTime(), nullable=True),
)

api_keys = Table(
    "api_keys", metadata,
    _id(),
    Column("name", String(100), nullable=False),
    Column("prefix", String(32), nullable=False, unique=True),
    Column("key_hash", String(128), nullable=False),
    _str_list("scopes"),
    _fk("dealer_id", "dealers.id", nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("last_used_at", UTCDateTime(), nullable=True),
)

idempotency_records = Table(
    # POST /api/v1 requests sent with an Idempotency-Key (core.idempotency): the unique constraint lets one
    # of two concurrent requests with the same key write; the other replays its response
    "idempotency_records", metadata,
    _id(),
    _fk("api_key_id", "api_keys.id", ondelete="CASCADE"),
    Column("key", String(MAX_KEY_LENGTH), nullable=False),
    Column("endpoint", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", JSONValue(dict[str, Any]), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("api_key_id", "key"),
    Index("ix_idempotency_records_created_at", "created_at"),
)

audit_log = Table(
    "audit_log", metadata,
    _id(),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("before", JSONValue(dict[str, Any]), nullable=False),
    Column("after", JSONValue(dict[str, Any]), nullable=False),
    Index("ix_audit_log_entity", "entity", "entity_id"),
    Index("ix_audit_log_at", "at"),
)

# --- conversations --------------------------------------------------------------------------------------

dialog_states = Table(
    "dialog_states", metadata,
    _id(),
    Column("channel", String(16), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("state", String(64), nullable=False),
    Column("data", JSONValue(dict[str, Any]), nullable=False),
    Column("language", String(16), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=True),
    UniqueConstraint("channel", "chat_id"),
)

inbound_receipts = Table(
    "inbound_receipts", metadata,
    _id(),
    Column("channel", String(16), nullable=False),
    Column("key", String(128), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
    # a re-delivered update hits this constraint in every process
    UniqueConstraint("channel", "key"),
    Index("ix_inbound_receipts_received_at", "received_at"),
)

# --- understanding dealers: FAQ knowledge base, questions handed to staff, dealer aliases ----------------

faq_entries = Table(
    "faq_entries", metadata,
    _id(),
    Column("question_zh", Text, nullable=False),
    Column("answer_zh", Text, nullable=False),
    Column("question_en", Text, nullable=False),
    Column("answer_en", Text, nullable=False),
    _str_list("tags"),
    _str_list("variants"),
    Column("active", Boolean, nullable=False),
    Column("source", String(100), nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=True),
)

staff_questions = Table(
    "staff_questions", metadata,
    _id(),
    Column("channel", String(16), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("question", Text, nullable=False),
    # a double tap on "ask staff" hits this constraint in every process
    Column("request_key", String(64), nullable=False, unique=True),
    Column("asked_by", String(200), nullable=False),
    Column("language", String(16), nullable=False),
    _fk("dealer_id", "dealers.id", nullable=True, ondelete="SET NULL"),
    Column("status", StrEnumType(QuestionStatus), nullable=False),
    Column("answer", Text, nullable=False),
    Column("answered_by", String(100), nullable=False),
    Column("answered_at", UTCDateTime(), nullable=True),
    _fk("faq_entry_id", "faq_entries.id", nullable=True, ondelete="SET NULL"),
    Column("created_at", UTCDateTime(), nullable=True),
    Index("ix_staff_questions_status", "status"),
)

dealer_aliases = Table(
    "dealer_aliases", metadata,
    _id(),
    _fk("dealer_id", "dealers.id", ondelete="CASCADE"),
    Column("word", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    UniqueConstraint("dealer_id", "word"),
)

# --- notifications: the outbox and what each user wants pushed -----------------------------------------

outbox_messages = Table(
    "outbox_messages", metadata,
    _id(),
    # a check that runs twice (or on two machines) hits this constraint instead of queueing twice
    Column("dedup_key", String(200), nullable=False, unique=True),
    Column("kind", String(64), nullable=False),
    Column("category", StrEnumType(Category), nullable=False),
    # names, phones, whole chat replies: encrypted at rest like the other personal data
    Column("params", EncryptedJSON(dict[str, Any]), nullable=False),
    _fk("user_id", "users.id", nullable=True, ondelete="CASCADE"),
    Column("channel", String(16), nullable=True),
    Column("chat_id", String(128), nullable=True),
    Column("urgent", Boolean, nullable=False),
    Column("status", StrEnumType(OutboxStatus), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("sent_at", UTCDateTime(), nullable=True),
    Column("delivered_to", String(160), nullable=True),
    Column("claimed_by", String(128), nullable=True),
    Column("claimed_at", UTCDateTime(), nullable=True),
    # the workers' claim: due rows by status, oldest first
    Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_outbox_messages_user_id", "user_id"),
)

notification_preferences = Table(
    "notification_preferences", metadata,
    _id(),
    _fk("user_id", "users.id", ondelete="CASCADE"),
    _str_list("muted"),
    Column("channel", String(16), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=True),
    UniqueConstraint("user_id"),
)

# --- document numbers -----------------------------------------------------------------------------------

sequences = Table(
    "sequences", metadata,
    Column("key", String(64), primary_key=True),   # "SO-20261126"
    Column("value", BigInteger, nullable=False),
)


# --- contract documents, rebates, expense claims, staff tasks (migration 0005_contracts) ----------------

contract_templates = Table(
    "contract_templates", metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("term_months", Integer, nullable=False),
    Column("targets", JSONValue(list[SalesTarget]), nullable=False),
    Column("rebate_tiers", JSONValue(list[RebateTier]), nullable=False),
    _str_list("marketing_duties"),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=True),
)

signing_codes = Table(
    "signing_codes", metadata,
    _id(),
    _fk("contract_id", "contracts.id", ondelete="CASCADE"),
    _fk("user_id", "users.id", ondelete="CASCADE"),
    Column("code_hash", String(64), nullable=False),
    Column("salt", String(32), nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("used_at", UTCDateTime(), nullable=True),
    Column("revoked", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Index("ix_signing_codes_contract_user", "contract_id", "user_id"),
)

contract_signatures = Table(
    "contract_signatures", metadata,
    _id(),
    _fk("contract_id", "contracts.id"),
    Column("number", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    _fk("dealer_id", "dealers.id"),
    Column("signer", String(200), nullable=False),
    Column("signer_user_id", BigInteger, nullable=True),
    Column("channel", String(16), nullable=False),
    Column("origin", String(128), nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("pdf_sha256", String(64), nullable=False),
    Column("pdf_key", String(80), nullable=False),
    Column("signed_at", UTCDateTime(), nullable=False),
    UniqueConstraint("contract_id"),
    Index("ix_contract_signatures_number", "number"),
)

duty_marks = Table(
    "duty_marks", metadata,
    _id(),
    _fk("contract_id", "contracts.id", ondelete="CASCADE"),
    Column("duty_index", Integer, nullable=False),
    Column("done", Boolean, nullable=False),
    Column("note", Text, nullable=False),
    Column("marked_by", String(200), nullable=False),
    Column("marked_at", UTCDateTime(), nullable=True),
    UniqueConstraint("contract_id", "duty_index"),
)

rebate_settlements = Table(
    "rebate_settlements", metadata,
    _id(),
    _fk("contract_id", "contracts.id"),
    Column("contract_number", String(32), nullable=False),
    _fk("dealer_id", "dealers.id"),
    Column("period", String(16), nullable=False),
    Column("period_end", Date, nullable=False),
    Column("achieved_amount", Money(), nullable=False),
    Column("achievement", ExactDecimal(precision=9, scale=4), nullable=False),
    Column("rate", ExactDecimal(precision=9, scale=4), nullable=False),
    Column("amount", Money(), nullable=False),
    Column("status", StrEnumType(SettlementStatus), nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    # revision 0013_rebates_credit: one target of the contract (period|metric|group), what it had earned
    Column("target_key", String(64), nullable=False, server_default=""),
    Column("product_group", String(64), nullable=True),
    Column("metric", StrEnumType(TargetMetric, length=16), nullable=False, server_default="amount"),
    Column("accrued_amount", Money(), nullable=False, server_default="0"),
    Index("ix_rebate_settlements_dealer", "dealer_id"),
    Index("ix_rebate_settlements_contract_period", "contract_id", "period"),
    Index("ix_rebate_settlements_target", "dealer_id", "contract_number", "target_key"),
)

# revision 0013_rebates_credit: credit limit changes and temporary credit, requested and decided
credit_changes = Table(
    "credit_changes", metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("dealer_id", "dealers.id"),
    Column("kind", StrEnumType(CreditChangeKind, length=16), nullable=False),
    Column("amount", Money(), nullable=False),
    Column("until", Date, nullable=True),
    Column("previous_limit", Money(), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", StrEnumType(CreditChangeStatus, length=16), nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("decision_note", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Index("ix_credit_changes_dealer", "dealer_id"),
    Index("ix_credit_changes_status", "status"),
)

expense_claims = Table(
    "expense_claims", metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("dealer_id", "dealers.id"),
    _fk("campaign_id", "campaigns.id"),
    Column("amount", Money(), nullable=False),
    Column("description", Text, nullable=False),
    _str_list("evidence"),
    Column("status", StrEnumType(ClaimStatus), nullable=False),
    Column("credit_account", String(16), nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("request_key", String(64), nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("decision_note", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Index("ix_expense_claims_dealer_key", "dealer_id", "request_key"),
    Index("ix_expense_claims_status", "status"),
)

staff_tasks = Table(
    "staff_tasks", metadata,
    _id(),
    Column("kind", String(64), nullable=False),
    Column("team", String(32), nullable=False),
    Column("title", String(300), nullable=False),
    Column("detail", Text, nullable=False),
    Column("dealer_id", BigInteger, ForeignKey("dealers.id", ondelete="SET NULL"), nullable=True),
    Column("ref", String(64), nullable=False),
    Column("status", StrEnumType(TaskStatus), nullable=False),
    Column("resolution", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=True),
    Column("closed_by", String(200), nullable=True),
    Column("closed_at", UTCDateTime(), nullable=True),
    Index("ix_staff_tasks_team_status", "team", "status"),
)


# --- mappings -------------------------------------------------------------------------------------------

mapper_registry = registry(metadata=metadata)

#: aggregate class -> its table (the classes the unit of work has repositories for, plus children)
TABLES: dict[type, Table] = {
    Dealer: dealers, Contact: dealer_contacts, Address: dealer_addresses, Qualification: qualifications,
    Product: products, TierPrice: tier_prices, DealerPrice: dealer_prices, DealerAllowedSku: dealer_allowed_skus,
    Promotion: promotions, LedgerEntry: ledger_entries, Statement: statements, Contract: contracts,
    Warehouse: warehouses, StockLevel: stock_levels, DealerStock: dealer_stock, StockThreshold: stock_thresholds,
    Transfer: transfers, StockSharing: stock_sharing, Order: orders, OrderLine: order_lines,
    OrderEvent: order_events,
    SellOutLine: sellout_lines, Campaign: campaigns, CampaignParticipation: campaign_participations,
    MarketingMaterial: marketing_materials, MaterialRequest: material_requests, Ticket: tickets,
    TicketComment: ticket_comments, QualityFeedback: quality_feedback, User: users,
    ChatIdentity: chat_identities, InviteCode: invite_codes, ApiKey: api_keys, AuditEntry: audit_log,
    DialogState: dialog_states, InboundReceipt: inbound_receipts,
    FaqEntry: faq_entries, StaffQuestion: staff_questions, DealerAlias: dealer_aliases,
    OutboxMessage: outbox_messages, NotificationPreference: notification_preferences,
    ContractTemplate: contract_templates, SigningCode: signing_codes, ContractSignature: contract_signatures,
    DutyMark: duty_marks, RebateSettlement: rebate_settlements, CreditChange: credit_changes, ExpenseClaim: expense_claims,
    FinanceRequest: finance_requests, BankRowRecord: bank_rows,
    StaffTask: staff_tasks, IdempotencyRecord: idempotency_records,
}

_JSON_KEYS: dict[type, tuple[str, ...]] = {}
_JSON_SNAPSHOT = "dms_json_snapshot"


def _children(cls: type, table: Table) -> Any:
    return relationship(cls, lazy="selectin", cascade="all, delete-orphan", order_by=table.c.id)


def start_mappers() -> None:
    """Map every core dataclass onto its table. Idempotent: safe to call from every factory."""
    if inspect(Dealer, raiseerr=False) is not None:
        return
    properties: dict[type, dict[str, Any]] = {
        Dealer: {"contacts": _children(Contact, dealer_contacts),
                 "addresses": _children(Address, dealer_addresses)},
        Contact: {"_phone_hash": dealer_contacts.c.phone_hash},
        Order: {"lines": _children(OrderLine, order_lines), "events": _children(OrderEvent, order_events)},
        Ticket: {"comments": _children(TicketComment, ticket_comments)},
    }
    options: dict[type, dict[str, Any]] = {
        # optimistic lock: an UPDATE of a stale order raises (the unit of work turns it into Conflict)
        Order: {"version_id_col": orders.c.version},
    }
    for cls, table in TABLES.items():
        mapper_registry.map_imperatively(cls, table, properties=properties.get(cls, {}), **options.get(cls, {}))
        json_keys = tuple(c.key for c in table.columns if isinstance(c.type, JSONValue))
        if json_keys:
            _JSON_KEYS[cls] = json_keys
            event.listen(cls, "load", _snapshot_on_load)
            event.listen(cls, "refresh", _snapshot_on_refresh)
    event.listen(Contact, "before_insert", _index_phone)
    event.listen(Contact, "before_update", _index_phone)


def _index_phone(mapper: Any, connection: Any, contact: Contact) -> None:
    contact._phone_hash = blind_index(contact.phone)  # type: ignore[attr-defined]


def _take_snapshot(obj: Any) -> None:
    keys = _JSON_KEYS.get(type(obj))
    if not keys:
        return
    state = inspect(obj)
    state.info[_JSON_SNAPSHOT] = {k: to_json(state.dict[k]) for k in keys if k in state.dict}


def _snapshot_on_load(obj: Any, context: Any) -> None:
    _take_snapshot(obj)


def _snapshot_on_refresh(obj: Any, context: Any, attrs: Any) -> None:
    _take_snapshot(obj)


class DomainSession(Session):
    """The session class behind every unit of work; carries the JSON change tracking below."""


@event.listens_for(DomainSession, "before_commit")
def _track_json_changes_on_commit(session: Session) -> None:
    # a session whose only changes are in place looks clean, and a clean session skips its flush
    # (and before_flush) altogether: check before the commit's flush instead
    track_json_changes(session)


@event.listens_for(DomainSession, "before_flush")
def _track_json_changes_on_flush(session: Session, flush_context: Any, instances: Any) -> None:
    track_json_changes(session)


def track_json_changes(session: Session) -> None:
    """Mark JSON attributes changed in place (``lines.append(...)``) as modified so they are written."""
    for obj in list(session.identity_map.values()):
        keys = _JSON_KEYS.get(type(obj))
        if not keys:
            continue
        state = inspect(obj)
        snapshot = state.info.get(_JSON_SNAPSHOT)
        if snapshot is None:
            continue
        for key in keys:
            if key in state.dict and to_json(state.dict[key]) != snapshot.get(key):
                flag_modified(obj, key)


@event.listens_for(DomainSession, "after_flush_postexec")
def _resnapshot(session: Session, flush_context: Any) -> None:
    for obj in list(session.identity_map.values()):
        _take_snapshot(obj)
