"""A line to replace by a product the dealer's word does not name: "不是DH20 是DH30" with no DH30 in the catalogue.

The word is named back, the line it would replace is kept as it is, and the products the word may mean are offered,
each replacing that line in one tap (``order.swap|<nonce>|<old sku>|<new sku>[|<qty>]``, handled in
``handlers.flows.cart_edits``): the line's count, or the one said with the word.
"""

from __future__ import annotations

from core.payload import MAX_PAYLOAD_BYTES
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.cart import Cart, catalogue_entries
from handlers.messages import Button, Reply
from handlers.router import payload
from nlu.products import suggest_products
from nlu.schema import Unresolved

i18n.register({
    "order.swap_pick": ("没有找到“{word}”，{old} 先保持不变。要换成哪一个？",
                        "\"{word}\" is not in the catalogue; {old} stays as it is for now. Replace it with:"),
    "order.swap_keep": ("{old} 不换", "Keep {old}"),
})


async def swap_pick(ctx: Ctx, cart: Cart, word: Unresolved) -> Reply:
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
    for e in found:
        pressed = payload("order.swap", cart.nonce, old, e.sku, *([word.qty] if word.qty else []))
        if len(pressed.encode()) > MAX_PAYLOAD_BYTES:
            continue
        rows.append([Button(f"{old} → {e.name}（{e.sku}）" + (f" ×{qty}" if qty else ""), pressed)])
    named = entries[old].name if old in entries else old
    if had is not None:
        rows.append([Button(ctx.t("order.swap_keep", old=old), payload("order.view", cart.nonce))])
    return Reply(text=ctx.t("order.swap_pick", word=word.word[:30], old=named), buttons=rows)
