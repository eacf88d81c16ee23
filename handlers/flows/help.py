"""/help (and a greeting): the dealer's commands, or for staff what they can type for their jobs.

Its own module because it needs both the menu and the staff words (``handlers.flows.staff_words``), which
itself builds on the menu: kept here, the menu imports nothing back.
"""

from __future__ import annotations

from handlers.context import Ctx
from handlers.flows.faq import knowledge_answer
from handlers.flows.menu import main_menu, menu
from handlers.flows.staff_words import staff_help
from handlers.messages import InboundKind, Reply
from handlers.router import Router
from nlu.menu_words import menu_asked
from nlu.schema import Intent

router = Router(name=__name__)


@router.command("help")
@router.intent(Intent.HELP, Intent.GREETING)
async def help_(ctx: Ctx) -> list[Reply]:
    if ctx.parsed is not None and ctx.parsed.intent == Intent.GREETING and not ctx.inbound.text.startswith("/"):
        return [main_menu(ctx)]     # "你好", "在吗": the menu greets by name; the list of commands is for /help
    if ctx.inbound.kind == InboundKind.TEXT and menu_asked(ctx.inbound.text):
        return await menu(ctx)      # "主菜单" typed is the 🏠 button (was: the /commands list first, QA s27 P21)
    if ctx.is_staff:                # what staff type for their jobs, not the dealer's commands
        return [*await staff_help(ctx, asked=True), main_menu(ctx)]
    if ctx.inbound.text and not ctx.inbound.text.startswith("/") and ctx.parsed is not None \
            and ctx.parsed.intent == Intent.HELP and (known := await knowledge_answer(ctx, ctx.inbound.text)):
        return [known, main_menu(ctx)]          # "怎么下单": how-to read as help, answered by the knowledge base
    return [Reply(text=ctx.t("help.text")), main_menu(ctx)]
