"""The tables of the trade: dealers, products and prices, accounts, contracts, inventory, orders, sell-out; and the
``metadata`` every table of ours is declared on (``storage.tables_work`` declares the rest; ``storage.orm`` imports
both, so ``storage.orm.metadata`` is the whole schema Alembic compares with)."""

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
)
from sqlalchemy.sql import expression

from core.accounts import (
    AccountKind,
    EntryKind,
    FinanceRequestKind,
    FinanceRequestStatus,
    StatementStatus,
)
from core.banking import BankRowStatus
from core.contracts import ContractStatus, RebateTier, SalesTarget
from core.dealers import DealerStatus, DocumentType, ReviewStatus
from core.inventory import (
    ThresholdScope,
    TransferLine,
    TransferStatus,
)
from core.orders import OrderStatus
from core.products import (
    PromotionKind,
    PromotionTier,
)
from core.sellout import CustomerType
from storage.types import (
    EncryptedString,
    ExactDecimal,
    JSONValue,
    Money,
    StrEnumType,
    UTCDateTime,
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
