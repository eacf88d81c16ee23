"""A person asked for at any point (QA fix-human-handoff): "转人工", "人工客服", "找客服", "联系订单台",
"talk to a person" (read by ``nlu.human_words``) hand the dealer's question to staff as 🙋 转人工 does (one
``StaffQuestion``, staff told through the outbox and answering with ✍️ 回复), and the dealer is told so.

- With its question ("我想问下订单台 上个月的发票什么时候开"): that question goes at once.
- After a question the bot could not answer (its 🙋 转人工 offered): that question goes.
- Nothing asked yet: the chat asks for the question (state ``handoff.ask``); the next message goes.
An open cart stays kept throughout (parked by ``Ctx.go``, or the dialog left as it is).

An invoice asked about ("上个月的发票什么时候开") is answered by the knowledge base, else handed to staff the same
way: never a page of its own words ("上个月" read as the contract's period).
"""

from __future__ import annotations

import dataclasses
import secrets

from core.services.faq import AskStaff, ask_staff
from handlers import i18n
from handlers.context import PARKED_CART, Ctx
from handlers.flows import faq, forms
from handlers.messages import Reply
from handlers.router import Router
from nlu.human_words import invoice_asked, invoice_general, person_asked

router = Router(name=__name__)

ASK_STATE = "handoff.ask"

i18n.register({
    "handoff.ask": ("好的，请直接输入您要问的问题，我会转给订单台的工作人员，答复会发到这里。",
                    "Sure: type your question and I will pass it to our staff; the answer will come here."),
    "handoff.cart_kept": ("（购物车已保留，可继续下单）", "(Your cart is kept; carry on ordering any time.)"),
})


def _cart_open(ctx: Ctx) -> bool:
    data = ctx.dialog.data
    return bool((ctx.dialog.state.startswith("order.") and data.get("items")) or data.get(PARKED_CART))


async def hand_over(ctx: Ctx, question: str) -> list[Reply]:
    """``question`` handed to staff now; the dialog (an open cart with it) is left as it is."""
    key = secrets.token_hex(8)
    await ask_staff(ctx.uow(), ctx.actor, AskStaff(
        channel=ctx.inbound.channel, chat_id=ctx.inbound.chat_id, question=question[:faq.MAX_QUESTION],
        request_key=key, asked_by=await faq.asker_label(ctx), language=ctx.lang, about_order=""), ctx.deps.clock)
    text = ctx.t("faq.forwarded")
    if _cart_open(ctx):
        text += "\n" + ctx.t("handoff.cart_kept")
    return [Reply(text=text, buttons=[[forms.menu_button(ctx)]])]


@router.text_hook_anywhere
async def person_typed(ctx: Ctx) -> list[Reply] | None:
    if ctx.is_staff or ctx.dialog.state == ASK_STATE:
        return None
    text = ctx.inbound.text
    asked = person_asked(text)
    if asked is None:
        if invoice_asked(text) and not ctx.dialog.state:     # with a cart open ordering answers it (cart kept)
            known = await faq.typed_answer(ctx)
            if known is None and (general := invoice_general(text)) != text.strip():
                asked_as = ctx.inbound
                ctx.inbound = dataclasses.replace(asked_as, text=general)     # "上个月的发票…": when invoices are made
                known = await faq.typed_answer(ctx)
                ctx.inbound = asked_as
            return [known] if known is not None else await hand_over(ctx, text.strip())
        return None
    if asked.question:
        return await hand_over(ctx, asked.question)
    pending = ctx.dialog.data.get("faq_question")
    if pending and not ctx.dialog.state:
        ctx.dialog.data = {k: v for k, v in ctx.dialog.data.items() if k not in ("faq_question", "faq_key")}
        return await hand_over(ctx, str(pending))
    ctx.go(ASK_STATE)
    return [Reply(text=ctx.t("handoff.ask"), buttons=[[forms.menu_button(ctx)]])]


@router.state(ASK_STATE)
async def question_typed(ctx: Ctx) -> list[Reply]:
    question = ctx.inbound.text.strip()
    if not question:
        return [Reply(text=ctx.t("handoff.ask"), buttons=[[forms.menu_button(ctx)]])]
    ctx.idle()           # a parked cart stays
    return await hand_over(ctx, question)
