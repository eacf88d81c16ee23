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

The tables are declared in ``storage.tables`` (the trade) and ``storage.tables_work`` (the work around it); this
module maps the core dataclasses onto them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Table,
    event,
    inspect,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, registry, relationship
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from core.accounts import (
    FinanceRequest,
    LedgerEntry,
    Statement,
)
from core.aftersales import Ticket, TicketComment
from core.aliases import DealerAlias
from core.audit import AuditEntry
from core.banking import BankRowRecord
from core.campaigns import (
    Campaign,
    CampaignParticipation,
    MarketingMaterial,
    MaterialRequest,
)
from core.contract_templates import ContractSignature, ContractTemplate, DutyMark
from core.contracts import Contract
from core.credit import CreditChange
from core.dealers import Address, Contact, Dealer, Qualification
from core.dialogs import DialogState, InboundReceipt
from core.expenses import ExpenseClaim, StaffTask
from core.faq import FaqEntry, StaffQuestion
from core.idempotency import IdempotencyRecord
from core.inventory import (
    DealerStock,
    StockLevel,
    StockThreshold,
    Transfer,
    Warehouse,
)
from core.orders import Order, OrderEvent, OrderLine
from core.otp import SigningCode
from core.outbox import NotificationPreference, OutboxMessage
from core.products import (
    DealerAllowedSku,
    DealerPrice,
    Product,
    Promotion,
    TierPrice,
)
from core.quality import QualityFeedback
from core.rebates import RebateSettlement
from core.sellout import SellOutLine
from core.transfers import StockSharing
from core.users import ApiKey, ChatIdentity, InviteCode, User
from storage.encryption import blind_index
from storage.tables import (  # noqa: F401  (the tables, importable from here as before)
    bank_rows,
    contracts,
    dealer_addresses,
    dealer_allowed_skus,
    dealer_contacts,
    dealer_prices,
    dealer_stock,
    dealers,
    finance_requests,
    ledger_entries,
    metadata,
    order_events,
    order_lines,
    orders,
    products,
    promotions,
    qualifications,
    sellout_lines,
    statements,
    stock_levels,
    stock_sharing,
    stock_thresholds,
    tier_prices,
    transfers,
    warehouses,
)
from storage.tables_work import (  # noqa: F401  (the tables, importable from here as before)
    api_keys,
    audit_log,
    cache_versions,
    campaign_participations,
    campaigns,
    chat_identities,
    contract_signatures,
    contract_templates,
    credit_changes,
    dealer_aliases,
    dialog_states,
    duty_marks,
    expense_claims,
    faq_entries,
    idempotency_records,
    inbound_receipts,
    invite_codes,
    marketing_materials,
    material_requests,
    notification_preferences,
    outbox_messages,
    quality_feedback,
    rebate_settlements,
    sequences,
    signing_codes,
    staff_questions,
    staff_tasks,
    ticket_comments,
    tickets,
    users,
)
from storage.types import (
    JSONValue,
    to_json,
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
    event.listen(Ticket, "load", _ticket_address_on_load)


def _ticket_address_on_load(ticket: Ticket, context: Any) -> None:
    """A ticket filed before tickets.address came has NULL there: read as '' (the domain's "no address")."""
    if ticket.__dict__.get("address", "") is None:
        set_committed_value(ticket, "address", "")


def _index_phone(mapper: Any, connection: Any, contact: Contact) -> None:
    contact._phone_hash = blind_index(contact.phone)  # type: ignore[attr-defined]


def _take_snapshot(obj: Any) -> None:
    keys = _JSON_KEYS.get(type(obj))
    if not keys:
        return
    state = inspect(obj)
    state.info[_JSON_SNAPSHOT] = {k: to_json(state.dict[k]) for k in keys if k in state.dict}


def snapshot_json(obj: Any) -> None:
    """Remember an object's JSON values as loaded (an object written past the ORM and attached afterwards: its
    in-place changes are tracked from here, as a loaded one's)."""
    _take_snapshot(obj)


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


#: the cache version of who speaks in a chat: chat identities, users, dealer aliases (``core.ports``)
ACTORS_VERSION = "actors"
_ACTOR_KINDS: tuple[type, ...] = (User, ChatIdentity, DealerAlias)


#: the cache version of what pricing reads: products, tier and dealer prices, allowed SKUs, promotions
PRICING_VERSION = "pricing"
_PRICING_KINDS: tuple[type, ...] = (Product, TierPrice, DealerPrice, DealerAllowedSku, Promotion)

#: the cache version of a dealer as a quote checks it: the dealer, its contacts and addresses, its documents
DEALERS_VERSION = "dealers"
_DEALER_KINDS: tuple[type, ...] = (Dealer, Contact, Address, Qualification)


@event.listens_for(DomainSession, "before_flush")
def _bump_cache_versions(session: Session, flush_context: Any, instances: Any) -> None:
    """A flush that writes a chat identity, a user or a dealer alias bumps the ``actors`` version, one that
    writes a product, a price, an allowed SKU or a promotion the ``pricing`` version, in the same transaction:
    every process's copies (who speaks, a dealer's words; ``storage.uow``'s price inputs) are stale from its
    commit on."""
    for name, kinds in ((ACTORS_VERSION, _ACTOR_KINDS), (PRICING_VERSION, _PRICING_KINDS),
                        (DEALERS_VERSION, _DEALER_KINDS)):
        if any(isinstance(o, kinds) for o in (*session.new, *session.deleted)) or any(
                isinstance(o, kinds) and session.is_modified(o) for o in session.dirty):
            session.info.setdefault("bumped", set()).add(name)       # this unit's reads must not come from a cache
            connection = session.connection()
            insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
            connection.execute(insert(cache_versions).values(name=name, version=1).on_conflict_do_update(
                index_elements=["name"], set_={"version": cache_versions.c.version + 1}))


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
