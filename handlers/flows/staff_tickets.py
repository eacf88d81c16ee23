"""Staff: after-sales tickets. The ticket card (photos as images, the customer masked, "Show full number"),
accept / start / resolve / reject / close, comments and questions to the dealer, the statistics. The queue
itself is ``handlers.flows.staff_queues`` (``staff.tickets``, ``q.tickets``).

Payloads: ``staff.ticket.<detail|accept|start|comment|resolve|reject|close|info>|AS-…``, ``staff.ticket.stats``.
Shared pieces: ``handlers.flows.staff``.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from core.aftersales import Ticket, TicketStatus
from core.authz import require
from core.errors import Conflict, DomainError, InvalidTransition, ValidationFailed
from core.masking import mask_name, mask_phone, mask_text
from core.services import aftersales
from core.services.privacy import RevealKind
from core.ticket_states import (
    ACTION_LABELS,
    ACTIVE_STATUSES,
    PRIORITY_LABELS,
    TICKET_STATUS_LABELS,
    TicketAction,
    invalid_transition,
    is_sla_breached,
)
from core.ticket_states import TRANSITIONS as TICKET_TRANSITIONS
from core.ticket_states import allowed_actions as ticket_actions
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.menu import require_bound
from handlers.flows.privacy import reveal_button
from handlers.flows.staff import (
    MAX_NOTE,
    PHOTOS_SHOWN,
    REASON,
    REJECTIONS,
    STATS_DAYS,
    TICKET_NOTE,
    _already,
    _arg,
    _ask,
    _b,
    _decided_line,
    _edited,
    _label,
    _person,
    _require_any,
    _stale,
    _typed,
    _when,
    drop_pending,
)
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.record_notes import note_with_number
from nlu.replies import is_keep
from nlu.staff_commands import StaffVerb, ticket_step_said, words_besides_number

router = Router(name=__name__)

P = Permission

i18n.register({
    "staff.ticket.awaiting_dealer": ("⏳ 已解决，等经销商确认（已解决 / 还没解决；不答复则到期自动关闭）",
                                     "⏳ Resolved; waiting for the dealer to confirm (solved / not yet; closed "
                                     "automatically if it does not answer)"),
    "staff.ticket.already_there": ("工单 {number} 已经是“{status}”了，不用再{action}。",
                                   "Ticket {number} is {status} already; no need to {action} it."),
})

# the ticket steps a staff member says in words ("AS-… 受理", "开始处理" under the card), as their buttons take them
_SAID_STEPS = {StaffVerb.ACCEPT: TicketAction.ACCEPT, StaffVerb.START: TicketAction.START,
               StaffVerb.RESOLVE: TicketAction.RESOLVE}
# a ticket's way forward: a step said whose target is this far behind the ticket's status is done already
_PROGRESS = (TicketStatus.OPEN, TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED,
             TicketStatus.CLOSED)


# --- after-sales tickets ------------------------------------------------------------------------

def _ticket_mark(ticket: Ticket, now: datetime) -> str:
    return "⏰ " if is_sla_breached(ticket, now) else ""


def _ticket_buttons(ctx: Ctx, ticket: Ticket, *, said_fixed: bool = False) -> list[list[Button]]:
    """The card's buttons: the next steps of its status. Resolving straight from open or accepted is offered only
    when the person said it is fixed ("AS-… 修好了"), then first; the card's usual path is accept, start, resolve.
    A resolved ticket has no close button: the dealer closes it (已解决) or the scheduler does when it does not
    answer (core.ticket_states); staff.ticket.close still answers a card sent before."""
    keys = {TicketAction.ACCEPT: "staff.btn.accept", TicketAction.START: "staff.btn.start",
            TicketAction.RESOLVE: "staff.btn.resolve", TicketAction.REJECT: "staff.btn.reject"}
    actions = [a for a in ticket_actions(ticket.status) if a in keys
               and (a != TicketAction.RESOLVE or said_fixed or ticket.status == TicketStatus.IN_PROGRESS)]
    if said_fixed and TicketAction.RESOLVE in actions:
        actions.remove(TicketAction.RESOLVE)
        actions.insert(0, TicketAction.RESOLVE)
    row = [_b(ctx, keys[a], f"staff.ticket.{a.value}", ticket.number) for a in actions]
    if ticket.status not in (TicketStatus.CLOSED, TicketStatus.REJECTED):
        row.append(_b(ctx, "staff.btn.comment", "staff.ticket.comment", ticket.number))
    if ticket.status in ACTIVE_STATUSES:
        row.append(_b(ctx, "staff.btn.info", "staff.ticket.info", ticket.number))
    return [row[i:i + 3] for i in range(0, len(row), 3)]


MIN_SAID = 8             # characters of words said with the number that may be a result ("修好了" alone is not one)


@router.button("staff.ticket.detail")
async def ticket_detail(ctx: Ctx) -> list[Reply]:
    return await ticket_card(ctx)


async def ticket_card(ctx: Ctx, *, said_fixed: bool = False) -> list[Reply]:
    """The card of the ticket ``ctx.args[0]``; ``said_fixed`` ("AS-… 修好了"): asked first whether to mark it
    resolved, the resolve button first (nothing changes before it is pressed and the resolution typed)."""
    require(ctx.actor, P.TICKET_HANDLE)
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, _arg(ctx, 0))
    remember_ticket(ctx, ticket.number)
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(ticket.dealer_id)
        product = await uow.products.get_by(sku=ticket.sku) if ticket.sku else None
    now, lang = ctx.deps.clock.now(), ctx.lang
    lines = [ctx.t("staff.ticket.title", mark=_ticket_mark(ticket, now), number=ticket.number,
                   status=_label(lang, TICKET_STATUS_LABELS[ticket.status]),
                   priority=_label(lang, PRIORITY_LABELS[ticket.priority])),
             ctx.t("staff.ticket.dealer", dealer=dealer.name if dealer else "?", code=dealer.code if dealer else "?")]
    if ticket.sku or ticket.serial_no:
        # "除湿机 DH12（DH12），序列号 SN123": the product by name, the serial only when there is one
        named = f"{product.name}（{product.sku}）" if product is not None else ticket.sku or ""
        serial = ctx.t("staff.ticket.serial", serial=ticket.serial_no) if ticket.serial_no else ""
        lines.append(ctx.t("staff.ticket.product", what="，".join(w for w in (named, serial) if w)))
    lines.append(ctx.t("staff.ticket.problem", text=mask_text(ticket.description)))
    if ticket.customer_name or ticket.customer_phone:
        lines.append(ctx.t("staff.ticket.customer", name=mask_name(ticket.customer_name),
                           phone=mask_phone(ticket.customer_phone)))
    if ticket.address:               # where the visit is: the handler needs it whole
        lines.append(ctx.t("staff.ticket.address", address=ticket.address))
    if ticket.photos:
        lines.append(ctx.t("staff.ticket.photos", n=len(ticket.photos)))
    if ticket.sla_due_at:
        late = ctx.t("staff.ticket.late") if is_sla_breached(ticket, now) else ""
        lines.append(ctx.t("staff.ticket.due", due=_when(ctx, ticket.sla_due_at), late=late))
    if ticket.assignee:
        lines.append(ctx.t("staff.ticket.assignee", who=await _person(ctx, ticket.assignee)))
    if aftersales.waiting_for_dealer(ticket):
        lines.append(ctx.t("staff.ticket.waiting"))
    if ticket.status == TicketStatus.RESOLVED:
        lines.append(ctx.t("staff.ticket.awaiting_dealer"))
    if ticket.satisfaction is not None:
        lines.append(ctx.t("staff.ticket.rating", stars="⭐" * ticket.satisfaction))
    if ticket.comments:
        lines.append(ctx.t("staff.ticket.history"))
        for c in ticket.comments[-3:]:
            status = f"[{_label(lang, TICKET_STATUS_LABELS[c.status])}] " if c.status else ""
            lines.append(f"  {_when(ctx, c.at)} {await _person(ctx, c.author)}：{status}{mask_text(c.text)}")
    buttons = _ticket_buttons(ctx, ticket, said_fixed=said_fixed)
    if said_fixed and TicketAction.RESOLVE in ticket_actions(ticket.status):
        lines.insert(0, ctx.t("staff.ticket.fixed_said", number=ticket.number))
        words = words_besides_number(ctx.inbound.text or "")
        if len(words) >= MIN_SAID:      # "AS-… 换过主板了 客户确认好了 可以结单": offered as the result at ✅ 已解决
            ctx.dialog.data["said_resolution"] = {"ref": ticket.number, "text": words[:MAX_NOTE]}
    if ticket.customer_name or ticket.customer_phone:
        buttons.append(reveal_button(ctx, RevealKind.TICKET_CUSTOMER, ticket.number))
    card = [*await photo_replies(ctx, ticket.photos), Reply(text="\n".join(lines), buttons=buttons)]
    note = note_with_number(ctx.inbound.text) if ctx.inbound.kind == InboundKind.TEXT and not said_fixed else None
    if note is not None:
        # "AS-… 客户说还是不出水 上门再看": the words offered as the ticket's note, one tap (QA s28 #25; was: dropped)
        nonce = secrets.token_hex(4)
        ctx.dialog.data["note_offer"] = {"nonce": nonce, "ref": ticket.number, "text": note[:MAX_NOTE]}
        card.append(Reply(text=ctx.t("form.note_offer", ref=ticket.number, text=mask_text(note[:60])),
                          buttons=[[Button(ctx.t("form.note_offer_yes", ref=ticket.number),
                                           payload("staff.ticket.note", nonce))]]))
    return card


async def photo_replies(ctx: Ctx, refs: Sequence[str]) -> list[Reply]:
    """The ticket's photos as images before its card (the first few; where the files can be read)."""
    read = ctx.deps.read_file
    out: list[Reply] = []
    if read is None:
        return out
    for ref in list(refs)[:PHOTOS_SHOWN]:
        try:
            out.append(Reply(image=await read(ref), image_name=ref.rsplit("/", 1)[-1] or "photo.jpg"))
        except (OSError, LookupError, ValueError):       # a missing file: the card still says how many there are
            continue
    return out


async def _ticket_taken(ctx: Ctx, number: str, action: TicketAction, prompt_ref: str,
                        error: DomainError) -> list[Reply]:
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    changes = [c for c in ticket.comments if c.status is not None]
    if ticket.status in TICKET_TRANSITIONS[action][0] or not changes:
        raise error
    return await _already(ctx, number, changes[-1].author, changes[-1].at,
                          _label(ctx.lang, TICKET_STATUS_LABELS[ticket.status]), prompt_ref)


async def _ticket_move(ctx: Ctx, number: str, action: TicketAction, prompt_ref: str, text: str = "") -> list[Reply]:
    clock = ctx.deps.clock
    try:
        if action == TicketAction.ACCEPT:
            ticket = await aftersales.accept_ticket(ctx.uow(), ctx.actor, number, clock)
        elif action == TicketAction.START:
            ticket = await aftersales.start_ticket(ctx.uow(), ctx.actor, number, clock)
        elif action == TicketAction.RESOLVE:
            ticket = await aftersales.resolve_ticket(ctx.uow(), ctx.actor, number, text, clock)
        elif action == TicketAction.REJECT:
            ticket = await aftersales.reject_ticket(ctx.uow(), ctx.actor, number, text, clock)
        elif action == TicketAction.CLOSE:
            ticket = await aftersales.close_ticket(ctx.uow(), ctx.actor, number, clock)
        else:
            raise _stale()
    except (Conflict, InvalidTransition) as exc:
        return await _ticket_taken(ctx, number, action, prompt_ref, exc)
    remember_ticket(ctx, number)
    status = _label(ctx.lang, TICKET_STATUS_LABELS[ticket.status])
    summary = ctx.t("staff.ticket.changed", status=status, ref=number) + (f"\n{mask_text(text)}" if text else "")
    return [_edited(ctx, summary + "\n" + await _decided_line(ctx), prompt_ref, _ticket_buttons(ctx, ticket))]


@router.button("staff.ticket.accept", "staff.ticket.start", "staff.ticket.close")
async def ticket_step(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.TICKET_HANDLE)
    drop_pending(ctx)
    action = TicketAction(ctx.inbound.payload.split("|")[1].rpartition(".")[2])
    return await _ticket_move(ctx, _arg(ctx, 0), action, ctx.inbound.message_ref)


@router.button("staff.ticket.comment", "staff.ticket.resolve", "staff.ticket.reject", "staff.ticket.info")
async def ticket_ask_text(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.TICKET_HANDLE)
    drop_pending(ctx)
    number, prompt_ref = _arg(ctx, 0), ctx.inbound.message_ref
    which = ctx.inbound.payload.split("|")[1].rpartition(".")[2]
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    if which == "reject":
        if ticket.status not in TICKET_TRANSITIONS[TicketAction.REJECT][0]:
            return await _ticket_taken(ctx, number, TicketAction.REJECT, prompt_ref,
                                       invalid_transition(ticket.status, TicketAction.REJECT))
        ctx.go(REASON, kind="ticket", ref=number, prompt=prompt_ref)
        return [_ask(ctx, ctx.t("staff.ticket.ask_reason", number=number))]
    if which == "resolve":
        if ticket.status not in TICKET_TRANSITIONS[TicketAction.RESOLVE][0]:
            return await _ticket_taken(ctx, number, TicketAction.RESOLVE, prompt_ref,
                                       invalid_transition(ticket.status, TicketAction.RESOLVE))
        said = ctx.dialog.data.get("said_resolution")
        ctx.go(TICKET_NOTE, action="resolve", ref=number, prompt=prompt_ref)
        if isinstance(said, dict) and said.get("ref") == number and said.get("text"):
            ctx.dialog.data["said_resolution"] = said
            return [Reply(text=ctx.t("staff.ticket.ask_resolution_said", number=number, text=mask_text(said["text"])),
                          buttons=[[Button(ctx.t("staff.ticket.btn.use_said"), payload("staff.ticket.use_said", number))],
                                   *_ask(ctx, "").buttons])]
        return [_ask(ctx, ctx.t("staff.ticket.ask_resolution", number=number))]
    if which == "info":
        if ticket.status not in ACTIVE_STATUSES:
            raise invalid_transition(ticket.status, TicketAction.START)
        ctx.go(TICKET_NOTE, action="info", ref=number, prompt=prompt_ref)
        return [_ask(ctx, ctx.t("staff.ticket.ask_info", number=number))]
    ctx.go(TICKET_NOTE, action="comment", ref=number, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.ticket.ask_comment", number=number))]


async def ticket_step_words(ctx: Ctx, number: str, verb: StaffVerb, note: str | None = None) -> list[Reply]:
    """"AS-… 受理", "AS-… 开始处理", or "受理" / "开始处理" / "完成" / "修好了 换了浮子开关" under the ticket's card:
    the step its button takes (the same permission, use case and audit); a resolution said with it is the result,
    none said: asked for, as ✅ 已解决 asks. Already there (or past it): said plainly; not possible: why."""
    require(ctx.actor, P.TICKET_HANDLE)
    drop_pending(ctx)
    action = _SAID_STEPS[verb]
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    remember_ticket(ctx, number)
    sources, target = TICKET_TRANSITIONS[action]
    if ticket.status not in sources:
        status = _label(ctx.lang, TICKET_STATUS_LABELS[ticket.status])
        if ticket.status in _PROGRESS and _PROGRESS.index(ticket.status) >= _PROGRESS.index(target):
            acted = ctx.pick(*ACTION_LABELS[action])
            text = ctx.t("staff.ticket.already_there", number=number, status=status, action=acted)
        else:
            text = invalid_transition(ticket.status, action).message(ctx.lang)
        return [Reply(text=text, buttons=_ticket_buttons(ctx, ticket))]
    if action == TicketAction.RESOLVE and not note:
        ctx.go(TICKET_NOTE, action="resolve", ref=number, prompt="")
        return [_ask(ctx, ctx.t("staff.ticket.ask_resolution", number=number))]
    try:
        return await _ticket_move(ctx, number, action, "", (note or "")[:MAX_NOTE])
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]


@router.text_hook
async def step_under_card(ctx: Ctx) -> list[Reply] | None:
    """A ticket's state words typed while its card is the last thing looked at ("完成", "开始处理", "修好了 换了浮子
    开关"): that ticket moved (was: the company's order figures, or "我没有听懂")."""
    number = ctx.dialog.data.get("last_ticket")
    if not ctx.is_staff or P.TICKET_HANDLE not in ctx.actor.permissions or ctx.dialog.state \
            or not isinstance(number, str) or (said := ticket_step_said(ctx.inbound.text)) is None:
        return None
    return await ticket_step_words(ctx, number, said.verb, said.note)


def _avg(value: Decimal | None) -> str:
    return "-" if value is None else f"{value}"


@router.button("staff.ticket.stats")
async def ticket_stats(ctx: Ctx) -> list[Reply]:
    """Last 90 days by product, dealer and defect category (top 5 each)."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    _require_any(ctx, P.TICKET_HANDLE, P.REPORT_READ_ALL)
    today = ctx.deps.clock.today()
    stats = await aftersales.ticket_statistics(ctx.uow(), ctx.actor, ctx.deps.clock,
                                               since=today - timedelta(days=STATS_DAYS - 1), until=today)
    total = stats.total
    lines = [ctx.t("staff.stats.title", n=total.tickets, open=total.open, late=total.late,
                   avg=_avg(total.avg_satisfaction))]
    for key, groups in (("staff.stats.product", stats.by_product), ("staff.stats.dealer", stats.by_dealer),
                        ("staff.stats.defect", stats.by_defect)):
        if groups:
            lines.append(ctx.t(key))
            lines.extend(ctx.t("staff.stats.line", name=g.key, n=g.tickets, open=g.open, late=g.late,
                               avg=_avg(g.avg_satisfaction)) for g in groups[:5])
    return [Reply(text="\n".join(lines), buttons=[[_b(ctx, "staff.btn.tickets", "staff.tickets")]])]


async def _ticket_comment(ctx: Ctx, number: str, text: str) -> list[Reply]:
    await aftersales.add_comment(ctx.uow(), ctx.actor, number, text, ctx.deps.clock)
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    return [Reply(text=ctx.t("staff.ticket.commented", ref=number, text=mask_text(text)),
                  buttons=_ticket_buttons(ctx, ticket))]




def remember_ticket(ctx: Ctx, number: str) -> None:
    """The ticket this person just looked at or moved: a sentence typed next that nothing else reads is offered
    as its note (``forms.require_dealer`` -> ``staff.ticket.note``), not refused as a dealer's request."""
    if not ctx.dialog.state:
        ctx.dialog.data["last_ticket"] = number


@router.button("staff.ticket.note")
async def ticket_note_offered(ctx: Ctx) -> list[Reply]:
    """✅ on "把这句话记为 AS-… 的处理留言？": the sentence typed, as that ticket's comment (once)."""
    require(ctx.actor, P.TICKET_HANDLE)
    held = ctx.dialog.data.get("note_offer")
    if not isinstance(held, dict) or held.get("nonce") != _arg(ctx, 0):
        return [Reply(text=ctx.t("error.button_stale"))]
    ctx.dialog.data.pop("note_offer", None)
    try:
        return await _ticket_comment(ctx, str(held["ref"]), str(held["text"])[:MAX_NOTE])
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]


async def reject_ticket(ctx: Ctx, number: str, reason: str, prompt_ref: str) -> list[Reply]:
    """Reject the ticket with the reason given (the words typed with its number, confirmed)."""
    try:
        return await _ticket_move(ctx, number, TicketAction.REJECT, prompt_ref, reason[:MAX_NOTE])
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]


@router.button("staff.ticket.use_said")
async def ticket_resolved_as_said(ctx: Ctx) -> list[Reply]:
    """✔ 就用这句: the words typed with the ticket's number, as its result."""
    require(ctx.actor, P.TICKET_HANDLE)
    said = ctx.dialog.data.get("said_resolution")
    number = _arg(ctx, 0)
    if ctx.dialog.state != TICKET_NOTE or not isinstance(said, dict) or said.get("ref") != number:
        return [Reply(text=ctx.t("error.button_stale"))]
    prompt_ref = str(ctx.dialog.data.get("prompt", ""))
    ctx.idle()
    try:
        return await _ticket_move(ctx, number, TicketAction.RESOLVE, prompt_ref, str(said["text"]))
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]


@router.state(TICKET_NOTE)
async def ticket_note_typed(ctx: Ctx) -> list[Reply]:
    try:
        note = _typed(ctx, MAX_NOTE)
    except ValidationFailed as exc:
        return [_ask(ctx, exc.message(ctx.lang))]
    if note is None:
        return [_ask(ctx, ctx.t("staff.need_text"))]
    data = dict(ctx.dialog.data)
    said = data.get("said_resolution")
    if data.get("action") == "resolve" and isinstance(said, dict) and said.get("ref") == data.get("ref") \
            and is_keep(note):                          # "就用这句" typed under ✔ 就用这句
        note = str(said["text"])
    ctx.idle()
    number, prompt_ref = str(data.get("ref", "")), str(data.get("prompt", ""))
    try:
        if data.get("action") == "comment":
            return await _ticket_comment(ctx, number, note)
        if data.get("action") == "info":
            await aftersales.request_info(ctx.uow(), ctx.actor, number, note, ctx.deps.clock)
            ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
            return [Reply(text=ctx.t("staff.ticket.info_sent", ref=number, text=mask_text(note)),
                          buttons=_ticket_buttons(ctx, ticket))]
        return await _ticket_move(ctx, number, TicketAction.RESOLVE, prompt_ref, note)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]


async def _rejected(ctx: Ctx, ref: str, reason: str, data: dict[str, Any]) -> list[Reply]:
    return await _ticket_move(ctx, ref, TicketAction.REJECT, str(data.get("prompt", "")), reason)


REJECTIONS["ticket"] = _rejected
