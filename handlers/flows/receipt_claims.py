"""A delivery with goods short or damaged: the receipt recorded with its exceptions, and a claim for the order desk.

"货到了 WP600少了2台 还有一台ap500外箱压坏了" (handlers.flows.quality offers the shipped order), the ⚠️ 部分收到或有破损
button on an order's card, or "SO-… 少的两台WP600啥时候补发" about an order shipped or received: the dealer's words are
read line by line (nlu.receipt_words cuts them, the parser names the product and count of each part), shown back
for a check ("WP600 少货 ×2 · AP500 破损 ×1", the words as written), and one tap

- on a shipped order: confirms the receipt *with exceptions* (core.services.orders.confirm_receipt with the lines:
  the order reads "已收货（有异常）", the lines and the words on its receipt), and
- on an order received already: the receipt stays as it was,

and in both opens a claim in the order desk's queue (待答复咨询, a question about that order: core.services.faq), the
desk's answer relayed here. A shortage is never a change of the order nor a new order to pay for.

Buttons: ``orders.recv_issue|<number>`` (what went wrong), ``orders.recv|<number>|<p|d|pd>[|-]`` (record it; ``-``:
without lines), ``orders.claim|<number>`` (the claim on an order received already).
"""

from __future__ import annotations

import secrets
from typing import Any

from core import order_states
from core.faq import QuestionStatus
from core.order_states import OrderAction, order_status_label
from core.orders import Order, OrderStatus
from core.services.faq import AskStaff, ask_staff
from core.services.orders import ConfirmReceipt, confirm_receipt, get_order
from core.services.receipt_claims import claim_question, is_claim
from core.services.receipts import DAMAGED_GOODS, SHORT_GOODS, ReceiptIssue, receipt_issue_text
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload, shown_payloads
from nlu.defects import units_in_text
from nlu.receipt_words import SHORT, issue_clauses, shortage_said

router = Router(name=__name__)

#: the dialog's key for the receipt problem being told: {"number", "text" (the words), "key" (the claim's)}
RECV_SAID = "recv_said"
MAX_WORDS = 300
MAX_LINES = 8

i18n.register({
    "rc.card": ("📦 订单 {number} 收货异常，请核对：", "📦 Order {number}, a problem with the delivery; please check:"),
    "rc.line": ("· {name}（{sku}）{what}{qty}", "· {name} ({sku}) {what}{qty}"),
    "rc.short": ("少货", "missing"),
    "rc.damaged": ("破损", "damaged"),
    "rc.qty": (" ×{qty}", " x{qty}"),
    "rc.no_qty": ("（数量未说明）", " (count not said)"),
    "rc.said": ("您的原话：“{said}”", "Your words: \"{said}\""),
    "rc.then_receive": ("确认后：订单记为“已收货（有异常）”，以上明细转订单台，订单台会安排补发或理赔（不用另下单付款），"
                        "答复会发到这里。",
                        "Once confirmed, the order reads \"received with exceptions\", these lines go to the order "
                        "desk, who arrange the re-shipment or a claim (no new order to pay for); their answer comes here."),
    "rc.then_claim": ("订单 {number} 已经是“{status}”。确认后以上明细转订单台，订单台会安排补发或理赔（不用另下单付款），"
                      "答复会发到这里。",
                      "Order {number} is {status} already. Once confirmed, these lines go to the order desk, who arrange "
                      "the re-shipment or a claim (no new order to pay for); their answer comes here."),
    "rc.ask": ("订单 {number} 收货有什么问题？请直接说明哪个产品少了或坏了几{unit}，例如“{example}”；也可以点下面的按钮：",
               "What went wrong with order {number}? Say which product is missing or damaged and how many, e.g. "
               "\"{example}\"; or tap below:"),
    "rc.ask_lines": ("请说明哪个产品{what}几{unit}，例如“{example}”；说不清可以直接登记：",
                     "Say which product is {what} and how many, e.g. \"{example}\"; or record it without details:"),
    "rc.example": ("{sku} 少了2{unit}，{sku} 外箱压坏1{unit}", "{sku} 2 missing, {sku} 1 box crushed"),
    "rc.not_on_order": ("⚠️ {skus} 不在这张订单上（{number}），没有计入这次登记；如果是别的订单的货，请对那张订单说明。",
                        "⚠️ {skus} is not on this order ({number}) and is left out of this claim; if it came with "
                        "another order, please tell that order."),
    "rc.not_read": ("没认出是这单里的哪个产品、几{unit}。", "I could not tell which product of this order, or how many."),
    "rc.btn.record": ("✅ 确认登记并转订单台", "✅ Record it and tell the order desk"),
    "rc.btn.claim": ("✅ 转订单台处理", "✅ Send to the order desk"),
    "rc.btn.plain": ("直接登记（不写明细）", "Record it without details"),
    "rc.done": ("已登记收货异常：{number}，订单记为“{status}”。\n{lines}\n已转订单台（咨询 #{id}），订单台会安排补发或理赔，"
                "不需要另下单付款；答复会发到这里。",
                "Recorded the delivery problem of {number}; the order reads \"{status}\".\n{lines}\nSent to the order "
                "desk (question #{id}): they arrange the re-shipment or a claim, no new order to pay for; their "
                "answer comes here."),
    "rc.claimed": ("已转订单台（咨询 #{id}）：{number} 收货异常。\n{lines}\n订单台会安排补发或理赔，不需要另下单付款；"
                   "答复会发到这里。",
                   "Sent to the order desk (question #{id}): the delivery of {number}.\n{lines}\nThey arrange the "
                   "re-shipment or a claim, no new order to pay for; their answer comes here."),
    "rc.already": ("这单的收货异常已经转给订单台了（咨询 #{id}），订单台还没有答复；答复（补发或理赔的安排）会发到这里。",
                   "This order's delivery problem is with the order desk already (question #{id}), not answered yet; "
                   "their answer (re-shipment or claim) comes here."),
    "rc.no_lines_said": ("（未说明产品和数量）", "(no product or count said)"),
})


def _said_of(ctx: Ctx, number: str) -> dict[str, Any]:
    said = ctx.dialog.data.get(RECV_SAID)
    return said if isinstance(said, dict) and said.get("number") == number else {}


async def issue_lines(ctx: Ctx, order: Order, text: str) -> list[ReceiptIssue]:
    """The lines of the problem the words tell, of the order's products (``read_claim``)."""
    return (await read_claim(ctx, order, text))[0]


async def read_claim(ctx: Ctx, order: Order, text: str) -> tuple[list[ReceiptIssue], list[str]]:
    """The lines of the problem the words tell, of the order's products: each part that says goods short or damaged
    ("WP600少了2台", "一台ap500外箱压坏了") read for its product and count; an order of one product needs no name.
    Second: the products named in those parts that are not on the order ("AP500" of an order of AP300 and FL-AP500),
    to be named back rather than left out of the claim without a word."""
    held: dict[str, int] = {}
    for line in order.lines:
        held[line.sku] = held.get(line.sku, 0) + line.qty + line.free_qty
    only = next(iter(held)) if len(held) == 1 else None
    out: list[ReceiptIssue] = []
    strays: list[str] = []
    for part, kind in issue_clauses(text):
        if not kind:
            continue
        parsed = await parse_message(ctx, part)
        strays += [i.sku for i in parsed.slots.items if i.sku and i.sku not in held and i.sku not in strays]
        named: list[tuple[str, int | None]] = [(i.sku, i.qty) for i in parsed.slots.items if i.sku in held]
        for word in parsed.slots.unresolved:     # "一箱滤芯": the one product of the order that word fits
            fits_order = [sku for sku in word.candidates if sku in held]
            if len(fits_order) == 1:
                named.append((fits_order[0], word.qty))
        if not named and parsed.slots.product in held:
            named = [(str(parsed.slots.product), units_in_text(part))]
        if not named and only is not None and not parsed.slots.items:
            named = [(only, units_in_text(part))]
        for sku, qty in named:
            fits = qty if qty is not None and 0 < qty <= held[sku] else None
            out.append(ReceiptIssue(sku=sku, kind=SHORT_GOODS if kind == SHORT else DAMAGED_GOODS, qty=fits))
    return out[:MAX_LINES], strays


def _line_text(ctx: Ctx, order: Order, issue: ReceiptIssue) -> str:
    name = next((ln.name for ln in order.lines if ln.sku == issue.sku), issue.sku)
    what = ctx.t("rc.short") if issue.kind == SHORT_GOODS else ctx.t("rc.damaged")
    qty = ctx.t("rc.qty", qty=issue.qty) if issue.qty else ctx.t("rc.no_qty")
    return ctx.t("rc.line", name=name, sku=issue.sku, what=what, qty=qty)


def _unit(ctx: Ctx) -> str:
    return "" if ctx.en else "台"


def _example(ctx: Ctx, order: Order) -> str:
    return ctx.t("rc.example", sku=order.lines[0].sku if order.lines else "AP300", unit=_unit(ctx))


async def claim_card(ctx: Ctx, order: Order, text: str) -> list[Reply]:
    """The problem the words tell of ``order`` (shipped, or received already), line by line, to check, with the one
    tap that records it; no line read: asked which product and how many."""
    n = order.number
    text = text.strip()[:MAX_WORDS]
    ctx.dialog.data[RECV_SAID] = {"number": n, "text": text, "key": secrets.token_hex(8)}
    lines, strays = await read_claim(ctx, order, text) if text else ([], [])
    stray_text = [ctx.t("rc.not_on_order", skus="、".join(strays) if not ctx.en else ", ".join(strays), number=n)
                  ] if strays else []
    if not lines:
        return [_ask(ctx, order, lead=(stray_text or [ctx.t("rc.not_read", unit=_unit(ctx))]) if text else [])]
    flags = ("p" if any(i.kind == SHORT_GOODS for i in lines) else "") + (
        "d" if any(i.kind == DAMAGED_GOODS for i in lines) else "")
    if order.status != OrderStatus.SHIPPED and (open_claim := await _open_claim(ctx, n)) is not None:
        # "SO-… 少的两台啥时候补发" after the claim went in: it is with the desk, not a second claim
        return [Reply(text=ctx.t("rc.already", id=open_claim),
                      buttons=[[Button(ctx.t("orders.btn.detail"), payload("orders.detail", n))]])]
    out = [ctx.t("rc.card", number=n), *(_line_text(ctx, order, i) for i in lines), *stray_text,
           ctx.t("rc.said", said=text)]
    if order.status == OrderStatus.SHIPPED:
        out.append(ctx.t("rc.then_receive"))
        go = Button(ctx.t("rc.btn.record"), payload("orders.recv", n, flags))
    else:
        out.append(ctx.t("rc.then_claim", number=n, status=order_status_label(order, ctx.lang)))
        go = Button(ctx.t("rc.btn.claim"), payload("orders.claim", n))
    return [Reply(text="\n".join(out), buttons=[[go], [Button(ctx.t("orders.btn.detail"), payload("orders.detail", n))]])]


async def _open_claim(ctx: Ctx, number: str) -> int | None:
    """The number of the claim about this order's delivery still waiting for the desk's answer, if any."""
    async with ctx.uow() as uow:
        waiting = await uow.staff_questions.list(about_order=number, status=QuestionStatus.OPEN, order_by="id")
    return next((q.id for q in waiting if is_claim(q.question)), None)


def _ask(ctx: Ctx, order: Order, lead: list[str]) -> Reply:
    """Which product, how many: typed next (``details_typed``), or the kind chosen with a button."""
    n = order.number
    said = ctx.dialog.data.get(RECV_SAID)
    if not isinstance(said, dict) or said.get("number") != n:
        ctx.dialog.data[RECV_SAID] = {"number": n, "text": "", "key": secrets.token_hex(8)}
    if order.status != OrderStatus.SHIPPED:      # received already: the words are all that can be told
        return Reply(text="\n".join([*lead, ctx.t("rc.ask", number=n, unit=_unit(ctx), example=_example(ctx, order))]),
                     buttons=[[Button(ctx.t("orders.btn.detail"), payload("orders.detail", n))]])
    return Reply(text="\n".join([*lead, ctx.t("rc.ask", number=n, unit=_unit(ctx), example=_example(ctx, order))]),
                 buttons=[[Button(ctx.t("orders.btn.partial"), payload("orders.recv", n, "p")),
                           Button(ctx.t("orders.btn.damaged"), payload("orders.recv", n, "d"))],
                          [Button(ctx.t("orders.btn.both"), payload("orders.recv", n, "pd"))],
                          [Button(ctx.t("orders.btn.back"), payload("orders.detail", n))]])


@router.button("orders.recv_issue")
async def received_with_issue(ctx: Ctx) -> list[Reply]:
    """⚠️ 部分收到或有破损: the words said before ("货到了 WP600少了2台…", kept by the quality flow) read at once;
    none: asked which product and how many."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    order = await get_order(ctx.uow(), ctx.actor, forms.arg(ctx, 0))
    order_states.check(order, ctx.actor, OrderAction.RECEIVE)
    said = str(ctx.dialog.data.pop("qf_hint", "") or "")
    if said and shortage_said(said):
        return await claim_card(ctx, order, said)
    ctx.dialog.data.pop(RECV_SAID, None)
    return [_ask(ctx, order, lead=[])]


@router.button("orders.recv")
async def received_noted(ctx: Ctx) -> list[Reply]:
    """The receipt recorded with its exceptions and the claim opened; the kind chosen without any words: which
    product and how many asked first (``-``: recorded without them)."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    if len(ctx.args) < 2 or not ctx.args[1] or set(ctx.args[1]) - {"p", "d"}:
        return [Reply(text=ctx.t("error.button_stale"))]
    number, flags = ctx.args[0], ctx.args[1]
    order = await get_order(ctx.uow(), ctx.actor, number)
    order_states.check(order, ctx.actor, OrderAction.RECEIVE)
    said = _said_of(ctx, order.number)
    text = str(said.get("text") or "")
    lines = await issue_lines(ctx, order, text) if text else []
    if not lines and forms.arg(ctx, 2) != "-":
        what = "/".join(([ctx.t("rc.short")] if "p" in flags else []) + ([ctx.t("rc.damaged")] if "d" in flags else []))
        ctx.dialog.data[RECV_SAID] = {"number": order.number, "text": "", "key": secrets.token_hex(8),
                                      "flags": flags}
        return [Reply(text=ctx.t("rc.ask_lines", what=what, unit=_unit(ctx), example=_example(ctx, order)),
                      buttons=[[Button(ctx.t("rc.btn.plain"), payload("orders.recv", order.number, flags, "-"))],
                               [Button(ctx.t("orders.btn.back"), payload("orders.detail", order.number))]])]
    order = await confirm_receipt(ctx.uow(), ctx.actor, ConfirmReceipt(
        number=order.number, partial="p" in flags, damaged="d" in flags, note=text, issues=tuple(lines)),
        ctx.deps.clock)
    question_id = await _tell_desk(ctx, order, lines, text, str(said.get("key") or secrets.token_hex(8)))
    ctx.dialog.data.pop(RECV_SAID, None)
    shown = [_line_text(ctx, order, i) for i in lines] or [ctx.t("rc.no_lines_said")]
    return [Reply(text=ctx.t("rc.done", number=order.number, status=order_status_label(order, ctx.lang),
                             lines="\n".join(shown), id=question_id),
                  buttons=[[Button(ctx.t("orders.btn.aftersales"), payload("as.new", order.number))],
                           [Button(ctx.t("orders.btn.detail"), payload("orders.detail", order.number))]])]


@router.button("orders.claim")
async def claimed(ctx: Ctx) -> list[Reply]:
    """The claim on an order received already (goods found short or damaged since): to the order desk."""
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    order = await get_order(ctx.uow(), ctx.actor, forms.arg(ctx, 0))
    said = _said_of(ctx, order.number)
    text = str(said.get("text") or "")
    lines = await issue_lines(ctx, order, text) if text else []
    if not lines:
        return [_ask(ctx, order, lead=[])]
    question_id = await _tell_desk(ctx, order, lines, text, str(said.get("key") or secrets.token_hex(8)))
    ctx.dialog.data.pop(RECV_SAID, None)
    return [Reply(text=ctx.t("rc.claimed", number=order.number, id=question_id,
                             lines="\n".join(_line_text(ctx, order, i) for i in lines)),
                  buttons=[[Button(ctx.t("orders.btn.detail"), payload("orders.detail", order.number))]])]


async def _tell_desk(ctx: Ctx, order: Order, lines: list[ReceiptIssue], said: str, key: str) -> int | None:
    """The claim in the order desk's queue (a question about the order, answered to this chat); its number."""
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(order.dealer_id)
    who = f"{dealer.name}（{dealer.code}）· {ctx.actor.name}" if dealer is not None else ctx.actor.name
    question = claim_question(order.number, "；".join(receipt_issue_text(i) for i in lines), said)
    asked, _ = await ask_staff(ctx.uow(), ctx.actor, AskStaff(
        channel=ctx.inbound.channel, chat_id=ctx.inbound.chat_id, question=question, request_key=f"recv-{key}",
        asked_by=who, language=ctx.lang, about_order=order.number), ctx.deps.clock)
    return asked.id


@router.text_hook
async def details_typed(ctx: Ctx) -> list[Reply] | None:
    """"WP600少了2台" typed under the question which product and how many (its buttons still the screen): the
    card to check. None: not that question, or words of no shortage."""
    if not ctx.is_dealer or ctx.dialog.state or not shortage_said(ctx.inbound.text):
        return None
    said = ctx.dialog.data.get(RECV_SAID)
    if not isinstance(said, dict) or not isinstance(said.get("number"), str):
        return None
    number = said["number"]
    if not any(action in ("orders.recv", "orders.claim") and args and args[0] == number
               for action, args in shown_payloads(ctx.dialog.data)):
        return None
    order = await get_order(ctx.uow(), ctx.actor, number)
    if order.status not in (OrderStatus.SHIPPED, OrderStatus.RECEIVED):
        return None
    return await claim_card(ctx, order, ctx.inbound.text)
