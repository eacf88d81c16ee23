"""The dealer's answer to "问题解决了吗？" on a resolved after-sales ticket, and reopening one (the repair did not last).

- ✅ 已解决 on the resolution push or the ticket's card (``as.solved|AS-…``): core.services.aftersales.confirm_resolved
  closes it (audited, the handler told), then the card (with the rating buttons for the owner);
- 🔄 还没解决 is the reopen button below: what is still wrong, in the dealer's words, goes on the ticket;

- the 🔄 button on the dealer's card of a resolved ticket (``as.reopen|AS-…``): "what is still wrong?", the
  answer is the reason (state ``as.reopen``), then core.services.aftersales.reopen_ticket (audited, after-sales
  told through the outbox) and the card again;
- typed (nlu.ticket_words.read_reopen): "AS-20261129-0001 还是不行 又不出水了" names the ticket; "上次修的那台又坏了"
  (with a product or not) means the dealer's recently resolved ticket (core.services.aftersales.reopenable_tickets):
  one -> its reason step with the words offered as the reason (✔ one tap), several -> which one, a button each,
  none -> the message goes on to the parser (a new repair). A ticket still being handled gets its card with the
  💬 button; one closed or resolved too long ago cannot be reopened: a new repair of the same product starts with
  the words as its description (nothing is filed before its confirm).
"""

from __future__ import annotations

from core.aftersales import Ticket, TicketStatus
from core.errors import NotFound
from core.masking import mask_text
from core.services.aftersales import (
    REOPEN_DAYS,
    confirm_resolved,
    get_ticket,
    may_dealer_reopen,
    reopen_ticket,
    reopenable_tickets,
)
from core.ticket_states import ACTIVE_STATUSES, TICKET_STATUS_LABELS
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import aftersales, followups, forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, StepLeft, payload
from nlu.replies import is_confirmation, is_keep
from nlu.still_failing import still_failing
from nlu.ticket_words import read_reopen

router = Router(name=__name__)

SAID = "reopen_said"
WHICH = 5

i18n.register({
    "as.reopen.ask": ("重新打开工单 {number}（{product}）：请说明哪里还有问题，售后人员会收到。",
                      "Reopening ticket {number} ({product}): what is still wrong? After-sales will read it."),
    "as.reopen.ask_said": ("要重新打开工单 {number}（{product}）吗？\n原因：{said}\n点“✔ 就用这句话”重新打开，"
                           "或发送新的说明。",
                           "Reopen ticket {number} ({product})?\nReason: {said}\nTap \"✔ Use these words\" to "
                           "reopen it, or send another explanation."),
    "as.reopen.keep": ("✔ 就用这句话", "✔ Use these words"),
    "as.reopen.done": ("🔄 工单 {number} 已重新打开，售后人员已收到您的说明，会继续处理。",
                       "🔄 Ticket {number} is reopened; after-sales have your explanation and take it up again."),
    "as.reopen.which": ("您最近解决的售后工单有 {n} 个，是哪一台又有问题了？",
                        "{n} of your tickets were resolved recently. Which one has the problem again?"),
    "as.reopen.active": ("工单 {number} 还在处理中（{status}），不需要重新打开：可以点“💬 留言”把新情况告诉售后。",
                         "Ticket {number} is still being handled ({status}); no need to reopen it: tap "
                         "\"💬 Comment\" to tell after-sales what happened."),
    "as.reopen.new": ("工单 {number} {why}，不能再重新打开：已按同一产品开始新的报修（您的话作为问题描述）。",
                      "Ticket {number} {why} and can no longer be reopened: a new repair of the same product "
                      "starts (your words as the problem)."),
    "as.reopen.why_closed": ("已关闭", "is closed"),
    "as.reopen.why_rejected": ("已驳回", "was rejected"),
    "as.reopen.why_old": ("解决已超过 {days} 天", "was resolved more than {days} days ago"),
    "as.still.ask": ("您的工单 {number}（{product}）已处理完成。是这台还没解决吗？\n原因：{said}\n"
                     "点“✔ 就用这句话”重新打开工单，或点“🛠 是新问题，新报修”。",
                     "Your ticket {number} ({product}) was resolved. Is it still not solved?\nReason: {said}\n"
                     "Tap \"✔ Use these words\" to reopen it, or \"🛠 A new problem: new repair\"."),
    "as.still.which": ("您最近处理完成的售后工单有 {n} 个，是哪一台还没解决？也可以新报修。",
                       "{n} of your tickets were resolved recently. Which one is still not solved? Or a new repair."),
    "as.btn.fresh": ("🛠 是新问题，新报修", "🛠 A new problem: new repair"),
    "as.reopen.other": ("这说的是 {said}，不是工单 {number} 的 {product}：该工单没有重新打开。",
                        "That is about {said}, not the {product} of ticket {number}: the ticket is not reopened."),
    "as.solved.done": ("✅ 谢谢确认！售后工单 {number} 已关闭。", "✅ Thank you! Ticket {number} is closed."),
    "as.solved.not_resolved": ("工单 {number} 现在是“{status}”，不需要再确认。",
                               "Ticket {number} is {status}; there is nothing to confirm."),
    "as.reopen.not_resolved": ("工单 {number} 现在是“{status}”，只有已解决的工单可以重新打开。",
                               "Ticket {number} is {status}; only a resolved ticket can be reopened."),
})


def _status(ctx: Ctx, status: TicketStatus) -> str:
    zh, en = TICKET_STATUS_LABELS[status]
    return ctx.pick(zh, en)


def _product(ticket: Ticket) -> str:
    return ticket.sku or "-"


async def _ask_reason(ctx: Ctx, ticket: Ticket, said: str = "") -> list[Reply]:
    ctx.go("as.reopen", number=ticket.number, **({SAID: said} if said else {}))
    if said:
        text = ctx.t("as.reopen.ask_said", number=ticket.number, product=_product(ticket),
                     said=forms.clip(mask_text(said), 120))
        return [Reply(text=text, buttons=[[Button(ctx.t("as.reopen.keep"), payload("as.reopen_keep"))],
                                          forms.cancel_row(ctx, "as")])]
    return [Reply(text=ctx.t("as.reopen.ask", number=ticket.number, product=_product(ticket)),
                  buttons=[forms.cancel_row(ctx, "as")])]


async def _offer(ctx: Ctx, ticket: Ticket, said: str) -> list[Reply]:
    """The ticket a dealer named: the reason step when it may be reopened, else what can be done instead."""
    if may_dealer_reopen(ticket, ctx.deps.clock.now()):
        return await _ask_reason(ctx, ticket, said)
    if ticket.status in ACTIVE_STATUSES:
        lead = ctx.t("as.reopen.active", number=ticket.number, status=_status(ctx, ticket.status))
        return [Reply(text=lead)] + await aftersales.ticket_detail(ctx, ticket.number)
    why = {TicketStatus.CLOSED: ctx.t("as.reopen.why_closed"), TicketStatus.REJECTED: ctx.t("as.reopen.why_rejected")
           }.get(ticket.status) or ctx.t("as.reopen.why_old", days=REOPEN_DAYS)
    lead = ctx.t("as.reopen.new", number=ticket.number, why=why)
    replies = await aftersales.start(ctx, sku=ticket.sku, hint=said)
    return [Reply(text=lead)] + replies


@router.button("as.reopen")
async def reopen_button(ctx: Ctx) -> list[Reply]:
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    said = str(ctx.dialog.data.get(SAID, "")) if not ctx.dialog.state else ""
    ticket = await get_ticket(ctx.uow(), ctx.actor, forms.arg(ctx, 0))      # another dealer's: NotFound
    if not may_dealer_reopen(ticket, ctx.deps.clock.now()):
        return [Reply(text=ctx.t("as.reopen.not_resolved", number=ticket.number,
                                 status=_status(ctx, ticket.status)))] \
            + await aftersales.ticket_detail(ctx, ticket.number)
    return await _ask_reason(ctx, ticket, said)


@router.button("as.solved")
async def solved_button(ctx: Ctx) -> list[Reply]:
    """已解决: the dealer closes its resolved ticket. Pressed again, or after the ticket moved on (reopened, closed
    by the scheduler): what it is now, and the card."""
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    ticket = await get_ticket(ctx.uow(), ctx.actor, forms.arg(ctx, 0))      # another dealer's: NotFound
    if ticket.status != TicketStatus.RESOLVED:
        return [Reply(text=ctx.t("as.solved.not_resolved", number=ticket.number,
                                 status=_status(ctx, ticket.status)))] \
            + await aftersales.ticket_detail(ctx, ticket.number)
    ticket = await confirm_resolved(ctx.uow(), ctx.actor, ticket.number, ctx.deps.clock)
    ctx.idle()
    return [Reply(text=ctx.t("as.solved.done", number=ticket.number))] \
        + await aftersales.ticket_detail(ctx, ticket.number)


async def _still_failing(ctx: Ctx) -> list[Reply] | None:
    """"客户说还是不出水啊 咋整" with a ticket resolved lately (QA s27 P12; was: a brand-new repair form): is it
    that ticket (the words offered as the reason, as "问题解决了吗？ 还没解决" does) or a new problem?"""
    said = still_failing(ctx.inbound.text)
    if said is None:
        return None
    found = await reopenable_tickets(ctx.uow(), ctx.actor, ctx.deps.clock)
    if found:       # "那台AP500还是不亮": only a ticket of that product is meant, none of another (QA s28 #1)
        ctx.parsed = await parse_message(ctx)
        named = _named_products(ctx)
        found = [t for t in found if not named or t.sku in named]
    if not found:
        return None
    fresh = [Button(ctx.t("as.btn.fresh"), payload("as.fresh"))]
    if len(found) == 1:
        ticket = found[0]
        ctx.go("as.reopen", number=ticket.number, **{SAID: said})
        text = ctx.t("as.still.ask", number=ticket.number, product=_product(ticket),
                     said=forms.clip(mask_text(said), 120))
        return [Reply(text=text, buttons=[[Button(ctx.t("as.reopen.keep"), payload("as.reopen_keep"))], fresh,
                                          forms.cancel_row(ctx, "as")])]
    ctx.idle()
    ctx.dialog.data = {SAID: said}
    rows = [[Button(f"{t.number} · {_product(t)} · {forms.clip(mask_text(t.description), 16)}",
                    payload("as.reopen", t.number))] for t in found[:WHICH]]
    return [Reply(text=ctx.t("as.still.which", n=len(found)), buttons=rows + [fresh, [forms.menu_button(ctx)]])]


@router.button("as.fresh")
async def fresh_repair(ctx: Ctx) -> list[Reply]:
    """Not the resolved ticket: a new repair, the words said as its problem."""
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    said = str(ctx.dialog.data.get(SAID, ""))
    ctx.idle()
    return await aftersales.start(ctx, hint=said)


@router.button("as.reopen_keep")
async def keep_said(ctx: Ctx) -> list[Reply]:
    if (refused := require_bound(ctx)) is not None:
        return refused
    said = str(ctx.dialog.data.get(SAID, ""))
    if ctx.dialog.state != "as.reopen" or not said:
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _reopen(ctx, said)


@router.state("as.reopen")
async def reason_typed(ctx: Ctx) -> list[Reply]:
    """The reason typed: what is still wrong. Words naming another product than the ticket's ("客户买的AP500屏幕不亮"
    at a DH20 ticket's question: QA s28 #1) are no reason: the question is left and the words go where they would
    have gone (a new repair, a quality report), the ticket stays resolved."""
    text = forms.text_of(ctx)
    said = str(ctx.dialog.data.get(SAID, ""))
    if said and text and (is_keep(text) or is_confirmation(text)):
        return await _reopen(ctx, said)
    if not text:
        return [Reply(text=ctx.t("form.text_wanted"))]
    other = await _other_products(ctx, str(ctx.dialog.data.get("number", "")))
    if other is not None:
        raise StepLeft([other])
    return await _reopen(ctx, text)


def _named_products(ctx: Ctx) -> set[str]:
    """The products the parsed words name (their lines, the one asked about)."""
    slots = ctx.parsed.slots if ctx.parsed else None
    if slots is None:
        return set()
    return {i.sku for i in slots.items} | ({slots.product} if slots.product else set())


async def _other_products(ctx: Ctx, number: str) -> Reply | None:
    """What to say when the words name products and none is the ticket's (``number``), else None."""
    ctx.parsed = await parse_message(ctx)
    named = _named_products(ctx)
    if not named:
        return None
    ticket = await get_ticket(ctx.uow(), ctx.actor, number)
    if not ticket.sku or ticket.sku in named:
        return None
    return Reply(text=ctx.t("as.reopen.other", said="、".join(sorted(named)), number=ticket.number,
                            product=_product(ticket)))


async def _reopen(ctx: Ctx, reason: str) -> list[Reply]:
    number = str(ctx.dialog.data.get("number", ""))
    ticket = await reopen_ticket(ctx.uow(), ctx.actor, number, reason, ctx.deps.clock)
    ctx.idle()
    return [Reply(text=ctx.t("as.reopen.done", number=ticket.number))] \
        + await aftersales.ticket_detail(ctx, ticket.number)


@router.text_hook
async def typed_reopen(ctx: Ctx) -> list[Reply] | None:
    """"AS-… 还是不行", "上次修的那台又坏了" from a dealer: see the module's docstring."""
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return None
    heard = read_reopen(ctx.inbound.text)
    if heard is None:
        return await _still_failing(ctx)
    if heard.number is not None:
        try:
            ticket = await get_ticket(ctx.uow(), ctx.actor, heard.number)
        except NotFound:
            return await followups.by_number(ctx, heard.number)      # "not found", as for any number
        return await _offer(ctx, ticket, heard.said)
    ctx.parsed = await parse_message(ctx)
    found = await reopenable_tickets(ctx.uow(), ctx.actor, ctx.deps.clock, sku=ctx.parsed.slots.product)
    if not found:
        return None
    if len(found) == 1:
        return await _offer(ctx, found[0], heard.said)
    ctx.idle()
    ctx.dialog.data = {SAID: heard.said}
    rows = [[Button(f"{t.number} · {_product(t)} · {forms.clip(mask_text(t.description), 16)}",
                    payload("as.reopen", t.number))] for t in found[:WHICH]]
    return [Reply(text=ctx.t("as.reopen.which", n=len(found)), buttons=rows + [[forms.menu_button(ctx)]])]
