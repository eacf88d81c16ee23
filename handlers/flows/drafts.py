"""A form left half-filled when the chat is opened again (the greeting: /start, /menu, 🏠 主菜单): the dealer is told
the draft is open, with ▶ continue (the question it waits at asked again) or 🗑 discard (then the main menu), rather
than the main menu whose buttons (or a number typed for one) would start something else and drop the draft."""

from __future__ import annotations

from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms, menu
from handlers.flows.stepform import form_of, resume, stale
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

i18n.register({
    "draft.open": ("您还有没填完的{title}。接着填写，还是放弃它？", "Your {title} is not finished. Go on with it, or drop it?"),
    "draft.a_form": ("登记", "form"),
    "draft.btn.go": ("▶ 继续填写", "▶ Go on"),
    "draft.btn.drop": ("🗑 放弃，回主菜单", "🗑 Drop it, show the menu"),
    "draft.dropped": ("已放弃没填完的{title}。", "The unfinished {title} is dropped."),
})


def _title(ctx: Ctx) -> str:
    form = form_of(ctx)
    return ctx.t(form.title) if form is not None and form.title else ctx.t("draft.a_form")


async def draft_notice(ctx: Ctx) -> list[Reply] | None:
    """The notice of the form this chat has open, else None."""
    if form_of(ctx) is None:
        return None
    nonce = str(ctx.dialog.data["nonce"])
    return [Reply(text=ctx.t("draft.open", title=_title(ctx)),
                  buttons=[[Button(ctx.t("draft.btn.go"), payload("draft.go", nonce)),
                            Button(ctx.t("draft.btn.drop"), payload("draft.drop", nonce))]])]


menu.OPEN_DRAFT.append(draft_notice)


def _this_draft(ctx: Ctx) -> bool:
    return form_of(ctx) is not None and ctx.dialog.data.get("nonce") == forms.arg(ctx, 0)


@router.button("draft.go")
async def go_on(ctx: Ctx) -> list[Reply]:
    form = form_of(ctx)
    if form is None or not _this_draft(ctx):
        return stale(ctx)
    return await resume(form, ctx)


@router.button("draft.drop")
async def drop(ctx: Ctx) -> list[Reply]:
    if not _this_draft(ctx):
        return stale(ctx)
    title = _title(ctx)
    ctx.idle()
    return [Reply(text=ctx.t("draft.dropped", title=title)), menu.main_menu(ctx)]
