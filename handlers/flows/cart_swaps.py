"""A line to replace by a product the dealer's word does not name: "不是DH20 是DH30" with no DH30 in the catalogue.

The word is named back, the line it would replace is kept as it is, and the products the word may mean are offered,
each replacing that line in one tap (``order.swap|<nonce>|<old sku>|<new sku>[|<qty>]``, handled in
``handlers.flows.cart_edits``): the line's count, or the one said with the word. One of them typed as the answer
("DH50", "DH50 3台") is that button pressed (``typed_swap``), never a line of its own.
"""

from __future__ import annotations

from core.payload import MAX_PAYLOAD_BYTES
from handlers import i18n
from handlers.catalogue import PICK_MINUTES
from handlers.context import Ctx
from handlers.flows.cart import Cart, catalogue_entries
from handlers.messages import Button, Reply
from handlers.router import payload
from nlu.products import suggest_products
from nlu.schema import CartEdit, EditOp, ParseResult, Unresolved

SWAP_ASKED = "swap_asked"      # the dialog's key for the swap offered last: {"old", "skus", "qty", "nonce", "at"}

i18n.register({
    "order.swap_pick": ("没有找到“{word}”，{old} 先保持不变。要换成哪一个？",
                        "\"{word}\" is not in the catalogue; {old} stays as it is for now. Replace it with:"),
    "order.swap_keep": ("{old} 不换", "Keep {old}"),
    "order.replace_absent": ("购物车里没有 {name}，没有可替换的一行。", "{name} is not in the cart; nothing to replace."),
    "order.size_pick": ("要换成哪一个型号？把 {old} 换成：", "Which one do you mean? Replace {old} with:"),
    "order.size_which": ("要换哪一行？请连产品一起说，例如“{sku}换成大一号的”。",
                         "Which line should change size? Say it with the product, e.g. \"{sku} one size bigger\"."),
    "order.swap_which": ("购物车里有好几行可以换成 {new}，要换掉哪一行？", "Several lines of the cart may be the one to "
                         "replace by {new}. Which one?"),
})


async def swap_pick(ctx: Ctx, cart: Cart, word: Unresolved, key: str = "order.swap_pick") -> Reply:
    """``word`` names no product and would replace the line ``word.replaces``: said back, the line kept, the products
    it may mean offered as that line's replacement."""
    old = word.replaces or ""
    entries = {e.sku: e for e in await catalogue_entries(ctx)}
    found = [entries[s] for s in word.candidates if s in entries and s != old][:6]
    if not found:
        found = [e for e, _ in suggest_products([word.word], list(entries.values())) if e.sku != old]
    had = cart.items.get(old)
    qty = word.qty or had
    rows: list[list[Button]] = []
    offered: list[str] = []
    for e in found:
        pressed = payload("order.swap", cart.nonce, old, e.sku, *([word.qty] if word.qty else []))
        if len(pressed.encode()) > MAX_PAYLOAD_BYTES:
            continue
        offered.append(e.sku)
        rows.append([Button(f"{old} → {e.name}（{e.sku}）" + (f" ×{qty}" if qty else ""), pressed)])
    if offered:     # a typed answer naming one of them is that button (``typed_swap``); the cart's next save forgets it
        ctx.dialog.data[SWAP_ASKED] = {"old": old, "skus": offered, "qty": word.qty, "nonce": cart.nonce,
                                       "at": int(ctx.deps.clock.now().timestamp() // 60)}
    named = entries[old].name if old in entries else old
    if had is not None:
        rows.append([Button(ctx.t("order.swap_keep", old=old), payload("order.view", cart.nonce))])
    return Reply(text=ctx.t(key, word=word.word[:30], old=named), buttons=rows)


def typed_swap(ctx: Ctx, cart: Cart, parsed: ParseResult) -> CartEdit | None:
    """The message as the answer to the swap offered last (``swap_pick``): it names one of the products offered and
    no other line ("DH50", "要DH50的", "DH50 3台"). The replacement that product's button makes, with the count said
    now, else the one said with the offer, else the line's own; None when the message is no such answer."""
    asked = ctx.dialog.data.get(SWAP_ASKED)
    if not isinstance(asked, dict) or asked.get("nonce") != cart.nonce or asked.get("old") not in cart.items:
        return None
    if int(ctx.deps.clock.now().timestamp() // 60) - int(asked.get("at") or 0) > PICK_MINUTES:
        return None
    slots = parsed.slots
    if slots.unresolved or any(e.op not in (EditOp.ADD, EditOp.SET) and not (e.op == EditOp.REPLACE and e.sku is None)
                               for e in slots.edits):
        return None
    named = {e.to_sku if e.op == EditOp.REPLACE else e.sku for e in slots.edits} | {i.sku for i in slots.items}
    if not named and slots.product:
        named = {slots.product}
    skus = [str(s) for s in asked.get("skus") or []]
    if len(named) != 1 or (new := next(iter(named))) not in skus:
        return None
    said = [e.qty for e in slots.edits if e.qty]
    qty = said[0] if len(said) == 1 else asked.get("qty") if isinstance(asked.get("qty"), int) else None
    return CartEdit(op=EditOp.REPLACE, sku=str(asked["old"]), to_sku=new, qty=qty)


async def line_among(ctx: Ctx, cart: Cart, edit: CartEdit) -> CartEdit | Reply | None:
    """A replacement of the line of whichever of ``edit.among`` the cart holds ("把滤网换成两箱AP500滤网"): that line's
    replacement when it holds one; which line, one tap each (``order.swap``), when it holds several; when it holds
    none, the new product as a line of its own with the count said (None: no count said, only the product)."""
    held = [sku for sku in edit.among if sku in cart.items and sku != edit.to_sku]
    if len(held) == 1:
        return edit.model_copy(update={"sku": held[0], "among": []})
    if not held:
        return None if edit.qty is None else \
            CartEdit(op=EditOp.ADD, sku=edit.to_sku, qty=edit.qty, unit=edit.unit)
    entries = {e.sku: e for e in await catalogue_entries(ctx)}
    new = entries[edit.to_sku].name if edit.to_sku in entries else edit.to_sku or ""
    rows = []
    for old in held[:8]:
        qty = edit.qty or cart.items[old]
        pressed = payload("order.swap", cart.nonce, old, edit.to_sku or "", *([edit.qty] if edit.qty else []))
        if len(pressed.encode()) <= MAX_PAYLOAD_BYTES:
            rows.append([Button(f"{old} → {new} ×{qty}", pressed)])
    rows.append([Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))])
    return Reply(text=ctx.t("order.swap_which", new=new), buttons=rows)


async def size_pick(ctx: Ctx, cart: Cart, named: str | None) -> Reply:
    """"换成大一号的" (topic size_up / size_down): the line named, else the one talked about, offered as the other
    products of its category, one tap each (never guessed: the catalogue does not say which is one size up); with
    several lines and none talked about, which line is asked (said again with the product)."""
    old = named if named in cart.items else cart.referent()
    entries = {e.sku: e for e in await catalogue_entries(ctx)}
    if old is None:
        return Reply(text=ctx.t("order.size_which", sku=next(iter(cart.items))),
                     buttons=[[Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))]])
    kind = entries[old].category if old in entries else ""
    others = [e.sku for e in entries.values() if kind and e.category == kind and e.sku != old][:6]
    return await swap_pick(ctx, cart, Unresolved(word="", candidates=others, replaces=old), key="order.size_pick")
