"""A dealer's photo sent first, outside any form: a broken machine photographed before a word is typed. It is kept
and goes with the after-sales ticket or the quality report it is for, so the staff member who handles that sees
it (the push brings the photos, the card shows them).

- words under the photo that read as a repair or a quality problem ("客户家除湿机不出水了"): that form starts with
  those words, the photo already in it;
- no words (or words that say neither): asked which, ``photo.as`` / ``photo.qf``; the photo is held in the dialog
  until then.

A photo a waiting ticket asked for is ``handlers.flows.aftersales`` (its upload hook comes first). A photo with no
repair words is offered to the order-list reader first (``handlers.flows.order_file``, where text recognition runs):
only when it reads no order line in it (a broken machine has none) is it asked what it is for (was: "没有读到订单",
the photo lost).
"""

from __future__ import annotations

from core.errors import PermissionDenied
from core.users import Permission
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import aftersales, forms, order_file, quality
from handlers.flows.menu import main_menu, require_bound
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.schema import Intent

router = Router(name=__name__)

HELD = "held_photos"
P = Permission

i18n.register({
    "photo.ask": ("收到 {n} 张照片。这是要做什么？", "{n} photo(s) received. What are they for?"),
    "photo.kept": ("已收到 {n} 张照片，会附在{what}上，处理人员能看到。", "{n} photo(s) kept with the {what_en}; whoever handles it sees them."),
    "photo.what.as": ("售后工单", "after-sales ticket"),
    "photo.what.qf": ("质量反馈", "quality report"),
    "photo.btn.as": ("🛠 售后报修", "🛠 Repair request"),
    "photo.btn.qf": ("⚠️ 质量反馈", "⚠️ Quality report"),
    "photo.btn.no": ("✖ 都不是", "✖ Neither"),
    "photo.stale": ("照片已过期，请重新发送。", "Those photos expired; please send them again."),
})


def _may(ctx: Ctx, kind: str) -> bool:
    return (P.TICKET_CREATE if kind == "as" else P.QUALITY_REPORT) in ctx.actor.permissions


@router.upload_hook
async def photo_first(ctx: Ctx) -> list[Reply] | None:
    if ctx.dialog.state or not ctx.is_dealer or ctx.inbound.kind != InboundKind.PHOTO:
        return None
    refs = [ref for ref in ctx.inbound.file_refs if ref][:forms.MAX_PHOTOS]
    if not refs:
        return None
    if ctx.inbound.text.strip():
        ctx.parsed = await parse_message(ctx)
        if ctx.parsed.intent == Intent.AFTER_SALES and _may(ctx, "as"):
            return await _into(ctx, "as", refs, await aftersales.after_sales_intent(ctx))
        if ctx.parsed.intent == Intent.QUALITY_FEEDBACK and _may(ctx, "qf"):
            return await _into(ctx, "qf", refs, await quality.quality_intent(ctx))
    if ctx.deps.read_image_text is not None:        # an order list photographed: the cart
        read = await order_file.order_photo(ctx)
        if read and read[0].text not in {ctx.t("ophoto.nothing"), ctx.t("ophoto.unreadable")}:
            return read
    ctx.dialog.data[HELD] = refs
    rows = [[Button(ctx.t(f"photo.btn.{k}"), payload(f"photo.{k}"))] for k in ("as", "qf") if _may(ctx, k)]
    return [Reply(text=ctx.t("photo.ask", n=len(refs)),
                  buttons=rows + [[Button(ctx.t("photo.btn.no"), payload("photo.no"))]])]


async def _into(ctx: Ctx, kind: str, refs: list[str], replies: list[Reply]) -> list[Reply]:
    """The form just started takes the photos (a form that did not start: the replies as they are)."""
    if not ctx.dialog.state.startswith(f"{kind}."):
        return replies
    ctx.dialog.data["photos"] = [*ctx.dialog.data.get("photos", []), *refs][:forms.MAX_PHOTOS]
    kept = Reply(text=ctx.t("photo.kept", n=len(refs), what=ctx.t(f"photo.what.{kind}"),
                            what_en=i18n.t("en", f"photo.what.{kind}")))
    return [kept, *replies]


@router.button("photo.as", "photo.qf")
async def held_into_form(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    kind = ctx.inbound.payload.split("|")[1].rpartition(".")[2]
    if not ctx.is_dealer or not _may(ctx, kind):
        raise PermissionDenied()
    refs = [str(r) for r in ctx.dialog.data.get(HELD) or []]
    if not refs:
        return [Reply(text=ctx.t("photo.stale")), main_menu(ctx)]
    replies = await (aftersales.start(ctx) if kind == "as" else quality.start(ctx))
    return await _into(ctx, kind, refs, replies)


@router.button("photo.no")
async def held_dropped(ctx: Ctx) -> list[Reply]:
    ctx.dialog.data.pop(HELD, None)
    return [main_menu(ctx)]
