"""Filling and changing the cart of an order (``handlers.flows.cart``): typed lines ("AP300 20台，下周三到")
and the questions asked meanwhile, the guided picking by category, and the editing buttons (``order.view``,
``order.edit``, ``order.inc``/``dec``/``rm``/``set``, ``order.clear``, ``order.date``/``datetype``,
``order.cancel``). Starting and confirming an order are ``handlers.flows.ordering``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.errors import DomainError, NotFound
from core.products import Product, to_product_units
from core.services.catalogue import list_products
from handlers.catalogue import learn_from_pick, parse_message, remember_suggestions, talked_about, typed_pick
from handlers.context import Ctx
from handlers.flows import faq, forms
from handlers.flows.cart import (
    MAX_LINES,
    MAX_QTY,
    QUICK_QTYS,
    Cart,
    ask_dealer,
    cart_editor,
    cart_prompt,
    cart_summary,
    catalogue_entries,
    check_delivery,
    fmt_date,
    open_cart,
    over_limit,
    pressed_cart,
    products_by_sku,
    qty_arg,
    stale_cart,
    started_cart,
)
from handlers.flows.cart_swaps import line_among, size_pick, swap_pick, typed_swap
from handlers.flows.leaving import park_cart, receipt_typed, report_with_counts
from handlers.flows.menu import main_menu, require_bound
from handlers.flows.ordering import confirm, dealer_said, reorder_from
from handlers.flows.sellout import report_sales_intent
from handlers.messages import Answer, Button, InboundKind, Reply
from handlers.router import MAX_PAYLOAD_BYTES, Router, StepLeft, payload
from nlu.blocked_asked import why_cannot_order
from nlu.dates import find_date, latest_date_said
from nlu.items import REFERRING_WORDS
from nlu.nonsense import is_keyboard_mash
from nlu.numbers import typed_quantity
from nlu.products import suggest_products
from nlu.schema import LOW_CONFIDENCE, CartEdit, EditOp, Intent, ParseResult
from nlu.staff_commands import dealer_ordered_for

router = Router(name=__name__)


# --- free text --------------------------------------------------------------------------------------

@router.intent(Intent.PLACE_ORDER)
async def order_intent(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    parsed = ctx.parsed or await parse_message(ctx)
    if parsed.slots.topic == "reorder":     # "和上次一样" (the parser says so; no words are read here)
        return await _reorder(ctx, parsed)
    if parsed.slots.topic == "view_cart":          # "看下购物车": the open cart, or that it is empty
        shown = Cart.load(ctx) or Cart.parked(ctx)
        if shown is None:
            return [Reply(text=ctx.t("order.no_cart"), buttons=[[Button(ctx.t("btn.order"), payload("order.new"))]])]
        return await cart_summary(ctx, shown)
    if parsed.slots.topic == "note" and parsed.slots.description:    # "备注：周六不送货" with no cart yet: one begun
        begun = await open_cart(ctx)
        return begun if isinstance(begun, list) else await _note_said(ctx, begun, parsed.slots.description)
    if ctx.is_staff and Cart.load(ctx) is None:
        pending = {i.sku: i.qty for i in parsed.slots.items}
        asked = await ask_dealer(ctx, pending=pending)
        # "帮D0002下个单 AP500 10台": the dealer said with the items answers "for whom?" (was: asked again, items lost)
        who = dealer_ordered_for(ctx.inbound.text)
        return await dealer_said(ctx, who) if who else asked
    cart = await open_cart(ctx)
    if isinstance(cart, list):
        return cart
    return await _apply_text(ctx, cart, parsed)


@router.state("order")
async def cart_text(ctx: Ctx) -> list[Reply]:
    cart = Cart.load(ctx)
    if cart is None:
        ctx.idle()
        return [main_menu(ctx)]
    if ctx.inbound.kind != InboundKind.TEXT or not ctx.inbound.text.strip():
        return [cart_prompt(ctx, cart)]
    parsed = await parse_message(ctx)
    if parsed.slots.topic == "reorder" and not (parsed.slots.edits and {e.sku for e in parsed.slots.edits} & set(cart.items)):
        return await _reorder(ctx, parsed)     # (the lines changed in the open cart: a change of the cart)
    if parsed.slots.topic == "confirm" and ctx.dialog.state == "order.cart":
        # "确认下单", "就这些 下单吧", "确认" typed under the cart: Confirm pressed on the cart as it stands (every edit
        # showed it whole); an empty cart shows how to order
        if not cart.items:
            return [cart_prompt(ctx, cart)]
        ctx.args = [cart.nonce, str(cart.rev)]
        return await confirm(ctx)
    if parsed.slots.topic == "done" and cart.items:      # "好了就这样": the cart and its button, nothing submitted
        return await cart_summary(ctx, cart, lead=[ctx.t("order.done_said_change" if cart.amends else "order.done_said")])
    if parsed.slots.topic in ("cart_total", "view_cart"):   # "一共多少钱", "看下购物车": the priced cart as it stands
        return await cart_summary(ctx, cart)
    if parsed.slots.topic in ("size_up", "size_down") and cart.items:     # "换成大一号的": which product, one tap
        return [await size_pick(ctx, cart, parsed.slots.product)]
    said_nothing = not parsed.slots.items and not parsed.slots.edits and not parsed.slots.unresolved
    if cart.items and said_nothing and why_cannot_order(ctx.inbound.text):
        # "为啥不能下单" (was: "已回到主菜单"): the cart with its checks, a suspended account's with whom to ask
        return await cart_summary(ctx, cart)
    if parsed.slots.topic == "clear_cart" and not cart.items or parsed.intent == Intent.HELP and said_nothing:
        # "主菜单" with the cart open, "放弃购物车" with nothing in it: ordering is left (an empty cart with it),
        # a cart with lines is kept and said so
        if cart.items:
            return [Reply(text=ctx.t("order.left_kept", n=len(cart.items)),
                          buttons=[[Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce)),
                                    Button(ctx.t("order.btn.drop"), payload("order.cancel", cart.nonce))]]),
                    main_menu(ctx)]
        ctx.idle()
        return [Reply(text=ctx.t("order.left_empty")), main_menu(ctx)]
    if parsed.slots.topic == "keep" and said_nothing:     # "不取消" after "取消" asked about the cart: kept
        return [Reply(text=ctx.t("order.cancel_kept", n=len(cart.items)),
                      buttons=[[Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))]]
                      if cart.items else [])]
    if parsed.slots.topic == "clear_cart":        # "清空购物车": asked once, one tap (nothing lost by a typo)
        return [Reply(text=ctx.t("order.clear_ask", n=len(cart.items)),
                      buttons=[[Button(ctx.t("order.btn.drop"), payload("order.cancel", cart.nonce), Answer.YES),
                                Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))]])]
    if parsed.intent == Intent.REPORT_SALES and ctx.is_dealer and parsed.confidence >= LOW_CONFIDENCE:
        # "昨天 AP500 卖了2台 单价3299 杭州 工程" with the cart open: sales made, reported, never lines of this order
        # (QA s27 #4: one tap from a purchase order); the cart is parked for when ordering goes on
        return [Reply(text=ctx.t("order.kept", n=len(cart.items)))] * bool(cart.items) + await report_sales_intent(ctx)
    if ctx.is_dealer and (receipt_typed(ctx) or report_with_counts(parsed)):
        # "质量反馈 DH20 水箱满灯乱亮 批号B2612-01 有3台", "SO-… 货到了 但是少了1台" with a cart or an order's edit open: a
        # report or a receipt whose counts are no lines of this order (was: "已加入：除湿机 DH20 ×3台"); the cart parked,
        # the request done (a problem without counts is answered as before: the way there, the cart kept open)
        raise park_cart(ctx, [Reply(text=ctx.t("order.kept", n=len(cart.items)))] * bool(cart.items))
    return await _each_request(ctx, cart, parsed)



async def _reorder(ctx: Ctx, parsed: ParseResult) -> list[Reply]:
    """An order copied ("和上次一样"), with the changes said with it applied to the copy ("把WP400换成WP600 其他不变
    再下一次": the rejected order's lines, WP400 replaced, the rest kept)."""
    if not parsed.slots.edits:
        return await reorder_from(ctx, parsed.slots.order_no, said=parsed.slots)
    return await reorder_from(ctx, parsed.slots.order_no, said=parsed.slots,
                              then=lambda cart: _apply_text(ctx, cart, parsed))


async def _each_request(ctx: Ctx, cart: Cart, parsed: ParseResult) -> list[Reply]:
    """The message's requests with a cart open ("DH20有货吗？顺便再来5台AP300", "备注：卸货要叉车，另外滤网有货吗"): each
    done, in the order written; nothing dropped."""
    out: list[Reply] = []
    part: ParseResult | None = parsed
    while part is not None:
        part, later = part.model_copy(update={"also": None}), part.also
        if part.slots.topic == "note" and part.slots.description:      # "备注：卸货需要叉车": on the order
            out += await _note_said(ctx, cart, part.slots.description)
        elif part.intent == Intent.QUERY_STOCK and part.slots.items and part.slots.product:
            # "透明48有货吗 有的话来20卷" with the cart open: the stock answered, the 20 into the cart
            out += await _meanwhile(ctx, cart, part)
            out += await _apply_text(ctx, cart, part)
        elif _is_question(part):
            out += await _meanwhile(ctx, cart, part)
        else:
            out += await _apply_text(ctx, cart, part)
        part = later
    return out


async def _note_said(ctx: Ctx, cart: Cart, note: str) -> list[Reply]:
    """"备注：…" typed: the note on the order being made, said back whole. With lines, the priced cart; with none
    (no cart before it), the note is kept on the cart begun for the next order and how to go on is shown."""
    cart.note = note
    cart.save(ctx)
    if cart.items:
        return await cart_summary(ctx, cart, [ctx.t("order.note_set", note=note)])
    return [Reply(text=ctx.t("order.note_kept", note=note)), cart_prompt(ctx, cart)]


# intents about the dealer's money and figures: the numbers in them are amounts and dates, not order lines
_NEVER_LINES = frozenset({Intent.CONTRACT_QUERY, Intent.SALES_QUERY})


def _is_question(parsed: ParseResult) -> bool:
    """Something asked with a cart open that does not change it."""
    slots = parsed.slots
    if parsed.intent in _NEVER_LINES:
        return True     # "账不对，12月2号那笔800应该是8000": amounts of the account, never a cart line
    if slots.topic == "return":
        return True     # "AP300退2台可以吗": goods going back, asked about, not two more in this cart
    if slots.topic == "receipt_issue":
        return True     # "昨天到的货，WP400少了2台": goods short on arrival, not two more in this cart
    if parsed.intent == Intent.PRICE_QUERY and all(e.op == EditOp.ADD for e in slots.edits):
        return True     # "三层5号多少钱一个", "三层5号100个多少钱": a price asked, the cart's 100 stay 100
    # a product word without a quantity ("我那个除湿机的问题咋样了") is what the question is about, not an order line
    return (not slots.edits and not any(u.qty for u in slots.unresolved) and slots.delivery_date is None
            and not slots.negative_quantities and not slots.rejected_quantities
            and parsed.intent not in (Intent.PLACE_ORDER, Intent.CHITCHAT_OTHER)
            and (parsed.intent != Intent.FAQ or not (slots.items or slots.unknown_words))
            # "苹果": a word the classifier only guesses at (0.19 FAQ) is no question; it was not understood
            and (parsed.intent != Intent.FAQ or parsed.confidence >= LOW_CONFIDENCE))


async def _meanwhile(ctx: Ctx, cart: Cart, parsed: ParseResult) -> list[Reply]:
    """A question asked while a cart is open: one that only reads (stock, status, price, balance, a ticket...)
    is answered right here, the rest gets the way there; the cart stays open either way."""
    back = Reply(text=ctx.t("order.kept", n=len(cart.items)),
                 buttons=[[Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))]])
    replies = await forms.answered_aside(ctx, parsed)
    if replies is None and parsed.intent == Intent.FAQ:      # "付款方式有哪些": the knowledge base's answer
        ctx.parsed = parsed
        known = await faq.typed_answer(ctx)
        replies = [known] if known is not None else None
    if replies is None and not cart.items and not cart.amends:
        # an empty cart is not "kept" (was: "购物车里有 0 个商品，购物车会保留", QA s27 P21): ordering is left and the
        # message goes where it would have gone outside it
        raise StepLeft([Reply(text=ctx.t("order.left_empty"))])
    if replies is None:
        return [_busy(ctx, cart, parsed)]
    return [*replies, back] if cart.items else replies      # an empty cart is not news


def _busy(ctx: Ctx, cart: Cart, parsed: ParseResult) -> Reply:
    """Something else asked while a cart is open: keep the cart, offer the way there and back."""
    rows: list[list[Button]] = []
    if parsed.intent == Intent.QUERY_STOCK and parsed.slots.product:
        rows.append([Button(ctx.t("btn.stock") + f" {parsed.slots.product}", payload("stock.sku", parsed.slots.product))])
    elif parsed.intent in forms.ELSEWHERE and ctx.is_dealer:
        key, action = forms.ELSEWHERE[parsed.intent]
        rows.append([Button(ctx.t(key), payload(action))])
    rows.append([Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce)),
                 Button(ctx.t("order.btn.drop"), payload("order.cancel", cart.nonce))])
    rows.append([Button(ctx.t("order.btn.menu"), payload("menu"))])
    return Reply(text=ctx.t("order.busy", n=len(cart.items)), buttons=rows)


async def _apply_text(ctx: Ctx, cart: Cart, parsed: ParseResult) -> list[Reply]:
    """What the message says about the order (``parsed.slots.edits``: add / set / remove / replace / scale,
    a delivery date) applied to the cart, then the whole cart. Nothing is dropped in silence: a refused
    quantity, a word that is no product and an edit that does not say which line are answered by name."""
    slots = parsed.slots
    lead: list[str] = [ctx.t("order.qty_negative", raw=raw) for raw in slots.negative_quantities]
    lead += [ctx.t("order.qty_zero" if raw in slots.zero_quantities else "order.qty_not_whole", raw=raw)
             for raw in slots.rejected_quantities]
    asks: list[Reply] = []
    changed = False
    unresolved = []
    edits = list(slots.edits)
    if (swapped := typed_swap(ctx, cart, parsed)) is not None:
        # "DH50" typed under "没有找到“DH30”…要换成哪一个？": that button pressed (was: a line of DH50 of its own)
        edits = [swapped]
    offered = (ctx.dialog.data.get("suggested") or {}).get("skus") or []
    # "DH20有货吗" answered, then "那来4台" / "need 4 of them" with no cart yet: the product just asked about
    about = talked_about(ctx) if not cart.items else None
    if about is not None:
        edits = [e.model_copy(update={"sku": about}) if e.sku is None and e.op in (EditOp.SET, EditOp.ADD) else e
                 for e in edits]
    for word in slots.unresolved:
        if about is not None and word.qty and not word.candidates and word.word.lower() in REFERRING_WORDS:
            edits.append(CartEdit(op=EditOp.SET if word.sets else EditOp.ADD, sku=about, qty=word.qty, unit=word.unit))
            continue
        held = [sku for sku in word.candidates if sku in cart.items]
        if not held and word.qty and not word.less:
            # "三层箱" answered with the 三层 cartons, then "3号 50", "5号 30": the one of the products offered last
            held = [sku for sku in word.candidates if sku in offered]
        if word.qty and len(held) == 1 and (word.sets or word.less or word.generic):
            # "米黄的改成5桶" with only the 米黄 18L in the cart: that line, not a question between 18L and 5L;
            # "3号的再加50" with one of the 3号 cartons in the cart: 50 more of it (a word of several products,
            # not a wording named back: "蓝色18L" is no line of the white 18L)
            op = EditOp.SUBTRACT if word.less else EditOp.SET if word.sets else EditOp.ADD
            edits.append(CartEdit(op=op, sku=held[0], qty=word.qty, unit=word.unit))
        else:
            unresolved.append(word)
    if not any(e.sku for e in edits) and not any(w.qty for w in unresolved) and (picked := await typed_pick(ctx)):
        # "两箱滤网" asked "which filter?", answered "滤网要ap300的": the AP300 one, the two boxes said then
        sku, qty = picked
        ctx.dialog.data.pop("suggested", None)
        unresolved = [w for w in unresolved if sku not in w.candidates]
        if qty is None:
            return await _pick(ctx, sku)
        edits.append(CartEdit(op=EditOp.ADD, sku=sku, qty=qty))
    for edit in [e for e in edits if e.op == EditOp.REPLACE and e.sku is None and (e.among or not cart.referent())]:
        # "把滤网换成两箱AP500滤网": the line of the filter the cart holds; "换成DH50" with no line talked about: of the
        # cart's lines (which one, when there are several)
        line = await line_among(ctx, cart, edit if edit.among else edit.model_copy(update={"among": list(cart.items)}))
        at = edits.index(edit)
        edits = edits[:at] + ([line] if isinstance(line, CartEdit) else []) + edits[at + 1:]
        if isinstance(line, Reply):
            asks.append(line)
        elif line is None and edit.to_sku:
            asks += await _pick(ctx, edit.to_sku)     # nothing to replace, no count said: how many of it
    skus = {e.sku for e in edits if e.sku} | {e.to_sku for e in edits if e.to_sku} | set(cart.items)
    products = await products_by_sku(ctx, sorted(skus))
    missing: list[str] = []
    removed = False
    for edit in edits:
        absent = edit.op == EditOp.REMOVE and edit.sku is not None and edit.sku not in cart.items
        outcome = _apply_edit(ctx, cart, edit, products)
        if isinstance(outcome, Reply):
            asks.append(outcome)
        elif outcome and absent:         # "not in the cart": said only when nothing else was removed
            missing.append(outcome)
        elif outcome:
            lead.append(outcome)
            changed = True
            removed = removed or edit.op == EditOp.REMOVE
    if not removed:       # "7号不要了": the 7号 carton in the cart goes; the 7号 bags it is not are not listed
        lead += missing[:1]
    when = slots.delivery_date
    if when is not None:
        problem = check_delivery(ctx, when)
        if problem:
            lead.append(problem)
        else:
            cart.delivery, cart.delivery_by = when, latest_date_said(ctx.inbound.text, ctx.deps.clock.today())
            cart.rev += 1
            lead.append(ctx.t("order.date_set_by" if cart.delivery_by else "order.date_set", date=fmt_date(ctx, when)))
            changed = True
    if ctx.dialog.state != "order.qty":
        cart.save(ctx)
    for word in unresolved:      # after the cart is saved: a pick among them teaches the dealer's word
        asks.append(await swap_pick(ctx, cart, word) if word.replaces else
                    await _unresolved_reply(ctx, word.word, word.qty, word.candidates, generic=word.generic))
    if changed or (cart.items and (lead or asks)):
        return [*await cart_summary(ctx, cart, lead), *asks]
    if lead or asks:
        return ([Reply(text="\n".join(lead))] if lead else []) + asks
    return await _suggest(ctx, cart, parsed)


def _apply_edit(ctx: Ctx, cart: Cart, edit: CartEdit, products: dict[str, Product]) -> str | Reply | None:
    """One edit on the cart: the line saying what changed, a question (which line? which product?), or None."""
    sku = edit.sku or (cart.referent() if edit.op in (EditOp.SET, EditOp.ADD, EditOp.REPLACE) else None)
    if edit.op in (EditOp.SET, EditOp.ADD) and sku is None:
        if not cart.items:
            return Reply(text=ctx.t("order.which_empty", qty=edit.qty))
        return _which_line(ctx, cart, edit)
    if edit.op == EditOp.SCALE:
        return _scale(ctx, cart, edit, products)
    if sku is None:
        return None
    product = products.get(sku)
    if edit.op == EditOp.REMOVE:
        if sku not in cart.items:
            return ctx.t("order.not_in_cart", name=_label(products, sku)) if cart.items else None
        cart.set(sku, 0)
        return ctx.t("order.removed", name=_label(products, sku))
    if edit.op == EditOp.REPLACE:
        new = products.get(edit.to_sku or "")
        if new is None or not new.active:
            return ctx.t("order.unknown_product", word=edit.to_sku or "")
        qty = edit.qty or cart.items.get(sku)
        # "AP500换成AP800" with no AP500 in the cart: said so, AP800 added (its count asked when none was said)
        absent = ctx.t("order.replace_absent", name=_label(products, sku)) + "\n" if sku not in cart.items else ""
        if qty is None:
            cart.save(ctx, "order.qty", pending_sku=new.sku, set_qty=False)
            return Reply(text=absent + ctx.t("order.qty_ask", name=new.name, unit=new.unit))
        if (refused := over_limit(ctx, new, qty)) is not None:
            return refused
        cart.set(sku, 0)
        cart.set(new.sku, qty)
        if absent:
            return absent + ctx.t("order.added_line", name=new.name, qty=qty, unit=new.unit)
        return ctx.t("order.replaced", old=_label(products, sku), new=new.name, qty=qty, unit=new.unit)
    if product is None or not product.active:
        return ctx.t("order.unknown_product", word=sku)
    assert edit.qty is not None
    try:    # "5箱" of a product sold by the piece: 5 × pack size; a dozen was already counted as 12 pieces
        units = to_product_units(product, edit.qty, "个" if edit.unit == "打" else edit.unit)
    except DomainError as exc:
        return exc.message(ctx.lang)
    converted = ctx.t("order.converted", written=f"{edit.qty}{edit.unit}", qty=units, unit=product.unit) \
        if units != edit.qty else ""
    edit = edit.model_copy(update={"qty": units})
    had = cart.items.get(sku)
    if edit.op == EditOp.SUBTRACT:       # "5号减30": that many fewer; none left, the line goes
        if had is None:
            return ctx.t("order.not_in_cart_less", name=product.name)
        if units >= had:
            cart.set(sku, 0)
            return ctx.t("order.removed", name=product.name)
        cart.set(sku, had - units)
        return ctx.t("order.less", name=product.name, qty=units, had=had, total=had - units,
                     unit=product.unit) + converted
    qty = units if edit.op == EditOp.SET else (had or 0) + units
    if (refused := over_limit(ctx, product, qty, had=0 if edit.op == EditOp.SET else had or 0)) is not None:
        return refused
    if had is None and len(cart.items) >= MAX_LINES:
        return ctx.t("order.too_many_lines", max=MAX_LINES)
    cart.set(sku, qty)
    if edit.op == EditOp.SET and had is not None:
        return ctx.t("order.set_to", name=product.name, qty=qty, unit=product.unit) + converted
    if had:
        return ctx.t("order.added_more", name=product.name, qty=edit.qty, had=had, total=qty,
                     unit=product.unit) + converted
    return ctx.t("order.added_line", name=product.name, qty=qty, unit=product.unit) + converted


def _scale(ctx: Ctx, cart: Cart, edit: CartEdit, products: dict[str, Product]) -> str | Reply | None:
    factor = edit.factor or Decimal(1)
    targets = [edit.sku] if edit.sku in cart.items else list(cart.items)
    if not targets or edit.sku and edit.sku not in cart.items:
        return ctx.t("order.scale_empty") if not cart.items else ctx.t("order.not_in_cart",
                                                                      name=_label(products, edit.sku or ""))
    new = {sku: max(1, int((Decimal(cart.items[sku]) * factor).to_integral_value(ROUND_HALF_UP))) for sku in targets}
    for sku, qty in new.items():
        product = products.get(sku)
        if product is not None and (refused := over_limit(ctx, product, qty)) is not None:
            return refused
    for sku, qty in new.items():
        cart.set(sku, qty)
    shown = "，".join(f"{_label(products, sku)} ×{qty}" for sku, qty in new.items())
    return ctx.t("order.scaled", factor=_factor_text(ctx, factor), items=shown)


def _factor_text(ctx: Ctx, factor: Decimal) -> str:
    if factor == Decimal("0.5"):
        return ctx.t("order.factor_half")
    return ctx.t("order.factor_times", n=f"{factor.normalize():f}")


def _which_line(ctx: Ctx, cart: Cart, edit: CartEdit) -> Reply:
    """"改成10台" with several lines and none talked about: ask which, one tap each."""
    op = "set" if edit.op == EditOp.SET else "add"
    rows = [[Button(f"{sku} ×{qty} → {edit.qty if op == 'set' else qty + (edit.qty or 0)}",
                    payload("order.to", cart.nonce, sku, (edit.qty or 0) if op == "set" else qty + (edit.qty or 0)))]
            for sku, qty in list(cart.items.items())[:8]]
    return Reply(text=ctx.t("order.which_line", qty=edit.qty), buttons=rows)


def _label(products: dict[str, Product], sku: str) -> str:
    p = products.get(sku)
    return p.name if p else sku


async def _unresolved_reply(ctx: Ctx, word: str, qty: int | None, candidates: list[str], *,
                            generic: bool = False) -> Reply:
    """A word with a quantity that names no one product: said back by name, with the products it may mean."""
    entries = {e.sku: e for e in await catalogue_entries(ctx)}
    found = [entries[s] for s in candidates if s in entries][:6]
    if not found:
        found = [e for e, _ in suggest_products([word], list(entries.values()))]
    amount = ctx.t("order.qty_of", qty=qty) if qty else ""
    if not found:
        return Reply(text=ctx.t("order.unknown_none", word=word[:30], qty=amount),
                     buttons=[[Button(ctx.t("order.btn.browse"), payload("order.browse"))]])
    remember_suggestions(ctx, word, [e.sku for e in found], qty)   # a pick teaches the dealer's word
    rows = [[Button(f"{e.name}（{e.sku}）" + (f" ×{qty}" if qty else ""),
                    payload("order.add", e.sku, qty) if qty and qty <= MAX_QTY else payload("order.pick", e.sku))]
            for e in found]
    rows.append([Button(ctx.t("order.btn.browse"), payload("order.browse"))])
    key = "order.generic_pick" if generic else "order.unknown_pick"
    return Reply(text=ctx.t(key, word=word[:30], qty=amount), buttons=rows)


@router.button("order.to")
async def set_to(ctx: Ctx) -> list[Reply]:
    """The answer to "which line?": ``order.to|<nonce>|<sku>|<qty>`` sets that line."""
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    qty = qty_arg(ctx.args[2]) if len(ctx.args) > 2 else None
    sku = ctx.args[1] if len(ctx.args) > 1 else ""
    if qty is None or sku not in cart.items:
        return [Reply(text=ctx.t("error.button_stale"))]
    products = await products_by_sku(ctx, [sku])
    outcome = _apply_edit(ctx, cart, CartEdit(op=EditOp.SET, sku=sku, qty=qty), products)
    cart.save(ctx)
    if isinstance(outcome, Reply):
        return [outcome]
    return await cart_summary(ctx, cart, [outcome] if outcome else [])


@router.button("order.swap")
async def swap(ctx: Ctx) -> list[Reply]:
    """``order.swap|<nonce>|<old>|<new>[|<qty>]`` (``handlers.flows.cart_swaps``): the line of ``old`` replaced by
    ``new``, with its own count unless one was said."""
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    if len(ctx.args) < 3:
        return [Reply(text=ctx.t("error.button_stale"))]
    qty = qty_arg(ctx.args[3]) if len(ctx.args) > 3 else None
    edit = CartEdit(op=EditOp.REPLACE, sku=ctx.args[1], to_sku=ctx.args[2], qty=qty)
    outcome = _apply_edit(ctx, cart, edit, await products_by_sku(ctx, [ctx.args[1], ctx.args[2]]))
    if isinstance(outcome, Reply):
        return [outcome]
    cart.save(ctx)
    return await cart_summary(ctx, cart, [outcome] if outcome else [])


async def _suggest(ctx: Ctx, cart: Cart, parsed: ParseResult) -> list[Reply]:
    """Nothing in the message changed the cart: the closest products to its words, or how to order."""
    words = parsed.slots.unknown_words
    whole = False
    if not words:
        if parsed.slots.product:      # "AP300" alone: only the quantity is missing
            return await _pick(ctx, parsed.slots.product)
        if not parsed.slots.edits and parsed.slots.topic not in ("start", "confirm") and _has_words(ctx.inbound.text):
            words, whole = [ctx.inbound.text.strip()[:40]], True
    if whole and is_keyboard_mash(ctx.inbound.text):    # "asdkjh qwe 啊啊啊": not understood, no look-alike products
        return [Reply(text=ctx.t("order.not_understood"),
                      buttons=[[Button(ctx.t("order.btn.browse"), payload("order.browse"))]])]
    if not words:   # "我要下单": nothing to look up, show how to order
        return [cart_prompt(ctx, cart)]
    found = suggest_products(words, await catalogue_entries(ctx))
    if not found:
        return [Reply(text=ctx.t("order.not_understood"),
                      buttons=[[Button(ctx.t("order.btn.browse"), payload("order.browse"))]])]
    if not whole:
        remember_suggestions(ctx, words[0], [e.sku for e, _ in found])
    rows = [[Button(f"{e.name}（{e.sku}）", payload("order.pick", e.sku))] for e, _ in found]
    rows.append([Button(ctx.t("order.btn.browse"), payload("order.browse"))])
    head = ctx.t("order.suggest_plain") if whole else ctx.t("order.suggest", word=words[0][:30])
    return [Reply(text=head, buttons=rows)]


def _has_words(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fffA-Za-z]{2,}", text)) and not re.fullmatch(
        r"\s*(?:我要|我想|我)?(?:下单|订货|要货|订购|order|place an order|i want to order)\s*[!！。.]?\s*", text,
        re.IGNORECASE)


# --- guided picking ---------------------------------------------------------------------------------

def _category_payload(category: str, index: int) -> str:
    data = payload("order.cat", "#" + str(index))
    full = "|".join(["1", "order.cat", category])
    return full if len(full.encode()) <= MAX_PAYLOAD_BYTES and "|" not in category else data


@router.button("order.browse")
async def browse(ctx: Ctx) -> list[Reply]:
    cart = await started_cart(ctx)
    if isinstance(cart, list):
        return cart
    products = await list_products(ctx.uow(), ctx.actor)
    categories = sorted({p.category for p in products})
    if not categories:
        return [Reply(text=ctx.t("order.no_products"))]
    buttons = [Button(c, _category_payload(c, i)) for i, c in enumerate(categories)]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    if cart.items:
        rows.append([Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))])
    return [Reply(text=ctx.t("order.categories"), buttons=rows)]


@router.button("order.cat")
async def category(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    wanted = ctx.args[0] if ctx.args else ""
    products = await list_products(ctx.uow(), ctx.actor)
    categories = sorted({p.category for p in products})
    if wanted.startswith("#") and wanted[1:].isdigit() and int(wanted[1:]) < len(categories):
        wanted = categories[int(wanted[1:])]
    chosen = [p for p in products if p.category == wanted]
    if not chosen:
        return [Reply(text=ctx.t("order.no_products"),
                      buttons=[[Button(ctx.t("order.btn.back_categories"), payload("order.browse"))]])]
    rows = [[Button(f"{p.name}（{p.sku}）", payload("order.pick", p.sku))] for p in chosen]
    rows.append([Button(ctx.t("order.btn.back_categories"), payload("order.browse"))])
    return [Reply(text=ctx.t("order.products_in", category=wanted), buttons=rows)]


@router.button("order.pick")
async def pick(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    await learn_from_pick(ctx, ctx.args[0] if ctx.args else "")
    return await _pick(ctx, ctx.args[0] if ctx.args else "")


async def _pick(ctx: Ctx, sku: str) -> list[Reply]:
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku) if sku else None
    if product is None or not product.active:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    quick = [Button(str(q), payload("order.add", product.sku, q)) for q in QUICK_QTYS]
    return [Reply(text=ctx.t("order.pick_qty", name=product.name, sku=product.sku, unit=product.unit,
                             moq=product.moq),
                  buttons=[quick, [Button(ctx.t("order.btn.other_qty"), payload("order.qty", product.sku))]])]


@router.button("order.add")
async def add(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    sku = ctx.args[0] if ctx.args else ""
    qty = qty_arg(ctx.args[1]) if len(ctx.args) > 1 else None
    if qty is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    await learn_from_pick(ctx, sku)
    return await _add(ctx, sku, qty)


async def _add(ctx: Ctx, sku: str, qty: int, *, replace: bool = False) -> list[Reply]:
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku) if sku else None
    if product is None or not product.active:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    if ctx.is_staff and Cart.load(ctx) is None:
        return await ask_dealer(ctx, pending={product.sku: qty})
    cart = await open_cart(ctx)
    if isinstance(cart, list):
        return cart
    had = 0 if replace else cart.items.get(product.sku, 0)
    new_qty = had + qty
    if (refused := over_limit(ctx, product, new_qty, had=had)) is not None:
        cart.save(ctx)
        return [Reply(text=refused)]
    if replace:
        cart.set(product.sku, qty)
    elif not cart.add(product.sku, qty):
        cart.save(ctx)
        return [Reply(text=ctx.t("order.too_many_lines", max=MAX_LINES))]
    cart.save(ctx)
    return await cart_summary(ctx, cart, [ctx.t("order.added", items=f"{product.name} ×{cart.items[product.sku]}"
                                            if replace else f"{product.name} ×{qty}")])


@router.button("order.qty")
async def ask_qty(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await _ask_qty(ctx, ctx.args[0] if ctx.args else "", replace=False)


async def _ask_qty(ctx: Ctx, sku: str, *, replace: bool) -> list[Reply]:
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku) if sku else None
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    cart = await open_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.save(ctx, "order.qty", pending_sku=product.sku, set_qty=replace)
    return [Reply(text=ctx.t("order.qty_ask", name=product.name, unit=product.unit))]


@router.state("order.qty")
async def qty_typed(ctx: Ctx) -> list[Reply]:
    sku = str(ctx.dialog.data.get("pending_sku", ""))
    replace = bool(ctx.dialog.data.get("set_qty"))
    qty = typed_quantity(ctx.inbound.text)
    if qty is None:
        if re.fullmatch(r"[\s\d+\-.,]+", ctx.inbound.text):   # "-5", "2.5"
            return [Reply(text=ctx.t("order.qty_bad"))]
        # not a quantity: treat it like any text typed into the cart ("F300 5箱")
        return await cart_text(ctx)
    if not (0 if replace else 1) <= qty:
        return [Reply(text=ctx.t("order.qty_bad"))]
    if replace and qty == 0:
        cart = Cart.load(ctx)
        if cart is None:
            return stale_cart(ctx)
        cart.set(sku, 0)
        cart.save(ctx)
        return await cart_editor(ctx, cart)
    return await _add(ctx, sku, qty, replace=replace)


# --- editing the cart -------------------------------------------------------------------------------

@router.button("order.view")
async def view(ctx: Ctx) -> list[Reply]:
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.save(ctx)
    return await cart_summary(ctx, cart)


@router.button("order.edit")
async def edit(ctx: Ctx) -> list[Reply]:
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.save(ctx)
    return await cart_editor(ctx, cart)


@router.button("order.inc")
async def increase(ctx: Ctx) -> list[Reply]:
    return await _change_line(ctx, +1)


@router.button("order.dec")
async def decrease(ctx: Ctx) -> list[Reply]:
    return await _change_line(ctx, -1)


@router.button("order.rm")
async def remove(ctx: Ctx) -> list[Reply]:
    return await _change_line(ctx, None)


async def _change_line(ctx: Ctx, step: int | None) -> list[Reply]:
    """+1 / -1 (a line at 0 goes away) or, with ``step`` None, remove the line."""
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    sku = ctx.args[1] if len(ctx.args) > 1 else ""
    if sku in cart.items:
        cart.set(sku, 0 if step is None else cart.items[sku] + step)
    cart.save(ctx)
    return await cart_editor(ctx, cart)


@router.button("order.set")
async def set_line(ctx: Ctx) -> list[Reply]:
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    return await _ask_qty(ctx, ctx.args[1] if len(ctx.args) > 1 else "", replace=True)


@router.button("order.clear")
async def clear(ctx: Ctx) -> list[Reply]:
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.items.clear()
    cart.rev += 1
    cart.save(ctx)
    return [Reply(text=ctx.t("order.cleared")), cart_prompt(ctx, cart)]


@router.button("order.date")
async def set_date(ctx: Ctx) -> list[Reply]:
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    raw = ctx.args[1] if len(ctx.args) > 1 else ""
    if raw == "-":
        cart.delivery = None
        cart.rev += 1
        cart.save(ctx)
        return await cart_summary(ctx, cart, [ctx.t("order.date_cleared")])
    try:
        when = date.fromisoformat(raw)
    except ValueError:
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _set_delivery(ctx, cart, when)


async def _set_delivery(ctx: Ctx, cart: Cart, when: date, *, latest: bool = False) -> list[Reply]:
    problem = check_delivery(ctx, when)
    if problem:
        cart.save(ctx, "order.date")
        return [Reply(text=problem + "\n" + ctx.t("order.date_ask"))]
    cart.delivery, cart.delivery_by = when, latest
    cart.rev += 1
    cart.save(ctx)
    return await cart_summary(ctx, cart, [ctx.t("order.date_set_by" if latest else "order.date_set",
                                                date=fmt_date(ctx, when))])


@router.button("order.datetype")
async def ask_date(ctx: Ctx) -> list[Reply]:
    cart = pressed_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.save(ctx, "order.date")
    return [Reply(text=ctx.t("order.date_ask"))]


@router.state("order.date")
async def date_typed(ctx: Ctx) -> list[Reply]:
    cart = Cart.load(ctx)
    if cart is None:
        ctx.idle()
        return [main_menu(ctx)]
    parsed = await parse_message(ctx)
    when = parsed.slots.delivery_date
    if when is None:
        found = find_date(ctx.inbound.text, ctx.deps.clock.today())
        when = found.value if found else None
    if when is None:
        return [Reply(text=ctx.t("order.date_bad"))]
    return await _set_delivery(ctx, cart, when, latest=latest_date_said(ctx.inbound.text, ctx.deps.clock.today()))


@router.button("order.cancel")
async def cancel_cart(ctx: Ctx) -> list[Reply]:
    if isinstance(refused := pressed_cart(ctx), list):
        return refused
    ctx.idle()
    return [Reply(text=ctx.t("order.cancelled")), main_menu(ctx)]
