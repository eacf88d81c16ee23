"""The tables of the daily work around the trade: campaigns and materials, after-sales and quality, users and
access, conversations, the FAQ and dealer aliases, the outbox, document numbers, contract documents, rebates,
expense claims and staff tasks (declared on ``storage.tables.metadata``)."""

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
    String,
    Table,
    Text,
    UniqueConstraint,
)

from core.aftersales import Priority, TicketStatus
from core.campaigns import (
    CampaignStatus,
    ParticipationStatus,
    RequestStatus,
)
from core.contracts import RebateTier, SalesTarget, TargetMetric
from core.credit import CreditChangeKind, CreditChangeStatus
from core.expenses import ClaimStatus, TaskStatus
from core.faq import QuestionStatus
from core.idempotency import MAX_KEY_LENGTH
from core.outbox import Category, OutboxStatus
from core.quality import CorrectiveStatus
from core.rebates import SettlementStatus
from core.users import InviteKind, Role
from storage.tables import _fk, _id, _str_list, metadata
from storage.types import (
    EncryptedJSON,
    EncryptedString,
    ExactDecimal,
    JSONValue,
    Money,
    StrEnumType,
    UTCDateTime,
)

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
    Column("address", EncryptedString(), nullable=True),
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
    Column("written_language", String(16), nullable=False, server_default=""),
    Column("updated_at", UTCDateTime(), nullable=True),
    UniqueConstraint("channel", "chat_id"),
)

# one counter per kind of read-mostly data a process may keep (``actors``: chat identities, users and dealer aliases):
# a change bumps it in the same transaction, and a process reads it with every chat's dialog, so its copy is
# used only while the number it was read with still stands
cache_versions = Table(
    "cache_versions", metadata,
    Column("name", String(32), primary_key=True),
    Column("version", BigInteger, nullable=False, server_default="0"),
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
    Column("about_order", String(40), nullable=False, server_default=""),
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
