"""A voice note in the chat: heard (``Deps.hear``), said back ("我听到的是：…") and then handled as if typed, so an
order still ends at the confirm button. Without a speech service the dealer is asked to type or send a photo.

The speech service is given the words a dealer is likely to say as hints, most likely first: the dealer's own words
for products (its alias library), the products of its latest orders, then the catalogue."""

from __future__ import annotations

from dataclasses import replace

from core.services.orders import list_orders
from handlers import i18n
from handlers.catalogue import chat_catalogue, parser_aliases
from handlers.context import Ctx, Heard
from handlers.messages import InboundKind, Reply

MAX_VOICE_BYTES = 20 * 1024 * 1024
HINT_WORDS = 120          # words sent to the speech service as hints (an endpoint's prompt keeps the first 400 chars)
RECENT_ORDERS = 10        # a dealer's latest orders whose products come first among the hints

i18n.register({
    "voice.heard": ("🎤 我听到的是：{text}", "🎤 I heard: {text}"),
    "voice.off": ("暂时听不了语音，请打字或发图片。", "I cannot listen to voice messages here yet; please type or send "
                  "a photo."),
    "voice.unclear": ("没有听清这段语音，请再说一遍或直接打字。", "I could not make out that voice message; please say it "
                      "again or type it."),
    "voice.unreadable": ("这段语音打不开，请重新录一遍或直接打字。", "That voice message cannot be played; please record it "
                         "again or type it."),
    "voice.too_long": ("语音太长（最长 {n} 秒），请分段说或直接打字。", "The voice message is too long ({n} seconds at "
                       "most); please split it or type it."),
    "voice.too_big": ("语音文件太大，请分段说或直接打字。", "The voice message is too large; please split it or type it."),
    "voice.failed": ("语音识别暂时不可用，请打字或发图片。", "Speech recognition is not available right now; please type "
                     "or send a photo."),
})


async def listen(ctx: Ctx) -> tuple[list[Reply], bool]:
    """(the replies to send first, whether to go on with ``ctx.inbound`` now the typed text it said)."""
    inbound = ctx.inbound
    if inbound.text.strip():              # the channel recognised it already (WeCom's Recognition)
        return _said(ctx, inbound.text)
    if not inbound.file_refs:             # a voice message with neither audio nor text (WeCom's AI bot)
        return [Reply(text=ctx.t("voice.unclear"))], False
    if ctx.deps.hear is None or ctx.deps.read_file is None:
        return [Reply(text=ctx.t("voice.off"))], False
    data = await ctx.deps.read_file(inbound.file_refs[0])
    if len(data) > MAX_VOICE_BYTES:
        return [Reply(text=ctx.t("voice.too_big"))], False
    heard: Heard = await ctx.deps.hear(data, await hints(ctx))
    if heard.problem:
        key = {"too_long": "voice.too_long", "unreadable": "voice.unreadable", "failed": "voice.failed"}.get(
            heard.problem, "voice.unclear")
        return [Reply(text=ctx.t(key, n=int(heard.limit)))], False
    return _said(ctx, heard.text)


async def hints(ctx: Ctx) -> list[str]:
    """Words the note probably holds, most likely first, each once: the dealer's aliases, its latest orders'
    products (SKU and name), the catalogue's SKUs and names; at most ``HINT_WORDS``."""
    catalogue = await chat_catalogue(ctx)
    names = {e.sku: e.name for e in catalogue}
    words: list[str] = []
    if ctx.is_dealer:
        if ctx.aliases is None:             # read once: the parser wants them next for the text it said
            async with ctx.uow() as uow:
                ctx.aliases = await parser_aliases(uow, ctx.actor)
        words += list(ctx.aliases or {})
        for order in await list_orders(ctx.uow(), ctx.actor, limit=RECENT_ORDERS):
            words += [w for line in order.lines for w in (line.sku, names.get(line.sku, line.name))]
    words += [w for e in catalogue for w in (e.sku, e.name)]
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))[:HINT_WORDS]


def _said(ctx: Ctx, text: str) -> tuple[list[Reply], bool]:
    """Go on with what the note said as typed text (as long as a typed message may be), said back first."""
    said = " ".join(text.split())[:ctx.deps.max_text_length]
    ctx.inbound = replace(ctx.inbound, kind=InboundKind.TEXT, text=said)
    return [Reply(text=ctx.t("voice.heard", text=said))], True
