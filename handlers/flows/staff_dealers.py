"""Staff: dealer applications and qualification documents. Approve / send back an application, the dealer
card (contacts masked, the checklist, the documents waiting), approve / reject a document.

Payloads: ``staff.dealer.approve|D0001``, ``staff.dealer.reject|D0001``, ``staff.dealer.detail|D0001``,
``staff.qual.approve|id``, ``staff.qual.reject|id``, ``staff.qual.detail|id``. Shared pieces: ``handlers.flows.staff``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.aftersales import TicketStatus
from core.authz import require
from core.dealer_states import STATUS_LABELS as DEALER_STATUS_LABELS
from core.dealer_states import DealerAction, transition_refused
from core.dealers import DOCUMENT_LABELS, Contact, Dealer, DealerStatus, Qualification, ReviewStatus
from core.errors import Conflict, DomainError, InvalidTransition, NotFound
from core.masking import mask_id_number, mask_phone, mask_text
from core.money import ZERO, fmt_cny
from core.onboarding import checklist
from core.orders import OrderStatus
from core.services import dealers as dealer_cases
from core.services import qualifications
from core.services.accounts import get_balances
from core.services.payments import OPEN_ORDER_STATUSES
from core.services.privacy import RevealKind
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.privacy import reveal_button
from handlers.flows.staff import (
    REASON,
    REJECTIONS,
    _already,
    _arg,
    _ask,
    _decided_line,
    _edited,
    _int_arg,
    _label,
    _require_any,
    _stale,
    decision_buttons,
    drop_pending,
)
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

P = Permission


# --- dealer applications --------------------------------------------------------------------------

def _docs_line(lang: str, docs: list[Qualification], today: date) -> str:
    sep = "；" if not i18n.is_english(lang) else "; "
    return sep.join(i18n.pick(lang, item.zh, item.en) for item in checklist(docs, today))


async def _dealer_by_code(ctx: Ctx) -> Dealer:
    return await dealer_cases.get_dealer_by_code(ctx.uow(), ctx.actor, _arg(ctx, 0))


async def _dealer_taken(ctx: Ctx, dealer: Dealer, prompt_ref: str, error: DomainError) -> list[Reply]:
    """After a refused onboarding decision: if the application is no longer under review, say who decided."""
    fresh = await dealer_cases.get_dealer(ctx.uow(), ctx.actor, dealer.id or 0)
    async with ctx.uow() as uow:
        last = await uow.audit.list(entity="dealer", entity_id=fresh.code, action__in=[
            "dealer.approve", "dealer.send_back", "dealer.terminate"], order_by="at", desc=True, limit=1)
    if fresh.status == DealerStatus.UNDER_REVIEW or not last:
        raise error
    return await _already(ctx, fresh.code, last[0].actor if last else None, last[0].at if last else None,
                          _label(ctx.lang, DEALER_STATUS_LABELS[fresh.status]), prompt_ref)


@router.button("staff.dealer.approve")
async def approve_dealer(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    dealer, prompt_ref = await _dealer_by_code(ctx), ctx.inbound.message_ref
    assert dealer.id is not None
    try:
        dealer = await dealer_cases.approve_onboarding(ctx.uow(), ctx.actor, dealer_cases.ApproveOnboarding(dealer.id),
                                                       ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _dealer_taken(ctx, dealer, prompt_ref, exc)
    assert dealer.id is not None
    text = ctx.t("staff.dealer.approved", code=dealer.code, name=dealer.name)
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.dealer.reject")
async def reject_dealer_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    dealer, prompt_ref = await _dealer_by_code(ctx), ctx.inbound.message_ref
    if dealer.status != DealerStatus.UNDER_REVIEW:
        return await _dealer_taken(ctx, dealer, prompt_ref,
                                   transition_refused(dealer.status, DealerAction.SEND_BACK))
    ctx.go(REASON, kind="dealer", ref=dealer.code, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.dealer.ask_reason", code=dealer.code))]


async def _send_back_dealer(ctx: Ctx, code: str, reason: str, prompt_ref: str) -> list[Reply]:
    dealer = await dealer_cases.get_dealer_by_code(ctx.uow(), ctx.actor, code)
    assert dealer.id is not None
    try:
        dealer = await dealer_cases.send_back(ctx.uow(), ctx.actor, dealer_cases.SendBack(dealer.id, reason),
                                              ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _dealer_taken(ctx, dealer, prompt_ref, exc)
    assert dealer.id is not None
    text = ctx.t("staff.dealer.sent_back", code=dealer.code, name=dealer.name, reason=mask_text(reason))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.dealer.detail")
async def dealer_detail(ctx: Ctx) -> list[Reply]:
    _require_any(ctx, P.DEALER_REVIEW, P.DEALER_READ_ALL)
    dealer = await _dealer_by_code(ctx)
    assert dealer.id is not None
    items = await qualifications.dealer_checklist(ctx.uow(), ctx.actor, dealer.id, ctx.deps.clock.today())
    async with ctx.uow() as uow:
        pending = await uow.qualifications.list(dealer_id=dealer.id, status=ReviewStatus.PENDING, order_by="id")
    lang = ctx.lang
    contacts = "、".join(_contact_line(ctx, c) for c in dealer.contacts) or "-"
    lines = [ctx.t("staff.dealer.title", code=dealer.code, name=dealer.name,
                   status=_label(lang, DEALER_STATUS_LABELS[dealer.status])),
             ctx.t("staff.dealer.facts", uscc=dealer.uscc, province=dealer.province, city=dealer.city,
                   region=dealer.region, tier=dealer.tier, contacts=contacts)]
    if dealer.status_reason:
        lines.append(f"⚠️ {dealer.status_reason}")
    lines.extend(await _working_lines(ctx, dealer))
    lines.append(ctx.t("staff.dealer.checklist"))
    lines.extend(f"{'✅' if item.ok else '⬜'} {i18n.pick(lang, item.zh, item.en)}" for item in items)
    buttons: list[list[Button]] = []
    if pending:
        lines.append(ctx.t("staff.dealer.pending_docs"))
    may_review = P.DEALER_REVIEW in ctx.actor.permissions
    for doc in pending:
        label = _label(lang, DOCUMENT_LABELS[doc.doc_type])
        lines.append(f"· #{doc.id} {label} {doc.number}")
        if may_review and doc.id is not None:
            buttons.append([Button(f"✅ #{doc.id} {label}", payload("staff.qual.approve", doc.id)),
                            Button(f"❌ #{doc.id}", payload("staff.qual.reject", doc.id))])
    if may_review and dealer.status == DealerStatus.UNDER_REVIEW:
        buttons.append(decision_buttons(lang, "dealer", dealer.code)[0][:2])
    if may_review and any(c.phone for c in dealer.contacts):
        buttons.append(reveal_button(ctx, RevealKind.DEALER_CONTACT, dealer.code))
    if P.ORDER_PLACE_ON_BEHALF in ctx.actor.permissions and dealer.status == DealerStatus.ACTIVE:
        buttons.append([Button(ctx.t("btn.place_for_dealer"), payload("order.dealer", dealer.id))])
    return [Reply(text="\n".join(lines), buttons=buttons)]


async def _working_lines(ctx: Ctx, dealer: Dealer) -> list[str]:
    """What the card's reader may see of the dealer's business: credit and money (account readers), orders
    open and waiting for approval (order readers), tickets open (ticket handlers)."""
    assert dealer.id is not None
    perms = ctx.actor.permissions
    lines: list[str] = []
    if P.ACCOUNT_READ_ALL in perms:
        account = await get_balances(ctx.uow(), ctx.actor, dealer.id, ctx.deps.clock)
        b = account.balances
        lines.append(ctx.t("staff.dealer.money", limit=fmt_cny(account.credit_limit), used=fmt_cny(max(-b.credit, ZERO)),
                           prepaid=fmt_cny(b.prepayment), rebate=fmt_cny(b.rebate), deposit=fmt_cny(b.deposit)))
    async with ctx.uow() as uow:
        if P.ORDER_READ_ALL in perms:
            open_orders = await uow.orders.list(dealer_id=dealer.id, status__in=sorted(OPEN_ORDER_STATUSES))
            waiting = sum(1 for o in open_orders if o.status == OrderStatus.SUBMITTED)
            lines.append(ctx.t("staff.dealer.orders", n=len(open_orders), waiting=waiting))
        if P.TICKET_HANDLE in perms:
            tickets = await uow.tickets.list(dealer_id=dealer.id, status__in=[
                TicketStatus.OPEN, TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS])
            lines.append(ctx.t("staff.dealer.tickets", n=len(tickets)))
    return lines


def _contact_line(ctx: Ctx, contact: Contact) -> str:
    """``陈明（老板） 139****5678``: the contact's name and role, the phone and ID number masked."""
    line = contact.name + (f"（{contact.role}）" if contact.role else "")
    if contact.phone:
        line += f" {mask_phone(contact.phone)}"
    if contact.id_number:
        line += " " + ctx.t("staff.dealer.id_number", number=mask_id_number(contact.id_number))
    return line


# --- qualification documents --------------------------------------------------------------------

async def _qual_with_dealer(ctx: Ctx, qual_id: int) -> tuple[Qualification, Dealer]:
    """The document and its dealer, for a reviewer (NotFound as the use cases answer it)."""
    require(ctx.actor, P.DEALER_REVIEW)
    async with ctx.uow() as uow:
        doc = await uow.qualifications.get(qual_id)
        dealer = await uow.dealers.get(doc.dealer_id) if doc is not None else None
    if doc is None or dealer is None:
        raise NotFound(zh=f"未找到资质文件：{qual_id}", en=f"Document not found: {qual_id}",
                       what=f"qualification {qual_id}")
    return doc, dealer


def _qual_params(ctx: Ctx, doc: Qualification, dealer: Dealer) -> dict[str, Any]:
    return {"id": doc.id, "doc": _label(ctx.lang, DOCUMENT_LABELS[doc.doc_type]), "number": doc.number,
            "code": dealer.code, "dealer": dealer.name}


async def _qual_taken(ctx: Ctx, qual_id: int, prompt_ref: str, error: DomainError) -> list[Reply]:
    async with ctx.uow() as uow:
        doc = await uow.qualifications.get(qual_id)
    if doc is None or doc.status == ReviewStatus.PENDING:
        raise error
    status = ctx.pick("已通过", "approved") if doc.status == ReviewStatus.APPROVED else ctx.pick("已驳回", "rejected")
    return await _already(ctx, f"#{qual_id}", doc.reviewed_by, doc.reviewed_at, status, prompt_ref)


@router.button("staff.qual.approve")
async def approve_qual(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    qual_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    try:
        doc = await qualifications.approve_qualification(ctx.uow(), ctx.actor,
                                                         qualifications.ApproveQualification(qual_id), ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _qual_taken(ctx, qual_id, prompt_ref, exc)
    _, dealer = await _qual_with_dealer(ctx, qual_id)
    text = ctx.t("staff.qual.approved", **_qual_params(ctx, doc, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.qual.reject")
async def reject_qual_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    qual_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    doc, _ = await _qual_with_dealer(ctx, qual_id)
    if doc.status != ReviewStatus.PENDING:
        return await _qual_taken(ctx, qual_id, prompt_ref, InvalidTransition())
    ctx.go(REASON, kind="qual", ref=qual_id, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.qual.ask_reason", id=qual_id))]


async def _reject_qual(ctx: Ctx, qual_id: int, reason: str, prompt_ref: str) -> list[Reply]:
    try:
        doc = await qualifications.reject_qualification(
            ctx.uow(), ctx.actor, qualifications.RejectQualification(qual_id, reason), ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _qual_taken(ctx, qual_id, prompt_ref, exc)
    _, dealer = await _qual_with_dealer(ctx, qual_id)
    text = ctx.t("staff.qual.rejected", reason=mask_text(reason), **_qual_params(ctx, doc, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


def _qual_prompt_text(ctx: Ctx, doc: Qualification, dealer: Dealer) -> str:
    expires = doc.expires_on.isoformat() if doc.expires_on else ctx.t("staff.qual.no_expiry")
    renewal = ctx.t("staff.qual.renewal") if doc.replaces_id else ""
    return ctx.t("staff.qual.prompt", expires=expires, renewal=renewal, **_qual_params(ctx, doc, dealer))


@router.button("staff.qual.detail")
async def qual_detail(ctx: Ctx) -> list[Reply]:
    doc, dealer = await _qual_with_dealer(ctx, _int_arg(ctx, 0))
    status = {ReviewStatus.PENDING: ("待审核", "pending"), ReviewStatus.APPROVED: ("已通过", "approved"),
              ReviewStatus.REJECTED: ("已驳回", "rejected")}[doc.status]
    lines = [_qual_prompt_text(ctx, doc, dealer), ctx.t("staff.qual.status", status=_label(ctx.lang, status))]
    if doc.issued_on:
        lines.append(ctx.pick(f"签发：{doc.issued_on.isoformat()}", f"Issued: {doc.issued_on.isoformat()}"))
    if doc.file_ref:
        lines.append(ctx.t("staff.qual.file", file=doc.file_ref))
    if doc.reject_reason:
        lines.append(f"⚠️ {doc.reject_reason}")
    buttons = decision_buttons(ctx.lang, "qual", doc.id or 0)[0][:2] if doc.status == ReviewStatus.PENDING else []
    return [Reply(text="\n".join(lines), buttons=[buttons] if buttons else [])]


async def _sent_back(ctx: Ctx, ref: str, reason: str, data: dict[str, Any]) -> list[Reply]:
    return await _send_back_dealer(ctx, ref, reason, str(data.get("prompt", "")))


async def _qual_rejected(ctx: Ctx, ref: str, reason: str, data: dict[str, Any]) -> list[Reply]:
    if not ref.isdigit():
        raise _stale()
    return await _reject_qual(ctx, int(ref), reason, str(data.get("prompt", "")))


REJECTIONS["dealer"] = _sent_back
REJECTIONS["qual"] = _qual_rejected
