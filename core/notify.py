"""Who hears about what: recipients, and the outbox rows that tell them.

Use cases call ``tell_dealer`` / ``tell_staff`` / ``tell_users`` inside their own unit of work, before
their one commit, so a notification exists exactly when its cause does (``core.outbox``). Each
recipient gets its own row, keyed ``{kind}:{key}:u{user_id}``: ``key`` names the event (an order
number and its event count, a document id and a stage), so the same event never queues twice.
Recipients are users, never chats: the worker picks the chat and the language when it delivers.

Also here: the notification preference use cases behind ``/settings`` in chat, and the admin's
"retry" of dead rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from core.accounts import Statement
from core.aftersales import Ticket
from core.auditing import record, snapshot
from core.authz import require
from core.campaigns import Campaign, CampaignParticipation, CampaignStatus, MaterialRequest, RequestStatus
from core.clock import Clock
from core.dealers import DOCUMENT_LABELS, Dealer, DealerStatus, Qualification, ReviewStatus
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.faq import StaffQuestion
from core.money import fmt_cny
from core.order_states import CREDIT_SHORTFALL
from core.orders import Order
from core.outbox import (
    CATEGORY_LABELS,
    UNMUTABLE,
    Category,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    enqueue,
    enqueue_all,
)
from core.ports import AbstractUnitOfWork
from core.products import Product
from core.quality import QualityFeedback
from core.ticket_states import PRIORITY_LABELS
from core.users import ROLE_PERMISSIONS, Actor, ActorKind, Permission, Role

Localized = dict[str, str]


def localized(zh: str, en: str) -> Localized:
    """A template value chosen per recipient language (``{"zh": ..., "en": ...}``)."""
    return {"zh": zh, "en": en}


@dataclass(frozen=True)
class Notice:
    """What to say: a template (``notifications.templates``) and its JSON-safe values."""

    kind: str
    category: Category
    params: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False


# --- recipients -----------------------------------------------------------------------------------------

async def dealer_users(uow: AbstractUnitOfWork, dealer_id: int, *, roles: Iterable[Role] | None = None) -> list[int]:
    """Ids of the dealer's active users (optionally only some roles, e.g. the owner)."""
    filters: dict[str, Any] = {"dealer_id": dealer_id, "active": True}
    if roles is not None:
        filters["role__in"] = list(roles)
    return [u.id for u in await uow.users.list(**filters) if u.id is not None]


def roles_with(permission: Permission) -> list[Role]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if role.is_staff and permission in perms]


async def staff_users(uow: AbstractUnitOfWork, permission: Permission | None = None, *,
                      roles: Iterable[Role] | None = None) -> list[int]:
    """Ids of active staff users holding ``permission`` (and/or having one of ``roles``)."""
    wanted = set(roles_with(permission)) if permission is not None else {r for r in Role if r.is_staff}
    if roles is not None:
        wanted &= set(roles)
    if not wanted:
        return []
    return await uow.active_staff(sorted(wanted))


async def user_for_label(uow: AbstractUnitOfWork, label: str | None) -> int | None:
    """The user behind an actor label (``staff:zhang``, ``dealer:12:li``), if it still exists and is active."""
    if not label:
        return None
    kind, _, rest = label.partition(":")
    if kind == "staff":
        username = rest
    elif kind == "dealer":
        username = rest.partition(":")[2]
    else:
        return None
    user = await uow.users.get_by(username=username) if username else None
    return user.id if user is not None and user.active else None


# --- telling ---------------------------------------------------------------------------------------------

def messages_for(user_ids: Iterable[int], notice: Notice, key: str, at: datetime) -> list[OutboxMessage]:
    """One unsaved row per user, keyed ``{kind}:{key}:u{user_id}`` (checks hand them to the outbox store)."""
    return [OutboxMessage(dedup_key=f"{notice.kind}:{key}:u{user_id}", kind=notice.kind, category=notice.category,
                          params=dict(notice.params), user_id=user_id, urgent=notice.urgent, created_at=at)
            for user_id in sorted(set(user_ids))]


async def tell_users(uow: AbstractUnitOfWork, user_ids: Iterable[int], notice: Notice, key: str, clock: Clock,
                     *, exclude: Actor | None = None) -> list[OutboxMessage]:
    """Stage one outbox row per user (not the acting user: they saw it happen). Existing keys are skipped."""
    skip = exclude.user_id if exclude is not None else None
    return await enqueue_all(uow, messages_for((u for u in user_ids if u != skip), notice, key, clock.now()))


async def tell_dealer(uow: AbstractUnitOfWork, dealer_id: int, notice: Notice, key: str, clock: Clock, *,
                      exclude: Actor | None = None, roles: Iterable[Role] | None = None) -> list[OutboxMessage]:
    """Every active user of the dealer (or those with ``roles``)."""
    return await tell_users(uow, await dealer_users(uow, dealer_id, roles=roles), notice, key, clock,
                            exclude=exclude)


async def tell_staff(uow: AbstractUnitOfWork, permission: Permission | None, notice: Notice, key: str, clock: Clock,
                     *, exclude: Actor | None = None, roles: Iterable[Role] | None = None) -> list[OutboxMessage]:
    """Every active staff user holding ``permission`` (narrowed to ``roles`` when given)."""
    return await tell_users(uow, await staff_users(uow, permission, roles=roles), notice, key, clock,
                            exclude=exclude)


async def dealer_label(uow: AbstractUnitOfWork, dealer_id: int) -> str:
    """"D0001 上海华信电器有限公司" for messages; the id when the dealer is gone (the copy storage keeps per process
    when it has one: an order confirmed or approved names its dealer)."""
    dealer, _ = await uow.dealer_snapshot(dealer_id)
    return f"{dealer.code} {dealer.name}" if dealer is not None else str(dealer_id)


# --- events: what each use case tells whom --------------------------------------------------------------
# Called by the use cases in core/services before their commit. Order and ticket events are urgent
# ("notify at once"): a person is usually waiting for them, so quiet hours do not hold them back.

def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


async def display_name(uow: AbstractUnitOfWork, actor: Actor) -> str:
    """The acting person as others read it: a user's display name, else the actor's name."""
    if actor.kind == ActorKind.SYSTEM:
        return "系统"
    user = await uow.users.get(actor.user_id) if actor.user_id is not None else None
    return user.display_name if user is not None and user.display_name else (actor.name or actor.label)


async def order_deciders(uow: AbstractUnitOfWork, *, desk_only: bool) -> list[int]:
    """Who decides orders (ORDER_APPROVE); ``desk_only``: the order desk among them, or all of them when there is no
    order desk (an order that needs no special approval, a change asked for an approved order)."""
    if desk_only and (desk := await staff_users(uow, Permission.ORDER_APPROVE, roles=[Role.ORDER_DESK])):
        return desk
    return await staff_users(uow, Permission.ORDER_APPROVE)


def _order_key(order: Order) -> str:
    return f"{order.number}:e{len(order.events)}"


async def order_submitted(uow: AbstractUnitOfWork, actor: Actor, order: Order, clock: Clock) -> None:
    """The approval prompt: every approver when the order needs a decision, else the order desk."""
    params = {"number": order.number, "dealer": await dealer_label(uow, order.dealer_id),
              "items": ", ".join(f"{line.sku}×{line.qty}" for line in order.lines),
              "total": fmt_cny(order.total),
              "date": order.requested_delivery.isoformat() if order.requested_delivery else "",
              "reasons": list(order.approval_reasons), "behalf": actor.name if order.on_behalf else "",
              "version": order.version, "shortfall": _shortfall(order)}
    notice = Notice("order.submitted", Category.ORDER, params, urgent=True)
    approvers = await order_deciders(uow, desk_only=not order.needs_approval)
    await tell_users(uow, approvers, notice, _order_key(order), clock, exclude=actor)


async def order_changed_by_dealer(uow: AbstractUnitOfWork, actor: Actor, order: Order,
                                  changes: Sequence[tuple[str, int, int]], was_total: Decimal, clock: Clock) -> None:
    """A dealer changed its submitted order (``core.services.order_changes``): whoever reviews it hears what changed
    (``changes``: SKU, quantity before, after) with the approval buttons again; an order still waiting for its parent
    dealer goes back to the parent."""
    params = {"number": order.number, "dealer": await dealer_label(uow, order.dealer_id),
              "changes": [[sku, before, after] for sku, before, after in changes],
              "items": ", ".join(f"{line.sku}×{line.qty}" for line in order.lines),
              "was": fmt_cny(was_total), "total": fmt_cny(order.total), "who": await display_name(uow, actor),
              "reasons": list(order.approval_reasons), "version": order.version, "shortfall": _shortfall(order)}
    if order.parent_approval == "pending" and order.dealer_id is not None:
        dealer, _ = await uow.dealer_snapshot(order.dealer_id)
        if dealer is not None and dealer.parent_id is not None:
            await order_for_parent(uow, actor, order, dealer.parent_id, clock)
            return
    approvers = await order_deciders(uow, desk_only=not order.needs_approval)
    await tell_users(uow, approvers, Notice("order.changed", Category.ORDER, params, urgent=True),
                     _order_key(order), clock, exclude=actor)


def _shortfall(order: Order) -> str:
    """The amount over the dealer's funds, for an approver ("" when the funds covered it)."""
    return fmt_cny(order.uncovered) if CREDIT_SHORTFALL in order.approval_reasons and order.uncovered else ""


def _order_params(order: Order) -> dict[str, Any]:
    return {"number": order.number, "items": ", ".join(f"{line.sku}×{line.qty}" for line in order.lines),
            "total": fmt_cny(order.total), "version": order.version,
            "date": order.requested_delivery.isoformat() if order.requested_delivery else ""}


async def order_for_parent(uow: AbstractUnitOfWork, actor: Actor, order: Order, parent_id: int,
                           clock: Clock) -> None:
    """A sub-dealer's new order waits for its parent dealer (``Dealer.approves_sub_orders``): the parent's users
    who may order get the prompt with ✅ / ❌; the maker's approvers only once the parent approved."""
    params = _order_params(order) | {"dealer": await dealer_label(uow, order.dealer_id)}
    await tell_dealer(uow, parent_id, Notice("order.parent_review", Category.ORDER, params, urgent=True),
                      _order_key(order), clock, exclude=actor, roles=[Role.DEALER_OWNER, Role.DEALER_CLERK])


async def order_placed_by_parent(uow: AbstractUnitOfWork, actor: Actor, order: Order, clock: Clock) -> None:
    """The parent dealer ordered on its sub-dealer's behalf: the sub-dealer is told."""
    assert actor.dealer_id is not None
    params = _order_params(order) | {"parent": await dealer_label(uow, actor.dealer_id),
                                     "who": await display_name(uow, actor)}
    await tell_dealer(uow, order.dealer_id, Notice("order.by_parent", Category.ORDER, params, urgent=True),
                      _order_key(order) + ":by_parent", clock, exclude=actor)


async def orders_held(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, numbers: list[str], reason: str,
                      clock: Clock, *, held: bool) -> None:
    """A suspended dealer's open orders put on hold for review (``held``) or released on reinstatement: the
    order desk (ORDER_ALLOCATE) is told once, with the numbers."""
    params = {"dealer": await dealer_label(uow, dealer_id), "numbers": ", ".join(numbers), "count": len(numbers),
              "reason": reason}
    kind = "order.held" if held else "order.released"
    key = f"{dealer_id}:{numbers[0]}:{clock.now().isoformat()}"
    await tell_staff(uow, Permission.ORDER_ALLOCATE, Notice(kind, Category.ORDER, params, urgent=held), key, clock,
                     exclude=actor)


async def order_changed(uow: AbstractUnitOfWork, actor: Actor, order: Order, action: str, clock: Clock) -> None:
    """After an order transition (``core.order_states.OrderAction`` value): the dealer, and the next desk."""
    key = _order_key(order)
    base = {"number": order.number, "total": fmt_cny(order.total)}

    async def dealer(kind: str, **params: Any) -> None:
        await tell_dealer(uow, order.dealer_id, Notice(kind, Category.ORDER, base | params, urgent=True), key,
                          clock, exclude=actor)

    async def staff(permission: Permission, kind: str, **params: Any) -> None:
        line = base | {"dealer": await dealer_label(uow, order.dealer_id)} | params
        await tell_staff(uow, permission, Notice(kind, Category.ORDER, line, urgent=True), key, clock,
                         exclude=actor)

    if action == "parent_approve":
        await dealer("order.parent_approved")
    elif action == "approve":
        await dealer("order.approved")
        await staff(Permission.ORDER_ALLOCATE, "order.to_allocate")
    elif action == "reject":
        await dealer("order.rejected", reason=order.reject_reason or "")
    elif action == "produce":
        await dealer("order.in_production")
    elif action == "allocate":
        await dealer("order.allocated")
        warehouse = await uow.warehouses.get(order.warehouse_id) if order.warehouse_id is not None else None
        await staff(Permission.ORDER_SHIP, "order.to_ship", warehouse=warehouse.code if warehouse else "?")
    elif action == "ship":
        await dealer("order.shipped", carrier=order.carrier or "", tracking=order.tracking_no or "")
    elif action == "receive":
        note = order.events[-1].note if order.events else ""
        await dealer("order.received", who=await display_name(uow, actor), note=note)
    elif action == "cancel":
        if actor.kind == ActorKind.DEALER:
            await staff(Permission.ORDER_APPROVE, "order.cancelled_staff")
            await dealer("order.cancelled_by_dealer", who=await display_name(uow, actor))
        else:       # the maker's reason (the event's note), so the dealer does not have to ask
            await dealer("order.cancelled", reason=order.events[-1].note if order.events else "")


def _product(product: Product | None, sku: str | None) -> str:
    if product is None:
        return sku or "-"
    return product.name if product.sku.lower() in product.name.lower() else f"{product.name} {product.sku}"


async def _ticket_handlers(uow: AbstractUnitOfWork, ticket: Ticket) -> list[int]:
    """The ticket's assignee when it has one, else everyone who handles tickets."""
    assignee = await user_for_label(uow, ticket.assignee)
    return [assignee] if assignee is not None else await staff_users(uow, Permission.TICKET_HANDLE)


def evidence(keys: Iterable[str | None], stem: str) -> list[dict[str, str]]:
    """The ``attachments`` param of a push about a record with evidence: each stored file (its file-store key)
    named ``{stem}-{n}.{ext}`` (``AS-20261204-0001-1.jpg``); the worker's senders send them before the card
    (``notifications.templates.Attachment``)."""
    found = [key for key in keys if key]
    out = []
    for n, key in enumerate(found, 1):
        ext = key.rpartition(".")[2].lower() if "." in key else "jpg"
        out.append({"key": key, "name": f"{stem}-{n}.{ext}" if len(found) > 1 else f"{stem}.{ext}"})
    return out


def _ticket_key(ticket: Ticket) -> str:
    return f"{ticket.number}:c{len(ticket.comments)}"


async def ticket_created(uow: AbstractUnitOfWork, actor: Actor, ticket: Ticket, clock: Clock) -> None:
    product = await uow.products.get_by(sku=ticket.sku) if ticket.sku else None
    zh, en = PRIORITY_LABELS[ticket.priority]
    due = ticket.sla_due_at.astimezone(clock.tz).strftime("%Y-%m-%d %H:%M") if ticket.sla_due_at else "-"
    params = {"number": ticket.number, "dealer": await dealer_label(uow, ticket.dealer_id),
              "product": _product(product, ticket.sku), "desc": _clip(ticket.description),
              "photos": len(ticket.photos), "priority": localized(zh, en), "due": due, "address": ticket.address,
              "attachments": evidence(ticket.photos, ticket.number)}
    await tell_staff(uow, Permission.TICKET_HANDLE, Notice("ticket.created", Category.TICKET, params, urgent=True),
                     _ticket_key(ticket), clock, exclude=actor)


async def ticket_changed(uow: AbstractUnitOfWork, actor: Actor, ticket: Ticket, action: str, note: str,
                         clock: Clock) -> None:
    """A status change: the dealer hears of staff's steps (a resolution asks it "问题解决了吗？"), and of a ticket
    closed because it did not answer; the dealer's answer (reopen, confirm) goes back to the handler."""
    params: dict[str, Any] = {"number": ticket.number, "who": await display_name(uow, actor), "text": note}
    if action in ("reopen", "confirm"):
        params["dealer"] = await dealer_label(uow, ticket.dealer_id)
        kind = "ticket.reopen" if action == "reopen" else "ticket.confirmed"
        await tell_users(uow, await _ticket_handlers(uow, ticket),
                         Notice(kind, Category.TICKET, params, urgent=action == "reopen"), _ticket_key(ticket), clock,
                         exclude=actor)
        return
    if action == "auto_close":
        waited = (clock.now() - ticket.resolved_at).days if ticket.resolved_at is not None else 0
        await tell_dealer(uow, ticket.dealer_id, Notice("ticket.auto_close", Category.TICKET,
                                                        {"number": ticket.number, "days": waited}),
                          _ticket_key(ticket), clock)
        return
    if action in ("accept", "start", "resolve", "reject", "close"):
        await tell_dealer(uow, ticket.dealer_id, Notice(f"ticket.{action}", Category.TICKET, params, urgent=True),
                          _ticket_key(ticket), clock, exclude=actor)


async def ticket_commented(uow: AbstractUnitOfWork, actor: Actor, ticket: Ticket, text: str, clock: Clock, *,
                           photos: Sequence[str] = ()) -> None:
    """A comment goes to the other side: staff's to the dealer, the dealer's to whoever handles it (with the photos
    it added, as images before the text)."""
    params: dict[str, Any] = {"number": ticket.number, "who": await display_name(uow, actor), "text": _clip(text, 1000)}
    if photos:
        params["attachments"] = evidence(list(photos), ticket.number)
    if actor.kind == ActorKind.DEALER:
        params["dealer"] = await dealer_label(uow, ticket.dealer_id)
        await tell_users(uow, await _ticket_handlers(uow, ticket),
                         Notice("ticket.comment_staff", Category.TICKET, params, urgent=True), _ticket_key(ticket),
                         clock, exclude=actor)
    else:
        await tell_dealer(uow, ticket.dealer_id, Notice("ticket.comment", Category.TICKET, params, urgent=True),
                          _ticket_key(ticket), clock, exclude=actor)


async def quality_submitted(uow: AbstractUnitOfWork, actor: Actor, feedback: QualityFeedback, clock: Clock) -> None:
    product = await uow.products.get_by(sku=feedback.sku)
    params = {"number": feedback.number, "dealer": await dealer_label(uow, feedback.dealer_id),
              "product": _product(product, feedback.sku), "batch": feedback.batch or "-",
              "category": feedback.defect_category, "count": feedback.count,
              "desc": _clip(feedback.description) or "-", "attachments": evidence(feedback.photos, feedback.number)}
    await tell_staff(uow, Permission.QUALITY_HANDLE, Notice("quality.submitted", Category.TICKET, params),
                     feedback.number, clock, exclude=actor)


_DEALER_NOTICES: dict[str, tuple[str, Category]] = {
    "approve": ("dealer.approved", Category.QUALIFICATION),
    "send_back": ("dealer.sent_back", Category.QUALIFICATION),
    "suspend": ("dealer.suspended", Category.SYSTEM),
    "reinstate": ("dealer.reinstated", Category.SYSTEM),
    "terminate": ("dealer.terminated", Category.SYSTEM),
}


async def dealer_changed(uow: AbstractUnitOfWork, actor: Actor, dealer: Dealer, action: str, clock: Clock) -> None:
    """A dealer status change (``core.dealer_states.DealerAction`` value)."""
    assert dealer.id is not None
    key = f"{dealer.code}:{dealer.status_changed_at.isoformat() if dealer.status_changed_at else ''}"
    if action == "submit":
        contact = dealer.contacts[0] if dealer.contacts else None
        params = {"code": dealer.code, "name": dealer.name, "uscc": dealer.uscc, "province": dealer.province,
                  "city": dealer.city, "region": dealer.region,
                  "contact": (contact.name + (f"（{contact.role}）" if contact.role else "")) if contact else "-",
                  "docs": await uow.qualifications.count(dealer_id=dealer.id)}
        scans = [d for d in await uow.qualifications.list(dealer_id=dealer.id, order_by="id") if d.file_ref]
        params["attachments"] = [item for d in scans for item in evidence([d.file_ref], await document_stem(uow, d))]
        await tell_staff(uow, Permission.DEALER_REVIEW, Notice("dealer.submitted", Category.QUALIFICATION, params),
                         key, clock, exclude=actor)
        return
    if action in _DEALER_NOTICES:
        kind, category = _DEALER_NOTICES[action]
        params = {"name": dealer.name, "reason": dealer.status_reason or ""}
        await tell_dealer(uow, dealer.id, Notice(kind, category, params), key, clock, exclude=actor)


async def document_stem(uow: AbstractUnitOfWork, doc: Qualification) -> str:
    """A scan's file name without its extension, as staff read it: ``D0001-营业执照-91330100…``."""
    dealer = await uow.dealers.get(doc.dealer_id)
    code = dealer.code if dealer is not None else str(doc.dealer_id)
    return "-".join(part for part in (code, DOCUMENT_LABELS[doc.doc_type][0], doc.number.replace("/", "_")) if part)


def _doc_label(doc: Qualification) -> Localized:
    return localized(*DOCUMENT_LABELS[doc.doc_type])


async def qualification_decided(uow: AbstractUnitOfWork, actor: Actor, doc: Qualification, clock: Clock) -> None:
    approved = doc.status == ReviewStatus.APPROVED
    params = {"doc": _doc_label(doc), "number": doc.number, "reason": doc.reject_reason or ""}
    await tell_dealer(uow, doc.dealer_id, Notice("qual.approved" if approved else "qual.rejected",
                                                 Category.QUALIFICATION, params), f"{doc.id}", clock, exclude=actor)


async def qualification_renewed(uow: AbstractUnitOfWork, actor: Actor, doc: Qualification, clock: Clock,
                                kind: str = "qual.renewed") -> None:
    """A document to review, its scan first: a renewal (``qual.renewed``), or a new document an active dealer
    uploaded (``qual.uploaded``)."""
    params = {"id": doc.id, "doc": _doc_label(doc), "number": doc.number,
              "dealer": await dealer_label(uow, doc.dealer_id),
              "expires": doc.expires_on.isoformat() if doc.expires_on else localized("长期", "no expiry"),
              "attachments": evidence([doc.file_ref], await document_stem(uow, doc))}
    await tell_staff(uow, Permission.DEALER_REVIEW, Notice(kind, Category.QUALIFICATION, params),
                     f"{doc.id}", clock, exclude=actor)


async def material_requested(uow: AbstractUnitOfWork, actor: Actor, request: MaterialRequest, clock: Clock) -> None:
    material = await uow.materials.get(request.material_id)
    params = {"id": request.id, "name": material.name if material else "?", "qty": request.qty,
              "dealer": await dealer_label(uow, request.dealer_id), "reason": request.reason or "-"}
    await tell_staff(uow, Permission.MATERIAL_APPROVE, Notice("material.requested", Category.CAMPAIGN, params),
                     f"{request.id}", clock, exclude=actor)


async def material_decided(uow: AbstractUnitOfWork, actor: Actor, request: MaterialRequest, clock: Clock) -> None:
    material = await uow.materials.get(request.material_id)
    approved = request.status == RequestStatus.APPROVED
    params = {"name": material.name if material else "?", "qty": request.qty, "reason": request.reject_reason or ""}
    await tell_dealer(uow, request.dealer_id, Notice("material.approved" if approved else "material.rejected",
                                                     Category.CAMPAIGN, params), f"{request.id}", clock, exclude=actor)


def campaign_notice(campaign: Campaign) -> Notice:
    return Notice("campaign.launched", Category.CAMPAIGN, {
        "id": campaign.id, "code": campaign.code, "name": campaign.name, "starts": campaign.starts_on.isoformat(),
        "ends": campaign.ends_on.isoformat(), "description": _clip(campaign.description, 300),
        "support": _clip(campaign.support, 200)})


def campaign_reminder(campaign: Campaign) -> Notice:
    """A running campaign a target dealer has not joined yet (``core.services.campaigns.remind_not_joined``)."""
    return Notice("campaign.reminder", Category.CAMPAIGN, {
        "id": campaign.id, "code": campaign.code, "name": campaign.name, "starts": campaign.starts_on.isoformat(),
        "ends": campaign.ends_on.isoformat(), "description": _clip(campaign.description, 300),
        "support": _clip(campaign.support, 200)})


async def campaign_started(uow: AbstractUnitOfWork, campaign: Campaign, clock: Clock,
                           is_target: Callable[[Campaign, Dealer], bool]) -> int:
    """Announce a launched campaign that runs today to its target dealers (``is_target``: the rule of
    ``core.services.campaigns``); once per user: the launch and the scheduled check on its first days
    write the same keys. The number of rows staged."""
    today = clock.today()
    if campaign.status != CampaignStatus.LAUNCHED or not campaign.starts_on <= today <= campaign.ends_on:
        return 0
    staged = 0
    notice = campaign_notice(campaign)
    for dealer in await uow.dealers.list(status=DealerStatus.ACTIVE):
        if is_target(campaign, dealer) and dealer.id is not None:
            staged += len(await tell_dealer(uow, dealer.id, notice, f"{campaign.id}", clock))
    return staged


async def campaign_reported(uow: AbstractUnitOfWork, actor: Actor, campaign: Campaign,
                            participation: CampaignParticipation, clock: Clock) -> None:
    """A dealer's execution report, for marketing to review: its photos first, then the approve / turn down card;
    keyed by when it was reported, so a report sent again after a turn-down is told again."""
    ref = f"{campaign.id}-{participation.dealer_id}"
    stamp = participation.reported_at.strftime("%Y%m%d%H%M%S") if participation.reported_at else ""
    params = {"campaign_id": campaign.id, "dealer_id": participation.dealer_id, "name": campaign.name,
              "dealer": await dealer_label(uow, participation.dealer_id), "text": _clip(participation.report_text, 300),
              "new": participation.new_customers, "photos": len(participation.report_photos),
              "attachments": evidence(participation.report_photos, f"{campaign.code}-{ref}")}
    await tell_staff(uow, Permission.CAMPAIGN_WRITE, Notice("campaign.reported", Category.CAMPAIGN, params),
                     f"{ref}:{stamp}", clock, exclude=actor)


def _statement_params(statement: Statement) -> dict[str, Any]:
    return {"period": statement.period, "closing": fmt_cny(statement.closing_balance),
            "due": statement.due_on.isoformat() if statement.due_on else "", "answer": statement.answer or "",
            "accounts": [[s["label_zh"], s["label_en"], fmt_cny(Decimal(s["opening"])), fmt_cny(Decimal(s["closing"]))]
                         for s in statement.accounts]}


async def statement_issued(uow: AbstractUnitOfWork, actor: Actor, statement: Statement, clock: Clock,
                           kind: str = "statement.issued") -> None:
    """To the dealer's owner (who confirms): issued, issued again after an answer, the reminder, or
    confirmed by silence (``kind``); keyed by when it was sent so each issue is told once."""
    sent = statement.sent_at or statement.created_at
    stamp = sent.strftime("%Y%m%d%H%M%S") if sent else ""
    await tell_dealer(uow, statement.dealer_id, Notice(kind, Category.CONTRACT, _statement_params(statement)),
                      f"{statement.dealer_id}:{statement.period}:{stamp}", clock, exclude=actor,
                      roles=[Role.DEALER_OWNER])


async def statement_disputed(uow: AbstractUnitOfWork, actor: Actor, statement: Statement, clock: Clock) -> None:
    stamp = statement.decided_at.strftime("%Y%m%d%H%M%S") if statement.decided_at else ""
    params = {"dealer": await dealer_label(uow, statement.dealer_id), "period": statement.period,
              "reason": statement.dispute_reason or "", "lines": list(statement.dispute_lines), "id": statement.id}
    await tell_staff(uow, Permission.ACCOUNT_POST, Notice("statement.disputed", Category.CONTRACT, params),
                     f"{statement.dealer_id}:{statement.period}:{stamp}", clock, exclude=actor)


async def question_for_staff(uow: AbstractUnitOfWork, actor: Actor, question: StaffQuestion, clock: Clock) -> None:
    """A question the assistant could not answer, for the people who keep the FAQ (DEALER_WRITE)."""
    who = question.asked_by or localized(f"未绑定用户 {question.channel}:{question.chat_id}",
                                         f"unbound user {question.channel}:{question.chat_id}")
    params = {"id": question.id, "who": who, "question": _clip(question.question, 1000)}
    if question.about_order:        # a change asked for an approved order: the order desk (as its prompts)
        params["order"] = question.about_order
        desk = await order_deciders(uow, desk_only=True)
        await tell_users(uow, desk, Notice("faq.question", Category.ORDER, params, urgent=True), f"{question.id}",
                         clock, exclude=actor)
        return
    await tell_staff(uow, Permission.DEALER_WRITE, Notice("faq.question", Category.FAQ, params),
                     f"{question.id}", clock, exclude=actor)


async def question_answered(uow: AbstractUnitOfWork, question: StaffQuestion, clock: Clock) -> None:
    """Staff's answer, back to the chat that asked (a visitor may be bound to no user)."""
    params = {"question": _clip(question.question, 300), "answer": question.answer}
    await tell_chat(uow, question.channel, question.chat_id,
                    Notice("faq.answer", Category.FAQ, params, urgent=True), f"{question.id}", clock)


async def tell_chat(uow: AbstractUnitOfWork, channel: str, chat_id: str, notice: Notice, key: str,
                    clock: Clock) -> OutboxMessage | None:
    """One row for an explicit chat (e.g. a visitor who is bound to no user)."""
    return await enqueue(uow, OutboxMessage(
        dedup_key=f"{notice.kind}:{key}:{channel}:{chat_id}"[:200], kind=notice.kind, category=notice.category,
        params=dict(notice.params), channel=channel, chat_id=chat_id, urgent=notice.urgent, created_at=clock.now()))


# --- preferences (/settings) --------------------------------------------------------------------------

def _own_user(actor: Actor) -> int:
    if actor.kind not in (ActorKind.DEALER, ActorKind.STAFF) or actor.user_id is None:
        raise PermissionDenied()
    return actor.user_id


async def _preference(uow: AbstractUnitOfWork, user_id: int, *, for_update: bool = False) -> NotificationPreference:
    found = await uow.preferences.get_by(user_id=user_id, for_update=for_update)
    return found if found is not None else NotificationPreference(user_id=user_id)


async def get_preferences(uow: AbstractUnitOfWork, actor: Actor) -> NotificationPreference:
    """The acting user's preferences (defaults when never set: nothing muted, the channel used last)."""
    user_id = _own_user(actor)
    async with uow:
        return await _preference(uow, user_id)


async def user_channels(uow: AbstractUnitOfWork, actor: Actor) -> list[str]:
    """The channels the acting user is bound on (the choices for a preferred channel)."""
    user_id = _own_user(actor)
    async with uow:
        return sorted({i.channel for i in await uow.identities.list(user_id=user_id)})


@dataclass(frozen=True)
class SetMuted:
    category: Category
    muted: bool


@dataclass(frozen=True)
class SetPreferredChannel:
    channel: str | None             # None: the channel used last


async def _save_preference(uow: AbstractUnitOfWork, actor: Actor, pref: NotificationPreference,
                           before: dict[str, Any], clock: Clock) -> NotificationPreference:
    pref.updated_at = clock.now()
    if pref.id is None:
        await uow.preferences.add(pref)
    await record(uow, actor, "preference.update", "user", pref.user_id, clock, before=before,
                 after=snapshot(pref, ("muted", "channel")))
    await uow.commit()
    return pref


async def set_muted(uow: AbstractUnitOfWork, actor: Actor, cmd: SetMuted, clock: Clock) -> NotificationPreference:
    """Mute or unmute one category for the acting user. System notices cannot be muted."""
    user_id = _own_user(actor)
    category = Category(cmd.category)
    if category in UNMUTABLE and cmd.muted:
        zh, en = CATEGORY_LABELS[category]
        raise ValidationFailed(zh=f"“{zh}”不能关闭", en=f"{en} cannot be muted", reason="unmutable")
    async with uow:
        pref = await _preference(uow, user_id, for_update=True)
        before = snapshot(pref, ("muted", "channel"))
        muted = [m for m in pref.muted if m != category.value]
        if cmd.muted:
            muted.append(category.value)
        pref.muted = sorted(muted)
        return await _save_preference(uow, actor, pref, before, clock)


async def set_preferred_channel(uow: AbstractUnitOfWork, actor: Actor, cmd: SetPreferredChannel,
                                clock: Clock) -> NotificationPreference:
    """Pushes go to ``channel`` (one the user is bound on), or to the channel used last (None)."""
    user_id = _own_user(actor)
    async with uow:
        if cmd.channel is not None:
            bound = {i.channel for i in await uow.identities.list(user_id=user_id)}
            if cmd.channel not in bound:
                raise ValidationFailed(zh=f"您没有绑定 {cmd.channel}", en=f"You are not bound on {cmd.channel}",
                                       reason="channel")
        pref = await _preference(uow, user_id, for_update=True)
        before = snapshot(pref, ("muted", "channel"))
        pref.channel = cmd.channel
        return await _save_preference(uow, actor, pref, before, clock)


# --- the admin's retry --------------------------------------------------------------------------------

RETRYABLE: frozenset[OutboxStatus] = frozenset({OutboxStatus.DEAD, OutboxStatus.FAILED, OutboxStatus.MUTED})


async def retry_messages(uow: AbstractUnitOfWork, actor: Actor, message_ids: Sequence[int], clock: Clock) -> int:
    """Put dead (or failed, or muted) rows back to pending with a fresh attempt count; the number changed."""
    require(actor, Permission.USER_MANAGE)
    changed = 0
    async with uow:
        for message_id in message_ids:
            row = await uow.outbox.get(message_id, for_update=True)
            if row is None:
                raise NotFound(what=f"outbox {message_id}")
            if row.status not in RETRYABLE:
                continue
            before = snapshot(row, ("status", "attempts", "last_error"))
            row.status = OutboxStatus.PENDING
            row.attempts = 0
            row.next_attempt_at = None
            row.claimed_by = None
            row.claimed_at = None
            await record(uow, actor, "outbox.retry", "outbox", row.id, clock, before=before,
                         after=snapshot(row, ("status", "attempts", "last_error")))
            changed += 1
        await uow.commit()
    return changed
