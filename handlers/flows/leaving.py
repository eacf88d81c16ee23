"""Another request typed at a form step that asks for something else (a phone, a choice, a photo, an account):
the step is left and the request done (``handlers.router.StepLeft``), never taken as the step's answer nor
answered with the same question again.

A message is plainly another request when the parser reads it, with good confidence, as a request of its own
(a quality report, a repair, a statement, a campaign, a material request, an order's status...), or when it names
an order with its receipt or a shortage ("SO-… 全部收到", "SO-… 货到了 但是少了1台"). Words the step takes as its
answer are read by the step first; steps whose answer is free text (a description, a note, a reason) do not ask.
"""

from __future__ import annotations

from collections.abc import Collection

from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import PARKED_CART, Ctx
from handlers.messages import InboundKind, Reply
from handlers.router import StepLeft
from nlu.order_words import order_number, receipt_said
from nlu.receipt_words import shortage_said
from nlu.schema import LOW_CONFIDENCE, EditOp, Intent, ParseResult

i18n.register({
    "leave.form": ("（没填完的{title}已退出，没有提交；需要时请重新开始。）",
                   "(The unfinished {title} was left, not submitted; start it again when you need it.)"),
    "leave.a_form": ("登记", "form"),
    "leave.edit_kept": ("（订单 {number} 的修改已保留，还没有提交；说“看下购物车”可以接着改。）",
                        "(Your change of order {number} is kept, not submitted yet; say \"show my cart\" to go on with it.)"),
})

#: intents that are a request of their own, whatever step is open (a greeting, help, chit-chat or an order line
#: typed at a step are not: "D0003" and "3台" read as orders, "一般" as a FAQ, with confidence)
REQUESTS = frozenset({Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK, Intent.REPORT_SALES, Intent.CANCEL_ORDER,
                      Intent.ORDER_STATUS, Intent.TICKET_STATUS, Intent.QUERY_STOCK, Intent.PRICE_QUERY,
                      Intent.SALES_QUERY, Intent.CONTRACT_QUERY, Intent.CAMPAIGN_QUERY})


def receipt_typed(ctx: Ctx) -> bool:
    """An order's number with its receipt or a shortage ("SO-… 全部收到", "SO-… 货到了 但是少了1台 还有一台外箱破了"):
    the receipt (or the claim) of that order, never a step's answer nor only its card."""
    text = ctx.inbound.text if ctx.inbound.kind == InboundKind.TEXT else ""
    return ctx.is_dealer and order_number(text) is not None and (receipt_said(text) or shortage_said(text))


async def another_request(ctx: Ctx, *, own: Collection[Intent] = (), new_of_own: bool = False) -> bool:
    """Is the typed message plainly another request than the step's answer? ``own``: intents the form reads as
    its own words at this step (a problem typed into a repair form is its description); ``new_of_own``: one of
    them naming a product is a new request of that kind (a new quality report typed at the photos)."""
    if ctx.inbound.kind != InboundKind.TEXT or not ctx.inbound.text.strip():
        return False
    if receipt_typed(ctx):
        return True
    parsed = await parse_message(ctx)
    if parsed.intent not in REQUESTS or parsed.confidence < LOW_CONFIDENCE:
        return False
    return parsed.intent not in own or (new_of_own and parsed.slots.product is not None)


def report_with_counts(parsed: ParseResult) -> bool:
    """A quality report or a repair said with counts ("质量反馈 DH20 水箱满灯乱亮 批号B2612-01 有3台") while ordering: the
    counts would be added or set as lines of the cart. A change of a line ("5号少30个", "不要AP300了") is the cart's
    own whatever intent the words lean to; goods short on arrival are the cart's question (its receipt offered)."""
    edits = parsed.slots.edits
    return (parsed.intent in (Intent.QUALITY_FEEDBACK, Intent.AFTER_SALES) and parsed.confidence >= LOW_CONFIDENCE
            and parsed.slots.topic != "receipt_issue" and bool(edits or parsed.slots.items)
            and all(e.op in (EditOp.ADD, EditOp.SET) for e in edits))


def leave(ctx: Ctx, title: str = "") -> StepLeft:
    """The signal that leaves the step (the service goes idle and handles the message as new), saying which form
    was left."""
    return StepLeft([Reply(text=ctx.t("leave.form", title=title or ctx.t("leave.a_form")))])


def park_cart(ctx: Ctx, notice: list[Reply]) -> StepLeft:
    """Leave an open cart (or an order's edit) for another request: its lines kept for when ordering goes on
    (``Cart.parked``, as any form opened mid-order keeps it), the dialog idle, the request handled next.
    ``notice``: what says the cart is kept (an order's edit says so itself)."""
    data = {k: v for k, v in ctx.dialog.data.items() if k != PARKED_CART}
    ctx.idle()
    if data.get("items") or data.get("amends"):
        ctx.dialog.data[PARKED_CART] = data
    if data.get("amends"):
        notice = [Reply(text=ctx.t("leave.edit_kept", number=str(data["amends"])))]
    return StepLeft(notice)
